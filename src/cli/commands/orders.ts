import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import { loadConfig } from '../../platform/config.ts';
import { apiClient } from '../api-client.ts';

interface OrderLine {
  orderId: string;
  state: string;
  reasonCode: string | null;
  reason: string | null;
  actionItem: string | null;
  total: string | null;
  currency: string | null;
  placedAt: string | null;
  customer: { name: string | null };
  document: { type: string; number: string | null; status: string | null; id: string | null } | null;
}

const ORDER_ID = /^\d{1,20}$/;

function checkOrderId(id: string): string {
  if (!ORDER_ID.test(id)) throw new ValidationError(`order id must be the Cel.ro order number (digits), got "${id.slice(0, 40)}"`);
  return id;
}

function row(o: OrderLine): string {
  const doc = o.document ? `${o.document.type} ${o.document.number ?? o.document.status ?? ''}`.trim() : '-';
  const why = o.reason ? `  ${o.reasonCode}: ${o.reason}` : o.actionItem ? `  action: ${o.actionItem}` : '';
  return `${o.orderId.padEnd(10)} ${o.state.padEnd(17)} ${`${o.total ?? '?'} ${o.currency ?? ''}`.padEnd(14)} ${doc.padEnd(24)} ${o.customer.name ?? ''}${why}`;
}

/**
 * `vortex orders list|show|replay|poll --tenant <id>`: the orders of a tenant through the running
 * Vortex's API (works beside the embedded database, which only the running process may open).
 */
export function registerOrdersCommand(program: Command): void {
  const orders = program.command('orders').description('Cel.ro orders and their lexoffice documents (through the running Vortex)');
  const common = (c: Command) => c.requiredOption('--tenant <id>', 'tenant id').option('--url <url>', 'base URL of the running Vortex (default http://127.0.0.1:$PORT)');

  common(orders.command('list').description('list orders, newest first'))
    .option('--state <state>', 'only this state (received, quarantined, needs_review, acknowledged, cancelled, …)')
    .option('--search <text>', 'order id, customer name or e-mail, document number')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { tenant: string; url?: string; state?: string; search?: string; limit: string; json?: boolean }) => {
      const api = apiClient(loadConfig(), opts.url);
      const q = new URLSearchParams({ limit: opts.limit, ...(opts.state ? { state: opts.state } : {}), ...(opts.search ? { q: opts.search } : {}) });
      const out = await api<{ orders: OrderLine[]; counts: Record<string, number> }>('GET', `/api/tenants/${encodeURIComponent(opts.tenant)}/orders?${q}`);
      if (opts.json) return console.log(JSON.stringify(out, null, 2));
      console.log(Object.entries(out.counts).map(([s, n]) => `${s} ${n}`).join(', ') || 'no orders yet');
      for (const o of out.orders) console.log(row(o));
    });

  common(orders.command('show <orderId>').description('one order: state, document, history and the API calls made for it'))
    .option('--json', 'print JSON')
    .action(async (orderId: string, opts: { tenant: string; url?: string; json?: boolean }) => {
      const api = apiClient(loadConfig(), opts.url);
      const o = await api<OrderLine & { history: Array<{ from_state: string | null; to_state: string | null; at: string; detail: unknown }>; apiCalls: Array<{ call: string; outcome: string; at: string }> }>(
        'GET',
        `/api/tenants/${encodeURIComponent(opts.tenant)}/orders/${checkOrderId(orderId)}`,
      );
      if (opts.json) return console.log(JSON.stringify(o, null, 2));
      console.log(row(o));
      console.log('history:');
      for (const h of o.history) console.log(`  ${h.at}  ${h.from_state ?? '·'} → ${h.to_state ?? '·'}  ${JSON.stringify(h.detail)}`);
      console.log('API calls:');
      for (const c of o.apiCalls) console.log(`  ${c.at}  ${c.call}  ${c.outcome}`);
    });

  common(orders.command('replay [orderId]').description('replay a quarantined order (or one that needs review) after fixing its cause; --reason replays all with that reason'))
    .option('--reason <reason>', 'unknown_sku | rule_error | missing_rate | lexoffice_refused | bad_payload | ambiguous_document')
    .action(async (orderId: string | undefined, opts: { tenant: string; url?: string; reason?: string }) => {
      if (!orderId === !opts.reason) throw new ValidationError('give either an order id or --reason <reason>');
      const api = apiClient(loadConfig(), opts.url);
      const tenant = encodeURIComponent(opts.tenant);
      if (orderId) {
        const r = await api<{ orderId: string; from: string; to: string }>('POST', `/api/tenants/${tenant}/orders/${checkOrderId(orderId)}/replay`);
        return console.log(`order ${r.orderId}: ${r.from} → ${r.to}; the import runs again`);
      }
      const r = await api<{ replayed: string[]; busy: string[] }>('POST', `/api/tenants/${tenant}/orders/replay?reason=${encodeURIComponent(opts.reason!)}`);
      console.log(`replayed ${r.replayed.length} order(s)${r.replayed.length ? `: ${r.replayed.join(', ')}` : ''}${r.busy.length ? `; busy, try again: ${r.busy.join(', ')}` : ''}`);
    });

  common(orders.command('poll').description('read new and changed orders from Cel.ro now (the heartbeat does it every few minutes)')).action(async (opts: { tenant: string; url?: string }) => {
    const api = apiClient(loadConfig(), opts.url);
    await api('POST', `/api/tenants/${encodeURIComponent(opts.tenant)}/orders/poll`);
    console.log('poll queued');
  });
}
