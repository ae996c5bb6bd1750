import type { AppContext } from '../context.ts';
import { apiModule } from './api/index.ts';
import { metricsModule } from './metrics.ts';
import { docsModule } from './openapi.ts';
import { panelModule } from './panel.ts';
import type { RouteModule } from './server.ts';
import { celroWebhookRoutes } from './webhooks/celro.routes.ts';
import { lexofficeWebhookRoutes } from './webhooks/lexoffice.routes.ts';
import { paymentWebhookRoutes } from './webhooks/payments.routes.ts';

/**
 * Every route module the web server runs, in one list: `vortex start`/`web` and the tests that walk all
 * routes (bad input, unknown tenants) build from it, so a new module is covered without being listed twice.
 */
export function webModules(ctx: AppContext): RouteModule[] {
  return [docsModule(), apiModule(ctx), lexofficeWebhookRoutes(ctx), celroWebhookRoutes(ctx), paymentWebhookRoutes(ctx), metricsModule(ctx), panelModule()];
}
