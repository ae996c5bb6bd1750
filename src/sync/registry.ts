import type { AppContext } from '../context.ts';
import { registerFxJobs } from '../fx/daily.ts';

export type { AppContext };

/**
 * The job registry: every job kind Vortex runs, with its handler. Later contexts (catalog, stock,
 * orders, fx) add their jobs and schedules here.
 */
export async function registerWorkers(ctx: AppContext): Promise<void> {
  await registerFxJobs(ctx); // daily BNR/ECB rate import (VORTEX_FX_DAILY)
}
