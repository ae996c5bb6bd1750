import { CelroClient, celroOrderClientOptions } from '../connectors/celro/index.ts';
import { LexofficeClient } from '../connectors/lexoffice/index.ts';
import type { AppContext } from '../context.ts';
import type { Connection } from '../tenants/tenants.ts';
import { celroConnectionSettingsSchema, lexofficeConnectionSettingsSchema } from './schedule.ts';

/** The Cel.ro client of a tenant's connection: shared token cache and connection budget, as every process uses it. */
export function celroClientFor(ctx: Pick<AppContext, 'db' | 'box' | 'apiCalls'>, cel: Connection<'celro'>, onRunResponse?: (info: { route: string }) => void): CelroClient {
  const settings = celroConnectionSettingsSchema.parse(cel.settings);
  const count = ctx.apiCalls?.observer(cel.tenantId, 'celro');
  const onResponse =
    count || onRunResponse
      ? (info: { route: string; status: number | null }) => {
          count?.(info);
          onRunResponse?.(info);
        }
      : undefined;
  return new CelroClient({
    username: cel.credentials.username,
    password: cel.credentials.password,
    ...(cel.baseUrl ? { baseUrl: cel.baseUrl } : {}),
    db: ctx.db,
    tokenSealer: ctx.box,
    maxInFlight: settings.maxInFlight,
    sendTestFlag: settings.sendTestFlag,
    ...celroOrderClientOptions(cel.settings),
    ...(onResponse ? { onResponse } : {}),
  });
}

/** The lexoffice client of a tenant's connection: its key, pace (shared token bucket) and read options. */
export function lexofficeClientFor(ctx: Pick<AppContext, 'db' | 'apiCalls'>, lex: Connection<'lexoffice'>, priority: 'normal' | 'background' = 'normal'): LexofficeClient {
  const s = lexofficeConnectionSettingsSchema.parse(lex.settings);
  const count = ctx.apiCalls?.observer(lex.tenantId, 'lexoffice');
  return new LexofficeClient({
    ...(count ? { onResponse: count } : {}),
    priority,
    apiKey: lex.credentials.apiKey,
    baseUrl: lex.baseUrl,
    db: ctx.db,
    rateLimit: { ratePerSecond: s.ratePerSecond, burst: s.burst },
    ...(s.voucherlistSortProperty ? { voucherlistSortProperty: s.voucherlistSortProperty } : {}),
    ...(s.contactsPageSize ? { contactsPageSize: s.contactsPageSize } : {}),
  });
}
