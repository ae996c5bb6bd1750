import { z } from 'zod';
import { Money } from '../core/money.ts';
import { ValidationError } from '../core/errors.ts';
import type { Order, OrderLine, Product } from '../core/types.ts';
import { jsonPath } from './schema.ts';
import { dayOf } from './compile.ts';

/**
 * What the engine evaluates. Catalog: the canonical Product plus the raw lexoffice article (so rules can
 * reach any source field), and the day the prices are for. Order: the order and one line, and the day
 * of the order (in Romanian time) — each line is one evaluated item, its line total converted.
 */
export interface CatalogInput {
  readonly product: Product;
  readonly article?: unknown;
  readonly date: string;
  readonly [k: string]: unknown;
}

export interface OrderLineInput {
  readonly order: Order;
  readonly line: OrderLine;
  readonly date: string;
  readonly [k: string]: unknown;
}

const dec = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number().int()]).transform(String);

/** lexoffice article (research/lexoffice.md §2.2), read with the lossless JSON reader (prices as strings). */
export const lexofficeArticleSchema = z.looseObject({
  id: z.string().optional(),
  title: z.string().min(1),
  description: z.string().nullish(),
  type: z.enum(['PRODUCT', 'SERVICE']).default('PRODUCT'),
  articleNumber: z.string().nullish(),
  gtin: z.string().nullish(),
  unitName: z.string().nullish(),
  archived: z.boolean().default(false),
  updatedDate: z.string().nullish(),
  version: z.number().int().nullish(),
  price: z.looseObject({
    netPrice: dec.nullish(),
    grossPrice: dec.nullish(),
    leadingPrice: z.enum(['NET', 'GROSS']).nullish(),
    taxRate: dec,
  }),
});

/**
 * A lexoffice article as the canonical Product (EUR, lexoffice is EUR-only). The catalog connector owns
 * the production mapping; this one serves `vortex map --article` and tests, and refuses bad input.
 */
export function productFromLexofficeArticle(raw: unknown): Product {
  const r = lexofficeArticleSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
    throw new ValidationError(`not a lexoffice article: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, { article: raw });
  }
  const a = r.data;
  const sku = a.articleNumber ?? a.id;
  if (!sku) throw new ValidationError('lexoffice article has neither articleNumber nor id', [{ path: '$.articleNumber', message: 'missing' }]);
  return {
    sku,
    title: a.title,
    ...(a.description ? { description: a.description } : {}),
    ...(a.gtin ? { gtin: a.gtin } : {}),
    ...(a.unitName ? { unitName: a.unitName } : {}),
    kind: a.type === 'SERVICE' ? 'service' : 'product',
    ...(a.price.netPrice != null ? { netPrice: Money.of(a.price.netPrice, 'EUR') } : {}),
    ...(a.price.grossPrice != null ? { grossPrice: Money.of(a.price.grossPrice, 'EUR') } : {}),
    taxRatePercent: a.price.taxRate,
    archived: a.archived,
    source: { system: 'lexoffice', id: a.id ?? sku, ...(a.version != null ? { version: a.version } : {}) },
    ...(a.updatedDate ? { updatedAt: a.updatedDate } : {}),
  };
}

export function catalogInput(product: Product, article: unknown, date: string): CatalogInput {
  return article === undefined ? { product, date } : { product, article, date };
}

/** One order line as an evaluation item; the date is the order's day in Romania unless given. */
export function orderLineInput(order: Order, line: OrderLine, date?: string): OrderLineInput {
  return { order, line, date: date ?? dayOf(order.placedAt) };
}

const moneyJson = z.object({ amount: dec, currency: z.string().regex(/^[A-Z]{3}$/) }).transform((m) => Money.of(m.amount, m.currency));

/** A canonical Order written as JSON (Money as {amount, currency}; amounts as decimal strings), e.g. for `vortex map --order`. */
export const orderJsonSchema = z.looseObject({
  channel: z.literal('celro').default('celro'),
  channelOrderId: z.string().min(1),
  placedAt: z.string().min(10),
  currency: z.string().regex(/^[A-Z]{3}$/).default('RON'),
  status: z.string().default('new'),
  customer: z.looseObject({}).default({}),
  lines: z
    .array(
      z.looseObject({
        lineId: z.string().default(''),
        sku: z.string().nullable().default(null),
        title: z.string(),
        quantity: dec,
        unitPriceGross: moneyJson,
        lineTotalGross: moneyJson,
        vatPercent: dec.nullable().default(null),
        kind: z.enum(['item', 'shipping', 'voucher', 'fee']).default('item'),
      }),
    )
    .min(1),
  paymentMethod: z.string().default('other'),
});

export function orderFromJson(raw: unknown): Order {
  const r = orderJsonSchema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
    throw new ValidationError(`not an order: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  const o = r.data;
  const totalGross = o.lines.reduce((a, l) => a.add(l.lineTotalGross), Money.zero(o.lines[0]!.lineTotalGross.currency));
  return { ...(o as unknown as Order), lines: o.lines as unknown as OrderLine[], totalGross };
}
