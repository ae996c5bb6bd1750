import { ValidationError } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { likePattern } from '../store/like.ts';
import { bufferValueProblem, deltaSchema, MAX_QUANTITY, quantityProblem, reasonProblem, skuProblem } from './bounds.ts';
import { DEFAULT_STOCK_POLICY, effectivePolicy, publishedQuantity, type StockPolicy, type StockPolicyOverride } from './policy.ts';

export interface ChangeMeta {
  readonly reason: string;
  readonly author: string;
  /** Where the figure came from: 'import:csv', 'api', 'panel', a feed name, … */
  readonly source: string;
}

export interface StockRow {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly policy: StockPolicy;
  readonly published: number;
  readonly updatedAt: Date;
}

export interface LedgerEntry {
  readonly id: number;
  readonly kind: 'set' | 'adjust' | 'reserve' | 'release' | 'consume';
  readonly requested: number;
  readonly onHandAfter: number;
  readonly reservedAfter: number;
  readonly reason: string;
  readonly author: string;
  readonly source: string;
  /** The order (or other reference) a reservation belongs to. */
  readonly ref: string | null;
  readonly at: Date;
}

interface LevelRow {
  on_hand: number;
  reserved: number;
}

/** A policy (tenant-wide with sku null, or one SKU's override), checked without the store. */
export function checkStockPolicy(sku: string | null, policy: StockPolicyOverride): void {
  if (sku !== null) assertSku(sku);
  const bufferProblem = policy.bufferValue === undefined ? null : bufferValueProblem(policy.bufferValue);
  if (bufferProblem) throw new ValidationError(`${bufferProblem}, got ${JSON.stringify(policy.bufferValue?.slice(0, 40))}`, [{ path: 'bufferValue', message: bufferProblem }]);
  for (const field of ['floor', 'cap'] as const) {
    const n = policy[field];
    const problem = n === undefined || n === null ? null : quantityProblem(n);
    if (problem) throw new ValidationError(`${field}: ${problem.replace(/^quantity /, '')}, got ${n}`, [{ path: field, message: problem }]);
  }
  // Validate by computing with it: a bad buffer fails here, not at publish time.
  publishedQuantity(0, 0, effectivePolicy(DEFAULT_STOCK_POLICY, policy));
}

/**
 * The per-tenant stock ledger. Every change is one atomic SQL statement on the level row (no
 * read-modify-write in JS, so concurrent changes never lose one another) plus an entry recording
 * what was asked, what resulted, why and by whom.
 */
export class StockLedger {
  constructor(private readonly db: Db) {}

  /**
   * Set on-hand quantities (a count from the stock source). All rows or none: one transaction, written
   * in chunks of set-based statements, yielding to the event loop between chunks so a 100k-row import
   * never stalls the web server.
   */
  async setOnHand(tenantId: string, rows: ReadonlyArray<{ sku: string; onHand: number }>, meta: ChangeMeta): Promise<{ changed: number }> {
    assertReason(meta.reason);
    for (const r of rows) assertSku(r.sku);
    for (const r of rows) assertQuantity(r.onHand, `on hand for ${r.sku}`);
    return this.db.transaction(async (tx) => {
      let changed = 0;
      for (let i = 0; i < rows.length; i += SET_CHUNK) {
        const chunk = rows.slice(i, i + SET_CHUNK).map((r) => ({ sku: r.sku, on_hand: r.onHand }));
        const written = await tx.query(
          `WITH input AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(sku text, on_hand integer)),
           changed AS (
             INSERT INTO stock_levels (tenant_id, sku, on_hand)
             SELECT $1, i.sku, i.on_hand FROM input i
             LEFT JOIN stock_levels s ON s.tenant_id = $1 AND s.sku = i.sku
             WHERE s.sku IS NULL OR s.on_hand <> i.on_hand
             ON CONFLICT (tenant_id, sku) DO UPDATE SET on_hand = EXCLUDED.on_hand, updated_at = now()
             RETURNING sku, on_hand, reserved)
           INSERT INTO stock_entries (tenant_id, sku, kind, requested, on_hand_after, reserved_after, reason, author, source, ref)
           SELECT $1, sku, 'set', on_hand, on_hand, reserved, $3, $4, $5, NULL FROM changed
           RETURNING 1`,
          [tenantId, JSON.stringify(chunk), meta.reason, meta.author, meta.source],
        );
        changed += written.length;
        // The source's count includes the sales it has seen: order reservations made before this
        // import are consumed (their units are in the new on-hand figure, or gone from it).
        const consumed = await tx.query(
          `WITH input AS (SELECT sku FROM jsonb_to_recordset($2::jsonb) AS r(sku text)),
           consumed AS (
             UPDATE stock_reservations r SET status = 'consumed', settled_at = now() FROM input i
             WHERE r.tenant_id = $1 AND r.sku = i.sku AND r.status = 'active' AND r.created_at < now()
             RETURNING r.sku, r.quantity, r.ref),
           per AS (SELECT sku, sum(quantity)::integer AS q FROM consumed GROUP BY sku),
           levels AS (
             UPDATE stock_levels s SET reserved = greatest(s.reserved - per.q, 0), updated_at = now() FROM per
             WHERE s.tenant_id = $1 AND s.sku = per.sku RETURNING s.sku, s.on_hand, s.reserved)
           INSERT INTO stock_entries (tenant_id, sku, kind, requested, on_hand_after, reserved_after, reason, author, source, ref)
           SELECT $1, c.sku, 'consume', c.quantity, l.on_hand, l.reserved, $3, $4, $5, c.ref FROM consumed c JOIN levels l USING (sku)
           RETURNING 1`,
          [tenantId, JSON.stringify(chunk.map((r) => ({ sku: r.sku }))), `settled by the count: ${meta.reason}`.slice(0, 500), meta.author, meta.source],
        );
        changed += consumed.length;
        if (i + SET_CHUNK < rows.length) await yieldToEventLoop();
      }
      if (changed) await notify(tx, tenantId);
      return { changed };
    });
  }

  /**
   * Add (or subtract) units. On hand never goes below zero: a larger decrease is clamped, and the
   * entry keeps the requested delta so the discrepancy stays visible.
   */
  async adjust(tenantId: string, sku: string, delta: number, meta: ChangeMeta): Promise<{ onHand: number; reserved: number }> {
    assertReason(meta.reason);
    assertSku(sku);
    const bad = deltaSchema.safeParse(delta);
    if (!bad.success) throw new ValidationError(`adjustment for ${sku} ${bad.error.issues[0]!.message}, got ${delta}`, [{ path: 'delta', message: bad.error.issues[0]!.message }]);
    return this.db.transaction(async (tx) => {
      const after = await tx.one<LevelRow>(
        `INSERT INTO stock_levels (tenant_id, sku, on_hand) VALUES ($1, $2, greatest($3, 0))
         ON CONFLICT (tenant_id, sku) DO UPDATE SET on_hand = least(greatest(stock_levels.on_hand::bigint + $3, 0), ${MAX_QUANTITY})::integer, updated_at = now()
         RETURNING on_hand, reserved`,
        [tenantId, sku, delta],
      );
      await entry(tx, tenantId, sku, 'adjust', delta, after, meta, null);
      await notify(tx, tenantId);
      return { onHand: after.on_hand, reserved: after.reserved };
    });
  }

  /**
   * Reserve units for an order (ref) so they stop being offered before the source's count catches up.
   * Idempotent per (ref, sku): replaying an order reserves nothing twice.
   */
  async reserve(tenantId: string, ref: string, lines: ReadonlyArray<{ sku: string; quantity: number }>, meta: ChangeMeta): Promise<{ reserved: number }> {
    for (const l of lines) {
      assertSku(l.sku);
      if (l.quantity === 0) throw new ValidationError(`reservation for ${l.sku} must be a positive whole number`, [{ path: 'quantity', message: 'must be > 0' }]);
      assertQuantity(l.quantity, `reservation for ${l.sku}`);
    }
    return this.db.transaction(async (tx) => {
      let reserved = 0;
      for (const l of lines) {
        const inserted = await tx.maybeOne('INSERT INTO stock_reservations (tenant_id, ref, sku, quantity) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1 AS x', [tenantId, ref, l.sku, l.quantity]);
        if (!inserted) continue;
        const after = await tx.one<LevelRow>(
          `INSERT INTO stock_levels (tenant_id, sku, reserved) VALUES ($1, $2, $3)
           ON CONFLICT (tenant_id, sku) DO UPDATE SET reserved = least(stock_levels.reserved::bigint + $3, ${MAX_QUANTITY})::integer, updated_at = now()
           RETURNING on_hand, reserved`,
          [tenantId, l.sku, l.quantity],
        );
        await entry(tx, tenantId, l.sku, 'reserve', l.quantity, after, meta, ref);
        reserved++;
      }
      if (reserved) await notify(tx, tenantId);
      return { reserved };
    });
  }

  /**
   * Settle an order's active reservations: 'released' (order cancelled: units offered again) or
   * 'consumed' (the sale is now reflected in on hand at the source). Idempotent.
   */
  async settle(tenantId: string, ref: string, outcome: 'released' | 'consumed', meta: ChangeMeta): Promise<{ settled: number }> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ sku: string; quantity: number }>(
        `UPDATE stock_reservations SET status = $3, settled_at = now()
         WHERE tenant_id = $1 AND ref = $2 AND status = 'active' RETURNING sku, quantity`,
        [tenantId, ref, outcome],
      );
      for (const r of rows) {
        const after = await tx.one<LevelRow>(
          `UPDATE stock_levels SET reserved = greatest(reserved - $3, 0), updated_at = now()
           WHERE tenant_id = $1 AND sku = $2 RETURNING on_hand, reserved`,
          [tenantId, r.sku, r.quantity],
        );
        await entry(tx, tenantId, r.sku, outcome === 'released' ? 'release' : 'consume', r.quantity, after, meta, ref);
      }
      if (rows.length) await notify(tx, tenantId);
      return { settled: rows.length };
    });
  }

  /** Set the tenant's policy (sku omitted) or a per-SKU override. */
  async setPolicy(tenantId: string, sku: string | null, policy: StockPolicyOverride): Promise<{ before: Record<string, unknown> | null }> {
    checkStockPolicy(sku, policy);
    // The CTE reads the row as it was before the upsert (one snapshot): the audit trail's "before".
    const row = await this.db.one<{ before: Record<string, unknown> | null }>(
      `WITH prev AS (SELECT buffer_kind AS "bufferKind", buffer_value AS "bufferValue", floor_qty AS floor, cap_qty AS cap FROM stock_policies WHERE tenant_id = $1 AND sku = $2)
       INSERT INTO stock_policies (tenant_id, sku, buffer_kind, buffer_value, floor_qty, cap_qty) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, sku) DO UPDATE SET buffer_kind = EXCLUDED.buffer_kind, buffer_value = EXCLUDED.buffer_value,
         floor_qty = EXCLUDED.floor_qty, cap_qty = EXCLUDED.cap_qty, updated_at = now()
       RETURNING (SELECT to_jsonb(prev) FROM prev) AS before`,
      [tenantId, sku ?? '*', policy.bufferKind ?? null, policy.bufferValue ?? null, policy.floor ?? null, policy.cap ?? null],
    );
    await notify(this.db, tenantId);
    return { before: row.before };
  }

  /** The tenant's policy (as set, and in effect) and every per-SKU override, as set. */
  async policies(tenantId: string): Promise<{ tenant: StockPolicyOverride; effective: StockPolicy; overrides: Map<string, StockPolicyOverride> }> {
    const policies = await this.db.query<{ sku: string; buffer_kind: StockPolicy['bufferKind'] | null; buffer_value: string | null; floor_qty: number | null; cap_qty: number | null }>(
      'SELECT sku, buffer_kind, buffer_value, floor_qty, cap_qty FROM stock_policies WHERE tenant_id = $1 ORDER BY sku',
      [tenantId],
    );
    const toOverride = (p: (typeof policies)[number]): StockPolicyOverride => ({
      ...(p.buffer_kind ? { bufferKind: p.buffer_kind } : {}),
      ...(p.buffer_value !== null ? { bufferValue: p.buffer_value } : {}),
      ...(p.floor_qty !== null ? { floor: p.floor_qty } : {}),
      ...(p.cap_qty !== null ? { cap: p.cap_qty } : {}),
    });
    const tenantRow = policies.find((p) => p.sku === '*');
    const tenant = tenantRow ? toOverride(tenantRow) : {};
    return { tenant, effective: effectivePolicy(DEFAULT_STOCK_POLICY, tenant), overrides: new Map(policies.filter((p) => p.sku !== '*').map((p) => [p.sku, toOverride(p)])) };
  }

  /** A page of SKUs (ordered; `q` matches part of the SKU) with their levels, as `published` gives them. */
  async publishedPage(tenantId: string, page: { after: string; limit: number; q?: string }): Promise<StockRow[]> {
    const like = page.q ? likePattern(page.q) : null;
    const skus = await this.db.query<{ sku: string }>(
      'SELECT sku FROM stock_levels WHERE tenant_id = $1 AND sku > $2 AND ($3::text IS NULL OR sku ILIKE $3) ORDER BY sku LIMIT $4',
      [tenantId, page.after, like, page.limit],
    );
    return skus.length ? this.published(tenantId, skus.map((r) => r.sku)) : [];
  }

  /** The ledger entries of one SKU, newest first. */
  async entries(tenantId: string, sku: string, limit: number): Promise<LedgerEntry[]> {
    return this.db.query<LedgerEntry>(
      `SELECT id, kind, requested, on_hand_after AS "onHandAfter", reserved_after AS "reservedAfter", reason, author, source, ref, at
       FROM stock_entries WHERE tenant_id = $1 AND sku = $2 ORDER BY id DESC LIMIT $3`,
      [tenantId, sku, limit],
    );
  }

  /** Levels with their effective policy and the quantity to publish (all SKUs, or the ones given). */
  async published(tenantId: string, skus?: readonly string[]): Promise<StockRow[]> {
    const { effective: tenantPolicy, overrides } = await this.policies(tenantId);
    const levels = await this.db.query<{ sku: string; on_hand: number; reserved: number; updated_at: Date }>(
      skus ? 'SELECT sku, on_hand, reserved, updated_at FROM stock_levels WHERE tenant_id = $1 AND sku = ANY($2::text[]) ORDER BY sku' : 'SELECT sku, on_hand, reserved, updated_at FROM stock_levels WHERE tenant_id = $1 ORDER BY sku',
      skus ? [tenantId, [...skus]] : [tenantId],
    );
    return levels.map((l) => {
      const policy = effectivePolicy(tenantPolicy, overrides.get(l.sku));
      return { sku: l.sku, onHand: l.on_hand, reserved: l.reserved, policy, published: publishedQuantity(l.on_hand, l.reserved, policy), updatedAt: l.updated_at };
    });
  }

  /**
   * Every offer listed and active on Cel.ro with the quantity to publish now and the quantities last
   * pushed and wanted — one joined read (the heartbeat's stock step; no SKU list sent back and forth).
   */
  async listedOffers(tenantId: string): Promise<Array<{ sku: string; published: number; pushedQty: number | null; wantedQty: number | null }>> {
    const { effective: tenantPolicy, overrides } = await this.policies(tenantId);
    const rows = await this.db.query<{ sku: string; pushed_qty: number | null; published_qty: number | null; on_hand: number | null; reserved: number | null }>(
      `SELECT o.sku, o.pushed_qty, o.published_qty, s.on_hand, s.reserved
       FROM channel_offers o LEFT JOIN stock_levels s ON s.tenant_id = o.tenant_id AND s.sku = o.sku
       WHERE o.tenant_id = $1 AND o.listed AND o.active ORDER BY o.sku`,
      [tenantId],
    );
    return rows.map((r) => ({
      sku: r.sku,
      // No level row = nothing on hand (same as published() leaving the SKU out).
      published: r.on_hand === null ? 0 : publishedQuantity(r.on_hand, r.reserved ?? 0, effectivePolicy(tenantPolicy, overrides.get(r.sku))),
      pushedQty: r.pushed_qty,
      wantedQty: r.published_qty,
    }));
  }

  async history(tenantId: string, sku: string, limit = 100): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      'SELECT kind, requested, on_hand_after, reserved_after, reason, author, source, ref, at FROM stock_entries WHERE tenant_id = $1 AND sku = $2 ORDER BY id DESC LIMIT $3',
      [tenantId, sku, limit],
    );
  }
}

function assertQuantity(n: number, what: string): void {
  const problem = quantityProblem(n);
  if (problem) throw new ValidationError(`${what}: ${problem}, got ${n}`, [{ path: 'quantity', message: problem }]);
}

function assertReason(reason: string): void {
  const problem = reasonProblem(reason);
  if (problem) throw new ValidationError(problem, [{ path: 'reason', message: problem }]);
}

function assertSku(sku: string): void {
  const problem = skuProblem(sku);
  if (problem) throw new ValidationError(problem, [{ path: 'sku', message: problem }]);
}

const SET_CHUNK = 500;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function entry(tx: Queryable, tenantId: string, sku: string, kind: string, requested: number, after: LevelRow, meta: ChangeMeta, ref: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO stock_entries (tenant_id, sku, kind, requested, on_hand_after, reserved_after, reason, author, source, ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [tenantId, sku, kind, requested, after.on_hand, after.reserved, meta.reason, meta.author, meta.source, ref],
  );
}

/**
 * Ask for a stock push, in the same transaction as the change (so a committed change always has its
 * request). Only for tenants connected to Cel.ro; the sync pump debounces a burst into one run.
 */
async function notify(q: Queryable, tenantId: string): Promise<void> {
  await q.query(
    `INSERT INTO sync_requests (tenant_id, what, trigger)
     SELECT $1, 'stock', 'stock-change' WHERE EXISTS (SELECT 1 FROM connections WHERE tenant_id = $1 AND system = 'celro' AND enabled)`,
    [tenantId],
  );
}
