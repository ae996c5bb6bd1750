// Cel.ro client against the simulator over real HTTP on an embedded store: per-call overhead
// (semaphore lease + token + form encoding + envelope), catalogue push throughput under the
// connection cap, and order reads.
import { CelroClient, type CelroImportItem } from '../src/connectors/celro/client.ts';
import { StoreSemaphore } from '../src/limits/semaphore.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import { startCelroSim } from '../sim/celro/server.ts';

export const name = 'celro client ↔ simulator';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

export async function run(): Promise<void> {
  const db = await openPglite();
  await migrate(db);
  const sim = await startCelroSim({ port: 0 });
  try {
    const sem = new StoreSemaphore(db);
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < 500; i++) await (await sem.acquire('bench', 4)).release();
    console.log(`semaphore acquire+release (PGlite, uncontended): ${(ms(t0) / 500).toFixed(2)} ms`);

    const client = new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db, maxInFlight: 4 });
    await client.getCouriers();
    t0 = process.hrtime.bigint();
    for (let i = 0; i < 300; i++) await client.getOrderStatusList();
    console.log(`sequential small call (cap slot + POST + envelope): ${(ms(t0) / 300).toFixed(2)} ms/call`);

    const items: CelroImportItem[] = Array.from({ length: 1000 }, (_, i) => ({
      products_model: `B-${i}`,
      products_name: `Produs ${i}`,
      manufacturers_name: 'Vortex',
      categories_id: 1234,
      pretf: '49.90',
      stoc: 10,
      hasTVA: 1,
      products_image: `https://example.invalid/${i}.jpg`,
    }));
    t0 = process.hrtime.bigint();
    await client.importProducts(items);
    console.log(`import/importer 1000 products (20 batches of 50, sequential): ${ms(t0).toFixed(0)} ms`);

    for (const latency of [0, 50]) {
      sim.config.latencyMs = latency;
      sim.resetStats();
      const updates = items.map((it, i) => ({ model: it.products_model, stock: 5 + (i % 7), price: '51.00' }));
      const groups = Array.from({ length: 20 }, (_, g) => updates.slice(g * 50, g * 50 + 50));
      t0 = process.hrtime.bigint();
      await Promise.all(groups.map((g) => client.updateStockAndPrice(g)));
      const took = ms(t0);
      console.log(
        `updateStockAndPrice 1000 offers as 20 concurrent calls, cap 4, server latency ${latency} ms: ${took.toFixed(0)} ms ` +
          `(${((1000 / took) * 1000).toFixed(0)} offers/s; max in flight at server ${sim.stats.maxInFlight})`,
      );
    }
    sim.config.latencyMs = 0;
    for (let i = 0; i < 120; i++) await sim.placeOrder({ lines: [{ model: `B-${i}`, quantity: 1 }] });
    t0 = process.hrtime.bigint();
    const list = await client.listOrders({ minOrder: 0 });
    const listMs = ms(t0);
    t0 = process.hrtime.bigint();
    await Promise.all(list.map((o) => client.getOrder(o.id)));
    console.log(`listOrders ${list.length} orders (3 pages): ${listMs.toFixed(0)} ms; getOrder ×${list.length} (cap 4): ${ms(t0).toFixed(0)} ms`);
  } finally {
    await sim.close();
    await db.close();
  }
}
