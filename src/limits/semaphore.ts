import { randomUUID } from 'node:crypto';
import { RateLimitedError } from '../core/errors.ts';
import { sleep } from '../core/clock.ts';
import type { Db } from '../store/db.ts';

/**
 * A counting semaphore shared by every process on one database: slot rows in `semaphore_leases`
 * keyed (key, slot) with slot < capacity, so the primary key itself guarantees that no more than
 * `capacity` holders exist at once, on PGlite and PostgreSQL alike. Leases carry an expiry that the
 * holder renews while it works; a crashed process stops renewing and its slot frees itself.
 */
export interface SemaphoreOptions {
  /** Lease lifetime; renewed every third of it while held. Must exceed a stalled event loop. */
  readonly leaseMs?: number;
  /** Give up waiting after this long (RateLimitedError). */
  readonly acquireTimeoutMs?: number;
  /** Poll interval bounds while all slots are taken (jittered). */
  readonly pollMinMs?: number;
  readonly pollMaxMs?: number;
}

export interface Lease {
  readonly key: string;
  readonly slot: number;
  readonly holder: string;
  release(): Promise<void>;
}

const ACQUIRE_SQL = `
INSERT INTO semaphore_leases (key, slot, holder, acquired_at, expires_at)
SELECT $1, s, $2, now(), now() + make_interval(secs => $3::double precision / 1000)
  FROM generate_series(0, $4::integer - 1) AS s
 WHERE NOT EXISTS (SELECT 1 FROM semaphore_leases l WHERE l.key = $1 AND l.slot = s AND l.expires_at > now())
 ORDER BY random()
 LIMIT 1
ON CONFLICT (key, slot) DO UPDATE
   SET holder = EXCLUDED.holder, acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
 WHERE semaphore_leases.expires_at <= now()
RETURNING slot`;

export class StoreSemaphore {
  private readonly leaseMs: number;
  private readonly acquireTimeoutMs: number;
  private readonly pollMinMs: number;
  private readonly pollMaxMs: number;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly gates = new Map<string, { active: number; queue: { go: () => void }[] }>();

  constructor(
    private readonly db: Db,
    opts: SemaphoreOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.acquireTimeoutMs = opts.acquireTimeoutMs ?? 120_000;
    this.pollMinMs = opts.pollMinMs ?? 5;
    this.pollMaxMs = opts.pollMaxMs ?? 50;
  }

  /** One attempt: a lease, or undefined when every slot is held. */
  async tryAcquire(key: string, capacity: number, gated = false): Promise<Lease | undefined> {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`semaphore capacity must be a positive integer, got ${capacity}`);
    const holder = randomUUID();
    const row = await this.db.maybeOne<{ slot: number }>(ACQUIRE_SQL, [key, holder, this.leaseMs, capacity]);
    return row === undefined ? undefined : this.lease(key, row.slot, holder, gated);
  }

  /** Wait for a slot (polling with jitter), up to acquireTimeoutMs; `signal` aborts the wait. */
  async acquire(key: string, capacity: number, signal?: AbortSignal): Promise<Lease> {
    const deadline = Date.now() + this.acquireTimeoutMs;
    // Local FIFO gate first: at most `capacity` callers of this process poll the database for a slot.
    await this.enterGate(key, capacity, deadline, signal);
    let wait = this.pollMinMs;
    for (;;) {
      let lease: Lease | undefined;
      try {
        lease = await this.tryAcquire(key, capacity, true);
      } catch (e) {
        this.leaveGate(key);
        throw e;
      }
      if (lease) return lease;
      if (Date.now() >= deadline) {
        this.leaveGate(key);
        throw new RateLimitedError(`no free slot for ${key} (capacity ${capacity}) within ${this.acquireTimeoutMs} ms`, undefined, { key, capacity });
      }
      try {
        await this.pause(key, wait + Math.random() * wait, signal);
      } catch (e) {
        this.leaveGate(key);
        throw e;
      }
      wait = Math.min(this.pollMaxMs, wait * 2);
    }
  }

  private enterGate(key: string, capacity: number, deadline: number, signal?: AbortSignal): Promise<void> {
    const g = this.gates.get(key) ?? { active: 0, queue: [] };
    this.gates.set(key, g);
    if (g.active < capacity && g.queue.length === 0) {
      g.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        go: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const drop = (err: unknown): void => {
        const i = g.queue.indexOf(entry);
        if (i !== -1) g.queue.splice(i, 1);
        reject(err);
      };
      const timer = setTimeout(() => drop(new RateLimitedError(`no free slot for ${key} (capacity ${capacity}) within ${this.acquireTimeoutMs} ms`, undefined, { key, capacity })), Math.max(0, deadline - Date.now()));
      const onAbort = (): void => {
        clearTimeout(timer);
        drop(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      g.queue.push(entry);
    });
  }

  private leaveGate(key: string): void {
    const g = this.gates.get(key);
    if (!g) return;
    const next = g.queue.shift();
    if (next) next.go(); // hand the gate place over; active stays the same
    else if (--g.active <= 0) this.gates.delete(key);
  }

  /** Sleep until the poll interval passes or a holder in this process releases `key` (no idle gap locally). */
  private pause(key: string, ms: number, signal?: AbortSignal): Promise<void> {
    const ctl = new AbortController();
    const wakers = this.waiters.get(key) ?? new Set<() => void>();
    this.waiters.set(key, wakers);
    const wake = (): void => ctl.abort();
    wakers.add(wake);
    const onOuter = (): void => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onOuter, { once: true });
    return sleep(ms, ctl.signal)
      .catch(() => {
        if (signal?.aborted) throw signal.reason;
      })
      .finally(() => {
        wakers.delete(wake);
        if (wakers.size === 0) this.waiters.delete(key);
        signal?.removeEventListener('abort', onOuter);
      });
  }

  /** Run `fn` holding one slot of `key`; the slot is released however fn ends. */
  async run<T>(key: string, capacity: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lease = await this.acquire(key, capacity, signal);
    try {
      return await fn();
    } finally {
      await lease.release();
    }
  }

  /** Slots currently held (unexpired) for `key`. */
  async held(key: string): Promise<number> {
    const r = await this.db.one<{ n: number }>('SELECT count(*) AS n FROM semaphore_leases WHERE key = $1 AND expires_at > now()', [key]);
    return r.n;
  }

  private lease(key: string, slot: number, holder: string, gated: boolean): Lease {
    const renewEvery = Math.max(10, Math.floor(this.leaseMs / 3));
    const timer = setInterval(() => {
      void this.db
        .query('UPDATE semaphore_leases SET expires_at = now() + make_interval(secs => $4::double precision / 1000) WHERE key = $1 AND slot = $2 AND holder = $3', [key, slot, holder, this.leaseMs])
        .catch(() => {}); // a failed renewal only shortens the lease; the next one may succeed
    }, renewEvery);
    timer.unref();
    let released = false;
    return {
      key,
      slot,
      holder,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        try {
          await this.db.query('DELETE FROM semaphore_leases WHERE key = $1 AND slot = $2 AND holder = $3', [key, slot, holder]);
        } finally {
          if (gated) this.leaveGate(key);
        }
        const next = this.waiters.get(key)?.values().next();
        if (next && !next.done) next.value();
      },
    };
  }
}
