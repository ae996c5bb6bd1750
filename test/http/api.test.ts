import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/store/db.ts';
import { testPglite } from '../helpers/stores.ts';
import { testApi, testContext } from '../helpers/app.ts';

describe('REST API', () => {
  let db: Db;
  let ctx: Awaited<ReturnType<typeof testContext>>;
  let app: FastifyInstance;
  before(async () => {
    db = await testPglite();
    ctx = await testContext(db);
    app = await testApi(ctx);
  });
  after(async () => {
    await app?.close();
    await ctx?.stop();
    await db?.close();
  });

  it('creates tenants and refuses bad input with the field named', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/tenants', payload: { id: 'acme', name: 'ACME SRL' } });
    assert.equal(ok.statusCode, 201);
    const bad = await app.inject({ method: 'POST', url: '/api/tenants', payload: { id: 'Bad Id!', name: '' } });
    assert.equal(bad.statusCode, 400);
    const paths = bad.json().error.issues.map((i: { path: string }) => i.path).sort();
    assert.deepEqual(paths, ['name']);
    const badId = await app.inject({ method: 'POST', url: '/api/tenants', payload: { id: 'Bad Id!', name: 'x' } });
    assert.equal(badId.statusCode, 400);
    assert.match(badId.json().error.message, /tenant id/);
    const dup = await app.inject({ method: 'POST', url: '/api/tenants', payload: { id: 'acme', name: 'again' } });
    assert.equal(dup.statusCode, 400);
    assert.equal((await app.inject('/api/tenants/nope')).statusCode, 404);
  });

  it('stores connection credentials but never returns them', async () => {
    const r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/connections/celro', payload: { credentials: { username: 'shop', password: 's3cret-pass' }, baseUrl: 'http://127.0.0.1:4020/market_api/' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(!r.body.includes('s3cret-pass'));
    const t = await app.inject('/api/tenants/acme');
    assert.ok(!t.body.includes('s3cret-pass'));
    assert.equal(t.json().connections[0].system, 'celro');
    const bad = await app.inject({ method: 'PUT', url: '/api/tenants/acme/connections/celro', payload: { credentials: { username: 'shop' } } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /password/);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/tenants/acme/connections/ebay', payload: { credentials: {} } })).statusCode, 400);
    const audit = await app.inject('/api/tenants/acme/audit');
    const set = audit.json().entries.find((e: { action: string }) => e.action === 'connection.set');
    assert.deepEqual(Object.keys(set.details).sort(), ['after', 'before', 'credentials'], 'what the connection was and became (credentials only as "replaced")');
    assert.ok(!audit.body.includes('s3cret-pass'));
  });

  it('manages stock: set, adjust, CSV import (all or nothing), policy', async () => {
    let r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock/SKU-1', payload: { onHand: 12 } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().published, 12);
    r = await app.inject({ method: 'POST', url: '/api/tenants/acme/stock/SKU-1/adjust', payload: { delta: -2, reason: 'sold in shop' } });
    assert.equal(r.json().onHand, 10);
    r = await app.inject({ method: 'POST', url: '/api/tenants/acme/stock/import', headers: { 'content-type': 'text/csv' }, payload: 'sku,quantity\nSKU-2,4\nSKU-3,x\n' });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /line 3/);
    r = await app.inject({ method: 'POST', url: '/api/tenants/acme/stock/import', payload: [{ sku: 'SKU-2', quantity: 4 }] });
    assert.deepEqual(r.json(), { read: 1, changed: 1 });
    r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock-policy', payload: { bufferKind: 'absolute', bufferValue: '1' } });
    assert.equal(r.statusCode, 200);
    r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock-policy/SKU-2', payload: { cap: 2 } });
    r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock-policy/SKU-2', payload: { cap: 3 } });
    r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock-policy/SKU-2', payload: { cap: 2 } });
    // The audit trail keeps who changed what, before and after.
    const policyAudit = (await app.inject('/api/tenants/acme/audit')).json().entries.find((e: { action: string; subject: string }) => e.action === 'stock.policy' && e.subject === 'SKU-2');
    assert.deepEqual(policyAudit.details, { before: { bufferKind: null, bufferValue: null, floor: null, cap: 3 }, after: { cap: 2 } });
    assert.match(policyAudit.actor, /^api:/);
    const items = Object.fromEntries((await app.inject('/api/tenants/acme/stock')).json().items.map((i: { sku: string; published: number }) => [i.sku, i.published]));
    assert.deepEqual(items, { 'SKU-1': 9, 'SKU-2': 2 });
    r = await app.inject({ method: 'PUT', url: '/api/tenants/acme/stock-policy', payload: { bufferKind: 'percent', bufferValue: '-3' } });
    assert.equal(r.statusCode, 400);
  });

  it('queues an on-demand sync and lists runs', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/tenants/acme/sync', payload: { what: 'stock' } });
    assert.equal(r.statusCode, 202);
    assert.deepEqual(r.json().requested, ['stock']);
    const manual = await db.query<{ what: string }>("SELECT what FROM sync_requests WHERE tenant_id = 'acme' AND trigger = 'manual'");
    assert.deepEqual(manual, [{ what: 'stock' }]);
    // The stock changes of the previous test asked for a stock push too (the tenant is connected to Cel.ro).
    const wakeUps = await db.query("SELECT 1 FROM sync_requests WHERE tenant_id = 'acme' AND trigger = 'stock-change'");
    assert.ok(wakeUps.length >= 4);
    assert.equal((await app.inject({ method: 'POST', url: '/api/tenants/acme/sync', payload: { what: 'everything' } })).statusCode, 400);
    assert.deepEqual((await app.inject('/api/tenants/acme/runs')).json(), { runs: [] });
  });
});

describe('API authentication', () => {
  it('requires the bearer token when VORTEX_API_TOKEN is set; loopback-only without it', async () => {
    const db = await testPglite();
    const token = 'tok-0123456789abcdef';
    const ctx = await testContext(db, { VORTEX_API_TOKEN: token });
    const app = await testApi(ctx);
    try {
      assert.equal((await app.inject('/api/tenants')).statusCode, 401);
      assert.equal((await app.inject({ url: '/api/tenants', headers: { authorization: 'Bearer wrong-token-000000' } })).statusCode, 401);
      assert.equal((await app.inject({ url: '/api/tenants', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
      assert.equal((await app.inject('/healthz')).statusCode, 200, 'health stays open');
    } finally {
      await app.close();
      await ctx.stop();
    }
    const ctx2 = await testContext(db);
    const open = await testApi(ctx2);
    try {
      assert.equal((await open.inject({ url: '/api/tenants', remoteAddress: '127.0.0.1' })).statusCode, 200);
      assert.equal((await open.inject({ url: '/api/tenants', remoteAddress: '10.1.2.3' })).statusCode, 401);
    } finally {
      await open.close();
      await ctx2.stop();
      await db.close();
    }
  });
});
