import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import type { SecretBox } from '../tenants/secrets.ts';
import type { RouteModule } from '../http/server.ts';
import type { JobQueue } from './queue.ts';

/** What job handlers and route modules are built from. */
export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly box: SecretBox;
  readonly queue: JobQueue;
}

/**
 * The job registry: every job kind Vortex runs, with its handler. Later contexts (catalog, stock,
 * orders, fx) add their jobs and schedules here.
 */
export async function registerWorkers(_ctx: AppContext): Promise<void> {
  // No job kinds yet: the foundation ships the queue; catalog/stock/orders register theirs here.
}

/** Route modules that contexts contribute to the web server (API, webhooks, panel). */
export function workerRouteModules(_ctx: AppContext): RouteModule[] {
  return [];
}
