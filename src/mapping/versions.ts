import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { compileRuleSet, type CompiledRuleSet } from './compile.ts';
import { canonicalJson, parseJsonLossless, sha256 } from './json.ts';
import { usabilityIssues } from './input-catalog.ts';
import { DIRECTIONS, RuleSetInvalidError, type Direction } from './schema.ts';

export type VersionStatus = 'draft' | 'validated';

export interface RuleSetVersion {
  readonly id: number;
  readonly tenantId: string;
  readonly direction: Direction;
  readonly version: number;
  readonly status: VersionStatus;
  readonly active: boolean;
  readonly name: string;
  readonly documentHash: string;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly validatedBy: string | null;
  readonly validatedAt: Date | null;
}

export interface Activation {
  readonly id: number;
  readonly kind: 'activate' | 'rollback';
  readonly versionId: number;
  readonly previousVersionId: number | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: Date;
}

interface VersionRow {
  id: number;
  tenant_id: string;
  direction: Direction;
  version: number;
  status: VersionStatus;
  active: boolean;
  document: string;
  document_hash: string;
  note: string | null;
  created_by: string;
  created_at: Date;
  validated_by: string | null;
  validated_at: Date | null;
}

const COLUMNS = `v.id, v.tenant_id, v.direction, v.version, v.status, v.document, v.document_hash, v.note, v.created_by, v.created_at,
  v.validated_by, v.validated_at, (a.version_id IS NOT NULL) AS active`;
const FROM = `rule_set_versions v LEFT JOIN rule_set_active a ON a.tenant_id = v.tenant_id AND a.direction = v.direction AND a.version_id = v.id`;

/** The `name` of a stored rule document ('' when it has none). */
export function nameOf(document: string): string {
  try {
    const d = parseJsonLossless(document) as { name?: unknown };
    return typeof d.name === 'string' ? d.name : '';
  } catch {
    return '';
  }
}

const toVersion = (r: VersionRow): RuleSetVersion => ({
  id: r.id,
  tenantId: r.tenant_id,
  direction: r.direction,
  version: r.version,
  status: r.status,
  active: r.active,
  name: nameOf(r.document),
  documentHash: r.document_hash,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
  validatedBy: r.validated_by,
  validatedAt: r.validated_at,
});

export function parseDirection(s: string): Direction {
  if (!(DIRECTIONS as readonly string[]).includes(s)) throw new ValidationError(`direction must be "catalog" or "order", got "${s}"`, [{ path: 'direction', message: 'catalog or order' }]);
  return s as Direction;
}

/** Read a rule document given as text (lossless: decimals stay strings) or as a parsed value. */
export function readDocument(document: unknown): { value: unknown; text: string } {
  if (typeof document === 'string') return { value: parseJsonLossless(document, 'rule set document'), text: document };
  return { value: document, text: JSON.stringify(document, null, 2) };
}

/**
 * Rule-set versions: immutable documents, draft → validated, and the audited pointer to the active one.
 * Every write takes the per-(tenant, direction) advisory lock so version numbers and activations are
 * serialised across processes.
 */
/** Compile, then the checks for a tenant's rule set: required targets produced, every input path real. */
function compileForTenant(document: unknown): CompiledRuleSet {
  const compiled = compileRuleSet(document);
  const issues = usabilityIssues(compiled.document);
  if (issues.length) throw new RuleSetInvalidError(issues);
  return compiled;
}

export class RuleSetRepository {
  constructor(private readonly db: Db) {}

  private lockKey(tenantId: string, direction: Direction): string {
    return `rules:${tenantId}:${direction}`;
  }

  /** Store a new draft. Refused (with JSON paths) unless it compiles; the direction must match. */
  async createDraft(tenantId: string, direction: Direction, document: unknown, opts: { actor: string; note?: string }): Promise<RuleSetVersion> {
    const { value, text } = readDocument(document);
    const compiled = compileForTenant(value);
    if (compiled.direction !== direction) {
      throw new ValidationError(`the document is for direction "${compiled.direction}", not "${direction}"`, [{ path: '$.direction', message: `expected "${direction}"` }]);
    }
    await this.requireTenant(this.db, tenantId);
    return this.db.withLock(this.lockKey(tenantId, direction), async (tx) => {
      const next = await tx.one<{ n: number }>('SELECT coalesce(max(version), 0)::int + 1 AS n FROM rule_set_versions WHERE tenant_id = $1 AND direction = $2', [tenantId, direction]);
      const row = await tx.one<{ id: number }>(
        `INSERT INTO rule_set_versions (tenant_id, direction, version, document, document_hash, note, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [tenantId, direction, next.n, text, sha256(canonicalJson(compiled.document)), opts.note ?? null, opts.actor],
      );
      await this.audit(tx, tenantId, opts.actor, 'rules.draft_created', String(row.id), { direction, version: next.n, note: opts.note ?? null });
      return this.get(tenantId, row.id, tx);
    });
  }

  async get(tenantId: string, id: number, q: Queryable = this.db): Promise<RuleSetVersion> {
    return toVersion(await this.row(tenantId, id, q));
  }

  /** The document text exactly as stored. */
  async document(tenantId: string, id: number): Promise<string> {
    return (await this.row(tenantId, id, this.db)).document;
  }

  async compiled(tenantId: string, id: number): Promise<{ version: RuleSetVersion; compiled: CompiledRuleSet }> {
    const row = await this.row(tenantId, id, this.db);
    return { version: toVersion(row), compiled: compileRuleSet(parseJsonLossless(row.document, `rule set version ${id}`)) };
  }

  async list(tenantId: string, direction?: Direction): Promise<RuleSetVersion[]> {
    const rows = await this.db.query<VersionRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE v.tenant_id = $1 AND ($2::text IS NULL OR v.direction = $2) ORDER BY v.direction, v.version`,
      [tenantId, direction ?? null],
    );
    return rows.map(toVersion);
  }

  /** Re-check a draft (it compiled when stored; the built-in tables may have moved since) and mark it validated. */
  async validate(tenantId: string, id: number, actor: string): Promise<RuleSetVersion> {
    const row = await this.row(tenantId, id, this.db);
    compileForTenant(parseJsonLossless(row.document, `rule set version ${id}`));
    return this.db.withLock(this.lockKey(tenantId, row.direction), async (tx) => {
      const r = await tx.query<{ id: number }>(
        `UPDATE rule_set_versions SET status = 'validated', validated_by = $3, validated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'draft' RETURNING id`,
        [tenantId, id, actor],
      );
      if (r.length === 1) await this.audit(tx, tenantId, actor, 'rules.validated', String(id), { direction: row.direction, version: row.version });
      return this.get(tenantId, id, tx);
    });
  }

  /** Make a validated version the active one: one audited operation (who, when, why). */
  async activate(tenantId: string, id: number, opts: { actor: string; reason: string; kind?: 'activate' | 'rollback' }): Promise<Activation> {
    const reason = opts.reason.trim();
    if (!reason) throw new ValidationError('a reason is required to activate a rule set', [{ path: 'reason', message: 'required' }]);
    const row = await this.row(tenantId, id, this.db);
    if (row.status !== 'validated') throw new ConflictError(`version ${row.version} (id ${id}) is a draft; validate it before activating`, { id });
    return this.db.withLock(this.lockKey(tenantId, row.direction), async (tx) => {
      const prev = await tx.maybeOne<{ version_id: number }>('SELECT version_id FROM rule_set_active WHERE tenant_id = $1 AND direction = $2', [tenantId, row.direction]);
      if (prev?.version_id === id) throw new ConflictError(`version ${row.version} (id ${id}) is already active`, { id });
      await tx.query(
        `INSERT INTO rule_set_active (tenant_id, direction, version_id, activated_by, activated_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_id, direction) DO UPDATE SET version_id = EXCLUDED.version_id, activated_by = EXCLUDED.activated_by, activated_at = now()`,
        [tenantId, row.direction, id, opts.actor],
      );
      const kind = opts.kind ?? 'activate';
      const a = await tx.one<{ id: number; at: Date }>(
        `INSERT INTO rule_set_activations (tenant_id, direction, kind, version_id, previous_version_id, actor, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, at`,
        [tenantId, row.direction, kind, id, prev?.version_id ?? null, opts.actor, reason],
      );
      await this.audit(tx, tenantId, opts.actor, `rules.${kind === 'rollback' ? 'rolled_back' : 'activated'}`, String(id), {
        direction: row.direction,
        version: row.version,
        previousVersionId: prev?.version_id ?? null,
        reason,
      });
      return { id: a.id, kind, versionId: id, previousVersionId: prev?.version_id ?? null, actor: opts.actor, reason, at: a.at };
    });
  }

  /**
   * Roll back to an earlier version: `to` a given version id, or by default the version that was active
   * before the current one. Same audit trail as an activation, marked 'rollback'.
   */
  async rollback(tenantId: string, direction: Direction, opts: { actor: string; reason: string; to?: number }): Promise<Activation> {
    let target = opts.to;
    if (target === undefined) {
      const last = await this.db.maybeOne<{ previous_version_id: number | null }>(
        `SELECT x.previous_version_id FROM rule_set_activations x JOIN rule_set_active a ON a.tenant_id = x.tenant_id AND a.direction = x.direction AND a.version_id = x.version_id
          WHERE x.tenant_id = $1 AND x.direction = $2 ORDER BY x.id DESC LIMIT 1`,
        [tenantId, direction],
      );
      if (!last?.previous_version_id) throw new ConflictError(`no earlier ${direction} version to roll back to; name one with --to`);
      target = last.previous_version_id;
    }
    const row = await this.row(tenantId, target, this.db);
    if (row.direction !== direction) throw new ValidationError(`version id ${target} is a ${row.direction} rule set, not ${direction}`, [{ path: 'to', message: 'wrong direction' }]);
    return this.activate(tenantId, target, { ...opts, kind: 'rollback' });
  }

  /** The active version id: one primary-key lookup, cheap enough to run before every evaluation. */
  async activeVersionId(tenantId: string, direction: Direction, q: Queryable = this.db): Promise<number | undefined> {
    const r = await q.maybeOne<{ version_id: number }>('SELECT version_id FROM rule_set_active WHERE tenant_id = $1 AND direction = $2', [tenantId, direction]);
    return r?.version_id;
  }

  async history(tenantId: string, direction: Direction): Promise<Activation[]> {
    const rows = await this.db.query<{ id: number; kind: 'activate' | 'rollback'; version_id: number; previous_version_id: number | null; actor: string; reason: string; at: Date }>(
      'SELECT id, kind, version_id, previous_version_id, actor, reason, at FROM rule_set_activations WHERE tenant_id = $1 AND direction = $2 ORDER BY id',
      [tenantId, direction],
    );
    return rows.map((r) => ({ id: r.id, kind: r.kind, versionId: r.version_id, previousVersionId: r.previous_version_id, actor: r.actor, reason: r.reason, at: r.at }));
  }

  private async row(tenantId: string, id: number, q: Queryable): Promise<VersionRow> {
    const r = await q.maybeOne<VersionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE v.tenant_id = $1 AND v.id = $2`, [tenantId, id]);
    if (!r) throw new NotFoundError(`rule set version id ${id} not found for tenant ${tenantId}`, { tenantId, id });
    return r;
  }

  private async requireTenant(q: Queryable, tenantId: string): Promise<void> {
    const t = await q.maybeOne('SELECT 1 AS one FROM tenants WHERE id = $1', [tenantId]);
    if (!t) throw new NotFoundError(`tenant ${tenantId} not found`, { tenantId });
  }

  private async audit(q: Queryable, tenantId: string, actor: string, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
    await q.query('INSERT INTO audit_log (tenant_id, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [tenantId, actor, action, subject, JSON.stringify(details)]);
  }
}
