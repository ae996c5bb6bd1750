/**
 * Write the API's OpenAPI description (what /api/docs/json serves) to a file — panel/openapi.json by
 * default, from which the panel's typed client is generated:
 *   node --import tsx scripts/openapi.ts [outfile]
 * The server is built in-process and never listens; building routes touches no database, so none is
 * opened (a request would fail, and none is made).
 */
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../src/context.ts';
import { webModules } from '../src/http/modules.ts';
import { buildServer } from '../src/http/server.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { Db } from '../src/store/db.ts';
import type { JobQueue } from '../src/sync/queue.ts';
import { createSecretBox } from '../src/tenants/secrets.ts';

const out = process.argv[2] ?? 'panel/openapi.json';
const log = createLogger({ level: 'silent' });
const noStore = new Proxy({}, { get: (_t, p) => (p === 'then' ? undefined : () => Promise.reject(new Error('scripts/openapi.ts opens no database'))) });
const ctx: AppContext = { config: loadConfig({}), log, db: noStore as Db, queue: noStore as JobQueue, box: createSecretBox(randomBytes(32).toString('base64')) };
const app = await buildServer({ db: ctx.db, log }, webModules(ctx));
await app.ready();
const spec = app.swagger();
writeFileSync(out, `${JSON.stringify(spec, null, 2)}\n`);
await app.close();
console.log(`${out}: ${Object.keys(spec.paths ?? {}).length} paths`);
