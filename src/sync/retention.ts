import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from './jobs.ts';
import { foldAndDelete } from './run-metrics.ts';

/** Daily clean-up of the bookkeeping tables, so they do not grow without bound. */
export const retentionJob = defineJob({ name: 'maintenance.retention', payload: z.object({}), policy: 'stately', retryLimit: 3 });

/**
 * Delete what is older than the retention window: finished sync runs (their item failures go with them; their
 * counts and durations stay in metric_rollups), per-minute API call counts (likewise),
 * webhook calls, drift records, settled stock reservations and login attempts; expired panel sessions at once. Requests, offers, the ledger's levels and
 * entries, rule versions, rates and the audit trail are kept.
 */
export async function applyRetention(db: AppContext['db'], days: number): Promise<Record<string, number>> {
  const cut = `now() - make_interval(days => $1)`;
  const del = async (sql: string) => (await db.query<{ n: number }>(`WITH d AS (${sql} RETURNING 1) SELECT count(*) AS n FROM d`, [days]))[0]?.n ?? 0;
  // Runs and API call minutes go with what /metrics counted of them folded into metric_rollups.
  const { syncRuns, apiCallMinutes } = await foldAndDelete(db, days);
  return {
    syncRuns,
    apiCallMinutes,
    webhookEvents: await del(`DELETE FROM webhook_events WHERE received_at < ${cut}`),
    stockDrift: await del(`DELETE FROM stock_drift WHERE at < ${cut}`),
    reservations: await del(`DELETE FROM stock_reservations WHERE status <> 'active' AND settled_at < ${cut}`),
    loginAttempts: await del(`DELETE FROM login_attempts WHERE at < ${cut}`),
    // Ended sessions are useless at once (their rows only answer "expired"); $1 keeps the statement's shape.
    expiredSessions: await del(`DELETE FROM user_sessions WHERE expires_at < now() AND $1::int IS NOT NULL`),
  };
}

export async function registerRetention(ctx: AppContext): Promise<void> {
  await ctx.queue.work(retentionJob, async () => {
    const deleted = await applyRetention(ctx.db, ctx.config.retentionDays);
    ctx.log.info({ deleted, days: ctx.config.retentionDays }, 'retention applied');
    return deleted;
  });
  await ctx.queue.schedule(retentionJob, '17 3 * * *', {}, { tz: 'Europe/Bucharest' });
}
