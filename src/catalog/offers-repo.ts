import type { Queryable } from '../store/db.ts';
import type { OfferState } from './plan.ts';

export interface OfferRow {
  sku: string;
  pushed: Record<string, unknown> | null;
  pushed_hash: string | null;
  desired_hash: string | null;
  published_qty: number | null;
  pushed_qty: number | null;
  listed: boolean;
  active: boolean;
  override_next: boolean;
  held_reason: string | null;
  approval: string;
}

export async function loadOffers(q: Queryable, tenantId: string, skus: readonly string[]): Promise<Map<string, OfferRow>> {
  const rows = await q.query<OfferRow>(
    `SELECT sku, pushed, pushed_hash, desired_hash, published_qty, pushed_qty, listed, active, override_next, held_reason, approval
     FROM channel_offers WHERE tenant_id = $1 AND sku = ANY($2::text[])`,
    [tenantId, [...skus]],
  );
  return new Map(rows.map((r) => [r.sku, r]));
}

export function offerState(r: OfferRow | undefined): OfferState | undefined {
  return r && { pushed: r.pushed, pushedHash: r.pushed_hash, listed: r.listed, active: r.active, overrideNext: r.override_next };
}

/** Remember what Vortex wants for a SKU (only called when it differs from what is stored). */
export async function saveDesired(
  q: Queryable,
  tenantId: string,
  sku: string,
  d: {
    desired: Record<string, unknown> | null;
    hash: string | null;
    ruleVersionId: number | null;
    inputHash: string | null;
    publishedQty: number;
    error: string | null;
    sourceHash: string | null;
    pricedOn: string;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO channel_offers (tenant_id, sku, desired, desired_hash, rule_version_id, input_hash, published_qty, last_error, source_hash, priced_on)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (tenant_id, sku) DO UPDATE SET desired = EXCLUDED.desired, desired_hash = EXCLUDED.desired_hash, rule_version_id = EXCLUDED.rule_version_id,
       input_hash = EXCLUDED.input_hash, published_qty = EXCLUDED.published_qty, last_error = EXCLUDED.last_error,
       source_hash = EXCLUDED.source_hash, priced_on = EXCLUDED.priced_on, updated_at = now()`,
    [tenantId, sku, d.desired, d.hash, d.ruleVersionId, d.inputHash, d.publishedQty, d.error, d.sourceHash, d.pricedOn],
  );
}

/** Record a successful push of fields (and the quantity sent with them), with the rule version that produced them. */
export async function markPushed(
  q: Queryable,
  tenantId: string,
  sku: string,
  p: { fields: Record<string, unknown>; hash: string; ruleVersionId: number | null; qty: number; created: boolean },
): Promise<void> {
  await q.query(
    `UPDATE channel_offers SET pushed = $3::jsonb, pushed_hash = $4, pushed_rule_version_id = $5, pushed_at = now(), pushed_qty = $6, qty_pushed_at = now(),
       listed = true, active = true, held_reason = NULL, held_at = NULL, override_next = false, last_error = NULL,
       approval = CASE WHEN $7 THEN 'pending' ELSE approval END, updated_at = now()
     WHERE tenant_id = $1 AND sku = $2`,
    [tenantId, sku, p.fields, p.hash, p.ruleVersionId, p.qty, p.created],
  );
}

export async function markQtyPushed(q: Queryable, tenantId: string, sku: string, qty: number): Promise<void> {
  await q.query('UPDATE channel_offers SET pushed_qty = $3, published_qty = $3, qty_pushed_at = now(), updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, qty]);
}

/** Record the quantity the policy allows now (before pushing it, so a failed push stays visible). */
export async function markQtyWanted(q: Queryable, tenantId: string, sku: string, qty: number): Promise<void> {
  await q.query('UPDATE channel_offers SET published_qty = $3, updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, qty]);
}

export async function markDeactivated(q: Queryable, tenantId: string, sku: string): Promise<void> {
  await q.query("UPDATE channel_offers SET active = false, pushed_qty = 0, qty_pushed_at = now(), pushed = jsonb_set(coalesce(pushed, '{}'::jsonb), '{status}', '0'::jsonb), updated_at = now() WHERE tenant_id = $1 AND sku = $2", [tenantId, sku]);
}

export async function markHeld(q: Queryable, tenantId: string, sku: string, reason: string): Promise<void> {
  await q.query('UPDATE channel_offers SET held_reason = $3, held_at = coalesce(held_at, now()), updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, reason]);
}

export async function markError(q: Queryable, tenantId: string, sku: string, message: string): Promise<void> {
  await q.query('UPDATE channel_offers SET last_error = $3, updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, message]);
}
