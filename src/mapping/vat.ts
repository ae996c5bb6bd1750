import { ValidationError } from '../core/errors.ts';

/** VAT classes a rule may ask for; each country's dated row says which percentage each class means. */
export type VatClass = 'standard' | 'reduced' | 'super-reduced' | 'zero';
export const VAT_CLASSES: readonly VatClass[] = ['standard', 'reduced', 'super-reduced', 'zero'];

export interface VatRow {
  readonly country: string;
  /** First day the row applies (inclusive), YYYY-MM-DD. Rates apply by date of supply. */
  readonly validFrom: string;
  readonly rates: Readonly<Partial<Record<VatClass, string>>>;
}

/**
 * Built-in dated VAT table (research/domain.md §2). A rule document may add rows (`vatRates`) that take
 * precedence for the same country and a later or equal validFrom — e.g. if RO's discussed 23 % is
 * enacted, an operator adds {country: "RO", validFrom: "…", rates: {standard: "23"}} without a deploy.
 */
export const BUILTIN_VAT_TABLE: readonly VatRow[] = [
  { country: 'DE', validFrom: '2007-01-01', rates: { standard: '19', reduced: '7', 'super-reduced': '7', zero: '0' } },
  { country: 'DE', validFrom: '2020-07-01', rates: { standard: '16', reduced: '5', 'super-reduced': '5', zero: '0' } },
  { country: 'DE', validFrom: '2021-01-01', rates: { standard: '19', reduced: '7', 'super-reduced': '7', zero: '0' } },
  { country: 'RO', validFrom: '2017-01-01', rates: { standard: '19', reduced: '9', 'super-reduced': '5', zero: '0' } },
  // Law 141/2025: 21 % standard, single reduced 11 % (5 % and 9 % abolished for goods).
  { country: 'RO', validFrom: '2025-08-01', rates: { standard: '21', reduced: '11', 'super-reduced': '11', zero: '0' } },
];

export class VatTable {
  private readonly byCountry = new Map<string, VatRow[]>();

  constructor(rows: readonly VatRow[]) {
    // Later rows in the input override earlier ones with the same (country, validFrom).
    const merged = new Map<string, VatRow>();
    for (const r of rows) merged.set(`${r.country}|${r.validFrom}`, { ...r, rates: { ...merged.get(`${r.country}|${r.validFrom}`)?.rates, ...r.rates } });
    for (const r of merged.values()) {
      const list = this.byCountry.get(r.country) ?? [];
      list.push(r);
      this.byCountry.set(r.country, list);
    }
    for (const list of this.byCountry.values()) list.sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  }

  /** Percentage (decimal string) for a country, class and day of supply. */
  rate(country: string, cls: VatClass, date: string): string {
    const list = this.byCountry.get(country);
    if (!list) throw new ValidationError(`no VAT table for country ${country}`, [{ path: 'country', message: `unknown VAT country ${country}` }]);
    let row: VatRow | undefined;
    for (const r of list) if (r.validFrom <= date) row = r;
    if (!row) throw new ValidationError(`no ${country} VAT rates valid on ${date}`, [{ path: 'date', message: `before the first ${country} row` }]);
    const p = row.rates[cls];
    if (p === undefined) throw new ValidationError(`${country} has no "${cls}" VAT rate on ${date}`, [{ path: 'class', message: `unknown class ${cls}` }]);
    return p;
  }

  countries(): string[] {
    return [...this.byCountry.keys()];
  }
}

export const builtinVatTable = new VatTable(BUILTIN_VAT_TABLE);
