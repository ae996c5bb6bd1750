import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { buildServerListingRoutes, type ListedRoute } from '../../src/http/describe-api.ts';
import { webModules } from '../../src/http/modules.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { UserRepository } from '../../src/auth/users-repo.ts';
import { generateSigningKey } from '../../sim/lexoffice/webhooks.ts';
import { testContext } from '../helpers/app.ts';
import { storeVariants } from '../helpers/stores.ts';
import { EXAMPLES, TOKEN, USER, urlOf, type Example } from '../helpers/route-examples.ts';

/**
 * Field by field (bad-input.test.ts throws whole hostile bodies at every route; this file spoils one
 * part of a valid request at a time): every route the web server has, found through buildServer's
 * onRoute hook, needs a valid example below — a new route fails this file until it has one. Each path
 * parameter, query value and body field is then replaced by out-of-range, oversized, mistyped and
 * unstorable values. None may answer 5xx; every refusal has the documented shape
 * `{ error: { code, message } }`, bounded and without a stack trace; a 400 names the field it is about.
 * Runs on both stores: PostgreSQL and PGlite refuse different things in different words.
 */

const HUGE = 'x'.repeat(10_000);
/** Values no field of this API accepts, whatever its type. */
const BAD_NUMBERS: unknown[] = [99_999_999_999, 1e30, 2 ** 40, 2 ** 53 - 1, -(2 ** 53 - 1), 1.5, '12', true, {}];
const BAD_STRINGS: unknown[] = [HUGE, 123, '', 'a\u0000b', ['x'], {}];
/** Stands for JSON nested 2,000 deep (spliced into the text: JSON.stringify itself cannot go that deep). */
const DEEP = '__deep__';
const BAD_OBJECTS: unknown[] = ['text', 42, [1, 2], DEEP, { big: 'y'.repeat(1_100_000) }];
const BAD_BOOLEANS: unknown[] = ['yes', 1, null];
const BAD_PARAMS = [HUGE, 'nobody-here', 'a%00b', '%E0%A4%A', '..%2F..%2Fetc'];
const BAD_QUERY = ['abc', '99999999999999999999', '-5', '1.5', HUGE];

function nest(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function badValuesFor(example: unknown): unknown[] {
  if (typeof example === 'number') return BAD_NUMBERS;
  if (typeof example === 'string') return BAD_STRINGS;
  if (typeof example === 'boolean') return BAD_BOOLEANS;
  return BAD_OBJECTS;
}

interface Case {
  readonly name: string;
  readonly request: InjectOptions;
  /** The field a 400 must name (absent: any well-formed refusal will do). */
  readonly field?: string;
}


/** Every way to spoil one route's example: each path parameter, query value and body field in turn, then the body as a whole. */
function casesFor(method: string, route: string, ex: Example): Case[] {
  const params = { ...Object.fromEntries([...route.matchAll(/:(\w+)/g)].map((m) => [m[1]!, m[1] === 'id' || m[1] === 'tenantId' ? 'shop' : 'x'])), ...ex.params };
  const send = (url: string, body: unknown, headers: Record<string, string> = {}): InjectOptions => ({
    method: method as InjectOptions['method'],
    url,
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body).replace(`"${DEEP}"`, nest(2000)), headers: { 'content-type': 'application/json', ...headers } }),
  });
  const cases: Case[] = [];
  // Raw values spliced into the path, already percent-encoded where the case is about encoding.
  for (const name of Object.keys(params)) {
    for (const bad of BAD_PARAMS) cases.push({ name: `param ${name}=${bad.slice(0, 20)}`, request: send(urlOf(route, { ...params, [name]: bad }, ex.query), ex.body), field: name === 'id' || name === 'tenantId' ? undefined : name });
  }
  for (const key of Object.keys(ex.query ?? {})) {
    for (const bad of BAD_QUERY) cases.push({ name: `query ${key}=${bad.slice(0, 20)}`, request: send(urlOf(route, params, { ...ex.query, [key]: bad }), ex.body), field: key });
  }
  if (ex.body !== undefined) {
    const isList = Array.isArray(ex.body);
    const record = (isList ? (ex.body as unknown[])[0] : ex.body) as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      for (const bad of badValuesFor(value)) {
        const spoiled = { ...record, [key]: bad };
        cases.push({ name: `body ${key}=${JSON.stringify(bad).slice(0, 30)}`, request: send(urlOf(route, params, ex.query), isList ? [spoiled] : spoiled), field: ex.opaque ? undefined : key });
      }
    }
    cases.push({ name: 'body: unknown field', request: send(urlOf(route, params, ex.query), isList ? [{ ...record, surprise: 1 }] : { ...record, surprise: 1 }) });
  }
  if (method === 'POST' || method === 'PUT') {
    const url = urlOf(route, params, ex.query);
    cases.push({ name: 'body: not JSON', request: send(url, '{"a": ') });
    for (const wrong of ['null', '"text"', '42', '[]', '{}']) cases.push({ name: `body: ${wrong}`, request: send(url, wrong) });
    cases.push({ name: 'body: 11 MB', request: send(url, JSON.stringify({ pad: 'z'.repeat(11 * 1024 * 1024) })) });
    cases.push({ name: 'body: deep nesting', request: send(url, nest(5000)) });
    cases.push({ name: 'body: xml', request: { method: method as InjectOptions['method'], url, payload: '<a/>', headers: { 'content-type': 'application/xml' } } });
  }
  return cases;
}

for (const variant of await storeVariants()) {
  describe(`every route names the bad field (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db;
    let app: FastifyInstance;
    let stop: () => Promise<void>;
    let routes: ListedRoute[] = [];
    before(async () => {
      db = await variant.open();
      const ctx = await testContext(db, { VORTEX_API_TOKEN: TOKEN });
      await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
      await new UserRepository(db).create({ ...USER, role: 'operator' });
      await new TenantRepository(db, ctx.box).setConnection('shop', 'lexoffice', { credentials: { apiKey: 'k' }, settings: { webhookPublicKey: generateSigningKey().publicKeyPem } }, 'test');
      ({ app, routes } = await buildServerListingRoutes({ db, log: ctx.log }, webModules(ctx)));
      await app.ready();
      stop = async () => {
        await app.close();
        await ctx.stop();
        await db.close();
      };
    });
    after(async () => stop?.());

    /** The API token for machine routes; a new login (cookie + CSRF token) for session routes — logout ends one. */
    async function authFor(method: string, url: string): Promise<Record<string, string>> {
      if (!EXAMPLES[`${method} ${url}`]?.session) return { authorization: `Bearer ${TOKEN}` };
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: USER });
      assert.equal(res.statusCode, 200, res.body);
      const cookie = res.cookies.find((c) => c.name === 'vortex_session')!;
      return { cookie: `vortex_session=${cookie.value}`, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
    }

    it('has a valid example for every route (a new route must be added to the table)', () => {
      const found = routes.map((r) => `${r.method} ${r.url}`).sort();
      assert.ok(found.length >= 15, `only ${found.length} routes found`);
      assert.deepEqual(found.filter((r) => !EXAMPLES[r]), [], 'routes without an example');
      assert.deepEqual(Object.keys(EXAMPLES).filter((r) => !found.includes(r)), [], 'examples of routes that no longer exist');
    });

    it('answers malformed and oversized input with a 4xx in the documented shape, naming the field', async () => {
      const problems: string[] = [];
      let sent = 0;
      for (const { method, url } of routes) {
        for (const c of casesFor(method, url, EXAMPLES[`${method} ${url}`]!)) {
          sent++;
          const res = await app.inject({ ...c.request, headers: { ...c.request.headers, ...(await authFor(method, url)) } });
          const where = `${method} ${url} [${c.name}] → ${res.statusCode}`;
          if (res.statusCode >= 500) {
            problems.push(`${where}: ${res.body.slice(0, 200)}`);
            continue;
          }
          if (res.statusCode < 400) continue; // a harmless variation accepted (e.g. an enum value that exists)
          if (url === '/metrics') continue;
          let body: { error?: { code?: unknown; message?: unknown; issues?: Array<{ path: string; message: string }> } };
          try {
            body = res.json();
          } catch {
            problems.push(`${where}: not JSON: ${res.body.slice(0, 100)}`);
            continue;
          }
          const message = body.error?.message;
          if (typeof body.error?.code !== 'string' || typeof message !== 'string') {
            problems.push(`${where}: not the error shape: ${res.body.slice(0, 200)}`);
            continue;
          }
          if (res.body.length > 4096) problems.push(`${where}: ${res.body.length}-byte answer`);
          if (/\n\s+at |\.ts:\d+/.test(message)) problems.push(`${where}: stack trace in the message`);
          // A malformed %-escape is refused by the router before it splits the path into parameters; its
          // message quotes the offending path instead of a parameter name.
          if (res.statusCode === 400 && c.field && body.error.code !== 'FST_ERR_BAD_URL' && !message.includes(c.field) && !body.error?.issues?.some((i) => i.path.split('.').includes(c.field!))) {
            problems.push(`${where}: does not name ${c.field}: ${message.slice(0, 200)}`);
          }
        }
      }
      assert.ok(sent > 300, `only ${sent} cases`);
      assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
    });

    it('answers every example with a success (so the bad cases below fail for their bad part)', async () => {
      for (const { method, url } of routes) {
        const ex = EXAMPLES[`${method} ${url}`]!;
        if (ex.opaque) continue;
        const params = { ...ex.params };
        const res = await app.inject({ method: method as InjectOptions['method'], url: urlOf(url, params, ex.query), headers: await authFor(method, url), ...(ex.body === undefined ? {} : { payload: ex.body as object }) });
        // A missing record (no sync request 1, no offer SKU-1) is a clean 404; the input itself was fine.
        assert.ok(res.statusCode < 400 || res.statusCode === 404, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    });

    it('answers 404 for an unknown tenant on every tenant-scoped route', async () => {
      const scoped = routes.filter((r) => r.url.includes('/tenants/:id'));
      assert.ok(scoped.length >= 12);
      for (const { method, url } of scoped) {
        const ex = EXAMPLES[`${method} ${url}`]!;
        const res = await app.inject({ method: method as InjectOptions['method'], url: urlOf(url, { ...ex.params, id: 'nobody-here' }, ex.query), headers: await authFor(method, url), ...(ex.body === undefined ? {} : { payload: ex.body as object }) });
        assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'not_found');
      }
    });
  });
}
