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
export async function pushStock(ctx: SyncStepContext, deps: { channel: OfferChannel; ledger: StockLedger; lanes?: number }): Promise<void> {
  const offers = await deps.ledger.listedOffers(ctx.tenantId);
  if (offers.length === 0) return;
  const changes = offers.map((o) => ({ sku: o.sku, qty: o.published, was: o.pushedQty, wanted: o.wantedQty })).filter((c) => c.qty !== c.was);
  await markQtyWanted(ctx.db, ctx.tenantId, changes.filter((c) => c.qty !== c.wanted));
  ctx.run.count(STEP, 'read', offers.length);
  ctx.run.count(STEP, 'changed', changes.length);
  await pushQuantities(ctx, STEP, deps.channel, changes, deps.lanes);
}
