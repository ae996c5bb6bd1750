import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import { defineJob } from '../sync/jobs.ts';
import { registerInvoiceJob } from './invoice-job.ts';
import { registerPaymentCheckJob } from './payments/payment-check-job.ts';
import { trackShipments } from './track-shipments.ts';
import { fulfilmentDeps } from './wiring.ts';

/** Every 5 minutes: a tracking pass for each tenant with open shipments (one job at a time in all processes). */
export const trackShipmentsJob = defineJob({ name: 'fulfilment.track', payload: z.object({}).loose(), policy: 'singleton', retryLimit: 2, expireInSeconds: 15 * 60 });

export async function registerFulfilmentJobs(ctx: AppContext): Promise<void> {
  await registerInvoiceJob(ctx); // the invoice PDF onto the Cel.ro order
  await registerPaymentCheckJob(ctx); // lexoffice's payment state of an order's invoice
  await ctx.queue.work(trackShipmentsJob, async () => {
    const tenants = await ctx.db.query<{ tenant_id: string }>("SELECT DISTINCT tenant_id FROM shipments WHERE tracking_state NOT IN ('delivered', 'returned', 'cancelled')");
    const results: Record<string, unknown> = {};
    for (const { tenant_id } of tenants) {
      try {
        results[tenant_id] = await trackShipments(await fulfilmentDeps(ctx, tenant_id), tenant_id);
      } catch (e) {
        results[tenant_id] = { error: errorMessage(e) };
        ctx.log.warn({ tenantId: tenant_id, err: errorMessage(e) }, 'shipment tracking failed for a tenant');
      }
    }
    return results;
  });
  await ctx.queue.schedule(trackShipmentsJob, '*/5 * * * *', {}, { key: 'all' });
}
