// lexoffice client against the simulator over real HTTP on an embedded store: the shared token bucket's
// cost per call, catalogue paging, invoice creation with totals, PDF download, and what the real
// 2 req/s budget means for a catalogue sync.
import { LexofficeClient } from '../src/connectors/lexoffice/index.ts';
import { StoreTokenBucket } from '../src/limits/token-bucket.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { startLexofficeSim } from '../sim/lexoffice/index.ts';

export const name = 'lexoffice client ↔ simulator';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

export async function run(): Promise<void> {
  const db = await openPglite();
  await migrate(db);
  const sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 2000, rateLimit: { ratePerSecond: 1e6, burst: 1e6 } });
  try {
    const bucket = new StoreTokenBucket(db, 'bench', { ratePerSecond: 1e6, burst: 1e6 });
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) await bucket.acquire();
    console.log(`store token bucket acquire (PGlite, uncontended): ${(ms(t0) / 500).toFixed(2)} ms`);

    const client = new LexofficeClient({ baseUrl: sim.url, apiKey: sim.apiKey, db, rateLimit: { ratePerSecond: 1e6, burst: 1e6 } });
    await client.getProfile();
    t0 = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) await client.getProfile();
    console.log(`small GET (bucket + HTTP + zod): ${(ms(t0) / 200).toFixed(2)} ms/call`);

    t0 = process.hrtime.bigint();
    let n = 0;
    for await (const _a of client.iterateArticles()) n++;
    const pages = Math.ceil(n / 250);
    console.log(`catalogue: ${n} articles in ${pages} pages, ${ms(t0).toFixed(0)} ms (${(ms(t0) / pages).toFixed(1)} ms/page) without the rate limit`);
    console.log(`  at the default 1.5 req/s the same sync needs ≥ ${((pages - 1) / 1.5).toFixed(1)} s of budget (${pages} calls)`);

    const contact = await client.createContact({ person: { lastName: 'Bench' }, billingAddress: { countryCode: 'DE' } });
    const lines = Array.from({ length: 20 }, (_, i) => ({
      type: 'custom' as const,
      name: `Artikel ${i}`,
      quantity: String(1 + (i % 3)),
      unitName: 'Stück',
      unitPrice: { currency: 'EUR' as const, grossAmount: (9.99 + i).toFixed(2), taxRatePercentage: i % 4 === 0 ? '7' : '19' },
    }));
    t0 = process.hrtime.bigint();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await client.createInvoice(
        {
          voucherDate: '2026-08-25T00:00:00.000+02:00',
          address: { contactId: contact.id },
          lineItems: lines,
          taxConditions: { taxType: 'gross' },
          shippingConditions: { shippingType: 'delivery', shippingDate: '2026-08-26T00:00:00.000+02:00' },
        },
        { finalize: true },
      );
      ids.push(r.id);
    }
    console.log(`create finalized invoice (20 lines, totals computed): ${(ms(t0) / 100).toFixed(2)} ms/invoice`);
    t0 = process.hrtime.bigint();
    let bytes = 0;
    for (const id of ids.slice(0, 50)) bytes += (await client.downloadInvoicePdf(id)).data.length;
    console.log(`download invoice PDF: ${(ms(t0) / 50).toFixed(2)} ms each, ${Math.round(bytes / 50)} bytes`);
  } finally {
    await sim.close();
    await db.close();
  }
}
