import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { SecretError } from '../../src/core/errors.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createSecretBox, resolveSecretKey } from '../../src/tenants/secrets.ts';

const key = () => randomBytes(32).toString('base64');

describe('secret box (AES-256-GCM)', () => {
  it('round-trips text and JSON, with a fresh IV each time', () => {
    const box = createSecretBox(key());
    const a = box.seal('api-key-123');
    const b = box.seal('api-key-123');
    assert.notEqual(a, b);
    assert.ok(!a.includes('api-key-123'));
    assert.equal(box.open(a), 'api-key-123');
    assert.deepEqual(box.openJson(box.sealJson({ username: 'u', password: 'p' })), { username: 'u', password: 'p' });
  });

  it('fails loudly on tampered ciphertext, tag or IV', () => {
    const box = createSecretBox(key());
    const env = box.seal('secret');
    const parts = env.split('.');
    for (const i of [2, 3, 4]) {
      const p = [...parts];
      const buf = Buffer.from(p[i]!, 'base64url');
      buf[0] = buf[0]! ^ 1;
      p[i] = buf.toString('base64url');
      assert.throws(() => box.open(p.join('.')), (e: Error) => e instanceof SecretError && /tampered/.test(e.message));
    }
    assert.throws(() => box.open('garbage'), /malformed/);
  });

  it('says when a value was sealed under another key', () => {
    const env = createSecretBox(key()).seal('x');
    assert.throws(() => createSecretBox(key()).open(env), /sealed with another key/);
  });

  it('generates a 0600 key file once in embedded mode and warns once', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-key-'));
    const warnings: string[] = [];
    const k1 = await resolveSecretKey({ envKey: undefined, storeKind: 'pglite', dataDir: dir, warn: (m) => warnings.push(m) });
    const k2 = await resolveSecretKey({ envKey: undefined, storeKind: 'pglite', dataDir: dir, warn: (m) => warnings.push(m) });
    assert.equal(k1, k2);
    assert.equal(warnings.length, 1);
    assert.equal((await fs.stat(path.join(dir, 'secret.key'))).mode & 0o777, 0o600);
  });

  it('requires VORTEX_SECRET_KEY with a PostgreSQL server', async () => {
    await assert.rejects(resolveSecretKey({ envKey: undefined, storeKind: 'postgres', dataDir: '/nonexistent', warn: () => {} }), /VORTEX_SECRET_KEY is required/);
  });
});

describe('logger redaction', () => {
  it('never writes secrets, at any depth', () => {
    let out = '';
    const sink = new Writable({
      write(chunk, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger({ destination: sink });
    log.info({ apiKey: 'k-1', conn: { password: 'p-2', nested: { token: 't-3' } }, headers: { authorization: 'Bearer b-4' } }, 'hello');
    for (const s of ['k-1', 'p-2', 't-3', 'b-4']) assert.ok(!out.includes(s), `${s} leaked: ${out}`);
    assert.match(out, /\[redacted\]/);
  });
});
