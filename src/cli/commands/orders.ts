import { readFile } from 'node:fs/promises';
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

  common(orders.command('awb <orderId>').description('give an order its AWB: from a courier (fancourier, sameday) or registered by hand (manual --awb N --courier-name NAME)'))
    .requiredOption('--courier <code>', 'fancourier | sameday | manual')
    .option('--awb <number>', 'the AWB number (manual)')
    .option('--courier-name <name>', 'the courier as Cel.ro names it, e.g. Cargus (manual)')
    .option('--weight <kg>', 'parcel weight in kg, e.g. 1.5')
    .action(async (orderId: string, opts: { tenant: string; url?: string; courier: string; awb?: string; courierName?: string; weight?: string }) => {
      const api = apiClient(loadConfig(), opts.url);
      const body = { orderId: checkOrderId(orderId), courier: opts.courier, ...(opts.awb ? { awbNumber: opts.awb } : {}), ...(opts.courierName ? { courierName: opts.courierName } : {}), ...(opts.weight ? { weightKg: opts.weight } : {}) };
      const s = await api<{ awb_number: string; courier_name: string; cel_registered: boolean; last_error: string | null }>('POST', `/api/tenants/${encodeURIComponent(opts.tenant)}/shipments`, body);
      console.log(`order ${orderId}: AWB ${s.awb_number} (${s.courier_name})${s.cel_registered ? ', sent to Cel.ro' : `, not on Cel.ro yet: ${s.last_error ?? 'retried by the tracking pass'}`}`);
    });

  common(orders.command('awb-import <file>').description('register AWBs made elsewhere from a CSV file with the columns order,courier,awb'))
    .action(async (file: string, opts: { tenant: string; url?: string }) => {
      const text = await readFile(file, 'utf8');
      const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
      const header = (lines[0] ?? '').toLowerCase().split(/[,;]/).map((c) => c.trim());
      const [o, c, a] = ['order', 'courier', 'awb'].map((n) => header.indexOf(n)) as [number, number, number];
      if (o < 0 || c < 0 || a < 0) throw new ValidationError(`${file}: the header must name order, courier and awb; found: ${header.join(', ')}`);
      const rows = lines.slice(1).map((l) => {
        const f = l.split(/[,;]/).map((x) => x.trim());
        return { order: f[o] ?? '', courier: f[c] ?? '', awb: f[a] ?? '' };
      });
      const api = apiClient(loadConfig(), opts.url);
      const r = await api<{ registered: number; results: Array<{ line: number; ok: boolean; error?: string }> }>('POST', `/api/tenants/${encodeURIComponent(opts.tenant)}/shipments/import`, rows);
      const failed = r.results.filter((x) => !x.ok);
      // The API numbers the rows it was sent from 1; in the file they start on line 2, after the header.
      console.log(`registered ${r.registered} AWB(s)${failed.length ? `; failed: ${failed.map((f) => `line ${f.line + 1}: ${f.error ?? 'refused'}`).join('; ')}` : ''}`);
      if (failed.length) process.exitCode = 2;
    });

  common(orders.command('invoice <orderId>').description('upload the invoice PDF of an order invoiced outside lexoffice (--file --series --number), or --retry the attachment'))
    .option('--file <pdf>', 'the invoice PDF')
    .option('--series <series>', 'invoice series, e.g. FCT')
    .option('--number <number>', 'invoice number')
    .option('--retry', 'attach again now (after fixing what the order says)')
    .action(async (orderId: string, opts: { tenant: string; url?: string; file?: string; series?: string; number?: string; retry?: boolean }) => {
      const api = apiClient(loadConfig(), opts.url);
      const path = `/api/tenants/${encodeURIComponent(opts.tenant)}/orders/${checkOrderId(orderId)}/invoice`;
      if (opts.retry) {
        await api('POST', `${path}/retry`);
        return console.log(`order ${orderId}: invoice attachment queued`);
      }
      if (!opts.file || !opts.series || !opts.number) throw new ValidationError('give --file, --series and --number (or --retry)');
      const pdf = await readFile(opts.file);
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new ValidationError(`${opts.file} is not a PDF (no %PDF- header)`);
      await api('PUT', path, { series: opts.series, number: opts.number, pdfBase64: pdf.toString('base64') });
      console.log(`order ${orderId}: invoice ${opts.series} ${opts.number} uploaded (${pdf.length} bytes); it goes onto the Cel.ro order`);
    });

  common(orders.command('poll').description('read new and changed orders from Cel.ro now (the heartbeat does it every few minutes)')).action(async (opts: { tenant: string; url?: string }) => {
    const api = apiClient(loadConfig(), opts.url);
    await api('POST', `/api/tenants/${encodeURIComponent(opts.tenant)}/orders/poll`);
    console.log('poll queued');
  });
}
