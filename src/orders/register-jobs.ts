import type { AppContext } from '../context.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import { enqueueInvoice } from '../fulfilment/invoice-job.ts';
import { importOrder, OrderBusyError } from './import-order.ts';
import { pollOrders, receiveOrders } from './intake.ts';
import { enqueueImport, importOrderJob, orderIntakeJob } from './jobs.ts';
import { orderDeps } from './wiring.ts';

/** The order jobs of a worker process: intake (push ids or poll) and the per-order import. */
export async function registerOrderJobs(ctx: AppContext, engine: MappingEngine): Promise<void> {
  await ctx.queue.work(orderIntakeJob, async (p, job) => {
    const d = await orderDeps(ctx, engine, p.tenantId, job.signal);
    const deps = { ...d, queue: ctx.queue, onInvoiceDue: (orderId: string) => enqueueInvoice(ctx.queue, p.tenantId, orderId).then(() => undefined) };
    return p.orderIds?.length ? receiveOrders(deps, p.tenantId, p.orderIds, p.trigger, { force: p.trigger.startsWith('push') || p.trigger.startsWith('api') }) : pollOrders(deps, p.tenantId);
  });
  await ctx.queue.work(importOrderJob, async (p, job) => {
    try {
      const r = await importOrder(await orderDeps(ctx, engine, p.tenantId, job.signal), p.tenantId, p.orderId);
      // The document exists: its PDF goes onto the Cel.ro order (a finalized invoice at once; a draft waits).
      if (r.state === 'acknowledged' && r.row.invoice_state !== 'attached') await enqueueInvoice(ctx.queue, p.tenantId, p.orderId);
      return { state: r.state };
    } catch (e) {
      if (!(e instanceof OrderBusyError)) throw e;
      // Another worker holds the order (or held it when it died): come back when its lease ends, not
      // after a growing retry backoff.
      const left = await ctx.db.maybeOne<{ s: number }>(
        "SELECT greatest(1, ceil(extract(epoch FROM lease_until - now())))::int AS s FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2",
        [p.tenantId, p.orderId],
      );
      await enqueueImport(ctx.queue, p.tenantId, p.orderId, { startAfterSeconds: (left?.s ?? 5) + 1 });
      return { busy: true, retryInSeconds: (left?.s ?? 5) + 1 };
    }
  });
}
