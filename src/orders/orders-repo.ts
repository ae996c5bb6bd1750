import { createHash } from 'node:crypto';
import { NotFoundError } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { assertTransition, type OrderState } from './transitions.ts';

/** One channel order as stored (snake_case columns). */
export interface OrderRow {
  id: number;
  tenant_id: string;
  channel: string;
  channel_order_id: string;
  state: OrderState;
  reason_code: string | null;
  reason: string | null;
  channel_status: string | null;
  channel_meaning: string | null;
  placed_at: string | null;
  total: string | null;
  currency: string | null;
  customer_name: string | null;
  customer_email: string | null;
  raw: unknown;
  raw_hash: string;
  plan: unknown;
  rule_version_id: number | null;
  contact_id: string | null;
  document_type: string | null;
  document_id: string | null;
  document_number: string | null;
  document_status: string | null;
  document_attempted_at: Date | null;
  credit_note_id: string | null;
  credit_note_attempted_at: Date | null;
  cancel_requested: boolean;
  action_item: string | null;
  lease_owner: string | null;
  lease_until: Date | null;
  received_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  invoice_state: 'none' | 'waiting' | 'attached' | 'failed' | 'not_applicable';
  invoice_reason: string | null;
  invoice_source: string | null;
  invoice_series: string | null;
  invoice_number: string | null;
  invoice_attached_at: Date | null;
}

/** What intake knows of an order from one read of the channel. */
export interface ReceivedOrder {
  readonly channelOrderId: string;
  readonly raw: unknown;
  readonly statusId: string | null;
  readonly meaning: string;
  readonly placedAt: string | null;
  readonly total: string | null;
  readonly currency: string;
  readonly customerName: string | null;
  readonly customerEmail: string | null;
}

/** How long a worker holds an order without renewing (a killed worker's orders are free after this). */
export const ORDER_LEASE_SECONDS = 15;

export function rawHash(raw: unknown): string {
  return createHash('sha256').update(JSON.stringify(raw) ?? 'null').digest('hex');
}

/** The lease was lost (expired and taken by another worker): stop, the other worker goes on. */
export class LeaseLostError extends Error {
  constructor(orderId: string) {
    super(`order ${orderId}: another worker holds it now`);
    this.name = 'LeaseLostError';
  }
}

/**
 * Storage of channel orders: insert-or-ignore on (tenant, channel, order id), state changes that are
 * compare-and-set on the state and the lease (so a worker whose lease expired cannot move the order),
 * each recorded in order_events in the same transaction.
 */
export class OrderRepository {
  constructor(private readonly db: Db) {}

  /**
   * Store an order read from the channel. New → inserted ('received'). Known → its raw payload and
   * channel status are refreshed when they changed, and a cancellation on the channel is flagged.
   */
  async receive(tenantId: string, o: ReceivedOrder, source: string): Promise<{ row: OrderRow; inserted: boolean; changed: boolean; cancelledNow: boolean }> {
    const hash = rawHash(o.raw);
    return this.db.transaction(async (tx) => {
      const inserted = await tx.maybeOne<OrderRow>(
        `INSERT INTO channel_orders (tenant_id, channel, channel_order_id, raw, raw_hash, channel_status, channel_meaning, placed_at, total, currency, customer_name, customer_email, cancel_requested)
         VALUES ($1, 'celro', $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, channel, channel_order_id) DO NOTHING RETURNING *`,
        [tenantId, o.channelOrderId, JSON.stringify(o.raw), hash, o.statusId, o.meaning, o.placedAt, o.total, o.currency, o.customerName, o.customerEmail, o.meaning === 'cancelled'],
      );
      if (inserted) {
        await event(tx, inserted, 'state', null, 'received', { source, channelStatus: o.statusId, meaning: o.meaning });
        return { row: inserted, inserted: true, changed: true, cancelledNow: o.meaning === 'cancelled' };
      }
      const cur = await tx.one<OrderRow>("SELECT * FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2 FOR UPDATE", [tenantId, o.channelOrderId]);
      if (cur.raw_hash === hash && cur.channel_status === o.statusId) return { row: cur, inserted: false, changed: false, cancelledNow: false };
      const cancelledNow = o.meaning === 'cancelled' && !cur.cancel_requested;
      const row = await tx.one<OrderRow>(
        `UPDATE channel_orders SET raw = $2::jsonb, raw_hash = $3, channel_status = $4, channel_meaning = $5, cancel_requested = cancel_requested OR $6,
                customer_email = coalesce($7, customer_email), updated_at = now()
         WHERE id = $1 RETURNING *`,
        [cur.id, JSON.stringify(o.raw), hash, o.statusId, o.meaning, o.meaning === 'cancelled', o.customerEmail],
      );
      await event(tx, row, 'note', null, null, { source, change: 'the order changed on Cel.ro', channelStatus: o.statusId, meaning: o.meaning });
      return { row, inserted: false, changed: true, cancelledNow };
    });
  }

  async get(tenantId: string, channelOrderId: string): Promise<OrderRow> {
    const row = await this.db.maybeOne<OrderRow>("SELECT * FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2", [tenantId, channelOrderId]);
    if (!row) throw new NotFoundError(`order ${channelOrderId} of tenant ${tenantId} is not known to Vortex`, { tenantId, orderId: channelOrderId });
    return row;
  }

  /** Take (or renew) the order's lease. Undefined when another worker holds an unexpired lease. */
  async lease(tenantId: string, channelOrderId: string, worker: string): Promise<OrderRow | undefined> {
    return this.db.maybeOne<OrderRow>(
      `UPDATE channel_orders SET lease_owner = $3, lease_until = now() + make_interval(secs => $4)
       WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2
         AND (lease_owner IS NULL OR lease_owner = $3 OR lease_until < now())
       RETURNING *`,
      [tenantId, channelOrderId, worker, ORDER_LEASE_SECONDS],
    );
  }

  /** Renew a held lease; false when it was lost. */
  async renew(row: Pick<OrderRow, 'id'>, worker: string): Promise<boolean> {
    const r = await this.db.maybeOne('UPDATE channel_orders SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND lease_owner = $2 RETURNING 1 AS ok', [row.id, worker, ORDER_LEASE_SECONDS]);
    return r !== undefined;
  }

  async release(row: Pick<OrderRow, 'id'>, worker: string): Promise<void> {
    await this.db.query('UPDATE channel_orders SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2', [row.id, worker]);
  }

  /**
   * Move the order from its current state to `to` with `set` columns, only if it is still in `from` and
   * this worker holds the lease (compare-and-set). Records the change. Throws LeaseLostError otherwise.
   */
  async transition(row: OrderRow, to: OrderState, worker: string, set: Partial<Record<keyof OrderRow, unknown>> = {}, detail: Record<string, unknown> = {}): Promise<OrderRow> {
    if (to !== row.state) assertTransition(row.state, to);
    return this.db.transaction(async (tx) => {
      const cols = Object.keys(set) as (keyof OrderRow)[];
      const assign = cols.map((c, i) => `${c} = $${i + 5}${c === 'plan' ? '::jsonb' : ''}`);
      const finished = to === 'acknowledged' || to === 'cancelled' ? ', finished_at = now()' : '';
      const next = await tx.maybeOne<OrderRow>(
        `UPDATE channel_orders SET state = $3, updated_at = now(), lease_until = now() + make_interval(secs => ${ORDER_LEASE_SECONDS})${finished}${assign.length ? ', ' + assign.join(', ') : ''}
         WHERE id = $1 AND state = $2 AND lease_owner = $4 RETURNING *`,
        [row.id, row.state, to, worker, ...cols.map((c) => (c === 'plan' && set[c] !== null ? JSON.stringify(set[c]) : set[c]))],
      );
      if (!next) throw new LeaseLostError(row.channel_order_id);
      if (to !== row.state || Object.keys(detail).length) await event(tx, next, 'state', row.state, to, detail, worker);
      return next;
    });
  }

  /** Update columns without a state change (same compare-and-set on the lease). */
  async update(row: OrderRow, worker: string, set: Partial<Record<keyof OrderRow, unknown>>, note?: Record<string, unknown>): Promise<OrderRow> {
    return this.transition(row, row.state, worker, set, note ?? {});
  }

  async recordApiCall(row: Pick<OrderRow, 'id' | 'tenant_id'>, call: { api: 'lexoffice' | 'celro'; call: string; outcome: string; ms?: number }, worker?: string): Promise<void> {
    await this.db.query("INSERT INTO order_events (tenant_id, order_id, kind, detail, worker) VALUES ($1, $2, 'api', $3::jsonb, $4)", [row.tenant_id, row.id, JSON.stringify(call), worker ?? null]);
  }

  async events(row: Pick<OrderRow, 'id'>): Promise<Array<Record<string, unknown>>> {
    return this.db.query('SELECT kind, from_state, to_state, detail, worker, at FROM order_events WHERE order_id = $1 ORDER BY id', [row.id]);
  }
}

async function event(tx: Queryable, row: OrderRow, kind: 'state' | 'api' | 'note', from: string | null, to: string | null, detail: Record<string, unknown>, worker?: string): Promise<void> {
  await tx.query('INSERT INTO order_events (tenant_id, order_id, kind, from_state, to_state, detail, worker) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)', [row.tenant_id, row.id, kind, from, to, JSON.stringify(detail), worker ?? null]);
}
