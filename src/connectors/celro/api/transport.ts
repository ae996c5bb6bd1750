import { createHash } from 'node:crypto';
import { AuthError, OutcomeUnknownError, RateLimitedError, UpstreamError, ValidationError } from '../../../core/errors.ts';
import { StoreSemaphore, type SemaphoreOptions } from '../../../limits/semaphore.ts';
import type { Db } from '../../../store/db.ts';
import { CelroApiError, CelroResponseError } from '../errors.ts';
import type { StatusMeaning } from '../orders.ts';
import { StoreTokenCache, type TokenSealer } from '../token-cache.ts';
import { buildMultipart, phpBuildQuery, type FormFields, type FormValue, type MultipartPart } from '../wire.ts';
import type { CreatedFilterForm } from './orders.ts';
import { isObj } from './shape.ts';

export const CELRO_DEFAULT_BASE_URL = 'https://api-mp.cel.ro/market_api/';

export interface CelroClientOptions {
  readonly username: string;
  readonly password: string;
  /** Shared store: token cache and the cross-process connection cap live there. */
  readonly db: Db;
  readonly baseUrl?: string;
  /** Requests in flight per account across all processes (CEL allows 10, shared with humans). */
  readonly maxInFlight?: number;
  readonly timeoutMs?: number;
  /** The SDK sends `test=1` and `api_version=2.2.0` on every call [U: server meaning unknown]. */
  readonly sendTestFlag?: boolean;
  readonly apiVersion?: string | null;
  /** Items per import/importer and updateStockAndPrice call [U: no documented maximum]. */
  readonly batchSize?: number;
  /** Time zone of the dates in filters and payloads [U: assumed Romanian local time]. */
  readonly timeZone?: string;
  /**
   * [U] Does getOrders list the order whose id equals `min_order`? CEL says "greater than" (default
   * false). `listOrdersSince` is correct either way and reports what the server did, so this
   * setting can be checked against reality; nothing else depends on it.
   */
  readonly minOrderInclusive?: boolean;
  /**
   * [U] How the creation-date filter of getOrders is written: `date` = `{"date":{"minDate","maxDate"}}`
   * (current SDK example, default), `dateFromTo` = `{"date":{"from","to"}}` (2017 examples),
   * `flat` = `{"minDate","maxDate"}` directly in filters (wiki).
   */
  readonly createdFilterForm?: CreatedFilterForm;
  /** Status id → meaning, overriding the name-based mapping of the dictionary. */
  readonly statusMeanings?: Readonly<Record<string, StatusMeaning>>;
  readonly tokenSealer?: TokenSealer;
  readonly semaphore?: SemaphoreOptions;
  /**
   * Sees every raw response (route, HTTP status, body) — for keeping raw payloads and counting calls.
   * A call that got no answer (timeout, refused, reset) comes with `status: null` and an empty body.
   * Never gets credentials.
   */
  readonly onResponse?: (info: { route: string; status: number | null; body: string; ms: number }) => void;
}

export type Body = { kind: 'form'; fields: FormFields } | { kind: 'multipart'; parts: readonly MultipartPart[] };
export type Kind = 'read' | 'write';
type Outcome = { ok: true; message: unknown } | { ok: false; token: true; detail: string };

/** What the API areas (account, products, orders, fulfilment) need from the transport. */
export interface CelroCaller {
  call(route: string, body: Body, kind: Kind): Promise<unknown>;
  form(route: string, fields: FormFields, kind: Kind): Promise<unknown>;
  formatDate(d: Date | string): string;
  readonly batchSize: number;
  /** The settings that shape requests and answers (never the credentials). */
  readonly options: Pick<CelroClientOptions, 'createdFilterForm' | 'minOrderInclusive' | 'statusMeanings'>;
}

/**
 * Transport and auth of the Cel.ro seller API. Every call is `POST {base}{method}/{action}/` with a
 * PHP-style form body and `AUTH: Bearer <token>` (research §3). The token is cached per account in the
 * store and renewed once on the SDK's token signals (HTTP 400, error 302/403/405, tokenStatus 0 or
 * missing); bad credentials are an AuthError. At most `maxInFlight` requests per account run at once
 * across every process sharing the store. The API areas live beside it; CelroClient puts them together.
 */
export class CelroTransport implements CelroCaller {
  readonly baseUrl: string;
  private readonly accountKey: string;
  private readonly semaphore: StoreSemaphore;
  private readonly tokens: StoreTokenCache;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  /** Items per importer/updateStockAndPrice/productImportStatus call (≤ 50). */
  readonly batchSize: number;
  private readonly timeZone: string;
  readonly options: CelroCaller['options'];
  private token: string | undefined;
  private login: Promise<string> | undefined;

  constructor(protected readonly opts: CelroClientOptions) {
    const base = opts.baseUrl ?? CELRO_DEFAULT_BASE_URL;
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.accountKey = createHash('sha256').update(`${this.baseUrl}\n${opts.username}`).digest('hex').slice(0, 32);
    // A connection slot's lease is renewed every 5 s while its request runs, so 15 s is plenty for a live
    // holder — and a killed process's slots free themselves within 15 s instead of blocking the account's
    // connection budget for a minute (found by the crash tests with a budget of one connection).
    this.semaphore = new StoreSemaphore(opts.db, { leaseMs: 15_000, ...opts.semaphore });
    this.tokens = new StoreTokenCache(opts.db, opts.tokenSealer);
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.batchSize = Math.min(opts.batchSize ?? 50, 50);
    this.timeZone = opts.timeZone ?? 'Europe/Bucharest';
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new ValidationError('maxInFlight must be a positive integer');
    this.options = { createdFilterForm: opts.createdFilterForm, minOrderInclusive: opts.minOrderInclusive, statusMeanings: opts.statusMeanings };
  }

  /** The semaphore key of this account (for operators and tests). */
  get concurrencyKey(): string {
    return `celro:${this.accountKey}`;
  }

  // ---------------------------------------------------------------- transport

  private withSdkFields(fields: FormFields): FormFields {
    const extra: [string, FormValue][] = [];
    if (this.opts.sendTestFlag ?? true) extra.push(['test', 1]);
    const v = this.opts.apiVersion === undefined ? '2.2.0' : this.opts.apiVersion;
    if (v !== null) extra.push(['api_version', v]);
    return [...fields, ...extra];
  }

  private async send(route: string, body: Body, token: string, kind: Kind): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { AUTH: `Bearer ${token}`, Accept: 'application/json' };
    let payload: string | Buffer;
    if (body.kind === 'form') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = phpBuildQuery(this.withSdkFields(body.fields));
    } else {
      const extra = this.withSdkFields([]).map(([name, value]) => ({ name, value: String(value) }));
      const fileIdx = body.parts.findIndex((p) => p.filename !== undefined);
      const parts = fileIdx === -1 ? [...body.parts, ...extra] : [...body.parts.slice(0, fileIdx), ...extra, ...body.parts.slice(fileIdx)];
      const mp = buildMultipart(parts);
      headers['Content-Type'] = mp.contentType;
      payload = mp.body;
    }
    const started = Date.now();
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${route}/`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      this.opts.onResponse?.({ route, status: null, body: '', ms: Date.now() - started });
      const code = (e as { cause?: { code?: string } }).cause?.code;
      const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      const msg = `Cel.ro ${route}: ${(e as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `network error ${code ?? (e as Error).message}`}`;
      if (kind === 'write' && !notSent) throw new OutcomeUnknownError(`${msg}; the change may or may not have been applied`, { route }, e);
      throw new UpstreamError(msg, undefined, { route }, e);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      this.opts.onResponse?.({ route, status: null, body: '', ms: Date.now() - started });
      if (kind === 'write') throw new OutcomeUnknownError(`Cel.ro ${route}: response body lost`, { route, status: res.status }, e);
      throw new UpstreamError(`Cel.ro ${route}: response body lost`, res.status, { route }, e);
    }
    // The login answer carries the token: observers get it with the token masked.
    const shown = route === 'login/actionLogin' ? text.replace(/"message"\s*:\s*"[^"]*"/, '"message":"***"') : text;
    this.opts.onResponse?.({ route, status: res.status, body: shown, ms: Date.now() - started });
    return { status: res.status, text };
  }

  /** Classify one HTTP answer into the message, a token signal, or a typed error. */
  private interpret(route: string, kind: Kind, status: number, text: string): Outcome {
    if (status === 400) return { ok: false, token: true, detail: `HTTP 400: ${text.slice(0, 200)}` };
    if (status === 429) throw new RateLimitedError(`Cel.ro ${route}: too many simultaneous connections (HTTP 429)`, undefined, { route, body: text.slice(0, 1000) });
    if (status >= 500) {
      const details = { route, body: text.slice(0, 1000) };
      // 500/504 from a PHP backend may come after the write was committed.
      if (kind === 'write' && (status === 500 || status === 504)) throw new OutcomeUnknownError(`Cel.ro ${route}: HTTP ${status}; the change may or may not have been applied`, { ...details, status });
      throw new UpstreamError(`Cel.ro ${route}: HTTP ${status}`, status, details);
    }
    if (status !== 200 && status !== 201) throw new UpstreamError(`Cel.ro ${route}: unexpected HTTP ${status}`, status, { route, body: text.slice(0, 1000) });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CelroResponseError(route, status, text, 'response is not JSON');
    }
    if (!isObj(json) || !('error' in json)) throw new CelroResponseError(route, status, text, 'response lacks the {error, tokenStatus, message} envelope');
    const error = Number(json.error);
    if (!Number.isFinite(error)) throw new CelroResponseError(route, status, text, `envelope "error" is not a number (${JSON.stringify(json.error)})`);
    const tokenStatus = json.tokenStatus === undefined ? undefined : Number(json.tokenStatus);
    if (tokenStatus !== 1 || error === 302 || error === 403 || error === 405) return { ok: false, token: true, detail: `error ${error}, tokenStatus ${String(json.tokenStatus)}: ${JSON.stringify(json.message)}` };
    if (error !== 0) throw new CelroApiError(route, error, json.message);
    if (!('message' in json)) throw new CelroResponseError(route, status, text, 'envelope lacks "message"');
    return { ok: true, message: json.message };
  }

  private async currentToken(): Promise<string> {
    if (this.token !== undefined) return this.token;
    const cached = await this.tokens.get(this.accountKey);
    if (cached !== undefined) return (this.token = cached);
    return this.relogin(undefined);
  }

  /** Log in once for this process (single flight); reuse another worker's fresh token when there is one. */
  private relogin(failed: string | undefined): Promise<string> {
    this.login ??= (async () => {
      try {
        const stored = await this.tokens.get(this.accountKey);
        if (stored !== undefined && stored !== failed) return (this.token = stored);
        const { status, text } = await this.send('login/actionLogin', { kind: 'form', fields: [['username', this.opts.username], ['password', this.opts.password]] }, '', 'read');
        if (status >= 500) throw new UpstreamError(`Cel.ro login: HTTP ${status}`, status, { route: 'login/actionLogin' });
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new CelroResponseError('login/actionLogin', status, text, 'login response is not JSON');
        }
        if (!isObj(json)) throw new CelroResponseError('login/actionLogin', status, text, 'login response is not an object');
        const msg = json.message;
        if (Number(json.error) === 0 && Number(json.tokenStatus) === 1 && typeof msg === 'string' && msg !== '' && !msg.includes('Raspuns invalid:')) {
          this.token = msg;
          await this.tokens.set(this.accountKey, msg);
          return msg;
        }
        // Bad credentials (error 403/405 with tokenStatus 0 in the SDK) and every other refusal: not retried.
        throw new AuthError(`Cel.ro login refused for ${this.opts.username}: ${typeof msg === 'string' ? msg : JSON.stringify(msg)}`, {
          route: 'login/actionLogin',
          error: json.error,
          tokenStatus: json.tokenStatus,
          message: msg,
        });
      } finally {
        this.login = undefined;
      }
    })();
    return this.login;
  }

  /** One API call: a slot of the account's connection cap, the token, one re-login on a token signal. */
  async call(route: string, body: Body, kind: Kind): Promise<unknown> {
    return this.semaphore.run(this.concurrencyKey, this.maxInFlight, async () => {
      let token = await this.currentToken();
      let r = await this.send(route, body, token, kind);
      let out = this.interpret(route, kind, r.status, r.text);
      if (!out.ok) {
        this.token = undefined;
        token = await this.relogin(token);
        r = await this.send(route, body, token, kind);
        out = this.interpret(route, kind, r.status, r.text);
        if (!out.ok) throw new AuthError(`Cel.ro ${route}: token refused again right after a fresh login (${out.detail})`, { route });
      }
      return out.message;
    });
  }

  form(route: string, fields: FormFields, kind: Kind): Promise<unknown> {
    return this.call(route, { kind: 'form', fields }, kind);
  }

  /** 'YYYY-MM-DD HH:MM:SS' in the API's time zone. */
  formatDate(d: Date | string): string {
    if (typeof d === 'string') return d;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: this.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  }

  // ---------------------------------------------------------------- login check

  /** `login/testLogin`: are the credentials valid (no token involved). */
  async testLogin(): Promise<boolean> {
    const m = await this.form('login/testLogin', [['username', this.opts.username], ['password', this.opts.password]], 'read');
    return m === 1 || m === '1' || m === true;
  }
}
