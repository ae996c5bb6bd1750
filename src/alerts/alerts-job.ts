import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../sync/jobs.ts';
import { deliverAlerts } from './deliver-alerts.ts';
import { evaluateAlerts } from './evaluate-alerts.ts';
import { configuredNotifiers } from './notifiers.ts';
import type { Notifier } from './ports.ts';

/** Every minute: evaluate every tenant's alert conditions, then send the notifications that are due. */
export const alertsJob = defineJob({ name: 'alerts.evaluate', payload: z.object({}).loose(), policy: 'singleton', retryLimit: 1, expireInSeconds: 10 * 60 });

/** One pass: what the job does (tests call it with their own clock and notifiers). */
export async function alertCycle(ctx: Pick<AppContext, 'db' | 'log'>, notifiers: readonly Notifier[], remindHours: number, now: Date) {
  const log = ctx.log.child({ component: 'alerts' });
  const evaluation = await evaluateAlerts({ db: ctx.db, channels: notifiers.map((n) => n.channel), remindAfterMs: remindHours * 3_600_000, log }, now);
  const delivery = await deliverAlerts({ db: ctx.db, notifiers, log }, now);
  return { ...evaluation, ...delivery };
}

export async function registerAlertsJob(ctx: AppContext): Promise<void> {
  const notifiers = configuredNotifiers(ctx.config.alerts);
  if (notifiers.length === 0) ctx.log.info('no alert destination configured (VORTEX_ALERT_WEBHOOK_URL, VORTEX_ALERT_SMTP_URL): alerts are kept and shown, not sent');
  await ctx.queue.work(alertsJob, async () => alertCycle(ctx, notifiers, ctx.config.alerts.remindHours, new Date()));
  await ctx.queue.schedule(alertsJob, '* * * * *', {}, { key: 'all' });
}
