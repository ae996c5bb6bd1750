import { Decimal } from '../core/decimal.ts';
import type { Order, OrderLine } from '../core/types.ts';
import { isVatRegisteredBusiness } from './contact-plan.ts';

/**
 * A Cel.ro order as the lexoffice sales voucher (pure). Inputs: the canonical order, the active order
 * rule set's result per line (EUR amounts, VAT rate, the lexoffice article resolved from the SKU), and
 * the document settings of the rule set. Decisions made here:
 *  - lines: an item line with an article is `material`/`service` with the article id, else `custom`;
 *    shipping and vouchers/discounts are custom lines (vouchers negative);
 *  - amounts: the rule set's per-line EUR amounts (line totals converted, rounded half-up once); the
 *    unit price is the line total / quantity at 4 decimals, and a line whose quantity × unit price would
 *    not give its total back to the cent is sent as quantity 1 with the quantity in its name;
 *  - total: the order's RON total converted ONCE at the rate the lines used, half-up to the cent; the
 *    per-line rounding residue (a few cents) goes onto the shipping line, else the largest quantity-1
 *    line, else a separate rounding line — so the lexoffice total is exact to the cent;
 *  - tax: a VAT-registered Romanian company is an intra-community supply (taxType
 *    `intraCommunitySupply`, net amounts, 0 %); everyone else is a B2C distance sale (`gross` +
 *    `taxSubType: distanceSales`, the RO rate of the line) — as the rule set's `document` section says;
 *  - text: the Cel.ro order number as a marker in the introduction (how a person, and Vortex after an
 *    unknown outcome, find the document), the original RON amounts and the rate in the remark.
 */

export type DocumentKind = 'invoice' | 'orderconfirmation';

export interface LineRuleResult {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly fx: readonly { readonly source: string; readonly currency: string; readonly date: string; readonly rate: string; readonly multiplier: number }[];
}

/** The lexoffice article for an item line, or null for a deliberate custom line. */
export interface ResolvedArticle {
  readonly id: string;
  readonly type: 'material' | 'service';
}

export interface DocumentRules {
  readonly taxType: 'gross' | 'net';
  readonly taxSubType: 'distanceSales' | 'none';
  readonly b2b: 'intraCommunitySupply' | 'same';
}

export const DEFAULT_DOCUMENT_RULES: DocumentRules = { taxType: 'gross', taxSubType: 'distanceSales', b2b: 'intraCommunitySupply' };

export interface PlanInput {
  readonly order: Order;
  /** Same order as order.lines. */
  readonly results: readonly LineRuleResult[];
  /** Per order line id: the article of an item line (undefined for shipping/voucher lines). */
  readonly articles: ReadonlyMap<string, ResolvedArticle | null>;
  readonly document: DocumentRules;
}

export interface PlannedLine {
  readonly type: 'custom' | 'material' | 'service';
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  readonly quantity: string;
  readonly unitName: string;
  readonly unitPrice: { readonly currency: 'EUR'; readonly netAmount?: string; readonly grossAmount?: string; readonly taxRatePercentage: string };
}

export interface VoucherPlan {
  readonly voucherDate: string;
  readonly lineItems: readonly PlannedLine[];
  readonly taxConditions: { readonly taxType: string; readonly taxSubType?: 'distanceSales' };
  readonly shippingConditions: { readonly shippingType: 'delivery'; readonly shippingDate: string };
  readonly introduction: string;
  readonly remark: string;
  /** The document total lexoffice will compute (gross for B2C, net = gross for a 0 % supply), EUR. */
  readonly totalEur: string;
  readonly original: { readonly amount: string; readonly currency: string };
  readonly fx: { readonly source: string; readonly date: string; readonly rate: string } | null;
  /** Cents moved to make the total exact (total − Σ rounded lines), EUR. */
  readonly residue: string;
  readonly b2b: boolean;
}

export type PlanResult = { readonly ok: true; readonly plan: VoucherPlan } | { readonly ok: false; readonly code: 'rule_error' | 'missing_rate'; readonly message: string };

export const MARKER_PREFIX = 'Cel.ro order';

/** The marker text that identifies an order's document in lexoffice. */
export function orderMarker(channelOrderId: string): string {
  return `${MARKER_PREFIX} ${channelOrderId}`;
}

/** Does a document text carry this order's marker (not a longer number starting with the same digits)? */
export function hasMarker(text: string | null | undefined, channelOrderId: string): boolean {
  if (!text) return false;
  const esc = channelOrderId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${MARKER_PREFIX.replace('.', '\\.')} ${esc}(?![0-9A-Za-z])`).test(text);
}

/** The order's calendar day as Cel.ro wrote it (Romanian local time), "YYYY-MM-DD". */
export function orderDay(placedAt: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(placedAt.trim());
  return m ? m[1]! : null;
}

/** lexoffice date-time for a day (midnight; CET offset keeps the same calendar day all year). */
export function lexDate(day: string): string {
  return `${day}T00:00:00.000+01:00`;
}

const D = (v: unknown, what: string): Decimal => {
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return new Decimal(v);
  if (typeof v === 'number' && Number.isInteger(v)) return new Decimal(v);
  throw new PlanFailure('rule_error', `${what}: expected a decimal, got ${JSON.stringify(v)}`);
};

class PlanFailure extends Error {
  constructor(
    readonly code: 'rule_error' | 'missing_rate',
    message: string,
  ) {
    super(message);
  }
}

function field(fields: Readonly<Record<string, unknown>>, path: string): unknown {
  let cur: unknown = fields;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const money = (d: Decimal): string => d.toFixed(2);

export function planVoucher(input: PlanInput): PlanResult {
  try {
    return { ok: true, plan: build(input) };
  } catch (e) {
    if (e instanceof PlanFailure) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
}

interface Working {
  line: OrderLine;
  type: PlannedLine['type'];
  id?: string;
  name: string;
  description: string;
  quantity: Decimal;
  unitName: string;
  rate: Decimal;
  amount: Decimal; // the line total as lexoffice will compute it (gross or net side), EUR, 2 decimals
  exact: Decimal; // the same amount unrounded, from the RON total and the rate
}

function build(input: PlanInput): VoucherPlan {
  const { order, results, document } = input;
  if (results.length !== order.lines.length) throw new PlanFailure('rule_error', `${results.length} rule results for ${order.lines.length} lines`);
  const day = orderDay(order.placedAt);
  if (!day) throw new PlanFailure('rule_error', `order ${order.channelOrderId} has no readable date (${JSON.stringify(order.placedAt)})`);
  const b2b = document.b2b === 'intraCommunitySupply' && isVatRegisteredBusiness(order.customer);
  const grossDoc = !b2b && document.taxType === 'gross';

  // The rate every line used: one fixing per order, or none when the order is already in EUR.
  const uses = new Map<string, LineRuleResult['fx'][number]>();
  for (const r of results) for (const u of r.fx) uses.set(`${u.source}|${u.currency}|${u.date}|${u.rate}`, u);
  if (uses.size > 1) throw new PlanFailure('rule_error', `the lines were converted at different rates (${[...uses.keys()].join('; ')}): one order, one rate`);
  const use = [...uses.values()][0];
  if (!use && order.currency !== 'EUR') throw new PlanFailure('missing_rate', `the order is in ${order.currency} but the rule set converted no line to EUR`);
  // Both BNR (RON per EUR) and ECB (RON per EUR) quote the RON price of one euro: EUR = RON × multiplier / rate.
  const eurPerUnit = use ? new Decimal(use.multiplier).div(use.rate) : new Decimal(1);

  const lines: Working[] = order.lines.map((line, i) => {
    const f = results[i]!.fields;
    const rate = b2b ? new Decimal(0) : D(field(f, 'unitPrice.taxRatePercentage'), `line ${i + 1} unitPrice.taxRatePercentage`);
    const grossEur = D(field(f, 'lineTotal.grossAmount'), `line ${i + 1} lineTotal.grossAmount`);
    const netEur = field(f, 'lineTotal.netAmount') === undefined ? grossEur.div(rate.plus(100).div(100)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP) : D(field(f, 'lineTotal.netAmount'), `line ${i + 1} lineTotal.netAmount`);
    const ruleRate = D(field(f, 'unitPrice.taxRatePercentage'), `line ${i + 1} unitPrice.taxRatePercentage`);
    const exactGross = line.lineTotalGross.amount.times(eurPerUnit);
    const amount = grossDoc ? grossEur : netEur;
    const exact = grossDoc ? exactGross : exactGross.div(ruleRate.plus(100).div(100));
    const article = input.articles.get(line.lineId);
    const name = String(field(f, 'name') ?? line.title).slice(0, 255) || (line.kind === 'shipping' ? 'Transport' : 'Artikel');
    const qty = D(field(f, 'quantity') ?? line.quantity, `line ${i + 1} quantity`);
    if (qty.lte(0)) throw new PlanFailure('rule_error', `line ${i + 1} (${line.title}): quantity must be positive, got ${qty.toFixed()}`);
    return {
      line,
      type: article ? article.type : 'custom',
      ...(article ? { id: article.id } : {}),
      name,
      description: `Cel.ro: ${line.quantity} × ${line.unitPriceGross.toString()} ${line.unitPriceGross.currency} = ${line.lineTotalGross.toString()} ${line.lineTotalGross.currency}`,
      quantity: qty,
      unitName: String(field(f, 'unitName') ?? 'Stück'),
      rate,
      amount,
      exact,
    };
  });

  const totalOriginal = order.lines.reduce((a, l) => a.plus(l.lineTotalGross.amount), new Decimal(0));
  const target = lines.reduce((a, l) => a.plus(l.exact), new Decimal(0)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const rounded = lines.reduce((a, l) => a.plus(l.amount), new Decimal(0));
  const residue = target.minus(rounded);
  // Per-line half-up rounding moves at most half a cent per line; more means the rules are off.
  if (residue.abs().gt(new Decimal('0.005').times(lines.length).plus('0.01'))) {
    throw new PlanFailure('rule_error', `the rule set's line amounts (${money(rounded)} EUR) are ${money(residue)} EUR away from the converted order total ${money(target)} EUR`);
  }
  const extra: Working[] = [];
  if (!residue.isZero()) {
    const candidates = lines.filter((l) => l.quantity.eq(1));
    const host = candidates.find((l) => l.line.kind === 'shipping') ?? [...candidates].sort((a, b) => b.amount.comparedTo(a.amount))[0];
    if (host && host.amount.plus(residue).gt(0)) host.amount = host.amount.plus(residue);
    else {
      const base = lines[0]!;
      extra.push({ ...base, type: 'custom', name: 'Rundungsdifferenz (Währungsumrechnung)', description: 'Rounding of the RON → EUR conversion', quantity: new Decimal(1), unitName: 'pauschal', amount: residue, exact: residue });
      delete (extra[0] as { id?: string }).id;
    }
  }

  const lineItems: PlannedLine[] = [...lines, ...extra].map((l) => {
    let quantity = l.quantity;
    let name = l.name;
    let unit = l.amount.div(quantity).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
    // lexoffice rounds quantity × unit price to the cent: send the line as one lot when that would drift.
    if (!unit.times(quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).eq(l.amount)) {
      name = `${quantity.toFixed()} × ${l.name}`.slice(0, 255);
      quantity = new Decimal(1);
      unit = l.amount;
    }
    const amountKey = grossDoc ? 'grossAmount' : 'netAmount';
    return {
      type: l.type,
      ...(l.id ? { id: l.id } : {}),
      name,
      description: l.description,
      quantity: quantity.toFixed(),
      unitName: l.unitName,
      unitPrice: { currency: 'EUR', [amountKey]: unit.toFixed(), taxRatePercentage: l.rate.toFixed() },
    } as PlannedLine;
  });

  const totalEur = [...lines, ...extra].reduce((a, l) => a.plus(l.amount), new Decimal(0));
  const fx = use ? { source: use.source, date: use.date, rate: use.rate } : null;
  const introduction = [
    `${orderMarker(order.channelOrderId)} of ${day}`,
    order.customer.name ? `Customer: ${order.customer.name}` : '',
    b2b ? `VAT ID of the customer: ${order.customer.vatId}. Tax-exempt intra-community supply (§ 4 Nr. 1b UStG).` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const remark = [
    `Paid on Cel.ro: ${money(totalOriginal)} ${order.currency}.`,
    fx ? `Converted at the ${fx.source} rate of ${fx.date}: 1 EUR = ${fx.rate} ${order.currency}${use && use.multiplier !== 1 ? ` per ${use.multiplier}` : ''}; total ${money(target)} EUR${residue.isZero() ? '' : ` (rounding ${money(residue)} EUR)`}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const date = lexDate(day);
  return {
    voucherDate: date,
    lineItems,
    taxConditions: b2b ? { taxType: 'intraCommunitySupply' } : { taxType: document.taxType, ...(document.taxSubType === 'distanceSales' ? { taxSubType: 'distanceSales' as const } : {}) },
    shippingConditions: { shippingType: 'delivery', shippingDate: date },
    introduction,
    remark,
    totalEur: money(totalEur),
    original: { amount: money(totalOriginal), currency: order.currency },
    fx,
    residue: money(residue),
    b2b,
  };
}
