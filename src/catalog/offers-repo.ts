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

export interface DesiredRow {
  readonly sku: string;
  readonly desired: Record<string, unknown> | null;
  readonly hash: string | null;
  readonly ruleVersionId: number | null;
  readonly inputHash: string | null;
  readonly publishedQty: number;
  readonly error: string | null;
  readonly sourceHash: string | null;
  readonly pricedOn: string;
}

/** Remember what Vortex wants for these SKUs (one statement for a whole chunk). */
export async function saveDesired(q: Queryable, tenantId: string, rows: readonly DesiredRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO channel_offers (tenant_id, sku, desired, desired_hash, rule_version_id, input_hash, published_qty, last_error, source_hash, priced_on)
     SELECT $1, r.sku, r.desired, r.hash, r."ruleVersionId", r."inputHash", r."publishedQty", r.error, r."sourceHash", r."pricedOn"
     FROM jsonb_to_recordset($2::jsonb) AS r(sku text, desired jsonb, hash text, "ruleVersionId" bigint, "inputHash" text, "publishedQty" int, error text, "sourceHash" text, "pricedOn" date)
     ON CONFLICT (tenant_id, sku) DO UPDATE SET desired = EXCLUDED.desired, desired_hash = EXCLUDED.desired_hash, rule_version_id = EXCLUDED.rule_version_id,
       input_hash = EXCLUDED.input_hash, published_qty = EXCLUDED.published_qty, last_error = EXCLUDED.last_error,
       source_hash = EXCLUDED.source_hash, priced_on = EXCLUDED.priced_on, updated_at = now()`,
    [tenantId, JSON.stringify(rows)],
  );
}

export interface PushedRow {
  readonly sku: string;
  readonly fields: Record<string, unknown>;
  readonly hash: string;
  readonly ruleVersionId: number | null;
  readonly qty: number;
}

/** Record successful pushes of fields (and the quantity sent with them), with the rule version that produced them. */
export async function markPushed(q: Queryable, tenantId: string, rows: readonly PushedRow[], created: boolean): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE channel_offers o SET pushed = r.fields, pushed_hash = r.hash, pushed_rule_version_id = r."ruleVersionId", pushed_at = now(),
       pushed_qty = r.qty, published_qty = r.qty, qty_pushed_at = now(), listed = true, active = true, held_reason = NULL, held_at = NULL,
       override_next = false, last_error = NULL, refused_hash = NULL, approval = CASE WHEN $3 THEN 'pending' ELSE o.approval END, updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS r(sku text, fields jsonb, hash text, "ruleVersionId" bigint, qty int)
     WHERE o.tenant_id = $1 AND o.sku = r.sku`,
    [tenantId, JSON.stringify(rows), created],
  );
}

/** Record pushed quantities (and that they are what the policy wants). */
export async function markQtyPushed(q: Queryable, tenantId: string, rows: ReadonlyArray<{ sku: string; qty: number }>): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE channel_offers o SET pushed_qty = r.qty, published_qty = r.qty, qty_pushed_at = now(), updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS r(sku text, qty int) WHERE o.tenant_id = $1 AND o.sku = r.sku`,
    [tenantId, JSON.stringify(rows)],
  );
}

/** Record the quantities the policy allows now (before pushing them, so a failed push stays visible). */
export async function markQtyWanted(q: Queryable, tenantId: string, rows: ReadonlyArray<{ sku: string; qty: number }>): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE channel_offers o SET published_qty = r.qty, updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS r(sku text, qty int) WHERE o.tenant_id = $1 AND o.sku = r.sku`,
    [tenantId, JSON.stringify(rows)],
  );
}

export async function markDeactivated(q: Queryable, tenantId: string, sku: string): Promise<void> {
  await q.query("UPDATE channel_offers SET active = false, pushed_qty = 0, qty_pushed_at = now(), pushed = jsonb_set(coalesce(pushed, '{}'::jsonb), '{status}', '0'::jsonb), updated_at = now() WHERE tenant_id = $1 AND sku = $2", [tenantId, sku]);
}

export async function markHeld(q: Queryable, tenantId: string, sku: string, reason: string): Promise<void> {
  await q.query('UPDATE channel_offers SET held_reason = $3, held_at = coalesce(held_at, now()), updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, reason]);
}

/** Cel.ro refused this exact offer: keep the reason, and do not send the same thing again. */
export async function markRefused(q: Queryable, tenantId: string, sku: string, reason: string): Promise<void> {
  await q.query('UPDATE channel_offers SET last_error = $3, refused_hash = desired_hash, updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, reason]);
}

/** Cel.ro says it does not have the product: forget what was pushed so the next publish creates it. */
export async function markMissing(q: Queryable, tenantId: string, sku: string, reason: string): Promise<void> {
  await q.query(
    "UPDATE channel_offers SET listed = false, approval = 'unknown', pushed = NULL, pushed_hash = NULL, pushed_qty = NULL, refused_hash = NULL, last_error = $3, updated_at = now() WHERE tenant_id = $1 AND sku = $2",
    [tenantId, sku, `missing on Cel.ro: ${reason}`],
  );
}

/** The channel was reset (a new, empty Cel.ro simulator): everything must be listed again. */
export async function forgetListings(q: Queryable, tenantId: string, reason: string): Promise<number> {
  const rows = await q.query(
    "UPDATE channel_offers SET listed = false, approval = 'unknown', pushed = NULL, pushed_hash = NULL, pushed_qty = NULL, refused_hash = NULL, last_error = $2, updated_at = now() WHERE tenant_id = $1 AND listed RETURNING sku",
    [tenantId, reason],
  );
  return rows.length;
}

export async function markError(q: Queryable, tenantId: string, sku: string, message: string): Promise<void> {
  await q.query('UPDATE channel_offers SET last_error = $3, updated_at = now() WHERE tenant_id = $1 AND sku = $2', [tenantId, sku, message]);
}
