import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The one Decimal constructor Vortex uses: 40 significant digits (rates and VAT chains stay exact
 * long before rounding) and half-up as the default rounding mode. A local clone, never the global.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export type RoundingMode = 'half-up' | 'half-even' | 'half-down' | 'up' | 'down' | 'ceil' | 'floor';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half-up', 'half-even', 'half-down', 'up', 'down', 'ceil', 'floor'];

const modeToDecimal: Record<RoundingMode, DecimalJs.Rounding> = {
  'half-up': DecimalJs.ROUND_HALF_UP, // away from zero on .5, as commerce expects (−2.665 → −2.67)
  'half-even': DecimalJs.ROUND_HALF_EVEN,
  'half-down': DecimalJs.ROUND_HALF_DOWN,
  up: DecimalJs.ROUND_UP, // away from zero
  down: DecimalJs.ROUND_DOWN, // towards zero
  ceil: DecimalJs.ROUND_CEIL,
  floor: DecimalJs.ROUND_FLOOR,
};

export function decimalRounding(mode: RoundingMode): DecimalJs.Rounding {
  return modeToDecimal[mode];
}

const DECIMAL_STRING = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse an amount given as a string (or an existing Decimal). JS numbers are accepted only when they
 * are safe integers: a fractional float has already lost the amount it was meant to carry.
 */
export function toDecimal(value: string | number | bigint | Decimal, what = 'amount'): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'bigint') return new Decimal(value.toString());
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`${what}: fractional or unsafe JS number ${value} refused; pass a decimal string`);
    }
    return new Decimal(value);
  }
  const trimmed = value.trim();
  if (!DECIMAL_STRING.test(trimmed)) throw new TypeError(`${what}: "${value}" is not a decimal number`);
  return new Decimal(trimmed);
}

export function roundDecimal(value: Decimal, decimals: number, mode: RoundingMode = 'half-up'): Decimal {
  return value.toDecimalPlaces(decimals, decimalRounding(mode));
}
