import type { AppContext } from '../context.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import { StockLedger } from '../stock/ledger.ts';
import { celroClientFor, lexofficeClientFor } from '../sync/clients.ts';
import { WORKER_ID } from '../sync/run-log.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import type { ImportDeps } from './import-order.ts';
import { orderDocumentSettingsSchema, orderIntakeSettingsSchema } from './settings.ts';

/** A tenant's order-import dependencies, built from its two connections (clients, settings). */
export async function orderDeps(ctx: Pick<AppContext, 'db' | 'box' | 'log'>, engine: MappingEngine, tenantId: string, signal?: AbortSignal): Promise<ImportDeps> {
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const lex = await tenants.getConnection(tenantId, 'lexoffice');
  const cel = await tenants.getConnection(tenantId, 'celro');
  const books = lexofficeClientFor(ctx, lex);
  return {
    db: ctx.db,
    engine,
    ledger: new StockLedger(ctx.db),
    books,
    channel: celroClientFor(ctx, cel),
    documents: orderDocumentSettingsSchema.parse(lex.settings ?? {}),
    intake: orderIntakeSettingsSchema.parse(cel.settings ?? {}),
    worker: WORKER_ID,
    log: ctx.log.child({ component: 'orders', tenantId }),
    ...(signal ? { signal } : {}),
  };
}
