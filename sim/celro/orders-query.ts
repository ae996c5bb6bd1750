import { celDateTime } from './data.ts';
import type { FormObject } from './form.ts';
import { SimError, type SimInvoice, type SimOrder } from './state.ts';

/**
 * `orders/getOrders` filters and sort order (research §5.1). The SDK sends `filters` as a JSON string;
 * for an empty options array it sends `json_encode([])` = `[]`, which a PHP backend reads as "no
 * filters". Sort: by `orders_id` descending without `min_order` (or with 0); ascending with
 * `min_order` [C-wiki]; by purchase date when `order_by_date_purchased` is ASC/DESC. Whether
 * `min_order` itself is included is undocumented [U]: `minOrderInclusive` decides.
 */

export type SortDirection = 'asc' | 'desc';

export interface OrderQuerySettings {
  /** [U] include the order whose id equals min_order (CEL's wording, "greater than", says no). */
  readonly minOrderInclusive: boolean;
  /** Sort with min_order: 'asc' as documented; 'desc' exists to prove the client copes with either. */
  readonly minOrderSort: SortDirection;
  readonly timeZone: string;
}

interface Range {
  readonly min?: string;
  readonly max?: string;
}

/** The `filters` field as PHP's json_decode would see it: absent, empty, `[]` or `null` = no filters. */
export function decodeOrderFilters(f: FormObject): Record<string, unknown> {
  const raw = f.filters;
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') throw new SimError('Parametrul filters trebuie sa fie un obiect JSON transmis ca text (nu ca filters[...])');
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new SimError('Parametrul filters nu este JSON valid');
  }
  if (v === null) return {};
  if (Array.isArray(v)) {
    if (v.length === 0) return {};
    throw new SimError('Parametrul filters trebuie sa fie un obiect JSON');
  }
  if (typeof v !== 'object') throw new SimError('Parametrul filters trebuie sa fie un obiect JSON');
  return v as Record<string, unknown>;
}

const none = (v: unknown): boolean => v === undefined || v === null || v === '' || v === 0 || v === '0';
const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function dateRange(v: unknown, what: string): Range | undefined {
  if (none(v)) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SimError(`Filtrul ${what} trebuie sa fie un obiect {minDate, maxDate}`);
  const o = v as Record<string, unknown>;
  // 2017 examples used from/to; the current example and the wiki use minDate/maxDate.
  const min = o.minDate ?? o.from;
  const max = o.maxDate ?? o.to;
  for (const [k, d] of [['minDate', min], ['maxDate', max]] as const) {
    if (d !== undefined && d !== null && d !== '' && (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(d))) {
      throw new SimError(`Filtrul ${what}.${k} trebuie sa aiba formatul YYYY-mm-dd HH:ii:ss`);
    }
  }
  return { ...(typeof min === 'string' && min ? { min } : {}), ...(typeof max === 'string' && max ? { max: max.length === 10 ? `${max} 23:59:59` : max } : {}) };
}

function signed(value: unknown, sign: unknown, haystack: string): boolean {
  if (none(value)) return true;
  const hit = fold(haystack).includes(fold(String(value)));
  return sign === 'ne' ? !hit : hit;
}

function integer(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new SimError(`Filtrul ${what} trebuie sa fie un numar intreg`);
  return n;
}

/** The orders matching `filters`, in the order the API lists them. */
export function queryOrders(orders: Iterable<SimOrder>, invoices: readonly SimInvoice[], filters: Record<string, unknown>, s: OrderQuerySettings): SimOrder[] {
  const minOrder = none(filters.min_order) ? undefined : integer(filters.min_order, 'min_order');
  const status = [undefined, null, 0, 99, '', '0', '99'].includes(filters.order_status as never) ? undefined : integer(filters.order_status, 'order_status');
  const only = none(filters.order) ? undefined : integer(filters.order, 'order');
  const changed = dateRange(filters.last_changed, 'last_changed');
  // The wiki lists minDate/maxDate directly under filters; the current example nests them in `date`.
  const created = dateRange(filters.date, 'date') ?? dateRange(none(filters.minDate) && none(filters.maxDate) ? undefined : { minDate: filters.minDate, maxDate: filters.maxDate }, 'minDate/maxDate');
  const inRange = (d: Date, r: Range | undefined): boolean => {
    if (!r) return true;
    const t = celDateTime(d, s.timeZone);
    return (r.min === undefined || t >= r.min) && (r.max === undefined || t <= r.max);
  };
  const digits = (x: string): string => x.replace(/\D/g, '');
  const phone = none(filters.phoneNumber) ? undefined : digits(String(filters.phoneNumber));
  const payment = none(filters.payment_method) ? undefined : fold(String(filters.payment_method));
  const invoice = none(filters.invoice) ? undefined : String(filters.invoice);

  const list = [...orders].filter(
    (o) =>
      (minOrder === undefined || (s.minOrderInclusive ? o.id >= minOrder : o.id > minOrder)) &&
      (status === undefined || o.status === status) &&
      (only === undefined || o.id === only) &&
      inRange(o.lastChanged, changed) &&
      inRange(o.placedAt, created) &&
      signed(filters.customer, filters.customerSign, `${o.customer.name} ${o.customer.billing.firma}`) &&
      signed(filters.product, filters.productSign, o.lines.map((l) => l.name).join(' | ')) &&
      (phone === undefined || digits(o.customer.phone).includes(phone)) &&
      (payment === undefined || fold(o.payment) === payment) &&
      (invoice === undefined || invoices.some((i) => i.ordersId === o.id && (i.number === invoice || `${i.series}${i.number}` === invoice))),
  );

  const byDate = typeof filters.order_by_date_purchased === 'string' ? filters.order_by_date_purchased.toUpperCase() : '';
  if (byDate === 'ASC' || byDate === 'DESC') {
    const k = byDate === 'ASC' ? 1 : -1;
    return list.sort((a, b) => k * (a.placedAt.getTime() - b.placedAt.getTime() || a.id - b.id));
  }
  const dir: SortDirection = minOrder !== undefined ? s.minOrderSort : 'desc';
  return list.sort((a, b) => (dir === 'asc' ? a.id - b.id : b.id - a.id));
}
