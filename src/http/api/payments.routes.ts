import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const query = z.object({ orderId: z.string().regex(/^\d{1,20}$/, 'a Cel.ro order id (digits)').optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).loose();

const schema = docsFor('payments')({
  summary: 'Payment events of the tenant’s orders, newest first',
  query,
  response: z.object({
    events: z.array(
      z.object({ orderId: z.string(), status: z.string(), amount: z.string().nullable(), currency: z.string().nullable(), provider: z.string().nullable(), reference: z.string(), source: z.string(), occurredAt: dateTime, receivedAt: dateTime }),
    ),
  }),
});

/** Payment events reported for a tenant's orders, newest first; the current status of an order is the first. */
export function paymentRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: string } }>('/tenants/:id/payments', { schema }, async (req) => {
      const q = parseInput(query, req.query, 'query');
      return {
        events: await ctx.db.query(
          `SELECT channel_order_id AS "orderId", status, amount, currency, provider, reference, source, occurred_at AS "occurredAt", received_at AS "receivedAt"
           FROM payment_events WHERE tenant_id = $1 AND ($2::text IS NULL OR channel_order_id = $2) ORDER BY occurred_at DESC, id DESC LIMIT $3`,
          [req.params.id, q.orderId ?? null, q.limit],
        ),
      };
    });
  };
}
