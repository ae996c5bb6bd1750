import { markQtyWanted } from '../catalog/offers-repo.ts';
import type { OfferChannel } from '../catalog/ports.ts';
import { pushQuantities } from '../catalog/push-batch.ts';
import type { SyncStepContext } from '../sync/run-sync.ts';
import type { StockLedger } from './ledger.ts';

const STEP = 'stock.push';

/**
 * Push the quantities that changed: for every offer listed and active on Cel.ro, the policy's published
 * quantity now versus the quantity last pushed. Unchanged quantities cost no call at all.
 */
export async function pushStock(ctx: SyncStepContext, deps: { channel: OfferChannel; ledger: StockLedger }): Promise<void> {
  const offers = await ctx.db.query<{ sku: string; pushed_qty: number | null; published_qty: number | null }>(
    'SELECT sku, pushed_qty, published_qty FROM channel_offers WHERE tenant_id = $1 AND listed AND active ORDER BY sku',
    [ctx.tenantId],
  );
  if (offers.length === 0) return;
  const levels = new Map((await deps.ledger.published(ctx.tenantId, offers.map((o) => o.sku))).map((l) => [l.sku, l.published]));
  const changes = offers.map((o) => ({ sku: o.sku, qty: levels.get(o.sku) ?? 0, was: o.pushed_qty, wanted: o.published_qty })).filter((c) => c.qty !== c.was);
  await markQtyWanted(ctx.db, ctx.tenantId, changes.filter((c) => c.qty !== c.wanted));
  ctx.run.count(STEP, 'read', offers.length);
  ctx.run.count(STEP, 'changed', changes.length);
  await pushQuantities(ctx, STEP, deps.channel, changes);
}
