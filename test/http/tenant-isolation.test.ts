import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { UserRepository } from '../../src/auth/users-repo.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { testContext } from '../helpers/app.ts';
import { EXAMPLES, urlOf } from '../helpers/route-examples.ts';
import { buildServerListingRoutes, type ListedRoute } from '../../src/http/describe-api.ts';
import { webModules } from '../../src/http/modules.ts';
import { testPglite } from '../helpers/stores.ts';

/**
 * Tenant isolation on every route: all routes the server registers (found through buildServer's onRoute
 * hook, so a route added later is walked too) are called by a merchant of tenant "shop" against tenant
 * "rival"'s ids. Each must answer exactly like an unknown tenant (404) or refuse (403) — and nothing
 * any route answers to anyone may contain a secret.
 */
const TOKEN = 'isolation-test-token-0123456789ab';
const SHOP_MERCHANT = { email: 'merchant@shop.example', password: 'shop merchant password' };
const RIVAL_MERCHANT = { email: 'merchant@rival.example', password: 'rival merchant password' };
const OPERATOR = { email: 'ops@vortex.example', password: 'operator password here' };
const SECRETS = { lexofficeKey: 'lexoffice-secret-api-key-4242', celroPassword: 'celro-secret-password-4242' };

describe('tenant isolation and secrets on every route', () => {
  let db: Db;
  let app: FastifyInstance;
  let stop: () => Promise<void>;
  let routes: ListedRoute[] = [];

  before(async () => {
    db = await testPglite();
    const ctx = await testContext(db, { VORTEX_API_TOKEN: TOKEN });
    const tenants = new TenantRepository(db, ctx.box);
    for (const id of ['shop', 'rival']) {
      await onboardTenant(db, ctx.box, { id, name: id }, 'test');
      await tenants.setConnection(id, 'lexoffice', { credentials: { apiKey: SECRETS.lexofficeKey }, baseUrl: 'http://127.0.0.1:9/' }, 'test');
      await tenants.setConnection(id, 'celro', { credentials: { username: `${id}-user`, password: SECRETS.celroPassword }, baseUrl: 'http://127.0.0.1:9/' }, 'test');
    }
    // Something of the rival's to find: an order, stock, an audit entry.
    await db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state, customer_name) VALUES ('rival', '777', '{}'::jsonb, 'h', 'quarantined', 'rival customer')`);
    // … and an open alert of each tenant (GET /api/alerts must show a merchant their own only).
    for (const id of ['shop', 'rival']) {
      await db.query(`INSERT INTO alerts (tenant_id, kind, subject, dedup_key, summary, first_seen, last_seen) VALUES ($1, 'quarantined_orders', '*', $1 || '/quarantined_orders/*', $1 || ' has 1 quarantined order', now(), now())`, [id]);
    }
    const users = new UserRepository(db);
    await users.create({ ...SHOP_MERCHANT, role: 'merchant', tenants: ['shop'] });
    await users.create({ ...RIVAL_MERCHANT, role: 'merchant', tenants: ['rival'] });
    await users.create({ ...OPERATOR, role: 'operator' });
    ({ app, routes } = await buildServerListingRoutes({ db, log: ctx.log }, webModules(ctx)));
    await app.ready();
    stop = async () => {
      await app.close();
      await ctx.stop();
      await db.close();
    };
  });
  after(async () => stop?.());

  async function session(user: { email: string; password: string }): Promise<Record<string, string>> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: user });
    assert.equal(res.statusCode, 200, res.body);
    return { cookie: `vortex_session=${res.cookies.find((c) => c.name === 'vortex_session')!.value}`, 'x-csrf-token': res.json().csrfToken };
  }

  function request(method: string, url: string, params: Record<string, string>, headers: Record<string, string>): InjectOptions {
    const ex = EXAMPLES[`${method} ${url}`] ?? {};
    return { method: method as InjectOptions['method'], url: urlOf(url, { ...ex.params, ...params }, ex.query), headers, ...(ex.body === undefined ? {} : { payload: ex.body as object }) };
  }

  it('a merchant reaches none of another tenant’s routes: each answers like an unknown tenant', async () => {
    const merchant = await session(SHOP_MERCHANT);
    const scoped = routes.filter((r) => r.url.startsWith('/api/tenants/:id'));
    assert.ok(scoped.length >= 30, `only ${scoped.length} tenant routes found`);
    const leaks: string[] = [];
    for (const { method, url } of scoped) {
      const rival = await app.inject(request(method, url, { id: 'rival' }, merchant));
      const unknown = await app.inject(request(method, url, { id: 'nobody-here' }, merchant));
      if (rival.statusCode !== 404 && rival.statusCode !== 403) leaks.push(`${method} ${url}: ${rival.statusCode} ${rival.body.slice(0, 120)}`);
      else if (rival.statusCode === 404 && rival.body.replace('rival', 'X') !== unknown.body.replace('nobody-here', 'X')) leaks.push(`${method} ${url}: answers differently from an unknown tenant`);
    }
    assert.deepEqual(leaks, []);
    // Nothing was changed for the rival along the way.
    const audit = await db.query<{ actor: string }>("SELECT actor FROM audit_log WHERE tenant_id = 'rival' AND actor LIKE 'user:%'");
    assert.deepEqual(audit, []);
  });

  it('a merchant is refused every route outside their tenants except their own account and tenant list', async () => {
    const merchant = await session(SHOP_MERCHANT);
    const global = routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/tenants/:id') && !r.url.startsWith('/api/docs'));
    for (const { method, url } of global) {
      if (url === '/api/auth/login' || url === '/api/auth/logout' || url === '/api/auth/logout-all') continue; // would end the session used here
      const res = await app.inject(request(method, url, {}, merchant));
      if (res.statusCode === 403) continue;
      assert.ok(res.statusCode < 500, `${method} ${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /rival/, `${method} ${url} shows the rival tenant or its people`);
    }
    const list = await app.inject({ method: 'GET', url: '/api/tenants', headers: merchant });
    assert.deepEqual((list.json().tenants as Array<{ id: string }>).map((t) => t.id).sort(), ['fresh', 'shop'].filter((id) => list.body.includes(`"${id}"`)));
    assert.ok(!(list.json().tenants as Array<{ id: string }>).some((t) => t.id === 'rival'));
    assert.equal((await app.inject({ method: 'POST', url: '/api/users', headers: merchant, payload: { email: 'x@example.com', role: 'operator', password: 'xxxxxxxxxxxxxxxx' } })).statusCode, 403);
    const alerts = await app.inject({ method: 'GET', url: '/api/alerts?state=all', headers: merchant });
    assert.deepEqual((alerts.json().alerts as Array<{ tenantId: string }>).map((a) => a.tenantId), ['shop']);
    const all = await app.inject({ method: 'GET', url: '/api/alerts?state=all', headers: await session(OPERATOR) });
    assert.deepEqual((all.json().alerts as Array<{ tenantId: string }>).map((a) => a.tenantId).sort(), ['rival', 'shop']);
  });

  it('the merchant’s own tenant works, and a tenant the merchant creates is theirs', async () => {
    const merchant = await session(SHOP_MERCHANT);
    assert.equal((await app.inject({ method: 'GET', url: '/api/tenants/shop/orders', headers: merchant })).statusCode, 200);
    const made = await app.inject({ method: 'POST', url: '/api/tenants', headers: merchant, payload: { id: 'shop-two', name: 'Shop Two' } });
    assert.equal(made.statusCode, 201, made.body);
    assert.equal((await app.inject({ method: 'GET', url: '/api/tenants/shop-two', headers: merchant })).statusCode, 200);
    const rival = await session(RIVAL_MERCHANT);
    assert.equal((await app.inject({ method: 'GET', url: '/api/tenants/shop-two', headers: rival })).statusCode, 404);
  });

  it('no route ever returns a credential, a password hash or a session token — to an operator either', async () => {
    const operator = await session(OPERATOR);
    const sessionToken = operator.cookie!.split('=')[1]!;
    const hashes = (await db.query<{ password_hash: string }>('SELECT password_hash FROM users')).map((r) => r.password_hash);
    const forbidden = [SECRETS.lexofficeKey, SECRETS.celroPassword, sessionToken, ...hashes, 'scrypt$'];
    let checked = 0;
    for (const { method, url } of routes) {
      if (method !== 'GET' || url.startsWith('/webhooks')) continue;
      for (const id of ['shop', 'rival']) {
        const res = await app.inject(request(method, url, { id }, url === '/metrics' ? { authorization: `Bearer ${TOKEN}` } : operator));
        checked++;
        for (const secret of forbidden) assert.ok(!res.body.includes(secret), `${method} ${url} (${id}) returns a secret`);
      }
    }
    assert.ok(checked > 20);
  });
});
