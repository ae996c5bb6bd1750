import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import { loadOrCreateKeyFile } from '../../src/tenants/secrets.ts';

async function modes(dir: string): Promise<Array<[string, number, boolean]>> {
  const out: Array<[string, number, boolean]> = [];
  const walk = async (p: string) => {
    const st = await fs.lstat(p);
    out.push([path.relative(dir, p) || '.', st.mode & 0o777, st.isDirectory()]);
    if (st.isDirectory()) for (const n of await fs.readdir(p)) await walk(path.join(p, n));
  };
  await walk(dir);
  return out;
}

describe('embedded data directory permissions', () => {
  it('the data directory, the database files, the lock and the key are readable by their owner only (0700/0600)', async () => {
    process.umask(0o022); // a typical shell
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-perm-'));
    const dataDir = path.join(root, 'data');
    await fs.mkdir(dataDir, { mode: 0o755 });
    await fs.writeFile(path.join(dataDir, 'left-by-an-old-version.txt'), 'x', { mode: 0o644 });
    const db = await openStore({ kind: 'pglite', dataDir });
    let closed = false;
    try {
      await db.query('CREATE TABLE t (x int)');
      await loadOrCreateKeyFile(dataDir);
      assert.equal((await fs.stat(dataDir)).mode & 0o777, 0o700, 'while running, the directory shuts everyone else out');
      await db.close();
      closed = true;
      const all = await modes(dataDir);
      assert.ok(all.length > 20, `the database wrote its files (${all.length})`);
      const open = all.filter(([, mode, isDir]) => (isDir ? mode !== 0o700 : (mode & 0o077) !== 0));
      assert.deepEqual(open, [], 'nothing readable by group or others');
    } finally {
      if (!closed) await db.close();
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
