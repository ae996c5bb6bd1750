import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../src/core/clock.ts';
import { requestSync } from '../../src/sync/request-sync.ts';
import { postgresAvailable, storeVariants } from '../helpers/stores.ts';
import { startVortex } from '../helpers/process.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

const pg = await postgresAvailable();
const postgres = (await storeVariants()).find((v) => v.name === 'postgres')!;

describe('two `vortex worker` processes on one PostgreSQL, real simulators', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, () => {
  let w: World;
  const workers: ChildProcess[] = [];
  before(async () => {
    w = await startWorld(postgres, { articles: 40 });
    const url = (w.db as unknown as { url: string }).url;
    const env = { DATABASE_URL: url, VORTEX_SECRET_KEY: w.secretKey, LOG_LEVEL: 'info', VORTEX_FX_DAILY: 'none' };
    for (let i = 0; i < 2; i++) workers.push((await startVortex(['worker'], env, /vortex running/)).child);
  });
  after(async () => {
    for (const c of workers) {
      const exited = new Promise((r) => c.on('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
    await w?.close();
  });

  it('share the tenant’s runs without ever running two at once, and publish the catalog', async () => {
    for (let i = 0; i < 12; i++) {
      await requestSync({ db: w.db, queue: w.ctx.queue }, TENANT, i % 3 === 0 ? ['catalog', 'stock'] : ['stock'], 'test');
      await w.ledger.adjust(TENANT, w.articles.find((a) => a.articleNumber && !a.archived)!.articleNumber!, 1, { reason: 'restock', author: 'test', source: 'test' });
      await sleep(150);
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const pending = await w.db.query('SELECT 1 FROM sync_requests WHERE tenant_id = $1', [TENANT]);
      const running = await w.db.query("SELECT 1 FROM sync_runs WHERE tenant_id = $1 AND status = 'running'", [TENANT]);
      if (pending.length === 0 && running.length === 0) break;
      await sleep(300);
    }
    const runs = await w.db.query<{ started_at: Date; finished_at: Date; status: string; job_id: string }>('SELECT started_at, finished_at, status, job_id FROM sync_runs WHERE tenant_id = $1 ORDER BY started_at', [TENANT]);
    assert.ok(runs.length >= 2, `runs: ${runs.length}`);
    for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.started_at >= runs[i - 1]!.finished_at, `runs ${i - 1} and ${i} overlap`);
    assert.ok(runs.every((r) => r.status === 'succeeded'), JSON.stringify(runs.map((r) => r.status)));
    assert.ok(w.cel.state.products.size >= 30, 'the catalog reached Cel.ro');
  });
});
