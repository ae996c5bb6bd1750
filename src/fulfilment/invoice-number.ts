/**
 * Cel.ro wants an invoice's series and number apart; lexoffice has one `voucherNumber` ("RE0042",
 * "2026-0042", "RE-2026-0042"). A pattern with the named groups `series` and `number` splits it (pure).
 * The default takes the trailing digits as the number and everything before them (minus a trailing
 * separator) as the series; a number without a series gets the `fallbackSeries`.
 */
export const DEFAULT_INVOICE_NUMBER_PATTERN = '^(?<series>.*?)[-/ ]?(?<number>\\d+)$';

export function invoicePatternProblem(pattern: string): string | null {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    return `not a regular expression: ${(e as Error).message}`;
  }
  const probe = /\(\?<series>/.test(re.source) && /\(\?<number>/.test(re.source);
  return probe ? null : 'the pattern needs the named groups (?<series>…) and (?<number>…)';
}

export function splitVoucherNumber(voucherNumber: string, pattern = DEFAULT_INVOICE_NUMBER_PATTERN, fallbackSeries = 'LX'): { series: string; number: string } | { error: string } {
  const problem = invoicePatternProblem(pattern);
  if (problem) return { error: `invoiceNumberPattern: ${problem}` };
  const m = new RegExp(pattern).exec(voucherNumber.trim());
  const number = m?.groups?.number?.trim();
  if (!m || !number) return { error: `the lexoffice voucher number "${voucherNumber}" does not match invoiceNumberPattern ${pattern}` };
  const series = (m.groups?.series ?? '').trim() || fallbackSeries;
  if (series.length > 20 || number.length > 30) return { error: `series "${series}" or number "${number}" is too long for Cel.ro (20 / 30 characters)` };
  return { series, number };
}
