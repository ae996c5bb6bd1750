import type { FastifyInstance } from 'fastify';
import { errorMessage } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import { recordPayment } from '../../fulfilment/payments/order-payment.ts';
import { paymentEventSchema, signatureProblem } from '../../fulfilment/payments/signed-webhook.ts';
import { TenantRepository } from '../../tenants/tenants.ts';

const BODY_LIMIT = 16 * 1024;

/**
 * POST /webhooks/payments/:tenantId — the generic signed payment webhook (README "Payments"). The
 * tenant's secret is its `payments` connection (`{webhookSecret}`, sealed at rest). Unknown tenant, no
 * secret, bad or stale signature: the same 401, recorded with the first KB of the body. A well-signed
 * but malformed body: 400 naming the field, recorded whole. A repeat of an event (same reference and
 * status): 200 `duplicate`, nothing changes.
 */
export function paymentWebhookRoutes(ctx: AppContext) {
  return async (root: FastifyInstance): Promise<void> =>
    root.register(async (app) => {
      app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
      const tenants = new TenantRepository(ctx.db, ctx.box);

      app.post<{ Params: { tenantId: string } }>('/webhooks/payments/:tenantId', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from(String(req.body ?? ''));
        const reject = async (status: 'rejected', reason: string, tenantId: string | null, keep: number) => {
          await ctx.db.query("INSERT INTO webhook_events (tenant_id, source, status, reason, payload) VALUES ($1, 'payments', $2, $3, $4)", [tenantId, status, reason, raw.toString('utf8').slice(0, keep)]);
        };
        let secret: string | undefined;
        let tenantId: string | null = null;
        try {
          const t = await tenants.get(req.params.tenantId);
          tenantId = t.id;
          secret = (await tenants.getConnection(t.id, 'payments')).credentials.webhookSecret;
        } catch {
          secret = undefined;
        }
        const problem = secret ? signatureProblem(secret, raw, { signature: header(req.headers['x-vortex-signature']), timestamp: header(req.headers['x-vortex-timestamp']) }) : 'unknown tenant or no payments connection';
        if (problem) {
          await reject('rejected', problem, tenantId, 1024);
          ctx.log.warn({ tenantId: req.params.tenantId.slice(0, 64), reason: problem }, 'payment webhook refused');
          return reply.code(401).send({ error: { code: 'auth_failed', message: 'webhook refused' } });
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (e) {
          await reject('rejected', `not JSON: ${errorMessage(e)}`, tenantId, 65_536);
          return reply.code(400).send({ error: { code: 'validation_failed', message: 'the body is not JSON' } });
        }
        const parsed = paymentEventSchema.safeParse(body);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
          await reject('rejected', issues.map((i) => `${i.path}: ${i.message}`).join('; '), tenantId, 65_536);
          return reply.code(400).send({ error: { code: 'validation_failed', message: `invalid payment event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues } });
        }
        const e = parsed.data;
        const stored = await recordPayment(ctx.db, tenantId!, { orderId: e.orderId, source: 'webhook', status: e.status, amount: e.amount ?? null, currency: e.currency ?? null, provider: e.provider ?? null, reference: e.reference, occurredAt: new Date(e.occurredAt), payload: e });
        await ctx.db.query("INSERT INTO webhook_events (tenant_id, source, event_type, resource_id, status, reason, payload) VALUES ($1, 'payments', $2, $3, $4, $5, $6)", [
          tenantId,
          `payment.${e.status}`,
          e.orderId,
          stored ? 'accepted' : 'duplicate',
          stored ? null : 'delivered before',
          raw.toString('utf8'),
        ]);
        if (!stored) return reply.code(200).send({ status: 'duplicate' });
        return reply.code(202).send({ status: 'accepted' });
      });
    });
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
