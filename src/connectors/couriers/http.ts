import { AuthError, OutcomeUnknownError, RateLimitedError, UpstreamError, ValidationError } from '../../core/errors.ts';

/**
 * The one HTTP exchange every courier client makes: a timeout, the body read as text and parsed as
 * JSON when it is JSON, and the status classified the same way for every courier:
 *   401/403 → AuthError (the client logs in again once before giving up),
 *   429 → RateLimitedError (not performed, safe to retry),
 *   400/404/422 → ValidationError with the courier's message and body,
 *   5xx, timeout, connection reset → UpstreamError for reads, OutcomeUnknownError for writes (an AWB
 *   may have been created: look it up by the reference before creating another).
 */
export interface CourierResponse {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

export interface CourierRequest {
  readonly courier: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** A write whose outcome is unknown on a 5xx or timeout (creating an AWB). */
  readonly write?: boolean;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export async function courierRequest(req: CourierRequest): Promise<CourierResponse> {
  const what = `${req.courier} ${req.method} ${new URL(req.url).pathname}`;
  let res: Response;
  let text: string;
  try {
    res = await (req.fetch ?? fetch)(req.url, {
      method: req.method,
      headers: { accept: 'application/json', ...req.headers },
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: AbortSignal.timeout(req.timeoutMs ?? 30_000),
    });
    text = await res.text();
  } catch (e) {
    const msg = `${what}: ${(e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message}`;
    throw req.write ? new OutcomeUnknownError(`${msg} — the courier may have created it`, {}, e) : new UpstreamError(msg, undefined, {}, e);
  }
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: kept as text
  }
  if (res.status >= 200 && res.status < 300) return { status: res.status, json, text };
  const message = courierMessage(json) ?? text.slice(0, 300);
  const details = { status: res.status, body: json ?? text.slice(0, 2000) };
  if (res.status === 401 || res.status === 403) throw new AuthError(`${what}: ${res.status} ${message}`, details);
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new RateLimitedError(`${what}: 429 ${message}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined, details);
  }
  if (res.status >= 500) {
    if (req.write) throw new OutcomeUnknownError(`${what}: ${res.status} ${message} — the courier may have created it`, details);
    throw new UpstreamError(`${what}: ${res.status} ${message}`, res.status, details);
  }
  throw new ValidationError(`${what}: ${res.status} ${message}`, [], details);
}

/** The human message in a courier's error body: `message`, or the first of `errors`. */
function courierMessage(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const j = json as { message?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof j.message === 'string') parts.push(j.message);
  if (j.errors && typeof j.errors === 'object') parts.push(JSON.stringify(j.errors).slice(0, 300));
  return parts.length ? parts.join(': ') : undefined;
}

/**
 * A courier session token, fetched on first use and again when the courier says 401 (once per call).
 * Tokens live 24 h at FAN and Sameday; they are kept in memory per client.
 */
export class CourierSession {
  private token: string | undefined;
  private pending: Promise<string> | undefined;

  constructor(private readonly login: () => Promise<string>) {}

  async get(): Promise<string> {
    if (this.token) return this.token;
    this.pending ??= this.login().finally(() => (this.pending = undefined));
    this.token = await this.pending;
    return this.token;
  }

  /** Run `call` with the token; on AuthError log in again and retry once. */
  async with<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await call(token);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      if (this.token === token) this.token = undefined;
      return call(await this.get());
    }
  }
}

/** PHP-style nested form fields (`a[b]=1`, `a[0][c]=2`), as Sameday's API reads them. */
export function phpForm(data: Record<string, unknown>): string {
  const out = new URLSearchParams();
  const walk = (prefix: string, v: unknown): void => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(`${prefix}[${i}]`, x));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(prefix ? `${prefix}[${k}]` : k, x);
    else out.append(prefix, String(v));
  };
  walk('', data);
  return out.toString();
}
