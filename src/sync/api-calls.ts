import type { Queryable } from '../store/db.ts';

export type ApiOutcome = 'ok' | 'rate_limited' | 'client_error' | 'server_error' | 'network';

/** What one HTTP answer counts as (pure); null = no answer (timeout, connection refused or reset). */
export function apiOutcome(status: number | null): ApiOutcome {
  if (status === null) return 'network';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/**
 * Every call to lexoffice and Cel.ro this process makes (sync runs, order import, invoice upload,
 * tracking, checks), counted in memory per minute, tenant, API and outcome and written to
 * `api_call_counts` every few seconds — one upsert per key, not one row per call — so /metrics, read
 * from the database, shows every process's calls. A flush that fails keeps the counts for the next one.
 */
export class ApiCallRecorder {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly opts: { flushEveryMs?: number; now?: () => Date; onError?: (e: unknown) => void } = {},
  ) {}

  /** Start the periodic flush (unref'd: it never keeps the process alive). */
  start(): this {
    this.timer ??= setInterval(() => void this.flush().catch((e: unknown) => this.opts.onError?.(e)), this.opts.flushEveryMs ?? 10_000);
    this.timer.unref();
    return this;
  }

  record(tenantId: string, api: string, status: number | null): void {
    const minute = Math.floor((this.opts.now?.() ?? new Date()).getTime() / 60_000) * 60_000;
    const key = JSON.stringify([minute, tenantId, api, apiOutcome(status)]);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /** An observer for one tenant's client of one API (the connectors' `onResponse`). */
  observer(tenantId: string, api: string): (call: { status: number | null }) => void {
    return (call) => this.record(tenantId, api, call.status);
  }

  /** Write what was counted so far (one flush at a time). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      try {
        const rows = [...batch].map(([k, n]) => [...(JSON.parse(k) as [number, string, string, string]), n] as const);
        await this.db.query(
          `INSERT INTO api_call_counts (minute, tenant_id, api, outcome, n)
           SELECT to_timestamp(m / 1000.0), t, a, o, n FROM unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::int8[]) AS x (m, t, a, o, n)
           ON CONFLICT (minute, tenant_id, api, outcome) DO UPDATE SET n = api_call_counts.n + excluded.n`,
          [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4])],
        );
      } catch (e) {
        for (const [k, n] of batch) this.pending.set(k, (this.pending.get(k) ?? 0) + n); // kept for the next flush
        throw e;
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  /** Stop the timer and write what is left (before the store closes). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
