import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMigrations } from '../../src/store/migrate.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { migrate, pendingMigrations } from '../../src/store/migrate.ts';
import { emptyPostgres, postgresAvailable } from '../helpers/stores.ts';
import { runVortex } from '../helpers/process.ts';

const pg = await postgresAvailable();

describe('migrations', () => {
  it('applies every migration once on PGlite, then nothing; refuses an edited migration', async () => {
    const db = await openPglite();
    try {
      const all = await loadMigrations();
      assert.deepEqual(await pendingMigrations(db), all.map((m) => m.id));
      assert.deepEqual((await migrate(db)).applied, all.map((m) => m.id));
      assert.deepEqual((await migrate(db)).applied, []);
      assert.deepEqual(await pendingMigrations(db), []);
      const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
      await assert.rejects(migrate(db, edited), /was changed after it was applied/);
    } finally {
      await db.close();
    }
  });

  it('rolls back a failing migration entirely', async () => {
    const db = await openPglite();
    try {
      const bad = [{ id: '900_bad', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();', checksum: 'x' }];
      await assert.rejects(migrate(db, bad), /migration 900_bad failed/);
      const t = await db.one<{ present: boolean }>("SELECT to_regclass('half_done') IS NOT NULL AS present");
      assert.equal(t.present, false);
    } finally {
      await db.close();
    }
  });

  it('two `vortex migrate` processes started together on one PostgreSQL apply each migration exactly once', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, async () => {
    const { url, drop } = await emptyPostgres();
    try {
      const env = { DATABASE_URL: url };
      const [a, b] = await Promise.all([runVortex(['migrate'], env), runVortex(['migrate'], env)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const outputs = [a.stdout, b.stdout].sort();
      // Exactly one process applied the migrations; the other waited on the lock and found nothing to do.
      assert.match(outputs[0]!, /^applied: /);
      assert.match(outputs[1]!, /^schema is up to date/);
      const db = await openPostgres({ url });
      const rows = await db.query<{ id: string }>('SELECT id FROM vortex_migrations ORDER BY id');
      assert.deepEqual(rows.map((r) => r.id), (await loadMigrations()).map((m) => m.id));
      await db.close();
    } finally {
      await drop();
    }
  });
});
