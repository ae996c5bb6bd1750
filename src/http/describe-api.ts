import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from '../sync/queue.ts';
import { createSecretBox } from '../tenants/secrets.ts';
import { webModules } from './modules.ts';
import { buildServer, type RouteModule, type WebDeps } from './server.ts';

export interface ListedRoute {
  readonly method: string;
  readonly url: string;
}

/** The web server with the list of every route it registered (HEAD and OPTIONS left out): for the walks that must miss none. */
export async function buildServerListingRoutes(deps: WebDeps, modules: readonly RouteModule[]): Promise<{ app: FastifyInstance; routes: ListedRoute[] }> {
  const routes: ListedRoute[] = [];
  const app = await buildServer(deps, modules, {
    onRoute: (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.push({ method: m, url: r.url });
    },
  });
  return { app, routes };
}

/**
 * The OpenAPI document of the web server and the routes it registers, without a database: building
 * routes touches none, so a stand-in that refuses every call is enough (scripts/openapi.ts, the tests).
 */
export interface OpenApiDocument {
  readonly openapi: string;
  /** path → method → operation */
  readonly paths: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

export async function describeApi(): Promise<{ spec: OpenApiDocument; routes: ListedRoute[] }> {
  const log = createLogger({ level: 'silent' });
  const refuse = new Proxy({}, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('describeApi opens no database'))) });
  const ctx: AppContext = { config: loadConfig({}), log, db: refuse as Db, queue: refuse as JobQueue, box: createSecretBox(randomBytes(32).toString('base64')) };
  const { app, routes } = await buildServerListingRoutes({ db: ctx.db, log }, webModules(ctx));
  await app.ready();
  const spec = app.swagger() as unknown as OpenApiDocument;
  await app.close();
  return { spec, routes };
}
