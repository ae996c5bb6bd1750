import { CANCEL_REASONS, ORDER_STATUSES, PAYMENT_METHODS, PRODUCT_STATUSES } from '../data.ts';
import { phpArray } from '../http.ts';
import { decodeOrderFilters, queryOrders } from '../orders-query.ts';
import { SimError } from '../state.ts';
import { int, page, paginate, type RouteContext, type Routes } from './context.ts';

// Orders: dictionaries, getOrders/getOrder, confirm, cancel, ready, finish, observations, payment, e-mail.

export function orderRoutes(ctx: RouteContext): Routes {
  const { state, config, rules } = ctx;
  const { orderSummary, orderDetail } = ctx.views;
  return {
    'orders/getOrderStatusList': () => ORDER_STATUSES.map((s) => ({ id: s.id, status: s.name })),
    'orders/ListStatuses': () => Object.fromEntries(ORDER_STATUSES.map((s) => [String(s.id), s.name])),
    'orders/listCancellingStatuses': () => CANCEL_REASONS,
    'orders/GetPaymentMethods': () => PAYMENT_METHODS,

    'orders/getOrders': (f) => {
      const { start, limit } = page(f);
      const filters = decodeOrderFilters(f);
      const list = queryOrders(state.orders.values(), state.invoices, filters, {
        minOrderInclusive: config.minOrderInclusive,
        minOrderSort: config.minOrderSort,
        timeZone: rules.timeZone,
      });
      if (filters.group_by_status === false || filters.group_by_status === 'false' || filters.group_by_status === 0 || filters.group_by_status === '0') {
        const pg = paginate(list, start, limit);
        return { limit: pg.limit, start: pg.start, moreavailable: pg.moreavailable, list: pg.items.map(orderSummary) };
      }
      const grouped: Record<string, unknown> = {};
      for (const s of ORDER_STATUSES) {
        const xs = list.filter((o) => o.status === s.id);
        if (!xs.length) continue;
        const pg = paginate(xs, start, limit);
        grouped[String(s.id)] = { limit: pg.limit, start: pg.start, moreavailable: pg.moreavailable, list: pg.items.map(orderSummary) };
      }
      return phpArray(grouped);
    },
    'orders/getOrder': (f) => orderDetail(state.getOrder(int(f, 'order'))),
    'orders/confirmOrder': (f) => {
      state.transition(int(f, 'order'), 'confirm');
      return 'Comanda a fost confirmata';
    },
    'orders/cancelOrder': (f) => {
      const id = int(f, 'order');
      const motiv = typeof f.motiv === 'string' && f.motiv !== '' && f.motiv !== '0' ? Number(f.motiv) : undefined;
      const obs = typeof f.observatii === 'string' ? f.observatii.trim() : '';
      if (motiv !== undefined && !CANCEL_REASONS.some((r) => r.id === motiv)) throw new SimError(`Motivul de anulare ${motiv} nu exista`);
      if (motiv === undefined && obs.length <= 4) throw new SimError('Specificati un motiv de anulare sau observatii (minim 5 caractere)');
      state.transition(id, 'cancel', { ...(motiv === undefined ? {} : { motiv }), ...(obs ? { observatii: obs } : {}) });
      return 'Comanda a fost anulata';
    },
    'orders/SetReadyForDelivery': (f) => {
      state.transition(int(f, 'orders_id'), 'ready');
      return 'Comanda a fost marcata ca pregatita pentru livrare';
    },
    'orders/finishOrder': (f) => {
      state.transition(int(f, 'orders_id'), 'finish');
      return 'Comanda a fost finalizata';
    },

    /** `cmd`. [U] Shape: {orders_id, platit 0|1, mod_plata}; `platit` is what getOrder shows (card: paid, COD: not). */
    'orders/checkPaymentForOrder': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      return { orders_id: o.id, platit: o.paid, mod_plata: o.payment };
    },
    'orders/addOrderObservations': (f) => {
      const id = int(f, 'orders_id');
      if (typeof f.observations !== 'string') throw new SimError('Parametrul observations lipseste sau este invalid');
      state.addObservations(id, f.observations);
      return 'Observatiile au fost adaugate';
    },

    'orders/ListProductStatuses': () => Object.fromEntries(PRODUCT_STATUSES.map((s) => [String(s.id), s.name])),
    'orders/getOrderEmail': (f) => state.getOrder(int(f, 'oid')).customer.email,
  };
}
