import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBnr, parseEcb } from '../../src/connectors/fx/feeds.ts';
import { Money } from '../../src/core/money.ts';
import type { Order, OrderLine, Product } from '../../src/core/types.ts';
import { RateBook } from '../../src/fx/rate-book.ts';
import { compileRuleSet } from '../../src/mapping/compile.ts';
import { DEFAULT_CATALOG_RULES, DEFAULT_ORDER_RULES } from '../../src/mapping/defaults.ts';
import { evaluateCompiled } from '../../src/mapping/evaluate.ts';
import { catalogInput, orderFromJson, orderLineInput, productFromLexofficeArticle } from '../../src/mapping/inputs.ts';
import { parseJsonLossless } from '../../src/mapping/json.ts';

const B = readFileSync(new URL('../fixtures/fx/bnr-10days-2026-08-24-synthetic.xml', import.meta.url), 'utf8');
const rates = new RateBook(parseBnr(B).rates);
const catalog = compileRuleSet(DEFAULT_CATALOG_RULES);
const orders = compileRuleSet(DEFAULT_ORDER_RULES);

function article(net: string, taxRate = 19, extra = ''): unknown {
  return parseJsonLossless(
    `{"id":"eb46d328-e1dc-11ee-8444-2fadfc15a567","title":" Lampe  Nord ","type":"PRODUCT","articleNumber":"LMP-1","unitName":"Stück",
      "price":{"netPrice":${net},"grossPrice":null,"leadingPrice":"NET","taxRate":${taxRate}},"archived":false,"version":2${extra}}`,
  );
}

function priced(net: string, date: string, taxRate = 19): Record<string, unknown> {
  const raw = article(net, taxRate);
  const r = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(raw), raw, date), { rates });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.fields;
}

describe('domain.md §2.5 golden cases — catalog DE → RO (BNR 5.2581 = Cube 2026-08-21)', () => {
  it('10.00 EUR net, RO 21 % → 63.62 RON gross', () => {
    const f = priced('10.00', '2026-08-22');
    assert.equal(f.pretf, '63.62');
    assert.equal(f.hasTVA, 1);
    assert.equal(f.moneda, 'RON');
    assert.equal(f.products_model, 'LMP-1');
    assert.equal(f.products_name, 'Lampe Nord');
    assert.equal(f.status, 1);
  });

  it('9.93 EUR net → 63.18 (converted in full precision, rounded once — not 63.17)', () => {
    assert.equal(priced('9.93', '2026-08-24').pretf, '63.18');
  });

  it('the weekend uses Friday’s publication; Tuesday uses Monday’s', () => {
    assert.equal(priced('10.00', '2026-08-23').pretf, '63.62');
    assert.equal(priced('10.00', '2026-08-25').pretf, '63.66'); // 10 × 5.2610 × 1.21 = 63.6581
  });

  it('DE 7 % maps to the RO reduced rate (11 % since 2025-08-01), DE 0 % to zero', () => {
    assert.equal(priced('10.00', '2026-08-22', 7).pretf, '58.36'); // 52.581 × 1.11 = 58.36491
    assert.equal(priced('10.00', '2026-08-22', 0).pretf, '52.58');
  });

  it('before 2025-08-01 the dated table gives RO 19 %', () => {
    const old = new RateBook([{ source: 'BNR', currency: 'EUR', date: '2025-07-30', rate: '5.0781', multiplier: 1 }]);
    const raw = article('10.00');
    const r = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(raw), raw, '2025-07-31'), { rates: old });
    assert.ok(r.ok);
    assert.equal(r.fields.pretf, '60.43'); // 50.781 × 1.19 = 60.42939
    const r2 = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(raw), raw, '2025-08-01'), { rates: old });
    assert.ok(r2.ok);
    assert.equal(r2.fields.pretf, '61.45'); // 50.781 × 1.21 = 61.44501 — the float trap (61.445009…) avoided
  });

  it('lineage names the rate used (source, Cube date, rate string) and hashes the input', () => {
    const raw = article('10.00');
    const input = catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-22');
    const r = evaluateCompiled(catalog, input, { rates, versionId: 7, version: 3 });
    assert.deepEqual(r.lineage.fx, [{ source: 'BNR', currency: 'EUR', date: '2026-08-21', rate: '5.2581', multiplier: 1 }]);
    assert.equal(r.lineage.ruleSetVersionId, 7);
    assert.match(r.lineage.inputHash, /^[0-9a-f]{64}$/);
    const again = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(article('10.00')), article('10.00'), '2026-08-22'), { rates });
    assert.equal(again.lineage.inputHash, r.lineage.inputHash);
    const other = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(article('10.01')), article('10.01'), '2026-08-22'), { rates });
    assert.notEqual(other.lineage.inputHash, r.lineage.inputHash);
  });

  it('a missing rate fails the item with a readable reason (never a constant)', () => {
    const raw = article('10.00');
    const r = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(raw), raw, '2026-09-05'), { rates });
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.error.field, 'pretf');
    assert.equal(r.error.op, 'fx');
    assert.match(r.error.message, /field "pretf", step 2 \(fx\): no BNR rate for EUR published before 2026-09-05 within 7 days/);
  });

  it('an unknown DE tax rate fails the item through the lookup table', () => {
    const raw = article('10.00', 22);
    const r = evaluateCompiled(catalog, catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-22'), { rates });
    assert.ok(!r.ok);
    assert.match(r.error.message, /"22" is not in lookup table "de-tax-class"/);
  });
});

describe('domain.md §2.5 golden cases — order RO → DE (order on Tue 2026-08-25 → BNR 5.2610, Cube 2026-08-24)', () => {
  const order = (lines: OrderLine[]): Order => ({
    channel: 'celro',
    channelOrderId: '1001',
    placedAt: '2026-08-25T10:15:00+03:00',
    currency: 'RON',
    status: 'new',
    customer: { kind: 'person', name: 'Ion Popescu', billingAddress: { name: 'Ion Popescu', street: 'Str. Paris 1', city: 'Bucuresti', countryCode: 'RO' } },
    lines,
    totalGross: lines.reduce((a, l) => a.add(l.lineTotalGross), Money.zero('RON')),
    paymentMethod: 'cash_on_delivery',
  });
  const line = (qty: string, unit: string, total: string, vat: string | null = '21'): OrderLine => ({
    lineId: 'l1',
    sku: 'LMP-1',
    title: 'Lampe Nord',
    quantity: qty,
    unitPriceGross: Money.of(unit, 'RON'),
    lineTotalGross: Money.of(total, 'RON'),
    vatPercent: vat,
    kind: 'item',
  });

  it('1 × 63.62 RON → 12.09 EUR gross, 9.99 net, 2.10 VAT', () => {
    const l = line('1', '63.62', '63.62');
    const r = evaluateCompiled(orders, orderLineInput(order([l]), l), { rates });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.lineage.date, '2026-08-25');
    assert.deepEqual(r.fields.lineTotal, { grossAmount: '12.09', netAmount: '9.99', taxAmount: '2.10' });
    assert.deepEqual(r.fields.unitPrice, { currency: 'EUR', taxRatePercentage: 21, grossAmount: '12.0900' });
    assert.equal(r.lineage.fx[0]!.rate, '5.2610');
    assert.equal(r.lineage.fx[0]!.date, '2026-08-24');
  });

  it('3 × 63.62 = 190.86 RON: the line total is converted → 36.28 gross, 29.98 net', () => {
    const l = line('3', '63.62', '190.86');
    const r = evaluateCompiled(orders, orderLineInput(order([l]), l), { rates });
    assert.ok(r.ok);
    assert.deepEqual(r.fields.lineTotal, { grossAmount: '36.28', netAmount: '29.98', taxAmount: '6.30' });
    assert.equal((r.fields.unitPrice as Record<string, unknown>).grossAmount, '12.0933');
  });

  it('with the pricing day’s rate (order on Sat 22 → 5.2581) the same line is 12.10 / 10.00 / 2.10', () => {
    const l = line('1', '63.62', '63.62');
    const r = evaluateCompiled(orders, orderLineInput(order([l]), l, '2026-08-22'), { rates });
    assert.ok(r.ok);
    assert.deepEqual(r.fields.lineTotal, { grossAmount: '12.10', netAmount: '10.00', taxAmount: '2.10' });
  });

  it('a line without a VAT percent falls back to the RO standard rate of the order day', () => {
    const l = line('1', '63.62', '63.62', null);
    const r = evaluateCompiled(orders, orderLineInput(order([l]), l), { rates });
    assert.ok(r.ok);
    assert.equal((r.fields.unitPrice as Record<string, unknown>).taxRatePercentage, 21);
  });

  it('an order placed late on Monday in Bucharest time counts as Monday', () => {
    const l = line('1', '63.62', '63.62');
    const o = { ...order([l]), placedAt: '2026-08-24T22:30:00Z' }; // 01:30 Tuesday in Bucharest
    assert.equal(orderLineInput(o, l).date, '2026-08-25');
  });
});

describe('product from a lexoffice article', () => {
  it('keeps the price digits exactly (no float) and refuses non-articles with the path', () => {
    const p: Product = productFromLexofficeArticle(parseJsonLossless('{"title":"X","articleNumber":"A","price":{"netPrice":61.90,"leadingPrice":"NET","taxRate":19}}'));
    assert.equal(p.netPrice!.toString(), '61.90');
    assert.throws(() => productFromLexofficeArticle({ title: 'X', price: { netPrice: 61.9, taxRate: 19 } }), /\$\.price\.netPrice/);
    assert.throws(() => productFromLexofficeArticle({ price: {} }), /\$\.title/);
  });
});

describe('other sources and inputs', () => {
  it('ECB as the rate source (Fixture C, 1 EUR = 4.9773 RON on Fri 2024-06-28 → used on Sat 29)', () => {
    const C = readFileSync(new URL('../fixtures/fx/ecb-2024-06-28.xml', import.meta.url), 'utf8');
    const ecb = new RateBook(parseEcb(C).rates);
    const doc = { ...structuredClone(DEFAULT_CATALOG_RULES), defaults: { fxSource: 'ECB', fxDatePolicy: 'previous', vatCountry: 'RO' } };
    const c = compileRuleSet(doc);
    assert.deepEqual(c.fxNeeds, [{ source: 'ECB', currencies: ['RON'] }]);
    const raw = article('10.00');
    const r = evaluateCompiled(c, catalogInput(productFromLexofficeArticle(raw), raw, '2024-06-29'), { rates: ecb });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.fields.pretf, '59.23'); // 49.773 × 1.19 (RO standard before 2025-08-01) = 59.22987
    assert.deepEqual(r.lineage.fx, [{ source: 'ECB', currency: 'RON', date: '2024-06-28', rate: '4.9773', multiplier: 1 }]);
  });

  it('an order read from JSON (as `vortex map --order` does) maps every line', () => {
    const order = orderFromJson(
      parseJsonLossless(`{"channelOrderId":"77","placedAt":"2026-08-25T09:00:00+03:00","lines":[
        {"lineId":"1","sku":"LMP-1","title":"Lampe","quantity":"3","unitPriceGross":{"amount":"63.62","currency":"RON"},"lineTotalGross":{"amount":190.86,"currency":"RON"},"vatPercent":"21"},
        {"lineId":"2","sku":null,"title":"Transport","quantity":1,"unitPriceGross":{"amount":"19.99","currency":"RON"},"lineTotalGross":{"amount":"19.99","currency":"RON"},"vatPercent":null,"kind":"shipping"}]}`),
    );
    assert.equal(order.totalGross.toString(), '210.85');
    const rs = order.lines.map((l) => evaluateCompiled(orders, orderLineInput(order, l), { rates }));
    assert.deepEqual(
      rs.map((r) => (r.ok ? r.fields.lineTotal : r.error.message)),
      [
        { grossAmount: '36.28', netAmount: '29.98', taxAmount: '6.30' },
        { grossAmount: '3.80', netAmount: '3.14', taxAmount: '0.66' }, // 19.99 / 5.2610 = 3.7996…; 3.80 / 1.21 = 3.1404…
      ],
    );
    assert.throws(() => orderFromJson({ channelOrderId: '1', placedAt: '2026-08-25', lines: [] }), /\$\.lines: /);
  });
});
