import {
  AuthError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitedError,
  UpstreamError,
  ValidationError,
  VortexError,
  type ValidationIssue,
} from '../../core/errors.ts';

/** A lexoffice error body, whichever shape it came in. */
export interface LexofficeErrorBody {
  readonly shape: 'regular' | 'legacy' | 'bare' | 'none';
  readonly message: string | null;
  readonly traceId: string | null;
  /** What lexoffice support asks for when a call failed; newer bodies carry it (none of the documented samples do). */
  readonly requestId: string | null;
  /** `details[]` (regular) or `IssueList[]` (legacy) as path + message; `code` = violation or i18nKey. */
  readonly issues: readonly (ValidationIssue & { readonly code: string })[];
  /** The body as received (never contains credentials), kept for replay and diagnosis. */
  readonly raw: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** One entry of `details[]` or `IssueList[]` (or an issue flattened onto the body itself), tolerating absent fields. */
function issueOf(i: Obj): ValidationIssue & { readonly code: string } {
  const path = text(i.field) ?? text(i.source) ?? '';
  const code = text(i.violation) ?? text(i.i18nKey) ?? text(i.type) ?? '';
  return { path, message: text(i.message) ?? (code || 'invalid'), code };
}

/**
 * Parse an error body without trusting any field to be there. Shapes seen (research §1.5 and live
 * reports): regular `{timestamp, status, error, path, traceId, message, details[]}` — often without
 * `details`, newer ones with `requestId`; legacy `{IssueList: [{i18nKey, source, type, …}]}`; bare
 * `{message}` (gateway: 401/403/429/504; `message` may be null); a bare JSON string; an issue flattened
 * onto the top level (files endpoint). Anything else is kept as `raw` with shape `none`.
 */
export function parseErrorBody(body: string): LexofficeErrorBody {
  let json: unknown;
  try {
    json = body === '' ? undefined : JSON.parse(body);
  } catch {
    return { shape: 'none', message: body.slice(0, 500) || null, traceId: null, requestId: null, issues: [], raw: body.slice(0, 2000) };
  }
  if (typeof json === 'string') return { shape: 'bare', message: json, traceId: null, requestId: null, issues: [], raw: json };
  if (!isObj(json)) return { shape: 'none', message: null, traceId: null, requestId: null, issues: [], raw: json };
  const common = { message: text(json.message), traceId: text(json.traceId), requestId: text(json.requestId), raw: json };
  if (Array.isArray(json.IssueList)) return { shape: 'legacy', ...common, issues: json.IssueList.filter(isObj).map(issueOf) };
  const details = Array.isArray(json.details) ? json.details.filter(isObj).map(issueOf) : [];
  const flat = text(json.source) !== null || text(json.field) !== null ? [issueOf(json)] : [];
  const regular = ['timestamp', 'status', 'error', 'path', 'traceId', 'requestId', 'details'].some((k) => k in json);
  if (regular) return { shape: 'regular', ...common, issues: [...details, ...flat] };
  if (flat.length > 0) return { shape: 'legacy', ...common, issues: flat };
  if ('message' in json) return { shape: 'bare', ...common, issues: [] };
  return { shape: 'none', ...common, issues: [] };
}

/** 406/400 from lexoffice: the request was refused as invalid. Not retryable; fix the data. */
export class LexofficeValidationError extends ValidationError {
  constructor(
    message: string,
    readonly status: number,
    readonly body: LexofficeErrorBody,
    details: Record<string, unknown>,
  ) {
    super(message, body.issues, details);
  }
}

/** The `version` sent with a PUT is outdated (409, or 406 with an issue on `version` — contacts). Re-read and retry. */
export class LexofficeVersionConflictError extends ConflictError {
  readonly kind = 'version';
  constructor(message: string, readonly status: number, readonly body: LexofficeErrorBody, details: Record<string, unknown>) {
    super(message, details);
  }
}

/** Any other 409: duplicate subscription, file of a draft document, … */
export class LexofficeConflictError extends ConflictError {
  constructor(message: string, readonly status: number, readonly body: LexofficeErrorBody, details: Record<string, unknown>) {
    super(message, details);
  }
}

export interface ErrorContext {
  readonly method: string;
  /** Path without query (never the base URL's credentials; there are none in lexoffice URLs). */
  readonly path: string;
  readonly attempts: number;
}

function describe(ctx: ErrorContext, status: number, body: LexofficeErrorBody): string {
  const what = body.message ?? (body.issues.length > 0 ? body.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : '');
  // requestId in the message too: it is what lexoffice support asks for, and messages reach every log.
  return `lexoffice ${ctx.method} ${ctx.path} → ${status}${what ? `: ${what}` : ''}${body.requestId ? ` (requestId ${body.requestId})` : ''}`;
}

/**
 * Map a non-2xx answer to Vortex's typed errors. `write` = POST/PUT: a 5xx/504 there means the outcome
 * is unknown (lexoffice may have committed it), so it must be resolved by reading back, never retried blindly.
 */
export function classifyHttpError(status: number, body: LexofficeErrorBody, ctx: ErrorContext, opts: { write: boolean; retryAfterMs?: number }): VortexError {
  const details = { method: ctx.method, path: ctx.path, status, attempts: ctx.attempts, traceId: body.traceId, requestId: body.requestId, body: body.raw };
  const msg = describe(ctx, status, body);
  const versionIssue = body.issues.some((i) => i.path === 'version' && /invalid/i.test(i.code));
  if (status === 401) return new AuthError(msg, details);
  if (status === 402 || status === 403) return new ForbiddenError(msg, details);
  if (status === 404) return new NotFoundError(msg, details);
  if (status === 409) {
    if (ctx.method === 'PUT' || /version/i.test(body.message ?? '')) return new LexofficeVersionConflictError(msg, status, body, details);
    return new LexofficeConflictError(msg, status, body, details);
  }
  if (status === 406 && ctx.method === 'PUT' && versionIssue) return new LexofficeVersionConflictError(msg, status, body, details);
  if (status === 400 || status === 406 || status === 415 || status === 422) return new LexofficeValidationError(msg, status, body, details);
  if (status === 429) return new RateLimitedError(msg, opts.retryAfterMs, details);
  if (status >= 500) {
    if (opts.write && status !== 501) return new OutcomeUnknownError(`${msg} — the write may have been performed; resolve before re-creating`, details);
    return new UpstreamError(msg, status, details);
  }
  return new VortexError('lexoffice_request_refused', msg, { details });
}
