import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AuthError, ValidationError } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import { LoginThrottle } from '../../auth/login-throttle.ts';
import { decoyHash, PASSWORD_MAX_LENGTH, verifyPassword } from '../../auth/passwords.ts';
import type { Principal } from '../../auth/principal.ts';
import { SESSION_COOKIE, SessionStore } from '../../auth/sessions.ts';
import { emailSchema, UserRepository, type User } from '../../auth/users-repo.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const loginBody = z.object({ email: emailSchema, password: z.string().min(1, 'required').max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`) }).strict();
const passwordBody = z
  .object({
    currentPassword: z.string().min(1, 'required').max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
    newPassword: z.string().max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
  })
  .strict();

const sessionUser = (p: Principal | undefined): Extract<Principal, { kind: 'user' }> => {
  if (p?.kind !== 'user') throw new ValidationError('this needs a panel session (log in), not the API token', [{ path: 'session', message: 'no session' }]);
  return p;
};

export const userView = z.object({
  id: z.number(),
  email: z.string(),
  role: z.enum(['operator', 'merchant']),
  tenants: z.array(z.string()),
  mustChangePassword: z.boolean(),
  disabled: z.boolean(),
  createdAt: dateTime,
  lastLoginAt: dateTime.nullable(),
});
const sessionView = z.object({ user: userView, csrfToken: z.string().describe('send as x-csrf-token on every POST/PUT of this session') });
const doc = docsFor('auth');
const schemas = {
  login: doc({ summary: 'Log in: sets the HttpOnly session cookie and answers the CSRF token; 429 when locked out', body: loginBody, response: sessionView }),
  me: doc({ summary: 'Who is logged in (null for the API token), with the session’s CSRF token', response: z.union([sessionView, z.object({ user: z.null(), machine: z.literal(true) })]) }),
  logout: doc({ summary: 'End this session', response: z.object({ ok: z.boolean() }) }),
  logoutAll: doc({ summary: 'End every session of this user (all browsers)', response: z.object({ ok: z.boolean(), sessionsEnded: z.number() }) }),
  password: doc({ summary: 'Change the password (the current one is required); every other session ends', body: passwordBody, response: z.object({ ok: z.boolean(), otherSessionsEnded: z.number() }) }),
};

/** What the panel learns about who is logged in: never the hash, never the session token. */
const whoami = (user: User, csrfToken: string) => ({ user, csrfToken });

/** Log in and out, who am I, password change — the panel's session life cycle. */
export function authRoutes(ctx: AppContext, deps: { sessions: SessionStore; users: UserRepository }) {
  return async (app: FastifyInstance): Promise<void> => {
    const throttle = new LoginThrottle(ctx.db);
    const cookie = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.sessions.secureCookie };
    const tenants = new TenantRepository(ctx.db, ctx.box);
    const audit = (actor: string, action: string, subject: string, details: Record<string, unknown> = {}) => tenants.audit(null, actor, action, subject, details);

    app.post('/auth/login', { schema: schemas.login }, async (req: FastifyRequest, reply: FastifyReply) => {
      const body = parseInput(loginBody, req.body, 'login');
      const verdict = await throttle.verdict(body.email, req.ip);
      if (!verdict.allowed) {
        await audit(`ip:${req.ip}`, 'user.login-locked', body.email, { reason: verdict.reason });
        return reply
          .code(429)
          .header('retry-after', String(verdict.retryAfterSeconds))
          .send({ error: { code: 'rate_limited', message: `too many failed logins for this ${verdict.reason === 'account' ? 'account' : 'address'}: try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s)` } });
      }
      const found = await deps.users.findByEmail(body.email);
      // Unknown e-mail, wrong password and disabled account look the same and take as long.
      const ok = (await verifyPassword(body.password, found?.passwordHash ?? (await decoyHash()))) && found !== undefined && !found.disabled;
      await throttle.record(body.email, req.ip, ok);
      if (!ok || !found) throw new AuthError('wrong e-mail or password');
      // A session id the browser brought along is never promoted (fixation): it ends, a new one starts.
      const before = req.cookies[SESSION_COOKIE];
      if (before) {
        const old = await deps.sessions.resolve(before);
        if (old) await deps.sessions.end(old.tokenHash);
      }
      const s = await deps.sessions.create(found.id, { ip: req.ip, userAgent: req.headers['user-agent'] });
      await deps.users.noteLogin(found.id);
      await audit(`user:${found.email}`, 'user.login', found.email, { ip: req.ip });
      const { passwordHash: _hash, ...user } = found;
      return reply.setCookie(SESSION_COOKIE, s.token, cookie).send(whoami(user, s.csrfToken));
    });

    app.get('/auth/me', { schema: schemas.me }, async (req) => {
      const p = req.principal;
      if (p?.kind === 'user') return whoami(p.user, p.csrfToken);
      return { user: null, machine: true };
    });

    app.post('/auth/logout', { schema: schemas.logout }, async (req, reply) => {
      const p = sessionUser(req.principal);
      await deps.sessions.end(p.tokenHash);
      await audit(`user:${p.user.email}`, 'user.logout', p.user.email);
      return reply.clearCookie(SESSION_COOKIE, cookie).send({ ok: true });
    });

    app.post('/auth/logout-all', { schema: schemas.logoutAll }, async (req, reply) => {
      const p = sessionUser(req.principal);
      const ended = await deps.sessions.endAllFor(p.user.id);
      await audit(`user:${p.user.email}`, 'user.logout-everywhere', p.user.email, { sessions: ended });
      return reply.clearCookie(SESSION_COOKIE, cookie).send({ ok: true, sessionsEnded: ended });
    });

    // A new password ends every other session of the user (a stolen cookie dies with the old password).
    app.post('/auth/password', { schema: schemas.password }, async (req) => {
      const p = sessionUser(req.principal);
      const body = parseInput(passwordBody, req.body, 'password change');
      const verdict = await throttle.verdict(p.user.email, req.ip);
      if (!verdict.allowed) throw new AuthError('too many failed attempts: try again later');
      const ok = await verifyPassword(body.currentPassword, await deps.users.passwordHash(p.user.id));
      await throttle.record(p.user.email, req.ip, ok);
      if (!ok) throw new ValidationError('currentPassword: wrong password', [{ path: 'currentPassword', message: 'wrong password' }]);
      await deps.users.setPassword(p.user.id, body.newPassword);
      const ended = await deps.sessions.endAllFor(p.user.id, p.tokenHash);
      await audit(`user:${p.user.email}`, 'user.password-changed', p.user.email, { otherSessionsEnded: ended });
      return { ok: true, otherSessionsEnded: ended };
    });
  };
}
