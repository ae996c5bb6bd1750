import type { CelroSim } from '../../sim/celro/index.ts';
import type { Db } from '../../src/store/db.ts';
import { StockLedger } from '../../src/stock/ledger.ts';

/**
 * Does the Cel.ro simulator show exactly the mapped catalog? Every active, non-archived offer Vortex
 * mapped is there with the mapped price and the policy's quantity, and nothing else is listed.
 * Returns the differences (empty when equal), readable in an assertion message.
 */
export async function celroDiffersFromCatalog(db: Db, cel: CelroSim, tenantId: string): Promise<string[]> {
  const offers = await db.query<{ sku: string; price: string; status: string | null }>(
    `SELECT o.sku, o.desired->>'pretf' AS price, o.desired->>'status' AS status
     FROM channel_offers o JOIN catalog_products c ON c.tenant_id = o.tenant_id AND c.sku = o.sku
     WHERE o.tenant_id = $1 AND o.desired IS NOT NULL AND NOT c.archived ORDER BY o.sku`,
    [tenantId],
  );
  const levels = new Map((await new StockLedger(db).published(tenantId)).map((l) => [l.sku, l.published]));
  const diffs: string[] = [];
  const wanted = new Set<string>();
  for (const o of offers) {
    wanted.add(o.sku);
    const p = cel.state.products.get(o.sku);
    if (!p) {
      diffs.push(`${o.sku}: missing on Cel.ro`);
      continue;
    }
    if (p.price !== o.price) diffs.push(`${o.sku}: price ${p.price} on Cel.ro, mapped ${o.price}`);
    const qty = levels.get(o.sku) ?? 0;
    if (p.stock !== qty) diffs.push(`${o.sku}: stock ${p.stock} on Cel.ro, policy ${qty}`);
    if (p.active !== 1) diffs.push(`${o.sku}: inactive on Cel.ro`);
  }
  for (const [sku, p] of cel.state.products) if (!wanted.has(sku) && p.active === 1) diffs.push(`${sku}: listed on Cel.ro but not in the mapped catalog`);
  return diffs;
}
