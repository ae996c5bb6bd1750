import type { PGlite } from '@electric-sql/pglite';
import { PgBoss, fromPglite, type JobResult, type SendOptions } from 'pg-boss';
import { errorMessage, isVortexError } from '../core/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { Db, Tx } from '../store/db.ts';
import { deadLetterName, type JobDefinition, type JobHandler } from './jobs.ts';

export interface QueueOptions {
  readonly db: Db;
  /** Needed for a PostgreSQL store: pg-boss keeps its own pool (and a LISTEN connection) on it. */
  readonly databaseUrl?: string;
  readonly log: Logger;
  readonly pollSeconds?: number;
  readonly batchSize?: number;
  /**
   * Poll interval while LISTEN/NOTIFY is active. NOTIFY wakes workers for new jobs, but not for
   * retries coming due, so this bounds how late a retry starts (default 2 s).
   */
  readonly notifyPollSeconds?: number;
  /** How often cron schedules are checked (default 10 s; pg-boss allows 1–45). */
  readonly cronCheckSeconds?: number;
  /** Run cron schedules and maintenance in this process (workers do; a web-only process need not). */
  readonly supervise?: boolean;
  /**
   * How often the supervisor looks for jobs whose worker stopped beating or that expired (default 5 s):
   * with a job heartbeat of 10 s, a killed worker's job is retried elsewhere within ~15 s.
   */
  readonly superviseSeconds?: number;
}

export interface SendJobOptions {
  /** De-duplication key: with a singleton/stately policy, or together with singletonSeconds. */
  readonly singletonKey?: string;
  readonly singletonSeconds?: number;
  readonly startAfterSeconds?: number;
  /** Enqueue inside this transaction: the job exists only if the transaction commits (outbox). */
  readonly tx?: Tx;
}

/**
 * The job queue: pg-boss on the same PostgreSQL as the data (PGlite in-process, or the server shared
 * by every worker process). Payloads are validated on send and again on receipt; a job that fails
 * permanently (bad payload, non-retryable error) goes straight to its dead-letter queue, others are
 * retried with exponential backoff and dead-lettered when retries run out.
 */
export class JobQueue {
  private readonly known = new Map<string, JobDefinition<unknown>>();
  private stopped = false;
  /** Aborted when stop() begins: running handlers checkpoint and return instead of starting more work. */
  private readonly stopping = new AbortController();

  private constructor(
    readonly boss: PgBoss,
    private readonly log: Logger,
    private readonly pollSeconds: number,
    private readonly notifyPollSeconds: number,
    private readonly batchSize: number,
  ) {}

  static async start(opts: QueueOptions): Promise<JobQueue> {
    const common = {
      schema: 'pgboss',
      useListenNotify: true,
      supervise: opts.supervise ?? true,
      schedule: opts.supervise ?? true,
      migrate: true,
      cronMonitorIntervalSeconds: opts.cronCheckSeconds ?? 10,
      cronWorkerIntervalSeconds: Math.min(5, opts.cronCheckSeconds ?? 10),
      superviseIntervalSeconds: opts.superviseSeconds ?? 5,
      monitorIntervalSeconds: opts.superviseSeconds ?? 5,
    } as const;
    const boss =
      opts.db.kind === 'pglite'
        ? new PgBoss({ ...common, db: fromPglite((opts.db as Db & { pglite: PGlite }).pglite), backend: 'pglite' })
        : new PgBoss({ ...common, connectionString: requireUrl(opts.databaseUrl), max: 4, application_name: 'vortex-jobs' });
    boss.on('error', (err: unknown) => opts.log.error({ err }, 'job queue error'));
    boss.on('warning', (w: unknown) => opts.log.warn({ warning: w }, 'job queue warning'));
    await boss.start();
    return new JobQueue(boss, opts.log, opts.pollSeconds ?? 0.5, opts.notifyPollSeconds ?? 2, opts.batchSize ?? 10);
  }

  /** Create the queue (and its dead-letter queue) for a job definition. Idempotent. */
  async register<P>(def: JobDefinition<P>): Promise<void> {
    if (this.known.has(def.name)) return;
    const dead = deadLetterName(def.name);
    if (!(await this.boss.getQueue(dead))) await this.boss.createQueue(dead, { retentionSeconds: 30 * 86400, deleteAfterSeconds: 30 * 86400 });
    const options = {
      policy: def.policy ?? 'standard',
      retryLimit: def.retryLimit ?? 5,
      retryDelay: def.retryDelaySeconds ?? 2,
      retryBackoff: def.retryBackoff ?? true,
      ...(def.retryDelayMaxSeconds === undefined ? {} : { retryDelayMax: def.retryDelayMaxSeconds }),
      expireInSeconds: def.expireInSeconds ?? 900,
      ...(def.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: def.heartbeatSeconds }),
      deadLetter: dead,
      notify: true,
    };
    if (await this.boss.getQueue(def.name)) {
      const { policy: _policy, deadLetter: _dead, ...updatable } = options;
      await this.boss.updateQueue(def.name, updatable);
    } else {
      await this.boss.createQueue(def.name, options);
    }
    this.known.set(def.name, def as JobDefinition<unknown>);
  }

  async send<P>(def: JobDefinition<P>, payload: P, opts: SendJobOptions = {}): Promise<string | null> {
    await this.register(def);
    const data = def.payload.parse(payload) as object;
    const group = def.perGroup ? { group: { id: def.perGroup.groupOf(payload) } } : {};
    return this.boss.send(def.name, data, { ...this.sendOptions(opts), ...group });
  }

  /** Send, but collapse a burst: one job per key runs `seconds` after the first send of the burst. */
  async sendDebounced<P>(def: JobDefinition<P>, payload: P, seconds: number, key: string): Promise<string | null> {
    await this.register(def);
    return this.boss.sendDebounced(def.name, def.payload.parse(payload) as object, null, seconds, key);
  }

  /** A cron schedule (5-field cron, optional time zone); every process may call it, one job per slot results. */
  async schedule<P>(def: JobDefinition<P>, cron: string, payload: P, opts: { key?: string; tz?: string; singletonKey?: string } = {}): Promise<void> {
    await this.register(def);
    await this.boss.schedule(def.name, cron, def.payload.parse(payload) as object, { ...(opts.key ? { key: opts.key } : {}), ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}), tz: opts.tz ?? 'UTC' });
  }

  async unschedule(def: JobDefinition<unknown>, key?: string): Promise<void> {
    await this.boss.unschedule(def.name, key);
  }

  /** Start working jobs of this kind in this process. */
  async work<P>(def: JobDefinition<P>, handler: JobHandler<P>): Promise<void> {
    await this.register(def);
    await this.boss.work<object>(
      def.name,
      {
        batchSize: this.batchSize,
        burstWhenBatchFull: this.batchSize > 1,
        pollingIntervalSeconds: this.pollSeconds,
        notifyPollingIntervalSeconds: Math.max(this.notifyPollSeconds, this.pollSeconds),
        localConcurrency: def.localConcurrency ?? 1,
        ...(def.perGroup ? { groupConcurrency: def.perGroup.concurrency } : {}),
        perJobResults: true,
      },
      async (jobs) => Promise.all(jobs.map((job) => this.runOne(def, handler, job))),
    );
  }

  private async runOne<P>(def: JobDefinition<P>, handler: JobHandler<P>, job: { id: string; data: object; retryCount: number; signal: AbortSignal }): Promise<JobResult> {
    const parsed = def.payload.safeParse(job.data);
    if (!parsed.success) {
      this.log.error({ job: def.name, jobId: job.id, payload: job.data, issues: parsed.error.issues }, 'job payload invalid; dead-lettered');
      return { id: job.id, status: 'deadletter', output: { error: 'invalid payload', issues: parsed.error.issues, payload: job.data } };
    }
    try {
      const signal = AbortSignal.any([job.signal, this.stopping.signal]);
      const output = await handler(parsed.data, { jobId: job.id, attempt: job.retryCount, signal });
      return { id: job.id, status: 'completed', output: (output ?? {}) as object };
    } catch (err) {
      const permanent = isVortexError(err) && !err.retryable;
      this.log.warn({ job: def.name, jobId: job.id, attempt: job.retryCount, err }, permanent ? 'job failed permanently' : 'job failed; will retry');
      const output = { error: errorMessage(err), ...(isVortexError(err) ? { code: err.code, details: err.details } : {}) };
      return { id: job.id, status: permanent ? 'deadletter' : 'failed', output };
    }
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Graceful: stop fetching and tell running handlers to checkpoint (the abort), let them return (up to
    // the timeout), then close. A handler that returns early fails its job, which is retried — by
    // another worker or by this one after the restart.
    this.stopping.abort(new ShutdownError());
    await this.boss.stop({ graceful: true, close: true, timeout: opts.timeoutMs ?? 30_000 });
  }

  private sendOptions(opts: SendJobOptions): SendOptions {
    return {
      ...(opts.singletonKey === undefined ? {} : { singletonKey: opts.singletonKey }),
      ...(opts.singletonSeconds === undefined ? {} : { singletonSeconds: opts.singletonSeconds }),
      ...(opts.startAfterSeconds === undefined ? {} : { startAfter: opts.startAfterSeconds }),
      ...(opts.tx ? { db: { executeSql: async (text: string, values?: unknown[]) => ({ rows: await opts.tx!.query(text, values ?? []) }) } } : {}),
    };
  }
}

/** Why a job stopped early: the process is shutting down. */
export class ShutdownError extends Error {
  constructor() {
    super('the worker is shutting down');
    this.name = 'ShutdownError';
  }
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new TypeError('JobQueue on PostgreSQL needs databaseUrl');
  return url;
}
