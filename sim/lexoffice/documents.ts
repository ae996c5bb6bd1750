import type { Decimal } from '../../src/core/decimal.ts';
import { type Detail, validationFailed } from './errors.ts';
import type { Json, SalesKind, SalesVoucher, SimState } from './state.ts';
import { dec, decimals, isUuid, lexTime, num, parseLexTime, uuid } from './util.ts';

export const TAX_TYPES = [
  'net',
  'gross',
  'vatfree',
  'intraCommunitySupply',
  'constructionService13b',
  'externalService13b',
  'thirdPartyCountryService',
  'thirdPartyCountryDelivery',
  'photovoltaicEquipment',
] as const;
/** Vat-free types other than `vatfree` need a referenced contact, not a one-time address (research §4.3). */
const NEEDS_CONTACT = new Set(['intraCommunitySupply', 'constructionService13b', 'externalService13b', 'thirdPartyCountryService', 'thirdPartyCountryDelivery']);
const SHIPPING_TYPES = ['service', 'serviceperiod', 'delivery', 'deliveryperiod', 'none'];
const LINE_TYPES = ['custom', 'material', 'service', 'text'];
const GERMAN_RATES = [0, 7, 19];
export const MAX_LINE_ITEMS = 300;

export interface PricedLine {
  readonly quantity: Decimal;
  /** Net unit price when taxType ≠ gross, gross unit price when taxType = gross. */
  readonly unit: Decimal;
  readonly taxRate: Decimal;
  readonly discountPercentage: Decimal;
}

export interface Totals {
  readonly lineAmounts: Decimal[];
  readonly taxAmounts: { taxRatePercentage: number; taxAmount: Decimal; netAmount: Decimal }[];
  readonly totalNet: Decimal;
  readonly totalGross: Decimal;
  readonly totalTax: Decimal;
}

/**
 * Totals the way lexoffice prints them: each line rounded to cents first (quantity × unit price less
 * the line discount, on the net side for net documents and the gross side for gross ones), lines summed
 * per tax rate, an optional document discount taken off per rate, then VAT computed once per rate
 * (net documents: tax = round(net × rate); gross documents: net = round(gross / (1 + rate)), tax = the rest).
 * The exact rounding of the real service is not documented [UNCERTAIN]; this per-line/per-rate scheme is
 * the common German invoicing practice and the one the research points to.
 */
export function computeTotals(lines: readonly PricedLine[], gross: boolean, discount: { percentage?: Decimal; absolute?: Decimal } = {}): Totals {
  const lineAmounts = lines.map((l) =>
    l.quantity.times(l.unit).times(dec(100).minus(l.discountPercentage).div(100)).toDecimalPlaces(2),
  );
  const byRate = new Map<string, Decimal>();
  lines.forEach((l, i) => {
    const k = l.taxRate.toString();
    byRate.set(k, (byRate.get(k) ?? dec(0)).plus(lineAmounts[i] as Decimal));
  });
  const rates = [...byRate.keys()].sort((a, b) => Number(a) - Number(b));
  const sum = rates.reduce((acc, r) => acc.plus(byRate.get(r) as Decimal), dec(0));
  // Document discount: a percentage per rate, or an absolute amount spread over the rates pro rata.
  let remaining = discount.absolute ?? dec(0);
  rates.forEach((r, idx) => {
    let base = byRate.get(r) as Decimal;
    if (discount.percentage) base = base.minus(base.times(discount.percentage).div(100).toDecimalPlaces(2));
    if (discount.absolute && !sum.isZero()) {
      const share = idx === rates.length - 1 ? remaining : (discount.absolute.times(byRate.get(r) as Decimal).div(sum).toDecimalPlaces(2));
      remaining = remaining.minus(share);
      base = base.minus(share);
    }
    byRate.set(r, base);
  });
  const taxAmounts = rates.map((r) => {
    const base = byRate.get(r) as Decimal;
    const rate = dec(r);
    if (gross) {
      const net = base.div(rate.plus(100).div(100)).toDecimalPlaces(2);
      return { taxRatePercentage: Number(r), taxAmount: base.minus(net), netAmount: net };
    }
    return { taxRatePercentage: Number(r), taxAmount: base.times(rate).div(100).toDecimalPlaces(2), netAmount: base };
  });
  const totalNet = taxAmounts.reduce((a, t) => a.plus(t.netAmount), dec(0));
  const totalTax = taxAmounts.reduce((a, t) => a.plus(t.taxAmount), dec(0));
  return { lineAmounts, taxAmounts, totalNet, totalTax, totalGross: totalNet.plus(totalTax) };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

interface Ctx {
  readonly state: SimState;
  readonly kind: SalesKind;
  readonly finalize: boolean;
  readonly path: string;
  readonly now: Date;
}

/** Keys whose value is undefined or null left out: the API omits optional fields that were not given (live shape dump). */
function given(o: Obj): Obj {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * Validate a POST /v1/invoices | /v1/order-confirmations | /v1/credit-notes body and build the stored
 * voucher; 406 with details otherwise. Credit notes have no shipping or payment conditions, no due date
 * and no line discounts (research §4.7).
 */
export function createSalesVoucher(body: unknown, ctx: Ctx): SalesVoucher {
  const d: Detail[] = [];
  const bad = (field: string, violation: string, message: string): void => void d.push({ field, violation, message });
  const b = isObj(body) ? body : {};
  if (!isObj(body)) bad('', 'NOTNULL', 'request body must be a JSON object');
  const creditNote = ctx.kind === 'creditnote';

  const voucherDate = parseLexTime(b.voucherDate);
  if (b.voucherDate === undefined || b.voucherDate === null) bad('voucherDate', 'NOTNULL', 'darf nicht leer sein');
  else if (!voucherDate) bad('voucherDate', 'PATTERN', "must match 'yyyy-MM-ddTHH:mm:ss.SSSXXX'");

  const language = b.language ?? 'de';
  if (language !== 'de' && language !== 'en') bad('language', 'INVALID', 'must be de or en');

  // Tax conditions
  const tc = isObj(b.taxConditions) ? b.taxConditions : undefined;
  if (!tc) bad('taxConditions', 'NOTNULL', 'darf nicht leer sein');
  const taxType = tc?.taxType;
  if (tc && (typeof taxType !== 'string' || !(TAX_TYPES as readonly string[]).includes(taxType))) bad('taxConditions.taxType', 'INVALID', 'invalid tax type');
  const taxSubType = tc?.taxSubType ?? null;
  if (taxSubType !== null && taxSubType !== 'distanceSales' && taxSubType !== 'electronicServices') bad('taxConditions.taxSubType', 'INVALID', 'invalid tax sub type');
  if (taxSubType !== null && taxType !== 'net' && taxType !== 'gross') bad('taxConditions.taxSubType', 'INVALID', 'only allowed with taxType net or gross');
  const gross = taxType === 'gross';
  const zeroRated = typeof taxType === 'string' && taxType !== 'net' && taxType !== 'gross';

  // Address: a referenced customer contact, or a one-time address with name + countryCode.
  const a = isObj(b.address) ? b.address : undefined;
  let address: Obj = {};
  let contactId: string | null = null;
  let contactName = '';
  if (!a) bad('address', 'NOTNULL', 'darf nicht leer sein');
  else if (a.contactId !== undefined && a.contactId !== null) {
    const c = isUuid(a.contactId) ? ctx.state.contacts.get(a.contactId) : undefined;
    if (!c) bad('address.contactId', 'INVALID', 'contact does not exist');
    else if (!c.roles.customer) bad('address.contactId', 'INVALID', 'contact has no customer role');
    else {
      contactId = c.id;
      const billing = ((c.addresses as Obj | undefined)?.billing as Obj[] | undefined)?.[0] ?? {};
      contactName = contactDisplayName(c);
      address = given({
        contactId: c.id,
        name: a.name ?? contactName,
        supplement: a.supplement ?? billing.supplement,
        street: a.street ?? billing.street,
        city: a.city ?? billing.city,
        zip: a.zip ?? billing.zip,
        countryCode: a.countryCode ?? billing.countryCode ?? 'DE',
      });
    }
  } else {
    if (typeof a.name !== 'string' || a.name.trim() === '') bad('address.name', 'NOTNULL', 'darf nicht leer sein');
    if (typeof a.countryCode !== 'string') bad('address.countryCode', 'NOTNULL', 'darf nicht leer sein');
    else if (!ctx.state.countries.some((c) => c.countryCode === a.countryCode)) bad('address.countryCode', 'INVALID', 'countrycode_is_not_valid');
    if (typeof taxType === 'string' && NEEDS_CONTACT.has(taxType)) bad('address.contactId', 'NOTNULL', `taxType ${taxType} requires a referenced contact`);
    contactName = typeof a.name === 'string' ? a.name : '';
    address = given({ name: a.name, supplement: a.supplement, street: a.street, city: a.city, zip: a.zip, countryCode: a.countryCode });
  }

  // Line items
  const items = Array.isArray(b.lineItems) ? b.lineItems : undefined;
  // An empty list is a valid (empty) draft — 201 on the real service; a finalized document needs lines [UNCERTAIN].
  if (!items) bad('lineItems', 'NOTNULL', 'darf nicht leer sein');
  else if (items.length === 0 && ctx.finalize) bad('lineItems', 'NOTEMPTY', 'darf nicht leer sein');
  else if (items.length > MAX_LINE_ITEMS) bad('lineItems', 'SIZE', `size must be between 1 and ${MAX_LINE_ITEMS}`);
  const priced: PricedLine[] = [];
  const pricedIdx: number[] = [];
  const outLines: Obj[] = [];
  (items ?? []).forEach((raw, i) => {
    const f = `lineItems[${i}]`;
    const li = isObj(raw) ? raw : {};
    const type = li.type;
    if (typeof type !== 'string' || !LINE_TYPES.includes(type)) return bad(`${f}.type`, 'INVALID', 'must be custom, material, service or text');
    if (typeof li.name !== 'string' || li.name === '') bad(`${f}.name`, 'NOTNULL', 'darf nicht leer sein');
    else if (li.name.length > 255) bad(`${f}.name`, 'SIZE', 'size must be between 0 and 255');
    if (typeof li.description === 'string' && li.description.length > 2000) bad(`${f}.description`, 'SIZE', 'size must be between 0 and 2000');
    if (type === 'text') {
      outLines.push(given({ type, name: li.name, description: li.description }));
      return;
    }
    if (type === 'material' || type === 'service') {
      if (!isUuid(li.id) || !ctx.state.articles.has(li.id)) bad(`${f}.id`, 'INVALID', 'article does not exist');
    } else if (li.id !== undefined && li.id !== null) bad(`${f}.id`, 'INVALID', 'custom line items must not reference an article');
    if (!isNum(li.quantity)) bad(`${f}.quantity`, 'NOTNULL', 'darf nicht leer sein');
    else if (li.quantity < 0 || decimals(li.quantity) > 4) bad(`${f}.quantity`, 'DIGITS', 'at most 4 decimal places');
    if (typeof li.unitName !== 'string' || li.unitName === '') bad(`${f}.unitName`, 'NOTNULL', 'darf nicht leer sein');
    if (creditNote && li.discountPercentage !== undefined && li.discountPercentage !== null) bad(`${f}.discountPercentage`, 'INVALID', 'credit notes have no line discounts');
    const disc = li.discountPercentage ?? 0;
    if (!isNum(disc) || disc < 0 || disc > 100 || decimals(disc) > 2) bad(`${f}.discountPercentage`, 'INVALID', 'must be between 0 and 100 with at most 2 decimals');
    const up = isObj(li.unitPrice) ? li.unitPrice : undefined;
    if (!up) return bad(`${f}.unitPrice`, 'NOTNULL', 'darf nicht leer sein');
    if (up.currency === undefined || up.currency === null) bad(`${f}.unitPrice.currency`, 'NOTNULL', 'darf nicht leer sein');
    else if (up.currency !== 'EUR') bad(`${f}.unitPrice.currency`, 'INVALID', 'only EUR is supported');
    const rate = up.taxRatePercentage;
    if (!isNum(rate)) bad(`${f}.unitPrice.taxRatePercentage`, 'NOTNULL', 'darf nicht leer sein');
    else if (zeroRated && rate !== 0) bad(`${f}.unitPrice.taxRatePercentage`, 'INVALID', `must be 0 for taxType ${String(taxType)}`);
    else if (!zeroRated && taxSubType === null && !GERMAN_RATES.includes(rate)) bad(`${f}.unitPrice.taxRatePercentage`, 'INVALID', 'tax rate not valid for the voucher date');
    else if (rate < 0 || rate > 30) bad(`${f}.unitPrice.taxRatePercentage`, 'INVALID', 'tax rate not valid');
    const amountField = gross ? 'grossAmount' : 'netAmount';
    const amount = up[amountField];
    if (!isNum(amount)) bad(`${f}.unitPrice.${amountField}`, 'NOTNULL', 'darf nicht leer sein');
    else if (decimals(amount) > 4) bad(`${f}.unitPrice.${amountField}`, 'DIGITS', 'at most 4 decimal places');
    if (isNum(li.quantity) && isNum(rate) && isNum(amount) && isNum(disc)) {
      const r = dec(rate);
      const unit = dec(amount);
      const net = gross ? unit.div(r.plus(100).div(100)) : unit;
      const grs = gross ? unit : unit.times(r.plus(100).div(100));
      pricedIdx.push(outLines.length);
      priced.push({ quantity: dec(li.quantity), unit, taxRate: r, discountPercentage: dec(disc) });
      outLines.push({
        ...(type === 'custom' ? {} : { id: li.id }),
        type,
        name: li.name,
        ...(typeof li.description === 'string' ? { description: li.description } : {}),
        quantity: li.quantity,
        unitName: li.unitName,
        unitPrice: { currency: 'EUR', netAmount: num(net, 4), grossAmount: num(grs, 4), taxRatePercentage: rate },
        ...(creditNote ? {} : { discountPercentage: disc }),
        lineItemAmount: 0,
      });
    }
  });

  // Total price
  const tp = isObj(b.totalPrice) ? b.totalPrice : undefined;
  if (!tp) bad('totalPrice', 'NOTNULL', 'darf nicht leer sein');
  else if (tp.currency === undefined || tp.currency === null) bad('totalPrice.currency', 'NOTNULL', 'darf nicht leer sein');
  else if (tp.currency !== 'EUR') bad('totalPrice.currency', 'INVALID', 'only EUR is supported');
  const discPct = tp?.totalDiscountPercentage;
  const discAbs = tp?.totalDiscountAbsolute;
  if (discPct !== undefined && discPct !== null && (!isNum(discPct) || discPct < 0 || discPct > 100)) bad('totalPrice.totalDiscountPercentage', 'INVALID', 'must be between 0 and 100');
  if (discAbs !== undefined && discAbs !== null && (!isNum(discAbs) || discAbs < 0)) bad('totalPrice.totalDiscountAbsolute', 'INVALID', 'must not be negative');
  if (isNum(discPct) && isNum(discAbs)) bad('totalPrice', 'INVALID', 'totalDiscountPercentage and totalDiscountAbsolute are exclusive');

  // Shipping conditions (required for invoices and order confirmations).
  const sc = isObj(b.shippingConditions) ? b.shippingConditions : undefined;
  let shippingConditions: Obj | undefined;
  if (creditNote) {
    // Credit notes carry no shipping conditions; one sent is ignored.
  } else if (!sc) bad('shippingConditions', 'NOTNULL', 'darf nicht leer sein');
  else {
    const st = sc.shippingType;
    if (typeof st !== 'string' || !SHIPPING_TYPES.includes(st)) bad('shippingConditions.shippingType', 'INVALID', 'invalid shipping type');
    const sd = parseLexTime(sc.shippingDate);
    if (st !== 'none' && !sd) bad('shippingConditions.shippingDate', sc.shippingDate ? 'PATTERN' : 'NOTNULL', 'shippingDate required in yyyy-MM-ddTHH:mm:ss.SSSXXX');
    if (st === 'serviceperiod' || st === 'deliveryperiod') {
      const se = parseLexTime(sc.shippingEndDate);
      if (!se) bad('shippingConditions.shippingEndDate', 'NOTNULL', 'required for period shipping types');
      else if (sd && se < sd) bad('shippingConditions.shippingEndDate', 'INVALID', 'must not be before shippingDate');
    }
    shippingConditions = given({ shippingDate: sc.shippingDate, shippingEndDate: sc.shippingEndDate, shippingType: st });
  }

  for (const [field, max] of [['title', 25], ['introduction', 2000], ['remark', 2000], ['deliveryTerms', 255]] as const) {
    const v = b[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > max)) bad(field, 'SIZE', `size must be between 0 and ${max}`);
  }
  if (b.printLayoutId !== undefined && b.printLayoutId !== null && !isUuid(b.printLayoutId)) bad('printLayoutId', 'INVALID', 'must be a uuid');

  if (d.length > 0) throw validationFailed(ctx.path, d);

  const totals = computeTotals(priced, gross, {
    ...(isNum(discPct) ? { percentage: dec(discPct) } : {}),
    ...(isNum(discAbs) ? { absolute: dec(discAbs) } : {}),
  });
  pricedIdx.forEach((lineIdx, i) => {
    (outLines[lineIdx] as Obj).lineItemAmount = num(totals.lineAmounts[i] as Decimal);
  });

  const pc = isObj(b.paymentConditions)
    ? given({
        paymentTermLabel: b.paymentConditions.paymentTermLabel,
        paymentTermLabelTemplate: b.paymentConditions.paymentTermLabel,
        paymentTermDuration: b.paymentConditions.paymentTermDuration ?? 14,
        paymentDiscountConditions: isObj(b.paymentConditions.paymentDiscountConditions) ? b.paymentConditions.paymentDiscountConditions : undefined,
      })
    : { paymentTermLabel: 'Zahlbar in 14 Tagen, rein netto ohne Abzug', paymentTermLabelTemplate: 'Zahlbar in {paymentRange} Tagen, rein netto ohne Abzug', paymentTermDuration: 14 };

  const id = uuid();
  const status = ctx.finalize ? 'open' : 'draft';
  const isInvoice = ctx.kind === 'invoice';
  const vDate = voucherDate as Date;
  const documentFileId = ctx.finalize ? uuid() : undefined;
  if (documentFileId) ctx.state.files.set(documentFileId, id);
  const titles = { invoice: ['Rechnung', 'Invoice'], orderconfirmation: ['Auftragsbestätigung', 'Order confirmation'], creditnote: ['Rechnungskorrektur', 'Credit note'] }[ctx.kind];
  const doc: SalesVoucher['doc'] = {
    id,
    organizationId: ctx.state.organizationId,
    createdDate: lexTime(ctx.now),
    updatedDate: lexTime(ctx.now),
    version: 1,
    language,
    archived: false,
    voucherStatus: status,
    voucherNumber: ctx.state.nextVoucherNumber(ctx.kind),
    voucherDate: lexTime(vDate),
    ...(isInvoice && ctx.finalize ? { dueDate: lexTime(new Date(vDate.getTime() + Number(pc.paymentTermDuration) * 86_400_000)) } : {}),
    address,
    electronicDocumentProfile: 'NONE',
    lineItems: outLines,
    totalPrice: {
      currency: 'EUR',
      totalNetAmount: num(totals.totalNet),
      totalGrossAmount: num(totals.totalGross),
      totalTaxAmount: num(totals.totalTax),
      ...(isNum(discAbs) ? { totalDiscountAbsolute: discAbs } : {}),
      ...(isNum(discPct) ? { totalDiscountPercentage: discPct } : {}),
    },
    taxAmounts: totals.taxAmounts.map((t) => ({ taxRatePercentage: t.taxRatePercentage, taxAmount: num(t.taxAmount), netAmount: num(t.netAmount) })),
    taxConditions: { taxType, ...(taxSubType ? { taxSubType } : {}), ...(typeof tc?.taxTypeNote === 'string' ? { taxTypeNote: tc.taxTypeNote } : {}) },
    ...(creditNote ? {} : { paymentConditions: pc, shippingConditions }),
    // Read-only invoice fields (research §4.1): no down payments and no recurring template in the simulator.
    ...(isInvoice ? { closingInvoice: false, claimedGrossAmount: num(totals.totalGross), downPaymentDeductions: [], recurringTemplateId: null } : {}),
    relatedVouchers: [],
    ...(ctx.finalize ? { printLayoutId: '11111111-2222-4333-8444-555555555555' } : {}),
    title: b.title ?? (titles[language === 'en' ? 1 : 0] as string),
    introduction: b.introduction ?? (creditNote ? 'Wir erstatten Ihnen folgende Positionen.' : 'Unsere Lieferungen/Leistungen stellen wir Ihnen wie folgt in Rechnung.'),
    remark: b.remark ?? 'Vielen Dank für die gute Zusammenarbeit.',
    ...(ctx.kind === 'orderconfirmation' ? { deliveryTerms: b.deliveryTerms ?? 'Lieferung frei Haus.' } : {}),
    ...(documentFileId ? { files: { documentFileId } } : {}),
  };
  return {
    kind: ctx.kind,
    created: ctx.now,
    updated: ctx.now,
    doc,
    totalGross: num(totals.totalGross),
    contactId,
    contactName,
    payments: [],
  };
}

export function contactDisplayName(c: Json): string {
  const company = c.company as Obj | undefined;
  if (company && typeof company.name === 'string') return company.name;
  const p = (c.person as Obj | undefined) ?? {};
  return [p.firstName, p.lastName].filter((x) => typeof x === 'string' && x !== '').join(' ');
}
