import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { PASSWORD_MAX_LENGTH } from '../../auth/passwords.ts';
import { isOperator } from '../../auth/principal.ts';
import { emailSchema, ROLES, UserRepository } from '../../auth/users-repo.ts';
import { TenantRepository, tenantIdSchema } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';
import { docsFor } from '../openapi.ts';
import { userView } from './auth.routes.ts';

const newUserBody = z
  .object({
    email: emailSchema,
    role: z.enum(ROLES),
    password: z.string().max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`),
    tenants: z.array(tenantIdSchema).max(1000).default([]),
  })
  .strict();

const doc = docsFor('users');
const schemas = {
  list: doc({ summary: 'Users: all of them for an operator, the people of their tenants for a merchant', response: z.object({ users: z.array(userView) }) }),
  create: doc({ summary: 'Create a user (operators only); the password is to be changed at the first login', body: newUserBody, status: 201, response: userView }),
  members: doc({ summary: 'The members of a tenant', response: z.object({ users: z.array(userView) }) }),
};

/** Panel users: operators manage them; a merchant sees the people of their own tenants. */
export function userRoutes(ctx: AppContext, users: UserRepository, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);

    app.get('/users', { schema: schemas.list }, async (req) => {
      const p = req.principal!;
      return { users: await users.list(isOperator(p) ? {} : { tenantIds: p.kind === 'user' ? p.user.tenants : [] }) };
    });

    // Operators only (not in the merchant route list): the password is set by the operator, who hands it over.
    app.post('/users', { schema: schemas.create }, async (req, reply) => {
      const body = parseInput(newUserBody, req.body, 'user');
      const user = await users.create({ email: body.email, role: body.role, password: body.password, tenants: body.tenants, mustChangePassword: true }, actor(req));
      await tenants.audit(null, actor(req), 'user.created', user.email, { role: user.role, tenants: user.tenants });
      for (const t of user.tenants) await tenants.audit(t, actor(req), 'user.added', user.email, { role: user.role });
      return reply.code(201).send(user);
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/users', { schema: schemas.members }, async (req) => ({ users: await users.list({ tenantIds: [req.params.id] }) }));
  };
}
