import { Decimal } from '../core/decimal.ts';

/**
 * What to do with one SKU on Cel.ro, decided from what Vortex wants and what it last pushed. Pure: the
 * sync step gathers the inputs, this decides, the step executes.
 */
export interface OfferState {
  /** Fields as last pushed (Cel.ro importer names), null if never pushed. */
  readonly pushed: Readonly<Record<string, unknown>> | null;
  readonly pushedHash: string | null;
  readonly listed: boolean;
  readonly active: boolean;
  /** A held price change the merchant approved: push it once with overridePrice. */
  readonly overrideNext: boolean;
}

export interface DesiredOffer {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly hash: string;
  readonly archived: boolean;
}

export interface PlanSettings {
  /** Cel.ro refuses price changes over this percentage without overridePrice. */
  readonly guardPercent: string;
  /** 'hold': keep the old price and show the change for approval; 'override': send overridePrice. */
  readonly priceJump: 'hold' | 'override';
}

export type OfferAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'create' }
  | { readonly kind: 'update'; readonly changed: readonly string[]; readonly overridePrice: boolean }
  | { readonly kind: 'hold'; readonly reason: string; readonly changePercent: string }
  | { readonly kind: 'deactivate' };

const PRICE = 'pretf';

export function planOffer(state: OfferState | undefined, desired: DesiredOffer, settings: PlanSettings): OfferAction {
  if (desired.archived) return state?.listed && state.active ? { kind: 'deactivate' } : { kind: 'none' };
  if (!state?.listed) return { kind: 'create' };
  if (state.pushedHash === desired.hash && state.active) return { kind: 'none' };
  const changed = changedFields(state.pushed ?? {}, desired.fields);
  if (!state.active && !changed.includes('status')) changed.push('status');
  if (changed.length === 0) return { kind: 'none' };
  const jump = changed.includes(PRICE) ? priceChangePercent(state.pushed?.[PRICE], desired.fields[PRICE]) : null;
  if (jump !== null && jump.abs().greaterThan(settings.guardPercent)) {
    if (settings.priceJump === 'override' || state.overrideNext) return { kind: 'update', changed, overridePrice: true };
    const pct = jump.toDecimalPlaces(1).toFixed(1);
    return { kind: 'hold', changePercent: pct, reason: `price change ${jump.isNegative() ? '' : '+'}${pct} % exceeds Cel.ro's ${settings.guardPercent} % guard: approve it to push with overridePrice` };
  }
  return { kind: 'update', changed, overridePrice: false };
}

export function changedFields(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)).sort();
}

/** Percentage change from old to new price, or null when either is not a positive decimal. */
export function priceChangePercent(oldPrice: unknown, newPrice: unknown): Decimal | null {
  const o = toDec(oldPrice);
  const n = toDec(newPrice);
  if (!o || !n || o.isZero()) return null;
  return n.minus(o).div(o).times(100);
}

function toDec(v: unknown): Decimal | null {
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return new Decimal(v);
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(String(v));
  return null;
}
