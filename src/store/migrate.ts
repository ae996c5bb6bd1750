import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../core/errors.ts';
import type { Db } from './db.ts';

// Spelled from the repository root, two levels up: true from src/store/ and from the CLI bundle in dist/cli/.
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations', import.meta.url));
const MIGRATION_LOCK = 'vortex:migrations';
const FILE_NAME = /^(\d{3,})_[a-z0-9_]+\.sql$/;

export interface Migration {
  readonly id: string;
  readonly sql: string;
  readonly checksum: string;
}

/** The migration files, in order. Names are NNN_snake_case.sql; anything else in the folder is an error. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const seen = new Set<string>();
  return Promise.all(
    files.map(async (file) => {
      const m = FILE_NAME.exec(file);
      if (!m) throw new StoreError(`migration file ${file} must be named NNN_snake_case.sql`);
      if (seen.has(m[1]!)) throw new StoreError(`two migrations share number ${m[1]}`);
      seen.add(m[1]!);
      const sql = await fs.readFile(path.join(dir, file), 'utf8');
      return { id: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS vortex_migrations (
  id text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Apply pending migrations, each exactly once, even when several processes start together: the whole
 * run holds one advisory lock, so a second process waits, then finds nothing left to do. An applied
 * migration whose file changed is refused — migrations are immutable once shipped.
 */
export async function migrate(db: Db, migrations?: readonly Migration[]): Promise<{ applied: string[] }> {
  const all = migrations ?? (await loadMigrations());
  return db.withLock(MIGRATION_LOCK, async (tx) => {
    await tx.exec(CREATE_TABLE);
    const done = new Map((await tx.query<{ id: string; checksum: string }>('SELECT id, checksum FROM vortex_migrations')).map((r) => [r.id, r.checksum]));
    const applied: string[] = [];
    for (const m of all) {
      const checksum = done.get(m.id);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) throw new StoreError(`migration ${m.id} was changed after it was applied; add a new migration instead`);
        continue;
      }
      try {
        await tx.exec(m.sql);
      } catch (e) {
        throw new StoreError(`migration ${m.id} failed: ${(e as Error).message}`, { cause: e });
      }
      await tx.query('INSERT INTO vortex_migrations (id, checksum) VALUES ($1, $2)', [m.id, m.checksum]);
      applied.push(m.id);
    }
    return { applied };
  });
}

/** Pending migration ids (for /readyz): empty when the schema is current. */
export async function pendingMigrations(db: Db, migrations?: readonly Migration[]): Promise<string[]> {
  const all = migrations ?? (await loadMigrations());
  const exists = await db.one<{ present: boolean }>("SELECT to_regclass('vortex_migrations') IS NOT NULL AS present");
  if (!exists.present) return all.map((m) => m.id);
  const done = new Set((await db.query<{ id: string }>('SELECT id FROM vortex_migrations')).map((r) => r.id));
  return all.filter((m) => !done.has(m.id)).map((m) => m.id);
}
