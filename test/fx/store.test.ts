import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { UpstreamError, ValidationError } from '../../src/core/errors.ts';
import { importFeedText, importFeedUrl } from '../../src/fx/import.ts';
import { FxRateRepository } from '../../src/fx/repository.ts';
import type { Db } from '../../src/store/db.ts';
import { storeVariants } from '../helpers/stores.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/fx/${name}`, import.meta.url), 'utf8');
const B = fixture('bnr-10days-2026-08-24-synthetic.xml');
const C = fixture('ecb-2024-06-28.xml');

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/nbrfxrates.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(B);
    else if (req.url === '/eurofxref-daily.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(C);
    else if (req.url === '/old-bnr') res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Curs valutar</body></html>');
    else res.writeHead(503).end('maintenance');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

for (const variant of await storeVariants()) {
  describe(`FX rate table (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db;
    before(async () => (db = await variant.open()));
    after(async () => db?.close());

    it('imports a feed, re-imports idempotently, reports (and refuses) a changed publication', async () => {
      const first = await importFeedText(db, B, 'fixture-b.xml');
      assert.deepEqual([first.source, first.inserted, first.unchanged, first.conflicts.length], ['BNR', 6, 0, 0]);
      assert.deepEqual(first.days, ['2026-08-20', '2026-08-21', '2026-08-24']);
      const again = await importFeedText(db, B, 'fixture-b.xml');
      assert.deepEqual([again.inserted, again.unchanged, again.conflicts.length], [0, 6, 0]);
      const changed = await importFeedText(db, B.replace('5.2581', '5.2599'), 'tampered.xml');
      assert.deepEqual(changed.conflicts, [{ currency: 'EUR', date: '2026-08-21', stored: '5.2581/1', offered: '5.2599/1' }]);
      const stored = await new FxRateRepository(db).between('BNR', ['EUR'], '2026-08-21', '2026-08-21');
      assert.equal(stored[0]!.rate, '5.2581');
    });

    it('loads a RateBook applying the weekend rule from the table', async () => {
      const book = await new FxRateRepository(db).book([{ source: 'BNR', currencies: ['EUR', 'HUF'] }], '2026-08-22', '2026-08-25');
      assert.equal(book.fixingFor('BNR', 'EUR', '2026-08-23').rate, '5.2581');
      assert.equal(book.fixingFor('BNR', 'EUR', '2026-08-25').rate, '5.2610');
      assert.equal(book.quote('BNR', 'HUF', 'RON', '2026-08-25').factor.toFixed(), '0.014471');
    });

    it('fetches from a URL (BNR and ECB), refuses HTML and reports HTTP failures as retryable', async () => {
      const ecb = await importFeedUrl(db, `${base}/eurofxref-daily.xml`, 'ECB');
      assert.deepEqual([ecb.source, ecb.inserted, ecb.origin], ['ECB', 6, `${base}/eurofxref-daily.xml`]);
      const bnr = await importFeedUrl(db, `${base}/nbrfxrates.xml`, 'BNR');
      assert.equal(bnr.unchanged, 6);
      await assert.rejects(importFeedUrl(db, `${base}/old-bnr`, 'BNR'), (e: unknown) => e instanceof ValidationError && /HTML/.test(e.message));
      await assert.rejects(importFeedUrl(db, `${base}/gone`, 'BNR'), (e: unknown) => e instanceof UpstreamError && e.retryable && e.status === 503);
      assert.deepEqual(await new FxRateRepository(db).latest('ECB'), { date: '2024-06-28', count: 6 });
    });
  });
}
