import { errorMessage } from '../core/errors.ts';
import { parseCelroOrder } from '../connectors/celro/orders.ts';
import { recordPayment } from './payments/order-payment.ts';
import type { TrackingState } from '../core/shipping.ts';
import type { Queryable } from '../store/db.ts';
import type { Courier, OrderChannel } from './ports.ts';
import { COLUMNS, registerAtCelro, shipmentEvent, type CourierCode, type ShipmentRow } from './ship-order.ts';
import { celActionFor, trackingFromCelroStatus, type CelStatus } from './shipment-plan.ts';

export interface TrackOutcome {
  readonly checked: number;
  readonly changed: number;
  readonly celUpdates: number;
  readonly errors: number;
}

/**
 * One tracking pass for a tenant (the heartbeat runs it): AWBs Cel.ro was not told about yet are sent
 * again; every open courier AWB is read back, its events stored, its state moved, and the Cel.ro
 * order moved along (ready for delivery when the courier has it, finished when delivered — each once).
 * A failure on one shipment is kept on it and the others go on.
 */
export async function trackShipments(deps: { db: Queryable; channel: OrderChannel; courier: (code: Exclude<CourierCode, 'manual'>) => Promise<Courier> }, tenantId: string): Promise<TrackOutcome> {
  const open = await deps.db.query<ShipmentRow & { tracking: unknown[] }>(
    `SELECT ${COLUMNS}, tracking FROM shipments WHERE tenant_id = $1 AND tracking_state NOT IN ('delivered', 'returned', 'cancelled') ORDER BY id`,
    [tenantId],
  );
  let changed = 0;
  let celUpdates = 0;
  let errors = 0;
  for (const s of open.filter((x) => !x.cel_registered)) if ((await registerAtCelro(deps, tenantId, s)).last_error) errors++;

  const byCourier = new Map<Exclude<CourierCode, 'manual'>, Array<ShipmentRow & { tracking: unknown[] }>>();
  for (const s of open) if (s.courier !== 'manual') byCourier.set(s.courier as Exclude<CourierCode, 'manual'>, [...(byCourier.get(s.courier as 'fancourier') ?? []), s]);
  for (const [code, list] of byCourier) {
    let tracking;
    try {
      tracking = await (await deps.courier(code)).track(list.map((s) => s.awb_number));
    } catch (e) {
      errors += list.length;
      await deps.db.query('UPDATE shipments SET last_error = $2, updated_at = now() WHERE id = ANY($1::bigint[])', [list.map((s) => s.id), `tracking: ${errorMessage(e)}`]);
      continue;
    }
    for (const s of list) {
      const t = tracking.get(s.awb_number);
      if (!t) continue;
      const moved = t.state !== s.tracking_state || t.events.length !== s.tracking.length;
      if (moved) {
        changed++;
        await deps.db.query('UPDATE shipments SET tracking_state = $2, tracking = $3::jsonb, tracked_at = now(), last_error = NULL, updated_at = now() WHERE id = $1', [s.id, t.state, JSON.stringify(t.events)]);
        for (const e of t.events.slice(s.tracking.length)) await shipmentEvent(deps.db, tenantId, s.id, 'tracking', { ...e });
      } else {
        await deps.db.query('UPDATE shipments SET tracked_at = now() WHERE id = $1', [s.id]);
      }
      if (moved && t.state === 'delivered') await codCollected(deps.db, tenantId, s);
      const cel = await moveCelOrder(deps, tenantId, s, t.state);
      if (cel) celUpdates++;
      if (cel === null) errors++;
    }
  }
  // Delivered parcels whose Cel.ro order could not be moved on (Cel.ro refused or was down): again now.
  const behind = await deps.db.query<ShipmentRow>(
    `SELECT ${COLUMNS} FROM shipments WHERE tenant_id = $1 AND cel_registered AND tracking_state = 'delivered' AND cel_status <> 'finished' AND courier <> 'manual' ORDER BY id`,
    [tenantId],
  );
  for (const s of behind) {
    const cel = await moveCelOrder(deps, tenantId, s, 'delivered');
    if (cel) celUpdates++;
    if (cel === null) errors++;
  }
  // AWBs registered by hand: Cel.ro's own view of them (orders/statusAwb) is the tracking.
  for (const s of open.filter((x) => x.courier === 'manual' && x.cel_registered)) {
    try {
      const seen = (await deps.channel.statusAwb(s.channel_order_id)).find((a) => a.awbNumber === s.awb_number);
      const state = trackingFromCelroStatus(seen?.status ?? null);
      if (!state || state === s.tracking_state) continue;
      changed++;
      await deps.db.query('UPDATE shipments SET tracking_state = $2, tracked_at = now(), last_error = NULL, updated_at = now() WHERE id = $1', [s.id, state]);
      await shipmentEvent(deps.db, tenantId, s.id, 'tracking', { state, source: 'celro', status: seen?.status ?? null });
      if (state === 'delivered') await codCollected(deps.db, tenantId, s);
    } catch (e) {
      errors++;
      await deps.db.query('UPDATE shipments SET last_error = $2, updated_at = now() WHERE id = $1', [s.id, `tracking on Cel.ro: ${errorMessage(e)}`]);
    }
  }
  return { checked: open.length, changed, celUpdates, errors };
}

/** Apply the plan's Cel.ro step; true = moved, false = nothing to do, null = Cel.ro refused (kept on the shipment). */
async function moveCelOrder(deps: { db: Queryable; channel: OrderChannel }, tenantId: string, s: ShipmentRow, tracking: TrackingState): Promise<boolean | null> {
  const action = celActionFor(tracking, s.cel_status as CelStatus);
  if (action === 'none' || !s.cel_registered) return false;
  const order = s.channel_order_id;
  try {
    if (action === 'ready_for_delivery' || action === 'ready_then_finish') {
      await readyForDelivery(deps.channel, order);
      await setCelStatus(deps.db, tenantId, s.id, 'ready_for_delivery');
    }
    if (action === 'finish' || action === 'ready_then_finish') {
      await deps.channel.finishOrder(order);
      await setCelStatus(deps.db, tenantId, s.id, 'finished');
    }
    return true;
  } catch (e) {
    await deps.db.query('UPDATE shipments SET last_error = $2, updated_at = now() WHERE id = $1', [s.id, `moving the Cel.ro order: ${errorMessage(e)}`]);
    return null;
  }
}

/** Cel.ro moves only a confirmed order to "ready for delivery": confirm a still-new one first. */
async function readyForDelivery(channel: OrderChannel, orderId: string): Promise<void> {
  try {
    await channel.setReadyForDelivery(orderId);
  } catch (first) {
    try {
      await channel.confirmOrder(orderId);
    } catch {
      throw first;
    }
    await channel.setReadyForDelivery(orderId);
  }
}

async function setCelStatus(db: Queryable, tenantId: string, shipmentId: number, status: CelStatus): Promise<void> {
  await db.query('UPDATE shipments SET cel_status = $2, updated_at = now() WHERE id = $1', [shipmentId, status]);
  await shipmentEvent(db, tenantId, shipmentId, `celro_${status}`, {});
}

/** A cash-on-delivery parcel delivered: the courier collected the money (payment source "courier"). */
async function codCollected(db: Queryable, tenantId: string, s: ShipmentRow): Promise<void> {
  const order = await db.maybeOne<{ raw: unknown; total: string | null; currency: string | null }>("SELECT raw, total, currency FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2", [tenantId, s.channel_order_id]);
  if (!order) return;
  const parsed = parseCelroOrder(order.raw, s.channel_order_id);
  if (parsed.paymentMethod !== 'cash_on_delivery' || parsed.paid === true) return;
  await recordPayment(db, tenantId, { orderId: s.channel_order_id, source: 'courier', status: 'paid', amount: order.total, currency: order.currency, provider: s.courier_name, reference: `awb:${s.awb_number}`, occurredAt: new Date(), payload: { awb: s.awb_number, courier: s.courier } });
}
