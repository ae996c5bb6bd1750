import type { Logger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from './queue.ts';
import { requestSync } from './request-sync.ts';
import type { SyncWhat } from './requests.ts';
import { runSync, type SyncSteps } from './run-sync.ts';
import { runSyncJob, syncTickJob } from './sync-jobs.ts';

/** Start working the sync jobs in this process. */
export async function workSyncJobs(deps: { db: Db; log: Logger; queue: JobQueue; steps: (tenantId: string) => Promise<SyncSteps> }): Promise<void> {
  await deps.queue.work(runSyncJob, (p, job) => runSync(deps, p.tenantId, { jobId: job.jobId, signal: job.signal }));
  await deps.queue.work(syncTickJob, (p) => requestSync(deps, p.tenantId, p.what as SyncWhat[], p.trigger));
}
