import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { sleep } from '../../core/clock.ts';
import { OutcomeUnknownError, RateLimitedError, UpstreamError, ValidationError } from '../../core/errors.ts';
import { type RateLimiter, StoreTokenBucket } from '../../limits/token-bucket.ts';
import type { Queryable } from '../../store/db.ts';
import { classifyHttpError, parseErrorBody } from './errors.ts';

export const DEFAULT_BASE_URL = 'https://api.lexware.io';
/** lexoffice's documented budget: 2 requests per second per API key, all endpoints together. */
export const DEFAULT_PACE_PER_SECOND = 2;

export interface LexofficeHttpOptions {
  /** The tenant's API key (from its connection). Never logged, never stored in clear. */
  readonly apiKey: string;
  /** Default https://api.lexware.io (the old api.lexoffice.io was announced retired end of 2025). */
  readonly baseUrl?: string | null;
  /** The store: the rate limit is one token bucket per API key in the database, shared by every process. */
  readonly db: Queryable;
  /**
   * Client-side pace. lexoffice allows 2 req/s per key (all endpoints). Default: exactly 2/s with a burst
   * of 1 — the slots are spaced 500 ms apart by the shared store bucket, and a slot used more than 250 ms
   * late is given up (StoreTokenBucket.maxLateMs), so arrivals never bunch by more than half an interval;
   * a server bucket of 2 (the simulator's; the real size is undocumented) absorbs up to 500 ms of jitter.
   * A 429 anyway costs the whole key one extra slot (penalize), so all processes step back together.
   * Lower it per connection (setting `ratePerSecond`) if a real account shows 429s at this pace.
   */
  readonly rateLimit?: { readonly ratePerSecond?: number; readonly burst?: number };
  /** Replace the store bucket (tools, tests of the bucket itself). */
  readonly limiter?: RateLimiter;
  /**
   * 'background' for bulk reads (the catalog pull): they use only the slots that calls of the same key
   * (order import, invoices) leave free, so an order never waits behind a catalog page.
   */
  readonly priority?: 'normal' | 'background';
  /** Namespace of the bucket key (default `lexoffice`); the key is `<scope>:<sha256(apiKey)>`. */
  readonly limiterScope?: string;
  /** Per-request timeout; the gateway answers 504 itself after 30 s, so the default is 35 s. */
  readonly timeoutMs?: number;
  /** 429s retried per call before RateLimitedError (429 = not performed, so always safe). */
  readonly maxRateLimitRetries?: number;
  /** GET/DELETE retries on 5xx and network errors before UpstreamError. */
  readonly maxReadRetries?: number;
  /** Backoff: base × 2^attempt with full jitter, capped. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** For tests; default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Retries and give-ups are reported here (pino-compatible); never the key. */
  readonly logger?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
  /** Told of every HTTP exchange (each attempt; status null = no answer): metrics. Never the key. */
  readonly onResponse?: (call: { method: string; path: string; status: number | null; ms: number }) => void;
}

export interface RequestSpec<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the base URL, e.g. `/v1/articles`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly accept?: string;
  readonly schema?: z.ZodType<T>;
}

export interface BinaryResponse {
  readonly data: Buffer;
  readonly contentType: string;
  readonly filename: string | null;
}

/** Outcome of one HTTP exchange as the retry loop sees it. */
type Attempt = { kind: 'response'; res: Response } | { kind: 'network'; error: Error; notSent: boolean };

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET_BEFORE_SEND']);

/**
 * The one place that talks HTTP to lexoffice: auth header, the shared rate limit, retries and error
 * classification. Retry policy (research §1.3/§1.4/§8):
 *  - 429 → always retried after a backoff (the call was not performed), every method.
 *  - GET/DELETE → retried on 5xx and network errors with exponential backoff and jitter.
 *  - POST/PUT → never retried on 5xx, timeouts or broken connections: those raise OutcomeUnknownError
 *    (the write may have been committed — lexoffice has no idempotency key). Only a connection that was
 *    refused before anything was sent raises a retryable UpstreamError.
 */
export class LexofficeHttp {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly limiter: RateLimiter;
  private readonly priority: 'normal' | 'background';
  private readonly fetchFn: typeof fetch;
  private readonly log: LexofficeHttpOptions['logger'];
  private readonly onResponse: LexofficeHttpOptions['onResponse'];
  private readonly o: Required<Pick<LexofficeHttpOptions, 'timeoutMs' | 'maxRateLimitRetries' | 'maxReadRetries' | 'backoffBaseMs' | 'backoffMaxMs'>>;

  constructor(opts: LexofficeHttpOptions) {
    if (!opts.apiKey) throw new ValidationError('lexoffice API key is empty', [{ path: 'apiKey', message: 'required' }]);
    this.apiKey = opts.apiKey;
    this.baseUrl = (opts.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
    const keyHash = createHash('sha256').update(opts.apiKey).digest('hex').slice(0, 32);
    this.limiter =
      opts.limiter ??
      new StoreTokenBucket(opts.db, `${opts.limiterScope ?? 'lexoffice'}:${keyHash}`, {
        ratePerSecond: opts.rateLimit?.ratePerSecond ?? DEFAULT_PACE_PER_SECOND,
        burst: opts.rateLimit?.burst ?? 1,
      });
    this.priority = opts.priority ?? 'normal';
    this.fetchFn = opts.fetch ?? fetch;
    this.log = opts.logger;
    this.onResponse = opts.onResponse;
    this.o = {
      timeoutMs: opts.timeoutMs ?? 35_000,
      maxRateLimitRetries: opts.maxRateLimitRetries ?? 10,
      maxReadRetries: opts.maxReadRetries ?? 3,
      backoffBaseMs: opts.backoffBaseMs ?? 500,
      backoffMaxMs: opts.backoffMaxMs ?? 10_000,
    };
  }

  async json<T>(spec: RequestSpec<T>): Promise<T> {
    const res = await this.send(spec);
    const text = await res.text();
    if (res.status === 204 || text === '') return undefined as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new UpstreamError(`lexoffice ${spec.method} ${spec.path} → ${res.status}: body is not JSON`, res.status, { body: text.slice(0, 500) }, e);
    }
    if (!spec.schema) return parsed as T;
    const r = spec.schema.safeParse(parsed);
    if (!r.success) {
      throw new ValidationError(
        `lexoffice ${spec.method} ${spec.path}: unexpected response shape`,
        r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        { method: spec.method, path: spec.path, status: res.status, body: parsed },
      );
    }
    return r.data;
  }

  async binary(spec: RequestSpec<unknown>): Promise<BinaryResponse> {
    const res = await this.send(spec);
    const data = Buffer.from(await res.arrayBuffer());
    const cd = res.headers.get('content-disposition') ?? '';
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
    return { data, contentType: res.headers.get('content-type') ?? 'application/octet-stream', filename: m?.[1] ? decodeURIComponent(m[1]) : null };
  }

  /** Run the retry loop and return a 2xx response (body unread), or throw a typed error. */
  private async send(spec: RequestSpec<unknown>): Promise<Response> {
    const write = spec.method === 'POST' || spec.method === 'PUT';
    const url = this.url(spec);
    let rateLimited = 0;
    let failures = 0;
    for (let attempts = 1; ; attempts++) {
      const a = await this.attempt(spec, url);
      const ctx = { method: spec.method, path: spec.path, attempts };
      if (a.kind === 'network') {
        const timedOut = a.error.name === 'TimeoutError' || a.error.name === 'AbortError';
        const detail = { method: spec.method, path: spec.path, attempts, error: a.error.message, timedOut };
        if (write && !a.notSent) {
          throw new OutcomeUnknownError(`lexoffice ${spec.method} ${spec.path}: ${timedOut ? 'timed out' : 'connection failed'} after sending — the write may have been performed`, detail, a.error);
        }
        if (write || failures >= this.o.maxReadRetries) throw new UpstreamError(`lexoffice ${spec.method} ${spec.path}: ${a.error.message}`, undefined, detail, a.error);
        this.log?.warn(detail, 'lexoffice network error, retrying');
        await sleep(this.backoff(failures++));
        continue;
      }
      const { res } = a;
      if (res.ok) return res;
      const body = parseErrorBody(await res.text().catch(() => ''));
      if (res.status === 429) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        if (rateLimited >= this.o.maxRateLimitRetries) throw classifyHttpError(429, body, ctx, { write, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }) as RateLimitedError;
        const waitMs = retryAfterMs ?? this.backoff(rateLimited);
        rateLimited++;
        await this.limiter.penalize?.(1);
        this.log?.debug({ ...ctx, waitMs, requestId: body.requestId }, 'lexoffice 429, retrying (the call was not performed)');
        await sleep(waitMs);
        continue;
      }
      if (res.status >= 500 && !write && res.status !== 501 && failures < this.o.maxReadRetries) {
        this.log?.warn({ ...ctx, status: res.status, requestId: body.requestId, traceId: body.traceId }, 'lexoffice server error on a read, retrying');
        await sleep(this.backoff(failures++));
        continue;
      }
      const err = classifyHttpError(res.status, body, ctx, { write });
      // The message and details carry requestId/traceId too; server errors are also logged here, once.
      if (res.status >= 500) this.log?.warn({ ...ctx, status: res.status, requestId: body.requestId, traceId: body.traceId }, 'lexoffice server error, giving up');
      throw err;
    }
  }

  private async attempt(spec: RequestSpec<unknown>, url: string): Promise<Attempt> {
    await this.limiter.acquire(undefined, this.priority);
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: spec.accept ?? 'application/json' };
    let body: string | undefined;
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.body);
    }
    const started = Date.now();
    try {
      const res = await this.fetchFn(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(this.o.timeoutMs), redirect: 'follow' });
      this.onResponse?.({ method: spec.method, path: spec.path, status: res.status, ms: Date.now() - started });
      return { kind: 'response', res };
    } catch (e) {
      this.onResponse?.({ method: spec.method, path: spec.path, status: null, ms: Date.now() - started });
      const err = e instanceof Error ? e : new Error(String(e));
      const code = (err.cause as { code?: string } | undefined)?.code;
      return { kind: 'network', error: err, notSent: code !== undefined && NOT_SENT_CODES.has(code) };
    }
  }

  private url(spec: RequestSpec<unknown>): string {
    const u = new URL(this.baseUrl + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private backoff(n: number): number {
    const cap = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** n);
    return Math.round(cap / 2 + Math.random() * (cap / 2));
  }
}

/** Retry-After as seconds or an HTTP date; undocumented for lexoffice, honoured when present. */
export function parseRetryAfter(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  const s = Number(v);
  if (Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 120_000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, Math.min(d - Date.now(), 120_000));
}
