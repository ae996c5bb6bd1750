import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TenantRepository, credentialsSchemas, type ConnectionSystem } from '../../tenants/tenants.ts';
import { onboardTenant } from '../../tenants/onboard.ts';
import { checkConnection } from '../../sync/connection-check.ts';
import type { AppContext } from '../../context.ts';
import { limitQuery, parseInput } from '../errors.ts';
import { canSeeTenant, isOperator } from '../../auth/principal.ts';
import type { UserRepository } from '../../auth/users-repo.ts';
import { dateTime, docsFor } from '../openapi.ts';

/** Settings are read on every run: a few KB in practice, so 64 KB is generous and still no storage sink. */
const MAX_SETTINGS_BYTES = 64 * 1024;
const settings = z.record(z.string(), z.unknown()).refine((s) => JSON.stringify(s).length <= MAX_SETTINGS_BYTES, `must be at most ${MAX_SETTINGS_BYTES / 1024} KB as JSON`);
const tenantBody = z.object({ id: z.string().max(63, 'must be at most 63 characters'), name: z.string().min(1).max(200), settings: settings.optional() }).strict();
const connectionBody = z
  .object({ credentials: z.unknown(), baseUrl: z.string().max(2000).url().nullable().optional(), settings: settings.optional(), enabled: z.boolean().optional() })
  .strict();
const auditQuery = limitQuery(100, 1000);
export const systemParam = z.enum(Object.keys(credentialsSchemas) as [ConnectionSystem, ...ConnectionSystem[]]);

const at = dateTime;
const tenantView = z.object({ id: z.string(), name: z.string(), status: z.enum(['active', 'paused', 'disabled']), settings: z.record(z.string(), z.unknown()), createdAt: at });
/** A connection as shown: never its credentials. */
const connectionView = z.object({ id: z.number(), tenantId: z.string(), system: systemParam, baseUrl: z.string().nullable(), settings: z.record(z.string(), z.unknown()), enabled: z.boolean() });
const auditEntry = z.object({ actor: z.string(), action: z.string(), subject: z.string().nullable(), details: z.record(z.string(), z.unknown()), at });
const doc = docsFor('tenants');
const schemas = {
  list: doc({ summary: 'List tenants', response: z.object({ tenants: z.array(tenantView) }) }),
  create: doc({ summary: 'Create a tenant', body: tenantBody, status: 201, response: tenantView }),
  get: doc({ summary: 'A tenant with its connections (never their credentials)', response: tenantView.extend({ connections: z.array(connectionView) }) }),
  connect: doc({ summary: 'Connect a system: credentials stored encrypted, never returned', params: z.object({ system: systemParam }), body: connectionBody, response: connectionView }),
  test: doc({
    summary: 'Check a connection step by step (lexoffice: API key, webhooks; Cel.ro: login, API link); a failure is ok:false with the reason',
    params: z.object({ system: systemParam }),
    response: z.object({ system: systemParam, ok: z.boolean(), checks: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string(), skipped: z.boolean().optional() })) }),
  }),
  audit: doc({ summary: 'Audit trail: who changed what, newest first', query: auditQuery, response: z.object({ entries: z.array(auditEntry) }) }),
};

export function tenantRoutes(ctx: AppContext, actor: (req: { ip: string }) => string, users: UserRepository) {
  return async (app: FastifyInstance): Promise<void> => {
    const repo = new TenantRepository(ctx.db, ctx.box);

    // A merchant sees only their own tenants; operators and machines all of them.
    app.get('/tenants', { schema: schemas.list }, async (req) => ({ tenants: (await repo.list()).filter((t) => canSeeTenant(req.principal!, t.id)) }));

    // A merchant who creates a tenant (onboarding) becomes its member.
    app.post('/tenants', { schema: schemas.create }, async (req, reply) => {
      const body = parseInput(tenantBody, req.body, 'tenant');
      const t = await onboardTenant(ctx.db, ctx.box, body, actor(req));
      const p = req.principal;
      if (p?.kind === 'user' && !isOperator(p)) await users.addMember(p.user.id, t.id);
      return reply.code(201).send(t);
    });

    app.get<{ Params: { id: string } }>('/tenants/:id', { schema: schemas.get }, async (req) => ({ ...(await repo.get(req.params.id)), connections: await repo.listConnections(req.params.id) }));

    // Credentials go in, never come out: the response is the connection without them.
    app.put<{ Params: { id: string; system: string } }>('/tenants/:id/connections/:system', { schema: schemas.connect }, async (req) => {
      const system = parseInput(systemParam, req.params.system, 'system');
      const body = parseInput(connectionBody, req.body, 'connection');
      return repo.setConnection(req.params.id, system, { ...body, credentials: body.credentials as never }, actor(req));
    });

    app.post<{ Params: { id: string; system: string } }>('/tenants/:id/connections/:system/test', { schema: schemas.test }, async (req) => {
      const system = parseInput(systemParam, req.params.system, 'system');
      return checkConnection(ctx, req.params.id, system, actor(req));
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/audit', { schema: schemas.audit }, async (req) => {
      const { limit } = parseInput(auditQuery, req.query, 'query');
      return { entries: await ctx.db.query('SELECT actor, action, subject, details, at FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2', [req.params.id, limit]) };
    });
  };
}
