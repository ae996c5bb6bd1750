import { z } from 'zod';
import { NotFoundError, ValidationError } from '../core/errors.ts';
import type { Queryable } from '../store/db.ts';
import type { SecretBox } from './secrets.ts';

export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'tenant id: 2–63 lowercase letters, digits or dashes');

export const credentialsSchemas = {
  lexoffice: z.object({ apiKey: z.string().min(1) }).strict(),
  celro: z.object({ username: z.string().min(1), password: z.string().min(1) }).strict(),
  fancourier: z.object({ clientId: z.string().min(1), username: z.string().min(1), password: z.string().min(1) }).strict(),
  sameday: z.object({ username: z.string().min(1), password: z.string().min(1) }).strict(),
  /** The shared secret of the generic signed payment webhook (HMAC-SHA256), at least 32 characters. */
  payments: z.object({ webhookSecret: z.string().min(32, 'at least 32 characters') }).strict(),
} as const;

export type ConnectionSystem = keyof typeof credentialsSchemas;
export type Credentials<S extends ConnectionSystem> = z.infer<(typeof credentialsSchemas)[S]>;

function credentialsSchema<S extends ConnectionSystem>(system: S): z.ZodType<Credentials<S>> {
  return credentialsSchemas[system] as unknown as z.ZodType<Credentials<S>>;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'paused' | 'disabled';
  readonly settings: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

/** A connection as the rest of Vortex sees it: credentials decrypted, never logged. */
export interface Connection<S extends ConnectionSystem = ConnectionSystem> {
  readonly id: number;
  readonly tenantId: string;
  readonly system: S;
  readonly baseUrl: string | null;
  readonly credentials: Credentials<S>;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
}

/** What may be shown (panel, CLI, API): everything but the credentials. */
export type ConnectionSummary = Omit<Connection, 'credentials'>;

interface TenantRow {
  id: string;
  name: string;
  status: Tenant['status'];
  settings: Record<string, unknown>;
  created_at: Date;
}

interface ConnectionRow {
  id: number;
  tenant_id: string;
  system: ConnectionSystem;
  base_url: string | null;
  credentials_enc: string;
  settings: Record<string, unknown>;
  enabled: boolean;
}

const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, status: r.status, settings: r.settings, createdAt: r.created_at });

/** A new tenant's id and name, checked without the store (the CLI refuses before opening it); returns the id. */
export function checkNewTenant(input: { id: string; name: string }): string {
  const id = parseOrThrow(tenantIdSchema, input.id, 'tenant id');
  // The column's check, said in words (the CLI reaches here without the API's schema).
  parseOrThrow(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'), input.name, 'tenant name');
  return id;
}

export class TenantRepository {
  constructor(
    private readonly db: Queryable,
    private readonly box: SecretBox,
  ) {}

  async create(input: { id: string; name: string; settings?: Record<string, unknown> }, actor: string): Promise<Tenant> {
    const id = checkNewTenant(input);
    const row = await this.db.maybeOne<TenantRow>(
      `INSERT INTO tenants (id, name, settings) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO NOTHING RETURNING id, name, status, settings, created_at`,
      [id, input.name, input.settings ?? {}],
    );
    if (!row) throw new ValidationError(`tenant "${id}" already exists`, [{ path: 'id', message: 'already exists' }]);
    await this.audit(id, actor, 'tenant.created', id, { name: input.name });
    return toTenant(row);
  }

  async get(id: string): Promise<Tenant> {
    const row = await this.db.maybeOne<TenantRow>('SELECT id, name, status, settings, created_at FROM tenants WHERE id = $1', [id]);
    if (!row) throw new NotFoundError(`tenant "${id}" not found`);
    return toTenant(row);
  }

  async list(): Promise<Tenant[]> {
    return (await this.db.query<TenantRow>('SELECT id, name, status, settings, created_at FROM tenants ORDER BY id')).map(toTenant);
  }

  /** Create or replace a tenant's connection to one system; credentials are validated, then sealed. */
  async setConnection<S extends ConnectionSystem>(
    tenantId: string,
    system: S,
    input: { credentials: Credentials<S>; baseUrl?: string | null; settings?: Record<string, unknown>; enabled?: boolean },
    actor: string,
  ): Promise<ConnectionSummary> {
    const credentials = parseOrThrow(credentialsSchema(system), input.credentials, `${system} credentials`);
    await this.get(tenantId);
    // The CTE sees the connection as it was (one snapshot): the audit trail's "before", without credentials.
    const row = await this.db.one<ConnectionRow & { before: Record<string, unknown> | null }>(
      `WITH prev AS (SELECT base_url AS "baseUrl", settings, enabled FROM connections WHERE tenant_id = $1 AND system = $2)
       INSERT INTO connections (tenant_id, system, base_url, credentials_enc, settings, enabled)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (tenant_id, system) DO UPDATE SET base_url = EXCLUDED.base_url, credentials_enc = EXCLUDED.credentials_enc,
         settings = EXCLUDED.settings, enabled = EXCLUDED.enabled, updated_at = now()
       RETURNING id, tenant_id, system, base_url, credentials_enc, settings, enabled, (SELECT to_jsonb(prev) FROM prev) AS before`,
      [tenantId, system, input.baseUrl ?? null, this.box.sealJson(credentials), input.settings ?? {}, input.enabled ?? true],
    );
    // The audit trail records that credentials changed, never what they are.
    await this.audit(tenantId, actor, 'connection.set', system, {
      before: row.before,
      after: { baseUrl: input.baseUrl ?? null, settings: input.settings ?? {}, enabled: input.enabled ?? true },
      credentials: 'replaced',
    });
    return summary(row);
  }

  async getConnection<S extends ConnectionSystem>(tenantId: string, system: S): Promise<Connection<S>> {
    const row = await this.db.maybeOne<ConnectionRow>(
      'SELECT id, tenant_id, system, base_url, credentials_enc, settings, enabled FROM connections WHERE tenant_id = $1 AND system = $2',
      [tenantId, system],
    );
    if (!row) throw new NotFoundError(`tenant "${tenantId}" has no ${system} connection`);
    const credentials = parseOrThrow(credentialsSchema(system), this.box.openJson(row.credentials_enc), `${system} credentials`);
    return { ...summary(row), system, credentials };
  }

  async listConnections(tenantId: string): Promise<ConnectionSummary[]> {
    const rows = await this.db.query<ConnectionRow>(
      'SELECT id, tenant_id, system, base_url, credentials_enc, settings, enabled FROM connections WHERE tenant_id = $1 ORDER BY system',
      [tenantId],
    );
    return rows.map(summary);
  }

  async audit(tenantId: string | null, actor: string, action: string, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
    await this.db.query('INSERT INTO audit_log (tenant_id, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
      tenantId,
      actor,
      action,
      subject,
      details,
    ]);
  }
}

function summary(r: ConnectionRow): ConnectionSummary {
  return { id: r.id, tenantId: r.tenant_id, system: r.system, baseUrl: r.base_url, settings: r.settings, enabled: r.enabled };
}

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  throw new ValidationError(`invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
