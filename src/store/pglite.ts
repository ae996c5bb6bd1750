import fs from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { StoreError } from '../core/errors.ts';
import type { Db, Tx } from './db.ts';
import { lockingOps, normaliseParams, queryable } from './base.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { parseDate, parseInt8 } from './types.ts';

export interface PgliteOptions {
  /** Directory holding the database files; omitted = in memory. */
  readonly dataDir?: string;
  /** A tarball from dumpDataDir() to start from (tests load one migrated template this way). */
  readonly loadDataDir?: Blob;
}

const parsers = { [types.INT8]: parseInt8, [types.DATE]: parseDate };

/**
 * Embedded PostgreSQL (WASM). One process owns a data directory: PGlite itself does not stop a second
 * process from opening it and corrupting it, so we hold a lock file and refuse clearly (a lock left by a
 * dead process is taken over at once: see data-dir-lock.ts).
 */
export async function openPglite(opts: PgliteOptions = {}): Promise<Db & { readonly pglite: PGlite }> {
  let release: (() => Promise<void>) | undefined;
  if (opts.dataDir) {
    await fs.mkdir(opts.dataDir, { recursive: true });
    release = await lockDataDir(opts.dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      parsers,
    });
  } catch (e) {
    await release?.();
    throw new StoreError(`could not open the embedded database at ${opts.dataDir ?? 'memory'}: ${(e as Error).message}`, { cause: e });
  }

  const txQueryable = (tx: { query: PGlite['query']; exec: PGlite['exec'] }): Tx =>
    queryable(
      async (sql, params) => (await tx.query<Record<string, unknown>>(sql, normaliseParams(params))).rows,
      async (sql) => {
        await tx.exec(sql);
      },
    );

  const base = txQueryable(pglite);
  const transaction = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => pglite.transaction((tx) => fn(txQueryable(tx)));
  let closed = false;

  return {
    kind: 'pglite',
    pglite,
    ...base,
    transaction,
    ...lockingOps(transaction),
    close: async () => {
      if (closed) return;
      closed = true;
      await pglite.close();
      await release?.();
    },
  };
}
