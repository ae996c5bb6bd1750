import { StoreError } from '../core/errors.ts';

/** PostgreSQL type OIDs whose parsing must agree between PGlite and pg. */
export const PG_TYPES = { INT8: 20, DATE: 1082, NUMERIC: 1700 } as const;

/** int8 → JS number on both drivers; refuse silently losing precision. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new StoreError(`int8 value ${text} exceeds JS safe integer range; cast it to text in SQL`);
  return n;
}

/** date → 'YYYY-MM-DD' string: a calendar day has no time zone, a JS Date would invent one. */
export function parseDate(text: string): string {
  return text;
}
