import { ValidationError, type ValidationIssue } from '../../core/errors.ts';
import { descendants, parseXml, XmlSyntaxError, type XmlElement } from './xml.ts';

export type FxSource = 'BNR' | 'ECB';
export const FX_SOURCES: readonly FxSource[] = ['BNR', 'ECB'];

/**
 * One published reference rate, exactly as published:
 * - BNR: `multiplier` units of `currency` cost `rate` RON (base currency RON);
 * - ECB: 1 EUR costs `rate` units of `currency` (base currency EUR; multiplier always 1).
 * The rate stays the published decimal string ("395.10" keeps its trailing zero); never a float.
 */
export interface PublishedRate {
  readonly source: FxSource;
  readonly currency: string;
  /** The fixing day (BNR `Cube@date`, ECB `Cube@time`), YYYY-MM-DD. */
  readonly date: string;
  readonly rate: string;
  readonly multiplier: number;
}

export interface ParsedFeed {
  readonly source: FxSource;
  /** RON for BNR, EUR for ECB. */
  readonly base: 'RON' | 'EUR';
  readonly publishingDate: string | undefined;
  readonly rates: readonly PublishedRate[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RATE = /^\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

function validDate(s: string | undefined): s is string {
  if (s === undefined || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function root(xml: string, source: FxSource): XmlElement {
  const head = xml.slice(0, 512).toLowerCase();
  if (head.includes('<!doctype html') || head.includes('<html')) {
    throw new ValidationError(
      `${source} feed: got an HTML page instead of XML${source === 'BNR' ? ' (www.bnr.ro/nbrfxrates.xml serves HTML since 2026-08-04; use https://curs.bnr.ro/nbrfxrates.xml)' : ''}`,
      [{ path: '$', message: 'HTML instead of XML' }],
    );
  }
  try {
    return parseXml(xml.replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new ValidationError(`${source} feed is not well-formed XML: ${e.message}`, [{ path: '$', message: e.message }]);
    throw e;
  }
}

function refuseIssues(source: FxSource, issues: ValidationIssue[]): void {
  if (issues.length > 0) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new ValidationError(`${source} feed refused (${issues.length} problem${issues.length > 1 ? 's' : ''}): ${shown}`, issues);
  }
}

/**
 * BNR `nbrfxrates.xml` family (daily, 10-day, yearly): DataSet/Header/PublishingDate and
 * Body/Cube@date/Rate@currency[@multiplier]. Namespace-agnostic; a malformed rate refuses the file.
 */
export function parseBnr(xml: string): ParsedFeed {
  const doc = root(xml, 'BNR');
  if (doc.name !== 'DataSet') throw new ValidationError(`BNR feed: root element is <${doc.name}>, expected <DataSet>`, [{ path: '$', message: 'not a BNR DataSet' }]);
  const issues: ValidationIssue[] = [];
  const orig = descendants(doc, 'OrigCurrency')[0]?.text.trim();
  if (orig !== undefined && orig !== 'RON') issues.push({ path: 'DataSet.Body.OrigCurrency', message: `expected RON, got "${orig}"` });
  const rates: PublishedRate[] = [];
  const cubes = descendants(doc, 'Cube');
  if (cubes.length === 0) issues.push({ path: 'DataSet.Body', message: 'no <Cube> element' });
  cubes.forEach((cube, ci) => {
    const date = cube.attrs.date;
    if (!validDate(date)) {
      issues.push({ path: `Cube[${ci}]@date`, message: `invalid date "${date ?? ''}"` });
      return;
    }
    cube.children
      .filter((c) => c.name === 'Rate')
      .forEach((r, ri) => {
        const path = `Cube[${date}].Rate[${ri}]`;
        const currency = r.attrs.currency ?? '';
        const text = r.text.trim();
        const mult = r.attrs.multiplier ?? '1';
        if (!CURRENCY.test(currency)) issues.push({ path: `${path}@currency`, message: `invalid currency "${currency}"` });
        else if (!RATE.test(text) || /^0+(\.0+)?$/.test(text)) issues.push({ path, message: `invalid rate "${text}" for ${currency}` });
        else if (!/^[1-9]\d{0,6}$/.test(mult)) issues.push({ path: `${path}@multiplier`, message: `invalid multiplier "${mult}"` });
        else rates.push({ source: 'BNR', currency, date, rate: text, multiplier: Number(mult) });
      });
  });
  refuseIssues('BNR', issues);
  const pub = descendants(doc, 'PublishingDate')[0]?.text.trim();
  return { source: 'BNR', base: 'RON', publishingDate: validDate(pub) ? pub : undefined, rates };
}

/** ECB `eurofxref-daily.xml` / `-hist-90d.xml` / `-hist.xml`: Cube/Cube@time/Cube@currency@rate (units per 1 EUR). */
export function parseEcb(xml: string): ParsedFeed {
  const doc = root(xml, 'ECB');
  if (doc.name !== 'Envelope') throw new ValidationError(`ECB feed: root element is <${doc.name}>, expected <gesmes:Envelope>`, [{ path: '$', message: 'not an ECB envelope' }]);
  const issues: ValidationIssue[] = [];
  const rates: PublishedRate[] = [];
  const days = descendants(doc, 'Cube').filter((c) => c.attrs.time !== undefined);
  if (days.length === 0) issues.push({ path: 'Envelope.Cube', message: 'no <Cube time=…> element' });
  days.forEach((day, di) => {
    const date = day.attrs.time;
    if (!validDate(date)) {
      issues.push({ path: `Cube[${di}]@time`, message: `invalid date "${date ?? ''}"` });
      return;
    }
    day.children
      .filter((c) => c.name === 'Cube')
      .forEach((c, ri) => {
        const path = `Cube[${date}].Cube[${ri}]`;
        const currency = c.attrs.currency ?? '';
        const rate = (c.attrs.rate ?? '').trim();
        if (!CURRENCY.test(currency)) issues.push({ path: `${path}@currency`, message: `invalid currency "${currency}"` });
        else if (!RATE.test(rate) || /^0+(\.0+)?$/.test(rate)) issues.push({ path: `${path}@rate`, message: `invalid rate "${rate}" for ${currency}` });
        else rates.push({ source: 'ECB', currency, date, rate, multiplier: 1 });
      });
  });
  refuseIssues('ECB', issues);
  return { source: 'ECB', base: 'EUR', publishingDate: days.map((d) => d.attrs.time!).sort().at(-1), rates };
}

/** Pick the parser by the document's root element (for `--rates <file>` where the user need not say which). */
export function parseFeed(xml: string, source?: FxSource): ParsedFeed {
  if (source === 'BNR') return parseBnr(xml);
  if (source === 'ECB') return parseEcb(xml);
  return /<([\w-]+:)?Envelope[\s>]/.test(xml.slice(0, 2048)) ? parseEcb(xml) : parseBnr(xml);
}
