import type { AppContext } from '../context.ts';
import { celroClientFor } from '../sync/clients.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { pushLinkTemplate, pushSecret } from './push-link.ts';

/**
 * Point the tenant's Cel.ro API link at Vortex (`VORTEX_PUBLIC_URL` + the tenant's push path), as
 * lexoffice webhooks are subscribed: read the account, write the link only when it differs.
 */
export async function ensureCelroApiLink(ctx: Pick<AppContext, 'db' | 'box' | 'config'>, tenantId: string): Promise<{ changed: boolean }> {
  if (!ctx.config.publicUrl) return { changed: false };
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const client = celroClientFor(ctx, await tenants.getConnection(tenantId, 'celro'));
  const template = pushLinkTemplate(ctx.config.publicUrl, tenantId, await pushSecret(ctx.db, ctx.box, tenantId));
  const account = await client.getAccountInformation();
  if (account.apiLink === template) return { changed: false };
  await client.setApiLink(template);
  await tenants.audit(tenantId, 'vortex', 'celro.api-link.set', tenantId, { path: `/webhooks/celro/${tenantId}/…` });
  return { changed: true };
}
