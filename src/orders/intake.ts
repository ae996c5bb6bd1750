import { errorMessage } from '../core/errors.ts';
import { celroPaymentEvent, recordPayment } from '../fulfilment/payments/order-payment.ts';
import type { Logger } from '../platform/logger.ts';
import type { StockLedger } from '../stock/ledger.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from '../sync/queue.ts';
import { reservationRef } from './import-order.ts';
import { enqueueImport } from './jobs.ts';
import { canonicalOrder, reservationsOf } from './map-order.ts';
import { OrderRepository } from './orders-repo.ts';
import type { OrderChannel } from './ports.ts';
import type { OrderIntakeSettings } from './settings.ts';
import { RESTING_STATES } from './transitions.ts';

export interface IntakeDeps {
  readonly db: Db;
  readonly channel: OrderChannel;
  readonly ledger: StockLedger;
  readonly queue: JobQueue;
  readonly intake: OrderIntakeSettings;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  /** Queue the invoice attachment of an order (the fulfilment context's job). */
  readonly onInvoiceDue?: (orderId: string) => Promise<void>;
}

export interface IntakeReport {
  received: number;
  known: number;
  changed: number;
  skipped: number;
  queued: number;
  cursor?: string;
}

const numeric = (id: string): number => (/^\d+$/.test(id) ? Number(id) : Number.NaN);

/**
 * The tenant's intake row, created on first use. The start is the newest order on Cel.ro at that moment
 * (orders placed before Vortex took over are not imported), but never above an order a push names.
 */
async function intakeRow(deps: IntakeDeps, tenantId: string, pushed: readonly string[] = []): Promise<{ cursor: string; start_cursor: string }> {
  const row = await deps.db.maybeOne<{ cursor: string | null; start_cursor: string | null }>('SELECT cursor, start_cursor FROM order_intake WHERE tenant_id = $1', [tenantId]);
  if (row?.cursor && row.start_cursor) return { cursor: row.cursor, start_cursor: row.start_cursor };
  const newest = (await deps.channel.getOrders({}, 0, 50)).items.reduce((m, o) => Math.max(m, numeric(o.id) || 0), 0);
  const lowestPushed = pushed.map(numeric).filter((n) => !Number.isNaN(n)).reduce((m, n) => Math.min(m, n - 1), Number.POSITIVE_INFINITY);
  const start = String(Math.max(0, Math.min(newest, lowestPushed)));
  await deps.db.query(
    `INSERT INTO order_intake (tenant_id, cursor, start_cursor) VALUES ($1, $2, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET cursor = coalesce(order_intake.cursor, $2), start_cursor = coalesce(order_intake.start_cursor, $2), updated_at = now()`,
    [tenantId, start],
  );
  deps.log.info({ tenantId, start }, 'order intake started: orders after this one are imported');
  const r = await deps.db.one<{ cursor: string; start_cursor: string }>('SELECT cursor, start_cursor FROM order_intake WHERE tenant_id = $1', [tenantId]);
  return r;
}

/**
 * Read the orders with these ids from Cel.ro (a push is only a wake-up: the data always comes from the
 * API) and store each once. A new order reserves its units at once and is queued for import; a known
 * one is refreshed, and queued again when it was cancelled on Cel.ro or its import has not finished.
 */
export async function receiveOrders(deps: IntakeDeps, tenantId: string, ids: readonly string[], source: string, opts: { force?: boolean } = {}): Promise<IntakeReport> {
  const orders = new OrderRepository(deps.db);
  const report: IntakeReport = { received: 0, known: 0, changed: 0, skipped: 0, queued: 0 };
  const start = numeric((await intakeRow(deps, tenantId, ids)).start_cursor);
  for (const id of ids) {
    deps.signal?.throwIfAborted();
    const known = await deps.db.maybeOne("SELECT 1 AS x FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2", [tenantId, id]);
    // Orders from before Vortex took over are not imported by a poll; a push (or an explicit fetch) names
    // orders Cel.ro announces now, so those are always read.
    if (!known && !opts.force && numeric(id) <= start) {
      report.skipped++;
      continue;
    }
    const o = await deps.channel.getOrder(id);
    const meaning = await deps.channel.statusMeaning(o.statusId);
    // getOrder carries no buyer e-mail on CEL; orders/getOrderEmail does (read once, when first seen).
    const email = o.email ?? (known ? undefined : await deps.channel.getOrderEmail(id).catch(() => null)) ?? undefined;
    const r = await orders.receive(
      tenantId,
      { channelOrderId: o.id, raw: o.raw, statusId: o.statusId, meaning, placedAt: o.placedAt, total: o.total, currency: o.currency, customerName: o.billing?.company || o.billing?.name || null, customerEmail: email ?? null },
      source,
    );
    // Cel.ro's own payment fields are one payment source (idempotent per status).
    // When getOrder has no paid flag, orders/checkPaymentForOrder answers it (null if unreadable).
    const paid = o.paid ?? (await deps.channel.checkPaymentForOrder(id).catch(() => null));
    await recordPayment(deps.db, tenantId, celroPaymentEvent({ ...o, paid }));
    if (r.inserted) {
      report.received++;
      if (meaning !== 'cancelled') await reserveOnArrival(deps, tenantId, o.id, o.raw, meaning);
    } else if (r.changed) report.changed++;
    else report.known++;
    // Queue whenever the import has something to do; the per-order job key makes repeats free. (An order
    // stored by an intake that died before queueing its import is picked up by the retry of that intake.)
    if (r.inserted || r.cancelledNow || !RESTING_STATES.includes(r.row.state)) {
      await enqueueImport(deps.queue, tenantId, o.id);
      report.queued++;
    }
  }
  return report;
}

/** The published quantity drops as soon as the order is known (the import reserves again, idempotently). */
async function reserveOnArrival(deps: IntakeDeps, tenantId: string, id: string, raw: unknown, meaning: Parameters<typeof canonicalOrder>[2]): Promise<void> {
  try {
    const lines = reservationsOf(canonicalOrder(raw, id, meaning).order);
    if (lines.length) await deps.ledger.reserve(tenantId, reservationRef(id), lines, { reason: `Cel.ro order ${id}`, author: 'orders', source: 'celro' });
  } catch (e) {
    // An unreadable order is quarantined by its import; the reservation waits for the replay.
    deps.log.warn({ tenantId, orderId: id, err: errorMessage(e) }, 'could not reserve stock for a new order');
  }
}

/**
 * One poll: the orders placed after the cursor (stored first, then the cursor advances), the orders
 * changed within the look-back window that Vortex knows with another status (or does not know yet,
 * when newer than the start), and a sweep that queues every order whose import stopped midway
 * (a job that ran out of retries, a crash before the job was queued).
 */
export async function pollOrders(deps: IntakeDeps, tenantId: string): Promise<IntakeReport> {
  const row = await intakeRow(deps, tenantId);
  const since = await deps.channel.listOrdersSince(row.cursor);
  const report = await receiveOrders(deps, tenantId, since.orders.map((o) => o.id), 'poll');
  await deps.db.query('UPDATE order_intake SET cursor = $2, last_poll_at = now(), last_poll_error = NULL, updated_at = now() WHERE tenant_id = $1', [tenantId, since.cursor]);
  report.cursor = since.cursor;

  const window = await deps.channel.listOrders({ lastChanged: { min: new Date(Date.now() - deps.intake.orderLookBackHours * 3_600_000) } });
  const statuses = new Map(
    (await deps.db.query<{ channel_order_id: string; channel_status: string | null }>("SELECT channel_order_id, channel_status FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = ANY($2::text[])", [tenantId, window.map((o) => o.id)])).map((r) => [r.channel_order_id, r.channel_status]),
  );
  const stale = window.filter((o) => (statuses.has(o.id) ? statuses.get(o.id) !== o.statusId : true)).map((o) => o.id);
  if (stale.length) {
    const r = await receiveOrders(deps, tenantId, stale, 'poll:look-back');
    for (const k of ['received', 'known', 'changed', 'skipped', 'queued'] as const) report[k] += r[k];
  }

  const stuck = await deps.db.query<{ channel_order_id: string }>(
    `SELECT channel_order_id FROM channel_orders
     WHERE tenant_id = $1 AND (lease_until IS NULL OR lease_until < now()) AND updated_at < now() - interval '2 minutes'
       AND (state NOT IN ('acknowledged', 'cancelled', 'quarantined', 'needs_review') OR (cancel_requested AND state <> 'cancelled'))
     ORDER BY id LIMIT 500`,
    [tenantId],
  );
  for (const s of stuck) {
    await enqueueImport(deps.queue, tenantId, s.channel_order_id);
    report.queued++;
  }
  // Invoices not on Cel.ro yet: drafts that may have been finalized, attachments that failed a while ago
  // (after the merchant's fix), and any whose job was lost.
  if (deps.onInvoiceDue) {
    const due = await deps.db.query<{ channel_order_id: string }>(
      `SELECT channel_order_id FROM channel_orders
       WHERE tenant_id = $1 AND state = 'acknowledged'
         AND (invoice_state IN ('none', 'waiting') OR (invoice_state = 'failed' AND coalesce(invoice_attempted_at, updated_at) < now() - interval '30 minutes'))
       ORDER BY id LIMIT 200`,
      [tenantId],
    );
    for (const d of due) await deps.onInvoiceDue(d.channel_order_id);
  }
  return report;
}
