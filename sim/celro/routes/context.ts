import type { FormObject } from '../form.ts';
import { SimError, type Rules, type SimState } from '../state.ts';
import type { SimConfig } from '../types.ts';
import type { OrderViews } from '../views.ts';

// What every route group gets, and the field readers they share. One file per API area registers its
// "method/action" handlers; server.ts merges them and runs auth, faults and the envelope around them.

export interface RouteContext {
  readonly state: SimState;
  readonly config: SimConfig;
  readonly rules: Rules;
  readonly views: OrderViews;
}

export type Handler = (f: FormObject, files: Map<string, Buffer>) => unknown | Promise<unknown>;
export type Routes = Record<string, Handler>;

export const int = (f: FormObject, k: string): number => {
  const v = f[k];
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) throw new SimError(`Parametrul ${k} lipseste sau este invalid`);
  return Number(v);
};
export const page = (f: FormObject, max = 50): { start: number; limit: number } => {
  const start = typeof f.start === 'string' && /^\d+$/.test(f.start) ? Number(f.start) : 0;
  let limit = typeof f.limit === 'string' && /^\d+$/.test(f.limit) ? Number(f.limit) : max;
  if (limit < 1 || limit > max) limit = max;
  return { start, limit };
};
export const paginate = <T>(xs: T[], start: number, limit: number): { limit: number; start: number; moreavailable: 0 | 1; items: T[] } => ({
  limit,
  start,
  moreavailable: start + limit < xs.length ? 1 : 0,
  items: xs.slice(start, start + limit),
});
export const jsonField = (f: FormObject, k: string, what: string): unknown => {
  const v = f[k];
  if (typeof v !== 'string') throw new SimError(`Parametrul ${k} trebuie sa fie ${what} (JSON)`);
  try {
    return JSON.parse(v);
  } catch {
    throw new SimError(`Parametrul ${k} nu este JSON valid`);
  }
};
