import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { CelroClient } from '../../src/connectors/celro/client.ts';
import { CelroApiError } from '../../src/connectors/celro/errors.ts';
import { offerToImportItem, offerToStockPrice } from '../../src/connectors/celro/offers.ts';
import { toCanonicalOrder } from '../../src/connectors/celro/orders.ts';
import { Money } from '../../src/core/money.ts';
import type { Offer } from '../../src/core/types.ts';
import { parsePushCallback, pushTemplate } from '../../src/connectors/celro/push.ts';
import type { Db } from '../../src/store/db.ts';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { importItem } from '../helpers/celro-items.ts';
import { testPglite } from '../helpers/stores.ts';

const item = importItem;

/** Contract: every operation of the client against the simulator over real HTTP. */
describe('Cel.ro operations contract (client ↔ simulator)', () => {
  let sim: CelroSim;
  let db: Db;
  let c: CelroClient;
  let hook: http.Server;
  let hookUrl: string;
  const received: string[] = [];

  before(async () => {
    sim = await startCelroSim({ port: 0, seed: 'demo' });
    db = await testPglite();
    c = new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db });
    hook = http.createServer((req, res) => {
      received.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhooks/celro/t1`;
  });
  after(async () => {
    await sim.close();
    await db.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('looks up categories, characteristics and couriers', async () => {
    const cats = await c.getSupplierCategories();
    assert.ok(cats.some((x) => x.categories_id === 1234));
    const ch = await c.getCategoryCharacteristics(1234);
    assert.ok(ch.some((x) => x.name === 'Culoare'));
    const mand = await c.listMandatoryCharacteristics(1234);
    assert.ok(mand.every((x) => x.mandatory === 1));
    const couriers = await c.getCouriers();
    assert.deepEqual(couriers.find((x) => x.id === '1')?.name, 'Fan Courier');
    assert.deepEqual(couriers.find((x) => x.id === '4')?.name, 'DPD');
  });

  it('imports 120 products in batches of ≤ 50 and reads them all back past the 50-per-page limit', async () => {
    const items = Array.from({ length: 120 }, (_, i) => item(`P-${String(i).padStart(3, '0')}`, '99.90', i));
    const r = await c.importProducts(items);
    assert.equal(r.rejected.length, 0);
    assert.equal(r.inserted.length, 120);
    assert.equal(r.raw.length, 3);
    const calls = sim.log.filter((l) => l.path.endsWith('/import/importer/'));
    assert.equal(calls.length, 3);
    const page = await c.readProducts({});
    assert.equal(page.items.length, 50);
    assert.equal(page.total, 120);
    assert.equal(page.more, true);
    const all = await c.readAllProducts();
    assert.equal(all.length, 120);
    assert.equal(new Set(all.map((p) => p.model)).size, 120);
    assert.equal(all.find((p) => p.model === 'P-007')?.stock, 7);
    assert.equal(all[0]?.price, '99.9');
    const some = await c.readProducts({ models: ['P-001', 'P-002'] });
    assert.deepEqual(some.items.map((p) => p.model).sort(), ['P-001', 'P-002']);
  });

  it('reports per-item refusals of the importer (missing mandatory fields) without failing the batch', async () => {
    const r = await c.importProducts([item('NEW-OK', '10.00'), { products_model: 'NEW-BAD', pretf: '10.00' }]);
    assert.deepEqual(r.accepted, ['NEW-OK']);
    assert.equal(r.rejected[0]?.model, 'NEW-BAD');
    assert.match(r.rejected[0]!.reason, /lipsesc campurile obligatorii/);
  });

  it('approval flow: new products wait, then ≤ 5000 lei is approved and above is rejected with a reason', async () => {
    sim.config.approvalDelayMs = 3_600_000; // like a real review queue: nothing settles while we look
    try {
      await c.importProducts([item('APP-CHEAP', '4999.99'), item('APP-DEAR', '6500.00')]);
      const waiting = await c.allWaitingProducts();
      assert.deepEqual(waiting.map((p) => p.model).sort(), ['APP-CHEAP', 'APP-DEAR']);
      assert.equal((await c.readProducts({ models: ['APP-CHEAP'] })).items.length, 0);
      sim.config.approvalDelayMs = 0; // the delay has now passed for everything submitted
      assert.equal((await c.readProducts({ models: ['APP-CHEAP'] })).items.length, 1);
      const rejected = await c.allRejectedProducts();
      assert.deepEqual(rejected.map((p) => p.model), ['APP-DEAR']);
      assert.match(rejected[0]!.reason ?? '', /5000/);
      assert.equal((await c.allWaitingProducts()).length, 0);
    } finally {
      sim.config.approvalDelayMs = 0;
    }
  });

  it('updates stock and price; a change above 10 % is refused unless overridePrice', async () => {
    const ok = await c.updateStockAndPrice([
      { model: 'P-010', stock: 42, price: '104.50' },
      { model: 'P-011', stock: 0 },
    ]);
    assert.deepEqual(ok.accepted, ['P-010', 'P-011']);
    const guarded = await c.updateStockAndPrice([{ model: 'P-012', price: '150.00' }, { model: 'NOPE', stock: 1 }]);
    assert.deepEqual(guarded.accepted, []);
    assert.match(guarded.rejected.find((x) => x.model === 'P-012')!.reason, /mai mult de 10%/);
    assert.match(guarded.rejected.find((x) => x.model === 'NOPE')!.reason, /nu exista/);
    const forced = await c.updateStockAndPrice([{ model: 'P-012', price: '150.00', overridePrice: true }]);
    assert.deepEqual(forced.accepted, ['P-012']);
    const read = await c.readProducts({ models: ['P-010', 'P-011', 'P-012'] });
    const by = Object.fromEntries(read.items.map((p) => [p.model, p]));
    assert.equal(by['P-010']?.price, '104.5');
    assert.equal(by['P-010']?.stock, 42);
    assert.equal(by['P-011']?.stock, 0);
    assert.equal(by['P-012']?.price, '150');
    // the importer's short form has the same guard
    const short = await c.importProducts([{ products_model: 'P-013', pretf: '20.00', type: 'update' }]);
    assert.match(short.rejected[0]?.reason ?? '', /overridePrice/);
    await assert.rejects(c.updateStockAndPrice([{ model: 'P-1', price: '1.999' }]), ValidationError);
  });

  it('publishes a canonical Offer (gross RON, hasTVA=1) and updates it with the short path', async () => {
    const offer: Offer = { sku: 'OFF-1', title: 'Cafea boabe 1 kg', brand: 'Vortex', categoryId: '2310', priceGross: Money.of('89.9949', 'RON'), vatPercent: '11', quantity: 7, active: true, attributes: { Gramaj: '1 kg' } };
    const r = await c.importProducts([offerToImportItem(offer, { images: ['https://example.invalid/cafea.jpg', 'https://example.invalid/cafea-2.jpg'] })]);
    assert.deepEqual(r.inserted, ['OFF-1']);
    const stored = sim.state.products.get('OFF-1')!;
    assert.equal(stored.price, '89.99');
    assert.equal(stored.priceIncludesVat, true);
    assert.deepEqual(stored.images, ['https://example.invalid/cafea.jpg', 'https://example.invalid/cafea-2.jpg']);
    const up = await c.updateStockAndPrice([offerToStockPrice({ ...offer, quantity: 3, priceGross: Money.of('94.5', 'RON') })]);
    assert.deepEqual(up.accepted, ['OFF-1']);
    const back = (await c.readProducts({ models: ['OFF-1'] })).items[0];
    assert.deepEqual([back?.price, back?.stock, back?.active], ['94.5', 3, true]);
    assert.throws(() => offerToImportItem({ ...offer, priceGross: Money.of('0', 'RON') }), ValidationError);
  });

  it('deactivates a product with updateStatus', async () => {
    await c.updateStatus('P-020', false);
    const r = await c.readProducts({ models: ['P-020'] });
    assert.equal(r.items[0]?.active, false);
    await c.updateStatus('P-020', true);
  });

  it('registers the API link; a customer order fires the push, which parses to the new order id', async () => {
    const template = pushTemplate(hookUrl);
    await c.setApiLink(template);
    assert.equal(sim.state.account.apiLink, template);
    const placed = await sim.placeOrder({ lines: [{ model: 'P-030', quantity: 2 }, { model: 'P-031', quantity: 1 }], payment: 'cod', voucher: { code: 'CEL10', value: '10.00' } });
    assert.equal(placed.push?.status, 200);
    assert.equal(received.length, 1);
    const push = parsePushCallback(template, received[0]!);
    assert.equal(push.kind, 'new_orders');
    assert.deepEqual(push.kind === 'new_orders' ? push.orderIds : [], [String(placed.order.id_comanda)]);
  });

  it('lists, reads and maps orders: dictionary by meaning, taxa_transport line, voucher, Romanian customer', async () => {
    const dict = await c.statusDictionary();
    assert.ok(dict.length >= 5);
    assert.deepEqual(dict.find((s) => s.id === '11')?.meaning, 'cancelled');
    const alt = await c.listStatuses();
    assert.deepEqual(alt.map((s) => s.meaning), dict.map((s) => s.meaning));
    const list = await c.listOrders({ minOrder: 0 });
    assert.equal(list.length, 1);
    const o = await c.getOrder(list[0]!.id);
    assert.deepEqual(o.issues, []);
    assert.equal(await c.statusMeaning(o.statusId), 'new');
    assert.equal(o.paymentMethod, 'cash_on_delivery');
    assert.deepEqual(o.lines.map((l) => l.kind), ['item', 'item', 'shipping', 'voucher']);
    const canon = toCanonicalOrder(o, () => 'new');
    const sum = canon.lines.reduce((t, l) => t.add(l.lineTotalGross), canon.totalGross.sub(canon.totalGross));
    assert.ok(sum.equals(canon.totalGross), `${sum.toString()} vs ${canon.totalGross.toString()}`);
    assert.equal(canon.customer.billingAddress.countryCode, 'RO');
    assert.ok(canon.customer.billingAddress.region);
  });

  it('walks confirm → ready → finish, refusing invalid transitions with the Romanian reason', async () => {
    const { order } = await sim.placeOrder({ lines: [{ model: 'P-040', quantity: 1 }], payment: 'card', company: true });
    const id = String(order.id_comanda);
    const got = await c.getOrder(id);
    assert.equal(got.paymentMethod, 'card');
    assert.match(got.billing?.vatId ?? '', /^RO\d+$/);
    assert.equal(toCanonicalOrder(got, () => 'new').customer.kind, 'company');
    await assert.rejects(c.finishOrder(id), (e: unknown) => e instanceof CelroApiError && /nu poate fi finalizata/.test(String(e.celroMessage)));
    await c.confirmOrder(id);
    assert.equal(await c.statusMeaning((await c.getOrder(id)).statusId), 'confirmed');
    await assert.rejects(c.confirmOrder(id), CelroApiError);
    await c.setReadyForDelivery(id);
    await c.finishOrder(id);
    assert.equal(await c.statusMeaning((await c.getOrder(id)).statusId), 'finished');
    await assert.rejects(c.cancelOrder(id, { remarks: 'Clientul a renuntat' }), CelroApiError);
  });

  it('cancels with remarks or a reason id; cancelled orders are found by status and last_changed', async () => {
    const a = (await sim.placeOrder({ lines: [{ model: 'P-050', quantity: 1 }] })).order.id_comanda as number;
    const b = (await sim.placeOrder({ lines: [{ model: 'P-051', quantity: 1 }] })).order.id_comanda as number;
    await assert.rejects(c.cancelOrder(a, { remarks: 'abc' }), ValidationError);
    await c.cancelOrder(a, { remarks: 'Stoc epuizat la furnizor' });
    await c.cancelOrder(b, { reasonId: 61 });
    assert.deepEqual(sim.state.getOrder(b).cancel, { motiv: 61 });
    const cancelled = await c.listOrders({ statusId: 11 });
    assert.deepEqual(cancelled.map((x) => Number(x.id)).sort(), [a, b].sort());
    const recent = await c.listOrders({ lastChanged: { min: new Date(Date.now() - 60_000), max: new Date(Date.now() + 60_000) } });
    assert.ok(recent.some((x) => Number(x.id) === a));
    const none = await c.listOrders({ lastChanged: { min: new Date(Date.now() + 3_600_000) } });
    assert.equal(none.length, 0);
  });

  it('pages through more than 50 orders: newest first without min_order, ascending with it', async () => {
    for (let i = 0; i < 55; i++) await sim.placeOrder({ lines: [{ model: 'P-060', quantity: 1 }] });
    const first = await c.getOrders({ minOrder: 0 });
    assert.equal(first.items.length, 50);
    assert.equal(first.more, true);
    const all = await c.listOrders({ minOrder: 0 });
    assert.equal(all.length, sim.state.orders.size);
    const ids = all.map((x) => Number(x.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
    const newer = await c.listOrders({ minOrder: ids[2]! });
    assert.deepEqual(newer.map((x) => Number(x.id)), [ids[1], ids[0]]);
  });

  it('registers a manual AWB and uploads the invoice PDF, both stored as sent', async () => {
    const { order } = await sim.placeOrder({ lines: [{ model: 'P-070', quantity: 1 }] });
    const id = order.id_comanda as number;
    await c.confirmOrder(id);
    await c.registerAwb(id, 1, '2150012345678');
    await assert.rejects(c.registerAwb(id, 99, '2150012345679'), (e: unknown) => e instanceof CelroApiError && /Curierul 99/.test(String(e.celroMessage)));
    assert.deepEqual(
      sim.state.awbs.filter((a) => a.ordersId === id).map((a) => [a.courierName, a.awbNumber]),
      [['Fan Courier', '2150012345678']],
    );
    const awbs = await c.getOrderAwbs(id);
    assert.equal(awbs[0]?.awb_number, '2150012345678');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 7), Buffer.from('\n%%EOF\n')]);
    await c.addOrderInvoice({ orderId: id, series: 'VTX', number: '10023', pdf });
    const stored = sim.state.invoices.find((i) => i.ordersId === id);
    assert.ok(stored?.bytes.equals(pdf));
    assert.equal(stored?.series, 'VTX');
    const listed = await c.getOrderInvoices(id);
    assert.deepEqual(listed.map((x) => [x.series, x.number]), [['VTX', '10023']]);
    await assert.rejects(c.addOrderInvoice({ orderId: id, series: 'VTX', number: '10023', pdf }), (e: unknown) => e instanceof CelroApiError && /deja incarcata/.test(String(e.celroMessage)));
    await assert.rejects(c.addOrderInvoice({ orderId: id, series: 'VTX', number: '1', pdf: Buffer.from('GIF89a') }), ValidationError);
    // the simulator checks the magic bytes itself too
    await assert.rejects(
      c.call('orders/addOrderInvoice', { kind: 'multipart', parts: [{ name: 'oid', value: String(id) }, { name: 'series', value: 'X' }, { name: 'number', value: '2' }, { name: 'providerId', value: '0' }, { name: 'file', value: Buffer.from('not a pdf'), filename: 'file' }] }, 'write'),
      (e: unknown) => e instanceof CelroApiError && /nu este un PDF/.test(String(e.celroMessage)),
    );
    await c.setReadyForDelivery(id);
    await c.finishOrder(id);
  });
});
