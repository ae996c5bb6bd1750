import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { compileRuleSet } from '../../src/mapping/compile.ts';
import { DEFAULT_CATALOG_RULES, DEFAULT_ORDER_RULES } from '../../src/mapping/defaults.ts';
import { evaluateCompiled } from '../../src/mapping/evaluate.ts';
import { parseJsonLossless } from '../../src/mapping/json.ts';
import { RULES_SCHEMA_ID } from '../../src/mapping/schema.ts';

const doc = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ schema: RULES_SCHEMA_ID, direction: 'catalog', name: 't', ...extra, fields });
const evalOne = (d: unknown, article: Record<string, unknown>, product: Record<string, unknown> = {}): ReturnType<typeof evaluateCompiled> =>
  evaluateCompiled(compileRuleSet(d), { product, article, date: '2026-08-25' });
const issues = (d: unknown): string[] => {
  try {
    compileRuleSet(d);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected the document to be refused');
};

describe('rule language: operators', () => {
  it('lookup tables: error, default and keep for missing values; case-insensitive option', () => {
    const lookups = {
      units: { entries: { Stück: 'buc', Paar: 'pereche' }, missing: 'error' },
      brands: { entries: { 'acme gmbh': 'ACME' }, missing: 'default', default: 'Generic', ignoreCase: true },
      colors: { entries: { schwarz: 'Negru' }, missing: 'keep' },
    };
    const d = doc(
      {
        unit: { from: 'article.unitName', pipeline: [{ op: 'lookup', table: 'units' }] },
        brand: { from: 'article.brand', pipeline: [{ op: 'lookup', table: 'brands' }] },
        'charact.Culoare:': { from: 'article.color', pipeline: [{ op: 'lookup', table: 'colors' }, { op: 'asList' }] },
      },
      { lookups },
    );
    const ok = evalOne(d, { unitName: 'Paar', brand: 'ACME GmbH', color: 'schwarz' });
    assert.ok(ok.ok);
    assert.deepEqual(ok.fields, { unit: 'pereche', brand: 'ACME', charact: { 'Culoare:': ['Negru'] } });
    const dflt = evalOne(d, { unitName: 'Stück', brand: 'Other', color: 'rot' });
    assert.ok(dflt.ok);
    assert.deepEqual(dflt.fields, { unit: 'buc', brand: 'Generic', charact: { 'Culoare:': ['rot'] } });
    const bad = evalOne(d, { unitName: 'Kiste', brand: 'x', color: 'x' });
    assert.ok(!bad.ok);
    assert.deepEqual(bad.error, { field: 'unit', step: 0, op: 'lookup', message: 'field "unit", step 1 (lookup): "Kiste" is not in lookup table "units"' });
  });

  it('lookup keys match Unicode-normalised text and numbers by value', () => {
    const d = doc(
      { u: { from: 'article.u', pipeline: [{ op: 'lookup', table: 't' }] }, r: { from: 'article.r', pipeline: [{ op: 'lookup', table: 't' }] } },
      { lookups: { t: { entries: { 'St\u00fcck': 'buc', '19': 'standard' } } } },
    );
    const r = evalOne(d, { u: 'Stu\u0308ck', r: '19.00' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.fields, { u: 'buc', r: 'standard' });
  });

  it('template, default, required, trim, truncate, upper/lower', () => {
    const d = doc({
      title: { from: 'article.title', pipeline: [{ op: 'trim' }, { op: 'template', template: '{value} – {article.unitName} {{new}}' }, { op: 'truncate', max: 20 }] },
      code: { from: 'article.code', pipeline: [{ op: 'default', value: 'n/a' }, { op: 'upper' }] },
      must: { from: 'article.must', pipeline: [{ op: 'required', message: 'every article needs "must"' }] },
    });
    const r = evalOne(d, { title: '  Lampe   Nord ', unitName: 'Stück', must: 'x' });
    assert.ok(r.ok);
    assert.deepEqual(r.fields, { title: 'Lampe Nord – Stück {', code: 'N/A', must: 'x' });
    const f = evalOne(d, { title: 'a' });
    assert.ok(!f.ok);
    assert.equal(f.error.message, 'field "must", step 1 (required): every article needs "must"');
  });

  it('markup, multiply, add, subtract, divide by a field, clamp, toInteger, vatRate', () => {
    const d = doc({
      p: { from: 'article.p', pipeline: [{ op: 'markup', percent: '10' }, { op: 'add', value: '0.50' }, { op: 'clamp', min: '5', max: '100' }, { op: 'round' }] },
      q: { from: 'article.q', pipeline: [{ op: 'multiply', byFrom: 'article.n' }, { op: 'subtract', valueFrom: 'fields.p' }, { op: 'divide', by: '4' }] },
      floor: { from: 'article.tiny', pipeline: [{ op: 'clamp', min: '5' }, { op: 'toInteger' }] },
      vat: { pipeline: [{ op: 'vatRate', country: 'RO', class: 'reduced' }] },
      vatOld: { pipeline: [{ op: 'vatRate', country: 'RO', class: 'standard', dateFrom: 'article.old' }] },
    });
    const r = evalOne(d, { p: '10.00', q: '3.5', n: 4, tiny: '0.2', old: '2025-07-31T23:30:00+03:00' });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(r.fields, { p: '11.50', q: '0.625', floor: 5, vat: '11', vatOld: '19' });
    const big = evalOne(d, { p: '500', q: '1', n: 0, tiny: '9', old: '2026-01-01' });
    assert.ok(big.ok);
    assert.equal(big.fields.p, '100.00');
  });

  it('a value missing from the source stays missing through arithmetic and the field is left out', () => {
    const r = evalOne(doc({ p: { from: 'article.nope.deeper', pipeline: [{ op: 'markup', percent: '10' }, { op: 'round' }] }, c: { const: 'x' } }), {});
    assert.ok(r.ok);
    assert.deepEqual(r.fields, { c: 'x' });
  });

  it('vatRows in the document extend the built-in table (e.g. an enacted RO 23 %)', () => {
    const d = doc(
      { g: { from: 'article.n', pipeline: [{ op: 'vatAdd', class: 'standard' }, { op: 'round' }] } },
      { vatRates: [{ country: 'RO', validFrom: '2026-09-01', rates: { standard: '23' } }] },
    );
    assert.equal((evaluateCompiled(compileRuleSet(d), { product: {}, article: { n: '100' }, date: '2026-08-31' }) as { fields: Record<string, unknown> }).fields.g, '121.00');
    assert.equal((evaluateCompiled(compileRuleSet(d), { product: {}, article: { n: '100' }, date: '2026-09-01' }) as { fields: Record<string, unknown> }).fields.g, '123.00');
  });

  it('the lossless reader keeps decimals written as JSON numbers exactly', () => {
    const d = parseJsonLossless(`{"schema":"${RULES_SCHEMA_ID}","direction":"catalog","name":"n","fields":{"p":{"from":"article.p","pipeline":[{"op":"multiply","by":1.10}]}}}`);
    const r = evalOne(d, { p: '0.1' });
    assert.ok(r.ok);
    assert.equal(r.fields.p, '0.11');
    assert.deepEqual(parseJsonLossless('{"a":[1,-2.50,3e2,12345678901234567890,"x\\"y",true,null]}'), { a: [1, '-2.50', '3e2', '12345678901234567890', 'x"y', true, null] });
    assert.throws(() => parseJsonLossless('{"a":1,}', 'rules'), /rules: expected a property name at line 1/);
  });
});

describe('rule language: refusals name the JSON path', () => {
  it('shape errors', () => {
    assert.deepEqual(issues({ ...doc({ p: { from: 'article.p', pipeline: [{ op: 'round', mode: 'nearest' }] } }) }), [
      '$.fields.p.pipeline[0].mode: Invalid option: expected one of "half-up"|"half-even"|"half-down"|"up"|"down"|"ceil"|"floor"',
    ]);
    const [unknownOp] = issues(doc({ p: { from: 'article.p', pipeline: [{ op: 'teleport' }] } }));
    assert.match(unknownOp!, /^\$\.fields\.p\.pipeline\[0\]\.op: Invalid discriminator value\. Expected 'required' \| 'default'/);
    assert.deepEqual(issues(doc({ p: { from: 'article.p', pipeline: [{ op: 'multiply', by: 1.5 }] } })), [
      '$.fields.p.pipeline[0].by: fractional numbers must be written as strings, e.g. "1.05"',
    ]);
    assert.deepEqual(issues({ ...doc({}), schema: 'v0' }).length, 2);
  });

  it('meaning errors: unknown roots, forward references, missing tables, bad fx/vat/round/clamp settings', () => {
    const got = issues(
      doc({
        a: { from: 'order.id' },
        b: { from: 'fields.c' },
        c: { from: 'article.x', pipeline: [{ op: 'lookup', table: 'nope' }, { op: 'fx', from: 'EUR', to: 'EUR' }, { op: 'vatAdd', country: 'XX', class: 'standard' }] },
        d: { from: 'article.x', pipeline: [{ op: 'round', ending: '1.5' }, { op: 'clamp', min: '5', max: '1' }, { op: 'vatStrip' }, { op: 'multiply' }] },
        e: {},
      }),
    );
    assert.deepEqual(got, [
      '$.fields.a.from: path "order.id" must start with one of "product", "article", "date", "fields"',
      '$.fields.b.from: "fields.c" refers to a field that is not defined above this one (fields are evaluated top to bottom)',
      '$.fields.c.pipeline[0].table: lookup table "nope" is not defined',
      '$.fields.c.pipeline[1].to: "from" and "to" are the same currency',
      '$.fields.c.pipeline[2].country: no VAT table for country XX (add rows under "vatRates")',
      '$.fields.d.pipeline[0].ending: "ending" must be at least 0 and less than the step (1)',
      '$.fields.d.pipeline[1]: "min" 5 is greater than "max" 1',
      '$.fields.d.pipeline[2]: vatStrip needs one of "class", "classFrom", "rate" or "rateFrom"',
      '$.fields.d.pipeline[3]: give exactly one of "by" or "byFrom"',
      '$.fields.e: a field needs "from", "const", or a pipeline with a "template", "default" or "vatRate"',
    ]);
  });

  it('the shipped defaults compile, and each direction uses its own roots', () => {
    assert.equal(compileRuleSet(DEFAULT_CATALOG_RULES).fxNeeds[0]!.currencies[0], 'EUR');
    assert.equal(compileRuleSet(DEFAULT_ORDER_RULES).direction, 'order');
    assert.match(issues({ ...DEFAULT_ORDER_RULES, direction: 'catalog' })[0]!, /path "line\.title" must start with one of "product"/);
  });
});
