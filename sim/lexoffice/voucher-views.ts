import type { Json, SalesVoucher } from './state.ts';
import { dec, num } from './util.ts';

// The read side of sales vouchers: the voucherlist row, the open amount, the payments view.

/** Effective status as the voucherlist shows it: open invoices past due come back as `overdue`. */
export function listStatus(v: SalesVoucher, now: Date): string {
  const due = v.doc.dueDate;
  if (v.doc.voucherStatus === 'open' && typeof due === 'string' && new Date(due) < now) return 'overdue';
  return v.doc.voucherStatus;
}

export function openAmount(v: SalesVoucher): number {
  if (v.doc.voucherStatus === 'paidoff') return 0; // a credit note that settled its invoice
  const paid = v.payments.reduce((a, p) => a.plus(p.amount), dec(0));
  return num(dec(v.totalGross).minus(paid));
}

/** One row of GET /v1/voucherlist (research §4.8 row fields). */
export function voucherlistRow(v: SalesVoucher, now: Date): Json {
  return {
    id: v.doc.id,
    voucherType: v.kind,
    voucherStatus: listStatus(v, now),
    voucherNumber: v.doc.voucherNumber,
    voucherDate: v.doc.voucherDate,
    createdDate: v.doc.createdDate,
    updatedDate: v.doc.updatedDate,
    // Drafts have no due date and no open amount: the keys are absent, not null (live dump).
    ...(typeof v.doc.dueDate === 'string' ? { dueDate: v.doc.dueDate } : {}),
    contactId: v.contactId,
    contactName: v.contactName,
    totalAmount: v.totalGross,
    ...(v.doc.voucherStatus === 'draft' ? {} : { openAmount: openAmount(v) }),
    currency: 'EUR',
    archived: false,
  };
}

/** GET /v1/payments/{id} view (research §7.4). Caller refuses drafts with 406. */
export function paymentsView(v: SalesVoucher): Json {
  const open = openAmount(v);
  const paidDate = v.doc.voucherStatus === 'paid' ? v.payments.at(-1)?.postingDate : undefined;
  return {
    openAmount: open,
    currency: 'EUR',
    paymentStatus: v.doc.voucherStatus === 'voided' || open === 0 ? 'balanced' : 'openRevenue',
    voucherType: v.kind,
    voucherStatus: v.doc.voucherStatus,
    ...(paidDate ? { paidDate } : {}),
    paymentItems: v.payments.map((p) => ({ paymentItemType: p.type ?? 'manualPayment', postingDate: p.postingDate, amount: p.amount, currency: 'EUR' })),
  };
}
