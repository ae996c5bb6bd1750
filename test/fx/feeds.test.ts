import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBnr, parseEcb, parseFeed } from '../../src/connectors/fx/feeds.ts';
import { ValidationError } from '../../src/core/errors.ts';
import { FxRateMissingError, RateBook } from '../../src/fx/rate-book.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/fx/${name}`, import.meta.url), 'utf8');
const A = fixture('bnr-2022-06-17.xml');
const B = fixture('bnr-10days-2026-08-24-synthetic.xml');
const C = fixture('ecb-2024-06-28.xml');

describe('BNR parser', () => {
  it('reads Fixture A: date, rates as published strings, multipliers', () => {
    const f = parseBnr(A);
    assert.equal(f.base, 'RON');
    assert.equal(f.publishingDate, '2022-06-17');
    assert.deepEqual(
      f.rates.map((r) => [r.currency, r.date, r.rate, r.multiplier]),
      [
        ['EUR', '2022-06-17', '4.9472', 1],
        ['GBP', '2022-06-17', '5.7805', 1],
        ['HUF', '2022-06-17', '1.2409', 100],
        ['JPY', '2022-06-17', '3.4927', 100],
        ['USD', '2022-06-17', '4.7049', 1],
      ],
    );
  });

  it('applies the multiplier: 1 HUF = 0.012409 RON, 1 JPY = 0.034927 RON', () => {
    const book = new RateBook(parseBnr(A).rates);
    assert.equal(book.quote('BNR', 'HUF', 'RON', '2022-06-17', 'same-day').factor.toFixed(), '0.012409');
    assert.equal(book.quote('BNR', 'JPY', 'RON', '2022-06-17', 'same-day').factor.toFixed(), '0.034927');
    assert.equal(book.quote('BNR', 'EUR', 'RON', '2022-06-17', 'same-day').factor.toFixed(), '4.9472');
  });

  it('is namespace-agnostic (https namespace, prefixed elements) and tolerates a BOM', () => {
    const https = A.replace('xmlns="http://www.bnr.ro/xsd"', 'xmlns="https://www.bnr.ro/xsd"');
    assert.equal(parseBnr(https).rates.length, 5);
    const prefixed = '\uFEFF' + A.replace(/<(\/?)(DataSet|Header|Publisher|PublishingDate|MessageType|Body|Subject|OrigCurrency|Cube|Rate)\b/g, '<$1b:$2').replace('xmlns="http://www.bnr.ro/xsd"', 'xmlns:b="http://www.bnr.ro/xsd"');
    const f = parseBnr(prefixed);
    assert.equal(f.rates.length, 5);
    assert.equal(f.rates[2]!.multiplier, 100);
  });

  it('reads every Cube of a multi-day file (Fixture B)', () => {
    const f = parseBnr(B);
    assert.deepEqual([...new Set(f.rates.map((r) => r.date))], ['2026-08-20', '2026-08-21', '2026-08-24']);
    assert.equal(f.rates.length, 6);
  });

  it('refuses HTML (the old www.bnr.ro URL), malformed XML and malformed rates with the path', () => {
    assert.throws(() => parseBnr('<!DOCTYPE html><html><body>moved</body></html>'), /HTML instead of XML|got an HTML page.*curs\.bnr\.ro/);
    assert.throws(() => parseBnr('<DataSet><Body><Cube date="2026-08-20"><Rate currency="EUR">5.1</Cube></Body></DataSet>'), ValidationError);
    try {
      parseBnr(B.replace('5.2581', '5,2581'));
      assert.fail('expected a refusal');
    } catch (e) {
      assert.ok(e instanceof ValidationError);
      assert.match(e.message, /Cube\[2026-08-21\]\.Rate\[0\]: invalid rate "5,2581" for EUR/);
    }
    assert.throws(() => parseBnr(B.replace('2026-08-20', '2026-02-30')), /invalid date "2026-02-30"/);
    assert.throws(() => parseBnr(B.replace('multiplier="100"', 'multiplier="0"')), /invalid multiplier/);
  });
});

describe('ECB parser', () => {
  it('reads Fixture C: 1 EUR = 4.9773 RON, trailing zeros kept', () => {
    const f = parseEcb(C);
    assert.equal(f.base, 'EUR');
    assert.equal(f.publishingDate, '2024-06-28');
    const ron = f.rates.find((r) => r.currency === 'RON')!;
    assert.deepEqual(ron, { source: 'ECB', currency: 'RON', date: '2024-06-28', rate: '4.9773', multiplier: 1 });
    assert.equal(f.rates.find((r) => r.currency === 'HUF')!.rate, '395.10');
    assert.equal(f.rates.length, 6);
  });

  it('converts both ways and across currencies through EUR', () => {
    const book = new RateBook(parseEcb(C).rates);
    assert.equal(book.quote('ECB', 'EUR', 'RON', '2024-06-28', 'same-day').factor.toFixed(), '4.9773');
    assert.equal(book.quote('ECB', 'RON', 'EUR', '2024-06-28', 'same-day').factor.toFixed(10), '0.2009121411');
    // USD → RON = 4.9773 / 1.0705
    assert.equal(book.quote('ECB', 'USD', 'RON', '2024-06-28', 'same-day').factor.toFixed(8), '4.64950957');
  });

  it('parseFeed recognises the format by its root', () => {
    assert.equal(parseFeed(C).source, 'ECB');
    assert.equal(parseFeed(A).source, 'BNR');
    assert.throws(() => parseEcb(A), /expected <gesmes:Envelope>/);
  });
});

describe('rate for a date (Fixture B, BNR convention: newest Cube strictly before the day)', () => {
  const book = new RateBook(parseBnr(B).rates);
  const cases: [string, string, string][] = [
    ['2026-08-21', '5.2560', '2026-08-20'], // Fri → Thu's publication
    ['2026-08-22', '5.2581', '2026-08-21'], // Sat → Fri
    ['2026-08-23', '5.2581', '2026-08-21'], // Sun → Fri
    ['2026-08-24', '5.2581', '2026-08-21'], // Mon → Fri (Mon's is published at 13:00 and applies from Tue)
    ['2026-08-25', '5.2610', '2026-08-24'], // Tue → Mon
  ];
  for (const [day, rate, cube] of cases) {
    it(`${day} → ${rate} (Cube ${cube})`, () => {
      const r = book.fixingFor('BNR', 'EUR', day, 'previous');
      assert.equal(r.rate, rate);
      assert.equal(r.date, cube);
    });
  }

  it('same-day policy uses the day’s own publication', () => {
    assert.equal(book.fixingFor('BNR', 'EUR', '2026-08-24', 'same-day').rate, '5.2610');
    assert.equal(book.fixingFor('BNR', 'EUR', '2026-08-23', 'same-day').rate, '5.2581');
  });

  it('fails loudly when no rate lies within 7 days, or none exists at all', () => {
    assert.equal(book.fixingFor('BNR', 'EUR', '2026-08-31', 'previous').date, '2026-08-24'); // 7 days back: still fine
    assert.throws(() => book.fixingFor('BNR', 'EUR', '2026-09-01', 'previous'), (e: unknown) => e instanceof FxRateMissingError && /within 7 days.*newest stored: 2026-08-24/.test(e.message));
    assert.throws(() => book.fixingFor('BNR', 'EUR', '2026-08-20', 'previous'), FxRateMissingError);
    assert.throws(() => book.fixingFor('BNR', 'USD', '2026-08-25', 'previous'), /none stored/);
    assert.throws(() => book.quote('ECB', 'EUR', 'RON', '2026-08-25'), FxRateMissingError);
  });
});
