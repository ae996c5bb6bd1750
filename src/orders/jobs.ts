import { z } from 'zod';
import { defineJob } from '../sync/jobs.ts';
import type { JobQueue } from '../sync/queue.ts';

const tenantId = z.string().min(1).max(63);
const orderId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/**
 * Import one order (its state machine to the next resting state). One queued and one active job per
 * order at most (stately + key), in every process; the order's lease guards the rest. A killed worker's
 * job is retried elsewhere after its heartbeat stops (~15 s); backoff up to a minute while an order is
 * busy or an API is down. A job whose retries ran out leaves the order where it was: the intake sweep
 * starts it again.
 */
export const importOrderJob = defineJob({
  name: 'orders.import',
  payload: z.object({ tenantId, orderId }),
  policy: 'stately',
  retryLimit: 25,
  retryDelaySeconds: 2,
  retryBackoff: true,
  retryDelayMaxSeconds: 60,
  heartbeatSeconds: 10,
  expireInSeconds: 10 * 60,
  localConcurrency: 4,
  // Three imports of one tenant at a time over all workers keep its lexoffice key (2 calls/s) busy;
  // the other slots stay free for other tenants' orders.
  perGroup: { groupOf: (p) => p.tenantId, concurrency: 3 },
});

/**
 * Read orders from Cel.ro into the store: the given ids (a push), or a poll (cursor + look-back +
 * sweep of orders whose import stopped). One queued per tenant and kind.
 */
export const orderIntakeJob = defineJob({
  name: 'orders.intake',
  payload: z.object({ tenantId, orderIds: z.array(orderId).max(100).optional(), trigger: z.string().max(40) }),
  policy: 'stately',
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 120,
  heartbeatSeconds: 10,
  expireInSeconds: 15 * 60,
  localConcurrency: 2,
});

export function enqueueImport(queue: JobQueue, tenantId: string, channelOrderId: string, opts: { startAfterSeconds?: number } = {}): Promise<string | null> {
  return queue.send(importOrderJob, { tenantId, orderId: channelOrderId }, { singletonKey: `${tenantId}/${channelOrderId}`, ...opts });
}

export function enqueueIntake(queue: JobQueue, tenantId: string, trigger: string, orderIds?: readonly string[]): Promise<string | null> {
  const key = orderIds?.length ? `${tenantId}/ids/${[...orderIds].sort().join(',')}`.slice(0, 200) : `${tenantId}/poll`;
  return queue.send(orderIntakeJob, { tenantId, trigger, ...(orderIds?.length ? { orderIds: [...orderIds] } : {}) }, { singletonKey: key });
}
