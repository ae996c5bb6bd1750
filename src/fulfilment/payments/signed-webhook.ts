import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The generic signed payment webhook: how a merchant's own payment integration (a card processor, a
 * bank feed, a script) tells Vortex that an order was paid, refunded or failed. Pure: the body's shape
 * and the signature check; the route stores what passes.
 *
 * Signature (documented in README): `X-Vortex-Timestamp: <unix seconds>` and
 * `X-Vortex-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the tenant's secret>`.
 * The timestamp is part of what is signed and must be within `toleranceSeconds` of now, so a captured
 * call cannot be replayed later; a replay within the window is a duplicate event and changes nothing.
 */
export const PAYMENT_STATUSES = ['pending', 'authorized', 'paid', 'refunded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const paymentEventSchema = z.strictObject({
  /** The Cel.ro order id the payment is for. */
  orderId: z.string().regex(/^\d{1,20}$/, 'the Cel.ro order id (digits)'),
  status: z.enum(PAYMENT_STATUSES),
  /** Decimal string, e.g. "149.90". */
  amount: z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'a decimal amount with at most 2 decimals, e.g. "149.90"').optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter currency code').optional(),
  provider: z.string().min(1).max(100).optional(),
  /** The payment's own id at the provider: with the status, what makes an event unique. */
  reference: z.string().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type PaymentEvent = z.infer<typeof paymentEventSchema>;

export function signPayment(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Why the signature is not acceptable, or null when it is. */
export function signatureProblem(
  secret: string,
  rawBody: Buffer,
  headers: { signature: string | undefined; timestamp: string | undefined },
  now = Date.now(),
  toleranceSeconds = 300,
): string | null {
  if (!headers.signature || !headers.timestamp) return 'missing X-Vortex-Signature or X-Vortex-Timestamp';
  if (!/^\d{1,12}$/.test(headers.timestamp)) return 'X-Vortex-Timestamp must be unix seconds';
  const ts = Number(headers.timestamp);
  if (Math.abs(now / 1000 - ts) > toleranceSeconds) return `timestamp outside the ${toleranceSeconds} s window`;
  const expected = Buffer.from(signPayment(secret, ts, rawBody));
  const given = Buffer.from(headers.signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'signature does not verify';
}
