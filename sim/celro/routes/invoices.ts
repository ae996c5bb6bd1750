import { celDateTime } from '../data.ts';
import { int, type RouteContext, type Routes } from './context.ts';

// Invoices: the PDF upload (multipart), list, delete and the deprecated removeInvoice.

export function invoiceRoutes(ctx: RouteContext): Routes {
  const { state } = ctx;
  return {
    'orders/addOrderInvoice': (f, files) => {
      const oid = int(f, 'oid');
      const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
      state.addInvoice(oid, str('series'), str('number'), str('providerId'), files.get('file'));
      return 'Factura a fost incarcata';
    },
    'orders/getOrderInvoices': (f) => {
      const id = int(f, 'orders_id');
      state.getOrder(id);
      return state.invoices.filter((i) => i.ordersId === id).map((i) => ({ series: i.series, number: i.number, providerId: i.providerId, size: i.size, date_added: celDateTime(i.at) }));
    },


    'orders/deleteOrderInvoice': (f) => {
      const id = int(f, 'orders_id');
      const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
      state.deleteInvoice(id, str('series'), str('number'));
      return 'Factura a fost stearsa';
    },
    // Deprecated predecessor of deleteOrderInvoice: only `orders_id`, same answer.
    'orders/removeInvoice': (f) => {
      state.removeInvoices(int(f, 'orders_id'));
      return 'Factura a fost stearsa';
    },

  };
}
