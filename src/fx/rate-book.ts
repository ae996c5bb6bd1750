import { Decimal, toDecimal } from '../core/decimal.ts';
import { ValidationError, VortexError } from '../core/errors.ts';
import type { FxSource, PublishedRate } from '../connectors/fx/feeds.ts';

export type { FxSource, PublishedRate } from '../connectors/fx/feeds.ts';

/**
 * Which publication applies to a day:
 * - `previous` (default, Romanian practice): the newest fixing dated strictly before the day — BNR's
 *   rate of D applies to operations of D+1 and over the following weekend/holidays;
 * - `same-day`: the newest fixing dated on or before the day (use only after publication time).
 */
export type FxDatePolicy = 'previous' | 'same-day';
export const FX_DATE_POLICIES: readonly FxDatePolicy[] = ['previous', 'same-day'];

/** How far back a fixing may lie before we refuse instead of pricing on a stale rate. */
export const MAX_RATE_AGE_DAYS = 7;

/** No usable rate: loud, never replaced by a constant. Retryable — the next import may bring it. */
export class FxRateMissingError extends VortexError {
  constructor(message: string, details: Record<string, unknown>) {
    super('fx_rate_missing', message, { retryable: true, details });
  }
}

/** The fixing(s) a conversion used, stamped on every converted value (source, Cube date, rate as published). */
export interface FxUse {
  readonly source: FxSource;
  readonly currency: string;
  readonly date: string;
  readonly rate: string;
  readonly multiplier: number;
}

export interface FxQuote {
  /** Multiply an amount in `from` by this to get `to` (exact decimal, never rounded). */
  readonly factor: Decimal;
  readonly used: readonly FxUse[];
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const BASE: Record<FxSource, string> = { BNR: 'RON', ECB: 'EUR' };

/**
 * An in-memory set of published rates with the rate-for-date rule. Pure and synchronous so the mapping
 * engine can convert thousands of values per millisecond; the store loads the window it needs.
 */
export class RateBook {
  // source → currency → fixings sorted by date ascending
  private readonly index = new Map<string, Map<string, PublishedRate[]>>();

  constructor(rates: Iterable<PublishedRate> = []) {
    for (const r of rates) this.add(r);
  }

  add(r: PublishedRate): void {
    let bySource = this.index.get(r.source);
    if (!bySource) this.index.set(r.source, (bySource = new Map()));
    let list = bySource.get(r.currency);
    if (!list) bySource.set(r.currency, (list = []));
    const at = list.findIndex((x) => x.date >= r.date);
    if (at >= 0 && list[at]!.date === r.date) return; // first published value wins (append-only)
    if (at < 0) list.push(r);
    else list.splice(at, 0, r);
  }

  get size(): number {
    let n = 0;
    for (const m of this.index.values()) for (const l of m.values()) n += l.length;
    return n;
  }

  /** The fixing that applies to `date` under `policy`, or FxRateMissingError. */
  fixingFor(source: FxSource, currency: string, date: string, policy: FxDatePolicy = 'previous'): PublishedRate {
    const list = this.index.get(source)?.get(currency) ?? [];
    const oldest = addDays(date, -MAX_RATE_AGE_DAYS);
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i]!;
      if (policy === 'previous' ? r.date >= date : r.date > date) continue;
      if (r.date < oldest) break;
      return r;
    }
    const newest = list.at(-1)?.date;
    throw new FxRateMissingError(
      `no ${source} rate for ${currency} ${policy === 'previous' ? 'published before' : 'on or before'} ${date} within ${MAX_RATE_AGE_DAYS} days` +
        (newest ? ` (newest stored: ${newest})` : ' (none stored)') +
        '; import rates with `vortex fx import`',
      { source, currency, date, policy, newest: newest ?? null },
    );
  }

  /** Conversion factor from → to on `date`, through the source's base currency when neither side is it. */
  quote(source: FxSource, from: string, to: string, date: string, policy: FxDatePolicy = 'previous'): FxQuote {
    if (from === to) return { factor: new Decimal(1), used: [] };
    const base = BASE[source];
    // value of 1 unit of `c` in the base currency (BNR) or units of `c` per 1 base (ECB)
    const leg = (c: string): { v: Decimal; use: FxUse | undefined } => {
      if (c === base) return { v: new Decimal(1), use: undefined };
      const r = this.fixingFor(source, c, date, policy);
      return { v: toDecimal(r.rate, 'rate').div(r.multiplier), use: { source, currency: c, date: r.date, rate: r.rate, multiplier: r.multiplier } };
    };
    const a = leg(from);
    const b = leg(to);
    // BNR: base per unit → from→to = a/b. ECB: units per base → from→to = b/a.
    const factor = source === 'BNR' ? a.v.div(b.v) : b.v.div(a.v);
    return { factor, used: [a.use, b.use].filter((u): u is FxUse => u !== undefined) };
  }
}

export function parseFxSource(s: string): FxSource {
  const up = s.trim().toUpperCase();
  if (up !== 'BNR' && up !== 'ECB') throw new ValidationError(`unknown FX source "${s}" (BNR or ECB)`, [{ path: 'source', message: 'BNR or ECB' }]);
  return up;
}
