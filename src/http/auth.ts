import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditActor, routeAccess, type Principal } from '../auth/principal.ts';
import { SESSION_COOKIE, type SessionStore } from '../auth/sessions.ts';
import type { UserRepository } from '../auth/users-repo.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API's authentication hook for every /api route that is not public. */
    principal?: Principal;
  }
}

export interface ApiAuthDeps {
  /** VORTEX_API_TOKEN, when set: machines must send it even before any user exists. */
  readonly configuredToken: string | undefined;
  /** Every token a machine may use (the configured one and the installation's local CLI token). */
  readonly tokens: readonly string[];
  readonly sessions: SessionStore;
  readonly users: UserRepository;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes anyone may call: logging in, and the API's own description. */
export function isPublicRoute(method: string, url: string): boolean {
  return (method === 'POST' && url === '/api/auth/login') || url === '/api/docs' || url.startsWith('/api/docs/');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(addr: string | undefined): boolean {
  return addr === undefined || addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || addr.startsWith('127.');
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (sandboxed frames, file://) or garbage: never the same origin
  }
}

const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

/**
 * Who is calling: a machine with `Authorization: Bearer <token>`, or a browser with a session cookie.
 * Before the first user exists and without VORTEX_API_TOKEN, callers on this machine are served as
 * before (`npm start` and the CLI work out of the box); once a user exists, every caller needs a session
 * or a token, from any address. Sessions must also send their CSRF token on every change.
 */
export function apiAuthentication(deps: ApiAuthDeps) {
  let usersExist = false;
  const anyUser = async () => (usersExist ||= (await deps.users.count()) > 0);

  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const url = req.routeOptions.url ?? req.url.split('?')[0]!;
    if (isPublicRoute(req.method, url)) return;

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) {
      if (deps.tokens.some((t) => sameSecret(bearer, t))) {
        req.principal = { kind: 'machine', via: 'token' };
        return;
      }
      await refuse(reply, 401, 'auth_failed', 'wrong API token (Authorization: Bearer …)');
      return;
    }

    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await deps.sessions.resolve(cookie);
      if (session) {
        const user = await deps.users.get(session.userId);
        req.principal = { kind: 'user', user, tokenHash: session.tokenHash, csrfToken: session.csrfToken };
        if (!SAFE_METHODS.has(req.method)) {
          // A cross-site page cannot read the token, so it cannot send it; the Origin check is a second line.
          const given = req.headers['x-csrf-token'];
          const origin = req.headers.origin;
          if (typeof given !== 'string' || !sameSecret(given, session.csrfToken)) {
            await refuse(reply, 403, 'csrf', 'missing or wrong CSRF token (send the x-csrf-token header from /api/auth/me)');
            return;
          }
          if (origin && req.headers.host && originHost(origin) !== req.headers.host) {
            await refuse(reply, 403, 'csrf', `request from another origin (${origin.slice(0, 100)}) refused`);
            return;
          }
        }
        return;
      }
    }

    if (!deps.configuredToken && isLoopback(req.socket.remoteAddress) && !(await anyUser())) {
      req.principal = { kind: 'machine', via: 'loopback' };
      return;
    }
    if (!deps.configuredToken && !(await anyUser())) {
      await refuse(reply, 401, 'auth_failed', 'set VORTEX_API_TOKEN to use the API from another machine');
      return;
    }
    await refuse(reply, 401, 'auth_failed', cookie ? 'session expired: log in again' : 'log in (panel) or send the API token (Authorization: Bearer …)');
  };
}

/**
 * Per route, after authentication: a merchant reaches only their own tenants (another tenant's routes
 * answer exactly like an unknown tenant, so ids do not leak), and only the routes listed for merchants;
 * a user who must change their password reaches only the password change (and who am I, log out).
 */
export function apiAuthorization() {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const url = req.routeOptions.url ?? '';
    if (!req.principal || isPublicRoute(req.method, url)) return;
    const tenantId = (req.params as { id?: string } | undefined)?.id;
    const access = routeAccess(req.principal, req.method, url, url.startsWith('/api/tenants/:id') ? String(tenantId ?? '') : undefined);
    if (access === 'not_found') await refuse(reply, 404, 'not_found', `tenant "${String(tenantId ?? '').slice(0, 63)}" not found`);
    else if (access === 'forbidden') await refuse(reply, 403, 'forbidden', 'this needs an operator');
    else if (access === 'password_change_required') await refuse(reply, 403, 'password_change_required', 'your password was set by an operator: choose your own first (POST /api/auth/password)');
  };
}

/**
 * For machine-only endpoints (/metrics): the API token, or — without VORTEX_API_TOKEN — a caller on
 * this machine (a Prometheus agent beside Vortex). Panel sessions play no part.
 */
export function machineAuth(configuredToken: string | undefined) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (configuredToken) {
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, configuredToken)) await refuse(reply, 401, 'auth_failed', 'missing or wrong API token (Authorization: Bearer …)');
      return;
    }
    if (!isLoopback(req.socket.remoteAddress)) await refuse(reply, 401, 'auth_failed', 'set VORTEX_API_TOKEN to read /metrics from another machine');
  };
}

/** The audit trail's name for whoever made the request. */
export function requestActor(req: { ip: string; principal?: Principal }): string {
  return auditActor(req.principal, req.ip);
}
