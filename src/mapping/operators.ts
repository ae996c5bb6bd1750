import { Decimal, type RoundingMode, decimalRounding } from '../core/decimal.ts';
import type { ValidationIssue } from '../core/errors.ts';
import type { FxDatePolicy, FxSource } from '../fx/rate-book.ts';
import { jsonPath, type Direction, type LookupTable, type Operator, type RuleSetDocument } from './schema.ts';
import { VAT_CLASSES, type VatTable, type VatClass } from './vat.ts';
import { StepError, asText, dayOf, missing, num, type EvalEnv } from './values.ts';

// The operators of the rule language, each compiled once into a closure (a Step), with the checks
// that report a bad document by its JSON path.

/** Roots a path may start with, per direction. `fields` reads a target field computed earlier. */
export const INPUT_ROOTS: Readonly<Record<Direction, readonly string[]>> = {
  catalog: ['product', 'article', 'date', 'fields'],
  order: ['order', 'line', 'date', 'fields'],
};

export type Step = (v: unknown, env: EvalEnv) => unknown;

/** What compiling one rule set collects: the document, its VAT table, the issues, known targets, rates needed. */
export interface Ctx {
  readonly doc: RuleSetDocument;
  readonly vat: VatTable;
  readonly issues: ValidationIssue[];
  readonly known: Set<string>;
  readonly fx: Map<FxSource, Set<string>>;
}

export function checkPath(ctx: Ctx, p: string, at: (string | number)[]): void {
  const root = p.split('.')[0]!;
  const roots = INPUT_ROOTS[ctx.doc.direction];
  if (!roots.includes(root)) {
    ctx.issues.push({ path: jsonPath(at), message: `path "${p}" must start with one of ${roots.map((r) => `"${r}"`).join(', ')}` });
  } else if (root === 'fields') {
    const ref = p.slice('fields.'.length);
    const hit = [...ctx.known].some((k) => ref === k || ref.startsWith(`${k}.`));
    if (!hit) ctx.issues.push({ path: jsonPath(at), message: `"${p}" refers to a field that is not defined above this one (fields are evaluated top to bottom)` });
  }
}

function lookupFn(ctx: Ctx, name: string, at: (string | number)[]): ((v: unknown) => unknown) | undefined {
  const table: LookupTable | undefined = ctx.doc.lookups[name];
  if (!table) {
    const have = Object.keys(ctx.doc.lookups);
    ctx.issues.push({ path: jsonPath(at), message: `lookup table "${name}" is not defined${have.length ? ` (defined: ${have.join(', ')})` : ''}` });
    return undefined;
  }
  // Keys match as text, Unicode-normalised (a decomposed "Stück" finds "Stück"); numbers also by value ("19.0" finds "19").
  const norm = (k: string): string => (table.ignoreCase ? k.normalize('NFC').toLowerCase() : k.normalize('NFC'));
  const map = new Map<string, unknown>();
  for (const [k, v] of Object.entries(table.entries)) map.set(norm(k), v);
  const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  if (table.missing === 'default' && table.default === undefined) {
    ctx.issues.push({ path: jsonPath(['lookups', name, 'default']), message: 'missing: "default" needs a "default" value' });
  }
  return (v) => {
    if (missing(v)) return v;
    const key = norm(asText(v));
    if (map.has(key)) return map.get(key);
    if (NUMERIC.test(key)) {
      const byValue = new Decimal(key).toFixed();
      if (map.has(byValue)) return map.get(byValue);
    }
    if (table.missing === 'default') return table.default;
    if (table.missing === 'keep') return v;
    throw new StepError(`"${asText(v)}" is not in lookup table "${name}"`);
  };
}

function vatStep(ctx: Ctx, op: Extract<Operator, { op: 'vatAdd' | 'vatStrip' | 'vatRate' }>, at: (string | number)[]): Step {
  const country = op.country ?? ctx.doc.defaults.vatCountry ?? 'RO';
  if (!ctx.vat.countries().includes(country)) ctx.issues.push({ path: jsonPath([...at, 'country']), message: `no VAT table for country ${country} (add rows under "vatRates")` });
  const ways = [op.class, op.classFrom, op.rate, op.rateFrom].filter((x) => x !== undefined).length;
  if (ways === 0) ctx.issues.push({ path: jsonPath(at), message: `${op.op} needs one of "class", "classFrom", "rate" or "rateFrom"` });
  if (op.rate !== undefined && ways > 1) ctx.issues.push({ path: jsonPath(at), message: '"rate" is fixed; do not combine it with class/classFrom/rateFrom' });
  if (op.class !== undefined && op.classFrom !== undefined) ctx.issues.push({ path: jsonPath(at), message: 'use "class" or "classFrom", not both' });
  if (op.classLookup !== undefined && op.classFrom === undefined) ctx.issues.push({ path: jsonPath([...at, 'classLookup']), message: '"classLookup" needs "classFrom"' });
  if (op.rateLookup !== undefined && op.rateFrom === undefined) ctx.issues.push({ path: jsonPath([...at, 'rateLookup']), message: '"rateLookup" needs "rateFrom"' });
  for (const k of ['classFrom', 'rateFrom', 'dateFrom'] as const) if (op[k] !== undefined) checkPath(ctx, op[k], [...at, k]);
  const classOf = op.classFrom !== undefined ? compilePath(op.classFrom) : undefined;
  const classMap = op.classLookup !== undefined ? lookupFn(ctx, op.classLookup, [...at, 'classLookup']) : undefined;
  const rateOf = op.rateFrom !== undefined ? compilePath(op.rateFrom) : undefined;
  const rateMap = op.rateLookup !== undefined ? lookupFn(ctx, op.rateLookup, [...at, 'rateLookup']) : undefined;
  const dateOf = op.dateFrom !== undefined ? compilePath(op.dateFrom) : undefined;
  const fixed = op.rate !== undefined ? new Decimal(op.rate) : undefined;
  const percents = new Map<string, Decimal>();
  const tablePercent = (cls: VatClass, date: string): Decimal => {
    const key = `${cls}|${date}`;
    let p = percents.get(key);
    if (!p) {
      try {
        p = new Decimal(ctx.vat.rate(country, cls, date));
      } catch (e) {
        throw new StepError((e as Error).message);
      }
      if (percents.size > 1000) percents.clear();
      percents.set(key, p);
    }
    return p;
  };
  const percentFor = (env: EvalEnv): Decimal => {
    if (fixed) return fixed;
    if (rateOf) {
      let r = rateOf(env);
      if (rateMap) r = rateMap(r);
      if (!missing(r) && r !== '') return num(r);
    }
    const date = dateOf ? dayOf(dateOf(env)) : env.date;
    let cls: unknown = op.class;
    if (classOf) {
      cls = classOf(env);
      if (classMap) cls = classMap(cls);
    }
    if (cls === undefined || cls === null) throw new StepError(op.rateFrom ? `no VAT rate in ${op.rateFrom} and no class to fall back to` : 'no VAT class for this item');
    if (typeof cls !== 'string' || !(VAT_CLASSES as readonly string[]).includes(cls)) throw new StepError(`"${asText(cls)}" is not a VAT class (${VAT_CLASSES.join(', ')})`);
    return tablePercent(cls as VatClass, date);
  };
  if (op.op === 'vatRate') return (_v, env) => percentFor(env);
  const strip = op.op === 'vatStrip';
  const hundred = new Decimal(100);
  return (v, env) => {
    if (missing(v)) return v;
    const amount = num(v);
    const factor = hundred.plus(percentFor(env));
    return strip ? amount.times(hundred).div(factor) : amount.times(factor).div(hundred);
  };
}

function operand(ctx: Ctx, fixed: string | undefined, from: string | undefined, at: (string | number)[], names: [string, string]): (env: EvalEnv) => Decimal {
  if ((fixed === undefined) === (from === undefined)) {
    ctx.issues.push({ path: jsonPath(at), message: `give exactly one of "${names[0]}" or "${names[1]}"` });
    return () => new Decimal(0);
  }
  if (fixed !== undefined) {
    const d = new Decimal(fixed);
    return () => d;
  }
  checkPath(ctx, from!, [...at, names[1]]);
  const get = compilePath(from!);
  return (env) => {
    const v = get(env);
    if (missing(v)) throw new StepError(`no value at ${from}`);
    return num(v);
  };
}

export function compileOp(ctx: Ctx, op: Operator, at: (string | number)[]): Step {
  switch (op.op) {
    case 'required': {
      const msg = op.message;
      return (v) => {
        if (missing(v) || v === '') throw new StepError(msg ?? 'value is required but missing');
        return v;
      };
    }
    case 'default': {
      const d = op.value;
      return (v) => (missing(v) || v === '' ? d : v);
    }
    case 'vatAdd':
    case 'vatStrip':
    case 'vatRate':
      return vatStep(ctx, op, at);
    case 'fx': {
      const source: FxSource = op.source ?? ctx.doc.defaults.fxSource ?? 'BNR';
      const policy: FxDatePolicy = op.datePolicy ?? ctx.doc.defaults.fxDatePolicy ?? 'previous';
      if (op.from === op.to) ctx.issues.push({ path: jsonPath([...at, 'to']), message: '"from" and "to" are the same currency' });
      const base = source === 'BNR' ? 'RON' : 'EUR';
      const set = ctx.fx.get(source) ?? new Set<string>();
      for (const c of [op.from, op.to]) if (c !== base) set.add(c);
      ctx.fx.set(source, set);
      if (op.dateFrom !== undefined) checkPath(ctx, op.dateFrom, [...at, 'dateFrom']);
      const dateOf = op.dateFrom !== undefined ? compilePath(op.dateFrom) : undefined;
      const { from, to } = op;
      return (v, env) => {
        if (missing(v)) return v;
        const amount = num(v);
        if (!env.rates) throw new StepError(`needs ${source} exchange rates, none were loaded`);
        const date = dateOf ? dayOf(dateOf(env)) : env.date;
        let q;
        try {
          q = env.rates.quote(source, from, to, date, policy);
        } catch (e) {
          throw new StepError((e as Error).message);
        }
        for (const u of q.used) if (!env.fx.some((x) => x.source === u.source && x.currency === u.currency && x.date === u.date)) env.fx.push(u);
        return amount.times(q.factor);
      };
    }
    case 'round': {
      const decimals = op.decimals ?? 2;
      const mode = decimalRounding((op.mode ?? 'half-up') as RoundingMode);
      const ending = op.ending !== undefined ? new Decimal(op.ending) : undefined;
      const step = op.step !== undefined ? new Decimal(op.step) : ending !== undefined ? new Decimal(1) : undefined;
      if (ending && step && (ending.isNegative() || ending.gte(step))) ctx.issues.push({ path: jsonPath([...at, 'ending']), message: `"ending" must be at least 0 and less than the step (${step.toFixed()})` });
      if (ending && ending.decimalPlaces() > decimals) ctx.issues.push({ path: jsonPath([...at, 'decimals']), message: `"decimals" (${decimals}) must cover the ending ${ending.toFixed()}` });
      return (v) => {
        if (missing(v)) return v;
        let d = num(v);
        if (step) {
          const off = ending ?? new Decimal(0);
          d = d.minus(off).div(step).toDecimalPlaces(0, mode).times(step).plus(off);
        }
        return d.toFixed(decimals, mode);
      };
    }
    case 'multiply': {
      const by = operand(ctx, op.by, op.byFrom, at, ['by', 'byFrom']);
      return (v, env) => (missing(v) ? v : num(v).times(by(env)));
    }
    case 'divide': {
      const by = operand(ctx, op.by, op.byFrom, at, ['by', 'byFrom']);
      return (v, env) => {
        if (missing(v)) return v;
        const d = by(env);
        if (d.isZero()) throw new StepError('division by zero');
        return num(v).div(d);
      };
    }
    case 'add': {
      const x = operand(ctx, op.value, op.valueFrom, at, ['value', 'valueFrom']);
      return (v, env) => (missing(v) ? v : num(v).plus(x(env)));
    }
    case 'subtract': {
      const x = operand(ctx, op.value, op.valueFrom, at, ['value', 'valueFrom']);
      return (v, env) => (missing(v) ? v : num(v).minus(x(env)));
    }
    case 'markup': {
      const f = new Decimal(1).plus(new Decimal(op.percent).div(100));
      return (v) => (missing(v) ? v : num(v).times(f));
    }
    case 'clamp': {
      const min = op.min !== undefined ? new Decimal(op.min) : undefined;
      const max = op.max !== undefined ? new Decimal(op.max) : undefined;
      if (!min && !max) ctx.issues.push({ path: jsonPath(at), message: 'clamp needs "min", "max" or both' });
      if (min && max && min.gt(max)) ctx.issues.push({ path: jsonPath(at), message: `"min" ${min.toFixed()} is greater than "max" ${max.toFixed()}` });
      return (v) => {
        if (missing(v)) return v;
        let d = num(v);
        if (min && d.lt(min)) d = min;
        if (max && d.gt(max)) d = max;
        return d;
      };
    }
    case 'lookup': {
      const f = lookupFn(ctx, op.table, [...at, 'table']);
      return f ? (v) => f(v) : (v) => v;
    }
    case 'template': {
      const parts: ((v: unknown, env: EvalEnv) => string)[] = [];
      const re = /\{\{|\}\}|\{([^{}]+)\}/g;
      let last = 0;
      for (let m = re.exec(op.template); m !== null; m = re.exec(op.template)) {
        const lit = op.template.slice(last, m.index) + (m[0] === '{{' ? '{' : m[0] === '}}' ? '}' : '');
        if (lit) parts.push(() => lit);
        last = re.lastIndex;
        if (m[1] === undefined) continue;
        const name = m[1].trim();
        if (name === 'value') parts.push((v) => asText(v));
        else {
          checkPath(ctx, name, [...at, 'template']);
          const get = compilePath(name);
          parts.push((_v, env) => asText(get(env)));
        }
      }
      const tail = op.template.slice(last);
      if (tail) parts.push(() => tail);
      return (v, env) => parts.map((p) => p(v, env)).join('');
    }
    case 'trim':
      return (v) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : v);
    case 'upper':
      return (v) => (typeof v === 'string' ? v.toUpperCase() : v);
    case 'lower':
      return (v) => (typeof v === 'string' ? v.toLowerCase() : v);
    case 'truncate': {
      const max = op.max;
      return (v) => (typeof v === 'string' && [...v].length > max ? [...v].slice(0, max).join('') : v);
    }
    case 'asList':
      return (v) => (missing(v) ? v : Array.isArray(v) ? v : [v]);
    case 'toInteger': {
      const mode = decimalRounding((op.mode ?? 'half-up') as RoundingMode);
      return (v) => {
        if (missing(v)) return v;
        const n = Number(num(v).toDecimalPlaces(0, mode).toFixed(0));
        if (!Number.isSafeInteger(n)) throw new StepError(`${asText(v)} is too large for an integer`);
        return n;
      };
    }
  }
}

export function compilePath(p: string): (env: EvalEnv) => unknown {
  const keys = p.split('.');
  const first = keys[0]!;
  const rest = keys.slice(1);
  return (env) => {
    let cur: unknown = first === 'fields' ? env.fields : env.root[first];
    for (const k of rest) {
      if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
  };
}
