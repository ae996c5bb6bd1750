// Time from SIGKILL of the process running a tenant's sync to the tenant's next completed run:
//  1. PostgreSQL, two `vortex worker` processes: the survivor takes the run over (BENCH_KILLS times);
//  2. the embedded database, one `vortex start`, restarted right after the kill.
// The simulators run in this process (the test world); Cel.ro answers with 350 ms latency so a run of
// 400 SKUs lasts long enough to be killed in the middle.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { forgetListings } from '../src/catalog/offers-repo.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { addSyncRequest } from '../src/sync/requests.ts';
import { exited, freePort, startVortex } from '../test/helpers/process.ts';
import { postgresAvailable, storeVariants } from '../test/helpers/stores.ts';
import { waitFor } from '../test/helpers/wait.ts';
import { startWorld, TENANT } from '../test/helpers/world.ts';

export const name = 'crash recovery: SIGKILL → the tenant’s next completed run';

const ARTICLES = 400;
// One Cel.ro batch at a time (not the default 4 side by side), so a publish lasts long enough to be killed in the middle.
const ONE_LANE = { maxInFlight: 1 };
const KILLS = Number(process.env.BENCH_KILLS ?? 3);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(1)} s, median ${s[Math.floor(s.length / 2)]!.toFixed(1)} s, max ${s[s.length - 1]!.toFixed(1)} s (n=${s.length})`;
}

async function onPostgres(): Promise<void> {
  if (!(await postgresAvailable()).ok) {
    console.log('PostgreSQL: skipped (unreachable)');
    return;
  }
  const w = await startWorld((await storeVariants()).find((v) => v.name === 'postgres')!, { articles: ARTICLES, celroSettings: ONE_LANE });
  w.cel.config.latencyMs = 350;
  const env = { DATABASE_URL: (w.db as unknown as { url: string }).url, VORTEX_SECRET_KEY: w.secretKey, LOG_LEVEL: 'warn', VORTEX_FX_DAILY: 'none' };
  const workers: ChildProcess[] = [];
  const spawnWorker = async () => workers.push((await startVortex(['worker'], { ...env, LOG_LEVEL: 'info' }, /vortex running/)).child);
  await spawnWorker();
  await spawnWorker();
  const times: number[] = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      w.cel.state.products.clear();
      await forgetListings(w.db, TENANT, 'bench: start over');
      await addSyncRequest(w.db, TENANT, ['catalog', 'stock'], 'bench');
      const run = await waitFor('a run in the middle', async () => {
        const r = await w.db.maybeOne<{ id: number; worker: string }>("SELECT id, worker FROM sync_runs WHERE tenant_id = $1 AND status = 'running'", [TENANT]);
        return r && w.cel.state.products.size >= 50 ? r : undefined;
      }, 120_000);
      const victim = workers.find((c) => run.worker.endsWith(`:${c.pid}`))!;
      const killedAt = Date.now();
      victim.kill('SIGKILL');
      await exited(victim);
      await waitFor('the next completed run', async () => {
        const ok = await w.db.maybeOne("SELECT 1 FROM sync_runs WHERE tenant_id = $1 AND id > $2 AND status = 'succeeded'", [TENANT, run.id]);
        const pending = await w.db.query('SELECT 1 FROM sync_requests WHERE tenant_id = $1', [TENANT]);
        return ok && pending.length === 0;
      }, 180_000);
      times.push((Date.now() - killedAt) / 1000);
      workers.splice(workers.indexOf(victim), 1);
      await spawnWorker();
    }
    console.log(`PostgreSQL, 2 workers, survivor takes over: ${stats(times)}`);
  } finally {
    for (const c of workers) c.kill('SIGKILL');
    await w.close();
  }
}

async function onEmbedded(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-bench-crash-'));
  const dataDir = path.join(root, 'data');
  const w = await startWorld({ name: 'pglite', skip: false, open: async () => { const db = await openPglite({ dataDir: path.join(dataDir, 'pg') }); await migrate(db); return db; } }, { articles: ARTICLES, celroSettings: ONE_LANE });
  w.cel.config.latencyMs = 350;
  await addSyncRequest(w.db, TENANT, ['catalog', 'stock'], 'bench');
  await w.releaseStore();
  const port = await freePort();
  const env = { VORTEX_DATA_DIR: dataDir, VORTEX_SECRET_KEY: w.secretKey, PORT: String(port), LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
  const runs = async () => ((await (await fetch(`http://127.0.0.1:${port}/api/tenants/${TENANT}/runs`)).json()) as { runs: Array<{ id: number; status: string }> }).runs;
  let vortex = await startVortex(['start'], env, /vortex running/);
  try {
    const run = await waitFor('a run in the middle', async () => {
      const r = (await runs()).find((x) => x.status === 'running');
      return r && w.cel.state.products.size >= 50 ? r : undefined;
    }, 120_000);
    const killedAt = Date.now();
    vortex.child.kill('SIGKILL');
    await exited(vortex.child);
    vortex = await startVortex(['start'], env, /vortex running/);
    const restarted = (Date.now() - killedAt) / 1000;
    await waitFor('the next completed run', async () => {
      const all = await runs();
      return all.some((r) => r.id > run.id && r.status === 'succeeded') && !all.some((r) => r.status === 'running');
    }, 180_000);
    console.log(`embedded database, restarted at once: serving again after ${restarted.toFixed(1)} s, run completed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
  } finally {
    vortex.child.kill('SIGKILL');
    await exited(vortex.child);
    await w.close();
    await fs.rm(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await onPostgres();
  await onEmbedded();
}
