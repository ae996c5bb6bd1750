import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { lexofficeClientFor } from '../../sync/clients.ts';
import { defineJob } from '../../sync/jobs.ts';
import type { JobQueue } from '../../sync/queue.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { recordPayment } from './order-payment.ts';

/** lexoffice reported a payment change on a voucher: read its payment state (source "lexoffice"). */
export const paymentCheckJob = defineJob({
  name: 'fulfilment.payment-check',
  payload: z.object({ tenantId: z.string().min(1).max(63), voucherId: z.string().min(1).max(64) }),
  policy: 'stately',
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 5 * 60,
});

export function enqueuePaymentCheck(queue: JobQueue, tenantId: string, voucherId: string): Promise<string | null> {
  return queue.send(paymentCheckJob, { tenantId, voucherId }, { singletonKey: `${tenantId}/${voucherId}` });
}

export async function checkLexofficePayment(ctx: Pick<AppContext, 'db' | 'box'>, tenantId: string, voucherId: string): Promise<{ orders: number; status: string }> {
  const orders = await ctx.db.query<{ channel_order_id: string; total: string | null; currency: string | null }>("SELECT channel_order_id, total, currency FROM channel_orders WHERE tenant_id = $1 AND document_id = $2", [tenantId, voucherId]);
  if (orders.length === 0) return { orders: 0, status: 'not an order document' };
  const books = lexofficeClientFor(ctx, await new TenantRepository(ctx.db, ctx.box).getConnection(tenantId, 'lexoffice'));
  const p = await books.getPayment(voucherId);
  // `balanced` with nothing open = paid in lexoffice (a bank transfer matched, cash booked by hand, …).
  if (p.paymentStatus !== 'balanced' || Number(p.openAmount) !== 0) return { orders: orders.length, status: p.paymentStatus };
  const paidAt = p.paidDate ? new Date(p.paidDate) : new Date();
  for (const o of orders) {
    await recordPayment(ctx.db, tenantId, { orderId: o.channel_order_id, source: 'lexoffice', status: 'paid', amount: o.total, currency: o.currency, provider: 'lexoffice', reference: `lexoffice:${voucherId}`, occurredAt: paidAt, payload: p });
  }
  return { orders: orders.length, status: 'paid' };
}

export async function registerPaymentCheckJob(ctx: AppContext): Promise<void> {
  await ctx.queue.work(paymentCheckJob, async (p) => checkLexofficePayment(ctx, p.tenantId, p.voucherId));
}
