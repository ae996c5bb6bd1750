import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateBook } from '../../src/fx/rate-book.ts';
import { compileRuleSet } from '../../src/mapping/compile.ts';
import { DEFAULT_CATALOG_RULES } from '../../src/mapping/defaults.ts';
import { evaluateCompiled } from '../../src/mapping/evaluate.ts';
import { catalogInput, productFromLexofficeArticle } from '../../src/mapping/inputs.ts';
import { RULES_SCHEMA_ID } from '../../src/mapping/schema.ts';
import { mulberry32 } from '../../src/core/prng.ts';

/** Deterministic PRNG (mulberry32) so a failure is reproducible from the seed in the message. */
const rng = mulberry32;
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Integer minor units → decimal string, with BigInt (no float anywhere). */
function fromMinor(v: bigint, decimals: number): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(decimals + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
/** Half-up (away from zero) division of non-negative BigInts. */
const divHalfUp = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);

const doc = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({ schema: RULES_SCHEMA_ID, direction: 'catalog', name: 'prop', ...extra, fields });

describe('property: VAT add then strip returns the input within one minor unit', () => {
  const rules = compileRuleSet(
    doc({
      gross: { from: 'product.netPrice.amount', pipeline: [{ op: 'vatAdd', rateFrom: 'product.taxRatePercent' }, { op: 'round', decimals: 2 }] },
      back: { from: 'fields.gross', pipeline: [{ op: 'vatStrip', rateFrom: 'product.taxRatePercent' }, { op: 'round', decimals: 2 }] },
    }),
  );
  it('holds for 3,000 random amounts and rates (seed 42)', () => {
    const r = rng(42);
    for (let i = 0; i < 3000; i++) {
      const cents = BigInt(int(r, 0, 1_000_000_000)) * (r() < 0.1 ? 1000n : 1n);
      const rate = ['0', '5', '7', '9', '11', '16', '19', '21', '23', '5.5', '8.1'][int(r, 0, 10)]!;
      const net = fromMinor(cents, 2);
      const raw = { title: 'x', articleNumber: 'p', price: { netPrice: net, taxRate: rate } };
      const res = evaluateCompiled(rules, catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-25'));
      assert.ok(res.ok);
      const back = BigInt(String(res.fields.back).replace('.', ''));
      const diff = back > cents ? back - cents : cents - back;
      assert.ok(diff <= 1n, `net ${net} at ${rate} % → gross ${String(res.fields.gross)} → back ${String(res.fields.back)} (case ${i})`);
    }
  });
});

describe('property: no float ever touches an amount', () => {
  const rules = compileRuleSet(DEFAULT_CATALOG_RULES);
  it('FX × VAT × half-up rounding equals exact integer arithmetic for 3,000 random prices, rates and days (seed 7)', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      // prices up to 10^13 EUR: far beyond 2^53 in minor units × rate digits, where float arithmetic breaks
      const cents = BigInt(int(r, 1, 2 ** 31)) * BigInt(int(r, 1, 2 ** 21));
      const rate4 = BigInt(int(r, 10_000, 99_999)); // rate with 4 decimals, e.g. 5.2581
      const [tax, roPercent] = [[19, 21n], [7, 11n], [0, 0n]][int(r, 0, 2)] as [number, bigint];
      const rates = new RateBook([{ source: 'BNR', currency: 'EUR', date: '2026-08-24', rate: fromMinor(rate4, 4), multiplier: 1 }]);
      const raw = { title: 'x', articleNumber: 'p', price: { netPrice: fromMinor(cents, 2), taxRate: tax } };
      const res = evaluateCompiled(rules, catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-25'), { rates });
      assert.ok(res.ok, res.ok ? '' : res.error.message);
      // exact: cents/100 × rate4/10^4 × (100+p)/100, in bani (×100), half-up
      const expected = divHalfUp(cents * rate4 * (100n + roPercent), 10_000n * 100n);
      assert.equal(res.fields.pretf, fromMinor(expected, 2), `case ${i}: ${fromMinor(cents, 2)} EUR × ${fromMinor(rate4, 4)}`);
      assert.doesNotMatch(String(res.fields.pretf), /e/i);
    }
  });

  it('a fractional JS number reaching an arithmetic step fails the item instead of being used', () => {
    const rules2 = compileRuleSet(doc({ p: { from: 'article.price', pipeline: [{ op: 'multiply', by: '2' }] } }));
    const res = evaluateCompiled(rules2, { product: {}, article: { price: 61.9 }, date: '2026-08-25' });
    assert.ok(!res.ok);
    assert.match(res.error.message, /fractional JS number 61\.9 refused/);
    const ok = evaluateCompiled(rules2, { product: {}, article: { price: 61 }, date: '2026-08-25' });
    assert.ok(ok.ok);
    assert.equal(ok.fields.p, '122');
  });
});

describe('rounding operator', () => {
  const run = (value: string, op: Record<string, unknown>): unknown => {
    const c = compileRuleSet(doc({ v: { from: 'article.v', pipeline: [{ op: 'round', ...op }] } }));
    const res = evaluateCompiled(c, { product: {}, article: { v: value }, date: '2026-08-25' });
    assert.ok(res.ok, res.ok ? '' : res.error.message);
    return res.fields.v;
  };
  it('half-up vs half-even on exact halves (domain.md §1.4)', () => {
    assert.equal(run('0.125', { mode: 'half-up' }), '0.13');
    assert.equal(run('0.125', { mode: 'half-even' }), '0.12');
    assert.equal(run('61.445', {}), '61.45');
    assert.equal(run('61.445', { mode: 'half-even' }), '61.44');
    assert.equal(run('2.675', {}), '2.68');
    assert.equal(run('1.005', {}), '1.01');
    assert.equal(run('-2.665', {}), '-2.67');
  });
  it('up / down, steps, and prices ending in .99', () => {
    assert.equal(run('63.621', { mode: 'up' }), '63.63');
    assert.equal(run('63.629', { mode: 'down' }), '63.62');
    assert.equal(run('63.62', { step: '0.05' }), '63.60');
    assert.equal(run('63.63', { step: '0.05', mode: 'up' }), '63.65');
    assert.equal(run('63.62', { ending: '0.99', mode: 'up' }), '63.99');
    assert.equal(run('63.62', { ending: '0.99', mode: 'down' }), '62.99');
    assert.equal(run('63.99', { ending: '0.99', mode: 'up' }), '63.99');
    assert.equal(run('63.62', { ending: '0.99' }), '63.99'); // nearest x.99
    assert.equal(run('63.40', { ending: '0.99' }), '62.99');
    assert.equal(run('127', { step: '10', ending: '9', decimals: 0, mode: 'up' }), '129');
    assert.equal(run('12', { decimals: 0 }), '12');
  });
});
