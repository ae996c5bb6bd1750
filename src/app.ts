import type { FastifyInstance } from 'fastify';
import type { Config } from './platform/config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import type { Db } from './store/db.ts';
import { migrate } from './store/migrate.ts';
import { openStore } from './store/open.ts';
import { ApiCallRecorder } from './sync/api-calls.ts';
import { JobQueue } from './sync/queue.ts';
import { registerWorkers } from './sync/registry.ts';
import { loadOrCreateLocalToken } from './auth/local-token.ts';
import { createSecretBox, resolveSecretKey, type SecretBox } from './tenants/secrets.ts';

export type Role = 'web' | 'worker';

/** Everything a running Vortex process holds, so it can be shut down in order. */
export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Db;
  readonly box: SecretBox;
  readonly queue: JobQueue;
  readonly web: FastifyInstance | undefined;
  stop(): Promise<void>;
}

/**
 * The composition root: open the store, apply migrations, then start the roles asked for.
 * `vortex start` = web + worker in one process (the only way on the embedded database);
 * `vortex web` and `vortex worker` run one role each against a PostgreSQL server.
 */
export async function startApp(config: Config, roles: readonly Role[], log: Logger = createLogger({ level: config.log.level })): Promise<App> {
  const db = await openStore(config.store, `vortex-${roles.join('+')}`);
  let queue: JobQueue | undefined;
  let web: FastifyInstance | undefined;
  let apiCalls: ApiCallRecorder | undefined;
  try {
    const box = createSecretBox(
      await resolveSecretKey({ envKey: config.secretKey, storeKind: config.store.kind, dataDir: config.store.dataDir, warn: (m) => log.warn(m) }),
    );
    const { applied } = await migrate(db);
    if (applied.length) log.info({ applied }, 'migrations applied');

    const runsWorker = roles.includes('worker');
    const jobs = await JobQueue.start({
      db,
      ...(config.store.kind === 'postgres' ? { databaseUrl: config.store.url } : {}),
      log: log.child({ component: 'jobs' }),
      pollSeconds: config.jobs.pollSeconds,
      batchSize: config.jobs.batchSize,
      supervise: runsWorker,
    });
    queue = jobs;
    apiCalls = new ApiCallRecorder(db, { onError: (e) => log.warn({ err: e }, 'could not write API call counts; kept for the next try') }).start();
    const ctx = { config, log, db, box, queue: jobs, apiCalls };
    const workers = runsWorker ? await registerWorkers(ctx) : undefined;
    if (roles.includes('web')) {
      // The CLI on this machine finds the API token here once panel users close the loopback door.
      if (!config.apiToken) loadOrCreateLocalToken(config.store.dataDir);
      // Loaded for the web role only: a `vortex worker` (started and restarted often) skips Fastify and the routes.
      const [{ buildServer }, { webModules }] = await Promise.all([import('./http/server.ts'), import('./http/modules.ts')]);
      web = await buildServer({ db, log }, webModules(ctx));
      await web.listen({ port: config.http.port, host: config.http.host });
    }

    let stopping: Promise<void> | undefined;
    const app: App = {
      config,
      log,
      db,
      box,
      queue: jobs,
      web,
      stop: () =>
        (stopping ??= (async () => {
          // Order matters: stop taking requests, let running jobs finish, then close the database.
          await web?.close().catch((e: unknown) => log.error({ err: e }, 'web close failed'));
          workers?.stop();
          // Running jobs are told to checkpoint at once; keep a few seconds of the bound for closing.
          const drainMs = Math.max(1, config.shutdownTimeoutSeconds - 5) * 1000;
          await jobs.stop({ timeoutMs: drainMs }).catch((e: unknown) => log.error({ err: e }, 'queue stop failed'));
          await apiCalls?.stop().catch((e: unknown) => log.warn({ err: e }, 'API call counts not written at shutdown'));
          await db.close();
        })()),
    };
    return app;
  } catch (e) {
    await apiCalls?.stop().catch(() => {});
    await web?.close().catch(() => {});
    await queue?.stop({ timeoutMs: 1000 }).catch(() => {});
    await db.close().catch(() => {});
    throw e;
  }
}
