// Order import on an idle system with production API limits (lexoffice 2 req/s per key, Vortex pacing
// at its default 1.5 req/s): p50/p95 latency from the Cel.ro push to the lexoffice document, and
// lexoffice calls per order (first-time buyers: contact search + create, document create + read).
// Orders are placed one at a time, each after the previous one's document exists (idle system).
// The import runs in this process on PostgreSQL (PGlite when no server is reachable).
import { registerInvoiceJob } from '../src/fulfilment/invoice-job.ts';
import { registerOrderJobs } from '../src/orders/register-jobs.ts';
import { orderWorld, quantile } from '../test/helpers/order-chaos.ts';
import { postgresAvailable } from '../test/helpers/stores.ts';
import { waitFor } from '../test/helpers/wait.ts';
import { TENANT } from '../test/helpers/world.ts';

export const name = 'orders: push → lexoffice document on an idle system (production limits)';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 20);

export async function run(): Promise<void> {
  if (!(await postgresAvailable()).ok) {
    console.log('skipped: PostgreSQL unreachable');
    return;
  }
  const { w, skus } = await orderWorld({ lexofficeRatePerSecond: 1.5 });
  try {
    w.lex.setRateLimit({ ratePerSecond: 2, burst: 2 });
    await registerOrderJobs(w.ctx, w.engine);
    await registerInvoiceJob(w.ctx);
    w.lex.clearRequests();
    const lat: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const t0 = Date.now();
      const r = await fetch(`${w.cel.origin}/_sim/orders`, { method: 'POST', body: JSON.stringify({ lines: [{ model: skus[i % skus.length], quantity: 1 }] }) });
      const id = String(((await r.json()) as { order: { id_comanda: number } }).order.id_comanda);
      await waitFor(`order ${id} imported`, async () => (await w.db.maybeOne("SELECT 1 AS x FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2 AND document_id IS NOT NULL", [TENANT, id])) !== undefined, 60_000, 50);
      lat.push((Date.now() - t0) / 1000);
      // The finalized invoice's PDF onto the Cel.ro order (before the next order: an idle system).
      await waitFor(`invoice of ${id} attached`, async () => (await w.db.maybeOne("SELECT 1 AS x FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2 AND invoice_state = 'attached'", [TENANT, id])) !== undefined, 60_000, 50);
    }
    const calls = w.lex.requests().length;
    const pdf = (await w.db.query<{ s: number }>(
      `SELECT extract(epoch FROM o.invoice_attached_at - e.at)::float AS s FROM channel_orders o
       JOIN order_events e ON e.order_id = o.id AND e.to_state = 'document_created' WHERE o.tenant_id = $1 AND o.invoice_attached_at IS NOT NULL`,
      [TENANT],
    )).map((r) => Number(r.s));
    console.log(`invoice finalized in lexoffice → PDF on the Cel.ro order: p50 ${quantile(pdf, 0.5).toFixed(2)} s, p95 ${quantile(pdf, 0.95).toFixed(2)} s`);
    console.log(`orders ${ORDERS}: push → document p50 ${quantile(lat, 0.5).toFixed(2)} s, p95 ${quantile(lat, 0.95).toFixed(2)} s (goal ≤ 5 s), max ${Math.max(...lat).toFixed(2)} s`);
    console.log(`lexoffice calls per order (document and its PDF): ${(calls / ORDERS).toFixed(2)} (429 answers: ${w.lex.requests().filter((q) => q.status === 429).length})`);
  } finally {
    await w.close();
  }
}
