import type { Queryable } from '../store/db.ts';

export type RequestState = 'queued' | 'running' | 'done' | 'retrying' | 'unknown';

export interface RunSummary {
  readonly id: number;
  readonly status: string;
  readonly counts: Record<string, Record<string, number>>;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

export interface RequestProgress {
  readonly requestId: number;
  readonly state: RequestState;
  /** The newest run that took this request (running, or how it ended). */
  readonly run: RunSummary | null;
}

/**
 * Pure: where a sync request stands, from whether it is still pending and the newest run that covered
 * it. A run that succeeded (or partly) cleared it: done. One that failed, was interrupted or abandoned
 * left it pending for the next run: retrying.
 */
export function requestState(stillPending: boolean, run: Pick<RunSummary, 'status'> | null): RequestState {
  if (!run) return stillPending ? 'queued' : 'unknown';
  if (run.status === 'running') return 'running';
  if (run.status === 'succeeded' || run.status === 'partial') return stillPending ? 'retrying' : 'done';
  return stillPending ? 'retrying' : 'unknown';
}

export async function followRequest(db: Queryable, tenantId: string, requestId: number): Promise<RequestProgress> {
  const pending = await db.maybeOne('SELECT 1 AS x FROM sync_requests WHERE tenant_id = $1 AND id = $2', [tenantId, requestId]);
  const row = await db.maybeOne<{ id: number; status: string; counts: RunSummary['counts']; error: string | null; started_at: Date; finished_at: Date | null }>(
    'SELECT id, status, counts, error, started_at, finished_at FROM sync_runs WHERE tenant_id = $1 AND covers_request_id >= $2 ORDER BY id DESC LIMIT 1',
    [tenantId, requestId],
  );
  const run = row ? { id: row.id, status: row.status, counts: row.counts, error: row.error, startedAt: row.started_at, finishedAt: row.finished_at } : null;
  return { requestId, state: requestState(pending !== undefined && pending !== null, run), run };
}
