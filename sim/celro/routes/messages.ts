import { celDateTime } from '../data.ts';
import { SimError } from '../state.ts';
import { int, type RouteContext, type Routes } from './context.ts';

// Messages: e-mail to the customer of an order and the conversation on it.

export function messageRoutes(ctx: RouteContext): Routes {
  const { state } = ctx;
  return {
    'email/sendOrderCustomEmail': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      const subject = typeof f.subject === 'string' ? f.subject.trim() : '';
      const body = typeof f.body === 'string' ? f.body.trim() : '';
      if (!subject || !body) throw new SimError('Specificati un subiect si un continut valid');
      state.messages.push({ id: state.messages.length + 1, ordersId: o.id, subject, body, from: 'seller', at: new Date() });
      return 'Email-ul a fost trimis';
    },
    'email/getClientEmailsForOrder': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      return state.messages
        .filter((m) => m.ordersId === o.id)
        .map((m) => ({ id: m.id, cmd: m.ordersId, subject: m.subject, body: m.body, from: m.from, date: celDateTime(m.at) }));
    },
    'email/getUnansweredOrderContact': () => state.messages.filter((m) => m.from === 'client').length,
  };
}
