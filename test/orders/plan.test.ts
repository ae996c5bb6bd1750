import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBnr } from '../../src/connectors/fx/feeds.ts';
import { Decimal } from '../../src/core/decimal.ts';
import { Money } from '../../src/core/money.ts';
import type { Customer, Order, OrderLine } from '../../src/core/types.ts';
import { RateBook } from '../../src/fx/rate-book.ts';
import { compileRuleSet } from '../../src/mapping/compile.ts';
import { DEFAULT_ORDER_RULES } from '../../src/mapping/defaults.ts';
import { evaluateCompiled } from '../../src/mapping/evaluate.ts';
import { orderLineInput } from '../../src/mapping/inputs.ts';
import { contactDraft, cuiValid, oneTimeAddress, romanianPlace, vatRegistration } from '../../src/orders/contact-plan.ts';
import { canTransition, planCancellation, replayTarget } from '../../src/orders/transitions.ts';
import { DEFAULT_DOCUMENT_RULES, hasMarker, orderMarker, planVoucher, type ResolvedArticle } from '../../src/orders/voucher-plan.ts';

const rates = new RateBook(parseBnr(readFileSync(new URL('../fixtures/fx/bnr-10days-2026-08-24-synthetic.xml', import.meta.url), 'utf8')).rates);
const rules = compileRuleSet(DEFAULT_ORDER_RULES);

const person: Customer = {
  kind: 'person',
  name: 'Ioana Popescu',
  email: 'ioana.popescu@example.ro',
  phone: '0722123456',
  billingAddress: { name: 'Ioana Popescu', street: 'Calea Victoriei nr. 12', city: 'București Sector 1', region: 'București', zip: '010063', countryCode: 'RO' },
};
const company: Customer = {
  kind: 'company',
  name: 'Carpați Tech SRL',
  email: 'office@carpati.example.ro',
  vatId: 'RO4221306',
  billingAddress: { name: 'Mihai Stan', company: 'Carpați Tech SRL', street: 'Str. Memorandumului 5', city: 'Cluj-Napoca', region: 'Cluj', zip: '400114', countryCode: 'RO' },
};

let seq = 0;
function line(sku: string | null, qty: string, unit: string, kind: OrderLine['kind'] = 'item', title = sku ?? 'Taxa transport'): OrderLine {
  const u = Money.of(unit, 'RON');
  return { lineId: `l${++seq}`, sku, title, quantity: qty, unitPriceGross: u, lineTotalGross: u.mul(qty).round(), vatPercent: kind === 'voucher' ? null : '21', kind };
}

function order(lines: OrderLine[], customer: Customer = person): Order {
  return {
    channel: 'celro',
    channelOrderId: '2000638',
    placedAt: '2026-08-25 10:15:00', // Tuesday → BNR Cube of Mon 2026-08-24: 5.2610
    currency: 'RON',
    status: 'new',
    customer,
    lines,
    totalGross: lines.reduce((a, l) => a.add(l.lineTotalGross), Money.zero('RON')),
    paymentMethod: 'cash_on_delivery',
  };
}

function plan(o: Order, articles: Record<string, ResolvedArticle | null> = {}) {
  const results = o.lines.map((l) => {
    const r = evaluateCompiled(rules, orderLineInput(o, l, '2026-08-25'), { rates });
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return { fields: r.fields, fx: r.lineage.fx };
  });
  const arts = new Map<string, ResolvedArticle | null>();
  for (const l of o.lines) if (l.kind === 'item') arts.set(l.lineId, articles[l.sku ?? ''] ?? null);
  return planVoucher({ order: o, results, articles: arts, document: DEFAULT_DOCUMENT_RULES });
}

describe('voucher plan (golden amounts, BNR 5.2610 of 2026-08-24)', () => {
  it('B2C: lines, shipping and voucher as lines, the residue on shipping so the EUR total is the RON total converted once', () => {
    const o = order([
      line('LMP-1', '1', '63.62'),
      line('CAF-1', '3', '63.62'),
      line('A-1', '1', '10.07'),
      line('B-1', '1', '10.28'),
      line('C-1', '1', '10.49'),
      line(null, '1', '19.99', 'shipping'),
      line(null, '1', '-10.00', 'voucher', 'Voucher CEL10'),
    ]);
    const r = plan(o, { 'LMP-1': { id: '11111111-1111-4111-8111-111111111111', type: 'material' } });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const p = r.plan;
    // 295.31 RON / 5.2610 = 56.1319…; per-line rounding gives 56.12 → the cent goes onto shipping.
    assert.equal(p.original.amount, '295.31');
    assert.equal(p.totalEur, '56.13');
    assert.equal(p.residue, '0.01');
    assert.deepEqual(p.fx, { source: 'BNR', date: '2026-08-24', rate: '5.2610' });
    assert.deepEqual(
      p.lineItems.map((l) => [l.type, l.id ?? null, l.quantity, l.unitPrice.grossAmount, l.unitPrice.taxRatePercentage]),
      [
        ['material', '11111111-1111-4111-8111-111111111111', '1', '12.09', '21'],
        ['custom', null, '3', '12.0933', '21'], // 36.28 / 3; 3 × 12.0933 = 36.2799 → 36.28
        ['custom', null, '1', '1.91', '21'],
        ['custom', null, '1', '1.95', '21'],
        ['custom', null, '1', '1.99', '21'],
        ['custom', null, '1', '3.81', '21'], // 3.80 + the 0.01 residue
        ['custom', null, '1', '-1.9', '21'],
      ],
    );
    const sum = p.lineItems.reduce((a, l) => a.plus(new Decimal(l.unitPrice.grossAmount!).times(l.quantity).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)), new Decimal(0));
    assert.equal(sum.toFixed(2), p.totalEur, 'lexoffice sums the lines to exactly the total');
    assert.deepEqual(p.taxConditions, { taxType: 'gross', taxSubType: 'distanceSales' });
    assert.ok(hasMarker(p.introduction, '2000638'));
    assert.match(p.remark, /295\.31 RON/);
    assert.match(p.remark, /BNR rate of 2026-08-24: 1 EUR = 5\.2610 RON/);
    assert.equal(p.voucherDate, '2026-08-25T00:00:00.000+01:00');
  });

  it('a line whose quantity × unit price cannot give its total back goes as one lot', () => {
    // 1000 × 0.53 = 530 RON → 100.74 EUR; 100.74 / 1000 = 0.1007 at 4 decimals → × 1000 = 100.70 ≠ 100.74.
    const m = plan(order([line('Y-1', '1000', '0.53')]));
    assert.ok(m.ok, m.ok ? '' : m.message);
    assert.equal(m.plan.lineItems[0]!.quantity, '1');
    assert.match(m.plan.lineItems[0]!.name, /^1000 × /);
    assert.equal(m.plan.lineItems[0]!.unitPrice.grossAmount, '100.74');
    assert.equal(m.plan.totalEur, '100.74');
  });

  it('B2B with a VAT-registered CUI: intra-community supply, net amounts at 0 %', () => {
    const r = plan(order([line('LMP-1', '1', '63.62'), line(null, '1', '19.99', 'shipping')], company));
    assert.ok(r.ok);
    assert.equal(r.plan.b2b, true);
    assert.deepEqual(r.plan.taxConditions, { taxType: 'intraCommunitySupply' });
    // 63.62 → 12.09 gross → 9.99 net; 19.99 → 3.80 → 3.14 net; exact (83.61 / 5.2610 / 1.21) = 13.134… → 13.13
    assert.deepEqual(r.plan.lineItems.map((l) => [l.unitPrice.netAmount, l.unitPrice.taxRatePercentage]), [['9.99', '0'], ['3.14', '0']]);
    assert.equal(r.plan.totalEur, '13.13');
    assert.match(r.plan.introduction, /RO4221306/);
  });

  it('no rate: the plan refuses (the order is quarantined as missing_rate)', () => {
    const o = order([line('LMP-1', '1', '63.62')]);
    const r = planVoucher({ order: o, results: [{ fields: { lineTotal: { grossAmount: '63.62' }, unitPrice: { taxRatePercentage: 21 } }, fx: [] }], articles: new Map(), document: DEFAULT_DOCUMENT_RULES });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'missing_rate');
  });

  it('the marker matches this order number only', () => {
    assert.equal(orderMarker('123'), 'Cel.ro order 123');
    assert.ok(hasMarker('Cel.ro order 123 of 2026-08-25', '123'));
    assert.ok(!hasMarker('Cel.ro order 1234 of 2026-08-25', '123'));
    assert.ok(!hasMarker('Cel.ro order 12', '123'));
    assert.ok(!hasMarker(null, '123'));
  });
});

describe('contact plan (RO addresses, CUI)', () => {
  it('a person in Bucharest: sector as supplement, city București', () => {
    const d = contactDraft(person, '7');
    assert.deepEqual(d.person, { firstName: 'Ioana', lastName: 'Popescu' });
    assert.deepEqual(d.billingAddress, { supplement: 'Sector 1', street: 'Calea Victoriei nr. 12', zip: '010063', city: 'București', countryCode: 'RO' });
    assert.deepEqual(d.email, { kind: 'private', address: 'ioana.popescu@example.ro' });
    assert.deepEqual(romanianPlace({ name: '', street: '', city: 'Bucuresti', region: 'Sector 6', countryCode: 'RO' }), { city: 'București', supplement: 'Sector 6' });
    assert.deepEqual(romanianPlace({ name: '', street: '', city: 'Iași', region: 'Iași', countryCode: 'RO' }), { city: 'Iași' });
    assert.equal(oneTimeAddress(person).name, 'Ioana Popescu');
  });

  it('a company: CUI with RO → vatRegistrationId, bare CUI → taxNumber; the county as supplement', () => {
    const d = contactDraft(company, '8');
    assert.deepEqual(d.company, { name: 'Carpați Tech SRL', vatRegistrationId: 'RO4221306', contactPerson: { firstName: 'Mihai', lastName: 'Stan', emailAddress: 'office@carpati.example.ro' } });
    assert.equal(d.billingAddress.supplement, 'Jud. Cluj');
    assert.deepEqual(vatRegistration('12345674'), { taxNumber: '12345674' });
    assert.deepEqual(vatRegistration(' ro 4221306'), { vatRegistrationId: 'RO4221306' });
    assert.ok(cuiValid('4221306') && cuiValid('RO4221306') && cuiValid('12345674'));
    assert.ok(!cuiValid('12345678'));
  });
});

describe('state machine', () => {
  it('only the documented transitions', () => {
    assert.ok(canTransition('received', 'mapped'));
    assert.ok(canTransition('received', 'quarantined'));
    assert.ok(canTransition('contact_ensured', 'document_pending'));
    assert.ok(canTransition('document_pending', 'document_created'));
    assert.ok(!canTransition('document_pending', 'contact_ensured'), 'an intent is never abandoned for a blind re-create');
    assert.ok(!canTransition('document_pending', 'cancelled'), 'a pending document is resolved before a cancellation');
    assert.ok(!canTransition('acknowledged', 'document_pending'));
    assert.ok(!canTransition('cancelled', 'received'));
    assert.equal(replayTarget('quarantined'), 'received');
    assert.equal(replayTarget('needs_review'), 'document_pending');
    assert.equal(replayTarget('acknowledged'), null);
  });

  it('cancellation depends on the document', () => {
    const s = { creditNoteOnCancel: false };
    assert.equal(planCancellation('mapped', { type: null, status: null, number: null }, s).kind, 'before-document');
    assert.equal(planCancellation('document_pending', { type: 'invoice', status: null, number: null }, s).kind, 'resolve-first');
    assert.equal(planCancellation('acknowledged', { type: 'invoice', status: 'draft', number: 'RE1' }, s).kind, 'draft');
    assert.equal(planCancellation('acknowledged', { type: 'invoice', status: 'open', number: 'RE1' }, s).kind, 'action-item');
    assert.equal(planCancellation('acknowledged', { type: 'invoice', status: 'open', number: 'RE1' }, { creditNoteOnCancel: true }).kind, 'credit-note');
    assert.equal(planCancellation('acknowledged', { type: 'orderconfirmation', status: 'open', number: 'AB1' }, { creditNoteOnCancel: true }).kind, 'action-item');
  });
});
