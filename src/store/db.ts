/**
 * The one database API. Two implementations (embedded PGlite, PostgreSQL server through `pg`) give
 * the same results for the same SQL: int8 and count(*) come back as JS numbers (refusing values past
 * 2^53), numeric as decimal strings, date as 'YYYY-MM-DD' strings, timestamptz as Date, jsonb parsed.
 * SQL must stay valid on PostgreSQL 15 (PGlite is 18).
 */
export interface Queryable {
  /** Run one parameterised statement and return its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Exactly one row, or a StoreError. */
  one<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R>;
  /** Zero or one row. */
  maybeOne<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R | undefined>;
  /** Run a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type Tx = Queryable;

export type StoreKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: StoreKind;
  /** Run `fn` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Run `fn` in a transaction that holds the advisory lock for `key` (any string; hashed to 64 bits),
   * waiting for another holder to finish. The lock is released with the transaction, across all
   * processes sharing the database. Inside `fn` use `tx`, not the Db (on PGlite the Db waits for the tx).
   */
  withLock<T>(key: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Like withLock, but gives up at once when the lock is held elsewhere. */
  tryWithLock<T>(key: string, fn: (tx: Tx) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  /** Close connections and release the data directory. */
  close(): Promise<void>;
}

export function lockSql(kind: 'wait' | 'try'): string {
  // hashtextextended exists since PG 11; seed 0 keeps the mapping stable across versions.
  return kind === 'wait'
    ? 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0)) AS locked'
    : 'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked';
}
