export type { Db, Queryable, Tx, StoreKind } from './db.ts';
export { openPglite } from './pglite.ts';
export { openPostgres } from './postgres.ts';
export { openStore, pgliteDir } from './open.ts';
export { migrate, pendingMigrations, loadMigrations } from './migrate.ts';
