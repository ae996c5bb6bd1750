import pg from 'pg';
import { StoreError } from '../core/errors.ts';
import type { Db, Tx } from './db.ts';
import { lockingOps, normaliseParams, queryable } from './base.ts';
import { PG_TYPES, parseDate, parseInt8 } from './types.ts';

export interface PostgresOptions {
  readonly url: string;
  readonly poolMax?: number;
  readonly applicationName?: string;
}

// Per-pool type parsers (not pg's global registry, which pg-boss shares) so both drivers agree.
const typeOverrides: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === PG_TYPES.INT8) return parseInt8;
    if (oid === PG_TYPES.DATE) return parseDate;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export async function openPostgres(opts: PostgresOptions): Promise<Db & { readonly pool: pg.Pool }> {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax ?? 10,
    application_name: opts.applicationName ?? 'vortex',
    types: typeOverrides,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});

  const clientQueryable = (c: pg.Pool | pg.PoolClient): Tx =>
    queryable(
      async (sql, params) => (await c.query(sql, normaliseParams(params))).rows as Record<string, unknown>[],
      async (sql) => {
        await c.query(sql);
      },
    );

  const transaction = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch((e: unknown) => {
      throw new StoreError(`database unreachable: ${(e as Error).message}`, { retryable: true, cause: e });
    });
    try {
      await client.query('BEGIN');
      const value = await fn(clientQueryable(client));
      await client.query('COMMIT');
      return value;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  };

  // Fail fast with a clear message rather than on the first real query.
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new StoreError(`cannot connect to PostgreSQL: ${(e as Error).message}`, { retryable: true, cause: e });
  }

  let closed = false;
  return {
    kind: 'postgres',
    pool,
    ...clientQueryable(pool),
    transaction,
    ...lockingOps(transaction),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
