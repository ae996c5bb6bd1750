import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { UserRepository } from '../../src/auth/users-repo.ts';
import { webModules } from '../../src/http/modules.ts';
import { buildServer } from '../../src/http/server.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { testContext } from '../helpers/app.ts';
import { storeVariants } from '../helpers/stores.ts';

/**
 * Panel sessions against the real server and database: who may call the API before and after the first
 * user, login rate limit and lock-out, cookie attributes, CSRF, session fixation, logout (everywhere),
 * password change. Both stores: the session and throttle SQL must hold on PostgreSQL 15 and PGlite.
 */
const TOKEN = 'auth-test-token-0123456789abcdef';
const ALICE = { email: 'alice@example.com', password: 'alice has a long password' };

interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly token: string;
}

for (const variant of await storeVariants()) {
  describe(`panel sessions (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db;
    let app: FastifyInstance;
    let openApp: FastifyInstance;
    let stop: () => Promise<void>;

    before(async () => {
      db = await variant.open();
      const ctx = await testContext(db, { VORTEX_API_TOKEN: TOKEN });
      const open = await testContext(db);
      await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
      app = await buildServer({ db, log: ctx.log }, webModules(ctx));
      // The same database served without VORTEX_API_TOKEN: the embedded default.
      openApp = await buildServer({ db, log: open.log }, webModules(open));
      stop = async () => {
        await app.close();
        await openApp.close();
        await ctx.stop();
        await open.stop();
        await db.close();
      };
    });
    after(async () => stop?.());

    const login = (email: string, password: string, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
      app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers, remoteAddress });
    const sessionOf = (res: LightMyRequestResponse): Session => {
      assert.equal(res.statusCode, 200, res.body);
      const c = res.cookies.find((x) => x.name === 'vortex_session');
      assert.ok(c, 'a session cookie is set');
      return { cookie: `vortex_session=${c.value}`, csrf: (res.json() as { csrfToken: string }).csrfToken, token: c.value };
    };
    const asSession = (s: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, extra: Record<string, string> = {}) =>
      app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...extra }, ...(payload ? { payload } : {}) });

    it('serves this machine without credentials only until the first user exists', async () => {
      assert.equal((await openApp.inject({ method: 'GET', url: '/api/tenants' })).statusCode, 200, 'loopback, no users: open as before');
      assert.equal((await openApp.inject({ method: 'GET', url: '/api/tenants', remoteAddress: '10.1.2.3' })).statusCode, 401, 'never from another machine');
      assert.equal((await app.inject({ method: 'GET', url: '/api/tenants' })).statusCode, 401, 'with VORTEX_API_TOKEN set the token is needed even on loopback');
      await new UserRepository(db).create({ ...ALICE, role: 'operator' });
      const res = await openApp.inject({ method: 'GET', url: '/api/tenants' });
      assert.equal(res.statusCode, 401, 'a user exists: loopback alone no longer suffices');
      assert.match(res.json().error.message, /log in|token/);
      assert.equal((await app.inject({ method: 'GET', url: '/api/tenants', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200, 'the API token still works');
      assert.equal((await app.inject({ method: 'GET', url: '/api/tenants', headers: { authorization: 'Bearer wrong-token-wrong-token' } })).statusCode, 401);
    });

    it('logs in with secure, HttpOnly, SameSite cookies and never returns the password hash', async () => {
      const res = await login(ALICE.email.toUpperCase(), ALICE.password);
      const s = sessionOf(res);
      const c = res.cookies.find((x) => x.name === 'vortex_session')!;
      assert.equal(c.httpOnly, true);
      assert.equal(c.secure, true);
      assert.equal(c.sameSite, 'Strict');
      assert.equal(c.path, '/');
      assert.doesNotMatch(res.body, /scrypt|password_?hash|long password/i);
      const me = await asSession(s, 'GET', '/api/auth/me');
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().user.email, ALICE.email);
      assert.equal(me.json().csrfToken, s.csrf);
      const stored = await db.one<{ token_hash: string }>('SELECT token_hash FROM user_sessions ORDER BY created_at DESC LIMIT 1');
      assert.notEqual(stored.token_hash, s.token, 'only a hash of the session token is stored');
    });

    it('answers unknown e-mail and wrong password alike, then locks the account out', async () => {
      const bob = { email: 'bob@example.com', password: 'bob has a long password' };
      await new UserRepository(db).create({ ...bob, role: 'operator' });
      const unknown = await login('nobody@example.com', 'whatever whatever', {}, '10.0.0.9');
      const wrong = await login(bob.email, 'not the password', {}, '10.0.0.9');
      assert.equal(unknown.statusCode, 401);
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(unknown.json(), wrong.json(), 'no way to tell which e-mails exist');
      for (let i = 0; i < 4; i++) assert.equal((await login(bob.email, `wrong ${i} password`, {}, '10.0.0.9')).statusCode, 401);
      const locked = await login(bob.email, bob.password, {}, '10.0.0.9');
      assert.equal(locked.statusCode, 429, 'the right password does not get through a lock-out');
      assert.equal(locked.json().error.code, 'rate_limited');
      assert.ok(Number(locked.headers['retry-after']) > 60, `Retry-After ${String(locked.headers['retry-after'])}`);
      assert.equal((await login(bob.email, bob.password, {}, '10.0.0.10')).statusCode, 429, 'the lock is on the account, from any address');
      // Meanwhile other accounts log in normally.
      sessionOf(await login(ALICE.email, ALICE.password, {}, '10.0.0.10'));
      // Password spraying from one address: many e-mails, each under its own limit, still stop.
      let last = 0;
      for (let i = 0; i < 31; i++) last = (await login(`spray${i}@example.com`, 'guess guess guess', {}, '10.0.0.66')).statusCode;
      assert.equal(last, 429, 'the address is locked after 30 failures');
      assert.equal((await login(ALICE.email, ALICE.password, {}, '10.0.0.66')).statusCode, 429);
      const audit = await db.query<{ action: string }>("SELECT action FROM audit_log WHERE action = 'user.login-locked'");
      assert.ok(audit.length >= 2, 'lock-outs are in the audit trail');
    });

    it('refuses changes without the session’s CSRF token or from another origin', async () => {
      const s = sessionOf(await login(ALICE.email, ALICE.password));
      const body = { what: 'stock' };
      const none = await app.inject({ method: 'POST', url: '/api/tenants/shop/sync', headers: { cookie: s.cookie }, payload: body });
      assert.equal(none.statusCode, 403);
      assert.equal(none.json().error.code, 'csrf');
      const other = sessionOf(await login(ALICE.email, ALICE.password));
      assert.equal((await asSession({ ...s, csrf: other.csrf }, 'POST', '/api/tenants/shop/sync', body)).statusCode, 403, 'another session’s token does not do');
      assert.equal((await asSession(s, 'POST', '/api/tenants/shop/sync', body, { origin: 'https://evil.example' })).statusCode, 403);
      assert.equal((await asSession(s, 'POST', '/api/tenants/shop/sync', body, { origin: 'null' })).statusCode, 403);
      assert.equal((await asSession(s, 'POST', '/api/tenants/shop/sync', body)).statusCode, 202, 'with the token the change goes through');
      assert.equal((await app.inject({ method: 'GET', url: '/api/tenants/shop/runs', headers: { cookie: s.cookie } })).statusCode, 200, 'reads need no token');
    });

    it('never promotes a session id chosen before login (fixation)', async () => {
      const planted = 'A'.repeat(43);
      assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `vortex_session=${planted}` } })).statusCode, 401);
      const s = sessionOf(await login(ALICE.email, ALICE.password, { cookie: `vortex_session=${planted}` }));
      assert.notEqual(s.token, planted);
      assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `vortex_session=${planted}` } })).statusCode, 401);
      // A real earlier session brought to the login ends there: one browser, one live session.
      const again = sessionOf(await login(ALICE.email, ALICE.password, { cookie: s.cookie }));
      assert.notEqual(again.token, s.token);
      assert.equal((await asSession(s, 'GET', '/api/auth/me')).statusCode, 401);
      assert.equal((await asSession(again, 'GET', '/api/auth/me')).statusCode, 200);
    });

    it('logs out one session, or every session of the user', async () => {
      const a = sessionOf(await login(ALICE.email, ALICE.password));
      const b = sessionOf(await login(ALICE.email, ALICE.password));
      const out = await asSession(a, 'POST', '/api/auth/logout');
      assert.equal(out.statusCode, 200);
      assert.match(String(out.headers['set-cookie']), /vortex_session=;/, 'the cookie is cleared');
      assert.equal((await asSession(a, 'GET', '/api/auth/me')).statusCode, 401);
      assert.equal((await asSession(b, 'GET', '/api/auth/me')).statusCode, 200, 'the other browser is still in');
      const c = sessionOf(await login(ALICE.email, ALICE.password));
      const all = await asSession(c, 'POST', '/api/auth/logout-all');
      assert.equal(all.statusCode, 200);
      assert.ok(all.json().sessionsEnded >= 2);
      assert.equal((await asSession(b, 'GET', '/api/auth/me')).statusCode, 401);
      assert.equal((await asSession(c, 'GET', '/api/auth/me')).statusCode, 401);
    });

    it('changes the password: the current one is required, other sessions end, the old password stops working', async () => {
      const carol = { email: 'carol@example.com', password: 'carol has a long password' };
      await new UserRepository(db).create({ ...carol, role: 'merchant', tenants: ['shop'] });
      const here = sessionOf(await login(carol.email, carol.password));
      const elsewhere = sessionOf(await login(carol.email, carol.password));
      const wrong = await asSession(here, 'POST', '/api/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new password' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.json().error.message, /currentPassword/);
      const weak = await asSession(here, 'POST', '/api/auth/password', { currentPassword: carol.password, newPassword: 'short' });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.json().error.message, /newPassword: must be at least 12/);
      const ok = await asSession(here, 'POST', '/api/auth/password', { currentPassword: carol.password, newPassword: 'a brand new password' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().otherSessionsEnded, 1);
      assert.equal((await asSession(here, 'GET', '/api/auth/me')).statusCode, 200, 'this session stays');
      assert.equal((await asSession(elsewhere, 'GET', '/api/auth/me')).statusCode, 401);
      assert.equal((await login(carol.email, carol.password)).statusCode, 401);
      sessionOf(await login(carol.email, 'a brand new password'));
    });

    it('lets only operators manage users; merchants see the people of their tenants', async () => {
      const merchant = sessionOf(await login('carol@example.com', 'a brand new password'));
      const refused = await asSession(merchant, 'POST', '/api/users', { email: 'mallory@example.com', role: 'operator', password: 'mallory wants in' });
      assert.equal(refused.statusCode, 403);
      const list = await asSession(merchant, 'GET', '/api/users');
      assert.deepEqual((list.json().users as Array<{ email: string }>).map((u) => u.email), ['carol@example.com'], 'operators are not members of a tenant; no one else is listed');
      const op = sessionOf(await login(ALICE.email, ALICE.password));
      const made = await asSession(op, 'POST', '/api/users', { email: 'dave@example.com', role: 'merchant', password: 'dave has a long password', tenants: ['shop'] });
      assert.equal(made.statusCode, 201, made.body);
      assert.equal(made.json().mustChangePassword, true);
      assert.doesNotMatch(made.body, /scrypt|dave has/);
      assert.equal((await asSession(op, 'POST', '/api/users', { email: 'dave@example.com', role: 'merchant', password: 'dave has a long password', tenants: ['shop'] })).statusCode, 409);
      const members = await asSession(merchant, 'GET', '/api/tenants/shop/users');
      assert.deepEqual((members.json().users as Array<{ email: string }>).map((u) => u.email).sort(), ['carol@example.com', 'dave@example.com']);
      const audit = await db.query<{ actor: string; subject: string }>("SELECT actor, subject FROM audit_log WHERE action = 'user.added' AND tenant_id = 'shop'");
      assert.ok(audit.some((a) => a.actor === `user:${ALICE.email}` && a.subject === 'dave@example.com'), 'who added whom is audited');
    });

    it('a user whose password an operator set reaches nothing but the password change until they choose their own', async () => {
      const dave = sessionOf(await login('dave@example.com', 'dave has a long password'));
      for (const [method, url] of [['GET', '/api/tenants'], ['GET', '/api/tenants/shop/runs'], ['GET', '/api/users'], ['POST', '/api/tenants/shop/sync']] as const) {
        const r = await asSession(dave, method, url, method === 'POST' ? {} : undefined);
        assert.equal(r.statusCode, 403, `${method} ${url}: ${r.body}`);
        assert.equal(r.json().error.code, 'password_change_required');
      }
      const me = await asSession(dave, 'GET', '/api/auth/me');
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().user.mustChangePassword, true);
      const changed = await asSession(dave, 'POST', '/api/auth/password', { currentPassword: 'dave has a long password', newPassword: 'dave chose this one himself' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal((await asSession(dave, 'GET', '/api/auth/me')).json().user.mustChangePassword, false);
      const tenants = await asSession(dave, 'GET', '/api/tenants');
      assert.equal(tenants.statusCode, 200, tenants.body);
      assert.equal((await asSession(dave, 'GET', '/api/tenants/shop/runs')).statusCode, 200);
    });
  });
}
