import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../src/context.ts';
import { apiModule } from '../../src/http/api/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { ApiCallRecorder } from '../../src/sync/api-calls.ts';
import { JobQueue } from '../../src/sync/queue.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';

/** An AppContext over a test database (queue started, no workers unless the test adds them). */
export async function testContext(db: Db & { url?: string }, env: Record<string, string> = {}): Promise<AppContext & { apiCalls: ApiCallRecorder; secretKey: string; stop(): Promise<void> }> {
  const config = loadConfig({ ...env, ...(db.url ? { DATABASE_URL: db.url } : {}) });
  const log = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const queue = await JobQueue.start({ db, ...(db.url ? { databaseUrl: db.url } : {}), log, notifyPollSeconds: 0.5, cronCheckSeconds: 2 });
  const secretKey = randomBytes(32).toString('base64');
  const box = createSecretBox(secretKey);
  const apiCalls = new ApiCallRecorder(db);
  return {
    config,
    log,
    db,
    box,
    queue,
    apiCalls,
    secretKey,
    stop: async () => {
      await apiCalls.stop().catch(() => {});
      await queue.stop({ timeoutMs: 2000 });
    },
  };
}

export async function testApi(ctx: AppContext): Promise<FastifyInstance> {
  return buildServer({ db: ctx.db, log: ctx.log }, [apiModule(ctx)]);
}
