import { Decimal } from '../core/decimal.ts';
import { NotFoundError, OutcomeUnknownError, ValidationError } from '../core/errors.ts';
import { withoutDiacritics, type ShipmentRequest } from '../core/shipping.ts';
import type { Queryable } from '../store/db.ts';
import type { Courier, OrderChannel, ShippableOrder } from './ports.ts';

export const COURIER_CODES = ['fancourier', 'sameday', 'manual'] as const;
export type CourierCode = (typeof COURIER_CODES)[number];

/** How Cel.ro's courier list names each adapter's courier. */
const CEL_NAME: Readonly<Record<Exclude<CourierCode, 'manual'>, string>> = { fancourier: 'Fan Courier', sameday: 'Sameday' };

export interface ShipInput {
  readonly orderId: string;
  readonly courier: CourierCode;
  /** Manual: the AWB made elsewhere, and the courier as Cel.ro names it ("Cargus", "DPD" …). */
  readonly awbNumber?: string;
  readonly courierName?: string;
  readonly weightKg?: string;
  readonly parcels?: number;
}

export interface ShipDeps {
  readonly db: Queryable;
  readonly channel: OrderChannel;
  readonly courier: (code: Exclude<CourierCode, 'manual'>) => Promise<Courier>;
}

export interface ShipmentRow {
  id: number;
  channel_order_id: string;
  courier: string;
  courier_name: string;
  awb_number: string;
  cel_registered: boolean;
  tracking_state: string;
  cel_status: string;
  last_error: string | null;
}

/**
 * Give a Cel.ro order its AWB: from a courier adapter (the order's delivery address, cash on delivery
 * when the buyer pays at the door) or registered by hand; then tell Cel.ro (`generateAwb` manual=1 with
 * Cel.ro's id for that courier). One AWB per order and courier: asking again returns the one made.
 * The AWB is stored the moment the courier returns it, so a failure telling Cel.ro is retried by the
 * tracking job instead of making another AWB.
 */
export async function shipOrder(deps: ShipDeps, tenantId: string, input: ShipInput): Promise<ShipmentRow> {
  const existing = await deps.db.maybeOne<ShipmentRow>(
    `SELECT ${COLUMNS} FROM shipments WHERE tenant_id = $1 AND channel_order_id = $2 AND courier = $3 AND ($4::text IS NULL OR awb_number = $4) ORDER BY id LIMIT 1`,
    [tenantId, input.orderId, input.courier, input.awbNumber?.trim() ?? null],
  );
  if (existing) return registerAtCelro(deps, tenantId, existing);

  let awbNumber: string;
  let courierName: string;
  let cost: string | null = null;
  if (input.courier === 'manual') {
    if (!input.awbNumber?.trim()) throw new ValidationError('a manual shipment needs awbNumber', [{ path: 'awbNumber', message: 'required for courier "manual"' }]);
    if (!input.courierName?.trim()) throw new ValidationError('a manual shipment needs courierName (as Cel.ro names the courier)', [{ path: 'courierName', message: 'required for courier "manual"' }]);
    awbNumber = input.awbNumber.trim();
    courierName = input.courierName.trim();
  } else {
    const order = await deps.channel.getOrder(input.orderId);
    const courier = await deps.courier(input.courier);
    try {
      const made = await courier.createAwb(shipmentFor(order, input));
      awbNumber = made.awbNumber;
      cost = made.cost;
    } catch (e) {
      if (e instanceof OutcomeUnknownError) {
        throw new OutcomeUnknownError(`${input.courier} may have created an AWB for order ${input.orderId} without answering: look it up there (reference ${input.orderId}) and register it with courier "manual" rather than asking again`, e.details ? { ...e.details } : {}, e);
      }
      throw e;
    }
    courierName = CEL_NAME[input.courier];
  }
  const row = await deps.db.one<ShipmentRow>(
    `INSERT INTO shipments (tenant_id, channel_order_id, courier, courier_name, awb_number, cost) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, channel_order_id, awb_number) DO UPDATE SET updated_at = now() RETURNING ${COLUMNS}`,
    [tenantId, input.orderId, input.courier, courierName, awbNumber, cost],
  );
  await shipmentEvent(deps.db, tenantId, row.id, 'awb_created', { courier: input.courier, courierName, awbNumber, cost });
  return registerAtCelro(deps, tenantId, row);
}

/** Tell Cel.ro about the AWB (once); a refusal is kept on the shipment and retried later. */
export async function registerAtCelro(deps: Pick<ShipDeps, 'db' | 'channel'>, tenantId: string, row: ShipmentRow): Promise<ShipmentRow> {
  if (row.cel_registered) return row;
  try {
    const couriers = await deps.channel.getCouriers();
    const wanted = norm(row.courier_name);
    const cel = couriers.find((c) => norm(c.name) === wanted) ?? couriers.find((c) => norm(c.name).startsWith(wanted) || wanted.startsWith(norm(c.name)));
    if (!cel) throw new NotFoundError(`Cel.ro has no courier named "${row.courier_name}" (it has: ${couriers.map((c) => c.name).join(', ')})`);
    await deps.channel.registerAwb(row.channel_order_id, cel.id, row.awb_number);
    const updated = await deps.db.one<ShipmentRow>(`UPDATE shipments SET cel_registered = true, cel_courier_id = $2, last_error = NULL, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [row.id, cel.id]);
    await shipmentEvent(deps.db, tenantId, row.id, 'awb_sent_to_celro', { celCourierId: cel.id });
    return updated;
  } catch (e) {
    const message = (e as Error).message;
    await deps.db.query('UPDATE shipments SET last_error = $2, updated_at = now() WHERE id = $1', [row.id, `telling Cel.ro: ${message}`]);
    await shipmentEvent(deps.db, tenantId, row.id, 'celro_refused_awb', { reason: message });
    return { ...row, last_error: `telling Cel.ro: ${message}` };
  }
}

/** The courier request for a Cel.ro order: delivery address (else billing), COD when paid at the door. */
export function shipmentFor(order: ShippableOrder, input: Pick<ShipInput, 'weightKg' | 'parcels'>): ShipmentRequest {
  const to = order.delivery ?? order.billing;
  if (!to) throw new ValidationError(`Cel.ro order ${order.id} has no delivery or billing address`, [{ path: 'delivery', message: 'missing' }], { orderId: order.id });
  const cod = order.paymentMethod === 'cash_on_delivery' && order.paid !== true && order.total ? new Decimal(order.total).toFixed(2) : null;
  return {
    reference: order.id,
    recipient: {
      name: to.name,
      phone: to.phone || order.phone || '',
      ...(order.email ? { email: order.email } : {}),
      county: to.county,
      city: to.city,
      street: to.street,
      ...(to.zip ? { postalCode: to.zip } : {}),
      ...(to.company ? { company: { name: to.company, ...(to.vatId ? { cui: to.vatId } : {}) } } : {}),
    },
    parcels: input.parcels ?? 1,
    weightKg: input.weightKg ?? '1',
    cashOnDelivery: cod,
    declaredValue: order.total,
    content: `Comanda Cel.ro ${order.id}`,
  };
}

export const COLUMNS = 'id, channel_order_id, courier, courier_name, awb_number, cel_registered, tracking_state, cel_status, last_error';

export async function shipmentEvent(db: Queryable, tenantId: string, shipmentId: number, kind: string, detail: Record<string, unknown>): Promise<void> {
  await db.query('INSERT INTO shipment_events (shipment_id, tenant_id, kind, detail) VALUES ($1, $2, $3, $4::jsonb)', [shipmentId, tenantId, kind, JSON.stringify(detail)]);
}

function norm(s: string): string {
  return withoutDiacritics(s).toLowerCase().replace(/[^a-z0-9]/g, '');
}
