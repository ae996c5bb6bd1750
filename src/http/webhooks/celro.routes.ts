import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { enqueueIntake } from '../../orders/jobs.ts';
import { readPush } from '../../orders/push.ts';
import { pushSecretMatches } from '../../orders/push-link.ts';

const BODY_LIMIT = 16 * 1024;
const KEEP = 1024;

/**
 * GET|POST /webhooks/celro/:tenantId/:secret — Cel.ro's push ("API link", query `type` and `value`, or
 * the same fields in a form/JSON body). The secret in the path is the tenant's; a wrong secret or an
 * unknown tenant is the same 404 (a caller cannot tell which tenants exist), recorded with the first KB.
 * A push only wakes the intake: the named orders are read through the API, never from the call.
 */
export function celroWebhookRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> =>
    root.register(async (app) => {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
      const handle = async (req: FastifyRequest<{ Params: { tenantId: string; secret: string } }>, reply: FastifyReply) => {
        const q = (req.query ?? {}) as Record<string, unknown>;
        const b = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
        const type = q.type ?? q.alert_type ?? b.type ?? b.alert_type;
        const value = q.value ?? q.alert_value ?? b.value ?? b.alert_value;
        const payload = JSON.stringify({ type: type ?? null, value: value ?? null }).slice(0, KEEP);
        const record = (tenantId: string | null, status: 'accepted' | 'ignored' | 'rejected', reason: string | null, resource: string | null) =>
          ctx.db.query("INSERT INTO webhook_events (tenant_id, source, event_type, resource_id, status, reason, payload) VALUES ($1, 'celro', $2, $3, $4, $5, $6)", [tenantId, typeof type === 'string' ? type.slice(0, 20) : null, resource, status, reason, payload]);
        const tenantId = req.params.tenantId.slice(0, 63);
        if (!(await pushSecretMatches(ctx.db, tenantId, req.params.secret))) {
          const known = await ctx.db.maybeOne('SELECT 1 AS x FROM tenants WHERE id = $1', [tenantId]);
          await record(known ? tenantId : null, 'rejected', 'unknown tenant or wrong push secret', null);
          ctx.log.warn({ tenantId }, 'Cel.ro push refused: unknown tenant or wrong secret');
          return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
        }
        const intent = readPush(type, value);
        if (intent.kind === 'orders') {
          await record(tenantId, 'accepted', null, intent.ids.join(','));
          await enqueueIntake(ctx.queue, tenantId, `push:${intent.type}`, intent.ids);
          return reply.code(202).send({ status: 'accepted', orders: intent.ids });
        }
        await record(tenantId, 'ignored', intent.why, null);
        await enqueueIntake(ctx.queue, tenantId, 'push:poll');
        return reply.code(202).send({ status: 'polling', reason: intent.why });
      };
      app.get<{ Params: { tenantId: string; secret: string } }>('/webhooks/celro/:tenantId/:secret', handle);
      app.post<{ Params: { tenantId: string; secret: string } }>('/webhooks/celro/:tenantId/:secret', { bodyLimit: BODY_LIMIT }, handle);
    });
}
