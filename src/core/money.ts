import { Decimal, type RoundingMode, roundDecimal, toDecimal } from './decimal.ts';
import { type CurrencyCode, minorUnits, parseCurrency } from './currency.ts';

/**
 * An amount in one currency. Arithmetic is exact (decimal.js); rounding happens only when asked,
 * with an explicit mode, half-up by default. Amounts never pass through JS floats.
 */
export class Money {
  private constructor(
    readonly amount: Decimal,
    readonly currency: CurrencyCode,
  ) {}

  static of(amount: string | number | Decimal, currency: CurrencyCode | string): Money {
    return new Money(toDecimal(amount), typeof currency === 'string' ? parseCurrency(currency) : currency);
  }

  static zero(currency: CurrencyCode): Money {
    return new Money(new Decimal(0), currency);
  }

  /** From integer minor units (cents, bani): 1234 EUR-cents → 12.34 EUR. */
  static fromMinor(minor: number | bigint, currency: CurrencyCode): Money {
    return new Money(toDecimal(minor, 'minor units').div(new Decimal(10).pow(minorUnits(currency))), currency);
  }

  add(other: Money): Money {
    this.assertSame(other);
    return new Money(this.amount.plus(other.amount), this.currency);
  }

  sub(other: Money): Money {
    this.assertSame(other);
    return new Money(this.amount.minus(other.amount), this.currency);
  }

  mul(factor: string | number | Decimal): Money {
    return new Money(this.amount.times(toDecimal(factor, 'factor')), this.currency);
  }

  div(divisor: string | number | Decimal): Money {
    return new Money(this.amount.div(toDecimal(divisor, 'divisor')), this.currency);
  }

  negate(): Money {
    return new Money(this.amount.negated(), this.currency);
  }

  /** Round to the currency's minor units (or `decimals`) with an explicit mode. */
  round(mode: RoundingMode = 'half-up', decimals: number = minorUnits(this.currency)): Money {
    return new Money(roundDecimal(this.amount, decimals, mode), this.currency);
  }

  /** Integer minor units; refuses an amount that is not already rounded to them. */
  toMinor(): bigint {
    const scaled = this.amount.times(new Decimal(10).pow(minorUnits(this.currency)));
    if (!scaled.isInteger()) throw new RangeError(`${this.toString()} is not rounded to minor units`);
    return BigInt(scaled.toFixed(0));
  }

  /**
   * Split into parts proportional to `ratios`, each rounded to minor units, the remainder handed out
   * one minor unit at a time from the first part so the parts always add up to the whole.
   */
  allocate(ratios: readonly (string | number)[]): Money[] {
    if (ratios.length === 0) throw new RangeError('allocate needs at least one ratio');
    const weights = ratios.map((r) => toDecimal(r, 'ratio'));
    const total = weights.reduce((a, b) => a.plus(b), new Decimal(0));
    if (total.isZero()) throw new RangeError('allocate ratios sum to zero');
    const whole = this.round().toMinor();
    const parts = weights.map((w) => BigInt(new Decimal(whole.toString()).times(w).div(total).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed(0)));
    let remainder = whole - parts.reduce((a, b) => a + b, 0n);
    const step = remainder >= 0n ? 1n : -1n;
    for (let i = 0; remainder !== 0n; i = (i + 1) % parts.length) {
      parts[i] = (parts[i] ?? 0n) + step;
      remainder -= step;
    }
    return parts.map((p) => Money.fromMinor(p, this.currency));
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSame(other);
    return this.amount.comparedTo(other.amount) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.amount.equals(other.amount);
  }

  /** Plain decimal string, fixed to the currency's minor units when already rounded to them. */
  toString(): string {
    const digits = minorUnits(this.currency);
    return this.amount.decimalPlaces() <= digits ? this.amount.toFixed(digits) : this.amount.toFixed();
  }

  toJSON(): { amount: string; currency: CurrencyCode } {
    return { amount: this.toString(), currency: this.currency };
  }

  private assertSame(other: Money): void {
    if (other.currency !== this.currency) {
      throw new TypeError(`currency mismatch: ${this.currency} vs ${other.currency}`);
    }
  }
}
