import type { z } from 'zod';

/**
 * A named job with a typed, validated payload and its retry policy. Each job lives in its own file
 * (one use case per file) and is registered with the JobQueue by the worker.
 */
export interface JobDefinition<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
  /**
   * pg-boss queue policy. 'standard' (default); 'singleton' = at most one active job per singletonKey;
   * 'stately' = at most one queued and one active per key (no pile-up of identical runs).
   */
  readonly policy?: 'standard' | 'short' | 'singleton' | 'stately' | 'exclusive';
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  /** Exponential backoff with jitter between retries (default true). */
  readonly retryBackoff?: boolean;
  readonly retryDelayMaxSeconds?: number;
  /** A job running longer than this is considered lost and retried (default 15 min). */
  readonly expireInSeconds?: number;
  /**
   * The worker proves it is alive every heartbeatSeconds/2; a job whose worker stopped beating (process
   * killed) is failed and retried by another worker after this many seconds, not after expireInSeconds.
   * At least 10 (pg-boss). Off by default: only long jobs need it.
   */
  readonly heartbeatSeconds?: number;
  /** Jobs of this kind a single process runs at once (default 1). */
  readonly localConcurrency?: number;
  /**
   * Fairness across tenants: jobs are grouped by `groupOf(payload)` (the tenant) and at most this many
   * of one group run at once over all worker processes (pg-boss group concurrency, tracked in the
   * database). One merchant's burst of 500 orders then cannot occupy every worker slot while another
   * merchant's order waits — and since a tenant's lexoffice key allows 2 calls/s anyway, more of its
   * jobs at once would only make each one slower.
   */
  readonly perGroup?: PerGroup<P>;
}

export interface PerGroup<P> {
  /** Method syntax on purpose: a definition of a specific payload still fits JobDefinition<unknown>. */
  groupOf(payload: P): string;
  readonly concurrency: number;
}

export function defineJob<P>(def: JobDefinition<P>): JobDefinition<P> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/.test(def.name)) throw new TypeError(`job name "${def.name}" must be dotted lowercase words`);
  return def;
}

/** Where a job that exhausted its retries (or failed permanently) is kept for inspection and replay. */
export function deadLetterName(jobName: string): string {
  return `${jobName}.dead`;
}

export interface JobContext {
  readonly jobId: string;
  /** 0 on the first run, then 1, 2, … on retries. */
  readonly attempt: number;
  /** Aborted when the process shuts down or the job's claim was lost: stop at the next checkpoint. */
  readonly signal: AbortSignal;
}

export type JobHandler<P> = (payload: P, ctx: JobContext) => Promise<unknown>;
