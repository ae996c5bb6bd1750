import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from '../sync/queue.ts';
import { createSecretBox } from '../tenants/secrets.ts';
import { webModules } from './modules.ts';
import { buildServer } from './server.ts';

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

export async function describeApi(): Promise<{ spec: OpenApiDocument; routes: Array<{ method: string; url: string }> }> {
  const log = createLogger({ level: 'silent' });
  const refuse = new Proxy({}, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('describeApi opens no database'))) });
  const ctx: AppContext = { config: loadConfig({}), log, db: refuse as Db, queue: refuse as JobQueue, box: createSecretBox(randomBytes(32).toString('base64')) };
  const routes: Array<{ method: string; url: string }> = [];
  const app = await buildServer({ db: ctx.db, log }, webModules(ctx), {
    onRoute: (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.push({ method: m, url: r.url });
    },
  });
  await app.ready();
  const spec = app.swagger() as unknown as OpenApiDocument;
  await app.close();
  return { spec, routes };
}
