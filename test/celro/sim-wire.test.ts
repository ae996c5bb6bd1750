import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { STATUS } from '../../sim/celro/data.ts';
import { UNMODELLED_ROUTES, startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import type { SimState } from '../../sim/celro/state.ts';
import { apiPath, guzzleMultipart, rawCall, rawLogin, sdkRequests, type RawReply } from './sim-raw.ts';

/**
 * The simulator answers CEL's own SDK requests: the bodies recorded from the official PHP SDK
 * (research/celro-sdk-wire.md) and, for the seller calls the recording lacks, bodies written from the
 * SDK's parameter names — sent raw over HTTP, each answered in the {error, tokenStatus, message}
 * envelope. Hostile input (no token, unknown routes, malformed bodies) gets an envelope too.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const ORDER = 2004302;

/** Asserts the body is exactly the envelope and returns its message. */
function envelope(r: RawReply, want: { error: number; tokenStatus: number; status?: number }): unknown {
  assert.equal(r.status, want.status ?? 200, r.text);
  assert.match(r.contentType, /^application\/json/);
  assert.ok(r.json && typeof r.json === 'object' && !Array.isArray(r.json), `not a JSON object: ${r.text.slice(0, 200)}`);
  const e = r.json as Record<string, unknown>;
  assert.deepEqual(Object.keys(e).sort(), ['error', 'message', 'tokenStatus'], r.text);
  assert.equal(e.error, want.error, r.text);
  assert.equal(e.tokenStatus, want.tokenStatus, r.text);
  return e.message;
}

/** The account before each request: LMP-A1 approved (price 63.62, 10 in stock) and orders 2004301..2004303 new. */
function seed(st: SimState, opts: { product?: boolean } = {}): void {
  st.reset('demo');
  if (opts.product === false) return;
  st.importItem({ products_model: 'LMP-A1', products_name: 'Lampa birou LED', manufacturers_name: 'Vortex', categories_id: '1234', pretf: '63.62', stoc: '10', products_image: 'https://example.invalid/a.jpg' }, true);
  st.settle(true);
  for (let i = 0; i < 3; i++) st.placeOrder({ lines: [{ model: 'LMP-A1', quantity: 1 }] });
}

type Case = { setup?: (st: SimState) => void; check: (message: unknown, st: SimState) => void };
const obj = (m: unknown): Record<string, unknown> => {
  assert.ok(m && typeof m === 'object' && !Array.isArray(m), JSON.stringify(m));
  return m as Record<string, unknown>;
};
const list = (m: unknown): unknown[] => {
  assert.ok(Array.isArray(m), JSON.stringify(m));
  return m;
};

const CAPTURED: Record<string, Case> = {
  'login/actionLogin': { check: (m) => assert.match(String(m), /^\S+:\S+$/) },
  'orders/getOrders': {
    // The captured filter: min_order 2004302 and last_changed 2026-08-25 10:00–11:00 (Bucharest).
    setup: (st) => {
      st.getOrder(2004303).lastChanged = new Date('2026-08-25T07:30:00Z');
      st.getOrder(2004302).lastChanged = new Date('2026-08-25T07:30:00Z');
    },
    check: (m) => assert.deepEqual(list(obj(m).list).map((o) => obj(o).orders_id), [2004303]),
  },
  'orders/getOrder': { check: (m) => assert.equal(obj(m).id_comanda, ORDER) },
  'orders/confirmOrder': { check: (_m, st) => assert.equal(st.getOrder(ORDER).status, STATUS.CONFIRMED) },
  'orders/getOrderStatusList': { check: (m) => assert.ok(list(m).length >= 5) },
  'orders/SetReadyForDelivery': { setup: (st) => st.transition(ORDER, 'confirm'), check: (_m, st) => assert.equal(st.getOrder(ORDER).status, STATUS.READY) },
  'orders/finishOrder': {
    setup: (st) => {
      st.transition(ORDER, 'confirm');
      st.transition(ORDER, 'ready');
    },
    check: (_m, st) => assert.equal(st.getOrder(ORDER).status, STATUS.FINISHED),
  },
  'orders/cancelOrder': { check: (_m, st) => assert.deepEqual([st.getOrder(ORDER).status, st.getOrder(ORDER).cancel], [STATUS.CANCELLED, { observatii: 'Stoc epuizat la furnizor' }]) },
  'orders/generateAwb': { check: (_m, st) => assert.deepEqual(st.awbs.map((a) => [a.ordersId, a.courierName, a.awbNumber]), [[ORDER, 'Fan Courier', '2150012345678']]) },
  'products/updateStockAndPrice': { check: (m, st) => assert.deepEqual([obj(m).updated, st.products.get('LMP-A1')?.stock], [['LMP-A1'], 3]) },
  'import/importer': {
    setup: (st) => seed(st, { product: false }),
    check: (m, st) => {
      assert.deepEqual(obj(m).inserted, ['LMP-A1']);
      // `manufacturer` and `caracteristici` are what SDK v2.2.0 sends for brand and characteristics.
      assert.deepEqual([st.products.get('LMP-A1')?.brand, st.products.get('LMP-A1')?.charact], ['Vortex', { Culoare: 'Alb' }]);
    },
  },
  'products/readProducts': { check: (m) => assert.deepEqual(list(obj(m).data).map((p) => obj(p).products_model), ['LMP-A1']) },
  'products/updateStatus': { check: (_m, st) => assert.equal(st.products.get('LMP-A1')?.active, 0) },
};

const DERIVED: Record<string, Case> = {
  'orders/getOrders': { check: (m) => assert.deepEqual(Object.keys(obj(m)), ['1']) }, // filters=[]: no filters, grouped by status
  'orders/ListStatuses': { check: (m) => assert.equal(obj(m)['11'], 'Anulata') },
  'orders/ListProductStatuses': { check: (m) => assert.ok(Object.keys(obj(m)).length > 0) },
  'orders/listCancellingStatuses': { check: (m) => assert.ok(list(m).length > 0) },
  'orders/GetPaymentMethods': { check: (m) => assert.ok(list(m).some((p) => obj(p).name === 'Numerar sau ramburs')) },
  'orders/getOrderEmail': { check: (m, st) => assert.equal(m, st.getOrder(ORDER).customer.email) },
  'orders/getOrderAwbs': { setup: (st) => void st.registerAwb(ORDER, 1, '2150012345678'), check: (m) => assert.equal(obj(list(m)[0]).awb_number, '2150012345678') },
  'orders/getOrderInvoices': { setup: (st) => void st.addInvoice(ORDER, 'VTX', '10023', '0', PDF), check: (m) => assert.equal(obj(list(m)[0]).number, '10023') },
  'orders/deleteOrderInvoice': { setup: (st) => void st.addInvoice(ORDER, 'VTX', '10023', '0', PDF), check: (_m, st) => assert.equal(st.invoices.length, 0) },
  'admininfo/getCouriers': { check: (m) => assert.ok(list(m).some((c) => obj(c).name === 'DPD')) },
  'admininfo/getAccountCouriers': { check: (m) => assert.equal(obj(list(m)[0]).courier_name, 'DPD') },
  'admininfo/getAccountInformation': { check: (m) => assert.equal(obj(m).cif, 'RO40123456') },
  'admininfo/updateAccountInformation': { check: (_m, st) => assert.equal(st.account.apiLink, 'http://example.com/api.php?alert_type=$1$&alert_value=$2$&other_parameters=$3$') },
  'login/testLogin': { check: (m) => assert.equal(m, 1) },
  'import/getSupplierCategories': { check: (m) => assert.ok(list(m).length > 0) },
  'products/getCategoryCharacteristics': { check: (m) => assert.ok(list(m).some((c) => obj(c).name === 'Culoare')) },
  'products/listCategoryMandatoryCharacteristics': { check: (m) => assert.ok(list(m).every((c) => obj(c).mandatory === 1)) },
  'products/getWaitingProducts': { check: (m) => assert.deepEqual(obj(m).data, []) },
  'products/getRejectedProducts': { check: (m) => assert.deepEqual(obj(m).data, []) },
  'email/sendOrderCustomEmail': { check: (_m, st) => assert.deepEqual(st.messages.map((x) => [x.ordersId, x.subject]), [[ORDER, 'Comanda 2004302']]) },
  'email/getClientEmailsForOrder': {
    setup: (st) => void st.messages.push({ id: 1, ordersId: ORDER, subject: 'Intrebare', body: 'Cand livrati?', from: 'client', at: new Date() }),
    check: (m) => assert.equal(obj(list(m)[0]).body, 'Cand livrati?'),
  },
  'email/getUnansweredOrderContact': { check: (m) => assert.equal(m, 0) },
};

describe('Cel.ro simulator answers the official SDK requests (raw HTTP)', () => {
  let sim: CelroSim;
  let token: string;
  const req = sdkRequests();

  before(async () => {
    sim = await startCelroSim({ port: 0, seed: 'demo' });
    token = await rawLogin(sim);
  });
  beforeEach(() => seed(sim.state));
  after(async () => {
    await sim.close();
  });

  it('covers every recorded request', () => {
    assert.deepEqual(Object.keys(CAPTURED).sort(), req.captured.map((c) => c.route).sort());
    assert.deepEqual(Object.keys(DERIVED).sort(), [...new Set(req.derived.map((c) => c.route))].sort());
  });

  for (const { route, body } of sdkRequests().captured) {
    it(`captured ${route}: success envelope, and the effect`, async () => {
      CAPTURED[route]!.setup?.(sim.state);
      const r = await rawCall(sim, apiPath(route), body, { token: route === 'login/actionLogin' ? '' : token });
      CAPTURED[route]!.check(envelope(r, { error: 0, tokenStatus: 1 }), sim.state);
    });
  }

  it('captured orders/addOrderInvoice (multipart, byte for byte as Guzzle writes it): stored', async () => {
    const mp = req.capturedMultipart;
    const body = guzzleMultipart(mp.boundary, mp.parts, { ...mp.file, bytes: PDF });
    const r = await rawCall(sim, apiPath(mp.route), body, { token, contentType: `multipart/form-data; boundary=${mp.boundary}` });
    envelope(r, { error: 0, tokenStatus: 1 });
    const inv = sim.state.invoices.find((i) => i.ordersId === ORDER);
    assert.deepEqual([inv?.series, inv?.number, inv?.providerId, inv?.bytes.equals(PDF)], ['VTX', '10023', '0', true]);
  });

  for (const { route, body } of sdkRequests().derived) {
    it(`SDK-shaped ${route} (${body.split('&')[0]}): success envelope, and the effect`, async () => {
      DERIVED[route]!.setup?.(sim.state);
      const r = await rawCall(sim, apiPath(route), body, { token });
      DERIVED[route]!.check(envelope(r, { error: 0, tokenStatus: 1 }), sim.state);
    });
  }

  it('answers without a token, or with an unknown one, with the token signal (HTTP 400, tokenStatus 0)', async () => {
    const orders = req.captured.find((c) => c.route === 'orders/getOrders')!.body;
    for (const t of [null, '', 'not-a-token']) {
      const r = await rawCall(sim, apiPath('orders/getOrders'), orders, { token: t });
      assert.equal(typeof envelope(r, { error: 302, tokenStatus: 0, status: 400 }), 'string');
    }
  });

  it('refuses bad credentials with the message the SDK knows', async () => {
    const r = await rawCall(sim, apiPath('login/actionLogin'), 'username=demo&password=wrong&test=1&api_version=2.2.0', { token: '' });
    assert.equal(envelope(r, { error: 403, tokenStatus: 0 }), 'Date de autentificare incorecte');
  });

  it('names unknown modules and actions, and SDK actions it does not model, in an error envelope', async () => {
    assert.match(String(envelope(await rawCall(sim, '/market_api/foo/bar/', 'test=1', { token }), { error: 1, tokenStatus: 1 })), /Metoda foo nu exista/);
    assert.match(String(envelope(await rawCall(sim, '/market_api/orders/nope/', 'test=1', { token }), { error: 1, tokenStatus: 1 })), /Actiunea orders\/nope nu exista/);
    for (const route of UNMODELLED_ROUTES) {
      assert.ok(!sim.routes.includes(route), route);
      const r = await rawCall(sim, apiPath(route), 'dummy=1&test=1&api_version=2.2.0', { token });
      assert.match(String(envelope(r, { error: 1, tokenStatus: 1 })), new RegExp(`${route.replace('/', '\\/')} exista in API-ul CEL dar nu este modelata`));
    }
  });

  it('answers a path outside /market_api/{method}/{action}/ and a non-POST with an envelope, not HTML', async () => {
    envelope(await rawCall(sim, '/market_api/orders/', 'test=1', { token }), { error: 1, tokenStatus: 1, status: 404 });
    envelope(await rawCall(sim, '/index.php', '', { token }), { error: 1, tokenStatus: 1, status: 404 });
    envelope(await rawCall(sim, apiPath('orders/getOrders'), '', { token, method: 'GET' }), { error: 1, tokenStatus: 1, status: 405 });
  });

  it('answers malformed bodies with a business error naming the problem', async () => {
    const bad: [string, string | Buffer, string | undefined, RegExp][] = [
      ['orders/getOrders', '{"start":0}', 'application/json', /Format cerere neacceptat/],
      ['orders/getOrders', 'start=0&filters=%7Bmin_order', undefined, /nu este JSON valid/],
      ['orders/getOrders', 'start=0&filters=%5B1%2C2%5D', undefined, /obiect JSON/],
      ['orders/getOrders', 'start=0&filters%5Bmin_order%5D=5', undefined, /transmis ca text/],
      ['orders/getOrders', `filters=${encodeURIComponent('{"min_order":"abc"}')}`, undefined, /min_order trebuie sa fie un numar/],
      ['orders/getOrders', `filters=${encodeURIComponent('{"last_changed":{"minDate":"ieri"}}')}`, undefined, /YYYY-mm-dd/],
      ['orders/getOrder', 'order=abc', undefined, /order lipseste sau este invalid/],
      ['orders/getOrder', '', undefined, /order lipseste/],
      ['products/updateStockAndPrice', 'products=%7Bnu', undefined, /nu este JSON valid/],
      ['products/readProducts', 'filters=42', undefined, /trebuie sa fie un obiect/],
      ['import/importer', 'products=LMP-A1', undefined, /Nu au fost trimise produse/],
      ['orders/addOrderInvoice', Buffer.from('--x\r\nbroken'), 'multipart/form-data; boundary=zzz', /multipart\/form-data nu poate fi citit/],
    ];
    for (const [route, body, ct, why] of bad) {
      const r = await rawCall(sim, apiPath(route), body, { token, ...(ct ? { contentType: ct } : {}) });
      assert.match(String(envelope(r, { error: 1, tokenStatus: 1 })), why, `${route} ${String(body).slice(0, 40)}`);
    }
  });

  it('never answers a modelled route with a crash, whatever the body', async () => {
    const hostile = ['', 'order=-1&orders_id=x&oid=&cmd=%00&start=-5&limit=999', 'filters=null&products=null&data=null', 'filters=%5B%5D&products=%5B%5D', 'products[0]=x&filters[x][y]=1&reg=1', 'order[]=1&orders_id[a]=2&model[]=m&status[]=1'];
    for (const route of sim.routes) {
      for (const body of hostile) {
        const r = await rawCall(sim, apiPath(route), body, { token: route === 'login/actionLogin' ? '' : token });
        assert.notEqual(r.status, 500, `${route} with ${body}: ${r.text}`);
        const e = r.json as Record<string, unknown> | undefined;
        assert.ok(e && 'error' in e && 'tokenStatus' in e && 'message' in e, `${route} with ${body}: ${r.text}`);
      }
    }
  });
});
