import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServerListingRoutes, describeApi, type ListedRoute, type OpenApiDocument } from '../../src/http/describe-api.ts';
import { webModules } from '../../src/http/modules.ts';
import type { Db } from '../../src/store/db.ts';
import { testContext } from '../helpers/app.ts';
import { testPglite } from '../helpers/stores.ts';

/**
 * The OpenAPI description at /api/docs: every /api route is in it with its method (walked through
 * buildServer's onRoute hook, so a new route cannot be forgotten), described from its zod schemas; it is
 * served without the API token; panel/openapi.json (the panel's typed client is generated from it) is
 * the current one.
 */
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI description', () => {
  let db: Db;
  let app: FastifyInstance;
  let stop: () => Promise<void>;
  let spec: OpenApiDocument;
  let routes: ListedRoute[] = [];
  before(async () => {
    db = await testPglite();
    const ctx = await testContext(db, { VORTEX_API_TOKEN: 'the-token-0123456789' });
    ({ app, routes } = await buildServerListingRoutes({ db, log: ctx.log }, webModules(ctx)));
    stop = async () => {
      await app.close();
      await ctx.stop();
      await db.close();
    };
    const res = await app.inject('/api/docs/json');
    assert.equal(res.statusCode, 200, res.body);
    spec = res.json();
  });
  after(async () => stop?.());

  it('is served without the API token (the API itself is not)', async () => {
    assert.equal((await app.inject('/api/tenants')).statusCode, 401);
    const ui = await app.inject('/api/docs');
    assert.ok(ui.statusCode < 400, `UI: ${ui.statusCode}`);
    const page = await app.inject(ui.headers.location ? String(ui.headers.location) : '/api/docs');
    assert.ok(page.statusCode === 200 || page.statusCode === 302, `UI page: ${page.statusCode}`);
    assert.equal(spec.openapi, '3.1.0');
  });

  it('lists every /api route with its method, a summary and one tag, and every path parameter', () => {
    const api = routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
    assert.ok(api.length >= 40, `only ${api.length} API routes`);
    const problems: string[] = [];
    for (const r of api) {
      const op = spec.paths[openapiPath(r.url)]?.[r.method.toLowerCase()] as { summary?: string; tags?: string[]; parameters?: Array<{ in: string; name: string }> } | undefined;
      if (!op) {
        problems.push(`${r.method} ${r.url}: missing`);
        continue;
      }
      if (!op.summary) problems.push(`${r.method} ${r.url}: no summary`);
      if (op.tags?.length !== 1) problems.push(`${r.method} ${r.url}: tags ${JSON.stringify(op.tags)}`);
      for (const [, name] of r.url.matchAll(/:(\w+)/g)) if (!op.parameters?.some((p) => p.in === 'path' && p.name === name)) problems.push(`${r.method} ${r.url}: path parameter ${name} not described`);
    }
    assert.deepEqual(problems, []);
    const documented = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    assert.equal(documented.length, api.length, 'no operation without a route, none twice');
    assert.ok(!Object.keys(spec.paths).some((p) => p.startsWith('/webhooks') || p.startsWith('/api/docs') || p === '/metrics'), 'only the API is described');
  });

  it('describes request bodies, query strings and answers from the zod schemas', () => {
    const op = (method: string, path: string) => spec.paths[path]![method] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const draft = op('post', '/api/tenants/{id}/rules').requestBody.content['application/json'].schema;
    assert.deepEqual(draft.required, ['direction', 'document']);
    assert.deepEqual(draft.properties.direction.enum, ['catalog', 'order']);
    assert.equal(draft.additionalProperties, false);
    const stock = op('put', '/api/tenants/{id}/stock/{sku}').requestBody.content['application/json'].schema;
    assert.equal(stock.properties.onHand.type, 'integer');
    assert.equal(stock.properties.onHand.maximum, 1_000_000_000);
    // Every body a route parses with zod is described: all PUTs, and the POSTs that take one.
    for (const [path, ops] of Object.entries(spec.paths)) if (ops.put) assert.ok((ops.put as { requestBody?: unknown }).requestBody, `PUT ${path} has no requestBody`);
    for (const path of ['/api/tenants', '/api/tenants/{id}/rules/{versionId}/preview', '/api/tenants/{id}/rules/{versionId}/activate', '/api/tenants/{id}/rules/rollback', '/api/tenants/{id}/orders/fetch', '/api/tenants/{id}/shipments']) {
      assert.ok(op('post', path).requestBody?.content?.['application/json']?.schema, `POST ${path}`);
    }
    const limit = (op('get', '/api/tenants/{id}/runs').parameters as Array<{ in: string; name: string; schema: { maximum: number } }>).find((p) => p.in === 'query' && p.name === 'limit');
    assert.equal(limit?.schema.maximum, 200);
    const dash = op('get', '/api/tenants/{id}/dashboard').responses['200'].content['application/json'].schema;
    for (const k of ['connections', 'runs', 'running', 'apiBudget', 'queue', 'ordersPerDay', 'publishLatency', 'actionItems']) assert.ok(dash.properties[k], `dashboard.${k}`);
    assert.ok(op('get', '/api/tenants/{id}/rules').responses['4XX'].content['application/json'].schema.properties.error);
  });

  it('panel/openapi.json is the current description (else: npm run openapi)', async () => {
    const { spec: fresh } = await describeApi();
    const committed = JSON.parse(readFileSync(new URL('../../panel/openapi.json', import.meta.url), 'utf8')) as unknown;
    assert.deepEqual(committed, JSON.parse(JSON.stringify(fresh)));
    assert.deepEqual(JSON.parse(JSON.stringify(fresh)), JSON.parse(JSON.stringify(spec)), 'the script describes what the server serves');
  });

  it('route schemas describe only: the handlers’ zod checks still answer (their messages name field and limit)', async () => {
    const auth = { authorization: 'Bearer the-token-0123456789' };
    await app.inject({ method: 'POST', url: '/api/tenants', headers: auth, payload: { id: 'shop', name: 'Shop' } });
    const r = await app.inject({ method: 'PUT', url: '/api/tenants/shop/stock/A', headers: auth, payload: { onHand: 99_999_999_999 } });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /onHand/);
    // The answer is not cut down to the response schema: fields it does not list still come through.
    const t = await app.inject({ url: '/api/tenants/shop', headers: auth });
    assert.equal(t.json().id, 'shop');
    assert.ok(Array.isArray(t.json().connections));
  });
});
