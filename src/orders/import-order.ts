import { randomUUID } from 'node:crypto';
import type { StatusMeaning } from '../connectors/celro/orders.ts';
import type { SalesVoucherInput } from '../connectors/lexoffice/client.ts';
import { errorMessage, OutcomeUnknownError, UpstreamError, ValidationError } from '../core/errors.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import type { Logger } from '../platform/logger.ts';
import type { StockLedger } from '../stock/ledger.ts';
import type { Db } from '../store/db.ts';
import { ensureBuyerContact } from './buyer-contact.ts';
import { findOrderDocuments } from './find-document.ts';
import { mapOrder, type MappedOrder } from './map-order.ts';
import { OrderRepository, type OrderRow } from './orders-repo.ts';
import type { OrderBooks, OrderChannel } from './ports.ts';
import type { OrderDocumentSettings, OrderIntakeSettings } from './settings.ts';
import { isResting, planCancellation } from './transitions.ts';
import { orderMarker } from './voucher-plan.ts';

export interface ImportDeps {
  readonly db: Db;
  readonly engine: MappingEngine;
  readonly ledger: StockLedger;
  readonly books: OrderBooks;
  readonly channel: OrderChannel;
  readonly documents: OrderDocumentSettings;
  readonly intake: OrderIntakeSettings;
  /** This process (`host:pid`): the lease owner. */
  readonly worker: string;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

/** The order is worked by another worker right now (its lease is live): the job retries shortly. */
export class OrderBusyError extends UpstreamError {
  constructor(orderId: string) {
    super(`order ${orderId} is being imported by another worker`, undefined, { orderId });
  }
}

export const reservationRef = (channelOrderId: string): string => `order:celro:${channelOrderId}`;

/**
 * Import one order: run its state machine from the state it is in to the next resting state
 * (acknowledged, cancelled, quarantined, needs_review). Every step is committed before the next
 * starts and only by the holder of the order's lease, so a crash anywhere resumes at the step it
 * stopped, in whichever worker takes the order next. The one step that could duplicate — creating the
 * document — first persists its intent; an attempt whose outcome is unknown is resolved by finding the
 * document by its marker before anything is sent again.
 */
export async function importOrder(shared: ImportDeps, tenantId: string, channelOrderId: string): Promise<{ state: string; row: OrderRow }> {
  // The lease owner is this call, not the process: two jobs for one order in one process exclude each other too.
  const deps: ImportDeps = { ...shared, worker: `${shared.worker}/${randomUUID().slice(0, 8)}` };
  const orders = new OrderRepository(deps.db);
  let row = await orders.lease(tenantId, channelOrderId, deps.worker);
  if (!row) throw new OrderBusyError(channelOrderId);
  let lost = false;
  const renewal = setInterval(() => {
    orders.renew(row!, deps.worker).then(
      (ok) => (lost ||= !ok),
      () => undefined,
    );
  }, 5_000);
  const w = new Work(deps, orders);
  try {
    for (let step = 0; step < 12; step++) {
      deps.signal?.throwIfAborted();
      if (lost) throw new OrderBusyError(channelOrderId);
      const next = await w.step(row);
      if (!next) break;
      row = next;
    }
    return { state: row.state, row };
  } catch (e) {
    // For an order, an unknown outcome is resolved on the retry (the contact by e-mail, the document by
    // its marker), so the job must be retried, not dead-lettered as a permanent failure.
    if (e instanceof OutcomeUnknownError) throw new UpstreamError(`${e.message} (the retry looks it up before anything is sent again)`, undefined, e.details ? { ...e.details } : undefined, e);
    throw e;
  } finally {
    clearInterval(renewal);
    await orders.release(row, deps.worker).catch(() => undefined);
  }
}

class Work {
  constructor(
    private readonly deps: ImportDeps,
    private readonly orders: OrderRepository,
  ) {}

  private call(row: OrderRow) {
    return (call: string, outcome: string) => this.orders.recordApiCall(row, { api: call.startsWith('celro') ? 'celro' : 'lexoffice', call, outcome }, this.deps.worker);
  }

  /** One step; undefined when the order rests. */
  async step(row: OrderRow): Promise<OrderRow | undefined> {
    if (row.cancel_requested && row.state !== 'cancelled') {
      const acted = await this.cancel(row);
      if (acted) return acted;
    }
    if (isResting(row.state)) return undefined;
    switch (row.state) {
      case 'received':
        return this.map(row);
      case 'mapped':
        return this.contact(row);
      case 'contact_ensured':
        return this.orders.transition(row, 'document_pending', this.deps.worker, { document_type: this.deps.documents.orderDocument === 'orderconfirmation' ? 'orderconfirmation' : 'invoice' }, { document: this.deps.documents.orderDocument });
      case 'document_pending':
        return this.document(row);
      case 'document_created':
        return this.acknowledge(row);
      default:
        return undefined;
    }
  }

  private async map(row: OrderRow): Promise<OrderRow> {
    const meaning = (row.channel_meaning ?? 'unknown') as StatusMeaning;
    const r = await mapOrder({ db: this.deps.db, engine: this.deps.engine }, row.tenant_id, row.raw, row.channel_order_id, meaning, row.customer_email);
    if (!r.ok) {
      this.deps.log.warn({ tenantId: row.tenant_id, orderId: row.channel_order_id, reason: r.code, message: r.message }, 'order quarantined');
      return this.orders.transition(row, 'quarantined', this.deps.worker, { reason_code: r.code, reason: r.message }, { reason: r.code, message: r.message, issues: r.issues });
    }
    // Reserve again (idempotent per order and SKU): intake reserved on arrival, unless it crashed first.
    if (r.mapped.reservations.length) await this.deps.ledger.reserve(row.tenant_id, reservationRef(row.channel_order_id), r.mapped.reservations, { reason: `Cel.ro order ${row.channel_order_id}`, author: 'orders', source: 'celro' });
    return this.orders.transition(row, 'mapped', this.deps.worker, { plan: r.mapped, rule_version_id: r.ruleVersionId, reason_code: null, reason: null }, { totalEur: r.mapped.voucher.totalEur, ruleVersionId: r.ruleVersionId, ...(r.issues.length ? { issues: r.issues } : {}) });
  }

  private async contact(row: OrderRow): Promise<OrderRow> {
    const m = row.plan as MappedOrder;
    // An intra-community supply needs a referenced contact in lexoffice, whatever the setting says.
    const wanted = this.deps.documents.orderContact === 'contact' || m.voucher.b2b;
    const key = m.email ?? m.contact.company?.vatRegistrationId ?? m.contact.company?.taxNumber ?? null;
    if (!wanted || !key) return this.orders.transition(row, 'contact_ensured', this.deps.worker, { contact_id: null }, { contact: 'address on the document only' });
    const c = await ensureBuyerContact({ db: this.deps.db, books: this.deps.books, worker: this.deps.worker, onCall: this.call(row) }, row.tenant_id, { key, email: m.email, draft: m.contact });
    return this.orders.transition(row, 'contact_ensured', this.deps.worker, { contact_id: c.contactId }, { contact: c.how, contactId: c.contactId });
  }

  private voucherBody(row: OrderRow): SalesVoucherInput {
    const m = row.plan as MappedOrder;
    const v = m.voucher;
    return {
      voucherDate: v.voucherDate,
      address: row.contact_id ? { contactId: row.contact_id } : { ...m.address },
      lineItems: v.lineItems,
      totalPrice: { currency: 'EUR' },
      taxConditions: v.taxConditions,
      shippingConditions: v.shippingConditions,
      title: row.document_type === 'orderconfirmation' ? 'Auftragsbestätigung' : 'Rechnung',
      introduction: v.introduction,
      remark: v.remark,
    };
  }

  private async document(row: OrderRow): Promise<OrderRow> {
    const type = row.document_type === 'orderconfirmation' ? 'orderconfirmation' : 'invoice';
    const m = row.plan as MappedOrder;
    if (row.document_attempted_at) {
      // An earlier attempt may have created it (504, timeout, crash after the POST): look before sending again.
      const found = await findOrderDocuments(this.deps.books, { voucherType: type, channelOrderId: row.channel_order_id, contactId: row.contact_id, voucherDate: m.voucher.voucherDate, totalEur: m.voucher.totalEur }, this.call(row));
      if (found.length === 1) {
        const d = found[0]!;
        return this.orders.transition(row, 'document_created', this.deps.worker, { document_id: d.id, document_number: d.number, document_status: d.status, reason_code: null, reason: null }, { adopted: true, documentId: d.id, number: d.number });
      }
      if (found.length > 1) {
        const ids = found.map((d) => `${d.number ?? 'draft'} (${d.id})`).join(', ');
        return this.orders.transition(row, 'needs_review', this.deps.worker, { reason_code: 'ambiguous_document', reason: `${found.length} lexoffice documents carry "${orderMarker(row.channel_order_id)}": ${ids}. Keep one, delete or cancel the others in lexoffice, then replay.` }, { candidates: found });
      }
    }
    row = await this.orders.update(row, this.deps.worker, { document_attempted_at: new Date() });
    const finalize = this.deps.documents.orderDocument !== 'draft';
    const path = type === 'invoice' ? '/v1/invoices' : '/v1/order-confirmations';
    let id: string;
    try {
      const body = this.voucherBody(row);
      id = (type === 'invoice' ? await this.deps.books.createInvoice(body, { finalize }) : await this.deps.books.createOrderConfirmation(body, { finalize })).id;
      await this.call(row)(`POST ${path}`, `created ${id}`);
    } catch (e) {
      await this.call(row)(`POST ${path}`, `${e instanceof OutcomeUnknownError ? 'outcome unknown' : 'failed'}: ${errorMessage(e)}`);
      if (e instanceof ValidationError) {
        // lexoffice refused the document (406/400): nothing was created. The merchant fixes data or rules, then replays.
        return this.orders.transition(row, 'quarantined', this.deps.worker, { reason_code: 'lexoffice_refused', reason: `lexoffice refused the ${type}: ${errorMessage(e)}`, document_attempted_at: null }, { reason: 'lexoffice_refused', message: errorMessage(e), details: e.details ?? null });
      }
      throw e; // outcome unknown or transient: the retry resolves it by the marker first
    }
    // The id is committed first; number and status are read after (a crash here re-reads them later).
    row = await this.orders.transition(row, 'document_created', this.deps.worker, { document_id: id, reason_code: null, reason: null }, { documentId: id, finalize });
    return this.readDocument(row);
  }

  private async readDocument(row: OrderRow): Promise<OrderRow> {
    const doc = row.document_type === 'orderconfirmation' ? await this.deps.books.getOrderConfirmation(row.document_id!) : await this.deps.books.getInvoice(row.document_id!);
    await this.call(row)(`GET /v1/${row.document_type === 'orderconfirmation' ? 'order-confirmations' : 'invoices'}/{id}`, `${doc.voucherStatus} ${doc.voucherNumber ?? ''}`.trim());
    return this.orders.update(row, this.deps.worker, { document_number: doc.voucherNumber ?? null, document_status: doc.voucherStatus });
  }

  private async acknowledge(row: OrderRow): Promise<OrderRow> {
    if (!row.document_status) row = await this.readDocument(row);
    if (this.deps.intake.confirmOrders) {
      try {
        await this.deps.channel.confirmOrder(row.channel_order_id);
        await this.call(row)('celro orders/confirmOrder', 'confirmed');
      } catch (e) {
        // Confirmed before (a retry after a crash) is fine: only an order still "new" on Cel.ro is a failure.
        const o = await this.deps.channel.getOrder(row.channel_order_id);
        const meaning = await this.deps.channel.statusMeaning(o.statusId);
        await this.call(row)('celro orders/confirmOrder', `refused (${errorMessage(e)}); status now ${meaning}`);
        if (meaning === 'new') throw e;
      }
    }
    if (this.deps.intake.noteDocumentOnCel && row.document_number) {
      // A remark is appended on every call: write it once (the history says whether it was).
      const noted = (await this.orders.events(row)).some((e) => e.kind === 'api' && (e.detail as { call?: string }).call === 'celro orders/addOrderObservations');
      if (!noted) {
        await this.deps.channel.addOrderObservations(row.channel_order_id, `lexoffice ${row.document_type === 'orderconfirmation' ? 'Auftragsbestätigung' : 'Rechnung'} ${row.document_number}`);
        await this.call(row)('celro orders/addOrderObservations', `noted ${row.document_number}`);
      }
    }
    return this.orders.transition(row, 'acknowledged', this.deps.worker, {}, { confirmedOnCel: this.deps.intake.confirmOrders });
  }

  /** Cancellation on Cel.ro. Returns the order after acting, or undefined when the normal steps must go first. */
  private async cancel(row: OrderRow): Promise<OrderRow | undefined> {
    const plan = planCancellation(row.state, { type: row.document_type, status: row.document_status, number: row.document_number }, { creditNoteOnCancel: this.deps.documents.creditNoteOnCancel });
    const release = () => this.deps.ledger.settle(row.tenant_id, reservationRef(row.channel_order_id), 'released', { reason: `Cel.ro order ${row.channel_order_id} cancelled`, author: 'orders', source: 'celro' });
    switch (plan.kind) {
      case 'already-cancelled':
        return undefined;
      case 'resolve-first':
        if (row.state === 'needs_review') {
          await release();
          return this.orders.transition(row, 'cancelled', this.deps.worker, { action_item: `the order was cancelled on Cel.ro while its document was under review: ${row.reason ?? ''}`.trim() }, { cancelled: 'while under review' });
        }
        return undefined; // resolve the pending document first, then cancel it
      case 'before-document':
        await release();
        return this.orders.transition(row, 'cancelled', this.deps.worker, {}, { cancelled: `before a document existed (was ${row.state})` });
      case 'draft':
      case 'action-item':
        await release();
        return this.orders.transition(row, 'cancelled', this.deps.worker, { action_item: plan.action }, { cancelled: plan.kind, action: plan.action });
      case 'credit-note': {
        const id = await this.creditNote(row);
        await release();
        return this.orders.transition(row, 'cancelled', this.deps.worker, { credit_note_id: id }, { cancelled: 'credit note', creditNoteId: id });
      }
    }
  }

  private async creditNote(row: OrderRow): Promise<string> {
    if (row.credit_note_id) return row.credit_note_id;
    const m = row.plan as MappedOrder;
    const voucherDate = m.voucher.voucherDate;
    if (row.credit_note_attempted_at) {
      const found = await findOrderDocuments(this.deps.books, { voucherType: 'creditnote', channelOrderId: row.channel_order_id, contactId: row.contact_id, voucherDate: new Date().toISOString(), totalEur: null }, this.call(row));
      if (found.length >= 1) return found[0]!.id;
    }
    row = await this.orders.update(row, this.deps.worker, { credit_note_attempted_at: new Date() });
    const body = this.voucherBody(row);
    const today = new Date().toISOString().slice(0, 10);
    const id = (
      await this.deps.books.createCreditNote(
        { voucherDate: `${today}T00:00:00.000+01:00`, address: body.address, lineItems: body.lineItems, totalPrice: { currency: 'EUR' }, taxConditions: body.taxConditions, title: 'Rechnungskorrektur', introduction: `Cancellation of ${orderMarker(row.channel_order_id)} (invoice ${row.document_number ?? row.document_id}, ${voucherDate.slice(0, 10)})`, remark: m.voucher.remark },
        { finalize: true, precedingSalesVoucherId: row.document_id! },
      )
    ).id;
    await this.call(row)('POST /v1/credit-notes', `created ${id}`);
    return id;
  }
}
