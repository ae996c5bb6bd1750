import { CelroApiError } from '../connectors/celro/errors.ts';
import type { LexofficeClient } from '../connectors/lexoffice/client.ts';
import { errorMessage, isVortexError, ValidationError } from '../core/errors.ts';
import type { OrderRow } from '../orders/orders-repo.ts';
import type { Db } from '../store/db.ts';
import type { CelroClient } from '../connectors/celro/client.ts';
import { splitVoucherNumber } from './invoice-number.ts';

/** Where the invoice PDF comes from (port): lexoffice's own document, or a PDF uploaded by hand. */
export type InvoiceFetch =
  | { readonly kind: 'ready'; readonly series: string; readonly number: string; readonly pdf: Uint8Array; readonly source: string }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'not_applicable'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export interface InvoiceSource {
  readonly name: string;
  fetch(order: OrderRow): Promise<InvoiceFetch>;
}

export type InvoiceBooks = Pick<LexofficeClient, 'getInvoice' | 'downloadInvoicePdf' | 'renderInvoiceDocument' | 'downloadFile'>;
export type InvoiceChannel = Pick<CelroClient, 'addOrderInvoice' | 'getOrderInvoices' | 'deleteOrderInvoice'>;

/**
 * lexoffice as the invoice source: the order's invoice once it is finalized (a draft waits), its PDF
 * from `/file` (falling back to `/document` → `/v1/files/{id}`), series and number split from its
 * voucher number by the connection's pattern. Vortex never renders or numbers an invoice itself.
 */
export function lexofficeInvoiceSource(books: InvoiceBooks, pattern: string): InvoiceSource {
  return {
    name: 'lexoffice',
    async fetch(order) {
      if (order.document_type !== 'invoice' || !order.document_id) return { kind: 'not_applicable', reason: `the lexoffice document is ${order.document_type ?? 'missing'}, not an invoice` };
      const inv = await books.getInvoice(order.document_id);
      if (inv.voucherStatus === 'draft') return { kind: 'waiting', reason: `invoice is a draft in lexoffice: attached once it is finalized` };
      if (inv.voucherStatus === 'voided') return { kind: 'not_applicable', reason: 'the invoice was voided in lexoffice' };
      const split = splitVoucherNumber(inv.voucherNumber ?? '', pattern);
      if ('error' in split) return { kind: 'failed', reason: split.error };
      let pdf: Uint8Array;
      try {
        pdf = (await books.downloadInvoicePdf(order.document_id)).data;
      } catch (e) {
        // The documented fallback for an open invoice whose /file is not there (yet).
        if (!isVortexError(e) || !['not_found', 'conflict'].includes(e.code)) throw e;
        const file = await books.renderInvoiceDocument(order.document_id);
        pdf = (await books.downloadFile(file.documentFileId)).data;
      }
      return { kind: 'ready', ...split, pdf, source: 'lexoffice' };
    },
  };
}

/** PDFs uploaded by hand (`PUT /api/tenants/:id/orders/:orderId/invoice`), for merchants who invoice elsewhere. */
export function manualInvoiceSource(db: Db): InvoiceSource {
  return {
    name: 'manual',
    async fetch(order) {
      const f = await db.maybeOne<{ series: string; number: string; pdf: Uint8Array }>('SELECT series, number, pdf FROM order_invoice_files WHERE tenant_id = $1 AND channel_order_id = $2', [order.tenant_id, order.channel_order_id]);
      if (!f) return { kind: 'waiting', reason: 'no invoice PDF uploaded for this order yet (PUT …/orders/<id>/invoice)' };
      return { kind: 'ready', series: f.series, number: f.number, pdf: f.pdf, source: 'manual' };
    },
  };
}

export interface AttachDeps {
  readonly db: Db;
  readonly channel: InvoiceChannel;
  readonly source: InvoiceSource;
  readonly maxBytes: number;
}

const sameInvoice = (x: Record<string, unknown>, series: string, number: string): boolean => String(x.series ?? x.serie ?? '').trim() === series && String(x.number ?? x.nr_fact ?? '').trim() === number;

/**
 * Attach the order's invoice PDF to the Cel.ro order — once. Cel.ro is asked first whether it already
 * has this series and number (an upload whose answer was lost, a retry after a crash), so a retry never
 * uploads twice. A draft or a missing upload waits; a PDF over the size limit, a voucher number the
 * pattern cannot split and an upload Cel.ro refuses are `failed` with the reason: an action item, tried
 * again when the job runs after the fix. Never anything for a cancelled order.
 */
export async function attachInvoice(deps: AttachDeps, tenantId: string, channelOrderId: string): Promise<{ state: string; reason?: string }> {
  const order = await deps.db.maybeOne<OrderRow & { invoice_state: string; invoice_reason: string | null; invoice_series: string | null; invoice_number: string | null }>("SELECT * FROM channel_orders WHERE tenant_id = $1 AND channel = 'celro' AND channel_order_id = $2", [tenantId, channelOrderId]);
  if (!order) throw new ValidationError(`order ${channelOrderId} is not known to Vortex`, [{ path: 'orderId', message: 'unknown' }]);
  if (order.invoice_state === 'attached') return { state: 'attached', reason: 'already on the Cel.ro order' };
  const set = async (state: string, fields: Record<string, unknown>, note: Record<string, unknown>) => {
    const cols = Object.keys(fields);
    await deps.db.transaction(async (tx) => {
      await tx.query(`UPDATE channel_orders SET invoice_state = $2${cols.map((c, i) => `, ${c} = $${i + 3}`).join('')} WHERE id = $1`, [order.id, state, ...cols.map((c) => fields[c])]);
      await tx.query("INSERT INTO order_events (tenant_id, order_id, kind, detail) VALUES ($1, $2, 'note', $3::jsonb)", [tenantId, order.id, JSON.stringify({ invoice: state, ...note })]);
    });
    return { state, ...(typeof note.reason === 'string' ? { reason: note.reason } : {}) };
  };
  if (order.state === 'cancelled') return set('not_applicable', { invoice_reason: 'the order was cancelled' }, { reason: 'the order was cancelled' });
  if (order.state !== 'acknowledged' && deps.source.name === 'lexoffice') return { state: order.invoice_state }; // the import is not done yet

  const got = await deps.source.fetch(order);
  if (got.kind !== 'ready') {
    if (got.reason === order.invoice_reason && got.kind === order.invoice_state) return { state: got.kind, reason: got.reason };
    return set(got.kind, { invoice_reason: got.reason, invoice_source: deps.source.name }, { reason: got.reason });
  }
  if (got.pdf.length > deps.maxBytes) {
    const reason = `the invoice PDF is ${(got.pdf.length / 1e6).toFixed(1)} MB, over Cel.ro's limit of ${(deps.maxBytes / 1e6).toFixed(1)} MB (setting invoiceMaxBytes): make it smaller in lexoffice (fewer images), then retry`;
    return set('failed', { invoice_reason: reason, invoice_source: got.source, invoice_series: got.series, invoice_number: got.number, invoice_bytes: got.pdf.length }, { reason });
  }
  const onCel = await deps.channel.getOrderInvoices(channelOrderId);
  // A replacement (a corrected PDF under another series/number): the one attached before goes first.
  const previous = order.invoice_series && order.invoice_number && !(order.invoice_series === got.series && order.invoice_number === got.number) ? { series: order.invoice_series, number: order.invoice_number } : null;
  if (previous && onCel.some((x) => sameInvoice(x, previous.series, previous.number))) {
    await deps.channel.deleteOrderInvoice(channelOrderId, previous.series, previous.number);
    await deps.db.query("INSERT INTO order_events (tenant_id, order_id, kind, detail) VALUES ($1, $2, 'note', $3::jsonb)", [tenantId, order.id, JSON.stringify({ invoice: 'replaced', removed: previous })]);
  }
  const already = onCel.some((x) => sameInvoice(x, got.series, got.number));
  if (!already) {
    await deps.db.query('UPDATE channel_orders SET invoice_attempted_at = now() WHERE id = $1', [order.id]);
    try {
      await deps.channel.addOrderInvoice({ orderId: channelOrderId, series: got.series, number: got.number, pdf: got.pdf });
    } catch (e) {
      const duplicate = e instanceof CelroApiError && /deja incarcat|already/i.test(String(e.celroMessage));
      if (!duplicate && (e instanceof CelroApiError || e instanceof ValidationError)) {
        const reason = `Cel.ro refused the invoice ${got.series} ${got.number}: ${errorMessage(e)}`;
        return set('failed', { invoice_reason: reason, invoice_source: got.source, invoice_series: got.series, invoice_number: got.number, invoice_bytes: got.pdf.length }, { reason });
      }
      if (!duplicate) throw e; // transient: the retry asks Cel.ro first, then uploads
    }
  }
  return set(
    'attached',
    { invoice_reason: null, invoice_source: got.source, invoice_series: got.series, invoice_number: got.number, invoice_bytes: got.pdf.length, invoice_attached_at: new Date() },
    { series: got.series, number: got.number, bytes: got.pdf.length, found: already },
  );
}
