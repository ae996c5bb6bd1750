import type { FastifyInstance } from 'fastify';
import { registerArticles } from './articles.ts';
import type { ApiCtx } from './common.ts';
import { registerContacts } from './contacts.ts';
import { registerEventSubscriptions } from './event-subscriptions.ts';
import { registerMasterData } from './master-data.ts';
import { registerPayments } from './payments.ts';
import { registerVoucherlist } from './voucherlist.ts';
import { registerSalesVouchers } from './vouchers.ts';

// The lexoffice public API as the simulator serves it: one file per resource group.
export type { ApiCtx, Behaviour } from './common.ts';
export { validateArticle } from './articles.ts';

export function registerApi(app: FastifyInstance, ctx: ApiCtx): void {
  registerMasterData(app, ctx);
  registerArticles(app, ctx);
  registerContacts(app, ctx);
  registerSalesVouchers(app, ctx);
  registerVoucherlist(app, ctx);
  registerPayments(app, ctx);
  registerEventSubscriptions(app, ctx);
}
