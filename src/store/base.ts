import { StoreError } from '../core/errors.ts';
import { type Db, type Queryable, lockSql } from './db.ts';

type RawQuery = (sql: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;
type RawExec = (sql: string) => Promise<void>;

/** Build the Queryable helpers (one/maybeOne) on top of a driver's raw query and exec. */
export function queryable(rawQuery: RawQuery, rawExec: RawExec): Queryable {
  const q: Queryable = {
    query: async <R>(sql: string, params: readonly unknown[] = []) => (await rawQuery(sql, params)) as R[],
    one: async <R>(sql: string, params: readonly unknown[] = []) => {
      const rows = await rawQuery(sql, params);
      if (rows.length !== 1) throw new StoreError(`expected exactly one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0] as R;
    },
    maybeOne: async <R>(sql: string, params: readonly unknown[] = []) => {
      const rows = await rawQuery(sql, params);
      if (rows.length > 1) throw new StoreError(`expected at most one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0] as R | undefined;
    },
    exec: rawExec,
  };
  return q;
}

/** Serialise JS values the same way for both drivers: objects/arrays → JSON text for json(b) params. */
export function normaliseParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => {
    if (p === undefined) return null;
    if (p !== null && typeof p === 'object' && !(p instanceof Date) && !Buffer.isBuffer(p) && !(p instanceof Uint8Array)) {
      // Arrays of scalars stay arrays (for = ANY($1)); everything else becomes JSON text.
      if (Array.isArray(p) && p.every((x) => x === null || ['string', 'number', 'boolean'].includes(typeof x))) return p;
      return JSON.stringify(p);
    }
    if (typeof p === 'bigint') return p.toString();
    return p;
  });
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0]?.slice(0, 120) ?? '';
}

type Transaction = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

/** withLock / tryWithLock for any driver, built on its transaction(). */
export function lockingOps(transaction: Transaction): Pick<Db, 'withLock' | 'tryWithLock'> {
  return {
    withLock: (key, fn) =>
      transaction(async (tx) => {
        await tx.query(lockSql('wait'), [key]);
        return fn(tx);
      }),
    tryWithLock: <T>(key: string, fn: (tx: Queryable) => Promise<T>) =>
      transaction(async (tx): Promise<{ acquired: true; value: T } | { acquired: false }> => {
        const row = await tx.one<{ locked: boolean }>(lockSql('try'), [key]);
        if (!row.locked) return { acquired: false };
        return { acquired: true, value: await fn(tx) };
      }),
  };
}
