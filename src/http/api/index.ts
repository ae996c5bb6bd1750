import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { apiAuth } from '../auth.ts';
import { offerRoutes } from './offers.routes.ts';
import { stockRoutes } from './stock.routes.ts';
import { syncRoutes } from './sync.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';

/** The REST API under /api, behind the API token (or loopback-only without one). */
export function apiModule(ctx: AppContext) {
  const actor = (req: { ip: string }) => `api:${req.ip}`;
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(
      async (api) => {
        api.addHook('onRequest', apiAuth(ctx.config.apiToken));
        await api.register(tenantRoutes(ctx, actor));
        await api.register(stockRoutes(ctx, actor));
        await api.register(syncRoutes(ctx));
        await api.register(offerRoutes(ctx, actor));
      },
      { prefix: '/api' },
    );
  };
}
