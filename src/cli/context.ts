import { userInfo } from 'node:os';
import type { Config } from '../platform/config.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { openStore } from '../store/open.ts';
import { createSecretBox, resolveSecretKey, type SecretBox } from '../tenants/secrets.ts';
import { TenantRepository } from '../tenants/tenants.ts';

/** For one-shot CLI commands: open the store (migrated) and the secret box, run, close. */
export async function withStore<T>(fn: (ctx: { config: Config; db: Db; box: SecretBox }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger({ level: config.log.level });
  const db = await openStore(config.store, 'vortex-cli');
  try {
    await migrate(db);
    const box = createSecretBox(
      await resolveSecretKey({ envKey: config.secretKey, storeKind: config.store.kind, dataDir: config.store.dataDir, warn: (m) => log.warn(m) }),
    );
    return await fn({ config, db, box });
  } finally {
    await db.close();
  }
}

/** withStore for commands about one tenant: an unknown tenant is one clear error, not a database one. */
export async function withTenant<T>(tenantId: string, fn: (ctx: { config: Config; db: Db; box: SecretBox }) => Promise<T>): Promise<T> {
  return withStore(async (ctx) => {
    await new TenantRepository(ctx.db, ctx.box).get(tenantId);
    return fn(ctx);
  });
}

/** Who the audit trail names for CLI changes: VORTEX_ACTOR (e.g. the operator's e-mail) or the OS user. */
export function cliActor(): string {
  if (process.env.VORTEX_ACTOR) return process.env.VORTEX_ACTOR;
  try {
    return `cli:${process.env.USER ?? userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
