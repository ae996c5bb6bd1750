import type { AppContext } from '../context.ts';

export type { AppContext };

/**
 * The job registry: every job kind Vortex runs, with its handler. Later contexts (catalog, stock,
 * orders, fx) add their jobs and schedules here.
 */
export async function registerWorkers(_ctx: AppContext): Promise<void> {
  // No job kinds yet: the foundation ships the queue; catalog/stock/orders register theirs here.
}
