import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { buildServerListingRoutes, type ListedRoute } from '../../src/http/describe-api.ts';
import { webModules } from '../../src/http/modules.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { testContext } from '../helpers/app.ts';
import { testPglite } from '../helpers/stores.ts';

// Every route Fastify knows (new ones included automatically) gets whole hostile bodies and parameters: it
// must answer 4xx in the documented shape `{ error: { code, message } }`, never 500. (Field by field:
// bad-input-fields.test.ts; the CLI: cli-bad-input.test.ts.)

const HUGE = 'x'.repeat(10_000);
const BODIES: Array<[string, string, string]> = [
  ['malformed JSON', 'application/json', '{"onHand": '],
  ['30-digit number', 'application/json', '{"onHand": 123456789012345678901234567890, "delta": 123456789012345678901234567890, "what": 1}'],
  ['2^53-1', 'application/json', JSON.stringify({ onHand: 2 ** 53 - 1, delta: 2 ** 53 - 1, reason: 'x' })],
  ['99999999999', 'application/json', JSON.stringify({ onHand: 99_999_999_999, delta: 99_999_999_999, reason: 'x', floor: 99_999_999_999 })],
  ['negative and fractional', 'application/json', JSON.stringify({ onHand: -1.5, delta: 0.5, reason: '', cap: -3 })],
  ['wrong types', 'application/json', JSON.stringify({ id: 42, name: null, onHand: 'ten', what: ['all'], credentials: 'x', settings: [] })],
  ['array instead of object', 'application/json', '[1,2,3]'],
  ['deep nesting', 'application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ['huge strings', 'application/json', JSON.stringify({ id: HUGE, name: HUGE, reason: HUGE, sku: HUGE, document: HUGE })],
  ['CSV with a 10k-char SKU', 'text/csv', `sku,quantity\n${HUGE},1\nB,2^40\n`],
  ['empty body', 'application/json', ''],
];

describe('bad input on every API route: a 4xx naming the problem, never a 500', () => {
  let db: Db;
  let app: FastifyInstance;
  let stop: () => Promise<void>;
  let routes: ListedRoute[] = [];
  before(async () => {
    db = await testPglite();
    const ctx = await testContext(db);
    await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
    ({ app, routes } = await buildServerListingRoutes({ db, log: ctx.log }, webModules(ctx)));
    stop = async () => {
      await app.close();
      await ctx.stop();
      await db.close();
    };
  });
  after(async () => stop?.());

  it('walks every registered route with every hostile body and hostile path parameters', async () => {
    assert.ok(routes.length >= 15, `found ${routes.length} routes`);
    const failures: string[] = [];
    let calls = 0;
    for (const route of routes) {
      const urls = new Set([
        route.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' || name === 'tenantId' ? 'shop' : HUGE)),
        route.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' || name === 'tenantId' ? 'no-such-tenant' : '-1')),
        route.url.replace(/:(\w+)/g, () => encodeURIComponent('%00\u0000../..;')),
      ]);
      for (const url of urls) {
        const bodies = route.method === 'GET' || route.method === 'DELETE' ? [['none', '', ''] as [string, string, string]] : BODIES;
        for (const [name, type, body] of bodies) {
          const res = await app.inject({ method: route.method as 'GET', url: `${url}?limit=${HUGE}&state=%00`, ...(type ? { headers: { 'content-type': type } } : {}), ...(body ? { payload: body } : {}) });
          calls++;
          const where = `${route.method} ${route.url} [${name}, ${url.slice(0, 60)}]`;
          if (res.statusCode >= 500) failures.push(`${where} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (res.statusCode >= 400 && !route.url.startsWith('/webhooks')) {
            const json = res.json() as { error?: { code?: unknown; message?: unknown } };
            if (typeof json.error?.code !== 'string' || typeof json.error?.message !== 'string') failures.push(`${where} → ${res.statusCode} without the error shape: ${res.body.slice(0, 200)}`);
          }
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed`);
  });

  it('names the field and the limit', async () => {
    const r = await app.inject({ method: 'PUT', url: '/api/tenants/shop/stock/A', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ onHand: 99_999_999_999 }) });
    assert.equal(r.statusCode, 400);
    assert.match((r.json() as { error: { message: string } }).error.message, /onHand: quantity must be ≤ 1,000,000,000|onHand: must be ≤ 1,000,000,000/);
    const s = await app.inject({ method: 'PUT', url: `/api/tenants/shop/stock/${'S'.repeat(250)}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ onHand: 1 }) });
    assert.equal(s.statusCode, 400);
    assert.match((s.json() as { error: { message: string } }).error.message, /sku: must be at most 200 characters/);
    const t = await app.inject({ method: 'GET', url: '/api/tenants/no-such-tenant/runs' });
    assert.equal(t.statusCode, 404);
  });
});
