import type { AppContext } from '../context.ts';
import { celroClientFor } from '../sync/clients.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { courierFor } from './couriers.ts';
import type { Courier, OrderChannel } from './ports.ts';
import type { CourierCode } from './ship-order.ts';

/** A tenant's fulfilment dependencies from its connections: Cel.ro, and its couriers when asked for. */
export async function fulfilmentDeps(ctx: Pick<AppContext, 'db' | 'box'>, tenantId: string): Promise<{ db: AppContext['db']; channel: OrderChannel; courier: (code: Exclude<CourierCode, 'manual'>) => Promise<Courier> }> {
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const channel = celroClientFor(ctx, await tenants.getConnection(tenantId, 'celro'));
  const couriers = new Map<string, Promise<Courier>>();
  return {
    db: ctx.db,
    channel,
    courier: (code) => {
      if (!couriers.has(code)) couriers.set(code, courierFor(tenants, tenantId, code));
      return couriers.get(code)!;
    },
  };
}
