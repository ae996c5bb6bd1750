import type { VoucherlistRow } from '../connectors/lexoffice/schemas.ts';
import type { OrderBooks } from './ports.ts';
import { hasMarker, orderDay } from './voucher-plan.ts';

/** A document already in lexoffice for this order (adopted instead of created again). */
export interface FoundDocument {
  readonly id: string;
  readonly number: string | null;
  readonly status: string;
}

const dayShift = (day: string, days: number): string => new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Every lexoffice document of `voucherType` that carries the order's marker — how an outcome-unknown
 * create (504, timeout, reset: lexoffice has no idempotency key) is resolved before anything is sent
 * again. The voucher list is narrowed by contact (when there is one), voucher date (the order day ±1)
 * and total; each candidate is read and its text checked for the marker "Cel.ro order <id>".
 */
export async function findOrderDocuments(
  books: OrderBooks,
  q: { voucherType: 'invoice' | 'orderconfirmation' | 'creditnote'; channelOrderId: string; contactId: string | null; voucherDate: string; totalEur: string | null },
  onCall: (call: string, outcome: string) => Promise<void>,
): Promise<FoundDocument[]> {
  const day = orderDay(q.voucherDate) ?? q.voucherDate.slice(0, 10);
  const rows: VoucherlistRow[] = [];
  for (let page = 0; ; page++) {
    const p = await books.listVouchers({
      voucherType: [q.voucherType],
      voucherStatus: 'any',
      ...(q.contactId ? { contactId: q.contactId } : {}),
      voucherDateFrom: dayShift(day, -1),
      voucherDateTo: dayShift(day, 1),
      page,
      size: 250,
    });
    rows.push(...p.content);
    if (p.last || p.content.length === 0) break;
  }
  await onCall('GET /v1/voucherlist', `${rows.length} candidate(s)`);
  const sameTotal = (r: VoucherlistRow): boolean => q.totalEur === null || r.totalAmount === null || r.totalAmount === undefined || Number(r.totalAmount) === Number(q.totalEur);
  const found: FoundDocument[] = [];
  for (const r of rows.filter(sameTotal)) {
    const doc = q.voucherType === 'invoice' ? await books.getInvoice(r.id) : q.voucherType === 'creditnote' ? await books.getCreditNote(r.id) : await books.getOrderConfirmation(r.id);
    if (hasMarker(doc.introduction, q.channelOrderId) || hasMarker(doc.remark, q.channelOrderId)) found.push({ id: doc.id, number: doc.voucherNumber ?? null, status: doc.voucherStatus });
  }
  await onCall(`GET /v1/${q.voucherType === 'creditnote' ? 'credit-notes' : q.voucherType === 'invoice' ? 'invoices' : 'order-confirmations'}/{id}`, `${found.length} with the marker`);
  return found;
}
