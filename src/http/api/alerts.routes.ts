import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AlertRepository } from '../../alerts/alerts-repo.ts';
import { ALERT_KINDS } from '../../alerts/conditions.ts';
import { isOperator } from '../../auth/principal.ts';
import type { AppContext } from '../../context.ts';
import { limitQuery, parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const alertsQuery = limitQuery(100, 1000).extend({ state: z.enum(['open', 'resolved', 'all']).default('open') });

const alertView = z.object({
  id: z.number(),
  tenantId: z.string(),
  kind: z.enum(ALERT_KINDS),
  subject: z.string().describe('the connection (lexoffice, celro) or * for a kind of action item'),
  dedupKey: z.string().describe('tenant/kind/subject: one open alert per key'),
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()),
  state: z.enum(['open', 'resolved']),
  firstSeen: dateTime,
  lastSeen: dateTime,
  resolvedAt: dateTime.nullable(),
  lastNotifiedAt: dateTime.nullable().describe('when the last notification (opened or reminder) was queued'),
  deliveries: z.array(
    z.object({
      channel: z.string(),
      event: z.enum(['opened', 'reminder', 'resolved']),
      status: z.enum(['pending', 'sent']),
      attempts: z.number(),
      lastError: z.string().nullable().describe('why the last attempt failed (a pending delivery is tried again at nextAttemptAt)'),
      nextAttemptAt: dateTime,
      sentAt: dateTime.nullable(),
    }),
  ),
});
const doc = docsFor('alerts');
const schemas = {
  all: doc({ summary: 'Alerts of every tenant the caller may see (operators: all; a merchant: their tenants), newest first', query: alertsQuery, response: z.object({ alerts: z.array(alertView) }) }),
  tenant: doc({ summary: 'The tenant’s alerts, newest first', query: alertsQuery, response: z.object({ alerts: z.array(alertView) }) }),
};

/** Alerts (stalled, disconnected, action items) with the state of their notifications. */
export function alertRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const repo = new AlertRepository(ctx.db);

    app.get('/alerts', { schema: schemas.all }, async (req) => {
      const { state, limit } = parseInput(alertsQuery, req.query, 'query');
      const p = req.principal;
      // A merchant sees the alerts of their own tenants only (the route is listed for merchants).
      const tenants = p && isOperator(p) ? undefined : p?.kind === 'user' ? p.user.tenants : [];
      return { alerts: await repo.list({ ...(tenants ? { tenants } : {}), state, limit }) };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/alerts', { schema: schemas.tenant }, async (req) => {
      const { state, limit } = parseInput(alertsQuery, req.query, 'query');
      return { alerts: await repo.list({ tenants: [req.params.id], state, limit }) };
    });
  };
}
