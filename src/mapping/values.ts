import { Decimal, toDecimal } from '../core/decimal.ts';
import { Money } from '../core/money.ts';
import type { FxUse, RateBook } from '../fx/rate-book.ts';

// What a compiled step works on: the evaluation environment, the step error, and the value helpers
// (numbers, text, days) every operator shares.

/** Per-evaluation state: the input, the fields computed so far, the rates and what was used. */
export interface EvalEnv {
  readonly root: Readonly<Record<string, unknown>>;
  readonly fields: Record<string, unknown>;
  readonly date: string;
  readonly rates: RateBook | undefined;
  readonly fx: FxUse[];
}

/** A step failed for this item: carried up as the item's reason, the other items proceed. */
export class StepError extends Error {}

export function num(v: unknown): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'string') {
    try {
      return toDecimal(v);
    } catch {
      throw new StepError(`"${v}" is not a number`);
    }
  }
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return new Decimal(v);
    throw new StepError(`fractional JS number ${v} refused: amounts must arrive as decimal strings`);
  }
  if (v instanceof Money) return v.amount;
  throw new StepError(`expected a number, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

export const missing = (v: unknown): v is null | undefined => v === null || v === undefined;

/** Key for lookups and template text: numbers in their plain decimal form, never exponent notation. */
export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof Decimal) return v.toFixed();
  if (v instanceof Money) return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A field's final value as it goes out: Decimals become plain decimal strings. */
export function finalize(v: unknown): unknown {
  if (v instanceof Decimal) return v.toFixed();
  if (v instanceof Money) return v.toString();
  return v;
}

const BUCHAREST = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit' });

/** A calendar day from a date or timestamp value (timestamps are read in Romanian time). */
export function dayOf(v: unknown): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new StepError(`"${asText(v)}" is not a date`);
  return BUCHAREST.format(d);
}
