import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errorMessage, isVortexError } from '../../core/errors.ts';
import { parseWebhook } from '../../connectors/lexoffice/webhooks.ts';
import type { AppContext } from '../../context.ts';
import { requestSync } from '../../sync/request-sync.ts';
import { lexofficeConnectionSettingsSchema, syncSettings } from '../../sync/schedule.ts';
import { enqueueInvoice } from '../../fulfilment/invoice-job.ts';
import { enqueuePaymentCheck } from '../../fulfilment/payments/payment-check-job.ts';
import { LEXOFFICE_ARTICLE_EVENTS, LEXOFFICE_INVOICE_EVENTS } from '../../sync/webhook-subscriptions.ts';
import { TenantRepository } from '../../tenants/tenants.ts';

/** lexoffice callbacks carry ids only: a few hundred bytes. Anything bigger is not lexoffice. */
const BODY_LIMIT = 64 * 1024;
/** What is kept of a refused call's body: enough to see what it was, not a storage sink. */
const REFUSED_PREFIX = 1024;

/**
 * POST /webhooks/lexoffice/:tenantId — lexoffice's signed callbacks. The signature is checked over the
 * raw bytes with the tenant connection's public key (setting `webhookPublicKey`) or
 * LEXOFFICE_WEBHOOK_PUBLIC_KEY, and the organisation against the connection's (`organizationId`,
 * learned from /v1/profile). An unknown tenant, a missing key, a bad signature and another
 * organisation are all answered the same 401 — a caller cannot tell which tenants exist — and recorded
 * with the first KB of the body. A delivery seen before (same organisation, event, resource and event
 * date) is answered 200 `duplicate` and changes nothing. An accepted article event requests a
 * (debounced) catalog run; `invoice.status.changed` for an order's invoice queues its PDF attachment.
 * The callback carries only ids: the work reads the data through the API.
 */
export function lexofficeWebhookRoutes(ctx: AppContext) {
  // Registered as its own (encapsulated) plugin: the raw-body parser must not reach the JSON API.
  return async (root: FastifyInstance): Promise<void> =>
    root.register(async (app) => {
      app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
      const tenants = new TenantRepository(ctx.db, ctx.box);

      app.post<{ Params: { tenantId: string } }>('/webhooks/lexoffice/:tenantId', { bodyLimit: BODY_LIMIT }, async (req, reply) => {
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
        const digest = createHash('sha256').update(raw).digest('hex');
        const record = (
          status: 'accepted' | 'ignored' | 'rejected' | 'duplicate',
          reason: string | null,
          o: { tenantId?: string | null; eventType?: string | null; resourceId?: string | null; dedupKey?: string | null } = {},
        ) =>
          ctx.db.query<{ id: number }>(
            `INSERT INTO webhook_events (tenant_id, source, event_type, resource_id, status, reason, payload, dedup_key, digest)
             VALUES ($1, 'lexoffice', $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (source, tenant_id, dedup_key) WHERE status IN ('accepted', 'ignored') DO NOTHING RETURNING id`,
            [
              o.tenantId === undefined ? req.params.tenantId : o.tenantId,
              o.eventType ?? null,
              o.resourceId ?? null,
              status,
              reason,
              status === 'rejected' ? raw.toString('utf8').slice(0, REFUSED_PREFIX) : raw.toString('utf8'),
              o.dedupKey ?? null,
              digest,
            ],
          );
        const refuse = async (reason: string, tenantId: string | null) => {
          await record('rejected', reason, { tenantId });
          ctx.log.warn({ tenantId: req.params.tenantId.slice(0, 64), reason }, 'lexoffice webhook refused');
          return reply.code(401).send({ error: { code: 'auth_failed', message: 'webhook refused' } });
        };

        let tenant;
        let key: string | undefined;
        let organizationId: string | undefined;
        try {
          tenant = await tenants.get(req.params.tenantId);
          const settings = lexofficeConnectionSettingsSchema.parse((await tenants.getConnection(tenant.id, 'lexoffice')).settings);
          key = settings.webhookPublicKey ?? ctx.config.lexofficeWebhookPublicKey;
          organizationId = settings.organizationId;
        } catch (e) {
          return refuse(`unknown tenant or no lexoffice connection: ${errorMessage(e)}`, null);
        }
        if (!key) {
          ctx.log.error({ tenantId: tenant.id }, 'lexoffice webhook received but no public key is configured (LEXOFFICE_WEBHOOK_PUBLIC_KEY)');
          return refuse('no webhook public key configured', tenant.id);
        }
        let event;
        try {
          event = parseWebhook(raw, req.headers['x-lxo-signature'] as string | undefined, key, organizationId);
        } catch (e) {
          if (isVortexError(e) && e.code === 'auth_failed') return refuse(errorMessage(e), tenant.id);
          // Signed by lexoffice but not what we expect: keep it whole for inspection.
          await record('rejected', errorMessage(e), { tenantId: tenant.id });
          return reply.code(400).send({ error: { code: 'validation_failed', message: errorMessage(e) } });
        }
        const dedupKey = `${event.organizationId}|${event.eventType}|${event.resourceId}|${event.eventDate}`;
        const article = (LEXOFFICE_ARTICLE_EVENTS as readonly string[]).includes(event.eventType);
        const invoice = (LEXOFFICE_INVOICE_EVENTS as readonly string[]).includes(event.eventType);
        const use = article || invoice;
        const first = await record(use ? 'accepted' : 'ignored', use ? null : 'event type not used yet', { tenantId: tenant.id, eventType: event.eventType, resourceId: event.resourceId, dedupKey });
        if (first.length === 0) {
          await record('duplicate', 'delivered before', { tenantId: tenant.id, eventType: event.eventType, resourceId: event.resourceId });
          return reply.code(200).send({ status: 'duplicate' });
        }
        if (!use) return reply.code(202).send({ status: 'ignored' });
        if (invoice) {
          // The callback names the voucher; the attachment job reads its state and PDF through the API.
          if (event.eventType === 'payment.changed') await enqueuePaymentCheck(ctx.queue, tenant.id, event.resourceId);
          else {
            const orders = await ctx.db.query<{ channel_order_id: string }>("SELECT channel_order_id FROM channel_orders WHERE tenant_id = $1 AND document_id = $2 AND invoice_state <> 'attached'", [tenant.id, event.resourceId]);
            for (const o of orders) await enqueueInvoice(ctx.queue, tenant.id, o.channel_order_id);
          }
          return reply.code(202).send({ status: 'accepted' });
        }
        await requestSync(ctx, tenant.id, ['catalog'], 'webhook', { delaySeconds: syncSettings(tenant.settings).debounceSeconds, detail: { eventType: event.eventType, resourceId: event.resourceId } });
        return reply.code(202).send({ status: 'accepted' });
      });
    });
}
