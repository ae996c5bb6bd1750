import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { pgliteDir } from '../../src/store/open.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { openPostgres } from '../../src/store/postgres.ts';

/**
 * Test databases on both store forms, cheap to get:
 * - PGlite: one migrated template per migration set, dumped once to a tarball in the OS temp dir and
 *   loaded per test (0.5 s instead of 4 s and 650 MiB for a fresh instance).
 * - PostgreSQL: a throw-away database per test, cloned from a migrated template database.
 * Set VORTEX_TEST_DATABASE_URL to choose the server (default: local trust auth). When no server is
 * reachable the PostgreSQL variants are skipped loudly — unless VORTEX_TEST_REQUIRE_POSTGRES=1 (CI).
 */
export const ADMIN_URL = process.env.VORTEX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function migrationsHash(): Promise<string> {
  const h = createHash('sha256');
  for (const m of await loadMigrations()) h.update(m.id).update(m.checksum);
  return h.digest('hex').slice(0, 16);
}

let templateBlob: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `vortex-test-pglite-${await migrationsHash()}.tar`);
  try {
    return new Blob([await fs.readFile(file)]);
  } catch {
    const db = await openPglite();
    await migrate(db);
    const dump = await (db as Db & { pglite: PGlite }).pglite.dumpDataDir('none');
    await db.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await fs.writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await fs.rename(tmp, file); // atomic: parallel test files never read a half-written template
    return dump;
  }
}

/** A fresh, migrated in-memory PGlite. */
export async function testPglite(): Promise<Db> {
  templateBlob ??= pgliteTemplate();
  return openPglite({ loadDataDir: await templateBlob });
}

let dataDirTemplate: Promise<string> | undefined;

/** A migrated embedded database on disk, made once per migration set in the OS temp dir (like the tarball). */
async function migratedPgDir(): Promise<string> {
  const dir = path.join(os.tmpdir(), `vortex-test-pgdir-${await migrationsHash()}`);
  if (await fs.stat(path.join(dir, 'PG_VERSION')).then(() => true, () => false)) return dir;
  templateBlob ??= pgliteTemplate();
  const tmp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const db = await openPglite({ dataDir: tmp, loadDataDir: await templateBlob });
  await db.close();
  await fs.rm(`${tmp}.lock`, { force: true });
  // Atomic: parallel test files never copy a half-written directory; if another one won, use its copy.
  await fs.rename(tmp, dir).catch(() => fs.rm(tmp, { recursive: true, force: true }));
  return dir;
}

/**
 * Make `dataDir` a VORTEX_DATA_DIR whose embedded database is already migrated: for tests of CLI
 * commands, whose first run would otherwise create and migrate it (~6 s of CPU; a copy takes a fraction).
 * Tests of the first start itself keep an empty directory.
 */
export async function migratedDataDir(dataDir: string): Promise<void> {
  dataDirTemplate ??= migratedPgDir();
  await fs.cp(await dataDirTemplate, pgliteDir(dataDir), { recursive: true });
}

let serverState: Promise<{ ok: true } | { ok: false; reason: string }> | undefined;

export function postgresAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  serverState ??= (async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return { ok: true as const };
    } catch (e) {
      return { ok: false as const, reason: (e as Error).message };
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return serverState;
}

function urlFor(dbName: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
}

async function ensurePgTemplate(admin: pg.Client): Promise<string> {
  const name = `vortex_tpl_${await migrationsHash()}`;
  // Several test processes may race to build it: serialise on an advisory lock in the admin db.
  await admin.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${name}`);
      const db = await openPostgres({ url: urlFor(name), poolMax: 2 });
      await migrate(db);
      await db.close();
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
  }
  return name;
}

/** A fresh, migrated PostgreSQL database, dropped on close; also returns its URL (for pg-boss, child processes). */
export async function testPostgres(): Promise<Db & { url: string }> {
  const state = await postgresAvailable();
  if (!state.ok) throw new Error(`PostgreSQL not reachable at ${ADMIN_URL}: ${state.reason}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `vortex_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    const template = await ensurePgTemplate(admin);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const db = await openPostgres({ url, poolMax: 5 });
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await a.end();
    },
  };
}

export interface StoreVariant {
  readonly name: 'pglite' | 'postgres';
  readonly skip: string | false;
  open(): Promise<Db & { url?: string }>;
}

/** The two store forms, for `for (const v of await storeVariants()) describe(v.name, { skip: v.skip }, …)`. */
export async function storeVariants(): Promise<StoreVariant[]> {
  const state = await postgresAvailable();
  let skip: string | false = false;
  if (!state.ok) {
    if (process.env.VORTEX_TEST_REQUIRE_POSTGRES === '1') throw new Error(`VORTEX_TEST_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: ${state.reason}`);
    skip = `PostgreSQL unreachable at ${ADMIN_URL} (${state.reason})`;
    console.warn(`\n*** SKIPPING PostgreSQL store tests: ${skip} ***\n`);
  }
  return [
    { name: 'pglite', skip: false, open: testPglite },
    { name: 'postgres', skip, open: testPostgres },
  ];
}

/** An empty PostgreSQL database (no migrations applied) and a function to drop it. */
export async function emptyPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `vortex_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: urlFor(name),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
