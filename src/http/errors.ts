import type { FastifyError, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isVortexError, ValidationError, type ValidationIssue } from '../core/errors.ts';

const STATUS: Record<string, number> = {
  validation_failed: 400,
  config_invalid: 400,
  not_found: 404,
  conflict: 409,
  auth_failed: 401,
  forbidden: 403,
  rate_limited: 429,
  secret_invalid: 500,
};

/** `?limit=N` of a list route: a whole number from 1 to `max` (default `def`); anything else is a 400 naming `limit`. */
export function limitQuery(def: number, max: number) {
  return z.object({ limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(max, `must be ≤ ${max}`).default(def) }).loose();
}

/** Parse request input with zod; a mismatch becomes a 400 naming each bad field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues: ValidationIssue[] = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  throw new ValidationError(`invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/**
 * One error shape for every API route: `{ error: { code, message, issues? } }`. Bad input is logged
 * with its payload (secrets redacted and size bounded by the logger) so what a client sent can be seen.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (isVortexError(err)) {
      const status = STATUS[err.code] ?? (err.retryable ? 503 : 500);
      const issues = err instanceof ValidationError ? err.issues : undefined;
      if (status < 500) req.log.warn({ code: err.code, url: req.url, method: req.method, payload: req.body, issues }, err.message);
      else req.log.error({ err, url: req.url }, 'request failed');
      return reply.code(status).send({ error: { code: err.code, message: status >= 500 && err.code === 'secret_invalid' ? 'stored credentials cannot be decrypted' : err.message, ...(issues ? { issues } : {}) } });
    }
    // A value the database refused (out of range, too long, malformed, a check failed) that slipped past
    // the route's schema: still the client's input, so a 400 that says so, never a 500.
    const sqlState = (err as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^(22\w{3}|23514)$/.test(sqlState)) {
      req.log.warn({ url: req.url, method: req.method, payload: req.body, sqlState, err: err.message }, 'input refused by the database');
      return reply.code(400).send({ error: { code: 'validation_failed', message: `invalid input: ${err.message}` } });
    }
    const fe = err as FastifyError;
    if (fe.statusCode && fe.statusCode < 500) {
      req.log.warn({ url: req.url, payload: req.body, err: fe.message }, 'bad request');
      return reply.code(fe.statusCode).send({ error: { code: fe.code ?? 'bad_request', message: fe.message } });
    }
    req.log.error({ err, url: req.url }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
}
