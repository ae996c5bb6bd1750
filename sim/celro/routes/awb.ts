import { STATUS, celDateTime } from '../data.ts';
import { SimError } from '../state.ts';
import { int, type RouteContext, type Routes } from './context.ts';

// AWBs: register one made elsewhere (generateAwb manual=1), list them, the legacy status call.

export function awbRoutes(ctx: RouteContext): Routes {
  const { state } = ctx;
  return {
    'orders/generateAwb': (f) => {
      if (f.manual !== '1') throw new SimError('Generarea AWB prin conturile de curier CEL nu este disponibila in simulator; trimiteti manual=1');
      const awbNumber = typeof f.awb_number === 'string' ? f.awb_number.trim() : '';
      const awb = state.registerAwb(int(f, 'orders_id'), int(f, 'courier_id'), awbNumber);
      return { awb_id: awb.awbId, awb_number: awb.awbNumber, courier: awb.courierName };
    },
    'orders/getOrderAwbs': (f) => {
      const id = int(f, 'orders_id');
      state.getOrder(id);
      return state.awbs.filter((a) => a.ordersId === id).map((a) => ({ awb_id: a.awbId, awb_number: a.awbNumber, courier_id: a.courierId, courier: a.courierName, date_added: celDateTime(a.at) }));
    },
    /**
     * Legacy AWB status (`cmd`). [U] Shape: the order's AWBs as getOrderAwbs lists them plus
     * `status_id`/`status`. The sim has no courier tracking, so the status follows the order:
     * registered until ready, in transit while ready, delivered once finished, returned if cancelled.
     */
    'orders/statusAwb': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      const awbs = state.awbs.filter((a) => a.ordersId === o.id);
      if (awbs.length === 0) throw new SimError(`Comanda ${o.id} nu are AWB`);
      const [statusId, status] =
        o.status === STATUS.FINISHED ? [3, 'Livrat'] : o.status === STATUS.READY ? [2, 'In tranzit'] : o.status === STATUS.CANCELLED || o.status === STATUS.REVERSED ? [4, 'Returnat la expeditor'] : [1, 'AWB inregistrat'];
      return awbs.map((a) => ({ awb_id: a.awbId, awb_number: a.awbNumber, courier_id: a.courierId, courier: a.courierName, status_id: statusId, status, date_added: celDateTime(a.at) }));
    },
  };
}
