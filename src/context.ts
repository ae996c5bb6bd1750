import type { Config } from './platform/config.ts';
import type { Logger } from './platform/logger.ts';
import type { Db } from './store/db.ts';
import type { ApiCallRecorder } from './sync/api-calls.ts';
import type { JobQueue } from './sync/queue.ts';
import type { SecretBox } from './tenants/secrets.ts';

/** What job handlers and route modules of a running Vortex process are built from. */
export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly box: SecretBox;
  readonly queue: JobQueue;
  /** Counts this process's calls to lexoffice and Cel.ro for /metrics (absent in some tools and tests). */
  readonly apiCalls?: ApiCallRecorder;
}
