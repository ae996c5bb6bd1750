import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { tenantIdSchema } from '../../tenants/tenants.ts';
import { ValidationError } from '../../core/errors.ts';
import fastifyCookie from '@fastify/cookie';
import { readLocalToken } from '../../auth/local-token.ts';
import { SessionStore } from '../../auth/sessions.ts';
import { UserRepository } from '../../auth/users-repo.ts';
import { apiAuthentication, apiAuthorization, requestActor } from '../auth.ts';
import { authRoutes } from './auth.routes.ts';
import { userRoutes } from './users.routes.ts';
import { unstorableInput } from '../input-guard.ts';
import { documentationOnly } from '../openapi.ts';
import { alertRoutes } from './alerts.routes.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { offerRoutes } from './offers.routes.ts';
import { orderRoutes } from './orders.routes.ts';
import { paymentRoutes } from './payments.routes.ts';
import { ruleRoutes } from './rules.routes.ts';
import { shipmentRoutes } from './shipments.routes.ts';
import { stockRoutes } from './stock.routes.ts';
import { syncRoutes } from './sync.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';

/** The REST API under /api: panel sessions (with CSRF) or the machine token; loopback only until a user exists. */
export function apiModule(ctx: AppContext) {
  const actor = requestActor;
  const users = new UserRepository(ctx.db);
  const sessions = new SessionStore(ctx.db, { idleMinutes: ctx.config.sessions.idleMinutes, absoluteHours: ctx.config.sessions.absoluteHours });
  const localToken = ctx.config.apiToken ? undefined : readLocalToken(ctx.config.store.dataDir);
  const tokens = [ctx.config.apiToken, localToken].filter((t): t is string => t !== undefined);
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (api) => {
        documentationOnly(api); // route schemas describe (OpenAPI); the handlers' zod checks validate
        await api.register(fastifyCookie);
        api.addHook('onRequest', apiAuthentication({ configuredToken: ctx.config.apiToken, tokens, sessions, users }));
        // Before any route's own schema: what the database could not store is refused here, by path.
        api.addHook('preValidation', async (req) => {
          const issues = [...unstorableInput(req.params, 'params'), ...unstorableInput(req.query, 'query'), ...unstorableInput(req.body, 'body')];
          if (issues.length) throw new ValidationError(`invalid input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
        });
        // A merchant reaches only their own tenants and the routes listed for merchants — new routes too.
        api.addHook('preHandler', apiAuthorization());
        // Every route under /tenants/:id answers 404 for a tenant that does not exist — new routes too.
        api.addHook('preHandler', async (req, reply) => {
          if (!req.routeOptions.url?.includes('/tenants/:id')) return;
          const id = (req.params as { id?: string }).id ?? '';
          const known = tenantIdSchema.safeParse(id).success && (await ctx.db.maybeOne('SELECT 1 AS x FROM tenants WHERE id = $1', [id]));
          if (!known) await reply.code(404).send({ error: { code: 'not_found', message: `tenant "${id.slice(0, 63)}" not found` } });
        });
        await api.register(authRoutes(ctx, { sessions, users }));
        await api.register(userRoutes(ctx, users, actor));
        await api.register(tenantRoutes(ctx, actor, users));
        await api.register(stockRoutes(ctx, actor));
        await api.register(syncRoutes(ctx));
        await api.register(offerRoutes(ctx, actor));
        await api.register(paymentRoutes(ctx));
        await api.register(shipmentRoutes(ctx));
        await api.register(orderRoutes(ctx, actor));
        await api.register(ruleRoutes(ctx, actor));
        await api.register(dashboardRoutes(ctx));
        await api.register(alertRoutes(ctx));
      },
      { prefix: '/api' },
    );
  };
}
