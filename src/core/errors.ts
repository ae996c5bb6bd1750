/**
 * Typed errors. Every error Vortex raises on purpose is a VortexError with a stable `code` and a
 * `retryable` verdict, so job runners and the panel can decide without parsing messages. `details`
 * carries the payload that caused the failure (never secrets) so nothing is lost.
 */
export class VortexError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, opts: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }
}

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends VortexError {
  constructor(message: string, readonly variables: readonly string[] = []) {
    super('config_invalid', message);
  }
}

/** Input (from an API, a webhook, the panel or a file) does not have the expected shape. */
export class ValidationError extends VortexError {
  constructor(message: string, readonly issues: readonly ValidationIssue[] = [], details?: Record<string, unknown>) {
    super('validation_failed', message, details === undefined ? {} : { details });
  }
}

export class NotFoundError extends VortexError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('not_found', message, details === undefined ? {} : { details });
  }
}

/** Optimistic-lock or uniqueness conflict: somebody else changed the record first. */
export class ConflictError extends VortexError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details === undefined ? {} : { details });
  }
}

/** Credentials are wrong or expired. Never retried blindly. */
export class AuthError extends VortexError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('auth_failed', message, details === undefined ? {} : { details });
  }
}

export class ForbiddenError extends VortexError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('forbidden', message, details === undefined ? {} : { details });
  }
}

/** The remote refused because of its rate limit; the call was not performed. */
export class RateLimitedError extends VortexError {
  constructor(message: string, readonly retryAfterMs: number | undefined, details?: Record<string, unknown>) {
    super('rate_limited', message, { retryable: true, ...(details === undefined ? {} : { details }) });
  }
}

/** The remote failed (5xx, network). Retryable for reads. */
export class UpstreamError extends VortexError {
  constructor(message: string, readonly status: number | undefined, details?: Record<string, unknown>, cause?: unknown) {
    super('upstream_failed', message, { retryable: true, ...(details === undefined ? {} : { details }), cause });
  }
}

/**
 * A write may or may not have happened (timeout, 504 after commit). Callers must resolve it by
 * reading back before any re-create; retrying blindly would duplicate.
 */
export class OutcomeUnknownError extends VortexError {
  constructor(message: string, details?: Record<string, unknown>, cause?: unknown) {
    super('outcome_unknown', message, { ...(details === undefined ? {} : { details }), cause });
  }
}

/** Encrypted data could not be decrypted: wrong key or tampered ciphertext. */
export class SecretError extends VortexError {
  constructor(message: string) {
    super('secret_invalid', message);
  }
}

/** A store-level failure that is not the caller's fault (connection lost, lock file held, …). */
export class StoreError extends VortexError {
  constructor(message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super('store_failed', message, opts);
  }
}

export function isVortexError(e: unknown): e is VortexError {
  return e instanceof VortexError;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
