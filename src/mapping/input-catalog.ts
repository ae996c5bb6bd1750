import type { ValidationIssue } from '../core/errors.ts';
import { jsonPath, type Direction, type RuleSetDocument } from './schema.ts';

/**
 * What a rule may read, per direction: the fields of the canonical inputs (core/types.ts Product,
 * Order, OrderLine) and of the raw lexoffice article. A path outside it is refused when the rule set is
 * stored — a typo like `product.titel` would otherwise map to nothing on every item, silently.
 * A tree node `true` accepts anything below it (raw source objects whose inner shape varies).
 */
type Tree = { readonly [key: string]: Tree | true };

const MONEY: Tree = { amount: true, currency: true };
const ADDRESS: Tree = { name: true, company: true, street: true, supplement: true, zip: true, city: true, region: true, countryCode: true, phone: true };

const PRODUCT: Tree = {
  sku: true,
  title: true,
  description: true,
  gtin: true,
  unitName: true,
  kind: true,
  netPrice: MONEY,
  grossPrice: MONEY,
  taxRatePercent: true,
  archived: true,
  source: { system: true, id: true },
  updatedAt: true,
};

/** The lexoffice article as lexoffice sends it (research/lexoffice.md §2.2). */
const ARTICLE: Tree = {
  id: true,
  organizationId: true,
  createdDate: true,
  updatedDate: true,
  archived: true,
  title: true,
  description: true,
  type: true,
  articleNumber: true,
  gtin: true,
  note: true,
  unitName: true,
  price: { netPrice: true, grossPrice: true, leadingPrice: true, taxRate: true },
  version: true,
};

const CUSTOMER: Tree = { kind: true, name: true, email: true, phone: true, vatId: true, registrationNumber: true, billingAddress: ADDRESS, shippingAddress: ADDRESS };
const LINE: Tree = { lineId: true, sku: true, title: true, quantity: true, unitPriceGross: MONEY, lineTotalGross: MONEY, vatPercent: true, kind: true };
const ORDER: Tree = {
  channel: true,
  channelOrderId: true,
  placedAt: true,
  currency: true,
  status: true,
  customer: CUSTOMER,
  lines: true,
  totalGross: MONEY,
  paymentMethod: true,
  notes: true,
  raw: true,
};

const INPUTS: Readonly<Record<Direction, Tree>> = {
  catalog: { product: PRODUCT, article: ARTICLE, date: {} },
  order: { order: ORDER, line: LINE, date: {} },
};

/** Why `path` (not starting with `fields`) reads nothing the inputs have, or null when it is fine. */
export function unknownInput(direction: Direction, path: string): string | null {
  const parts = path.split('.');
  let node: Tree | true = INPUTS[direction];
  for (let i = 0; i < parts.length; i++) {
    if (node === true) return null;
    const next: Tree | true | undefined = node[parts[i]!];
    if (next === undefined) {
      const known = Object.keys(node);
      const where = parts.slice(0, i).join('.') || 'the input';
      return known.length ? `"${path}" reads "${parts[i]}", which ${where} does not have (it has: ${known.join(', ')})` : `"${path}": ${where} has no fields below it`;
    }
    node = next;
  }
  return null;
}

/**
 * Target fields a rule set must produce, or Cel.ro / lexoffice cannot take the result at all. Each
 * entry lists alternatives (any one will do).
 */
export const REQUIRED_TARGETS: Readonly<Record<Direction, ReadonlyArray<readonly string[]>>> = {
  // Every Cel.ro write is keyed by products_model; a new product needs a name, a price, a category and a
  // brand (the importer refuses it otherwise). The image is not required here: lexoffice keeps none,
  // and Cel.ro's refusal of an image-less new product is shown per product.
  catalog: [['products_model'], ['products_name'], ['pretf'], ['categories_id'], ['manufacturers_name', 'manufacturer']],
  // A lexoffice line item needs a quantity and a unit price in a currency.
  order: [['quantity'], ['unitPrice.currency'], ['unitPrice.grossAmount', 'unitPrice.netAmount']],
};

// Operator options that name an input path (an operator's own `from`, as in fx, is a currency).
const PATH_KEYS = ['byFrom', 'valueFrom', 'classFrom', 'rateFrom', 'dateFrom'] as const;

/**
 * The checks a rule set must pass to be stored for a tenant, on top of compiling: it produces the
 * required targets, and every path it reads exists in the inputs (`fields.*` is checked by the
 * compiler). Pure; returns the problems with their JSON paths.
 */
export function usabilityIssues(doc: RuleSetDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const checkPath = (p: unknown, at: (string | number)[]) => {
    if (typeof p !== 'string' || p.split('.')[0] === 'fields') return;
    const problem = unknownInput(doc.direction, p);
    if (problem) issues.push({ path: jsonPath(at), message: problem });
  };
  for (const [target, rule] of Object.entries(doc.fields)) {
    checkPath(rule.from, ['fields', target, 'from']);
    rule.pipeline.forEach((op, i) => {
      for (const k of PATH_KEYS) if (k in op) checkPath((op as Record<string, unknown>)[k], ['fields', target, 'pipeline', i, k]);
    });
  }
  for (const alternatives of REQUIRED_TARGETS[doc.direction]) {
    if (!alternatives.some((t) => t in doc.fields)) {
      issues.push({ path: '$.fields', message: `must produce "${alternatives.join('" or "')}": ${doc.direction === 'catalog' ? 'Cel.ro' : 'lexoffice'} cannot take the result without it` });
    }
  }
  return issues;
}
