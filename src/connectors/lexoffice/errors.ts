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
import { bareErrorSchema, legacyErrorSchema, regularErrorSchema } from './schemas.ts';

/** A lexoffice error body, whichever of the three shapes it came in. */
export interface LexofficeErrorBody {
  readonly shape: 'regular' | 'legacy' | 'bare' | 'none';
  readonly message: string | null;
  readonly traceId: string | null;
  /** `details[]` (regular) or `IssueList[]` (legacy) as path + message; `code` = violation or i18nKey. */
  readonly issues: readonly (ValidationIssue & { readonly code: string })[];
  /** The body as received (never contains credentials), kept for replay and diagnosis. */
  readonly raw: unknown;
}

export function parseErrorBody(text: string): LexofficeErrorBody {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    return { shape: 'none', message: text.slice(0, 500) || null, traceId: null, issues: [], raw: text.slice(0, 2000) };
  }
  const legacy = legacyErrorSchema.safeParse(json);
  if (legacy.success) {
    return {
      shape: 'legacy',
      message: null,
      traceId: null,
      issues: legacy.data.IssueList.map((i) => ({ path: i.source ?? '', message: i.i18nKey ?? i.type ?? 'invalid', code: i.i18nKey ?? i.type ?? '' })),
      raw: json,
    };
  }
  const regular = regularErrorSchema.safeParse(json);
  if (regular.success) {
    return {
      shape: 'regular',
      message: regular.data.message ?? null,
      traceId: regular.data.traceId ?? null,
      issues: (regular.data.details ?? []).map((d) => ({ path: d.field ?? '', message: d.message ?? d.violation ?? 'invalid', code: d.violation ?? '' })),
      raw: json,
    };
  }
  const bare = bareErrorSchema.safeParse(json);
  if (bare.success) return { shape: 'bare', message: bare.data.message, traceId: null, issues: [], raw: json };
  return { shape: 'none', message: null, traceId: null, issues: [], raw: json };
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
  return `lexoffice ${ctx.method} ${ctx.path} → ${status}${what ? `: ${what}` : ''}`;
}

/**
 * Map a non-2xx answer to Vortex's typed errors. `write` = POST/PUT: a 5xx/504 there means the outcome
 * is unknown (lexoffice may have committed it), so it must be resolved by reading back, never retried blindly.
 */
export function classifyHttpError(status: number, body: LexofficeErrorBody, ctx: ErrorContext, opts: { write: boolean; retryAfterMs?: number }): VortexError {
  const details = { method: ctx.method, path: ctx.path, status, attempts: ctx.attempts, traceId: body.traceId, body: body.raw };
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
