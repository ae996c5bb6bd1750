import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../src/core/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { JobQueue } from '../../src/sync/queue.ts';
import { requestSync } from '../../src/sync/request-sync.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { everyMinutesCron } from '../../src/sync/schedule.ts';
import { postgresAvailable, testPostgres } from '../helpers/stores.ts';
import { waitFor } from '../helpers/wait.ts';
import { startFixtureWorker } from '../helpers/process.ts';

const log = createLogger({ level: 'silent' });
const WORKER = fileURLToPath(new URL('../fixtures/sync-worker.ts', import.meta.url));
const pg = await postgresAvailable();

describe('sync scheduling across two worker processes (PostgreSQL)', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, () => {
  let db: Db & { url: string };
  let queue: JobQueue;
  const workers: ChildProcess[] = [];

  before(async () => {
    db = await testPostgres();
    await db.exec('CREATE TABLE step_runs (id bigserial PRIMARY KEY, tenant_id text, what text, worker text, started_at timestamptz, ended_at timestamptz)');
    const repo = new TenantRepository(db, createSecretBox(randomBytes(32).toString('base64')));
    for (const id of ['t1', 't2', 'flaky']) await repo.create({ id, name: id }, 'test');
    queue = await JobQueue.start({ db, databaseUrl: db.url, log });
    workers.push(await startFixtureWorker(WORKER, db.url, 'w1'), await startFixtureWorker(WORKER, db.url, 'w2'));
  });

  after(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await queue?.stop({ timeoutMs: 2000 });
    await db?.close();
  });

  it('never runs one tenant’s sync twice at once, while different tenants run in parallel; a burst collapses', async () => {
    // 30 wake-ups for t1 arriving while runs are in progress, plus some for t2.
    for (let i = 0; i < 30; i++) {
      await requestSync({ db, queue }, 't1', ['catalog'], 'webhook');
      if (i % 10 === 0) await requestSync({ db, queue }, 't2', ['stock'], 'manual');
      await sleep(40);
    }
    await waitFor('all requests served', async () => (await db.query('SELECT 1 FROM sync_requests')).length === 0 && (await db.query('SELECT 1 FROM step_runs WHERE ended_at IS NULL')).length === 0, 40_000);
    const runs = await db.query<{ tenant_id: string; worker: string; started_at: Date; ended_at: Date }>('SELECT tenant_id, worker, started_at, ended_at FROM step_runs ORDER BY started_at');
    const t1 = runs.filter((r) => r.tenant_id === 't1');
    for (let i = 1; i < t1.length; i++) assert.ok(t1[i]!.started_at >= t1[i - 1]!.ended_at, `t1 runs overlap: ${JSON.stringify(t1)}`);
    assert.ok(t1.length >= 2 && t1.length <= 15, `30 wake-ups collapsed into ${t1.length} runs`);
    const recorded = await db.query<{ status: string; triggers: string[] }>("SELECT status, triggers FROM sync_runs WHERE tenant_id = 't1'");
    assert.equal(recorded.length, t1.length);
    assert.ok(recorded.every((r) => r.status === 'succeeded' && r.triggers.includes('webhook')));
  });

  it('a failed run keeps its requests, and the retry serves them', async () => {
    await requestSync({ db, queue }, 'flaky', ['reconcile'], 'manual');
    await waitFor('flaky retried', async () => (await db.query("SELECT 1 FROM sync_runs WHERE tenant_id = 'flaky' AND status = 'succeeded'")).length === 1, 40_000);
    const statuses = (await db.query<{ status: string; error: string | null }>("SELECT status, error FROM sync_runs WHERE tenant_id = 'flaky' ORDER BY id")).map((r) => [r.status, r.error]);
    assert.deepEqual(statuses, [['failed', 'first run fails'], ['succeeded', null]]);
    assert.equal((await db.query("SELECT 1 FROM sync_requests WHERE tenant_id = 'flaky'")).length, 0);
  });
});

describe('heartbeat cron', () => {
  it('builds an every-N-minutes expression', () => {
    assert.equal(everyMinutesCron(5), '*/5 * * * *');
    assert.equal(everyMinutesCron(1), '* * * * *');
    assert.equal(everyMinutesCron(60), '0 * * * *');
    assert.throws(() => everyMinutesCron(0), /1–60/);
  });
});
