import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../src/store/migrate.ts';
import { openPglite } from '../../src/store/pglite.ts';
import { exited, freePort, runVortex, startVortex } from '../helpers/process.ts';
import { migratedDataDir } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

describe('vortex sync (CLI → running instance)', () => {
  it('with --no-wait queues a run and returns; refusals and a stopped Vortex are one clear line', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-sync-cli-'));
    await migratedDataDir(dataDir);
    const port = await freePort();
    const env = { PORT: String(port), VORTEX_DATA_DIR: dataDir };
    const { child } = await startVortex(['start'], env, /vortex running/);
    try {
      const created = await fetch(`http://127.0.0.1:${port}/api/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'shop', name: 'Shop' }) });
      assert.equal(created.status, 201);
      const ok = await runVortex(['sync', '--tenant', 'shop', '--what', 'stock', '--no-wait'], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /requested stock for shop \(request \d+/);
      const missing = await runVortex(['sync', '--tenant', 'nobody'], env);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
      assert.match(missing.stderr, /^vortex: POST \/api\/tenants\/nobody\/sync refused \(404\): tenant "nobody" not found/);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
    const down = await runVortex(['sync', '--tenant', 'shop'], env);
    assert.equal(down.code, 1);
    assert.equal(down.stderr.trim().split('\n').length, 1, down.stderr);
    assert.match(down.stderr, /^vortex: Vortex is not running at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): start it with `npm start` or `vortex start`, or pass --url/);
  });

  describe('follows the run it asked for to the end', () => {
    let w: World;
    let env: Record<string, string>;
    let root: string;
    before(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-sync-follow-'));
      const dataDir = path.join(root, 'data');
      w = await startWorld({ name: 'pglite', skip: false, open: async () => { const db = await openPglite({ dataDir: path.join(dataDir, 'pg') }); await migrate(db); return db; } }, { articles: 30 });
      await w.releaseStore();
      env = { PORT: String(await freePort()), VORTEX_DATA_DIR: dataDir, VORTEX_SECRET_KEY: w.secretKey, VORTEX_FX_DAILY: 'none' };
    });
    after(async () => {
      await w?.close();
      await fs.rm(root, { recursive: true, force: true });
    });

    it('prints the progress and the counts of the run, and exits 0 when it succeeded', async () => {
      const { child } = await startVortex(['start'], env, /vortex running/);
      try {
        const r = await runVortex(['sync', '--tenant', TENANT, '--what', 'catalog'], env, 120_000);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /requested catalog for shop/);
        // The run that covers the request may also push stock (a request pending from the start-up
        // heartbeat joins it), and its counts come back from jsonb in jsonb's key order: match anywhere.
        assert.match(r.stdout, /run \d+ succeeded: (.*; )?catalog\.pull read 30/);
        // (the first heartbeat after start may have published already: the publish counts vary)
        assert.match(r.stdout, /catalog\.publish /);
        assert.ok(w.cel.state.products.size > 0, 'and the catalog is on Cel.ro');
      } finally {
        child.kill('SIGTERM');
        await exited(child);
      }
    });
  });
});
