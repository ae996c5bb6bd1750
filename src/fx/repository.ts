import type { Queryable } from '../store/db.ts';
import { addDays, RateBook, type FxSource, type PublishedRate } from './rate-book.ts';

export interface StoreResult {
  readonly inserted: number;
  readonly unchanged: number;
  /** Same (source, currency, date) already stored with a different value: the stored one is kept. */
  readonly conflicts: readonly { currency: string; date: string; stored: string; offered: string }[];
}

interface Row {
  source: FxSource;
  currency: string;
  rate_date: string;
  rate: string;
  multiplier: number;
}

const toRate = (r: Row): PublishedRate => ({ source: r.source, currency: r.currency, date: r.rate_date, rate: r.rate, multiplier: r.multiplier });

/**
 * The append-only rate table (source, currency, date) → rate string as published. Re-importing a day is
 * harmless; a publication never silently changes a stored value (conflicts are reported instead).
 */
export class FxRateRepository {
  constructor(private readonly db: Queryable) {}

  async store(rates: readonly PublishedRate[], origin: string): Promise<StoreResult> {
    let inserted = 0;
    let unchanged = 0;
    const conflicts: { currency: string; date: string; stored: string; offered: string }[] = [];
    // Chunked multi-row inserts: a yearly BNR file holds ~9,000 rates.
    for (let i = 0; i < rates.length; i += 500) {
      const chunk = rates.slice(i, i + 500);
      const params: unknown[] = [];
      const values = chunk.map((r, j) => {
        params.push(r.source, r.currency, r.date, r.rate, r.multiplier, origin);
        const b = j * 6;
        return `($${b + 1}, $${b + 2}, $${b + 3}::date, $${b + 4}, $${b + 5}::int, $${b + 6})`;
      });
      const done = await this.db.query<{ currency: string; rate_date: string }>(
        `INSERT INTO fx_rates (source, currency, rate_date, rate, multiplier, origin) VALUES ${values.join(', ')}
         ON CONFLICT (source, currency, rate_date) DO NOTHING RETURNING currency, rate_date`,
        params,
      );
      inserted += done.length;
      const fresh = new Set(done.map((d) => `${d.currency}|${d.rate_date}`));
      const rest = chunk.filter((r) => !fresh.has(`${r.currency}|${r.date}`));
      if (rest.length === 0) continue;
      const stored = await this.db.query<Row>(
        `SELECT source, currency, rate_date, rate, multiplier FROM fx_rates
          WHERE source = $1 AND (currency, rate_date) IN (SELECT * FROM unnest($2::text[], $3::date[]))`,
        [rest[0]!.source, rest.map((r) => r.currency), rest.map((r) => r.date)],
      );
      const byKey = new Map(stored.map((s) => [`${s.currency}|${s.rate_date}`, s]));
      for (const r of rest) {
        const s = byKey.get(`${r.currency}|${r.date}`);
        if (s && s.rate === r.rate && s.multiplier === r.multiplier) unchanged++;
        else conflicts.push({ currency: r.currency, date: r.date, stored: s ? `${s.rate}/${s.multiplier}` : '?', offered: `${r.rate}/${r.multiplier}` });
      }
    }
    return { inserted, unchanged, conflicts };
  }

  /** Every fixing of these currencies dated within [from, to] (inclusive). */
  async between(source: FxSource, currencies: readonly string[], from: string, to: string): Promise<PublishedRate[]> {
    const rows = await this.db.query<Row>(
      `SELECT source, currency, rate_date, rate, multiplier FROM fx_rates
        WHERE source = $1 AND currency = ANY($2::text[]) AND rate_date BETWEEN $3::date AND $4::date
        ORDER BY rate_date`,
      [source, [...currencies], from, to],
    );
    return rows.map(toRate);
  }

  /** A RateBook holding everything the rate-for-date rule may consult for days in [fromDate, toDate]. */
  async book(needs: readonly { source: FxSource; currencies: readonly string[] }[], fromDate: string, toDate: string): Promise<RateBook> {
    const book = new RateBook();
    for (const n of needs) {
      if (n.currencies.length === 0) continue;
      for (const r of await this.between(n.source, n.currencies, addDays(fromDate, -8), toDate)) book.add(r);
    }
    return book;
  }

  async latest(source: FxSource): Promise<{ date: string; count: number } | undefined> {
    const r = await this.db.maybeOne<{ date: string | null; count: number }>(
      `SELECT max(rate_date)::text AS date, count(*)::int AS count FROM fx_rates WHERE source = $1`,
      [source],
    );
    return r?.date ? { date: r.date, count: r.count } : undefined;
  }
}
