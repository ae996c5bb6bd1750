import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * A key whose value is a secret, at any depth of a log object: anything named like a key, secret,
 * password, token, credential, cookie or authorization (case-insensitive). Over-redacting a harmless
 * field (`singletonKey`) costs a little context; under-redacting costs a credential.
 */
export const SECRET_KEY = /key|secret|passw|pwd|token|credential|cookie|authori[sz]ation|^auth$|connectionstring|databaseurl|smtpurl|webhookurl/i;

/** How much of a payload a log line keeps: enough to diagnose, never a 10 MB line. */
export const LOG_LIMITS = { stringChars: 2048, arrayItems: 20, objectKeys: 50, depth: 6 } as const;

const REDACTED = '[redacted]';

/**
 * A copy of `value` that is safe to log: secrets replaced at any depth, long strings cut, long arrays
 * and wide objects shortened (saying how much was left out), deep nesting stopped. Errors keep their
 * type, message, code and stack; their `details` are sanitised like the rest. Pure.
 */
export function sanitizeForLog(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return value.length > LOG_LIMITS.stringChars ? `${value.slice(0, LOG_LIMITS.stringChars)}… [${value.length - LOG_LIMITS.stringChars} more chars]` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (seen.has(value)) return '[circular]';
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (depth >= LOG_LIMITS.depth) return Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; details?: unknown; status?: unknown };
    return {
      type: e.name,
      message: sanitizeForLog(e.message, depth + 1, seen),
      ...(e.code === undefined ? {} : { code: e.code }),
      ...(e.status === undefined ? {} : { status: e.status }),
      ...(e.details === undefined ? {} : { details: sanitizeForLog(e.details, depth + 1, seen) }),
      ...(e.stack ? { stack: e.stack } : {}),
      ...(e.cause === undefined ? {} : { cause: sanitizeForLog(e.cause, depth + 1, seen) }),
    };
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, LOG_LIMITS.arrayItems).map((v) => sanitizeForLog(v, depth + 1, seen));
    if (value.length > LOG_LIMITS.arrayItems) items.push(`[… ${value.length - LOG_LIMITS.arrayItems} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [k, v] of entries.slice(0, LOG_LIMITS.objectKeys)) out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && v !== '' ? REDACTED : sanitizeForLog(v, depth + 1, seen);
  if (entries.length > LOG_LIMITS.objectKeys) out['…'] = `${entries.length - LOG_LIMITS.objectKeys} more keys`;
  return out;
}

/** Remove a password from a connection URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const logger = pino(
    {
      name: opts.name ?? 'vortex',
      level: opts.level ?? 'info',
      // Every log object passes through the sanitiser (secrets by pattern at any depth, sizes bounded).
      // pino's path-based `redact` cannot match patterns at any depth.
      formatters: { log: (obj) => sanitizeForLog(obj) as Record<string, unknown> },
      // The sanitiser already turned errors into plain { type, message, code, details, stack }.
      serializers: { err: (e: unknown) => e },
    },
    opts.destination ?? process.stdout,
  );
  // pino applies no formatter to a child's bindings: sanitise them on the way in. Children inherit
  // this `child` (pino creates them with Object.create), so every descendant does the same.
  const protoChild = logger.child;
  logger.child = function (this: Logger, bindings: Record<string, unknown>, options?: object) {
    return protoChild.call(this, sanitizeForLog(bindings) as Record<string, unknown>, options as never);
  } as Logger['child'];
  return logger;
}
