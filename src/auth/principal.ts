import type { User } from './users-repo.ts';

/** Who is calling the API: a panel user with a browser session, or a machine with the API token. */
export type Principal =
  | { readonly kind: 'user'; readonly user: User; readonly tokenHash: string; readonly csrfToken: string }
  | { readonly kind: 'machine'; readonly via: 'token' | 'loopback' };

export function isOperator(p: Principal): boolean {
  return p.kind === 'machine' || p.user.role === 'operator';
}

/** Operators and machines see every tenant; a merchant only the tenants they are a member of. */
export function canSeeTenant(p: Principal, tenantId: string): boolean {
  return isOperator(p) || (p.kind === 'user' && p.user.tenants.includes(tenantId));
}

/** The name the audit trail gives a change. */
export function auditActor(p: Principal | undefined, ip: string): string {
  return p?.kind === 'user' ? `user:${p.user.email}` : `api:${ip}`;
}

/**
 * Routes outside /tenants/:id that a merchant may call; every other one (user management, and any
 * route added later) is for operators only, so a new route is closed to merchants until it is listed.
 */
export const MERCHANT_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/tenants',
  'POST /api/tenants',
  'GET /api/users',
  'GET /api/alerts',
  'GET /api/auth/me',
  'POST /api/auth/logout',
  'POST /api/auth/logout-all',
  'POST /api/auth/password',
]);

/**
 * What a user whose password an operator set (or the demo printed) may call before choosing their own:
 * who am I, change the password, log out. Everything else waits for the change.
 */
export const PASSWORD_CHANGE_ROUTES: ReadonlySet<string> = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout', 'POST /api/auth/logout-all']);

/** Pure: may this principal call this route (pattern) for this tenant (when the route has one)? */
export function routeAccess(p: Principal, method: string, routeUrl: string, tenantId: string | undefined): 'allow' | 'not_found' | 'forbidden' | 'password_change_required' {
  if (p.kind === 'user' && p.user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${method} ${routeUrl}`)) return 'password_change_required';
  if (isOperator(p)) return 'allow';
  if (routeUrl.startsWith('/api/tenants/:id')) return tenantId !== undefined && canSeeTenant(p, tenantId) ? 'allow' : 'not_found';
  return MERCHANT_ROUTES.has(`${method} ${routeUrl}`) ? 'allow' : 'forbidden';
}
