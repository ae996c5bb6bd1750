import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { emptyPostgres, postgresAvailable, testPglite } from '../helpers/stores.ts';
import { freePort, runVortex, startVortex } from '../helpers/process.ts';

const log = createLogger({ level: 'silent' });
const pg = await postgresAvailable();

describe('health and readiness', () => {
  it('PGlite: /healthz 200, /readyz 200, then 503 once the database is gone', async () => {
    const db = await testPglite();
    const app = await buildServer({ db, log });
    assert.equal((await app.inject('/healthz')).statusCode, 200);
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().store, 'pglite');
    await db.close();
    const down = await app.inject('/readyz');
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().reason, 'database unavailable');
    assert.equal((await app.inject('/healthz')).statusCode, 200, 'liveness does not depend on the database');
    await app.close();
  });

  it('PostgreSQL: /readyz 503 while migrations are pending, 503 when the server drops the database', { skip: pg.ok ? false : 'PostgreSQL unreachable' }, async () => {
    const { url, drop } = await emptyPostgres();
    const db = await openPostgres({ url, poolMax: 2 });
    const app = await buildServer({ db, log });
    const pending = await app.inject('/readyz');
    assert.equal(pending.statusCode, 503);
    assert.equal(pending.json().reason, 'migrations pending');
    await drop(); // the database disappears under the running process
    const down = await app.inject('/readyz');
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().reason, 'database unavailable');
    await app.close();
    await db.close().catch(() => {});
  });
});

describe('vortex start (embedded database)', () => {
  it('serves /healthz on PORT with data under VORTEX_DATA_DIR, refuses a second process, stops cleanly on SIGTERM', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-start-'));
    const port = await freePort();
    const env = { PORT: String(port), VORTEX_DATA_DIR: dataDir };
    const { child } = await startVortex(['start'], env, /vortex running/);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(((await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string }).status, 'ready');
      const entries = await fs.readdir(dataDir);
      assert.ok(entries.includes('pg') && entries.includes('secret.key'), `data dir holds ${entries.join(', ')}`);

      const second = await runVortex(['start'], { ...env, PORT: String(await freePort()) });
      assert.notEqual(second.code, 0);
      assert.match(second.stderr, /already in use by another Vortex process/);
    } finally {
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });

  it('exits non-zero naming the bad variable', async () => {
    const r = await runVortex(['start'], { PORT: 'not-a-port', VORTEX_DATA_DIR: path.join(os.tmpdir(), 'vortex-never') });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PORT="not-a-port"/);
  });

  it('`vortex --help` lists the commands', async () => {
    const r = await runVortex(['--help'], {});
    assert.equal(r.code, 0);
    for (const c of ['start', 'web', 'worker', 'migrate', 'tenant', 'sim']) assert.match(r.stdout, new RegExp(`\\n  ${c}\\b`));
  });
});
