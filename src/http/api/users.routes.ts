import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords.ts';
import { isOperator } from '../../auth/principal.ts';
import { emailSchema, ROLES, UserRepository } from '../../auth/users-repo.ts';
import { TenantRepository, tenantIdSchema } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';

const newUserBody = z
  .object({
    email: emailSchema,
    role: z.enum(ROLES),
    password: z.string().max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
    tenants: z.array(tenantIdSchema).max(1000).default([]),
  })
  .strict();

/** Panel users: operators manage them; a merchant sees the people of their own tenants. */
export function userRoutes(ctx: AppContext, users: UserRepository, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);

    app.get('/users', async (req) => {
      const p = req.principal!;
      return { users: await users.list(isOperator(p) ? {} : { tenantIds: p.kind === 'user' ? p.user.tenants : [] }) };
    });

    // Operators only (not in the merchant route list): the password is set by the operator, who hands it over.
    app.post('/users', async (req, reply) => {
      const body = parseInput(newUserBody, req.body, 'user');
      const user = await users.create({ email: body.email, role: body.role, password: body.password, tenants: body.tenants, mustChangePassword: true }, actor(req));
      await tenants.audit(null, actor(req), 'user.created', user.email, { role: user.role, tenants: user.tenants });
      for (const t of user.tenants) await tenants.audit(t, actor(req), 'user.added', user.email, { role: user.role });
      return reply.code(201).send(user);
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/users', async (req) => ({ users: await users.list({ tenantIds: [req.params.id] }) }));
  };
}
