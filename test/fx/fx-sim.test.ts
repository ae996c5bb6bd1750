import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importFeedUrl } from '../../src/fx/import.ts';
import { startFxSim } from '../../sim/fx/server.ts';
import { testPglite } from '../helpers/stores.ts';

describe('FX feed simulator', () => {
  it('serves BNR and ECB feeds that the real importers accept, dated around "today"', async () => {
    const sim = await startFxSim({ clock: () => new Date('2026-11-29T10:00:00Z') }); // a Sunday
    const db = await testPglite();
    try {
      const ten = await importFeedUrl(db, sim.bnr10DaysUrl, 'BNR');
      assert.ok(ten.inserted >= 40, `inserted ${ten.inserted}`);
      const days = await db.query<{ d: string }>("SELECT DISTINCT rate_date::text AS d FROM fx_rates WHERE source = 'BNR' ORDER BY 1");
      assert.equal(days.at(-1)!.d, '2026-11-27', 'the last banking day before the Sunday');
      assert.ok(!days.some((r) => ['2026-11-28', '2026-11-29'].includes(r.d)), 'no weekend publications');
      const daily = await importFeedUrl(db, sim.bnrUrl, 'BNR');
      assert.equal(daily.inserted, 0, 'the daily file repeats the last day');
      const ecb = await importFeedUrl(db, sim.ecbUrl, 'ECB');
      assert.ok(ecb.inserted >= 4);
    } finally {
      await sim.close();
      await db.close();
    }
  });
});
