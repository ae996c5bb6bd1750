import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.ts';
import type { Db, Queryable } from '../store/db.ts';
import { assertPasswordAcceptable, hashPassword } from './passwords.ts';

export const ROLES = ['operator', 'merchant'] as const;
export type Role = (typeof ROLES)[number];

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address');

/** A user as every route and page shows it: never the password hash. */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly role: Role;
  readonly tenants: readonly string[];
  readonly mustChangePassword: boolean;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

interface UserRow {
  id: number;
  email: string;
  role: Role;
  must_change_password: boolean;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
  tenants: string[] | null;
}

const SELECT = `SELECT u.id, u.email, u.role, u.must_change_password, u.disabled, u.created_at, u.last_login_at,
  (SELECT array_agg(m.tenant_id ORDER BY m.tenant_id) FROM tenant_members m WHERE m.user_id = u.id) AS tenants
  FROM users u`;

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  role: r.role,
  tenants: r.tenants ?? [],
  mustChangePassword: r.must_change_password,
  disabled: r.disabled,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

export interface NewUser {
  readonly email: string;
  readonly password: string;
  readonly role: Role;
  readonly tenants?: readonly string[];
  readonly mustChangePassword?: boolean;
}

/** Users and their tenant memberships. Changes are audited by the caller's route or command. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    return (await this.db.one<{ n: number }>('SELECT count(*)::int AS n FROM users')).n;
  }

  async create(input: NewUser, actor = 'system'): Promise<User> {
    const parsed = emailSchema.safeParse(input.email);
    if (!parsed.success) throw new ValidationError(`email: ${parsed.error.issues[0]!.message}`, [{ path: 'email', message: parsed.error.issues[0]!.message }]);
    const email = parsed.data;
    assertPasswordAcceptable(input.password);
    const tenants = [...new Set(input.tenants ?? [])];
    if (input.role === 'operator' && tenants.length > 0) throw new ValidationError('an operator sees every tenant: give no tenants', [{ path: 'tenants', message: 'operators have no tenant list' }]);
    const hash = await hashPassword(input.password);
    return this.db.transaction(async (tx) => {
      const row = await tx.maybeOne<{ id: number }>(
        `INSERT INTO users (email, role, password_hash, must_change_password, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [email, input.role, hash, input.mustChangePassword ?? false, actor],
      );
      if (!row) throw new ConflictError(`a user ${email} already exists`);
      for (const t of tenants) await this.addMemberTx(tx, row.id, t);
      return this.get(row.id, tx);
    });
  }

  async get(id: number, q: Queryable = this.db): Promise<User> {
    const r = await q.maybeOne<UserRow>(`${SELECT} WHERE u.id = $1`, [id]);
    if (!r) throw new NotFoundError(`user ${id} not found`);
    return toUser(r);
  }

  async findByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
    const r = await this.db.maybeOne<UserRow & { password_hash: string }>(`${SELECT.replace('FROM users u', ', u.password_hash FROM users u')} WHERE u.email = $1`, [email.trim().toLowerCase()]);
    return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
  }

  async passwordHash(id: number): Promise<string> {
    return (await this.db.one<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [id])).password_hash;
  }

  /** Operators: everyone. A merchant: the users who share one of the given tenants. */
  async list(opts: { tenantIds?: readonly string[] } = {}): Promise<User[]> {
    if (opts.tenantIds) {
      return (await this.db.query<UserRow>(`${SELECT} WHERE EXISTS (SELECT 1 FROM tenant_members m WHERE m.user_id = u.id AND m.tenant_id = ANY($1::text[])) ORDER BY u.email`, [opts.tenantIds])).map(toUser);
    }
    return (await this.db.query<UserRow>(`${SELECT} ORDER BY u.email`)).map(toUser);
  }

  async addMember(userId: number, tenantId: string): Promise<void> {
    await this.addMemberTx(this.db, userId, tenantId);
  }

  private async addMemberTx(q: Queryable, userId: number, tenantId: string): Promise<void> {
    const t = await q.maybeOne('SELECT 1 AS x FROM tenants WHERE id = $1', [tenantId]);
    if (!t) throw new NotFoundError(`tenant "${tenantId.slice(0, 63)}" not found`);
    await q.query('INSERT INTO tenant_members (user_id, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, tenantId]);
  }

  async setPassword(id: number, password: string, opts: { mustChange?: boolean } = {}): Promise<void> {
    assertPasswordAcceptable(password, 'newPassword');
    const hash = await hashPassword(password);
    await this.db.query('UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now() WHERE id = $1', [id, hash, opts.mustChange ?? false]);
  }

  async noteLogin(id: number): Promise<void> {
    await this.db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
  }
}
