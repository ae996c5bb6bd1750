import { ValidationError } from '../../../core/errors.ts';
import { CelroApiError, CelroResponseError } from '../errors.ts';
import { parseCelroOrder, parseStatusDictionary, type CelroOrder, type CelroStatus } from '../orders.ts';
import type { FormValue } from '../wire.ts';
import { MAX_PAGE, MAX_PAGES, allPages, isObj, listOf, type Page } from './shape.ts';
import type { CelroCaller } from './transport.ts';

// Orders area of the Cel.ro API: listing (filters, the cursor helper), one order, statuses, confirm and cancel.

export interface OrderSummary {
  readonly id: string;
  readonly statusId: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export type CreatedFilterForm = 'date' | 'dateFromTo' | 'flat';

/** A date window; bounds are inclusive on the simulator [U on CEL]. Dates are written in `timeZone`. */
export interface DateWindow {
  readonly min?: Date | string;
  readonly max?: Date | string;
}

/** The documented `filters` of orders/getOrders (research §5.1). */
export interface OrderListFilter {
  /**
   * `min_order`: orders with a larger id (whether the id itself is included is [U]), ascending by
   * id. Without it (or 0) CEL lists orders by id descending. Prefer `listOrdersSince`.
   */
  readonly minOrder?: number | string;
  /** `last_changed`: last-modified window — the look-back window of incremental polling. */
  readonly lastChanged?: DateWindow;
  /** Creation-date window (`date`; form per `createdFilterForm`). */
  readonly created?: DateWindow;
  /** `order_status`; 0 and 99 mean "no filter" on CEL. */
  readonly statusId?: number | string;
  /** `order`: one order id. */
  readonly orderId?: number | string;
  /** `customer` + `customerSign`: part of the customer's name; `exclude` = sign `ne`. */
  readonly customer?: { readonly text: string; readonly exclude?: boolean };
  /** `product` + `productSign`: part of a product name. */
  readonly product?: { readonly text: string; readonly exclude?: boolean };
  /** `phoneNumber` of the customer. */
  readonly phoneNumber?: string;
  /** `payment_method`, e.g. "Numerar sau ramburs" [U beyond the examples]. */
  readonly paymentMethod?: string;
  /** `invoice`: invoice number. */
  readonly invoice?: string;
  /** `order_by_date_purchased`: sort by purchase date instead of by id. */
  readonly sortByPurchaseDate?: 'ASC' | 'DESC';
}

/** The result of `listOrdersSince`. */
export interface OrdersSince {
  /** Orders with an id strictly greater than the cursor, each once, ascending by id. */
  readonly orders: readonly OrderSummary[];
  /** Cursor for the next call: the largest id seen, or the given cursor when nothing is newer. */
  readonly cursor: string;
  readonly pages: number;
  /** What the server did (for checking `minOrderInclusive` against reality). */
  readonly observed: {
    /** The order equal to the cursor came back (inclusive `min_order`). */
    readonly cursorIncluded: boolean;
    /** The server's sort direction, when at least two distinct orders came back. */
    readonly order: 'asc' | 'desc' | 'unknown';
    /** The cursor order came back although `minOrderInclusive` is false. */
    readonly contradictsSetting: boolean;
  };
}

/** The JSON `filters` of getOrders, always flat (`group_by_status: false`). */
export function orderFilters(t: CelroCaller, filter: OrderListFilter = {}): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (filter.minOrder !== undefined) f.min_order = cursorNumber(filter.minOrder);
  f.group_by_status = false;
  const range = (r: DateWindow, lo = 'minDate', hi = 'maxDate'): Record<string, string> => ({
    ...(r.min === undefined ? {} : { [lo]: t.formatDate(r.min) }),
    ...(r.max === undefined ? {} : { [hi]: t.formatDate(r.max) }),
  });
  if (filter.lastChanged) f.last_changed = range(filter.lastChanged);
  if (filter.created) {
    const form = t.options.createdFilterForm ?? 'date';
    if (form === 'flat') Object.assign(f, range(filter.created));
    else f.date = form === 'dateFromTo' ? range(filter.created, 'from', 'to') : range(filter.created);
  }
  if (filter.statusId !== undefined) f.order_status = Number(filter.statusId);
  if (filter.orderId !== undefined) f.order = Number(filter.orderId);
  if (filter.customer) Object.assign(f, { customer: filter.customer.text, customerSign: filter.customer.exclude ? 'ne' : 'ee' });
  if (filter.product) Object.assign(f, { product: filter.product.text, productSign: filter.product.exclude ? 'ne' : 'ee' });
  if (filter.phoneNumber !== undefined) f.phoneNumber = filter.phoneNumber;
  if (filter.paymentMethod !== undefined) f.payment_method = filter.paymentMethod;
  if (filter.invoice !== undefined) f.invoice = filter.invoice;
  if (filter.sortByPurchaseDate) f.order_by_date_purchased = filter.sortByPurchaseDate;
  return f;
}

/** One page of `orders/getOrders` (flat, ≤ 50). */
export async function getOrders(t: CelroCaller, filter: OrderListFilter = {}, start = 0, limit = MAX_PAGE): Promise<Page<OrderSummary>> {
  const lim = Math.min(limit, MAX_PAGE);
  const m = await t.form('orders/getOrders', [['start', start], ['limit', lim], ['filters', JSON.stringify(orderFilters(t, filter))]], 'read');
  return orderPage(m, start, lim);
}

/** Every order matching the filter (pages of 50 while `moreavailable`), in the server's order. */
export async function listOrders(t: CelroCaller, filter: OrderListFilter = {}): Promise<OrderSummary[]> {
  return allPages((s) => getOrders(t, filter, s));
}

/**
 * The orders placed after `cursor` (an order id; 0 = from the beginning): the cursor helper of the
 * order intake. It asks `min_order = cursor` and pages by offset to the end, then keeps only ids
 * strictly greater than the cursor, each once, ascending. So it is right whether CEL includes the
 * `min_order` id or not, and whichever way it sorts: with a descending sort, orders arriving while
 * paging push earlier ones to later offsets, which shows them twice (dropped), never skips them.
 * Pair it with a `last_changed` look-back (`listOrders({ lastChanged })`) for changes to old orders.
 */
export async function listOrdersSince(t: CelroCaller, cursor: number | string, opts: { pageSize?: number } = {}): Promise<OrdersSince> {
  const from = cursorNumber(cursor);
  const limit = Math.min(opts.pageSize ?? MAX_PAGE, MAX_PAGE);
  const seen = new Map<number, OrderSummary>();
  const serverOrder: number[] = [];
  let cursorIncluded = false;
  let start = 0;
  let pages = 0;
  for (;;) {
    if (++pages > MAX_PAGES) throw new CelroResponseError('orders/getOrders', 200, '', `more than ${MAX_PAGES} pages: the server keeps saying more are available`);
    const page = await getOrders(t, { minOrder: from }, start, limit);
    for (const o of page.items) {
      const id = cursorNumber(o.id);
      if (id === from) cursorIncluded = true;
      if (id <= from || seen.has(id)) continue;
      seen.set(id, o);
      serverOrder.push(id);
    }
    if (!page.more || page.items.length === 0) break;
    start += page.items.length;
  }
  const ids = [...seen.keys()].sort((a, b) => a - b);
  const asc = serverOrder.every((id, i) => i === 0 || id > serverOrder[i - 1]!);
  const desc = serverOrder.every((id, i) => i === 0 || id < serverOrder[i - 1]!);
  return {
    orders: ids.map((id) => seen.get(id)!),
    cursor: String(ids.length ? ids[ids.length - 1] : from),
    pages,
    observed: {
      cursorIncluded,
      order: serverOrder.length < 2 ? 'unknown' : asc ? 'asc' : desc ? 'desc' : 'unknown',
      contradictsSetting: cursorIncluded && !(t.options.minOrderInclusive ?? false),
    },
  };
}

/** `orders/getOrder`, parsed defensively (unknown shapes land in `issues`, the raw payload is kept). */
export async function getOrder(t: CelroCaller, orderId: number | string, opts: { originalDelivery?: boolean } = {}): Promise<CelroOrder> {
  const m = await t.form('orders/getOrder', [['order', orderId], ['original_delivery', opts.originalDelivery ?? false]], 'read');
  return parseCelroOrder(m, orderId);
}

export async function getOrderStatusList(t: CelroCaller): Promise<CelroStatus[]> {
  return parseStatusDictionary(await t.form('orders/getOrderStatusList', [], 'read'), t.options.statusMeanings);
}

export async function listStatuses(t: CelroCaller): Promise<CelroStatus[]> {
  return parseStatusDictionary(await t.form('orders/ListStatuses', [['dummy', 1]], 'read'), t.options.statusMeanings);
}
/** The status dictionary: getOrderStatusList, falling back to ListStatuses (the client caches it). */
export async function fetchStatusDictionary(t: CelroCaller): Promise<CelroStatus[]> {
  let list: CelroStatus[] = [];
  try {
    list = await getOrderStatusList(t);
  } catch (e) {
    if (!(e instanceof CelroApiError || e instanceof CelroResponseError)) throw e;
  }
  if (list.length === 0) list = await listStatuses(t);
  return list;
}

export async function getCancellingStatuses(t: CelroCaller): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('orders/listCancellingStatuses', [['dummy', 1]], 'read'), 'orders/listCancellingStatuses');
}

export async function confirmOrder(t: CelroCaller, orderId: number | string): Promise<unknown> {
  return t.form('orders/confirmOrder', [['order', orderId]], 'write');
}

/** Cancel with a reason id (`motiv`, from listCancellingStatuses) or remarks (`observatii`, > 4 chars). */
export async function cancelOrder(t: CelroCaller, orderId: number | string, why: { reasonId?: number; remarks?: string }): Promise<unknown> {
  const remarks = why.remarks?.trim();
  if (!why.reasonId && (!remarks || remarks.length <= 4)) throw new ValidationError('cancelOrder needs a reason id or remarks longer than 4 characters', [{ path: 'remarks', message: 'too short' }]);
  const fields: [string, FormValue][] = [['order', orderId]];
  if (why.reasonId) fields.push(['motiv', why.reasonId]);
  if (remarks) fields.push(['observatii', remarks]);
  return t.form('orders/cancelOrder', fields, 'write');
}

// -------------------------------------------------------------------- response shaping

/** An order id / cursor as a safe non-negative integer. */
function cursorNumber(v: number | string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`not an order id: ${JSON.stringify(v)}`, [{ path: 'min_order', message: String(v) }]);
  return n;
}

/** getOrders: flat `{list, moreavailable}` or grouped by status `{"<status>": {list, moreavailable}}`. */
function orderPage(m: unknown, start: number, limit: number): Page<OrderSummary> {
  const groups: { list: unknown[]; more: boolean; status: string | null }[] = [];
  if (Array.isArray(m)) groups.push({ list: m, more: m.length >= limit, status: null });
  else if (isObj(m) && Array.isArray(m.list)) groups.push({ list: m.list, more: Number(m.moreavailable) === 1, status: null });
  else if (isObj(m)) {
    for (const [k, g] of Object.entries(m)) {
      if (isObj(g) && Array.isArray(g.list)) groups.push({ list: g.list, more: Number(g.moreavailable) === 1, status: k });
      else throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(m).slice(0, 4000), `unexpected group "${k}"`);
    }
  } else throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(m).slice(0, 4000), 'expected an order list');
  const items: OrderSummary[] = [];
  for (const g of groups) {
    for (const o of g.list) {
      if (!isObj(o)) continue;
      const id = o.orders_id ?? o.id_comanda ?? o.id ?? o.order_id;
      if (typeof id !== 'string' && typeof id !== 'number') throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(o).slice(0, 4000), 'an order without an id');
      const st = o.orders_status ?? o.status;
      items.push({ id: String(id), statusId: typeof st === 'string' || typeof st === 'number' ? String(st) : g.status, raw: o });
    }
  }
  return { items, start, more: groups.some((g) => g.more), total: null };
}
