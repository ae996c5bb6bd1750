import { ORDER_STATUSES, STATUS, celDateTime } from './data.ts';
import type { Rules, SimOrder, SimState } from './state.ts';

/** How the API (and the admin routes) show an order: the getOrders row and the getOrder detail. */
export interface OrderViews {
  orderSummary(o: SimOrder): Record<string, unknown>;
  orderDetail(o: SimOrder): Record<string, unknown>;
}

export function orderViews(state: SimState, rules: Rules): OrderViews {
  const orderSummary = (o: SimOrder): Record<string, unknown> => ({
    orders_id: o.id,
    id_comanda: o.id,
    date_purchased: celDateTime(o.placedAt),
    last_modified: celDateTime(o.lastChanged),
    orders_status: o.status,
    status_name: ORDER_STATUSES.find((s) => s.id === o.status)?.name ?? '',
    customers_name: o.customer.billing.firma || o.customer.name,
    mod_plata: o.payment,
    valoarecomanda: state.orderTotal(o).toFixed(2),
  });

  /**
   * `orders/getOrder`. Keys: the wiki page "Order data" (order level and the first line fields),
   * `products_model`/`products_quantity` from a live client, `products_price`/`tva`/
   * `deschidere_colet`/`status_livrare` from the line-edit example (research §5.2, §5.5).
   * `vouchers` is the simulator's assumption [U]. Value types are [U].
   */
  const orderDetail = (o: SimOrder): Record<string, unknown> => {
    const placed = celDateTime(o.placedAt);
    const finished = o.history.find((h) => h.status === STATUS.FINISHED);
    const line = (l: { lineId: number; model: string; name: string; quantity: number; unitPrice: string; vat: string }): Record<string, unknown> => ({
      id_prod_com: l.lineId,
      id_comanda: o.id,
      products_model: l.model,
      product_name: l.name,
      furnizor: state.account.fullName,
      disp_furnizor: 1,
      data_rezervarii: placed,
      data_comenzii: placed,
      cantitate: l.quantity,
      products_quantity: l.quantity,
      products_price: l.unitPrice,
      tva: l.vat,
      disponibilitate: 'In stoc',
      observatii: '',
      data_sosirii: placed,
      sosit: 1,
      deschidere_colet: 0,
      status_livrare: 0,
    });
    return {
      id_comanda: o.id,
      data: placed.slice(0, 10),
      ora: placed.slice(11),
      data_livrare: finished ? celDateTime(finished.at).slice(0, 10) : '',
      mod_plata: o.payment,
      observatii_cmd: o.notes,
      valoarecomanda: state.orderTotal(o).toFixed(2),
      nume_firma: o.customer.billing.firma || o.customer.name,
      billing_info: o.customer.billing,
      delivery_info: { ...o.customer.delivery, persoana_contact: o.customer.name },
      avans_confirmat: o.paid,
      platit: o.paid,
      status: { id: o.status, name: ORDER_STATUSES.find((s) => s.id === o.status)?.name ?? '' },
      mod_livrare: 'Curier',
      colete: 1,
      kg: 1,
      sambata: 0,
      id_adresa_afiliat: 1,
      source: 'cel.ro',
      customers: { name: o.customer.name, customer_company: o.customer.billing.firma },
      vouchers: o.vouchers,
      products: [
        ...o.lines.map(line),
        line({ lineId: 0, model: 'taxa_transport', name: 'Taxa transport', quantity: 1, unitPrice: o.shipping, vat: rules.vatPercent }),
      ],
    };
  };
  return { orderSummary, orderDetail };
}
