import os from 'node:os';
import { errorMessage, isVortexError } from '../core/errors.ts';
import type { Queryable } from '../store/db.ts';

export type StepCounts = Record<string, number>;
export type RunStatus = 'succeeded' | 'partial' | 'failed' | 'interrupted';

/** How often a running run proves its worker is alive; a run silent for LEASE_SECONDS is abandoned. */
export const RUN_HEARTBEAT_MS = 5_000;
export const RUN_LEASE_SECONDS = 30;

/** This process, as it appears in run records (which worker ran it, whose heartbeat stopped). */
export const WORKER_ID = `${os.hostname()}:${process.pid}`;

/**
 * The record of one sync run: counts per step, API calls per API and operation, and every failed
 * item with its payload. Counters live in memory and are written with every heartbeat and at the end,
 * so a run whose process dies is closed by someone else with what it had done by its last beat.
 *
 * The heartbeat is also a fence: when it finds the run no longer `running` (another worker closed it as
 * abandoned after this process stalled), it aborts `lost`, and the steps stop at their next checkpoint.
 */
export class RunLog {
  readonly counts: Record<string, StepCounts> = {};
  readonly apiCalls: Record<string, Record<string, number>> = {};
  failures = 0;
  private readonly lostController = new AbortController();
  private beat: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    readonly runId: number,
    readonly tenantId: string,
  ) {}

  /** Aborted when this run lost its lease (closed by another worker while this one stalled). */
  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  /**
   * Open a run. The caller holds the tenant's run job, so any run of the tenant still marked `running`
   * belongs to a worker that lost that job (killed, or stalled past its job heartbeat): close it first.
   */
  static async open(db: Queryable, tenantId: string, triggers: readonly string[], what: readonly string[], jobId: string | null, coversRequestId: number | null = null): Promise<RunLog> {
    await abandonRuns(db, 'AND tenant_id = $1', [tenantId]);
    const row = await db.one<{ id: number }>('INSERT INTO sync_runs (tenant_id, triggers, what, job_id, worker, covers_request_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
      tenantId,
      [...triggers],
      [...what],
      jobId,
      WORKER_ID,
      coversRequestId,
    ]);
    const run = new RunLog(db, row.id, tenantId);
    run.beat = setInterval(() => void run.heartbeat(), RUN_HEARTBEAT_MS);
    run.beat.unref();
    return run;
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

  /** Write the counters so far and renew the lease; abort `lost` when the run was closed meanwhile. */
  async heartbeat(): Promise<void> {
    if (this.lostController.signal.aborted) return;
    try {
      const rows = await this.db.query("UPDATE sync_runs SET heartbeat_at = now(), counts = $2::jsonb, api_calls = $3::jsonb WHERE id = $1 AND status = 'running' RETURNING id", [
        this.runId,
        this.counts,
        this.apiCalls,
      ]);
      if (rows.length === 0) this.lostController.abort(new RunLostError(this.runId));
    } catch {
      // A heartbeat that could not run says nothing about the lease; the next one will tell.
    }
  }

  /**
   * Close the run. An error that is the run's own interruption (shutdown) closes it as `interrupted`:
   * its requests stay pending for the next run, which redoes only what was not committed.
   */
  async finish(error?: unknown, opts: { interrupted?: boolean } = {}): Promise<RunStatus> {
    if (this.beat) clearInterval(this.beat);
    this.beat = undefined;
    const status: RunStatus = opts.interrupted ? 'interrupted' : error ? 'failed' : this.failures > 0 ? 'partial' : 'succeeded';
    await this.db.query("UPDATE sync_runs SET status = $2, finished_at = now(), heartbeat_at = now(), counts = $3::jsonb, api_calls = $4::jsonb, error = $5 WHERE id = $1 AND status = 'running'", [
      this.runId,
      status,
      this.counts,
      this.apiCalls,
      error ? errorMessage(error) : null,
    ]);
    return status;
  }
}

/** The run's lease was taken away: another worker closed it as abandoned while this one stalled. */
export class RunLostError extends Error {
  constructor(runId: number) {
    super(`sync run ${runId} lost its lease (closed as abandoned by another worker); stopping`);
    this.name = 'RunLostError';
  }
}

/**
 * Close runs whose worker is gone, keeping the counts of their last heartbeat. `where` narrows the
 * set (a tenant, or only leases older than RUN_LEASE_SECONDS). Returns the runs closed.
 */
export async function abandonRuns(db: Queryable, where: string, params: unknown[]): Promise<Array<{ id: number; tenant_id: string }>> {
  return db.query<{ id: number; tenant_id: string }>(
    `UPDATE sync_runs SET status = 'abandoned', finished_at = now(),
       error = 'worker ' || coalesce(worker, '?') || ' stopped without closing the run (last heartbeat ' || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); requests stay pending for the next run'
     WHERE status = 'running' ${where} RETURNING id, tenant_id`,
    params,
  );
}

/** Close every run whose lease expired (any tenant): what the pump does on each tick. */
export function abandonExpiredRuns(db: Queryable): Promise<Array<{ id: number; tenant_id: string }>> {
  return abandonRuns(db, `AND heartbeat_at < now() - interval '${RUN_LEASE_SECONDS} seconds'`, []);
}
