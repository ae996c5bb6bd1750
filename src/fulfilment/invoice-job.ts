import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { orderDocumentSettingsSchema, orderIntakeSettingsSchema } from '../orders/settings.ts';
import { celroClientFor, lexofficeClientFor } from '../sync/clients.ts';
import { defineJob } from '../sync/jobs.ts';
import type { JobQueue } from '../sync/queue.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { attachInvoice, lexofficeInvoiceSource, manualInvoiceSource } from './attach-invoice.ts';

/** Attach one order's invoice PDF to its Cel.ro order (one queued and one running per order). */
export const attachInvoiceJob = defineJob({
  name: 'fulfilment.invoice',
  payload: z.object({ tenantId: z.string().min(1).max(63), orderId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/) }),
  policy: 'stately',
  retryLimit: 10,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 120,
  // A killed worker's attachment is retried elsewhere within ~15 s (it asks Cel.ro first, so never twice).
  heartbeatSeconds: 10,
  expireInSeconds: 10 * 60,
  localConcurrency: 2,
  perGroup: { groupOf: (p) => p.tenantId, concurrency: 2 }, // fair across tenants (see JobDefinition.perGroup)
});

export function enqueueInvoice(queue: JobQueue, tenantId: string, orderId: string): Promise<string | null> {
  return queue.send(attachInvoiceJob, { tenantId, orderId }, { singletonKey: `${tenantId}/${orderId}` });
}

export async function attachInvoiceFor(ctx: Pick<AppContext, 'db' | 'box'>, tenantId: string, orderId: string) {
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const cel = await tenants.getConnection(tenantId, 'celro');
  const intake = orderIntakeSettingsSchema.parse(cel.settings ?? {});
  let source;
  if (intake.invoiceSource === 'manual') source = manualInvoiceSource(ctx.db);
  else {
    const lex = await tenants.getConnection(tenantId, 'lexoffice');
    source = lexofficeInvoiceSource(lexofficeClientFor(ctx, lex), orderDocumentSettingsSchema.parse(lex.settings ?? {}).invoiceNumberPattern);
  }
  return attachInvoice({ db: ctx.db, channel: celroClientFor(ctx, cel), source, maxBytes: intake.invoiceMaxBytes }, tenantId, orderId);
}

export async function registerInvoiceJob(ctx: AppContext): Promise<void> {
  await ctx.queue.work(attachInvoiceJob, async (p) => attachInvoiceFor(ctx, p.tenantId, p.orderId));
}

