import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors.ts';
import { sleep } from '../../src/core/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { defineJob } from '../../src/sync/jobs.ts';
import { JobQueue } from '../../src/sync/queue.ts';
import { postgresAvailable, testPglite, testPostgres } from '../helpers/stores.ts';
import { doomedJob, flakyJob, recordJob, slowJob, statelyJob, TEST_JOB_TABLES } from '../fixtures/test-jobs.ts';
import { waitFor } from '../helpers/wait.ts';
import { startFixtureWorker } from '../helpers/process.ts';

const log = createLogger({ level: 'silent' });
const WORKER = fileURLToPath(new URL('../fixtures/job-worker.ts', import.meta.url));

const pg = await postgresAvailable();
const requireServer = process.env.VORTEX_TEST_REQUIRE_POSTGRES === '1';
if (!pg.ok && requireServer) throw new Error(`PostgreSQL required but unreachable: ${pg.reason}`);

describe('job queue on PostgreSQL with two worker processes', { skip: pg.ok ? false : `PostgreSQL unreachable: ${pg.reason}` }, () => {
  let db: Db & { url: string };
  let queue: JobQueue;
  const workers: ChildProcess[] = [];

  before(async () => {
    db = await testPostgres();
    await db.exec(TEST_JOB_TABLES);
    queue = await JobQueue.start({ db, databaseUrl: db.url, log, supervise: true });
    workers.push(await startFixtureWorker(WORKER, db.url, 'w1'), await startFixtureWorker(WORKER, db.url, 'w2'));
  });

  after(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await queue?.stop({ timeoutMs: 2000 });
    await db?.close();
  });

  it('shares 200 jobs between the processes and runs each exactly once', async () => {
    for (let n = 0; n < 200; n++) await queue.send(recordJob, { n });
    const runs = await waitFor('200 record runs', async () => {
      const rows = await db.query<{ job_id: string; worker: string }>("SELECT job_id, worker FROM job_runs WHERE job = 'record' AND ended_at IS NOT NULL");
      return rows.length >= 200 && rows;
    });
    await sleep(1000); // any duplicate execution would show up now
    const all = await db.query<{ job_id: string; worker: string }>("SELECT job_id, worker FROM job_runs WHERE job = 'record'");
    assert.equal(all.length, 200);
    assert.equal(new Set(all.map((r) => r.job_id)).size, 200);
    const byWorker = new Set(runs.map((r) => r.worker));
    assert.deepEqual([...byWorker].sort(), ['w1', 'w2'], 'both processes took work');
  });

  it('retries a failing job with growing (exponential) delays until it succeeds', async () => {
    await queue.send(flakyJob, { key: 'f1', failTimes: 3 });
    const rows = await waitFor('flaky success', async () => {
      const r = await db.query<{ attempt: number; ok: boolean; started_at: Date; ended_at: Date }>("SELECT attempt, ok, started_at, ended_at FROM job_runs WHERE job = 'flaky' ORDER BY attempt");
      return r.some((x) => x.ok) && r;
    }, 60_000);
    assert.deepEqual(rows.map((r) => [r.attempt, r.ok]), [[0, false], [1, false], [2, false], [3, true]]);
    const gaps = rows.slice(1).map((r, i) => r.started_at.getTime() - rows[i]!.ended_at.getTime());
    // retryDelay 1 s with backoff: each gap at least the base delay, and the last clearly longer than the first.
    assert.ok(gaps.every((g) => g >= 900), `gaps ${gaps.join(', ')} ms`);
    assert.ok(gaps[2]! > gaps[0]!, `backoff should grow: ${gaps.join(', ')} ms`);
  });

  it('moves a job that exhausts its retries to the dead-letter queue with its payload', async () => {
    const id = await queue.send(doomedJob, { key: 'd1' });
    assert.ok(id);
    await waitFor('dead letter', async () => (await queue.boss.findJobs('test.doomed.dead', { data: { key: 'd1' } })).length > 0, 30_000);
    const attempts = await db.query("SELECT attempt FROM job_runs WHERE job = 'doomed'");
    assert.equal(attempts.length, 2, 'first run + retryLimit 1');
    const dead = await queue.boss.findJobs<{ key: string }>('test.doomed.dead', { data: { key: 'd1' } });
    assert.deepEqual(dead[0]!.data, { key: 'd1' });
  });

  it('de-duplicates by singleton key: a burst of sends leaves one queued job per key', async () => {
    const ids = [];
    // Deferred 2 s so no worker takes the first before the burst is over.
    for (let i = 0; i < 5; i++) ids.push(await queue.send(statelyJob, { key: 'same' }, { singletonKey: 'conn-1', startAfterSeconds: 2 }));
    assert.ok(await queue.send(statelyJob, { key: 'other' }, { singletonKey: 'conn-2', startAfterSeconds: 2 }), 'another key is independent');
    assert.equal(ids.filter(Boolean).length, 1, `only the first send creates a job: ${JSON.stringify(ids)}`);
    await waitFor('stately run', async () => (await db.query("SELECT 1 FROM job_runs WHERE job = 'stately' AND ended_at IS NOT NULL")).length > 0);
    await sleep(1500);
    assert.equal((await db.query("SELECT 1 FROM job_runs WHERE job = 'stately'")).length, 2, 'one run per key');
  });

  it('refuses an invalid payload at send time', async () => {
    await assert.rejects(queue.send(recordJob, { n: 'x' as unknown as number }));
  });

  it('shuts down gracefully: a running job finishes before the process exits', async () => {
    await queue.send(slowJob, { ms: 1500 });
    const started = await waitFor('slow job started', async () => db.maybeOne<{ worker: string }>("SELECT worker FROM job_runs WHERE job = 'slow'"));
    const w = workers[started.worker === 'w1' ? 0 : 1]!;
    const exited = new Promise<number | null>((r) => w.on('exit', r));
    w.kill('SIGTERM');
    assert.equal(await exited, 0);
    const row = await db.one<{ ended_at: Date | null; ok: boolean | null }>("SELECT ended_at, ok FROM job_runs WHERE job = 'slow'");
    assert.ok(row.ended_at, 'the job finished before exit');
    assert.equal(row.ok, true);
  });
});

describe('job queue on embedded PGlite (in-process worker)', () => {
  let db: Db;
  let queue: JobQueue;
  before(async () => {
    db = await testPglite();
    queue = await JobQueue.start({ db, log, cronCheckSeconds: 2 });
  });
  after(async () => {
    await queue?.stop({ timeoutMs: 2000 });
    await db?.close();
  });

  it('per-tenant groups: a burst of one tenant runs a few at a time and another tenant is not kept waiting', async () => {
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const finished: string[] = [];
    const work = defineJob({
      name: 'test.fair',
      payload: z.object({ tenantId: z.string(), n: z.number() }),
      localConcurrency: 4,
      perGroup: { groupOf: (p) => p.tenantId, concurrency: 2 },
    });
    await queue.work(work, async (p) => {
      running.set(p.tenantId, (running.get(p.tenantId) ?? 0) + 1);
      peak.set(p.tenantId, Math.max(peak.get(p.tenantId) ?? 0, running.get(p.tenantId)!));
      await sleep(300);
      running.set(p.tenantId, running.get(p.tenantId)! - 1);
      finished.push(`${p.tenantId}/${p.n}`);
    });
    for (let n = 0; n < 12; n++) await queue.send(work, { tenantId: 'big', n });
    await queue.send(work, { tenantId: 'small', n: 0 });
    await waitFor('all 13 jobs', async () => finished.length === 13, 60_000);
    assert.equal(peak.get('big'), 2, 'never more than 2 of one tenant at once');
    assert.ok(finished.indexOf('small/0') < 6, `the other tenant's job ran early, not after the burst (${finished.join(' ')})`);
  });

  it('runs jobs, dead-letters a permanent failure at once, and fires a cron schedule', async () => {
    const seen: number[] = [];
    const echo = defineJob({ name: 'test.echo', payload: z.object({ n: z.number() }) });
    await queue.work(echo, async (p) => {
      seen.push(p.n);
    });
    await queue.send(echo, { n: 1 });
    await queue.send(echo, { n: 2 });
    await waitFor('echo', async () => seen.length === 2);
    assert.deepEqual(seen.sort(), [1, 2]);

    let attempts = 0;
    const permanent = defineJob({ name: 'test.permanent', payload: z.object({}), retryLimit: 5 });
    await queue.work(permanent, async () => {
      attempts++;
      throw new ValidationError('bad input that no retry fixes');
    });
    await queue.send(permanent, {});
    await waitFor('permanent dead letter', async () => (await queue.boss.findJobs('test.permanent.dead')).length > 0);
    assert.equal(attempts, 1, 'a non-retryable error is not retried');

    const ticks: string[] = [];
    const tick = defineJob({ name: 'test.tick', payload: z.object({ from: z.string() }) });
    await queue.work(tick, async (p) => {
      ticks.push(p.from);
    });
    await queue.schedule(tick, '* * * * *', { from: 'cron' });
    await waitFor('cron tick', async () => ticks.length > 0, 30_000);
    assert.equal(ticks[0], 'cron');
  });
});
