import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runVortex } from '../helpers/process.ts';
import { migratedDataDir } from '../helpers/stores.ts';

describe('vortex stock (CLI, embedded database)', () => {
  it('imports a file, applies a buffer and shows the published quantities; a bad file changes nothing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-stock-cli-'));
    await migratedDataDir(dir);
    const env = { VORTEX_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    assert.equal((await runVortex(['tenant', 'add', 'shop', '--name', 'Shop'], env)).code, 0);
    const good = path.join(dir, 'stock.csv');
    await fs.writeFile(good, 'sku;quantity\nA;10\nB;1\n');
    const imp = await runVortex(['stock', 'import', good, '--tenant', 'shop'], env);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, /2 rows read, 2 quantities changed/);
    assert.equal((await runVortex(['stock', 'policy', '--tenant', 'shop', '--buffer', '2'], env)).code, 0);
    const bad = path.join(dir, 'bad.json');
    await fs.writeFile(bad, '[{"sku":"A","quantity":1},{"sku":"B","quantity":-5}]');
    const rejected = await runVortex(['stock', 'import', bad, '--tenant', 'shop'], env);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /\[1\]: quantity for B must be a whole number/);
    const show = await runVortex(['stock', 'show', '--tenant', 'shop'], env);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /A\t10\t0\t8/);
    assert.match(show.stdout, /B\t1\t0\t0/);
  });
});
