import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/errors.ts';
import { loadConfig } from '../../src/platform/config.ts';

describe('config', () => {
  it('has working defaults: embedded store in ./.vortex, port 3000', () => {
    const c = loadConfig({});
    assert.equal(c.http.port, 3000);
    assert.equal(c.store.kind, 'pglite');
    assert.equal(c.store.dataDir, path.resolve('./.vortex'));
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/vortex', DATABASE_POOL_MAX: '7' });
    assert.equal(c.store.kind, 'postgres');
    assert.equal(c.store.kind === 'postgres' && c.store.poolMax, 7);
  });

  it('names every bad variable in the error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError);
    assert.deepEqual([...err.variables].sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    assert.match(err.message, /PORT="eighty"/);
    assert.match(err.message, /LOG_LEVEL="loud"/);
  });

  it('never echoes a secret key or database URL in the error', () => {
    const secret = 'not-base64-but-secret!!';
    assert.throws(
      () => loadConfig({ VORTEX_SECRET_KEY: secret, DATABASE_URL: 'mysql://user:hunter2@x' }),
      (e: Error) => e instanceof ConfigError && !e.message.includes(secret) && !e.message.includes('hunter2') && /VORTEX_SECRET_KEY/.test(e.message),
    );
  });

  it('rejects a secret key of the wrong length', () => {
    assert.throws(() => loadConfig({ VORTEX_SECRET_KEY: Buffer.alloc(16).toString('base64') }), /VORTEX_SECRET_KEY.*32 bytes/);
    assert.doesNotThrow(() => loadConfig({ VORTEX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }));
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ PORT: '' }).http.port, 3000);
  });
});
