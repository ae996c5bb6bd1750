import { z } from 'zod';

/** Per-tenant sync timing, kept in tenants.settings.sync. */
export const syncSettingsSchema = z
  .object({
    heartbeatMinutes: z.number().int().min(1).max(60).default(5),
    reconcileMinutes: z.number().int().min(1).max(60).default(15),
    /** Wake-ups (webhooks, stock changes) within this window collapse into one run. */
    debounceSeconds: z.number().int().min(0).max(300).default(2),
  })
  .default({ heartbeatMinutes: 5, reconcileMinutes: 15, debounceSeconds: 2 });

export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export function syncSettings(tenantSettings: Readonly<Record<string, unknown>>): SyncSettings {
  return syncSettingsSchema.parse(tenantSettings.sync ?? undefined);
}

/** A cron expression firing every `minutes` minutes (1–60). */
export function everyMinutesCron(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) throw new RangeError(`interval must be 1–60 minutes, got ${minutes}`);
  return minutes === 60 ? '0 * * * *' : minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
}

/** How the catalog publish treats a tenant's offers, kept in tenants.settings.catalog. */
export const catalogSettingsSchema = z
  .object({
    /** Price change over Cel.ro's guard: 'hold' for approval (default) or push with 'override'. */
    priceJump: z.enum(['hold', 'override']).default('hold'),
    guardPercent: z.string().regex(/^\d+(\.\d+)?$/).default('10'),
    publishServices: z.boolean().default(false),
  })
  .default({ priceJump: 'hold', guardPercent: '10', publishServices: false });

export type CatalogSettings = z.infer<typeof catalogSettingsSchema>;

export function catalogSettings(tenantSettings: Readonly<Record<string, unknown>>): CatalogSettings {
  return catalogSettingsSchema.parse(tenantSettings.catalog ?? undefined);
}

/** Per-connection options for the Cel.ro client, kept in the celro connection's settings. */
export const celroConnectionSettingsSchema = z
  .looseObject({
    maxInFlight: z.number().int().min(1).max(10).default(4),
    sendTestFlag: z.boolean().default(true),
  })
  .default({ maxInFlight: 4, sendTestFlag: true });

/**
 * Per-connection options for the lexoffice client. lexoffice allows 2 req/s per key and Vortex paces at
 * exactly that by default (see LexofficeHttpOptions.rateLimit for why that does not draw 429s); lower it
 * if an account shows 429s, raise it only against a simulator (load tests, benchmarks).
 */
export const lexofficeConnectionSettingsSchema = z
  .looseObject({
    ratePerSecond: z.number().positive().max(10_000).default(2),
    burst: z.number().int().min(1).max(10_000).default(1),
    webhookPublicKey: z.string().optional(),
    /** The lexoffice organisation of this key (from /v1/profile): webhooks for another one are refused. */
    organizationId: z.string().optional(),
    /** voucherlist sort property casing: measured live `voucherDate` (default), documented `voucherdate`. */
    voucherlistSortProperty: z.enum(['voucherDate', 'voucherdate']).optional(),
    /** Contacts page size (lexoffice allows up to 500 on contacts; 250 elsewhere). */
    contactsPageSize: z.number().int().min(1).max(500).optional(),
  })
  .default({ ratePerSecond: 2, burst: 1 });
