import { registerAlertsJob } from '../alerts/alerts-job.ts';
import type { AppContext } from '../context.ts';
import { registerFulfilmentJobs } from '../fulfilment/track-job.ts';
import { registerFxJobs } from '../fx/daily.ts';
import { MappingEngine } from '../mapping/engine.ts';
import { registerOrderJobs } from '../orders/register-jobs.ts';
import { SyncPump } from './pump.ts';
import { registerRetention } from './retention.ts';
import { tenantSteps } from './tenant-steps.ts';
import { workSyncJobs } from './work-sync.ts';

export type { AppContext };

/**
 * The job registry: every job kind Vortex runs, with its handler. Later contexts (catalog, stock,
 * orders, fx) add their jobs and schedules here.
 */
export async function registerWorkers(ctx: AppContext): Promise<{ stop(): void }> {
  await registerFxJobs(ctx); // daily BNR/ECB rate import (VORTEX_FX_DAILY)
  await registerRetention(ctx); // daily clean-up (VORTEX_RETENTION_DAYS)
  await registerFulfilmentJobs(ctx); // shipment tracking every 5 minutes
  await registerAlertsJob(ctx); // alert evaluation and notifications every minute
  const engine = new MappingEngine(ctx.db);
  await registerOrderJobs(ctx, engine); // order intake (push, poll) and per-order import
  await workSyncJobs({ db: ctx.db, log: ctx.log.child({ component: 'sync' }), queue: ctx.queue, steps: tenantSteps(ctx, engine) });
  const pump = new SyncPump(ctx);
  pump.start();
  return { stop: () => pump.stop() };
}
