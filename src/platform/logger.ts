import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values are secrets wherever they appear in a log object. pino's redaction needs
 * paths, so each key is listed at the top level and up to three levels deep.
 */
export const SECRET_KEYS = [
  'apiKey',
  'api_key',
  'password',
  'pass',
  'token',
  'accessToken',
  'secret',
  'secretKey',
  'authorization',
  'Authorization',
  'AUTH',
  'auth',
  'cookie',
  'credentials',
  'databaseUrl',
  'connectionString',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    paths.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`);
  }
  return paths;
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
  return pino(
    {
      name: opts.name ?? 'vortex',
      level: opts.level ?? 'info',
      redact: { paths: redactPaths(), censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    opts.destination ?? process.stdout,
  );
}
