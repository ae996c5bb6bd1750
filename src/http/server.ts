import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import { pendingMigrations } from '../store/migrate.ts';
import { installErrorHandler } from './errors.ts';

export interface WebDeps {
  readonly db: Db;
  readonly log: Logger;
}

/** A route plug-in: each bounded context adds its routes through one of these. */
export type RouteModule = (app: FastifyInstance, deps: WebDeps) => Promise<void> | void;

/**
 * The HTTP server: health and readiness now; the API, webhooks, panel and /metrics are added as
 * route modules by the contexts that own them.
 */
export async function buildServer(deps: WebDeps, modules: readonly RouteModule[] = [], opts: { onRoute?: (route: { method: string | string[]; url: string }) => void } = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 10 * 1024 * 1024,
    // Long enough that any parameter reaching us gets the route's own check, which names the parameter
    // and its limit (a 10k-character SKU: "sku: must be at most 200 characters", not a bare 414).
    // Node's HTTP parser caps the whole request head at 16 KB anyway.
    routerOptions: { maxParamLength: 16 * 1024 },
    // Errors the framework raises before a route runs (a path parameter too long, a bad URL) in the
    // same shape as every other error.
    frameworkErrors: (err, _req, reply) => {
      const e = err as { statusCode?: number; code?: string; message: string };
      const r = reply as unknown as { code(n: number): { send(b: unknown): void } };
      r.code(e.statusCode && e.statusCode < 500 ? e.statusCode : 400).send({ error: { code: e.code ?? 'bad_request', message: e.message } });
    },
  });

  installErrorHandler(app);
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}` } }));
  // Tools that must see every route (the bad-input walk in the tests, the OpenAPI listing) hook in here.
  if (opts.onRoute) app.addHook('onRoute', (r) => opts.onRoute!({ method: r.method, url: r.url }));

  // Liveness: the process is up and serving. Never touches the database.
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Readiness: the database answers and its schema is current.
  app.get('/readyz', async (_req, reply) => {
    try {
      const pending = await withTimeout(pendingMigrations(deps.db), 3000);
      if (pending.length > 0) return reply.code(503).send({ status: 'not_ready', reason: 'migrations pending', pending });
      return { status: 'ready', store: deps.db.kind };
    } catch (e) {
      return reply.code(503).send({ status: 'not_ready', reason: 'database unavailable', error: (e as Error).message });
    }
  });

  for (const m of modules) await m(app, deps);
  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
