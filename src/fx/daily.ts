import type { AppContext } from '../context.ts';
import { importFeedUrl } from './import.ts';
import { fxImportJob, FX_SCHEDULES } from './job.ts';

/**
 * The daily FX import (VORTEX_FX_DAILY, default BNR): a cron schedule per source after its publication
 * time and a worker that fetches the configured URL and appends the rates. Failures are retried with
 * backoff and end up in the dead-letter queue; pricing then fails loudly once no rate lies within 7
 * days. No fetch at start-up (tests and offline installs stay off the network): catch up with
 * `vortex fx import` (which also loads the 10-day or yearly BNR files for history).
 */
export async function registerFxJobs(ctx: AppContext): Promise<void> {
  const { queue, db, config, log } = ctx;
  await queue.work(fxImportJob, async ({ source }, job) => {
    const res = await importFeedUrl(db, config.fx.urls[source], source, { signal: job.signal });
    const summary = { source, inserted: res.inserted, unchanged: res.unchanged, days: res.days, conflicts: res.conflicts.length };
    if (res.conflicts.length > 0) log.warn({ ...summary, conflictList: res.conflicts.slice(0, 20) }, 'fx import: publication differs from the stored rate; stored rate kept');
    else log.info(summary, 'fx import done');
    return summary;
  });
  for (const source of config.fx.daily) {
    const s = FX_SCHEDULES[source];
    await queue.schedule(fxImportJob, s.cron, { source }, { key: source, tz: s.tz });
  }
}
