import { z } from 'zod';
import { ROUNDING_MODES } from '../core/decimal.ts';
import { ValidationError, type ValidationIssue } from '../core/errors.ts';
import { VAT_CLASSES } from './vat.ts';

/**
 * The rule language (docs/mapping.md explains it for non-developers). A rule set is a JSON document:
 * per target field a source (`from` a path, or a `const`) and a `pipeline` of operators, evaluated in
 * the order the fields are written. Decimal values are written as strings ("1.05"); the lossless reader
 * turns 1.05 written as a number into the string "1.05" too, so no float ever enters.
 */
export const RULES_SCHEMA_ID = 'vortex.rules/1';
export type Direction = 'catalog' | 'order';
export const DIRECTIONS: readonly Direction[] = ['catalog', 'order'];

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;
const decimal = z.unknown().transform((v, ctx): string => {
  if (typeof v === 'string' && DECIMAL_TEXT.test(v.trim())) return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  ctx.addIssue({
    code: 'custom',
    message: typeof v === 'number' ? 'fractional numbers must be written as strings, e.g. "1.05"' : 'must be a decimal number written as a string, e.g. "1.05"',
  });
  return z.NEVER;
});
const positiveDecimal = decimal.refine((s) => Number(s) > 0, 'must be greater than 0');
const path = z.string().regex(/^[A-Za-z_$][^.\s]*(\.[^.\s]+)*$/, 'must be a dotted path such as "product.title" or "fields.pretf"');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO currency code such as "EUR"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const json: z.ZodType<unknown> = z.unknown();
const fxSource = z.enum(['BNR', 'ECB']);
const datePolicy = z.enum(['previous', 'same-day']);
const vatClass = z.enum(VAT_CLASSES as [string, ...string[]]);

const vatOp = {
  /** Country whose dated table is used (default: defaults.vatCountry, else RO). */
  country: z.string().regex(/^[A-Z]{2}$/, 'must be a 2-letter country code').optional(),
  class: vatClass.optional(),
  /** Take the class from the input, optionally through a lookup table (e.g. DE rate "19" → standard). */
  classFrom: path.optional(),
  classLookup: z.string().min(1).optional(),
  /** Or a fixed percentage / one read from the input (e.g. the order line's VAT percent). */
  rate: decimal.optional(),
  rateFrom: path.optional(),
  rateLookup: z.string().min(1).optional(),
  /** Day of supply for the dated table (default: the evaluation date). */
  dateFrom: path.optional(),
};

export const operatorSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('required'), message: z.string().optional() }),
  z.strictObject({ op: z.literal('default'), value: json }),
  z.strictObject({ op: z.literal('vatAdd'), ...vatOp }),
  z.strictObject({ op: z.literal('vatStrip'), ...vatOp }),
  z.strictObject({
    op: z.literal('fx'),
    from: currency,
    to: currency,
    source: fxSource.optional(),
    datePolicy: datePolicy.optional(),
    dateFrom: path.optional(),
  }),
  z.strictObject({
    op: z.literal('round'),
    decimals: z.number().int().min(0).max(8).optional(),
    mode: z.enum(ROUNDING_MODES as [string, ...string[]]).optional(),
    step: positiveDecimal.optional(),
    ending: decimal.optional(),
  }),
  z.strictObject({ op: z.literal('vatRate'), ...vatOp }),
  /** Arithmetic takes a fixed decimal or a value read from a path (`byFrom` / `valueFrom`), e.g. a quantity. */
  z.strictObject({ op: z.literal('multiply'), by: decimal.optional(), byFrom: path.optional() }),
  z.strictObject({ op: z.literal('divide'), by: positiveDecimal.optional(), byFrom: path.optional() }),
  z.strictObject({ op: z.literal('add'), value: decimal.optional(), valueFrom: path.optional() }),
  z.strictObject({ op: z.literal('subtract'), value: decimal.optional(), valueFrom: path.optional() }),
  z.strictObject({ op: z.literal('markup'), percent: decimal }),
  z.strictObject({ op: z.literal('clamp'), min: decimal.optional(), max: decimal.optional() }),
  z.strictObject({ op: z.literal('lookup'), table: z.string().min(1) }),
  z.strictObject({ op: z.literal('template'), template: z.string() }),
  z.strictObject({ op: z.literal('trim') }),
  z.strictObject({ op: z.literal('upper') }),
  z.strictObject({ op: z.literal('lower') }),
  z.strictObject({ op: z.literal('truncate'), max: z.number().int().min(1) }),
  z.strictObject({ op: z.literal('asList') }),
  z.strictObject({ op: z.literal('toInteger'), mode: z.enum(ROUNDING_MODES as [string, ...string[]]).optional() }),
]);
export type Operator = z.output<typeof operatorSchema>;
export const OPERATOR_NAMES = operatorSchema.options.map((o) => o.shape.op.value);

export const fieldSchema = z
  .strictObject({
    description: z.string().optional(),
    from: path.optional(),
    const: json.optional(),
    pipeline: z.array(operatorSchema).default([]),
  })
  .refine((f) => !(f.from !== undefined && f.const !== undefined), { message: 'a field takes either "from" or "const", not both' });
export type FieldRule = z.output<typeof fieldSchema>;

export const lookupSchema = z.strictObject({
  description: z.string().optional(),
  entries: z.record(z.string(), json),
  /** What happens when a value is not in the table: fail the item (default), use `default`, or keep the value. */
  missing: z.enum(['error', 'default', 'keep']).default('error'),
  default: json.optional(),
  ignoreCase: z.boolean().default(false),
});
export type LookupTable = z.output<typeof lookupSchema>;

export const ruleSetSchema = z.strictObject({
  schema: z.literal(RULES_SCHEMA_ID),
  direction: z.enum(['catalog', 'order']),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  defaults: z
    .strictObject({
      fxSource: fxSource.optional(),
      fxDatePolicy: datePolicy.optional(),
      vatCountry: z.string().regex(/^[A-Z]{2}$/).optional(),
    })
    .default({}),
  vatRates: z
    .array(z.strictObject({ country: z.string().regex(/^[A-Z]{2}$/), validFrom: isoDate, rates: z.partialRecord(vatClass, decimal) }))
    .default([]),
  lookups: z.record(z.string().regex(/^[A-Za-z][\w-]*$/, 'table names: letters, digits, "-" and "_"'), lookupSchema).default({}),
  preview: z
    .strictObject({
      /** Target field holding the price the marketplace guards (Cel.ro refuses > 10 % changes without overridePrice). */
      priceField: z.string().default('pretf'),
      guardPercent: decimal.default('10'),
    })
    .default({ priceField: 'pretf', guardPercent: '10' }),
  fields: z.record(z.string().min(1), fieldSchema).refine((f) => Object.keys(f).length > 0, 'a rule set needs at least one field'),
  /**
   * Order rule sets: how the lexoffice document is taxed (domain.md §2.3/§2.4). B2C buyers in Romania
   * are a distance sale (`gross` prices + `taxSubType: distanceSales`, the RO rate); a VAT-registered
   * company ("RO" + CUI) an intra-community supply unless `b2b` is "same".
   */
  document: z
    .strictObject({
      taxType: z.enum(['gross', 'net']).default('gross'),
      taxSubType: z.enum(['distanceSales', 'none']).default('distanceSales'),
      b2b: z.enum(['intraCommunitySupply', 'same']).default('intraCommunitySupply'),
    })
    .optional(),
});
export type RuleSetDocument = z.output<typeof ruleSetSchema>;

/** "$.fields.pretf.pipeline[1].mode" — the JSON path shown next to every refusal. */
export function jsonPath(parts: readonly PropertyKey[]): string {
  let s = '$';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) s += `.${p}`;
    else s += `[${JSON.stringify(String(p))}]`;
  }
  return s;
}

export class RuleSetInvalidError extends ValidationError {
  constructor(issues: readonly ValidationIssue[]) {
    const first = issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('\n  ');
    super(`rule set refused (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n  ${first}${issues.length > 5 ? '\n  …' : ''}`, issues);
  }
}

/** Structural check only (shape, types, enums); compile() adds the semantic checks. */
export function parseRuleSetShape(doc: unknown): RuleSetDocument {
  const r = ruleSetSchema.safeParse(doc);
  if (r.success) return r.data;
  throw new RuleSetInvalidError(r.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })));
}
