import type { MappingEngine } from '../mapping/engine.ts';
import { catalogInput } from '../mapping/inputs.ts';
import { productFromStored } from '../mapping/catalog-source.ts';
import { canonicalJson, parseJsonLossless, sha256 } from '../mapping/json.ts';
import type { StockLedger } from '../stock/ledger.ts';
import type { SyncStepContext } from '../sync/run-sync.ts';
import { type DesiredRow, loadOffers, markDeactivated, markHeld, markPushed, offerState, saveDesired } from './offers-repo.ts';
import { planOffer, type PlanSettings } from './plan.ts';
import type { OfferChannel } from './ports.ts';
import { chunks, inLanes, pushBatch } from './push-batch.ts';

const STEP = 'catalog.publish';
const CHUNK = 500;
const BATCH = 50;

export interface PublishSettings extends PlanSettings {
  /** lexoffice services (not physical goods) are not listed on Cel.ro unless this is set. */
  readonly publishServices: boolean;
}

export interface PublishDeps {
  readonly engine: MappingEngine;
  readonly channel: OfferChannel;
  readonly ledger: StockLedger;
  readonly settings: PublishSettings;
  /** Batches sent to Cel.ro at once (the connection's maxInFlight; default 1). */
  readonly lanes?: number;
}

interface Desired {
  readonly sku: string;
  readonly fields: Record<string, unknown>;
  readonly hash: string;
  readonly qty: number;
  readonly ruleVersionId: number | null;
}

/**
 * Evaluate the active catalog rule set over the stored catalog and push to Cel.ro only what differs
 * from what was last pushed: new products through the importer (full form, then approval is tracked),
 * price/status changes through updateStockAndPrice, other field changes through the importer's short
 * form, archived articles deactivated. Price jumps over Cel.ro's guard are held (or overridden) as the
 * tenant's settings say. One item failing is recorded and the rest proceed.
 */
export async function publishOffers(
  ctx: SyncStepContext,
  deps: PublishDeps,
  only?: readonly string[],
): Promise<void> {
  const date = deps.engine.today();
  const activeVersion = (await deps.engine.rules.activeVersionId(ctx.tenantId, 'catalog')) ?? null;
  if (only) {
    // Just these SKUs (a batch the pull has just stored), as far as they need work.
    const rows = await ctx.db.query<CatalogRow>(NEEDS_WORK.replace('c.sku > $2', 'c.sku = ANY($2::text[])'), [ctx.tenantId, [...only], CHUNK, activeVersion, date, deps.settings.publishServices]);
    if (rows.length) await publishChunk(ctx, deps, rows, date);
    return;
  }
  if (!deps.settings.publishServices) {
    const services = await ctx.db.one<{ n: number }>("SELECT count(*) AS n FROM catalog_products WHERE tenant_id = $1 AND product->>'kind' = 'service'", [ctx.tenantId]);
    ctx.run.count(STEP, 'skipped', services.n);
  }
  for (let after = ''; ; ) {
    const rows = await ctx.db.query<CatalogRow>(NEEDS_WORK, [ctx.tenantId, after, CHUNK, activeVersion, date, deps.settings.publishServices]);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.sku;
    await publishChunk(ctx, deps, rows, date);
  }
}

interface CatalogRow {
  sku: string;
  product: Record<string, unknown>;
  raw_article: string | null;
  archived: boolean;
  content_hash: string | null;
}

/**
 * Only the articles that can need a call: new or changed content, another active rule version, another
 * pricing day (exchange rates and VAT are per day), or an offer not yet where it should be (not listed,
 * push failed, held, to be deactivated, price approved). A quiet heartbeat therefore evaluates nothing.
 * An item whose mapping failed, or whose exact offer Cel.ro refused, waits for its inputs to change
 * (a rule fix, the article, the next pricing day) instead of failing again on every heartbeat.
 */
const NEEDS_WORK = `
  SELECT c.sku, c.product, c.raw_article, c.archived, c.content_hash
  FROM catalog_products c
  LEFT JOIN channel_offers o ON o.tenant_id = c.tenant_id AND o.sku = c.sku
  WHERE c.tenant_id = $1 AND c.sku > $2 AND ($6::boolean OR c.product->>'kind' IS DISTINCT FROM 'service')
    AND (o.sku IS NULL OR o.override_next OR o.held_reason IS NOT NULL
      OR o.source_hash IS DISTINCT FROM c.content_hash OR o.rule_version_id IS DISTINCT FROM $4::bigint OR o.priced_on IS DISTINCT FROM $5::date
      OR (NOT c.archived AND o.desired_hash IS NOT NULL AND o.refused_hash IS DISTINCT FROM o.desired_hash
          AND (NOT o.listed OR NOT o.active OR o.pushed_hash IS DISTINCT FROM o.desired_hash))
      OR (c.archived AND o.listed AND o.active))
  ORDER BY c.sku LIMIT $3`;

async function publishChunk(
  ctx: SyncStepContext,
  deps: PublishDeps,
  items: readonly CatalogRow[],
  date: string,
): Promise<void> {
  const skus = items.map((r) => r.sku);
  const inputs = items.map((r) => catalogInput(productFromStored(r.product), r.raw_article === null ? undefined : parseJsonLossless(r.raw_article, `article ${r.sku}`), date));
  const results = await deps.engine.evaluateMany(ctx.tenantId, 'catalog', inputs);
  const offers = await loadOffers(ctx.db, ctx.tenantId, skus);
  const qty = new Map((await deps.ledger.published(ctx.tenantId, skus)).map((s) => [s.sku, s.published]));

  const creates: Desired[] = [];
  const priceUpdates: Array<Desired & { overridePrice: boolean }> = [];
  const fieldUpdates: Array<Desired & { changed: readonly string[]; overridePrice: boolean }> = [];
  const deactivations: string[] = [];
  const desiredRows: DesiredRow[] = [];
  const holds: Array<{ sku: string; reason: string }> = [];
  const clearHolds: string[] = [];

  for (let i = 0; i < items.length; i++) {
    const row = items[i]!;
    const result = results[i]!;
    const existing = offers.get(row.sku);
    const published = qty.get(row.sku) ?? 0;
    ctx.run.count(STEP, 'read');
    if (!result.ok) {
      const message = `mapping failed at field ${result.error.field}: ${result.error.message}`;
      await ctx.run.failure(STEP, row.sku, new Error(message), { product: row.product, error: result.error, ruleSetVersionId: result.lineage.ruleSetVersionId });
      desiredRows.push({ sku: row.sku, desired: null, hash: null, ruleVersionId: result.lineage.ruleSetVersionId, inputHash: result.lineage.inputHash, publishedQty: published, error: message, sourceHash: row.content_hash, pricedOn: date });
      continue;
    }
    const hash = sha256(canonicalJson(result.fields));
    desiredRows.push({ sku: row.sku, desired: result.fields, hash, ruleVersionId: result.lineage.ruleSetVersionId, inputHash: result.lineage.inputHash, publishedQty: published, error: null, sourceHash: row.content_hash, pricedOn: date });
    const d: Desired = { sku: row.sku, fields: result.fields, hash, qty: published, ruleVersionId: result.lineage.ruleSetVersionId };
    const action = planOffer(offerState(existing), { fields: result.fields, hash, archived: row.archived }, deps.settings);
    switch (action.kind) {
      case 'none':
        if (existing?.held_reason) clearHolds.push(row.sku);
        break;
      case 'create':
        creates.push(d);
        break;
      case 'deactivate':
        deactivations.push(row.sku);
        break;
      case 'hold':
        ctx.run.count(STEP, 'held');
        if (existing?.held_reason !== action.reason) holds.push({ sku: row.sku, reason: action.reason });
        break;
      case 'update':
        if (action.changed.every((f) => f === 'pretf' || f === 'status')) priceUpdates.push({ ...d, overridePrice: action.overridePrice });
        else fieldUpdates.push({ ...d, changed: action.changed, overridePrice: action.overridePrice });
        break;
    }
  }

  await saveDesired(ctx.db, ctx.tenantId, desiredRows);
  for (const sku of holds) await markHeld(ctx.db, ctx.tenantId, sku.sku, sku.reason);
  if (clearHolds.length) await ctx.db.query('UPDATE channel_offers SET held_reason = NULL, held_at = NULL WHERE tenant_id = $1 AND sku = ANY($2::text[])', [ctx.tenantId, clearHolds]);

  const lanes = deps.lanes ?? 1;
  await inLanes(chunks(creates, BATCH), lanes, async (batch) => {
    ctx.signal.throwIfAborted(); // checkpoint between batches: each batch's outcome is committed
    await pushBatch(ctx, STEP, batch.map((d) => d.sku), () => deps.channel.importProducts(batch.map((d) => ({ ...d.fields, stoc: d.qty }))), async (skus) => {
      // A new product waits for Cel.ro's approval; reconcile reads the verdict back.
      await markPushed(ctx.db, ctx.tenantId, pushedRows(batch, skus), true);
    });
  });
  await inLanes(chunks(priceUpdates, BATCH), lanes, async (batch) => {
    ctx.signal.throwIfAborted();
    const updates = batch.map((d) => ({
      model: d.sku,
      stock: d.qty,
      ...(typeof d.fields.pretf === 'string' ? { price: d.fields.pretf } : {}),
      active: String(d.fields.status ?? '1') !== '0',
      ...(d.overridePrice ? { overridePrice: true } : {}),
    }));
    await pushBatch(ctx, STEP, batch.map((d) => d.sku), () => deps.channel.updateStockAndPrice(updates), async (skus) => {
      await markPushed(ctx.db, ctx.tenantId, pushedRows(batch, skus), false);
    });
  });
  await inLanes(chunks(fieldUpdates, BATCH), lanes, async (batch) => {
    ctx.signal.throwIfAborted();
    // Short form: the model plus what changed (and the quantity, which is cheap to keep exact).
    const items = batch.map((d) => ({
      products_model: d.sku,
      ...Object.fromEntries(d.changed.filter((f) => f in d.fields).map((f) => [f, d.fields[f]])),
      ...(d.fields.hasTVA !== undefined ? { hasTVA: d.fields.hasTVA } : {}),
      stoc: d.qty,
      ...(d.overridePrice ? { overridePrice: 1 } : {}),
    }));
    await pushBatch(ctx, STEP, batch.map((d) => d.sku), () => deps.channel.importProducts(items), async (skus) => {
      await markPushed(ctx.db, ctx.tenantId, pushedRows(batch, skus), false);
    });
  });
  await inLanes(chunks(deactivations, BATCH), lanes, async (batch) => {
    ctx.signal.throwIfAborted();
    await pushBatch(ctx, STEP, batch, () => deps.channel.updateStockAndPrice(batch.map((sku) => ({ model: sku, stock: 0, active: false }))), async (skus) => {
      for (const sku of skus) await markDeactivated(ctx.db, ctx.tenantId, sku);
      ctx.run.count(STEP, 'deactivated', skus.length);
    });
  });
}

function pushedRows(batch: readonly Desired[], skus: readonly string[]): Desired[] {
  const accepted = new Set(skus);
  return batch.filter((d) => accepted.has(d.sku));
}
