import { errorMessage, isVortexError } from '../core/errors.ts';
import type { Queryable } from '../store/db.ts';

export type StepCounts = Record<string, number>;

/**
 * The record of one sync run: counts per step, API calls per API and operation, and every failed
 * item with its payload. Counters live in memory during the run and are written when it ends.
 */
export class RunLog {
  readonly counts: Record<string, StepCounts> = {};
  readonly apiCalls: Record<string, Record<string, number>> = {};
  failures = 0;

  constructor(
    private readonly db: Queryable,
    readonly runId: number,
    readonly tenantId: string,
  ) {}

  static async open(db: Queryable, tenantId: string, triggers: readonly string[], what: readonly string[], jobId: string | null): Promise<RunLog> {
    const row = await db.one<{ id: number }>('INSERT INTO sync_runs (tenant_id, triggers, what, job_id) VALUES ($1, $2, $3, $4) RETURNING id', [tenantId, [...triggers], [...what], jobId]);
    return new RunLog(db, row.id, tenantId);
  }

  count(step: string, key: 'read' | 'changed' | 'pushed' | 'failed' | 'skipped' | 'held' | 'drift' | string, n = 1): void {
    const s = (this.counts[step] ??= {});
    s[key] = (s[key] ?? 0) + n;
  }

  apiCall(api: string, operation: string): void {
    const a = (this.apiCalls[api] ??= {});
    a[operation] = (a[operation] ?? 0) + 1;
  }

  async failure(step: string, sku: string | null, err: unknown, payload?: unknown): Promise<void> {
    this.failures++;
    this.count(step, 'failed');
    const code = isVortexError(err) ? err.code : 'error';
    await this.db.query('INSERT INTO sync_failures (run_id, tenant_id, step, sku, code, message, payload) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)', [
      this.runId,
      this.tenantId,
      step,
      sku,
      code,
      errorMessage(err),
      payload === undefined ? (isVortexError(err) && err.details ? err.details : null) : payload,
    ]);
  }

  async finish(error?: unknown): Promise<'succeeded' | 'partial' | 'failed'> {
    const status = error ? 'failed' : this.failures > 0 ? 'partial' : 'succeeded';
    await this.db.query('UPDATE sync_runs SET status = $2, finished_at = now(), counts = $3::jsonb, api_calls = $4::jsonb, error = $5 WHERE id = $1', [
      this.runId,
      status,
      this.counts,
      this.apiCalls,
      error ? errorMessage(error) : null,
    ]);
    return status;
  }
}
