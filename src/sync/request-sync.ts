import type { Db } from '../store/db.ts';
import type { JobQueue } from './queue.ts';
import { addSyncRequest, type SyncWhat } from './requests.ts';
import { runSyncJob } from './sync-jobs.ts';

/**
 * Ask for a tenant's sync. The request is stored first (never lost), then a run job is sent with the
 * tenant as singleton key: while one run is queued, further sends collapse into it (a burst of 100
 * webhooks → one run), and a run never overlaps another for the same tenant, in any process.
 * `delaySeconds` debounces wake-ups: the run starts after the burst window.
 */
export async function requestSync(
  deps: { db: Db; queue: JobQueue },
  tenantId: string,
  what: readonly SyncWhat[],
  trigger: string,
  opts: { delaySeconds?: number; detail?: Record<string, unknown> } = {},
): Promise<{ queued: boolean; requestId: number }> {
  const requestId = await addSyncRequest(deps.db, tenantId, what, trigger, opts.detail ?? {});
  const id = await deps.queue.send(runSyncJob, { tenantId }, { singletonKey: tenantId, ...(opts.delaySeconds ? { startAfterSeconds: opts.delaySeconds } : {}) });
  return { queued: id !== null, requestId };
}
