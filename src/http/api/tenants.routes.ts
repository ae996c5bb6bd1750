import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TenantRepository, credentialsSchemas, type ConnectionSystem } from '../../tenants/tenants.ts';
import { onboardTenant } from '../../tenants/onboard.ts';
import type { AppContext } from '../../context.ts';
import { parseInput } from '../errors.ts';

const tenantBody = z.object({ id: z.string(), name: z.string().min(1).max(200), settings: z.record(z.string(), z.unknown()).optional() }).strict();
const connectionBody = z.object({ credentials: z.unknown(), baseUrl: z.string().url().nullable().optional(), settings: z.record(z.string(), z.unknown()).optional(), enabled: z.boolean().optional() }).strict();
const systemParam = z.enum(Object.keys(credentialsSchemas) as [ConnectionSystem, ...ConnectionSystem[]]);

export function tenantRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const repo = new TenantRepository(ctx.db, ctx.box);

    app.get('/tenants', async () => ({ tenants: await repo.list() }));

    app.post('/tenants', async (req, reply) => {
      const body = parseInput(tenantBody, req.body, 'tenant');
      const t = await onboardTenant(ctx.db, ctx.box, body, actor(req));
      return reply.code(201).send(t);
    });

    app.get<{ Params: { id: string } }>('/tenants/:id', async (req) => ({ ...(await repo.get(req.params.id)), connections: await repo.listConnections(req.params.id) }));

    // Credentials go in, never come out: the response is the connection without them.
    app.put<{ Params: { id: string; system: string } }>('/tenants/:id/connections/:system', async (req) => {
      const system = parseInput(systemParam, req.params.system, 'system');
      const body = parseInput(connectionBody, req.body, 'connection');
      return repo.setConnection(req.params.id, system, { ...body, credentials: body.credentials as never }, actor(req));
    });

    app.get<{ Params: { id: string }; Querystring: { limit?: string } }>('/tenants/:id/audit', async (req) => {
      const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
      return { entries: await ctx.db.query('SELECT actor, action, subject, details, at FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2', [req.params.id, limit]) };
    });
  };
}
