import type { FanCourierSim } from '../../sim/couriers/fancourier.ts';
import type { AppContext } from '../context.ts';
import { errorMessage } from '../core/errors.ts';
import { shipOrder } from '../fulfilment/ship-order.ts';
import { trackShipments } from '../fulfilment/track-shipments.ts';
import { fulfilmentDeps } from '../fulfilment/wiring.ts';
import type { Logger } from '../platform/logger.ts';

const STEPS = ['picked_up', 'in_transit', 'delivered'] as const;

/**
 * The demo's warehouse and courier (VORTEX_DEMO_ORDERS_EVERY_MINUTES): each tick, orders in lexoffice
 * get a FAN Courier AWB from the courier simulator, every parcel moves one step on (picked up, in
 * transit, delivered), and a tracking pass brings that to Cel.ro — so a demo order goes all the way:
 * invoice on Cel.ro, AWB, ready for delivery, finished, cash on delivery paid.
 */
export function fulfilmentRobot(ctx: Pick<AppContext, 'db' | 'box'>, fan: FanCourierSim, tenantId: string, log: Logger): () => Promise<void> {
  const reached = new Map<string, number>(); // AWB → index in STEPS it was moved to
  return async () => {
  try {
    const deps = await fulfilmentDeps(ctx, tenantId);
    const waiting = await ctx.db.query<{ channel_order_id: string }>(
      `SELECT o.channel_order_id FROM channel_orders o
       WHERE o.tenant_id = $1 AND o.state = 'acknowledged' AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.tenant_id = o.tenant_id AND s.channel_order_id = o.channel_order_id)
       ORDER BY o.id LIMIT 20`,
      [tenantId],
    );
    for (const o of waiting) {
      const s = await shipOrder(deps, tenantId, { orderId: o.channel_order_id, courier: 'fancourier', weightKg: '1' });
      log.info({ order: o.channel_order_id, awb: s.awb_number }, 'demo: parcel handed to FAN Courier');
    }
    for (const awb of fan.awbs.keys()) {
      const next = (reached.get(awb) ?? -1) + 1;
      if (next >= STEPS.length) continue;
      fan.advance(awb, STEPS[next]!);
      reached.set(awb, next);
    }
    await trackShipments(deps, tenantId);
  } catch (e) {
    log.warn({ err: errorMessage(e) }, 'demo: fulfilment tick failed; next tick tries again');
  }
  };
}
