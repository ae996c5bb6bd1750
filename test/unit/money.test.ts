import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Decimal, Money, roundDecimal, toDecimal } from '../../src/core/index.ts';

describe('Money', () => {
  it('adds without float error', () => {
    assert.equal(Money.of('0.1', 'EUR').add(Money.of('0.2', 'EUR')).toString(), '0.30');
  });

  it('rounds half-up by default, away from zero for negatives', () => {
    assert.equal(Money.of('2.675', 'EUR').round().toString(), '2.68');
    assert.equal(Money.of('1.005', 'EUR').round().toString(), '1.01');
    assert.equal(Money.of('-2.665', 'EUR').round().toString(), '-2.67');
    assert.equal(Money.of('2.665', 'EUR').round('half-even').toString(), '2.66');
    assert.equal(Money.of('2.661', 'EUR').round('up').toString(), '2.67');
    assert.equal(Money.of('2.669', 'EUR').round('down').toString(), '2.66');
  });

  it('chains VAT and FX exactly and rounds once (domain.md example)', () => {
    const ron = Money.of('10.00', 'EUR').mul('5.2581').mul('1.21');
    assert.equal(ron.amount.toString(), '63.62301');
    assert.equal(Money.of(ron.amount, 'RON').round().toString(), '63.62');
    assert.equal(Money.of('9.93', 'EUR').mul('5.2581').mul('1.21').round().toString(), '63.18');
  });

  it('strips 19 % VAT correctly (the case dinero.js got wrong)', () => {
    const gross = Money.of('10.00', 'EUR');
    const net = gross.div('1.19').round();
    assert.equal(net.toString(), '8.40');
    assert.equal(gross.sub(net).toString(), '1.60');
  });

  it('refuses fractional JS numbers and malformed strings', () => {
    assert.throws(() => Money.of(0.1, 'EUR'), /fractional or unsafe JS number/);
    assert.throws(() => Money.of('12,50', 'EUR'), /not a decimal number/);
    assert.equal(Money.of(12, 'EUR').toString(), '12.00');
  });

  it('refuses mixing currencies and unknown currencies', () => {
    assert.throws(() => Money.of('1', 'EUR').add(Money.of('1', 'RON')), /currency mismatch/);
    assert.throws(() => Money.of('1', 'XYZ'), /unknown or unsupported currency/);
  });

  it('converts to and from minor units', () => {
    assert.equal(Money.fromMinor(1234, 'EUR').toString(), '12.34');
    assert.equal(Money.of('12.34', 'RON').toMinor(), 1234n);
    assert.throws(() => Money.of('12.345', 'RON').toMinor(), /not rounded/);
    assert.equal(Money.fromMinor(1000, 'JPY').toString(), '1000');
  });

  it('allocates so the parts add up to the whole', () => {
    const parts = Money.of('100.00', 'EUR').allocate([1, 1, 1]);
    assert.deepEqual(parts.map(String), ['33.34', '33.33', '33.33']);
    const neg = Money.of('-100.00', 'EUR').allocate([1, 1, 1]);
    assert.deepEqual(neg.map(String), ['-33.34', '-33.33', '-33.33']);
  });

  it('serialises to JSON as a string amount', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(Money.of('5', 'RON'))), { amount: '5.00', currency: 'RON' });
  });

  it('keeps 40 significant digits before rounding', () => {
    assert.equal(toDecimal('1').div(3).toString().length > 30, true);
    assert.equal(roundDecimal(new Decimal('0.125'), 2).toString(), '0.13');
  });
});
