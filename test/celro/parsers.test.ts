import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { parseCelroOrder, parseStatusDictionary, statusMeaningOf, toCanonicalOrder } from '../../src/connectors/celro/orders.ts';
import { parsePushCallback, pushTemplate } from '../../src/connectors/celro/push.ts';
import { JsonDecimal, jsonWithDecimals, phpBuildQuery, phpUrlencode } from '../../src/connectors/celro/wire.ts';
import { asList, parsePhpForm } from '../../sim/celro/form.ts';

describe('PHP form encoding (client) and decoding (simulator)', () => {
  it('encodes like http_build_query: RFC 1738, brackets, booleans 1/0, nulls dropped', () => {
    assert.equal(phpUrlencode("a b~*!'()ă"), 'a+b%7E%2A%21%27%28%29%C4%83');
    const q = phpBuildQuery([
      ['a', true],
      ['b', false],
      ['c', null],
      ['d', undefined],
      ['e', [1, { x: 'y z' }]],
      ['f', { g: { h: '1/2' } }],
    ]);
    assert.equal(q, 'a=1&b=0&e%5B0%5D=1&e%5B1%5D%5Bx%5D=y+z&f%5Bg%5D%5Bh%5D=1%2F2');
    assert.deepEqual(parsePhpForm(q), { a: '1', b: '0', e: { 0: '1', 1: { x: 'y z' } }, f: { g: { h: '1/2' } } });
  });

  it('the simulator parses PHP appends and lists', () => {
    const f = parsePhpForm('x[]=a&x[]=b&y[1]=q&y[0]=p&z=1&z=2');
    assert.deepEqual(asList(f.x), ['a', 'b']);
    assert.deepEqual(asList(f.y), ['p', 'q']);
    assert.equal(f.z, '2');
    assert.equal(asList({ a: '1' }), undefined);
  });

  it('writes decimals into JSON as number literals without floats', () => {
    assert.equal(jsonWithDecimals([{ p: new JsonDecimal('0.30'), q: new JsonDecimal('12345678901234567890.12') }]), '[{"p":0.30,"q":12345678901234567890.12}]');
    assert.throws(() => new JsonDecimal('1e5'));
  });
});

describe('order payload parsing is defensive', () => {
  it('reads the third-party shape (products_quantity, no cantitate) and string addresses, reporting what did not fit', () => {
    const o = parseCelroOrder({
      orders_id: '2000638',
      date_purchased: '2026-08-25 10:11:12',
      orders_status: 2,
      status_name: 'In procesare',
      payment_method: 'Ordin de Plata',
      billing_info: 'Str. Lunga 1, Brasov',
      products: [
        { products_model: 'M1', products_quantity: '2', products_price: '10,50' },
        { products_model: 'taxa_transport', products_quantity: 1, products_price: 15 },
      ],
    });
    assert.equal(o.id, '2000638');
    assert.equal(o.statusId, '2');
    assert.equal(statusMeaningOf(o.statusName!), 'confirmed');
    assert.equal(o.paymentMethod, 'bank_transfer');
    assert.deepEqual(o.lines.map((l) => [l.kind, l.model, l.quantity, l.unitPriceGross]), [
      ['item', 'M1', '2', '10.5'],
      ['shipping', null, '1', '15'],
    ]);
    assert.ok(o.issues.some((i) => i.startsWith('billing_info: a single string')));
    assert.equal(o.total, null);
    const canon = toCanonicalOrder(o, () => 'confirmed');
    assert.equal(canon.totalGross.toString(), '36.00');
    assert.equal(canon.totalGross.currency, 'RON');
  });

  it('never crashes on garbage: issues are reported and the raw payload kept', () => {
    const raw = { id: 5, products: [null, 'x', { products_model: 'A' }], vouchers: 'nope', status: [] };
    const o = parseCelroOrder(raw);
    assert.equal(o.id, '5');
    assert.equal(o.raw, raw);
    assert.ok(o.issues.length >= 5, o.issues.join('\n'));
    assert.equal(parseCelroOrder('surprise', 77).id, '77');
    assert.throws(() => parseCelroOrder({ foo: 1 }), ValidationError);
  });

  it('refuses an unsupported currency with a typed error', () => {
    const o = parseCelroOrder({ id_comanda: 1, moneda: 'XYZ', products: [] });
    assert.throws(() => toCanonicalOrder(o, () => 'new'), ValidationError);
  });
});

describe('status dictionary is mapped by meaning, not by eMAG numbers', () => {
  it('reads lists, maps and nested maps; overrides win', () => {
    const a = parseStatusDictionary([{ id: 1, status: 'Comanda noua' }, { id: 7, status: 'Neconfirmata' }, { id: 11, status: 'Anulată' }]);
    assert.deepEqual(a.map((s) => s.meaning), ['new', 'new', 'cancelled']);
    const b = parseStatusDictionary({ 3: 'Pregătită pentru livrare', 4: 'Livrată', 24: 'Stornată', 9: 'Ceva nou-nout' }, { 9: 'finished' });
    assert.deepEqual(b.map((s) => [s.id, s.meaning]), [['3', 'ready'], ['4', 'finished'], ['9', 'finished'], ['24', 'reversed']]);
    const c = parseStatusDictionary({ x: { orders_status_id: 2, orders_status_name: 'In procesare' } });
    assert.deepEqual(c, [{ id: '2', name: 'In procesare', meaning: 'confirmed' }]);
    assert.equal(statusMeaningOf('Ceva'), 'unknown');
  });
});

describe('push callback parsing', () => {
  const tpl = pushTemplate('https://vortex.example/webhooks/celro/t1?k=abc');

  it('builds a template and reads type 1 {"list":[…]} from the query', () => {
    assert.equal(tpl, 'https://vortex.example/webhooks/celro/t1?k=abc&type=$1$&value=$2$&extra=$3$');
    const p = parsePushCallback(tpl, `/webhooks/celro/t1?k=abc&type=1&value=${encodeURIComponent('{"list":[2004302,"2004303"]}')}&extra=`);
    assert.deepEqual(p, { type: 1, kind: 'new_orders', orderIds: ['2004302', '2004303'], value: '{"list":[2004302,"2004303"]}', extra: '' });
  });

  it('accepts a doubly-encoded value, the CEL example parameter names and path placeholders', () => {
    const example = 'http://example.com/api.php?alert_type=$1$&alert_value=$2$&other_parameters=$3$';
    const twice = encodeURIComponent(encodeURIComponent('{"list":[9]}'));
    const p = parsePushCallback(example, `http://example.com/api.php?alert_type=1&alert_value=${twice}`);
    assert.equal(p.kind === 'new_orders' && p.orderIds[0], '9');
    const cancel = parsePushCallback(example, `/api.php?alert_type=11&alert_value=${encodeURIComponent('{"order_id":"44"}')}`);
    assert.deepEqual([cancel.type, cancel.kind, cancel.kind === 'order_event' && cancel.orderId], [11, 'order_event', '44']);
    const pathTpl = 'https://h.example/cel/$1$/$2$';
    const q = parsePushCallback(pathTpl, `/cel/24/${encodeURIComponent('123')}`);
    assert.deepEqual([q.type, q.kind === 'order_event' && q.orderId], [24, '123']);
    const odd = parsePushCallback(example, '/api.php?alert_type=99&alert_value=hello');
    assert.equal(odd.kind, 'unknown');
  });

  it('refuses callbacks without a type or with a malformed type-1 value', () => {
    assert.throws(() => parsePushCallback(tpl, '/webhooks/celro/t1?value=1'), ValidationError);
    assert.throws(() => parsePushCallback(tpl, '/webhooks/celro/t1?type=1&value=%7B%22list%22%3A%5B%22x%22%5D%7D'), ValidationError);
  });
});
