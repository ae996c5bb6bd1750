import type { AppContext } from '../context.ts';
import { AuthError, errorMessage, ForbiddenError, NotFoundError, RateLimitedError, SecretError, UpstreamError } from '../core/errors.ts';
import { ensureCelroApiLink } from '../orders/api-link.ts';
import { TenantRepository, type Connection, type ConnectionSystem } from '../tenants/tenants.ts';
import { celroClientFor, lexofficeClientFor } from './clients.ts';
import { syncSettings } from './schedule.ts';
import { ensureLexofficeSubscriptions, LEXOFFICE_EVENTS } from './webhook-subscriptions.ts';

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  /** What was checked and what came of it, in plain words; never a credential. */
  readonly message: string;
  /** Not run (nothing to check, or a step before it failed). */
  readonly skipped?: boolean;
}

export interface ConnectionCheck {
  readonly system: ConnectionSystem;
  readonly ok: boolean;
  readonly checks: readonly Check[];
}

const LABEL: Record<string, string> = { lexoffice: 'lexoffice', celro: 'Cel.ro' };

/** Why a call to `system` failed, for a person: the status and what it means, never the credentials. */
export function plainFailure(system: string, what: string, e: unknown): string {
  const name = LABEL[system] ?? system;
  if (e instanceof AuthError) return system === 'lexoffice' ? `lexoffice refused the API key (401)` : `${name} refused the ${what}: ${errorMessage(e)}`;
  if (e instanceof ForbiddenError) return `${name} refused access (403/402): the account may lack the plan or the right for this`;
  if (e instanceof RateLimitedError) return `${name} is rate limiting (429); try again in a minute`;
  if (e instanceof UpstreamError) return `${name} could not be reached or failed: ${errorMessage(e)}`;
  return `${name}: ${errorMessage(e)}`;
}

async function step(checks: Check[], name: string, run: () => Promise<string>, failed: (e: unknown) => string): Promise<boolean> {
  try {
    checks.push({ name, ok: true, message: await run() });
    return true;
  } catch (e) {
    checks.push({ name, ok: false, message: failed(e) });
    return false;
  }
}

const skipped = (name: string, message: string): Check => ({ name, ok: true, skipped: true, message });

/**
 * Onboarding check of one connection, step by step: the stored credentials, a call that proves them
 * (lexoffice /v1/profile, Cel.ro login), then what Vortex sets up on the other side when it has a public
 * URL (lexoffice webhooks, the Cel.ro API link). A failure is an answer (`ok: false` with the reason),
 * not an error.
 */
export async function checkConnection(ctx: AppContext, tenantId: string, system: ConnectionSystem, actor: string): Promise<ConnectionCheck> {
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const checks: Check[] = [];
  let conn: Connection | undefined;
  await step(
    checks,
    'credentials stored',
    async () => {
      conn = await tenants.getConnection(tenantId, system);
      return conn.enabled ? `the ${system} credentials are stored (encrypted)` : `the ${system} credentials are stored, but the connection is switched off`;
    },
    (e) => (e instanceof NotFoundError ? `no ${system} connection yet: enter the credentials first` : e instanceof SecretError ? 'the stored credentials cannot be decrypted (VORTEX_SECRET_KEY changed?): enter them again' : errorMessage(e)),
  );
  if (conn && system === 'lexoffice') await checkLexoffice(ctx, tenantId, conn as Connection<'lexoffice'>, checks);
  else if (conn && system === 'celro') await checkCelro(ctx, tenantId, conn as Connection<'celro'>, checks);
  else if (conn) checks.push(skipped('live check', `Vortex has no live check for ${system} yet; it is used when the next order needs it`));
  const result = { system, ok: checks.every((c) => c.ok), checks };
  await tenants.audit(tenantId, actor, 'connection.tested', system, { ok: result.ok, failed: checks.filter((c) => !c.ok).map((c) => c.name) });
  return result;
}

async function checkLexoffice(ctx: AppContext, tenantId: string, conn: Connection<'lexoffice'>, checks: Check[]): Promise<void> {
  const client = lexofficeClientFor(ctx, conn);
  const keyOk = await step(
    checks,
    'API key',
    async () => {
      const p = await client.getProfile();
      return `lexoffice accepted the API key (organisation “${p.companyName}”)`;
    },
    (e) => plainFailure('lexoffice', 'API key', e),
  );
  if (!keyOk) return void checks.push(skipped('webhooks', 'not tried: the API key must work first'));
  if (!ctx.config.publicUrl) {
    const minutes = syncSettings((await new TenantRepository(ctx.db, ctx.box).get(tenantId)).settings).heartbeatMinutes;
    return void checks.push(skipped('webhooks', `not subscribed: VORTEX_PUBLIC_URL is not set, so lexoffice cannot call Vortex; changes are picked up by the heartbeat every ${minutes} minutes`));
  }
  await step(
    checks,
    'webhooks',
    async () => {
      const { created } = await ensureLexofficeSubscriptions(ctx, tenantId);
      return created.length ? `subscribed to ${created.join(', ')}` : `already subscribed to all ${LEXOFFICE_EVENTS.length} events`;
    },
    (e) => plainFailure('lexoffice', 'webhook subscription', e),
  );
}

async function checkCelro(ctx: AppContext, tenantId: string, conn: Connection<'celro'>, checks: Check[]): Promise<void> {
  const client = celroClientFor(ctx, conn);
  const loginOk = await step(
    checks,
    'login',
    async () => {
      if (!(await client.testLogin())) throw new AuthError('Cel.ro refused the username or password');
      return `Cel.ro accepted the login of ${conn.credentials.username}`;
    },
    (e) => (e instanceof AuthError ? `Cel.ro refused the username or password (login of ${conn.credentials.username})` : plainFailure('celro', 'login', e)),
  );
  if (!loginOk) return void checks.push(skipped('API link', 'not tried: the login must work first'));
  if (!ctx.config.publicUrl) return void checks.push(skipped('API link', 'not set: VORTEX_PUBLIC_URL is not set, so Cel.ro cannot push orders; they are polled on the heartbeat'));
  await step(
    checks,
    'API link',
    async () => ((await ensureCelroApiLink(ctx, tenantId)).changed ? 'the Cel.ro API link now points at Vortex' : 'the Cel.ro API link already points at Vortex'),
    (e) => plainFailure('celro', 'API link', e),
  );
}
