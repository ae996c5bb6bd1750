import { sleep } from '../core/clock.ts';
import type { Queryable } from '../store/db.ts';

/** Anything that paces outgoing calls: resolves when the caller may send one request. */
export interface RateLimiter {
  /**
   * Resolves when the caller may send one request. `background` callers (a catalog pull) only take a
   * token nobody else has reserved: any call queued on the same key (an order import) goes first.
   */
  acquire(signal?: AbortSignal, priority?: 'normal' | 'background'): Promise<void>;
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

/** A background caller takes a token once the balance is this close to 1 (clock rounding). */
const TAKE_AT = 0.995;

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
  private rowExists = false;
  private backgroundNotBefore = 0;
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

  /**
   * Take a token only if one is available now, without reserving a future slot; otherwise report how
   * long until one could be. Normal callers' reservations drive the balance below 1, so a background
   * caller keeps waiting while they are queued: it gets the slots they leave free.
   */
  async tryTake(): Promise<{ taken: boolean; waitMs: number }> {
    if (!this.rowExists) {
      await this.db.query('INSERT INTO rate_limit_buckets (key, tokens, updated_at) VALUES ($1, $2, clock_timestamp()) ON CONFLICT (key) DO NOTHING', [this.key, this.options.burst]);
      this.rowExists = true;
    }
    // The refill is applied whether or not a token is taken (refilling is idempotent), so the row
    // always moves forward; FOR UPDATE serialises concurrent callers on the same key.
    const row = await this.db.maybeOne<{ refilled: number }>(
      `WITH c AS (SELECT clock_timestamp() AS t),
       cur AS (SELECT b.key, c.t, least($2::float8, b.tokens + greatest(0, extract(epoch FROM c.t - b.updated_at)::float8) * $3::float8) AS refilled
               FROM rate_limit_buckets b, c WHERE b.key = $1 FOR UPDATE OF b)
       UPDATE rate_limit_buckets b SET tokens = cur.refilled - CASE WHEN cur.refilled >= $4::float8 THEN 1 ELSE 0 END, updated_at = greatest(b.updated_at, cur.t)
       FROM cur WHERE b.key = cur.key
       RETURNING cur.refilled AS refilled`,
      [this.key, this.options.burst, this.options.ratePerSecond, TAKE_AT],
    );
    if (!row) {
      this.rowExists = false; // deleted meanwhile (a reset): create it again on the next try
      return { taken: false, waitMs: 1 };
    }
    const refilled = Number(row.refilled);
    if (refilled >= TAKE_AT) {
      // The next token for this key is (2 − refilled)/rate away: a background caller need not ask before.
      this.backgroundNotBefore = performance.now() + ((2 - refilled) / this.options.ratePerSecond) * 1000;
      return { taken: true, waitMs: 0 };
    }
    return { taken: false, waitMs: Math.max(1, Math.ceil(((1 - refilled) / this.options.ratePerSecond) * 1000)) };
  }

  async acquire(signal?: AbortSignal, priority: 'normal' | 'background' = 'normal'): Promise<void> {
    if (priority === 'background') {
      const early = this.backgroundNotBefore - performance.now();
      if (early > 0) await sleep(early, signal); // one query per token instead of a failed one first
      for (;;) {
        const { taken, waitMs } = await this.tryTake();
        if (taken) return;
        await sleep(waitMs, signal);
      }
    }
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

  /** One process, one FIFO: priorities are not modelled here. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const waitMs = this.reserve();
    if (waitMs > 0) await sleep(waitMs, signal);
  }
}
