import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { panelModule } from '../../src/http/panel.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Db } from '../../src/store/db.ts';

// The panel's static serving (src/http/panel.ts) on a made-up build: files, index.html for client-side
// routes, JSON 404s for server paths and missing assets, the security headers, and the page shown
// when there is no build yet.

const log = createLogger({ level: 'silent' });
const noDb = {} as Db; // the panel module never touches the store

async function serve(distDir: string): Promise<FastifyInstance> {
  return buildServer({ db: noDb, log }, [panelModule({ distDir })]);
}

describe('panel static files', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-panel-'));
    await fs.mkdir(path.join(dir, 'dist', 'assets'), { recursive: true });
    await fs.writeFile(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>Vortex</title><script type="module" src="/assets/app-1.js"></script>');
    await fs.writeFile(path.join(dir, 'dist', 'assets', 'app-1.js'), 'console.log(1)');
    await fs.writeFile(path.join(dir, 'secret.txt'), 'outside the build');
    app = await serve(path.join(dir, 'dist'));
  });
  after(async () => {
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client-side routes, with the security headers', async () => {
    for (const url of ['/', '/t/shop/orders/2004301', '/login?next=%2F']) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.headers['content-type'] as string, /text\/html/);
      assert.match(r.body, /<title>Vortex<\/title>/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      const csp = r.headers['content-security-policy'] as string;
      assert.match(csp, /script-src 'self';/);
      assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.equal(r.headers['referrer-policy'], 'no-referrer');
    }
  });

  it('serves hashed assets for a year', async () => {
    const r = await app.inject({ url: '/assets/app-1.js' });
    assert.equal(r.statusCode, 200);
    assert.match(r.headers['cache-control'] as string, /max-age=31536000.*immutable/);
  });

  it('answers JSON 404s for server paths, missing assets and paths outside the build', async () => {
    for (const url of ['/api/nope', '/webhooks/x', '/metrics/x', '/healthz/x', '/assets/missing.js', '/../secret.txt', '/%2e%2e/secret.txt']) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 404, url);
      assert.equal((r.json() as { error: { code: string } }).error.code, 'not_found', url);
    }
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'the server routes themselves are untouched');
  });

  it('without a build, / says how to make one', async () => {
    const bare = await serve(path.join(dir, 'no-build'));
    try {
      const r = await bare.inject({ url: '/t/shop' });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /npm run build:panel/);
    } finally {
      await bare.close();
    }
  });
});
