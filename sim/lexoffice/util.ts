import { randomUUID } from 'node:crypto';
import { Decimal } from '../../src/core/decimal.ts';
import { mulberry32 } from '../../src/core/prng.ts';

/** lexoffice timestamps: yyyy-MM-ddTHH:mm:ss.SSSXXX in the account's zone (German accounts: Europe/Berlin). */
export const LEX_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;
export const LEX_DAY = /^\d{4}-\d{2}-\d{2}$/;

const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });

/** Offset of Europe/Berlin at `d` as "+01:00" / "+02:00". */
export function berlinOffset(d: Date): string {
  const name = offsetFmt.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m?.[1] ?? '+00:00';
}

/** A Date rendered the way lexoffice returns it: Berlin local time with explicit offset, 3 ms digits. */
export function lexTime(d: Date): string {
  const off = berlinOffset(d);
  const sign = off.startsWith('-') ? -1 : 1;
  const mins = sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6)));
  const local = new Date(d.getTime() + mins * 60_000);
  return local.toISOString().replace('Z', off);
}

/** Calendar day in Europe/Berlin (voucherlist date filters mean a full CET/CEST day). */
export function berlinDay(d: Date): string {
  return lexTime(d).slice(0, 10);
}

export function parseLexTime(s: unknown): Date | undefined {
  if (typeof s !== 'string' || !LEX_DATETIME.test(s)) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export const uuid = (): string => randomUUID();

/** Deterministic PRNG (mulberry32) so `--seed demo` gives the same catalog every time. */
export function prng(seed: number): () => number {
  return mulberry32(seed);
}

/** Deterministic uuid-shaped id from a PRNG. */
export function seededUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Decimal → JSON number rounded half-up to `dp` places (the API speaks JSON numbers). */
export function num(d: Decimal, dp = 2): number {
  return Number(d.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP).toFixed(dp));
}

export function dec(n: number | string): Decimal {
  return new Decimal(n);
}

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

/** Decimal places of a JSON number (to enforce "up to 4 decimals"). */
export function decimals(n: number): number {
  const s = new Decimal(n).toFixed();
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

/** GTIN-8/12/13/14 with a valid check digit. */
export function validGtin(s: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(s)) return false;
  const digits = [...s].map(Number);
  const check = digits.pop() as number;
  const sum = digits.reverse().reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

export function gtinCheckDigit(body: string): string {
  const digits = [...body].map(Number).reverse();
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
}

/** contacts/voucherlist search strings arrive HTML-encoded (&amp; &lt; &gt;) then URL-encoded. */
export function htmlDecode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** SQL-LIKE pattern (`_`, `%`, backslash escapes) → case-insensitive substring RegExp, as the contacts filter does. */
export function likeToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      out += escapeRe(pattern[++i] as string);
    } else if (c === '_') out += '.';
    else if (c === '%') out += '.*';
    else out += escapeRe(c);
  }
  return new RegExp(out, 'i');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
