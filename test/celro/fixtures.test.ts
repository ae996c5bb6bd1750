import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CelroClient } from '../../src/connectors/celro/client.ts';
import { CelroApiError } from '../../src/connectors/celro/errors.ts';
import { toCanonicalOrder } from '../../src/connectors/celro/orders.ts';
import { parsePushCallback } from '../../src/connectors/celro/push.ts';
import { AuthError } from '../../src/core/errors.ts';
import type { Db } from '../../src/store/db.ts';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { assertSameShape, shapeDifferences, type ShapeOptions } from '../helpers/celro-shape.ts';
import { testPglite } from '../helpers/stores.ts';
import { apiPath, fixture, rawCall, rawLogin } from './sim-raw.ts';

/**
 * The real-shaped payloads in test/fixtures/real/celro (README.md there says where each shape comes
 * from): (a) the client reads each one, served over HTTP as Cel.ro would answer; (b) the simulator's
 * answer for the same resource has the same keys and JSON types.
 */

type Envelope = { error: number; tokenStatus: number; message: unknown };
const fx = <T = Envelope>(name: string): T => fixture<T>(name);
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

/** Per fixture: how the simulator is made to answer the same resource, and which maps are keyed by data. */
const DYNAMIC: Record<string, ShapeOptions> = {
  'orders-list-grouped.json': { dynamicKeys: ['message'] },
  'order-statuses-map.json': { dynamicKeys: ['message'] },
  'products-list.json': { dynamicKeys: ['message.data[].charact'] },
  'products-rejected.json': { dynamicKeys: ['message.data[].charact'] },
  'import-response.json': { dynamicKeys: ['message.errors'] },
  'stock-price-response.json': { dynamicKeys: ['message.errors'] },
};

describe('the shape comparison helper', () => {
  it('reports missing keys, extra keys and type changes at any depth; values may differ', () => {
    const fixtureShape = { a: 1, b: { c: 'x', d: [{ e: true }] } };
    assert.deepEqual(shapeDifferences(fixtureShape, { a: 2, b: { c: 'y', d: [{ e: false }, { e: true }] } }), []);
    assert.deepEqual(shapeDifferences(fixtureShape, { a: '1', b: { c: 'x', d: [{ e: true, f: 1 }] } }), ['a: string, fixture has number', 'b.d[].f: not in the fixture']);
    assert.deepEqual(shapeDifferences(fixtureShape, { a: 1, b: { d: [{}] } }), ['b.c: missing', 'b.d[].e: missing']);
    assert.deepEqual(shapeDifferences({ a: null }, { a: 'x' }), ['a: string, fixture has null']);
  });

  it("accepts PHP's [] for an empty object and compares data-keyed maps value by value", () => {
    assert.deepEqual(shapeDifferences({ errors: { M1: 'x' } }, { errors: [] }), []);
    assert.deepEqual(shapeDifferences({ errors: { M1: 'x' } }, { errors: { M9: 'y', M8: 'z' } }), ['errors.M1: missing', 'errors.M9: not in the fixture', 'errors.M8: not in the fixture']);
    assert.deepEqual(shapeDifferences({ errors: { M1: 'x' } }, { errors: { M9: 'y', M8: 2 } }, { dynamicKeys: ['errors'] }), ['errors.*: number, fixture has string']);
    assert.throws(() => assertSameShape({ a: 1 }, { b: 1 }), /a: missing/);
  });
});

describe('Cel.ro fixtures are read by the client (served over HTTP)', () => {
  let server: http.Server;
  let db: Db;
  let base: string;
  const replies = new Map<string, { status: number; body: unknown }[]>();
  const seen: { route: string; auth: string }[] = [];
  const reply = (route: string, body: unknown, status = 200): void => {
    replies.set(route, [...(replies.get(route) ?? []), { status, body }]);
  };
  const client = (): CelroClient => new CelroClient({ baseUrl: base, username: 'demo', password: 'demo', db });

  before(async () => {
    db = await testPglite();
    server = http.createServer((req, res) => {
      const route = (req.url ?? '').replace(/^\/market_api\//, '').replace(/\/$/, '');
      seen.push({ route, auth: String(req.headers.auth ?? '') });
      req.resume();
      req.on('end', () => {
        const next = replies.get(route)?.shift() ?? (route === 'login/actionLogin' ? { status: 200, body: fx('login.json') } : { status: 200, body: { error: 1, tokenStatus: 1, message: `no fixture queued for ${route}` } });
        res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/market_api/`;
  });
  beforeEach(async () => {
    replies.clear();
    seen.length = 0;
    await db.query('DELETE FROM celro_tokens');
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await db.close();
  });

  it('login.json: the token (with its ":") is sent as AUTH: Bearer on the next call', async () => {
    reply('orders/getOrderStatusList', fx('order-statuses.json'));
    await client().getOrderStatusList();
    assert.deepEqual(seen, [
      { route: 'login/actionLogin', auth: 'Bearer' },
      { route: 'orders/getOrderStatusList', auth: `Bearer ${fx('login.json').message as string}` },
    ]);
  });

  it('order-statuses.json and order-statuses-map.json: the same dictionary, mapped by meaning', async () => {
    reply('orders/getOrderStatusList', fx('order-statuses.json'));
    reply('orders/ListStatuses', fx('order-statuses-map.json'));
    const c = client();
    const fromList = await c.getOrderStatusList();
    const fromMap = await c.listStatuses();
    const expected = [['1', 'new'], ['2', 'confirmed'], ['3', 'ready'], ['4', 'finished'], ['11', 'cancelled'], ['24', 'reversed']];
    assert.deepEqual(fromList.map((s) => [s.id, s.meaning]), expected);
    assert.deepEqual(fromMap.map((s) => [s.id, s.meaning]), expected);
  });

  it('orders-list.json and orders-list-grouped.json: ids and statuses', async () => {
    reply('orders/getOrders', fx('orders-list.json'));
    reply('orders/getOrders', fx('orders-list-grouped.json'));
    const c = client();
    const flat = await c.getOrders({ minOrder: 2004301 });
    assert.deepEqual([flat.items.map((o) => [o.id, o.statusId]), flat.more], [[['2004302', '1']], false]);
    const grouped = await c.getOrders();
    assert.deepEqual(grouped.items.map((o) => [o.id, o.statusId]), [['2004302', '1'], ['2004298', '2']]);
  });

  it('order-detail.json: no parse issues; item, shipping and voucher lines add up to the total', async () => {
    reply('orders/getOrder', fx('order-detail.json'));
    const o = await client().getOrder(2004302);
    assert.deepEqual(o.issues, []);
    assert.deepEqual(o.lines.map((l) => [l.kind, l.model, l.quantity, l.unitPriceGross]), [['item', 'LMP-A1', '2', '63.62'], ['shipping', null, '1', '19.99'], ['voucher', null, '1', '-10']]);
    assert.deepEqual([o.placedAt, o.statusId, o.paymentMethod, o.phone, o.billing?.city], ['2026-08-25 10:14:03', '1', 'cash_on_delivery', '0745123456', 'Cluj-Napoca']);
    const canon = toCanonicalOrder(o, () => 'new');
    assert.equal(canon.totalGross.toString(), canon.lines.reduce((t, l) => t.add(l.lineTotalGross), canon.totalGross.sub(canon.totalGross)).toString());
  });

  it('couriers.json and account-couriers.json', async () => {
    reply('admininfo/getCouriers', fx('couriers.json'));
    reply('admininfo/getAccountCouriers', fx('account-couriers.json'));
    const c = client();
    assert.deepEqual((await c.getCouriers()).map((x) => [x.id, x.name]), [['1', 'Fan Courier'], ['4', 'DPD']]);
    assert.deepEqual((await c.getAccountCouriers()).map((x) => [x.id, x.courierId, x.courierName, x.active]), [['124', '4', 'DPD', true]]);
  });

  it('products-list.json and products-rejected.json: model, price, stock, status, refusal reason', async () => {
    reply('products/readProducts', fx('products-list.json'));
    reply('products/getRejectedProducts', fx('products-rejected.json'));
    const c = client();
    const page = await c.readProducts({ models: ['LMP-A1'] });
    assert.deepEqual(page.items.map((p) => [p.model, p.price, p.stock, p.active]), [['LMP-A1', '63.62', 3, true]]);
    assert.deepEqual([page.total, page.more], [1, false]);
    const rejected = await c.getRejectedProducts();
    assert.match(rejected.items[0]?.reason ?? '', /5000 lei/);
  });

  it('import-response.json and stock-price-response.json: accepted and refused items by model', async () => {
    reply('import/importer', fx('import-response.json'));
    reply('products/updateStockAndPrice', fx('stock-price-response.json'));
    const c = client();
    const imp = await c.importProducts([{ products_model: 'LMP-A1' }, { products_model: 'LMP-B2' }, { products_model: 'LMP-C3' }]);
    assert.deepEqual([imp.accepted, imp.inserted, imp.rejected.map((r) => r.model)], [['LMP-A1', 'LMP-B2'], ['LMP-A1'], ['LMP-C3']]);
    const up = await c.updateStockAndPrice([{ model: 'LMP-A1', stock: 3 }, { model: 'LMP-Z0', stock: 1 }]);
    assert.deepEqual([up.accepted, up.rejected.map((r) => r.reason)], [['LMP-A1'], ['Produsul LMP-Z0 nu exista in contul dumneavoastra']]);
  });

  it('account.json, awb-response.json, order-awbs.json, invoice-upload.json, order-invoices.json', async () => {
    for (const [route, name] of [
      ['admininfo/getAccountInformation', 'account.json'],
      ['orders/generateAwb', 'awb-response.json'],
      ['orders/getOrderAwbs', 'order-awbs.json'],
      ['orders/addOrderInvoice', 'invoice-upload.json'],
      ['orders/getOrderInvoices', 'order-invoices.json'],
    ] as const)
      reply(route, fx(name));
    const c = client();
    assert.match(String((await c.getAccountInformation()).apiLink), /\$1\$.*\$2\$/);
    assert.deepEqual(await c.registerAwb(2004302, 1, '2150012345678'), fx('awb-response.json').message);
    assert.equal((await c.getOrderAwbs(2004302))[0]?.awb_number, '2150012345678');
    assert.equal(await c.addOrderInvoice({ orderId: 2004302, series: 'VTX', number: '10023', pdf: PDF }), 'Factura a fost incarcata');
    assert.deepEqual((await c.getOrderInvoices(2004302)).map((i) => [i.series, i.number]), [['VTX', '10023']]);
  });

  it("push-new-orders.json: CEL's example template and its call parse to the new order ids", () => {
    const p = fx<{ template: string; request: { url: string } }>('push-new-orders.json');
    const push = parsePushCallback(p.template, p.request.url);
    assert.deepEqual(push.kind === 'new_orders' ? push.orderIds : push, ['2004302']);
  });

  it('error-bad-credentials.json: an AuthError, and no second login', async () => {
    reply('login/actionLogin', fx('error-bad-credentials.json'));
    await assert.rejects(client().getCouriers(), (e: unknown) => e instanceof AuthError && /Date de autentificare incorecte/.test(e.message));
    assert.deepEqual(seen.map((s) => s.route), ['login/actionLogin']);
  });

  it('error-token.json with HTTP 400: one fresh login and the call is repeated', async () => {
    reply('admininfo/getCouriers', fx('error-token.json'), 400);
    reply('admininfo/getCouriers', fx('couriers.json'));
    assert.equal((await client().getCouriers()).length, 2);
    assert.deepEqual(seen.map((s) => s.route), ['login/actionLogin', 'admininfo/getCouriers', 'login/actionLogin', 'admininfo/getCouriers']);
  });

  it('error-business.json: a CelroApiError carrying the message verbatim', async () => {
    reply('orders/confirmOrder', fx('error-business.json'));
    await assert.rejects(client().confirmOrder(2004302), (e: unknown) => e instanceof CelroApiError && e.celroError === 1 && e.celroMessage === fx('error-business.json').message);
  });
});

describe('the simulator answers each resource in the shape of its fixture', () => {
  let sim: CelroSim;
  let token: string;
  let hook: http.Server;
  let hookOrigin: string;
  const calls: { method: string; url: string }[] = [];
  const api = async (route: string, body: string, opts: { token?: string } = {}): Promise<{ status: number; json: unknown }> => {
    const r = await rawCall(sim, apiPath(route), `${body}${body ? '&' : ''}test=1&api_version=2.2.0`, { token: opts.token ?? token });
    return { status: r.status, json: r.json };
  };
  const same = async (name: string, route: string, body = ''): Promise<void> => {
    const r = await api(route, body);
    assert.equal(r.status, 200);
    assertSameShape(fx(name), r.json, DYNAMIC[name], `${route} vs ${name}`);
  };
  const filters = (f: unknown): string => `filters=${encodeURIComponent(JSON.stringify(f))}`;
  let order: number;

  before(async () => {
    sim = await startCelroSim({ port: 0, seed: 'demo' });
    token = await rawLogin(sim);
    hook = http.createServer((req, res) => {
      calls.push({ method: req.method ?? '', url: req.url ?? '' });
      res.end('ok');
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookOrigin = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    const full = (model: string, price: string): Record<string, unknown> => ({ products_model: model, products_name: `Produs ${model}`, manufacturers_name: 'Vortex', categories_id: '1234', pretf: price, stoc: '50', garantie: '24', products_weight: '0.8', products_image: `https://example.invalid/${model}.jpg`, image: { 0: { url: `https://example.invalid/${model}-2.jpg` } }, charact: { 'Culoare:': { 0: 'Alb' } } });
    sim.state.importItem(full('LMP-A1', '63.62'), true);
    sim.state.importItem(full('LMP-X9', '6500.00'), true);
    sim.state.settle(true);
    order = (await sim.placeOrder({ lines: [{ model: 'LMP-A1', quantity: 2 }], voucher: { code: 'CEL10', value: '10.00' } })).order.id_comanda as number;
    await sim.placeOrder({ lines: [{ model: 'LMP-A1', quantity: 1 }] });
    sim.state.transition(order, 'confirm');
  });
  after(async () => {
    await sim.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('login.json', async () => {
    const r = await rawCall(sim, apiPath('login/actionLogin'), 'username=demo&password=demo&test=1&api_version=2.2.0', { token: '' });
    assertSameShape(fx('login.json'), r.json);
  });
  it('orders-list.json (group_by_status false)', () => same('orders-list.json', 'orders/getOrders', filters({ min_order: 0, group_by_status: false })));
  it('orders-list-grouped.json (filters=[], grouped by status)', () => same('orders-list-grouped.json', 'orders/getOrders', 'filters=%5B%5D'));
  it('order-detail.json', () => same('order-detail.json', 'orders/getOrder', `order=${order}&original_delivery=0`));
  it('order-statuses.json', () => same('order-statuses.json', 'orders/getOrderStatusList'));
  it('order-statuses-map.json', () => same('order-statuses-map.json', 'orders/ListStatuses', 'dummy=1'));
  it('couriers.json', () => same('couriers.json', 'admininfo/getCouriers', 'dummy=1'));
  it('account-couriers.json', () => same('account-couriers.json', 'admininfo/getAccountCouriers'));
  it('products-list.json', () => same('products-list.json', 'products/readProducts', 'start=0&limit=50&forceCount=1&orderByMostViewed=0&filters%5Bproducts_model%5D%5B0%5D=LMP-A1'));
  it('products-rejected.json', () => same('products-rejected.json', 'products/getRejectedProducts', 'start=0'));
  it('import-response.json', async () => {
    const items = 'products%5B0%5D%5Bproducts_model%5D=LMP-NEW&products%5B0%5D%5Bproducts_name%5D=Nou&products%5B0%5D%5Bmanufacturers_name%5D=V&products%5B0%5D%5Bcategories_id%5D=1234&products%5B0%5D%5Bpretf%5D=10&products%5B0%5D%5Bproducts_image%5D=https%3A%2F%2Fx.invalid%2Fa.jpg&products%5B1%5D%5Bproducts_model%5D=LMP-A1&products%5B1%5D%5Bstoc%5D=40&products%5B2%5D%5Bproducts_model%5D=LMP-BAD&products%5B2%5D%5Bpretf%5D=1';
    await same('import-response.json', 'import/importer', items);
  });
  it('stock-price-response.json', () => same('stock-price-response.json', 'products/updateStockAndPrice', `products=${encodeURIComponent('[{"products_model":"LMP-A1","stoc":39},{"products_model":"LMP-Z0","stoc":1}]')}`));
  it('account.json', () => same('account.json', 'admininfo/getAccountInformation'));
  it('awb-response.json, then order-awbs.json', async () => {
    await same('awb-response.json', 'orders/generateAwb', `manual=1&orders_id=${order}&courier_id=1&awb_number=2150012345678`);
    await same('order-awbs.json', 'orders/getOrderAwbs', `orders_id=${order}`);
  });
  it('invoice-upload.json, then order-invoices.json', async () => {
    const fd = new FormData();
    for (const [k, v] of [['oid', String(order)], ['series', 'VTX'], ['number', '10023'], ['providerId', '0'], ['test', '1'], ['api_version', '2.2.0']]) fd.append(k!, v!);
    fd.append('file', new Blob([PDF]), 'file');
    const r = await fetch(`${sim.url}orders/addOrderInvoice/`, { method: 'POST', headers: { AUTH: `Bearer ${token}` }, body: fd });
    assertSameShape(fx('invoice-upload.json'), await r.json());
    await same('order-invoices.json', 'orders/getOrderInvoices', `orders_id=${order}`);
  });
  it("push-new-orders.json: the simulator calls CEL's example template the same way", async () => {
    const p = fx<{ template: string; request: { method: string; url: string }; value: unknown }>('push-new-orders.json');
    const template = p.template.replace('http://example.com', hookOrigin);
    await api('admininfo/updateAccountInformation', `apiLink=${encodeURIComponent(template)}`);
    const placed = await sim.placeOrder({ lines: [{ model: 'LMP-A1', quantity: 1 }] });
    const got = calls.at(-1)!;
    const want = new URL(p.request.url, 'http://x.invalid');
    const have = new URL(got.url, 'http://x.invalid');
    assert.deepEqual([got.method, have.pathname, [...have.searchParams.keys()]], [p.request.method, want.pathname, [...want.searchParams.keys()]]);
    assertSameShape(p.value, JSON.parse(have.searchParams.get('alert_value')!));
    assertSameShape(JSON.parse(want.searchParams.get('alert_value')!), JSON.parse(have.searchParams.get('alert_value')!));
    assert.deepEqual(parsePushCallback(template, got.url), { type: 1, kind: 'new_orders', orderIds: [String(placed.order.id_comanda)], value: have.searchParams.get('alert_value'), extra: '' });
  });
  it('error-bad-credentials.json (confirmed: the same values too)', async () => {
    const r = await rawCall(sim, apiPath('login/actionLogin'), 'username=demo&password=nope&test=1&api_version=2.2.0', { token: '' });
    assert.deepEqual(r.json, fx('error-bad-credentials.json'));
  });
  it('error-token.json (HTTP 400)', async () => {
    const r = await api('admininfo/getCouriers', 'dummy=1', { token: 'expired' });
    assert.equal(r.status, 400);
    assertSameShape(fx('error-token.json'), r.json);
  });
  it('error-business.json', async () => {
    const r = await api('orders/confirmOrder', `order=${order}`); // already confirmed
    assertSameShape(fx('error-business.json'), r.json);
    assert.equal((r.json as Envelope).error, 1);
  });
});
