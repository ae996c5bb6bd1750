import { errorMessage } from '../core/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { Db } from '../store/db.ts';
import { clearRequests, pendingRequests, type SyncWhat } from './requests.ts';
import { RunLog, type RunStatus } from './run-log.ts';

export interface SyncStepContext {
  readonly db: Db;
  readonly tenantId: string;
  readonly run: RunLog;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

export type SyncStep = (ctx: SyncStepContext) => Promise<void>;

/** The steps of one tenant's sync, built per run from its connections (clients, rule set, policy). */
export type SyncSteps = Readonly<Record<SyncWhat, SyncStep>>;

/** Order matters: the catalog publish creates offers that the stock push and reconcile then manage. */
const ORDER: readonly SyncWhat[] = ['catalog', 'stock', 'reconcile'];

export interface RunOutcome {
  readonly runId: number | null;
  readonly status: RunStatus | 'nothing-pending';
  readonly what: readonly SyncWhat[];
}

/**
 * One sync run for a tenant: take every pending request, run the steps they ask for, record the run,
 * and clear exactly the requests it covered — only after the steps' writes are committed, so a crash
 * leaves them pending for the retry or the next heartbeat. A step failing for one item records the
 * item and goes on; a step failing as a whole fails the run (and the job is retried).
 */
export async function runSync(deps: { db: Db; log: Logger; steps: (tenantId: string) => Promise<SyncSteps> }, tenantId: string, opts: { jobId?: string; signal?: AbortSignal } = {}): Promise<RunOutcome> {
  const pending = await pendingRequests(deps.db, tenantId);
  if (!pending) return { runId: null, status: 'nothing-pending', what: [] };
  const what = ORDER.filter((w) => pending.what.has(w));
  const run = await RunLog.open(deps.db, tenantId, pending.triggers, what, opts.jobId ?? null, pending.upToId);
  const log = deps.log.child({ tenantId, runId: run.runId });
  // Stop at the next checkpoint when the process shuts down (job signal) or the run lost its lease.
  const signal = opts.signal ? AbortSignal.any([opts.signal, run.lost]) : run.lost;
  try {
    const steps = await deps.steps(tenantId);
    const ctx: SyncStepContext = { db: deps.db, tenantId, run, log, signal };
    for (const w of what) {
      signal.throwIfAborted();
      await steps[w](ctx);
    }
    signal.throwIfAborted();
    await clearRequests(deps.db, tenantId, pending.upToId);
    const status = await run.finish();
    log.info({ what, status, counts: run.counts, apiCalls: run.apiCalls }, 'sync run finished');
    return { runId: run.runId, status, what };
  } catch (e) {
    const interrupted = signal.aborted;
    await run.finish(e, { interrupted }).catch((err: unknown) => log.error({ err }, 'could not close the sync run'));
    if (interrupted) log.warn({ what, reason: errorMessage(signal.reason) }, 'sync run interrupted; its requests stay pending');
    else log.error({ err: e, what }, 'sync run failed');
    throw e;
  }
}
