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
