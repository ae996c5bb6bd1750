import { LexofficeClient, LexofficeConflictError } from '../connectors/lexoffice/index.ts';
import type { AppContext } from '../context.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { lexofficeConnectionSettingsSchema } from './schedule.ts';

export const LEXOFFICE_ARTICLE_EVENTS = ['article.created', 'article.changed', 'article.deleted'] as const;
/** An order's invoice finalized (its PDF may now go onto the Cel.ro order) or paid in lexoffice (a payment source). */
export const LEXOFFICE_INVOICE_EVENTS = ['invoice.status.changed', 'payment.changed'] as const;
export const LEXOFFICE_EVENTS = [...LEXOFFICE_ARTICLE_EVENTS, ...LEXOFFICE_INVOICE_EVENTS] as const;

export function lexofficeCallbackUrl(publicUrl: string, tenantId: string): string {
  return `${publicUrl}/webhooks/lexoffice/${encodeURIComponent(tenantId)}`;
}

/**
 * Make sure lexoffice calls Vortex on article changes and invoice status changes for this tenant: one subscription per event type
 * pointing at this Vortex (VORTEX_PUBLIC_URL). Existing subscriptions with the same callback are kept;
 * the ids are stored so they can be shown and removed. Without a public URL nothing is subscribed and
 * the heartbeat alone keeps the catalog in sync.
 */
export async function ensureLexofficeSubscriptions(ctx: AppContext, tenantId: string): Promise<{ created: string[] }> {
  if (!ctx.config.publicUrl) return { created: [] };
  const conn = await new TenantRepository(ctx.db, ctx.box).getConnection(tenantId, 'lexoffice');
  const client = new LexofficeClient({ apiKey: conn.credentials.apiKey, baseUrl: conn.baseUrl, db: ctx.db, ...(ctx.apiCalls ? { onResponse: ctx.apiCalls.observer(tenantId, 'lexoffice') } : {}) });
  const callbackUrl = lexofficeCallbackUrl(ctx.config.publicUrl, tenantId);
  if (!lexofficeConnectionSettingsSchema.parse(conn.settings).organizationId) {
    // Learn the organisation once: the webhook route refuses callbacks signed for another one.
    const { organizationId } = await client.getProfile();
    await ctx.db.query("UPDATE connections SET settings = settings || jsonb_build_object('organizationId', $3::text) WHERE tenant_id = $1 AND system = $2", [tenantId, 'lexoffice', organizationId]);
  }
  const existing = await client.listEventSubscriptions();
  const created: string[] = [];
  const find = (list: typeof existing, eventType: string) => list.find((s) => s.eventType === eventType && s.callbackUrl === callbackUrl)?.subscriptionId;
  for (const eventType of LEXOFFICE_EVENTS) {
    let id = find(existing, eventType);
    if (!id) {
      try {
        id = (await client.createEventSubscription(eventType, callbackUrl)).id;
        created.push(eventType);
      } catch (e) {
        // Another process subscribed a moment ago (lexoffice answers 409 for a duplicate): use theirs.
        if (!(e instanceof LexofficeConflictError)) throw e;
        id = find(await client.listEventSubscriptions(), eventType);
        if (!id) throw e;
      }
    }
    await ctx.db.query(
      `INSERT INTO lexoffice_subscriptions (tenant_id, event_type, subscription_id, callback_url) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, event_type) DO UPDATE SET subscription_id = EXCLUDED.subscription_id, callback_url = EXCLUDED.callback_url`,
      [tenantId, eventType, id, callbackUrl],
    );
  }
  return { created };
}
