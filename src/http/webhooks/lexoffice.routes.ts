import type { FastifyInstance } from 'fastify';
import { errorMessage, isVortexError } from '../../core/errors.ts';
import { parseWebhook } from '../../connectors/lexoffice/webhooks.ts';
import type { AppContext } from '../../context.ts';
import { requestSync } from '../../sync/request-sync.ts';
import { lexofficeConnectionSettingsSchema, syncSettings } from '../../sync/schedule.ts';
import { LEXOFFICE_ARTICLE_EVENTS } from '../../sync/webhook-subscriptions.ts';
import { TenantRepository } from '../../tenants/tenants.ts';


/**
 * POST /webhooks/lexoffice/:tenantId — lexoffice's signed callbacks. The signature is checked over the
 * raw bytes with the tenant connection's public key (setting `webhookPublicKey`) or
 * LEXOFFICE_WEBHOOK_PUBLIC_KEY. Every call is recorded with its payload; a forged or unsigned one is
 * answered 401, a malformed one 400. An accepted article event requests a (debounced) catalog run —
 * the callback carries only ids, the run reads the data through the API.
 */
export function lexofficeWebhookRoutes(ctx: AppContext) {
  // Registered as its own (encapsulated) plugin: the raw-body parser must not reach the JSON API.
  return async (root: FastifyInstance): Promise<void> => root.register(async (app) => {
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const tenants = new TenantRepository(ctx.db, ctx.box);

    app.post<{ Params: { tenantId: string } }>('/webhooks/lexoffice/:tenantId', async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? ''));
      const record = (status: 'accepted' | 'ignored' | 'rejected', reason: string | null, eventType: string | null = null, resourceId: string | null = null, tenantId: string | null = req.params.tenantId) =>
        ctx.db.query('INSERT INTO webhook_events (tenant_id, source, event_type, resource_id, status, reason, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          tenantId,
          'lexoffice',
          eventType,
          resourceId,
          status,
          reason,
          raw.toString('utf8').slice(0, 65_536),
        ]);

      let tenant;
      let key: string | undefined;
      try {
        tenant = await tenants.get(req.params.tenantId);
        const conn = await tenants.getConnection(tenant.id, 'lexoffice');
        key = lexofficeConnectionSettingsSchema.parse(conn.settings).webhookPublicKey ?? ctx.config.lexofficeWebhookPublicKey;
      } catch (e) {
        await record('rejected', errorMessage(e), null, null, null);
        return reply.code(404).send({ error: { code: 'not_found', message: 'unknown tenant or no lexoffice connection' } });
      }
      if (!key) {
        await record('rejected', 'no webhook public key configured');
        ctx.log.error({ tenantId: tenant.id }, 'lexoffice webhook received but no public key is configured (LEXOFFICE_WEBHOOK_PUBLIC_KEY)');
        return reply.code(503).send({ error: { code: 'not_configured', message: 'webhook verification key not configured' } });
      }
      let event;
      try {
        event = parseWebhook(raw, req.headers['x-lxo-signature'] as string | undefined, key);
      } catch (e) {
        const status = isVortexError(e) && e.code === 'auth_failed' ? 401 : 400;
        await record('rejected', errorMessage(e));
        ctx.log.warn({ tenantId: tenant.id, reason: errorMessage(e) }, 'lexoffice webhook rejected');
        return reply.code(status).send({ error: { code: status === 401 ? 'auth_failed' : 'validation_failed', message: errorMessage(e) } });
      }
      if (!(LEXOFFICE_ARTICLE_EVENTS as readonly string[]).includes(event.eventType)) {
        await record('ignored', 'event type not used yet', event.eventType, event.resourceId);
        return reply.code(202).send({ status: 'ignored' });
      }
      await record('accepted', null, event.eventType, event.resourceId);
      await requestSync(ctx, tenant.id, ['catalog'], 'webhook', { delaySeconds: syncSettings(tenant.settings).debounceSeconds, detail: { eventType: event.eventType, resourceId: event.resourceId } });
      return reply.code(202).send({ status: 'accepted' });
    });
  });
}
