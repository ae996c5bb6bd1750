import type { ChannelProduct, OfferChannel } from '../catalog/ports.ts';
import { pushQuantities } from '../catalog/push-batch.ts';
import { Decimal } from '../core/decimal.ts';
import { markMissing } from '../catalog/offers-repo.ts';
import { addSyncRequest } from '../sync/requests.ts';
import type { SyncStepContext } from '../sync/run-sync.ts';
import type { StockLedger } from './ledger.ts';

const STEP = 'reconcile';

/**
 * Read Cel.ro back and repair drift: every listed offer whose quantity on Cel.ro differs from what the
 * policy allows now is corrected and the correction recorded. Less on Cel.ro than Vortex pushed usually
 * means sales there that are not imported yet — flagged as such. Approval verdicts (waiting, approved,
 * rejected with CEL's reason) are refreshed on the way; an offer that vanished from Cel.ro is marked
 * unlisted so the next publish lists it again.
 */
export async function reconcile(ctx: SyncStepContext, deps: { channel: OfferChannel; ledger: StockLedger }): Promise<void> {
  const [live, waiting, rejected] = await Promise.all([deps.channel.readAllProducts(), deps.channel.allWaitingProducts(), deps.channel.allRejectedProducts()]);
  const onCel = new Map<string, ChannelProduct>(live.map((p) => [p.model, p]));
  const waitingSet = new Set(waiting.map((p) => p.model));
  const rejectedReason = new Map(rejected.map((p) => [p.model, p.reason ?? 'rejected']));
  for (const p of [...waiting, ...rejected]) if (!onCel.has(p.model)) onCel.set(p.model, p);

  const offers = await ctx.db.query<{ sku: string; pushed_qty: number | null; active: boolean; approval: string; approval_reason: string | null; pushed_price: string | null }>(
    "SELECT sku, pushed_qty, active, approval, approval_reason, pushed->>'pretf' AS pushed_price FROM channel_offers WHERE tenant_id = $1 AND listed ORDER BY sku",
    [ctx.tenantId],
  );
  ctx.run.count(STEP, 'read', offers.length);
  // Offers Cel.ro no longer shows: ask why (its last import may have refused them) before listing again.
  const why = await missingReasons(ctx, deps.channel, offers.filter((o) => !onCel.has(o.sku)).map((o) => o.sku));
  const levels = new Map((await deps.ledger.published(ctx.tenantId, offers.map((o) => o.sku))).map((l) => [l.sku, l.published]));
  const corrections: Array<{ sku: string; qty: number }> = [];
  let republish = 0;

  for (const o of offers) {
    const p = onCel.get(o.sku);
    if (!p) {
      const said = why.get(o.sku);
      await markMissing(ctx.db, ctx.tenantId, o.sku, said ? `not found at reconcile; Cel.ro's import status: ${said}` : 'not found at reconcile');
      await drift(ctx, o.sku, null, levels.get(o.sku) ?? 0, `offer missing on Cel.ro${said ? ` (${said})` : ''}: it will be listed again`);
      republish++;
      continue;
    }
    if (o.active && p.price !== null && o.pushed_price !== null && !samePrice(p.price, o.pushed_price)) {
      // Someone (or something) changed the price on Cel.ro: remember what is there, so the publish
      // plans the way back to the mapped price (through the price guard like any other change).
      await ctx.db.query("UPDATE channel_offers SET pushed = jsonb_set(pushed, '{pretf}', to_jsonb($3::text)), pushed_hash = NULL, updated_at = now() WHERE tenant_id = $1 AND sku = $2", [
        ctx.tenantId,
        o.sku,
        p.price,
      ]);
      ctx.run.count(STEP, 'price-drift');
      republish++;
    }
    const approval = rejectedReason.has(o.sku) ? 'rejected' : waitingSet.has(o.sku) ? 'pending' : 'approved';
    const reason = rejectedReason.get(o.sku) ?? null;
    if (approval !== o.approval || reason !== o.approval_reason) {
      await ctx.db.query('UPDATE channel_offers SET approval = $3, approval_reason = $4, updated_at = now() WHERE tenant_id = $1 AND sku = $2', [ctx.tenantId, o.sku, approval, reason]);
      ctx.run.count(STEP, `approval.${approval}`);
    }
    const expected = o.active ? (levels.get(o.sku) ?? 0) : 0;
    if (p.stock === null || p.stock === expected) continue;
    const note =
      o.pushed_qty !== null && p.stock < o.pushed_qty
        ? `Cel.ro shows ${p.stock}, Vortex pushed ${o.pushed_qty}: probably sales on Cel.ro not imported yet`
        : `Cel.ro shows ${p.stock}, policy allows ${expected}: corrected`;
    await drift(ctx, o.sku, p.stock, expected, note);
    corrections.push({ sku: o.sku, qty: expected });
  }
  await pushQuantities(ctx, STEP, deps.channel, corrections);
  if (republish) await addSyncRequest(ctx.db, ctx.tenantId, ['catalog', 'stock'], 'reconcile-repair');
}

/** Equal to the ban (Cel.ro prices have 2 decimals); anything unparsable compares as text. */
function samePrice(a: string, b: string): boolean {
  try {
    return new Decimal(a).toDecimalPlaces(2).equals(new Decimal(b).toDecimalPlaces(2));
  } catch {
    return a === b;
  }
}

async function drift(ctx: SyncStepContext, sku: string, seen: number | null, expected: number, note: string): Promise<void> {
  ctx.run.count(STEP, 'drift');
  await ctx.db.query('INSERT INTO stock_drift (tenant_id, run_id, sku, seen_qty, expected_qty, note) VALUES ($1, $2, $3, $4, $5, $6)', [ctx.tenantId, ctx.run.runId, sku, seen, expected, note]);
}

/** Cel.ro's reason per missing model, from `import/productImportStatus`; none when it cannot say (never fails the run). */
async function missingReasons(ctx: SyncStepContext, channel: OfferChannel, models: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (models.length === 0) return out;
  try {
    for (const s of await channel.getProductImportStatus(models)) if (s.reason && (s.state === 'failed' || s.state === 'rejected')) out.set(s.model, `${s.state}: ${s.reason}`);
  } catch (e) {
    ctx.log.warn({ err: (e as Error).message, models: models.length }, 'could not read the import status of missing offers; listing them again anyway');
  }
  return out;
}
