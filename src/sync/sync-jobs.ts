import { z } from 'zod';
import { defineJob } from './jobs.ts';
import { SYNC_WHATS } from './requests.ts';

const tenantId = z.string().min(1);

/** Run a tenant's sync: one at a time per tenant (stately + singletonKey = tenant id), at most one queued. */
export const runSyncJob = defineJob({
  name: 'sync.run',
  payload: z.object({ tenantId }),
  policy: 'stately',
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  retryDelayMaxSeconds: 300,
  // A run beats every 5 s; one whose worker died is retried elsewhere within ~15 s (heartbeat + supervise).
  heartbeatSeconds: 10,
  expireInSeconds: 30 * 60,
  localConcurrency: 2,
});

/** A scheduled tick (heartbeat or reconcile) that requests a sync run. */
export const syncTickJob = defineJob({
  name: 'sync.tick',
  payload: z.object({ tenantId, what: z.array(z.enum(SYNC_WHATS as [string, ...string[]])).min(1), trigger: z.string() }),
  retryLimit: 2,
});
