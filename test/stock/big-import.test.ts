import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, freePort, startVortex } from '../helpers/process.ts';
import { migratedDataDir } from '../helpers/stores.ts';

// A big stock import must not stall the web server: /healthz keeps answering while 100,000 rows are
// written (set-based chunks, the event loop yielded between them), on the embedded database, where the
// database runs inside the same process.
describe('a 100k-row stock import through the API of a running Vortex', () => {
  it('imports every row while /healthz keeps answering', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-big-import-'));
    await migratedDataDir(dataDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child } = await startVortex(['start'], { PORT: String(port), VORTEX_DATA_DIR: dataDir }, /vortex running/);
    try {
      assert.equal((await fetch(`${base}/api/tenants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'big', name: 'Big' }) })).status, 201);
      const csv = ['sku,quantity', ...Array.from({ length: 100_000 }, (_, i) => `SKU-${String(i).padStart(6, '0')},${i % 50}`)].join('\n');

      let polling = true;
      const gaps: number[] = [];
      const poller = (async () => {
        while (polling) {
          const t = Date.now();
          const r = await fetch(`${base}/healthz`);
          assert.equal(r.status, 200);
          gaps.push(Date.now() - t);
          await new Promise((res) => setTimeout(res, 25));
        }
      })();
      const started = Date.now();
      const res = await fetch(`${base}/api/tenants/big/stock/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
      const took = Date.now() - started;
      polling = false;
      await poller;
      assert.equal(res.status, 200, await res.clone().text());
      assert.deepEqual(await res.json(), { read: 100_000, changed: 100_000 });
      const worst = Math.max(...gaps);
      console.log(`# 100k rows in ${took} ms; /healthz answered ${gaps.length} times, slowest ${worst} ms`);
      assert.ok(gaps.length >= 5, `polled ${gaps.length} times during ${took} ms`);
      // Load-independent: the server keeps answering through the import (a blocking import leaves
      // /healthz unanswered for about its whole duration). The figure itself (~0.2 s on an idle
      // machine) is reported above and in the README, not asserted: timings belong to benchmarks.
      assert.ok(worst < Math.max(2000, took / 3), `/healthz took up to ${worst} ms during a ${took} ms import`);
      const level = (await (await fetch(`${base}/api/tenants/big/stock`)).json()) as { items: unknown[] };
      assert.equal(level.items.length, 100_000);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
