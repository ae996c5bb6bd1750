import type { AppContext } from '../context.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import { importOrder } from './import-order.ts';
import { pollOrders, receiveOrders } from './intake.ts';
import { importOrderJob, orderIntakeJob } from './jobs.ts';
import { orderDeps } from './wiring.ts';

/** The order jobs of a worker process: intake (push ids or poll) and the per-order import. */
export async function registerOrderJobs(ctx: AppContext, engine: MappingEngine): Promise<void> {
  await ctx.queue.work(orderIntakeJob, async (p, job) => {
    const d = await orderDeps(ctx, engine, p.tenantId, job.signal);
    const deps = { ...d, queue: ctx.queue, log: d.log };
    return p.orderIds?.length ? receiveOrders(deps, p.tenantId, p.orderIds, p.trigger) : pollOrders(deps, p.tenantId);
  });
  await ctx.queue.work(importOrderJob, async (p, job) => {
    const r = await importOrder(await orderDeps(ctx, engine, p.tenantId, job.signal), p.tenantId, p.orderId);
    return { state: r.state };
  });
}
