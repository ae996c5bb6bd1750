import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CelroClient } from '../../src/connectors/celro/client.ts';
import type { Db } from '../../src/store/db.ts';
import { testPglite } from '../helpers/stores.ts';

/**
 * Golden tests: the requests the Vortex client sends are byte-for-byte those CEL's official PHP SDK
 * v2.2.0 sends (recorded in research/celro-sdk-wire.md; copied here so the test stands alone).
 */
const TOKEN = 'c2ltLXRva2VuOjEyMzQ1Njc4OTA=';
const SDK: Record<string, string> = {
  'login/actionLogin': 'username=demo&password=demo&test=1&api_version=2.2.0',
  'orders/getOrders':
    'start=0&limit=50&filters=%7B%22min_order%22%3A2004302%2C%22group_by_status%22%3Afalse%2C%22last_changed%22%3A%7B%22minDate%22%3A%222026-08-25+10%3A00%3A00%22%2C%22maxDate%22%3A%222026-08-25+11%3A00%3A00%22%7D%7D&test=1&api_version=2.2.0',
  'orders/getOrder': 'order=2004302&original_delivery=0&test=1&api_version=2.2.0',
  'orders/confirmOrder': 'order=2004302&test=1&api_version=2.2.0',
  'orders/getOrderStatusList': 'test=1&api_version=2.2.0',
  'orders/SetReadyForDelivery': 'orders_id=2004302&test=1&api_version=2.2.0',
  'orders/finishOrder': 'orders_id=2004302&test=1&api_version=2.2.0',
  'orders/cancelOrder': 'order=2004302&observatii=Stoc+epuizat+la+furnizor&test=1&api_version=2.2.0',
  'orders/generateAwb': 'manual=1&orders_id=2004302&courier_id=1&awb_number=2150012345678&test=1&api_version=2.2.0',
  'products/updateStockAndPrice': 'products=%5B%7B%22products_model%22%3A%22LMP-A1%22%2C%22stoc%22%3A3%2C%22pretf%22%3A63.62%7D%5D&test=1&api_version=2.2.0',
  'import/importer':
    'products%5B0%5D%5Bproducts_model%5D=LMP-A1&products%5B0%5D%5Bproducts_name%5D=Lampa+birou+LED&products%5B0%5D%5Bproducts_description%5D=Lampa+de+birou+dimabila&products%5B0%5D%5Bpretf%5D=63.62&products%5B0%5D%5Bstoc%5D=5&products%5B0%5D%5BhasTVA%5D=1&products%5B0%5D%5Bcategories_id%5D=1234&products%5B0%5D%5Bmanufacturer%5D=Vortex&products%5B0%5D%5BoverridePrice%5D=0&products%5B0%5D%5Bimage%5D%5B0%5D%5Burl%5D=https%3A%2F%2Fexample.invalid%2Fa.jpg&products%5B0%5D%5Bcaracteristici%5D%5BCuloare%5D=Alb&test=1&api_version=2.2.0',
  'products/readProducts': 'start=0&limit=50&forceCount=1&orderByMostViewed=0&filters%5Bproducts_model%5D%5B0%5D=LMP-A1&test=1&api_version=2.2.0',
  'products/updateStatus': 'model=LMP-A1&status=0&test=1&api_version=2.2.0',
};

interface Captured {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

describe('Cel.ro client requests equal the official SDK wire format', () => {
  let server: http.Server;
  let base: string;
  let db: Db;
  let client: CelroClient;
  const seen: Captured[] = [];
  const last = (route: string): Captured => {
    const c = seen.filter((s) => s.path === `/market_api/${route}/`).at(-1);
    assert.ok(c, `no request to ${route}`);
    return c;
  };

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        const message = req.url?.includes('actionLogin') ? TOKEN : req.url?.includes('getOrders') ? { limit: 50, start: 0, moreavailable: 0, list: [] } : req.url?.includes('getOrder/') ? { id_comanda: 2004302, products: [] } : req.url?.includes('readProducts') ? { data: [], moreavailable: 0 } : [];
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 0, tokenStatus: 1, message }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/market_api/`;
    db = await testPglite();
    client = new CelroClient({ baseUrl: base, username: 'demo', password: 'demo', db });
    await client.confirmOrder(2004302); // logs in first
    await client.getOrders({ minOrder: 2004302, lastChanged: { min: '2026-08-25 10:00:00', max: '2026-08-25 11:00:00' } });
    await client.getOrder(2004302);
    await client.getOrderStatusList();
    await client.setReadyForDelivery(2004302);
    await client.finishOrder(2004302);
    await client.cancelOrder(2004302, { remarks: 'Stoc epuizat la furnizor' });
    await client.registerAwb(2004302, 1, '2150012345678');
    await client.updateStockAndPrice([{ model: 'LMP-A1', stock: 3, price: '63.62' }]);
    await client.importProducts([
      {
        products_model: 'LMP-A1',
        products_name: 'Lampa birou LED',
        products_description: 'Lampa de birou dimabila',
        pretf: '63.62',
        stoc: 5,
        hasTVA: 1,
        categories_id: 1234,
        manufacturer: 'Vortex',
        overridePrice: 0,
        image: [{ url: 'https://example.invalid/a.jpg' }],
        caracteristici: { Culoare: 'Alb' },
      },
    ]);
    await client.readProducts({ models: ['LMP-A1'] });
    await client.updateStatus('LMP-A1', false);
    await client.addOrderInvoice({ orderId: 2004302, series: 'VTX', number: '10023', pdf: Buffer.from('%PDF-1.4\n%golden\n%%EOF\n') });
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await db.close();
  });

  for (const [route, body] of Object.entries(SDK)) {
    it(`${route}: same path, headers and body as the SDK`, () => {
      const c = last(route);
      assert.equal(c.method, 'POST');
      assert.equal(c.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(c.headers.auth, route === 'login/actionLogin' ? 'Bearer' : `Bearer ${TOKEN}`);
      assert.equal(c.body.toString('utf8'), body);
    });
  }

  it('logs in once and reuses the token for every later call', () => {
    assert.equal(seen.filter((s) => s.path.includes('actionLogin')).length, 1);
  });

  it('orders/addOrderInvoice: multipart parts oid, series, number, providerId, test, api_version, file (filename "file", no part Content-Type)', () => {
    const c = last('orders/addOrderInvoice');
    const ct = String(c.headers['content-type']);
    const m = /^multipart\/form-data; boundary=(.+)$/.exec(ct);
    assert.ok(m, ct);
    assert.equal(c.headers.auth, `Bearer ${TOKEN}`);
    const raw = c.body.toString('latin1');
    const parts = raw.split(`--${m[1]}`).slice(1, -1);
    const parsed = parts.map((p) => {
      const [head, ...rest] = p.replace(/^\r\n/, '').split('\r\n\r\n');
      const value = rest.join('\r\n\r\n').replace(/\r\n$/, '');
      return { head: head!, value };
    });
    assert.deepEqual(
      parsed.map((p) => p.head.split('\r\n')[0]),
      [
        'Content-Disposition: form-data; name="oid"',
        'Content-Disposition: form-data; name="series"',
        'Content-Disposition: form-data; name="number"',
        'Content-Disposition: form-data; name="providerId"',
        'Content-Disposition: form-data; name="test"',
        'Content-Disposition: form-data; name="api_version"',
        'Content-Disposition: form-data; name="file"; filename="file"',
      ],
    );
    assert.deepEqual(parsed.map((p) => p.value), ['2004302', 'VTX', '10023', '0', '1', '2.2.0', '%PDF-1.4\n%golden\n%%EOF\n']);
    for (const p of parsed) {
      assert.doesNotMatch(p.head, /Content-Type/i);
      assert.match(p.head, new RegExp(`Content-Length: ${Buffer.byteLength(p.value, 'latin1')}`));
    }
  });
});
