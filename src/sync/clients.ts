import { CelroClient, celroOrderClientOptions } from '../connectors/celro/index.ts';
import type { AppContext } from '../context.ts';
import type { Connection } from '../tenants/tenants.ts';
import { celroConnectionSettingsSchema } from './schedule.ts';

/** The Cel.ro client of a tenant's connection: shared token cache and connection budget, as every process uses it. */
export function celroClientFor(ctx: Pick<AppContext, 'db' | 'box'>, cel: Connection<'celro'>, onResponse?: (info: { route: string }) => void): CelroClient {
  const settings = celroConnectionSettingsSchema.parse(cel.settings);
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
