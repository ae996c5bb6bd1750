import type { StatusMeaning } from '../connectors/celro/orders.ts';
import { orderLineInput } from '../mapping/inputs.ts';
import type { PreviewItem } from '../mapping/preview.ts';
import type { Queryable } from '../store/db.ts';
import { canonicalOrder } from './map-order.ts';

/**
 * The lines of the tenant's latest stored orders as preview items (key `orderId/line`), so an order rule
 * set can be previewed like a catalog one. Orders whose payload cannot be read are left out (they are
 * quarantined as bad_payload anyway).
 */
export async function loadOrderLineItems(q: Queryable, tenantId: string, opts: { orders: number; date?: string }): Promise<PreviewItem[]> {
  const rows = await q.query<{ channel_order_id: string; raw: unknown; channel_meaning: string | null; customer_email: string | null }>(
    'SELECT channel_order_id, raw, channel_meaning, customer_email FROM channel_orders WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2',
    [tenantId, opts.orders],
  );
  const items: PreviewItem[] = [];
  for (const r of rows) {
    let order;
    try {
      ({ order } = canonicalOrder(r.raw, r.channel_order_id, (r.channel_meaning ?? 'unknown') as StatusMeaning, r.customer_email));
    } catch {
      continue;
    }
    order.lines.forEach((l, i) => items.push({ key: `${r.channel_order_id}/${i + 1}`, input: orderLineInput(order, l, opts.date) }));
  }
  return items;
}
