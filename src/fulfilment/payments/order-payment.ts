import type { PaymentMethod } from '../../core/types.ts';
import type { Queryable } from '../../store/db.ts';
import type { PaymentStatus } from './signed-webhook.ts';

/**
 * An order's payment from every source (the `PaymentSource` plug-ins): Cel.ro's own fields (card paid
 * online, cash on delivery), the signed payment webhook, lexoffice's payment state of the invoice, and
 * the courier delivering a cash-on-delivery parcel. Each source appends events to `payment_events`
 * (idempotent per source, reference and status); the order's payment is the newest event.
 */
export type PaymentSourceName = 'celro' | 'webhook' | 'lexoffice' | 'courier';

export interface PaymentEventInput {
  readonly orderId: string;
  readonly source: PaymentSourceName;
  readonly status: PaymentStatus;
  readonly amount?: string | null;
  readonly currency?: string | null;
  readonly provider?: string | null;
  readonly reference: string;
  readonly occurredAt: Date;
  readonly payload: unknown;
}

export async function recordPayment(db: Queryable, tenantId: string, e: PaymentEventInput): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO payment_events (tenant_id, channel_order_id, source, status, amount, currency, provider, reference, occurred_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) ON CONFLICT (tenant_id, source, reference, status) DO NOTHING RETURNING id`,
    [tenantId, e.orderId, e.source, e.status, e.amount ?? null, e.currency ?? null, e.provider ?? null, e.reference, e.occurredAt, JSON.stringify(e.payload ?? {})],
  );
  return rows.length > 0;
}

/** What Cel.ro's own order fields say (pure): card paid online → paid; otherwise expected (pending). */
export function celroPaymentEvent(o: { id: string; paymentMethod: PaymentMethod; paymentMethodName: string | null; paid: boolean | null; total: string | null; currency: string }): PaymentEventInput {
  return {
    orderId: o.id,
    source: 'celro',
    status: o.paid === true ? 'paid' : 'pending',
    amount: o.total,
    currency: o.currency,
    provider: o.paymentMethodName,
    reference: `celro:${o.id}`,
    occurredAt: new Date(),
    payload: { method: o.paymentMethod, paid: o.paid },
  };
}

export interface OrderPayment {
  readonly expected: string | null;
  readonly currency: string | null;
  readonly method: PaymentMethod | 'unknown';
  readonly status: PaymentStatus | 'unknown';
  readonly paidAt: Date | null;
  readonly source: string | null;
  readonly events: ReadonlyArray<{ status: string; source: string; amount: string | null; reference: string; occurredAt: Date }>;
}

/** The payment view of one order (pure over its events, newest first). */
export function summarizePayment(order: { total: string | null; currency: string | null; method: PaymentMethod | 'unknown' }, events: OrderPayment['events']): OrderPayment {
  const newest = events[0];
  const paid = events.find((e) => e.status === 'paid');
  return { expected: order.total, currency: order.currency, method: order.method, status: (newest?.status as PaymentStatus | undefined) ?? 'unknown', paidAt: paid?.occurredAt ?? null, source: newest?.source ?? null, events };
}

export async function orderPaymentEvents(db: Queryable, tenantId: string, orderId: string): Promise<OrderPayment['events']> {
  return db.query(
    `SELECT status, source, amount, reference, occurred_at AS "occurredAt" FROM payment_events
     WHERE tenant_id = $1 AND channel_order_id = $2 ORDER BY occurred_at DESC, id DESC`,
    [tenantId, orderId],
  );
}
