import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../core/errors.ts';

/**
 * Every setting Vortex reads from the environment, validated once at start-up. The README's
 * configuration table lists exactly these; a bad value fails with a message naming the variable.
 */
const port = z.coerce.number().int().min(0).max(65535);
const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;
const EMAIL_OR_NAMED = /^([^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+|[^<>]*<[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+>)$/;
/** Values never echoed in a configuration error (credentials, or URLs that may hold them). */
const HIDDEN = ['VORTEX_SECRET_KEY', 'DATABASE_URL', 'VORTEX_API_TOKEN', 'VORTEX_ADMIN_PASSWORD', 'VORTEX_ALERT_WEBHOOK_URL', 'VORTEX_ALERT_WEBHOOK_SECRET', 'VORTEX_ALERT_SMTP_URL'];

export const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  VORTEX_DATA_DIR: z.string().min(1).default('./.vortex'),
  VORTEX_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v), 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  VORTEX_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  VORTEX_COOKIE_SECURE: z.enum(['true', 'false']).default('true'),
  VORTEX_SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(120),
  VORTEX_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24),
  VORTEX_PUBLIC_URL: z.string().regex(/^https?:\/\/[^/]+/, 'must be an http(s) base URL').optional(),
  LEXOFFICE_WEBHOOK_PUBLIC_KEY: z.string().optional(),
  SIM_LEXOFFICE_PORT: port.default(4010),
  SIM_CELRO_PORT: port.default(4020),
  SIM_FX_PORT: port.default(4030),
  VORTEX_DEMO_ARTICLES: z.coerce.number().int().min(1).max(100_000).default(300),
  VORTEX_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  VORTEX_DEMO_ORDERS_EVERY_MINUTES: z.coerce.number().min(0).max(1440).default(3),
  VORTEX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  VORTEX_JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(0.5),
  VORTEX_JOB_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  VORTEX_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  VORTEX_FX_BNR_URL: z.string().regex(/^https?:\/\//, 'must be an http(s) URL').default('https://curs.bnr.ro/nbrfxrates.xml'),
  VORTEX_FX_ECB_URL: z.string().regex(/^https?:\/\//, 'must be an http(s) URL').default('https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml'),
  VORTEX_FX_DAILY: z
    .string()
    .regex(/^(none|(BNR|ECB)(,(BNR|ECB))*)$/, 'must be "none" or a comma list of BNR, ECB')
    .default('BNR'),
  VORTEX_ALERT_WEBHOOK_URL: z.string().regex(/^https?:\/\/[^/\s]+\S*$/, 'must be an http(s) URL').optional(),
  VORTEX_ALERT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
  VORTEX_ALERT_SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+\/?$/, 'must be smtp://[user:password@]host[:port] or smtps://…').optional(),
  VORTEX_ALERT_EMAIL_FROM: z.string().regex(EMAIL_OR_NAMED, 'must be an e-mail address or "Name <address>"').optional(),
  VORTEX_ALERT_EMAIL_TO: z
    .string()
    .refine((v) => v.split(',').every((a) => EMAIL.test(a.trim())), 'must be a comma-separated list of e-mail addresses')
    .optional(),
  VORTEX_ALERT_REMIND_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
});

/** Settings that make sense only together: named in the error like a bad value. */
function alertSettingsIssues(e: z.infer<typeof envSchema>): Array<{ name: string; message: string }> {
  const issues: Array<{ name: string; message: string }> = [];
  if (e.VORTEX_ALERT_WEBHOOK_SECRET && !e.VORTEX_ALERT_WEBHOOK_URL) issues.push({ name: 'VORTEX_ALERT_WEBHOOK_SECRET', message: 'is set but VORTEX_ALERT_WEBHOOK_URL is not' });
  if (e.VORTEX_ALERT_SMTP_URL) {
    if (!e.VORTEX_ALERT_EMAIL_FROM) issues.push({ name: 'VORTEX_ALERT_EMAIL_FROM', message: 'is required with VORTEX_ALERT_SMTP_URL' });
    if (!e.VORTEX_ALERT_EMAIL_TO) issues.push({ name: 'VORTEX_ALERT_EMAIL_TO', message: 'is required with VORTEX_ALERT_SMTP_URL' });
  } else {
    for (const name of ['VORTEX_ALERT_EMAIL_FROM', 'VORTEX_ALERT_EMAIL_TO'] as const) if (e[name]) issues.push({ name, message: 'is set but VORTEX_ALERT_SMTP_URL is not' });
  }
  return issues;
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly http: { readonly port: number; readonly host: string };
  readonly store:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number; readonly dataDir: string };
  readonly secretKey: string | undefined;
  /** Where lexoffice and Cel.ro can reach this Vortex (webhooks); unset = no subscriptions are made. */
  readonly publicUrl: string | undefined;
  /** PEM public key lexoffice signs webhooks with (a connection's `webhookPublicKey` setting overrides it). */
  readonly lexofficeWebhookPublicKey: string | undefined;
  /** `vortex demo` (npm start): where the in-process simulators listen and how big the catalog is. */
  readonly demo: {
    readonly lexofficePort: number;
    readonly celroPort: number;
    readonly fxPort: number;
    readonly articles: number;
    readonly ordersEveryMinutes: number;
    /** The demo users' password (VORTEX_ADMIN_PASSWORD); unset = a random one printed once at first start. */
    readonly adminPassword: string | undefined;
  };
  /** Days that sync runs, webhook calls, drift records and settled reservations are kept. */
  readonly retentionDays: number;
  /** Bearer token for /api (machines: CLI, scripts); unset = a local token in the data dir. */
  readonly apiToken: string | undefined;
  /** Panel sessions: cookie Secure flag (off only for plain-http test setups), idle and absolute limits. */
  readonly sessions: { readonly secureCookie: boolean; readonly idleMinutes: number; readonly absoluteHours: number };
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly jobs: { readonly pollSeconds: number; readonly batchSize: number };
  readonly shutdownTimeoutSeconds: number;
  /** Exchange-rate feeds and which ones the daily job imports. */
  readonly fx: { readonly urls: { readonly BNR: string; readonly ECB: string }; readonly daily: readonly ('BNR' | 'ECB')[] };
  /** Where alerts are sent (operator-level: every tenant's alerts go to the same places); unset = kept, not sent. */
  readonly alerts: {
    readonly webhook: { readonly url: string; readonly secret: string | undefined } | undefined;
    readonly email: { readonly smtpUrl: string; readonly from: string; readonly to: readonly string[] } | undefined;
    /** Resend an alert still open after this long; 0 = never. */
    readonly remindHours: number;
  };
}

/** Parse the environment (or any string map) into a Config, or throw a ConfigError naming each bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // An empty variable means "not set": shells and .env files produce them often.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  const issues = parsed.success ? alertSettingsIssues(parsed.data) : parsed.error.issues.map((i) => ({ name: String(i.path[0] ?? '?'), message: i.message }));
  if (!parsed.success || issues.length) {
    const lines = issues.map(({ name, message }) => `  ${name}=${HIDDEN.includes(name) ? '(value hidden)' : JSON.stringify(present[name])}: ${message}`);
    const names = [...new Set(issues.map((i) => i.name))];
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`, names);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.VORTEX_DATA_DIR);
  return {
    http: { port: e.PORT, host: e.HOST },
    store: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, dataDir } : { kind: 'pglite', dataDir },
    secretKey: e.VORTEX_SECRET_KEY,
    apiToken: e.VORTEX_API_TOKEN,
    sessions: { secureCookie: e.VORTEX_COOKIE_SECURE === 'true', idleMinutes: e.VORTEX_SESSION_IDLE_MINUTES, absoluteHours: e.VORTEX_SESSION_MAX_HOURS },
    retentionDays: e.VORTEX_RETENTION_DAYS,
    demo: { lexofficePort: e.SIM_LEXOFFICE_PORT, celroPort: e.SIM_CELRO_PORT, fxPort: e.SIM_FX_PORT, articles: e.VORTEX_DEMO_ARTICLES, ordersEveryMinutes: e.VORTEX_DEMO_ORDERS_EVERY_MINUTES, adminPassword: e.VORTEX_ADMIN_PASSWORD },
    publicUrl: e.VORTEX_PUBLIC_URL?.replace(/\/+$/, ''),
    lexofficeWebhookPublicKey: e.LEXOFFICE_WEBHOOK_PUBLIC_KEY ? pemOrFile(e.LEXOFFICE_WEBHOOK_PUBLIC_KEY) : undefined,
    log: { level: e.LOG_LEVEL },
    jobs: { pollSeconds: e.VORTEX_JOB_POLL_SECONDS, batchSize: e.VORTEX_JOB_BATCH_SIZE },
    shutdownTimeoutSeconds: e.VORTEX_SHUTDOWN_TIMEOUT_SECONDS,
    fx: {
      urls: { BNR: e.VORTEX_FX_BNR_URL, ECB: e.VORTEX_FX_ECB_URL },
      daily: e.VORTEX_FX_DAILY === 'none' ? [] : [...new Set(e.VORTEX_FX_DAILY.split(',') as ('BNR' | 'ECB')[])],
    },
    alerts: {
      webhook: e.VORTEX_ALERT_WEBHOOK_URL ? { url: e.VORTEX_ALERT_WEBHOOK_URL, secret: e.VORTEX_ALERT_WEBHOOK_SECRET } : undefined,
      email:
        e.VORTEX_ALERT_SMTP_URL && e.VORTEX_ALERT_EMAIL_FROM && e.VORTEX_ALERT_EMAIL_TO
          ? { smtpUrl: e.VORTEX_ALERT_SMTP_URL, from: e.VORTEX_ALERT_EMAIL_FROM, to: e.VORTEX_ALERT_EMAIL_TO.split(',').map((a) => a.trim()) }
          : undefined,
      remindHours: e.VORTEX_ALERT_REMIND_HOURS,
    },
  };
}

/** A PEM given inline, or the path of a file holding it. */
function pemOrFile(v: string): string {
  if (v.includes('-----BEGIN')) return v.replace(/\\n/g, '\n');
  try {
    return readFileSync(v, 'utf8');
  } catch (e) {
    throw new ConfigError(`LEXOFFICE_WEBHOOK_PUBLIC_KEY: neither a PEM nor a readable file (${(e as Error).message})`, ['LEXOFFICE_WEBHOOK_PUBLIC_KEY']);
  }
}
