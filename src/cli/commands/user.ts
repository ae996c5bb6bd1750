import type { Command } from 'commander';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { ROLES, UserRepository, type Role } from '../../auth/users-repo.ts';
import { SessionStore } from '../../auth/sessions.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { cliActor, withStore } from '../context.ts';

const ACTOR = cliActor();
const collect = (v: string, prev: string[]): string[] => [...prev, v];

function passwordFromEnv(): string {
  const p = process.env.VORTEX_PASSWORD;
  if (!p) throw new ValidationError('set VORTEX_PASSWORD to the new user’s password (never a flag: it would stay in the shell history and the process list)', [{ path: 'VORTEX_PASSWORD', message: 'required' }]);
  return p;
}

/** `vortex user …`: panel users (operators, merchants) — the first one closes the API to unauthenticated callers. */
export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('panel users: operators (all tenants) and merchants (their tenants)');

  user
    .command('add <email>')
    .description('create a user; the password comes from VORTEX_PASSWORD')
    .requiredOption('--role <role>', ROLES.join(' or '))
    .option('--tenant <id>', 'tenant a merchant belongs to (repeatable)', collect, [])
    .action(async (email: string, opts: { role: string; tenant: string[] }) => {
      if (!(ROLES as readonly string[]).includes(opts.role)) throw new ValidationError(`--role must be ${ROLES.join(' or ')}, got "${opts.role.slice(0, 40)}"`, [{ path: '--role', message: 'unknown role' }]);
      if (opts.role === 'merchant' && opts.tenant.length === 0) throw new ValidationError('a merchant needs at least one --tenant <id>', [{ path: '--tenant', message: 'required for merchants' }]);
      const password = passwordFromEnv();
      await withStore(async ({ db, box }) => {
        const created = await new UserRepository(db).create({ email, password, role: opts.role as Role, tenants: opts.tenant }, ACTOR);
        const tenants = new TenantRepository(db, box);
        await tenants.audit(null, ACTOR, 'user.created', created.email, { role: created.role, tenants: created.tenants });
        for (const t of created.tenants) await tenants.audit(t, ACTOR, 'user.added', created.email, { role: created.role });
        console.log(`user ${created.email} (${created.role}${created.tenants.length ? ` of ${created.tenants.join(', ')}` : ''}) created; the API now needs a session or the API token`);
      });
    });

  user
    .command('list')
    .description('every user with role, tenants and last login (never the password)')
    .action(async () => {
      await withStore(async ({ db }) => {
        const list = await new UserRepository(db).list();
        if (list.length === 0) console.log('no users yet: vortex user add <email> --role operator (password in VORTEX_PASSWORD)');
        for (const u of list) console.log(`${u.email}\t${u.role}\t${u.tenants.join(',') || '-'}\t${u.lastLoginAt?.toISOString() ?? 'never logged in'}${u.disabled ? '\tdisabled' : ''}`);
      });
    });

  user
    .command('password <email>')
    .description('set a new password (from VORTEX_PASSWORD) and end all of the user’s sessions')
    .action(async (email: string) => {
      const password = passwordFromEnv();
      await withStore(async ({ db, box }) => {
        const users = new UserRepository(db);
        const found = await users.findByEmail(email);
        if (!found) throw new NotFoundError(`no user ${email.slice(0, 254)}`);
        await users.setPassword(found.id, password, { mustChange: true });
        const ended = await new SessionStore(db).endAllFor(found.id);
        await new TenantRepository(db, box).audit(null, ACTOR, 'user.password-reset', found.email, { sessionsEnded: ended });
        console.log(`password of ${found.email} set; ${ended} session(s) ended`);
      });
    });
}
