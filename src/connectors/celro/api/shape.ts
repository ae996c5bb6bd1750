import { CelroResponseError } from '../errors.ts';

// Shaping helpers shared by the API areas: CEL's answers are loosely typed, so lists are read leniently.

export const MAX_PAGE = 50;
export const MAX_PAGES = 10_000;

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Page<T> {
  readonly items: readonly T[];
  readonly start: number;
  readonly more: boolean;
  readonly total: number | null;
}

export function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

export function listOf(m: unknown, route: string): Record<string, unknown>[] {
  const raw = Array.isArray(m) ? m : isObj(m) ? (['data', 'list', 'items', 'results'].map((k) => m[k]).find(Array.isArray) ?? Object.values(m)) : undefined;
  if (!Array.isArray(raw)) throw new CelroResponseError(route, 200, JSON.stringify(m).slice(0, 4000), 'expected a list');
  return raw.filter(isObj);
}

export function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** Every item of a paged list, page after page, bounded against a server that always says "more". */
export async function allPages<T>(fetchPage: (start: number) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let start = 0;
  for (let i = 0; i < MAX_PAGES; i++) {
    const p = await fetchPage(start);
    out.push(...p.items);
    if (!p.more || p.items.length === 0) return out;
    start += p.items.length;
  }
  throw new CelroResponseError('pagination', 200, '', `more than ${MAX_PAGES} pages: the server keeps saying more are available`);
}
