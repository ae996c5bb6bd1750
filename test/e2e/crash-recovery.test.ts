import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { forgetListings } from '../../src/catalog/offers-repo.ts';
import { migrate } from '../../src/store/migrate.ts';
import { pgliteDir } from '../../src/store/open.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { addSyncRequest } from '../../src/sync/requests.ts';
import { celroDiffersFromCatalog } from '../helpers/catalog-check.ts';
import { exited, freePort, startVortex } from '../helpers/process.ts';
import { postgresAvailable, storeVariants, type StoreVariant } from '../helpers/stores.ts';
import { waitFor } from '../helpers/wait.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

// Real processes, real signals: a Vortex killed (SIGKILL) or stopped (SIGTERM) in the middle of a sync
// run is back to work within seconds, closes the run it lost, and ends with Cel.ro equal to the mapped
// catalog. The Cel.ro simulator answers slowly so that a run lasts long enough to be cut in the middle.

const ARTICLES = 400;
// One Cel.ro batch at a time (not the default 4 side by side), so a publish lasts long enough to be killed in the middle.
const ONE_LANE = { maxInFlight: 1 };
const CEL_LATENCY_MS = 350;
// While the test looks up the run to kill, Cel.ro answers this slowly: on a loaded machine the lookup
// can take seconds, and the run must still be in the middle when the signal arrives.
const HOLD_LATENCY_MS = 2500;

/**
 * Wait (in-process, so promptly) until Cel.ro lists `count` products, then slow Cel.ro down; the
 * returned function restores the normal pace (call it once the signal was sent).
 */
async function holdPublishAt(w: World, count: number): Promise<() => void> {
  await waitFor(`${count} products on Cel.ro`, async () => w.cel.state.products.size >= count, 90_000, 10);
  w.cel.config.latencyMs = HOLD_LATENCY_MS;
  return () => {
    w.cel.config.latencyMs = CEL_LATENCY_MS;
  };
}

interface RunRow {
  id: number;
  status: string;
  worker: string | null;
  error: string | null;
}

const pg = await postgresAvailable();
const postgres = (await storeVariants()).find((v) => v.name === 'postgres')!;

describe('`vortex worker` processes on PostgreSQL: SIGKILL and SIGTERM mid-run', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, () => {
  let w: World;
  let env: Record<string, string>;
  const workers: Array<{ child: ChildProcess; output: () => string }> = [];
  const startWorker = async () => {
    const wk = await startVortex(['worker'], env, /vortex running/);
    workers.push(wk);
    return wk;
  };
  const runningRun = () => w.db.maybeOne<RunRow>("SELECT id, status, worker, error FROM sync_runs WHERE tenant_id = $1 AND status = 'running' ORDER BY id DESC LIMIT 1", [TENANT]);
  const workerOf = (run: RunRow) => workers.find((x) => run.worker?.endsWith(`:${x.child.pid}`));
  /** A run of the tenant, started after `afterId`, that completed, with no request left pending. */
  const completedAfter = (afterId: number) =>
    waitFor('the tenant’s next completed run', async () => {
      const done = await w.db.maybeOne<RunRow>("SELECT id, status, worker, error FROM sync_runs WHERE tenant_id = $1 AND id > $2 AND status = 'succeeded' ORDER BY id DESC LIMIT 1", [TENANT, afterId]);
      const pending = await w.db.query('SELECT 1 FROM sync_requests WHERE tenant_id = $1', [TENANT]);
      const running = await runningRun();
      return done && pending.length === 0 && !running ? done : undefined;
    }, 90_000);

  before(async () => {
    w = await startWorld(postgres, { articles: ARTICLES, celroSettings: ONE_LANE });
    w.cel.config.latencyMs = CEL_LATENCY_MS;
    env = { DATABASE_URL: (w.db as unknown as { url: string }).url, VORTEX_SECRET_KEY: w.secretKey, LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
    await startWorker();
    await startWorker();
  });
  after(async () => {
    for (const wk of workers) {
      wk.child.kill('SIGKILL');
      await exited(wk.child);
    }
    await w?.close();
  });

  it('SIGKILL: another worker completes the tenant’s next run within 60 s, the lost run is closed as abandoned, Cel.ro equals the catalog', async () => {
    await addSyncRequest(w.db, TENANT, ['catalog', 'stock'], 'test');
    const resume = await holdPublishAt(w, 50);
    const run = await waitFor('the run in the middle of the publish', async () => (await runningRun()) ?? undefined);
    assert.ok(w.cel.state.products.size < ARTICLES * 0.8, `the run is still in the middle (${w.cel.state.products.size} listed)`);
    const victim = workerOf(run);
    assert.ok(victim, `the run's worker (${run.worker}) is one of ours`);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await exited(victim.child);
    resume();

    const next = await completedAfter(run.id);
    const recoverySeconds = (Date.now() - killedAt) / 1000;
    assert.ok(recoverySeconds < 60, `next completed run ${recoverySeconds.toFixed(1)} s after the kill`);
    assert.notEqual(next.worker, run.worker);
    const lost = await w.db.one<RunRow & { finished_at: Date | null }>('SELECT id, status, worker, error, finished_at FROM sync_runs WHERE id = $1', [run.id]);
    assert.equal(lost.status, 'abandoned');
    assert.ok(lost.finished_at);
    assert.match(lost.error ?? '', /stopped without closing the run/);
    assert.deepEqual(await celroDiffersFromCatalog(w.db, w.cel, TENANT), []);
  });

  it('SIGTERM: the worker checkpoints and exits within the shutdown timeout, its run is closed as interrupted, and the work is finished by the other worker', async () => {
    await startWorker(); // replace the killed one
    // Cel.ro lost everything (think: a reset test account): the next run lists the whole catalog again.
    w.cel.state.products.clear();
    await forgetListings(w.db, TENANT, 'test: Cel.ro reset');
    await addSyncRequest(w.db, TENANT, ['catalog', 'stock'], 'test');
    const resume = await holdPublishAt(w, 50);
    const run = await waitFor('the run in the middle of the publish', async () => (await runningRun()) ?? undefined);
    const victim = workerOf(run)!;
    const stoppedAt = Date.now();
    victim.child.kill('SIGTERM');
    const code = await exited(victim.child);
    resume();
    const exitSeconds = (Date.now() - stoppedAt) / 1000;
    assert.equal(code, 0, victim.output().slice(-2000));
    assert.ok(exitSeconds < 30, `exited ${exitSeconds.toFixed(1)} s after SIGTERM (documented bound: 30 s)`);
    assert.doesNotMatch(victim.output(), /Cannot use a pool after calling end|PGlite is closed/);
    const stopped = await w.db.one<RunRow>('SELECT id, status, worker, error FROM sync_runs WHERE id = $1', [run.id]);
    assert.equal(stopped.status, 'interrupted');

    await completedAfter(run.id);
    assert.deepEqual(await celroDiffersFromCatalog(w.db, w.cel, TENANT), []);
  });
});

describe('`vortex start` on the embedded database: SIGTERM and SIGKILL mid-run, restarted at once', () => {
  let w: World;
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;
  let vortex: { child: ChildProcess; output: () => string } | undefined;

  const api = async <T>(p: string): Promise<T> => (await (await fetch(`http://127.0.0.1:${port}/api/tenants/${TENANT}${p}`)).json()) as T;
  const runs = async () => (await api<{ runs: RunRow[] }>('/runs?limit=50')).runs;
  const start = () => startVortex(['start'], env, /vortex running/);

  before(async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-crash-'));
    dataDir = path.join(root, 'data');
    const embedded: StoreVariant = {
      name: 'pglite',
      skip: false,
      open: async () => {
        const db = await openPglite({ dataDir: pgliteDir(dataDir) });
        await migrate(db);
        return db;
      },
    };
    w = await startWorld(embedded, { articles: ARTICLES, celroSettings: ONE_LANE });
    w.cel.config.latencyMs = CEL_LATENCY_MS;
    await addSyncRequest(w.db, TENANT, ['catalog', 'stock'], 'test');
    await w.releaseStore(); // the Vortex process owns the data directory from here
    port = await freePort();
    env = { VORTEX_DATA_DIR: dataDir, VORTEX_SECRET_KEY: w.secretKey, PORT: String(port), LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
  });
  after(async () => {
    if (vortex) {
      vortex.child.kill('SIGKILL');
      await exited(vortex.child);
    }
    await w?.close();
    await fs.rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('SIGTERM mid-run exits within the timeout with the run interrupted; SIGKILL mid-run then an immediate restart completes the run within 60 s', async () => {
    vortex = await start();
    let resume = await holdPublishAt(w, 50);
    const first = await waitFor('the run in the middle of the publish', async () => (await runs()).find((x) => x.status === 'running'));
    const stoppedAt = Date.now();
    vortex.child.kill('SIGTERM');
    const code = await exited(vortex.child);
    resume();
    const out = vortex.output();
    assert.equal(code, 0, out.slice(-2000));
    assert.ok((Date.now() - stoppedAt) / 1000 < 30, 'exited within the 30 s shutdown timeout');
    assert.doesNotMatch(out, /PGlite is closed|Cannot use a pool after calling end/);

    // Restart: the run resumes; kill it hard this time, half-way through what is left.
    vortex = await start();
    assert.equal((await runs()).find((r) => r.id === first.id)?.status, 'interrupted');
    const listedBefore = w.cel.state.products.size;
    resume = await holdPublishAt(w, listedBefore + 50);
    const second = await waitFor('the resumed run in progress', async () => (await runs()).find((x) => x.status === 'running' && x.id > first.id));
    assert.ok(w.cel.state.products.size < ARTICLES * 0.9, `still in the middle (${w.cel.state.products.size} listed)`);
    const killedAt = Date.now();
    vortex.child.kill('SIGKILL');
    await exited(vortex.child);
    resume();

    // The stale lock of the dead process is taken over at once: no "already in use" refusal.
    vortex = await start();
    const done = await waitFor('the next completed run', async () => {
      const all = await runs();
      const ok = all.find((r) => r.id > second.id && r.status === 'succeeded');
      return ok && !all.some((r) => r.status === 'running') ? ok : undefined;
    }, 90_000);
    const recoverySeconds = (Date.now() - killedAt) / 1000;
    assert.ok(recoverySeconds < 60, `completed ${recoverySeconds.toFixed(1)} s after the kill`);
    const lost = (await runs()).find((r) => r.id === second.id)!;
    assert.equal(lost.status, 'abandoned');
    assert.ok(done.id > second.id);

    vortex.child.kill('SIGTERM');
    assert.equal(await exited(vortex.child), 0);
    vortex = undefined;
    const db = await openPglite({ dataDir: pgliteDir(dataDir) });
    try {
      assert.deepEqual(await celroDiffersFromCatalog(db, w.cel, TENANT), []);
      assert.equal((await db.query('SELECT 1 FROM sync_requests')).length, 0, 'no request left pending');
    } finally {
      await db.close();
    }
  });
});
