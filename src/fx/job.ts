import { z } from 'zod';
import { defineJob } from '../sync/jobs.ts';

/** The daily rate import: one job per source, scheduled after each bank's publication time. */
export const fxImportJob = defineJob({
  name: 'fx.import',
  payload: z.object({ source: z.enum(['BNR', 'ECB']) }),
  policy: 'stately',
  retryLimit: 8,
  retryDelaySeconds: 300,
  retryBackoff: true,
  retryDelayMaxSeconds: 3600,
  expireInSeconds: 300,
});

/**
 * When the daily job runs (5-field cron with its time zone). BNR publishes "shortly after 13:00"
 * Bucharest time, ECB around 16:00 CET, both on banking days only; retries cover a late publication.
 */
export const FX_SCHEDULES = {
  BNR: { cron: '20 13 * * 1-5', tz: 'Europe/Bucharest' },
  ECB: { cron: '30 16 * * 1-5', tz: 'Europe/Berlin' },
} as const;
