import { errorMessage, isVortexError } from '../core/errors.ts';
import type { SyncStepContext } from '../sync/run-sync.ts';
import { addSyncRequest } from '../sync/requests.ts';
import { markError, markMissing, markQtyPushed, markRefused } from './offers-repo.ts';
import type { BatchOutcome, OfferChannel } from './ports.ts';

/**
 * Send one batch and settle each item. A refused item is recorded with CEL's reason (and not sent again
 * until what Vortex wants for it changes); a batch that fails
 * as a whole (outcome unknown, server error) leaves its items unpushed, so the next run sends them again
 * (Cel.ro writes are keyed by the model, so a repeat is harmless). Bad credentials stop the run.
 */
export async function pushBatch(ctx: SyncStepContext, step: string, skus: readonly string[], send: () => Promise<BatchOutcome>, onAccepted: (skus: readonly string[]) => Promise<void>): Promise<void> {
  let result: BatchOutcome;
  try {
    result = await send();
  } catch (e) {
    if (isVortexError(e) && e.code === 'auth_failed') throw e;
    for (const sku of skus) {
      await ctx.run.failure(step, sku, e);
      await markError(ctx.db, ctx.tenantId, sku, errorMessage(e));
    }
    return;
  }
  const refused = new Map(result.rejected.map((r) => [r.model, r.reason]));
  const missing: string[] = [];
  for (const [sku, reason] of refused) {
    if (!skus.includes(sku)) continue;
    if (saysProductMissing(reason)) {
      // Cel.ro's answer beats Vortex's memory: the product is not there (lost listing, a crash between
      // the create and its record, a reset account), so it is listed again — not parked as refused.
      await ctx.run.failure(step, sku, new Error(`Cel.ro does not have this product (${reason}): it will be listed again`));
      await markMissing(ctx.db, ctx.tenantId, sku, reason);
      missing.push(sku);
      continue;
    }
    await ctx.run.failure(step, sku, new Error(`Cel.ro refused: ${reason}`));
    await markRefused(ctx.db, ctx.tenantId, sku, reason);
  }
  if (missing.length) {
    ctx.run.count(step, 'missing', missing.length);
    await addSyncRequest(ctx.db, ctx.tenantId, ['catalog', 'stock'], 'relist', { skus: missing.slice(0, 100) });
  }
  const accepted = skus.filter((sku) => !refused.has(sku));
  if (accepted.length) await onAccepted(accepted);
  ctx.run.count(step, 'pushed', accepted.length);
}

/** CEL's "Produsul X nu exista (in contul dumneavoastra)": the model is unknown to the account. */
export function saysProductMissing(reason: string): boolean {
  return /\bprodusul\b.*\bnu (mai )?exist/i.test(reason);
}

export function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Run `fn` over the items with at most `lanes` running at once: batches go to Cel.ro side by side up to
 * the connection budget (the client's store-wide semaphore is the real cap; this keeps it busy). After a
 * failure no new item starts; the running ones finish; the first failure is rethrown.
 */
export async function inLanes<T>(items: readonly T[], lanes: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  if (failure) throw failure.error;
}

/** Send quantities (stock only) in batches of 50, `lanes` at once, and record the ones Cel.ro accepted. */
export async function pushQuantities(ctx: SyncStepContext, step: string, channel: OfferChannel, rows: ReadonlyArray<{ sku: string; qty: number }>, lanes = 1): Promise<void> {
  await inLanes(chunks(rows, 50), lanes, async (batch) => {
    ctx.signal.throwIfAborted(); // checkpoint: batches already accepted are recorded
    await pushBatch(ctx, step, batch.map((c) => c.sku), () => channel.updateStockAndPrice(batch.map((c) => ({ model: c.sku, stock: c.qty }))), async (skus) => {
      const accepted = new Set(skus);
      await markQtyPushed(ctx.db, ctx.tenantId, batch.filter((c) => accepted.has(c.sku)));
    });
  });
}
