import { Decimal, toDecimal } from '../core/decimal.ts';

/**
 * How much of the stock on hand is offered on a marketplace. Pure: the same inputs always give the
 * same published quantity, and it is never negative.
 *
 *   available = on hand − reserved (orders taken but not yet reflected in the source's on-hand figure)
 *   after buffer = available − buffer, buffer absolute (units) or a percentage of available, rounded UP
 *   at or below `floor` → 0 (the last few units are kept back entirely)
 *   capped at `cap` when one is set
 */
export interface StockPolicy {
  readonly bufferKind: 'absolute' | 'percent';
  /** Units (absolute) or percent (0–100), as a decimal string. */
  readonly bufferValue: string;
  /** Publish 0 when the quantity after the buffer is at or below this. */
  readonly floor: number;
  /** Never publish more than this; null = no cap. */
  readonly cap: number | null;
}

export const DEFAULT_STOCK_POLICY: StockPolicy = { bufferKind: 'absolute', bufferValue: '0', floor: 0, cap: null };

export type StockPolicyOverride = Partial<StockPolicy>;

/** A per-SKU override takes precedence field by field over the tenant's policy. */
export function effectivePolicy(tenant: StockPolicy, override?: StockPolicyOverride | null): StockPolicy {
  return override ? { ...tenant, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) } : tenant;
}

export function bufferUnits(available: number, policy: StockPolicy): number {
  const value = toDecimal(policy.bufferValue, 'buffer');
  if (value.isNegative()) throw new RangeError('buffer must not be negative');
  if (policy.bufferKind === 'absolute') return value.ceil().toNumber();
  if (value.greaterThan(100)) throw new RangeError('percentage buffer must be between 0 and 100');
  // Rounded up: a buffer exists to protect the last unit, so 10 % of 5 holds back 1, not 0.
  return new Decimal(Math.max(available, 0)).times(value).div(100).ceil().toNumber();
}

export function publishedQuantity(onHand: number, reserved: number, policy: StockPolicy): number {
  assertCount(onHand, 'on hand', true);
  assertCount(reserved, 'reserved', false);
  const available = onHand - reserved;
  const afterBuffer = available - bufferUnits(available, policy);
  if (afterBuffer <= policy.floor || afterBuffer <= 0) return 0;
  return policy.cap === null ? afterBuffer : Math.min(afterBuffer, Math.max(policy.cap, 0));
}

function assertCount(n: number, what: string, allowNegative: boolean): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be a whole number of units, got ${n}`);
  if (!allowNegative && n < 0) throw new RangeError(`${what} must not be negative, got ${n}`);
}
