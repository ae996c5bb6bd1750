import { ValidationError } from '../../../core/errors.ts';
import { isObj, listOf } from './shape.ts';
import type { CelroCaller } from './transport.ts';

// Fulfilment area of the Cel.ro API: ready/finish, AWBs, the invoice PDF, payment, the customer's e-mail.

/** One AWB of `orders/statusAwb` [U: legacy call, answer shape undocumented]. */
export interface CelroAwbStatus {
  readonly awbNumber: string;
  readonly courier: string | null;
  /** The status text as CEL gives it, e.g. "In tranzit". */
  readonly status: string | null;
  readonly raw: Record<string, unknown>;
}

export async function setReadyForDelivery(t: CelroCaller, orderId: number | string): Promise<unknown> {
  return t.form('orders/SetReadyForDelivery', [['orders_id', orderId]], 'write');
}

export async function finishOrder(t: CelroCaller, orderId: number | string): Promise<unknown> {
  return t.form('orders/finishOrder', [['orders_id', orderId]], 'write');
}

/** Register an AWB made elsewhere: `orders/generateAwb` with `manual=1`. */
export async function registerAwb(t: CelroCaller, orderId: number | string, courierId: number | string, awbNumber: string): Promise<unknown> {
  if (!awbNumber.trim()) throw new ValidationError('AWB number is empty', [{ path: 'awb_number', message: 'required' }]);
  return t.form('orders/generateAwb', [['manual', 1], ['orders_id', orderId], ['courier_id', courierId], ['awb_number', awbNumber.trim()]], 'write');
}

export async function getOrderAwbs(t: CelroCaller, orderId: number | string): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('orders/getOrderAwbs', [['orders_id', orderId]], 'read'), 'orders/getOrderAwbs');
}

/** Attach the invoice PDF: multipart `oid`, `series`, `number`, `providerId`, file part `file`. */
export async function addOrderInvoice(t: CelroCaller, inv: { orderId: number | string; series: string; number: string; pdf: Uint8Array; providerId?: number }): Promise<unknown> {
  if (Buffer.from(inv.pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new ValidationError('invoice file is not a PDF (no %PDF- header)', [{ path: 'file', message: 'not a PDF' }], { orderId: String(inv.orderId) });
  if (!inv.series.trim() || !inv.number.trim()) throw new ValidationError('invoice series and number are required', [{ path: 'series', message: 'required' }]);
  return t.call(
    'orders/addOrderInvoice',
    {
      kind: 'multipart',
      parts: [
        { name: 'oid', value: String(inv.orderId) },
        { name: 'series', value: inv.series.trim() },
        { name: 'number', value: inv.number.trim() },
        { name: 'providerId', value: String(inv.providerId ?? 0) },
        { name: 'file', value: inv.pdf, filename: 'file' },
      ],
    },
    'write',
  );
}

/** The customer's e-mail (`orders/getOrderEmail`, `oid`): getOrder does not carry it [U: answer is the bare address]. */
export async function getOrderEmail(t: CelroCaller, orderId: number | string): Promise<string | null> {
  const m = await t.form('orders/getOrderEmail', [['oid', orderId]], 'read');
  const v = isObj(m) ? (m.email ?? m.customers_email) : m;
  return typeof v === 'string' && v.includes('@') ? v.trim() : null;
}

export async function deleteOrderInvoice(t: CelroCaller, orderId: number | string, series: string, number: string): Promise<unknown> {
  return t.form('orders/deleteOrderInvoice', [['orders_id', orderId], ['series', series], ['number', number]], 'write');
}

export async function getOrderInvoices(t: CelroCaller, orderId: number | string): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('orders/getOrderInvoices', [['orders_id', orderId]], 'read'), 'orders/getOrderInvoices');
}

/** Deprecated `orders/removeInvoice` (`orders_id`): drops the order's invoice; prefer deleteOrderInvoice. */
export async function removeInvoice(t: CelroCaller, orderId: number | string): Promise<unknown> {
  return t.form('orders/removeInvoice', [['orders_id', orderId]], 'write');
}

/** Legacy `orders/statusAwb` (`cmd`): the order's AWBs with a delivery status. */
export async function statusAwb(t: CelroCaller, orderId: number | string): Promise<CelroAwbStatus[]> {
  return listOf(await t.form('orders/statusAwb', [['cmd', orderId]], 'read'), 'orders/statusAwb').map((a) => {
    const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
    return { awbNumber: str(a.awb_number ?? a.awb ?? a.numar_awb) ?? '', courier: str(a.courier ?? a.curier), status: str(a.status ?? a.status_name ?? a.stare), raw: a };
  });
}

/** `orders/checkPaymentForOrder` (`cmd`): true/false, or null when the answer cannot be read [U: shape]. */
export async function checkPaymentForOrder(t: CelroCaller, orderId: number | string): Promise<boolean | null> {
  return paidFlag(await t.form('orders/checkPaymentForOrder', [['cmd', orderId]], 'read'));
}

/** `orders/addOrderObservations` (`orders_id`, `observations`): remarks appended to the order. */
export async function addOrderObservations(t: CelroCaller, orderId: number | string, text: string): Promise<unknown> {
  if (!text.trim()) throw new ValidationError('order observations are empty', [{ path: 'observations', message: 'required' }], { orderId: String(orderId) });
  return t.form('orders/addOrderObservations', [['orders_id', orderId], ['observations', text.trim()]], 'write');
}

// -------------------------------------------------------------------- response shaping

const PAID = new Set(['1', 'true', 'da', 'yes', 'paid', 'platit', 'platita', 'achitat', 'achitata']);

const UNPAID = new Set(['0', 'false', 'nu', 'no', 'unpaid', 'neplatit', 'neplatita', 'neachitat', 'neachitata']);

/** checkPaymentForOrder: a bare flag, a word, or an object carrying one (`platit`, `paid`, …). */
function paidFlag(m: unknown, depth = 0): boolean | null {
  if (typeof m === 'boolean') return m;
  if (typeof m === 'number') return m === 1 ? true : m === 0 ? false : null;
  if (typeof m === 'string') {
    const w = m.trim().toLowerCase();
    return PAID.has(w) ? true : UNPAID.has(w) ? false : null;
  }
  if (isObj(m) && depth === 0) {
    for (const k of ['platit', 'paid', 'achitat', 'is_paid', 'payment_status', 'status']) if (m[k] !== undefined) return paidFlag(m[k], 1);
  }
  return null;
}
