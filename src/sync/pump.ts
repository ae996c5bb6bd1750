import type { AppContext } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import { abandonExpiredRuns } from './run-log.ts';
import { runSyncJob, syncTickJob } from './sync-jobs.ts';
import { everyMinutesCron, syncSettings } from './schedule.ts';
import { ensureLexofficeSubscriptions } from './webhook-subscriptions.ts';
import { orderIntakeJob } from '../orders/jobs.ts';
import { ensureCelroApiLink } from '../orders/api-link.ts';

/** Tenants that can sync: active, with both connections enabled. */
const ELIGIBLE = `
  SELECT t.id, t.settings FROM tenants t
  WHERE t.status = 'active'
    AND EXISTS (SELECT 1 FROM connections c WHERE c.tenant_id = t.id AND c.system = 'lexoffice' AND c.enabled)
    AND EXISTS (SELECT 1 FROM connections c WHERE c.tenant_id = t.id AND c.system = 'celro' AND c.enabled)`;

/** Tenants with pending requests, with how many runs failed in a row since the last that did not. */
const PENDING = `
  SELECT r.tenant_id,
    (SELECT count(*) FROM sync_runs s WHERE s.tenant_id = r.tenant_id AND s.status = 'failed'
       AND s.id > coalesce((SELECT max(x.id) FROM sync_runs x WHERE x.tenant_id = r.tenant_id AND x.status <> 'failed'), 0)) AS failures,
    (SELECT max(s.finished_at) FROM sync_runs s WHERE s.tenant_id = r.tenant_id) AS last_finished
  FROM (SELECT DISTINCT tenant_id FROM sync_requests) r`;

interface PendingRow {
  tenant_id: string;
  failures: number;
  last_finished: Date | null;
}

/** After failed runs, wait 15 s, 30 s, 60 s … (at most 5 min) before waking the tenant again. */
export function backingOff(p: { failures: number; last_finished: Date | null }, now = Date.now()): boolean {
  if (p.failures === 0 || !p.last_finished) return false;
  const waitMs = Math.min(300_000, 15_000 * 2 ** (p.failures - 1));
  return now - p.last_finished.getTime() < waitMs;
}

/**
 * The sync pump, run by every worker process:
 *  - closes runs whose worker died (no heartbeat for RUN_LEASE_SECONDS) as abandoned;
 *  - wakes a run for each eligible tenant with pending sync requests (from any writer — the API, the
 *    CLI in another process, the stock ledger, webhooks), delayed by the tenant's debounce window so
 *    a burst becomes one run; the run queue's singleton key makes concurrent pumps harmless;
 *  - keeps each eligible tenant's heartbeat and reconcile schedules registered (and removes those of
 *    tenants that are no longer eligible).
 */
export class SyncPump {
  private timer: NodeJS.Timeout | undefined;
  private scheduled = new Map<string, string>(); // schedule key → cron
  private subscribed = new Set<string>(); // tenants whose lexoffice webhooks this process checked
  private lastScheduleCheck = 0;
  private lastTenants = '';
  private running = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: { intervalMs?: number; scheduleEveryMs?: number } = {},
  ) {}

  start(): void {
    const tick = async () => {
      if (this.running) return;
      this.running = true;
      try {
        await this.tick();
      } catch (e) {
        this.ctx.log.warn({ err: errorMessage(e) }, 'sync pump tick failed');
      } finally {
        this.running = false;
      }
    };
    this.timer = setInterval(() => void tick(), this.opts.intervalMs ?? 2000);
    void tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(): Promise<void> {
    // Runs whose worker stopped beating (killed, machine gone): close them so health and metrics tell.
    const abandoned = await abandonExpiredRuns(this.ctx.db);
    if (abandoned.length) this.ctx.log.warn({ runs: abandoned }, 'sync runs abandoned by a worker that stopped; their tenants run again');
    const tenants = await this.ctx.db.query<{ id: string; settings: Record<string, unknown> }>(ELIGIBLE);
    const pending = new Map((await this.ctx.db.query<PendingRow>(PENDING)).map((r) => [r.tenant_id, r]));
    for (const t of tenants) {
      const p = pending.get(t.id);
      if (!p || backingOff(p)) continue;
      const delay = syncSettings(t.settings).debounceSeconds;
      await this.ctx.queue.send(runSyncJob, { tenantId: t.id }, { singletonKey: t.id, ...(delay ? { startAfterSeconds: delay } : {}) });
    }
    // Schedules and webhook subscriptions: at once when the set of eligible tenants changes, else each minute.
    const ids = tenants.map((t) => t.id).join(',');
    if (ids !== this.lastTenants || Date.now() - this.lastScheduleCheck >= (this.opts.scheduleEveryMs ?? 60_000)) {
      this.lastTenants = ids;
      this.lastScheduleCheck = Date.now();
      await this.ensureSchedules(tenants);
    }
  }

  private async ensureSchedules(tenants: ReadonlyArray<{ id: string; settings: Record<string, unknown> }>): Promise<void> {
    const wanted = new Map<string, { cron: string; tenantId: string; what: ('catalog' | 'stock' | 'reconcile')[]; trigger: string }>();
    for (const t of tenants) {
      const s = syncSettings(t.settings);
      wanted.set(`${t.id}/heartbeat`, { cron: everyMinutesCron(s.heartbeatMinutes), tenantId: t.id, what: ['catalog', 'stock'], trigger: 'heartbeat' });
      wanted.set(`${t.id}/reconcile`, { cron: everyMinutesCron(s.reconcileMinutes), tenantId: t.id, what: ['reconcile'], trigger: 'reconcile' });
    }
    for (const t of tenants) {
      if (this.subscribed.has(t.id) || !this.ctx.config.publicUrl) continue;
      try {
        const { created } = await ensureLexofficeSubscriptions(this.ctx, t.id);
        if (created.length) this.ctx.log.info({ tenantId: t.id, created }, 'lexoffice webhooks subscribed');
        if ((await ensureCelroApiLink(this.ctx, t.id)).changed) this.ctx.log.info({ tenantId: t.id }, 'Cel.ro API link set to Vortex');
        this.subscribed.add(t.id);
      } catch (e) {
        this.ctx.log.warn({ tenantId: t.id, err: errorMessage(e) }, 'could not subscribe lexoffice webhooks or set the Cel.ro API link; will retry');
      }
    }
    for (const [key, w] of wanted) {
      if (this.scheduled.get(key) === w.cron) continue;
      await this.ctx.queue.schedule(syncTickJob, w.cron, { tenantId: w.tenantId, what: w.what, trigger: w.trigger }, { key });
      this.scheduled.set(key, w.cron);
    }
    // Orders are polled on the heartbeat too, as their own job: a long catalog run never delays them.
    const polls = new Map(tenants.map((t) => [`${t.id}/orders`, { tenantId: t.id, cron: everyMinutesCron(syncSettings(t.settings).heartbeatMinutes) }]));
    for (const [key, p] of polls) {
      if (this.scheduled.get(key) === p.cron) continue;
      await this.ctx.queue.schedule(orderIntakeJob, p.cron, { tenantId: p.tenantId, trigger: 'heartbeat' }, { key, singletonKey: `${p.tenantId}/poll` });
      this.scheduled.set(key, p.cron);
    }
    for (const [job, keep] of [
      [syncTickJob, wanted],
      [orderIntakeJob, polls],
    ] as const) {
      for (const s of await this.ctx.queue.boss.getSchedules(job.name)) {
        if (s.key && !keep.has(s.key)) {
          await this.ctx.queue.unschedule(job, s.key);
          this.scheduled.delete(s.key);
        }
      }
    }
  }
}
