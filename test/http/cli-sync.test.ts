import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, runVortex, startVortex } from '../helpers/process.ts';

describe('vortex sync (CLI → running instance)', () => {
  it('queues a run through the API of the running embedded instance, and explains errors', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-sync-cli-'));
    const port = await freePort();
    const env = { PORT: String(port), VORTEX_DATA_DIR: dataDir };
    const { child } = await startVortex(['start'], env, /vortex running/);
    try {
      const created = await fetch(`http://127.0.0.1:${port}/api/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'shop', name: 'Shop' }) });
      assert.equal(created.status, 201);
      const ok = await runVortex(['sync', '--tenant', 'shop', '--what', 'stock'], env);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /requested stock for shop/);
      const missing = await runVortex(['sync', '--tenant', 'nobody'], env);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /refused \(404\): tenant "nobody" not found/);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    const down = await runVortex(['sync', '--tenant', 'shop'], env);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach Vortex .* \(is it running\?\)/);
  });
});
