import path from 'node:path';
import type { Config } from '../platform/config.ts';
import type { Db } from './db.ts';
import { restrictDataDir, tightenFiles } from './permissions.ts';

/** The PGlite files live in a sub-folder so the data dir can also hold the lock and the key file. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pg');
}

/** Open the store the configuration asks for: PGlite in VORTEX_DATA_DIR, or the DATABASE_URL server. */
export async function openStore(store: Config['store'], applicationName = 'vortex'): Promise<Db> {
  // Each driver is loaded only when used: a process on PostgreSQL never loads PGlite, and the reverse.
  if (store.kind === 'postgres') return (await import('./postgres.ts')).openPostgres({ url: store.url, poolMax: store.poolMax, applicationName });
  await restrictDataDir(store.dataDir);
  const { openPglite } = await import('./pglite.ts');
  const db = await openPglite({ dataDir: pgliteDir(store.dataDir) });
  await tightenFiles(store.dataDir);
  return {
    ...db,
    close: async () => {
      await db.close();
      await tightenFiles(store.dataDir).catch(() => {});
    },
  };
}
