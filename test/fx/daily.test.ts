import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { registerFxJobs } from '../../src/fx/daily.ts';
import { fxImportJob } from '../../src/fx/job.ts';
import { FxRateRepository } from '../../src/fx/repository.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { testContext } from '../helpers/app.ts';
import { testPglite } from '../helpers/stores.ts';

const B = readFileSync(new URL('../fixtures/fx/bnr-10days-2026-08-24-synthetic.xml', import.meta.url), 'utf8');

describe('daily FX import job', () => {
  let server: Server;
  let url: string;
  let hits = 0;
  before(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'text/xml' }).end(B);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nbrfxrates.xml`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('config: defaults, lists and refusals', () => {
    assert.deepEqual(loadConfig({}).fx, { urls: { BNR: 'https://curs.bnr.ro/nbrfxrates.xml', ECB: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml' }, daily: ['BNR'] });
    assert.deepEqual(loadConfig({ VORTEX_FX_DAILY: 'BNR,ECB' }).fx.daily, ['BNR', 'ECB']);
    assert.deepEqual(loadConfig({ VORTEX_FX_DAILY: 'none' }).fx.daily, []);
    assert.throws(() => loadConfig({ VORTEX_FX_DAILY: 'FED' }), /VORTEX_FX_DAILY/);
    assert.throws(() => loadConfig({ VORTEX_FX_BNR_URL: 'ftp://x' }), /VORTEX_FX_BNR_URL/);
  });

  it('the worker fetches the configured feed and appends the rates; the schedule is registered', async () => {
    const db = await testPglite();
    const ctx = await testContext(db, { VORTEX_FX_BNR_URL: url });
    try {
      await registerFxJobs(ctx);
      const schedules = await db.query<{ name: string; key: string; cron: string; timezone: string }>(`SELECT name, key, cron, timezone FROM pgboss.schedule`);
      assert.deepEqual(schedules.map((s) => [s.name, s.key, s.cron, s.timezone]), [['fx.import', 'BNR', '20 13 * * 1-5', 'Europe/Bucharest']]);
      await ctx.queue.send(fxImportJob, { source: 'BNR' });
      const repo = new FxRateRepository(db);
      const deadline = Date.now() + 20_000;
      let latest = await repo.latest('BNR');
      while (latest?.count !== 6 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        latest = await repo.latest('BNR');
      }
      assert.deepEqual(latest, { date: '2026-08-24', count: 6 });
      assert.equal(hits, 1);
    } finally {
      await ctx.stop();
      await db.close();
    }
  });
});
