import { parseCurrency, type CurrencyCode } from '../../core/currency.ts';
import { Decimal } from '../../core/decimal.ts';
import { ValidationError } from '../../core/errors.ts';
import { Money } from '../../core/money.ts';
import type { Address, Customer, Order, OrderLine, PaymentMethod } from '../../core/types.ts';

/**
 * Defensive parsing of Cel.ro order payloads. The shape is under-documented (research §5.2): the wiki
 * (2019) and a live integration use different field names, so every field is looked up under each
 * known alias, shipping arrives as a `taxa_transport` pseudo-line, and whatever does not fit is
 * reported in `issues` with the raw payload kept — never a crash.
 */

type Json = Record<string, unknown>;

export type StatusMeaning = 'new' | 'confirmed' | 'ready' | 'finished' | 'cancelled' | 'reversed' | 'unknown';

export interface CelroStatus {
  readonly id: string;
  readonly name: string;
  readonly meaning: StatusMeaning;
}

const strip = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Meaning of a status by its (Romanian) name; first match wins, order matters ("neconfirmata" is new). */
export function statusMeaningOf(name: string): StatusMeaning {
  const n = strip(name);
  if (/anulat|anulare|refuzat|cancel/.test(n)) return 'cancelled';
  if (/storn|returnat|retur/.test(n)) return 'reversed';
  if (/neconfirmat|in asteptare|\bnou(a)?\b|new/.test(n)) return 'new';
  if (/pregatit|gata de livrare|ready|de expediat/.test(n)) return 'ready';
  if (/finaliz|livrat|incheiat|complet|expediat|finish/.test(n)) return 'finished';
  if (/confirmat|procesare|in lucru|acceptat|confirm/.test(n)) return 'confirmed';
  return 'unknown';
}

/**
 * Status dictionary from `orders/getOrderStatusList` or `orders/ListStatuses`, whatever its shape:
 * a list of objects, an id → name map, or an id → object map. `overrides` (id → meaning) wins.
 */
export function parseStatusDictionary(message: unknown, overrides: Readonly<Record<string, StatusMeaning>> = {}): CelroStatus[] {
  const out: CelroStatus[] = [];
  const push = (id: unknown, name: unknown): void => {
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') return;
    const nm = typeof name === 'string' ? name : '';
    out.push({ id: String(id), name: nm, meaning: overrides[String(id)] ?? statusMeaningOf(nm) });
  };
  const nameOf = (o: Json): unknown => pick(o, ['name', 'status', 'nume', 'orders_status_name', 'status_name', 'denumire', 'text', 'title']);
  const idOf = (o: Json): unknown => pick(o, ['id', 'status_id', 'orders_status_id', 'orders_status', 'value', 'cod']);
  if (Array.isArray(message)) {
    for (const x of message) if (isObj(x)) push(idOf(x), nameOf(x));
  } else if (isObj(message)) {
    for (const [k, v] of Object.entries(message)) {
      if (typeof v === 'string') push(k, v);
      else if (isObj(v)) push(idOf(v) ?? k, nameOf(v));
    }
  }
  return out;
}

export interface CelroAddress {
  readonly name: string;
  readonly company: string;
  readonly vatId: string;
  readonly registrationNumber: string;
  readonly phone: string;
  readonly county: string;
  readonly city: string;
  readonly street: string;
  readonly zip: string;
  readonly country: string;
}

export interface CelroOrderLine {
  readonly lineId: string;
  readonly model: string | null;
  readonly name: string;
  readonly quantity: string;
  /** Unit price as sent (VAT included on Cel.ro), decimal string. */
  readonly unitPriceGross: string;
  readonly vatPercent: string | null;
  readonly kind: 'item' | 'shipping' | 'voucher';
}

export interface CelroOrder {
  readonly id: string;
  /** 'YYYY-MM-DD HH:MM:SS' as Cel.ro wrote it (Romanian local time). */
  readonly placedAt: string | null;
  readonly lastModified: string | null;
  readonly statusId: string | null;
  readonly statusName: string | null;
  readonly paymentMethodName: string | null;
  readonly paymentMethod: PaymentMethod;
  readonly paid: boolean | null;
  readonly total: string | null;
  readonly currency: string;
  readonly email: string | null;
  readonly phone: string | null;
  readonly billing: CelroAddress | null;
  readonly delivery: CelroAddress | null;
  readonly lines: readonly CelroOrderLine[];
  readonly notes: string;
  /** What could not be read as expected (field path: problem). Empty when the payload fit. */
  readonly issues: readonly string[];
  readonly raw: unknown;
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pick(o: Json, keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') return o[k];
  return undefined;
}

function text(o: Json, keys: readonly string[]): string | undefined {
  const v = pick(o, keys);
  return typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

function decimal(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(String(v)).toFixed();
  if (typeof v === 'string') {
    const s = v.trim().replace(',', '.');
    if (/^-?\d+(\.\d+)?$/.test(s)) return new Decimal(s).toFixed();
  }
  return undefined;
}

export function paymentMethodOf(name: string | null): PaymentMethod {
  if (!name) return 'other';
  const n = strip(name);
  if (/ramburs|numerar|cash|livrare/.test(n)) return 'cash_on_delivery';
  if (/card|online|euplatesc|netopia|mobilpay/.test(n)) return 'card';
  if (/ordin de plata|transfer|op\b/.test(n)) return 'bank_transfer';
  return 'other';
}

function parseAddress(v: unknown, path: string, issues: string[]): CelroAddress | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') {
    issues.push(`${path}: a single string, not structured`);
    return { name: '', company: '', vatId: '', registrationNumber: '', phone: '', county: '', city: '', street: v, zip: '', country: '' };
  }
  if (!isObj(v)) {
    issues.push(`${path}: unexpected ${typeof v}`);
    return null;
  }
  const t = (keys: string[]): string => text(v, keys) ?? '';
  const a: CelroAddress = {
    name: t(['nume', 'name', 'nume_client', 'persoana_contact', 'contact']),
    company: t(['firma', 'company', 'nume_firma', 'customer_company']),
    vatId: t(['cui', 'cif', 'cod_fiscal', 'vat_id']),
    registrationNumber: t(['reg_com', 'nr_reg_com', 'registration_number']),
    phone: t(['telefon', 'phone', 'tel']),
    county: t(['judet', 'county', 'regiune']),
    city: t(['localitate', 'oras', 'city', 'town']),
    street: t(['adresa', 'strada', 'address', 'street']),
    zip: t(['cod_postal', 'zip', 'postal_code', 'codpostal']),
    country: t(['tara', 'country']),
  };
  if (!a.street) issues.push(`${path}: no street/address field`);
  if (!a.city) issues.push(`${path}: no city/localitate field`);
  return a;
}

/** Parse the `message` of `orders/getOrder`. Throws only when not even an order id can be found. */
export function parseCelroOrder(message: unknown, requestedId?: string | number): CelroOrder {
  const issues: string[] = [];
  const o: Json = isObj(message) ? message : {};
  if (!isObj(message)) issues.push(`order: expected an object, got ${Array.isArray(message) ? 'an array' : typeof message}`);
  const id = text(o, ['id_comanda', 'orders_id', 'order_id', 'id', 'cmd']) ?? (requestedId === undefined ? undefined : String(requestedId));
  if (id === undefined) throw new ValidationError('Cel.ro order payload has no order id', [{ path: 'id_comanda', message: 'missing' }], { raw: message });
  const date = text(o, ['date_purchased', 'data_comenzii']);
  const day = text(o, ['data']);
  const hour = text(o, ['ora']);
  const placedAt = date ?? (day ? `${day}${hour ? ` ${hour}` : ''}` : null);
  if (placedAt === null) issues.push('order: no date (data / date_purchased)');

  let statusId: string | null = null;
  let statusName: string | null = null;
  const st = pick(o, ['status', 'orders_status', 'status_comanda']);
  if (isObj(st)) {
    statusId = text(st, ['id', 'status_id', 'orders_status_id']) ?? null;
    statusName = text(st, ['name', 'nume', 'status', 'text']) ?? null;
  } else if (typeof st === 'number' || typeof st === 'string') {
    statusId = String(st);
    statusName = text(o, ['status_name', 'orders_status_name']) ?? null;
  } else issues.push('order: no status');

  const payName = text(o, ['mod_plata', 'payment_method', 'metoda_plata']) ?? null;
  const paidRaw = pick(o, ['platit', 'paid', 'avans_confirmat']);
  const paid = paidRaw === undefined ? null : paidRaw === 1 || paidRaw === '1' || paidRaw === true;
  const totalRaw = pick(o, ['valoarecomanda', 'total', 'order_total', 'valoare']);
  const total = totalRaw === undefined ? null : (decimal(totalRaw) ?? null);
  if (totalRaw !== undefined && total === null) issues.push(`order: total not a number (${JSON.stringify(totalRaw)})`);

  const lines: CelroOrderLine[] = [];
  const prods = pick(o, ['products', 'produse', 'lines']);
  const list = Array.isArray(prods) ? prods : isObj(prods) ? Object.values(prods) : [];
  if (!Array.isArray(prods) && !isObj(prods)) issues.push('order: no products list');
  list.forEach((raw, i) => {
    if (!isObj(raw)) {
      issues.push(`products[${i}]: not an object`);
      return;
    }
    const model = text(raw, ['products_model', 'model', 'sku', 'cod_produs']) ?? null;
    const qty = decimal(pick(raw, ['cantitate', 'products_quantity', 'quantity', 'qty']));
    const price = decimal(pick(raw, ['products_price', 'pret', 'price', 'pret_unitar', 'final_price', 'pretf']));
    if (qty === undefined) issues.push(`products[${i}]: no quantity (cantitate / products_quantity)`);
    if (price === undefined) issues.push(`products[${i}]: no unit price (products_price)`);
    const shipping = model !== null && strip(model) === 'taxa_transport';
    const lineRef = text(raw, ['id_prod_com', 'orders_products_id', 'id']);
    lines.push({
      lineId: lineRef && lineRef !== '0' ? lineRef : `${id}-${shipping ? 'shipping' : i}`,
      model: shipping ? null : model,
      name: text(raw, ['product_name', 'products_name', 'name', 'denumire']) ?? (shipping ? 'Taxa transport' : (model ?? '')),
      quantity: qty ?? '1',
      unitPriceGross: price ?? '0',
      vatPercent: decimal(pick(raw, ['tva', 'vat', 'products_tax'])) ?? null,
      kind: shipping ? 'shipping' : price !== undefined && price.startsWith('-') ? 'voucher' : 'item',
    });
  });
  const vouchers = pick(o, ['vouchers', 'voucher', 'cupoane']);
  if (Array.isArray(vouchers)) {
    vouchers.forEach((v, i) => {
      if (!isObj(v)) return issues.push(`vouchers[${i}]: not an object`);
      const value = decimal(pick(v, ['valoare', 'value', 'amount', 'suma']));
      if (value === undefined) return issues.push(`vouchers[${i}]: no value`);
      const code = text(v, ['cod', 'code', 'name']) ?? `voucher-${i}`;
      lines.push({ lineId: `${id}-voucher-${i}`, model: null, name: `Voucher ${code}`, quantity: '1', unitPriceGross: new Decimal(value).abs().neg().toFixed(), vatPercent: null, kind: 'voucher' });
    });
  } else if (vouchers !== undefined) issues.push('vouchers: not a list');

  const billing = parseAddress(pick(o, ['billing_info', 'billing', 'adresa_facturare']), 'billing_info', issues);
  const delivery = parseAddress(pick(o, ['delivery_info', 'delivery', 'shipping', 'adresa_livrare']), 'delivery_info', issues);
  if (!billing) issues.push('order: no billing address');
  const customers = isObj(o.customers) ? o.customers : {};
  const filled = (a: CelroAddress | null): CelroAddress | null =>
    a && !a.name ? { ...a, name: text(customers, ['name']) ?? text(o, ['nume_firma']) ?? '' } : a;

  return {
    id,
    placedAt,
    lastModified: text(o, ['last_modified', 'last_changed', 'data_modificare']) ?? null,
    statusId,
    statusName,
    paymentMethodName: payName,
    paymentMethod: paymentMethodOf(payName),
    paid,
    total,
    currency: text(o, ['moneda', 'currency']) ?? 'RON',
    email: text(o, ['email', 'customers_email']) ?? null,
    phone: text(o, ['telefon', 'phone']) ?? billing?.phone ?? null,
    billing: filled(billing),
    delivery: filled(delivery),
    lines,
    notes: text(o, ['observatii_cmd', 'observatii', 'notes']) ?? '',
    issues,
    raw: message,
  };
}

const countryCode = (c: string): string => {
  const n = strip(c);
  if (n === '' || n === 'romania' || n === 'ro') return 'RO';
  return /^[a-z]{2}$/.test(n) ? n.toUpperCase() : 'RO';
};

function toAddress(a: CelroAddress): Address {
  return {
    name: a.name || a.company,
    ...(a.company ? { company: a.company } : {}),
    street: a.street,
    ...(a.zip ? { zip: a.zip } : {}),
    city: a.city,
    ...(a.county ? { region: a.county } : {}),
    countryCode: countryCode(a.country),
    ...(a.phone ? { phone: a.phone } : {}),
  };
}

/** The canonical Order. `meaningOf` turns the status id into Vortex's meaning (from the dictionary). */
export function toCanonicalOrder(o: CelroOrder, meaningOf: (statusId: string | null) => StatusMeaning): Order {
  let currency: CurrencyCode;
  try {
    currency = parseCurrency(o.currency.toUpperCase() === 'LEI' ? 'RON' : o.currency);
  } catch {
    throw new ValidationError(`Cel.ro order ${o.id}: unsupported currency ${o.currency}`, [{ path: 'moneda', message: 'unsupported currency' }], { orderId: o.id });
  }
  const lines: OrderLine[] = o.lines.map((l) => {
    const unit = Money.of(l.unitPriceGross, currency);
    return {
      lineId: l.lineId,
      sku: l.model,
      title: l.name,
      quantity: l.quantity,
      unitPriceGross: unit,
      lineTotalGross: unit.mul(l.quantity).round('half-up'),
      vatPercent: l.vatPercent,
      kind: l.kind,
    };
  });
  const sum = lines.reduce((t, l) => t.add(l.lineTotalGross), Money.zero(currency));
  const billing = o.billing ?? o.delivery;
  const b = billing ?? { name: '', company: '', vatId: '', registrationNumber: '', phone: '', county: '', city: '', street: '', zip: '', country: '' };
  const customer: Customer = {
    kind: b.vatId || b.company ? 'company' : 'person',
    name: b.company || b.name,
    ...(o.email ? { email: o.email } : {}),
    ...(o.phone ? { phone: o.phone } : {}),
    ...(b.vatId ? { vatId: b.vatId } : {}),
    ...(b.registrationNumber ? { registrationNumber: b.registrationNumber } : {}),
    billingAddress: toAddress(b),
    ...(o.delivery ? { shippingAddress: toAddress(o.delivery) } : {}),
  };
  return {
    channel: 'celro',
    channelOrderId: o.id,
    placedAt: o.placedAt ?? '',
    currency: sum.currency,
    status: meaningOf(o.statusId),
    customer,
    lines,
    totalGross: o.total === null ? sum : Money.of(o.total, currency),
    paymentMethod: o.paymentMethod,
    ...(o.notes ? { notes: o.notes } : {}),
  };
}
