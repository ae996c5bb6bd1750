import { sleep } from '../core/clock.ts';
import type { Queryable } from '../store/db.ts';

/** Anything that paces outgoing calls: resolves when the caller may send one request. */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
  /**
   * The server refused a call (429) although the pace said it was fine: the server's bucket is smaller or
   * its clock ran differently. Take `tokens` out of the shared budget so every caller on this key (in
   * every process) steps back together, instead of each one retrying into the next 429.
   */
  penalize?(tokens: number): Promise<void>;
}

export interface TokenBucketOptions {
  /** Tokens added per second (sustained request rate). */
  readonly ratePerSecond: number;
  /** Bucket size: how many calls may go out back to back after an idle period. */
  readonly burst: number;
  /**
   * A reservation used later than this (ms) is stale — the process stalled (GC, a blocked event loop) or
   * the database answered slowly — and sending now could bunch with the callers served meanwhile; such a
   * reservation is given up and a fresh one taken (at most 3 times). Default: half a token interval
   * (at least 50 ms).
   */
  readonly maxLateMs?: number;
}

/**
 * A token bucket kept in the store, so every process on the same database shares one budget.
 *
 * One atomic upsert per call refills the row by the elapsed database time, caps it at `burst` and takes
 * one token. The balance may go negative: that is the caller's reservation of a future slot, and the
 * caller sleeps `-tokens / rate` seconds before sending. So concurrent callers (in any process) are
 * spaced out in the order the database serialised them, with one round trip each and no polling.
 * The database clock (clock_timestamp()) is the only clock compared, so process clocks may differ.
 */
export class StoreTokenBucket implements RateLimiter {
  constructor(
    private readonly db: Queryable,
    readonly key: string,
    readonly options: TokenBucketOptions,
  ) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new RangeError('token bucket needs ratePerSecond > 0 and burst >= 1');
  }

  /** Reserve one token; returns the milliseconds to wait before using it (0 = now). */
  async reserve(cost = 1): Promise<number> {
    return (await this.reserveSlot(cost)).waitMs;
  }

  /** Like reserve(), also telling the database time the reservation was made (its slot is `at + waitMs`). */
  async reserveSlot(cost = 1): Promise<{ waitMs: number; at: Date }> {
    // The clock is sampled once per statement (two clock_timestamp() calls can differ by many ms on a
    // loaded machine, and the gap would be lost refill), and updated_at only moves forward.
    const row = await this.db.one<{ tokens: number; at: Date }>(
      `WITH c AS (SELECT clock_timestamp() AS t)
       INSERT INTO rate_limit_buckets AS b (key, tokens, updated_at)
         SELECT $1, $2::float8 - $4::float8, c.t FROM c
       ON CONFLICT (key) DO UPDATE SET
         tokens = least($2::float8,
                        b.tokens + greatest(0, extract(epoch FROM excluded.updated_at - b.updated_at)::float8) * $3::float8)
                  - $4::float8,
         updated_at = greatest(b.updated_at, excluded.updated_at)
       RETURNING tokens, updated_at AS at`,
      [this.key, this.options.burst, this.options.ratePerSecond, cost],
    );
    const tokens = Number(row.tokens);
    return { waitMs: tokens >= 0 ? 0 : Math.ceil((-tokens / this.options.ratePerSecond) * 1000), at: row.at };
  }

  async penalize(tokens: number): Promise<void> {
    await this.reserveSlot(tokens);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    // Half a token interval, but never below 50 ms: at simulator rates (thousands per second) half an
    // interval is shorter than one database round trip, and every call would be retried 3 times.
    const maxLate = this.options.maxLateMs ?? Math.max(50, 500 / this.options.ratePerSecond);
    for (let attempt = 0; ; attempt++) {
      const issued = performance.now();
      const waitMs = await this.reserve();
      if (waitMs > 0) await sleep(waitMs, signal);
      // The slot was computed somewhere between `issued` and now; if it is long past, take a new one.
      if (performance.now() - (issued + waitMs) <= maxLate || attempt >= 3) return;
    }
  }
}

/**
 * The same bucket in process memory (one process only). Used where no store exists, e.g. tools and
 * the simulator's own tests; semantics identical to StoreTokenBucket.
 */
export class MemoryTokenBucket implements RateLimiter {
  private tokens: number;
  private updated: number;

  constructor(
    readonly options: TokenBucketOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = options.burst;
    this.updated = now();
  }

  reserve(cost = 1): number {
    const t = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((t - this.updated) / 1000) * this.options.ratePerSecond) - cost;
    this.updated = t;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.options.ratePerSecond) * 1000);
  }

  async penalize(tokens: number): Promise<void> {
    this.reserve(tokens);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const waitMs = this.reserve();
    if (waitMs > 0) await sleep(waitMs, signal);
  }
}
