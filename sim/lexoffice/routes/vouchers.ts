import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createSalesVoucher } from '../documents.ts';
import { openAmount } from '../voucher-views.ts';
import { SimHttpError, regular, validationFailed } from '../errors.ts';
import { renderPdf } from '../pdf.ts';
import type { SalesKind, SalesVoucher, SimState } from '../state.ts';
import { dec, lexTime, num } from '../util.ts';
import { type ApiCtx, type Obj, type Q, actionResult, jsonBody, notFound, path, sendCreated } from './common.ts';

// Sales vouchers (invoices, order confirmations, credit notes): create, read, the PDF and the files behind it.

export function registerSalesVouchers(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  const salesRoutes: [string, SalesKind, string, string][] = [
    ['invoices', 'invoice', 'invoice', 'Rechnung'],
    ['order-confirmations', 'orderconfirmation', 'order-confirmation', 'Auftragsbestaetigung'],
    ['credit-notes', 'creditnote', 'credit-note', 'Gutschrift'],
  ];
  const headings: Record<SalesKind, string> = { invoice: 'Rechnung', orderconfirmation: 'Auftragsbestaetigung', creditnote: 'Gutschrift' };
  for (const [resource, kind, eventPrefix, filePrefix] of salesRoutes) {
    const get = (req: FastifyRequest): SalesVoucher => {
      const v = st().vouchers.get((req.params as { id: string }).id);
      if (!v || v.kind !== kind) throw notFound(req);
      return v;
    };
    app.post(`/v1/${resource}`, async (req, reply) => {
      const q = req.query as Q;
      const body = jsonBody(req);
      let prev: SalesVoucher | undefined;
      if (q.precedingSalesVoucherId !== undefined) {
        prev = st().vouchers.get(q.precedingSalesVoucherId);
        const bad = (message: string): SimHttpError => validationFailed(path(req), [{ violation: 'INVALID', field: 'precedingSalesVoucherId', message }]);
        if (!prev) throw bad('preceding voucher not found');
        if (prev.doc.voucherStatus === 'draft') throw bad('preceding voucher is a draft');
        if (kind === 'creditnote') {
          // A credit note follows an invoice, and only one per invoice (research §4.7).
          if (prev.kind !== 'invoice') throw bad('a credit note can only follow an invoice');
          if ((prev.doc.relatedVouchers as Obj[]).some((r) => r.voucherType === 'creditnote')) throw bad('the invoice already has a credit note');
          if (prev.doc.voucherStatus === 'voided') throw bad('the invoice is voided');
        }
      }
      const v = createSalesVoucher(body, { state: st(), kind, finalize: q.finalize === 'true', path: path(req), now: ctx.now() });
      if (prev) {
        (v.doc.relatedVouchers as Obj[]).push({ id: prev.doc.id, voucherNumber: prev.doc.voucherNumber, voucherType: prev.kind });
        (prev.doc.relatedVouchers as Obj[]).push({ id: v.doc.id, voucherNumber: v.doc.voucherNumber, voucherType: v.kind });
      }
      st().vouchers.set(v.doc.id, v);
      ctx.emit(`${eventPrefix}.created`, v.doc.id);
      if (prev && kind === 'creditnote' && v.doc.voucherStatus === 'open') settleByCreditNote(ctx, prev, v);
      return sendCreated(ctx, reply, actionResult(ctx, resource, v.doc.id, String(v.doc.createdDate), String(v.doc.updatedDate), v.doc.version));
    });
    app.get(`/v1/${resource}/:id`, async (req) => get(req).doc);
    app.get(`/v1/${resource}/:id/file`, async (req, reply) => {
      const v = get(req);
      if (v.doc.voucherStatus === 'draft') throw regular(409, path(req), `${kind} ${v.doc.id} is in status 'draft' and therefore cannot be downloaded`);
      checkPdfAccept(req, kind === 'invoice');
      const pdf = renderVoucherPdf(v, filePrefix);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filePrefix}_${v.doc.voucherNumber}.pdf"`)
        .header('content-length', pdf.length)
        .send(pdf);
    });
    app.get(`/v1/${resource}/:id/document`, async (req) => {
      const v = get(req);
      if (v.doc.voucherStatus === 'draft') throw regular(406, path(req), 'Requesting PDF document is not possible in state draft');
      return { documentFileId: (v.doc.files as { documentFileId: string }).documentFileId };
    });
  }

  /** Accept for a rendered document: PDF for pdf / *\/* / application/*; XML only for XRechnung documents (none here) → 404; else 406. */
  function checkPdfAccept(req: FastifyRequest, xmlIsNotFound: boolean): void {
    const accept = (req.headers.accept ?? '*/*').toLowerCase();
    if (accept.includes('application/pdf') || accept.includes('*/*') || accept.includes('application/*')) return;
    if (accept.includes('application/xml') && xmlIsNotFound) throw notFound(req); // regular (non-XRechnung) documents have no XML
    throw regular(406, path(req), `media type ${accept} is not acceptable`);
  }

  // ---- files: the rendered document behind `files.documentFileId` / `/document` (research §5.2) ----
  app.get('/v1/files/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const v = st().vouchers.get(st().files.get(id) ?? '');
    if (!v) throw notFound(req);
    checkPdfAccept(req, true); // live: asking XML of a PDF file is a 404
    const pdf = renderVoucherPdf(v, headings[v.kind]); // the same bytes as /v1/{resource}/{id}/file (measured live)
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename=${id}.pdf;`)
      .header('content-length', pdf.length)
      .send(pdf);
  });
}

/**
 * A finalized credit note following an invoice is `paidoff` and settles the invoice by its amount
 * (research §4.7): fully settled → the invoice is `paid`; events as the real service fires them.
 */
function settleByCreditNote(ctx: ApiCtx, invoice: SalesVoucher, creditNote: SalesVoucher): void {
  creditNote.doc.voucherStatus = 'paidoff';
  if (invoice.doc.voucherStatus !== 'open') return;
  const open = dec(openAmount(invoice));
  const amount = dec(creditNote.totalGross).lt(open) ? dec(creditNote.totalGross) : open;
  invoice.payments.push({ postingDate: lexTime(ctx.now()), amount: num(amount), type: 'partPaymentCreditNote' });
  invoice.doc.version += 1;
  invoice.doc.updatedDate = lexTime(ctx.now());
  if (amount.gte(open)) {
    invoice.doc.voucherStatus = 'paid';
    ctx.emit('invoice.status.changed', invoice.doc.id);
  }
  ctx.emit('payment.changed', invoice.doc.id);
}

/** The PDF of a finalized voucher: number, date, address, lines and totals. */
export function renderVoucherPdf(v: SalesVoucher, heading: string): Buffer {
  const d = v.doc as Obj;
  const tp = d.totalPrice as Obj;
  const addr = d.address as Obj;
  const lines = [
    `${heading} ${v.doc.voucherNumber}`,
    `Datum: ${String(d.voucherDate).slice(0, 10)}`,
    `${String(addr.name ?? '')}, ${String(addr.street ?? '')}, ${String(addr.zip ?? '')} ${String(addr.city ?? '')}, ${String(addr.countryCode ?? '')}`,
    '',
    ...((d.lineItems as Obj[]) ?? []).map((li) =>
      li.type === 'text' ? String(li.name) : `${String(li.quantity)} ${String(li.unitName)} ${String(li.name)}  ${Number(li.lineItemAmount).toFixed(2)} EUR`,
    ),
    '',
    `Netto: ${Number(tp.totalNetAmount).toFixed(2)} EUR`,
    `USt: ${Number(tp.totalTaxAmount).toFixed(2)} EUR`,
    `Gesamt: ${Number(tp.totalGrossAmount).toFixed(2)} EUR`,
  ];
  return renderPdf(lines);
}
