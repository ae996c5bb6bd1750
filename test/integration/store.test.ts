import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPglite } from '../../src/store/pglite.ts';
import type { Db } from '../../src/store/db.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';
import { storeVariants } from '../helpers/stores.ts';

for (const variant of await storeVariants()) {
  describe(`store on ${variant.name}`, { skip: variant.skip }, () => {
    let db: Db;
    before(async () => {
      db = await variant.open();
      await db.exec(`CREATE TABLE t_types (id bigserial PRIMARY KEY, n numeric(12,2), d date, ts timestamptz, j jsonb, big int8)`);
    });
    after(async () => db?.close());

    it('returns the same JS types from both drivers', async () => {
      await db.query('INSERT INTO t_types (n, d, ts, j, big) VALUES ($1, $2, $3, $4::jsonb, $5)', ['12.35', '2026-08-25', new Date('2026-01-02T03:04:05Z'), { a: [1, 'x'] }, 9007199254740991]);
      const row = await db.one<{ id: unknown; n: unknown; d: unknown; ts: unknown; j: unknown; big: unknown }>('SELECT * FROM t_types');
      assert.equal(row.id, 1);
      assert.equal(row.n, '12.35');
      assert.equal(row.d, '2026-08-25');
      assert.ok(row.ts instanceof Date && row.ts.toISOString() === '2026-01-02T03:04:05.000Z');
      assert.deepEqual(row.j, { a: [1, 'x'] });
      assert.equal(row.big, 9007199254740991);
      const c = await db.one<{ c: unknown }>('SELECT count(*) AS c FROM t_types');
      assert.equal(c.c, 1);
    });

    it('refuses an int8 beyond 2^53 instead of losing digits', async () => {
      await assert.rejects(db.query('SELECT 9007199254740993::int8 AS x'), /exceeds JS safe integer range/);
    });

    it('passes arrays of scalars as PostgreSQL arrays', async () => {
      const rows = await db.query<{ x: number }>('SELECT x FROM unnest($1::int[]) AS x WHERE x = ANY($1::int[]) ORDER BY x', [[3, 1, 2]]);
      assert.deepEqual(rows.map((r) => r.x), [1, 2, 3]);
    });

    it('commits a transaction and rolls back a failed one', async () => {
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO t_types (n) VALUES ('1.00')");
      });
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t_types (n) VALUES ('2.00')");
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.query<{ n: string }>("SELECT n FROM t_types WHERE n IN ('1.00', '2.00')");
      assert.deepEqual(rows.map((r) => r.n), ['1.00']);
    });

    it('one() and maybeOne() enforce their row counts', async () => {
      await assert.rejects(db.one('SELECT 1 WHERE false'), /exactly one row, got 0/);
      assert.equal(await db.maybeOne('SELECT 1 WHERE false'), undefined);
      await assert.rejects(db.maybeOne('SELECT generate_series(1, 2)'), /at most one row, got 2/);
    });

    it('withLock serialises holders of the same key; tryWithLock gives up while it is held', async () => {
      const events: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const firstIn = new Promise<void>((r) => (entered = r));
      const first = db.withLock('order:42', async () => {
        events.push('first in');
        entered();
        await gate;
        events.push('first out');
      });
      await firstIn; // the lock is held from here on (no timing assumption)
      if (db.kind === 'postgres') {
        // A second connection sees the lock as held (PGlite has one connection and serialises anyway).
        const tried = await db.tryWithLock('order:42', async () => 'got it');
        assert.deepEqual(tried, { acquired: false });
        const other = await db.tryWithLock('order:43', async () => 'other key');
        assert.deepEqual(other, { acquired: true, value: 'other key' });
      }
      const second = db.withLock('order:42', async () => {
        events.push('second in');
      });
      await new Promise((r) => setTimeout(r, 100));
      release();
      await Promise.all([first, second]);
      assert.deepEqual(events, ['first in', 'first out', 'second in']);
    });

    it('stores connection credentials only encrypted', async () => {
      const box = createSecretBox(randomBytes(32).toString('base64'));
      const repo = new TenantRepository(db, box);
      await repo.create({ id: 'acme', name: 'ACME SRL' }, 'test');
      await repo.setConnection('acme', 'celro', { credentials: { username: 'shop', password: 'hunter2' } }, 'test');
      const raw = await db.one<{ credentials_enc: string }>('SELECT credentials_enc FROM connections');
      assert.ok(!raw.credentials_enc.includes('hunter2'));
      const conn = await repo.getConnection('acme', 'celro');
      assert.deepEqual(conn.credentials, { username: 'shop', password: 'hunter2' });
      const audit = await db.query<{ details: unknown }>("SELECT details FROM audit_log WHERE action = 'connection.set'");
      assert.equal(audit.length, 1);
      assert.ok(!JSON.stringify(audit).includes('hunter2'));
      await assert.rejects(repo.create({ id: 'acme', name: 'again' }, 'test'), /already exists/);
      await assert.rejects(repo.setConnection('acme', 'lexoffice', { credentials: { apiKey: '' } }, 'test'), /invalid lexoffice credentials: apiKey/);
      // Tampering with the stored envelope is detected, not silently decrypted.
      // Flip one bit of the first ciphertext byte (editing the last base64 character could touch only padding bits).
      const parts = raw.credentials_enc.split('.');
      const ct = Buffer.from(parts[4]!, 'base64url');
      ct[0] = ct[0]! ^ 1;
      parts[4] = ct.toString('base64url');
      await db.query('UPDATE connections SET credentials_enc = $1', [parts.join('.')]);
      await assert.rejects(repo.getConnection('acme', 'celro'), /tampered/);
    });
  });
}

describe('embedded data directory lock', () => {
  it('refuses a second process with a clear message while the first holds the directory', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-lock-'));
    const db = await openPglite({ dataDir: path.join(dir, 'pg') });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', `const { openPglite } = await import(${JSON.stringify(new URL('../../src/store/pglite.ts', import.meta.url).pathname)}); await openPglite({ dataDir: ${JSON.stringify(path.join(dir, 'pg'))} });`], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      assert.notEqual(code, 0);
      assert.match(stderr, /already in use by another Vortex process/);
    } finally {
      await db.close();
    }
    // Released on close: the directory opens again, with its data.
    const again = await openPglite({ dataDir: path.join(dir, 'pg') });
    assert.equal((await again.one<{ x: number }>('SELECT 1 AS x')).x, 1);
    await again.close();
  });
});
