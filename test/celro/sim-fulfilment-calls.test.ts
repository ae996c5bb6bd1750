import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { CelroClient } from '../../src/connectors/celro/client.ts';
import { CelroApiError } from '../../src/connectors/celro/errors.ts';
import type { Db } from '../../src/store/db.ts';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { importItem } from '../helpers/celro-items.ts';
import { testPglite } from '../helpers/stores.ts';

const item = importItem;

const refused = (re: RegExp) => (e: unknown) => e instanceof CelroApiError && re.test(String(e.celroMessage));
const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');

/** statusAwb, checkPaymentForOrder, removeInvoice, addOrderObservations, productImportStatus: client ↔ simulator over HTTP. */
describe('Cel.ro fulfilment calls (client ↔ simulator)', () => {
  let sim: CelroSim;
  let db: Db;
  let c: CelroClient;
  const order = async (payment: 'cod' | 'card' = 'cod'): Promise<number> => (await sim.placeOrder({ lines: [{ model: 'F-1', quantity: 1 }], payment })).order.id_comanda as number;

  before(async () => {
    sim = await startCelroSim({ port: 0, approvalDelayMs: 0 });
    db = await testPglite();
    c = new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db });
    const r = await c.importProducts([item('F-1', '49.90', 50)]);
    assert.deepEqual(r.rejected, []);
  });
  after(async () => {
    await sim.close();
    await db.close();
  });

  it('statusAwb: the order AWBs with a status that follows the order', async () => {
    const id = await order();
    await c.confirmOrder(id);
    await c.registerAwb(id, 1, 'FAN2150012345');
    let awbs = await c.statusAwb(id);
    assert.deepEqual(
      awbs.map((a) => [a.awbNumber, a.courier, a.status]),
      [['FAN2150012345', 'Fan Courier', 'AWB inregistrat']],
    );
    await c.setReadyForDelivery(id);
    assert.equal((await c.statusAwb(id))[0]?.status, 'In tranzit');
    await c.finishOrder(id);
    awbs = await c.statusAwb(id);
    assert.equal(awbs[0]?.status, 'Livrat');
    assert.equal(sim.log.at(-1)?.fields.cmd, String(id));
  });

  it('statusAwb: refuses an order without an AWB', async () => {
    const id = await order();
    await assert.rejects(c.statusAwb(id), refused(new RegExp(`Comanda ${id} nu are AWB`)));
  });

  it('checkPaymentForOrder: card paid, cash on delivery not', async () => {
    assert.equal(await c.checkPaymentForOrder(await order('card')), true);
    assert.equal(await c.checkPaymentForOrder(await order('cod')), false);
  });

  it('checkPaymentForOrder: refuses an unknown order', async () => {
    await assert.rejects(c.checkPaymentForOrder(999), refused(/Comanda 999 nu exista/));
  });

  it('removeInvoice: drops the invoice deleteOrderInvoice would, then refuses a second time', async () => {
    const id = await order();
    await c.addOrderInvoice({ orderId: id, series: 'VTX', number: '10001', pdf });
    assert.equal((await c.getOrderInvoices(id)).length, 1);
    await c.removeInvoice(id);
    assert.deepEqual(await c.getOrderInvoices(id), []);
    // Gone for the new call too, and the same series/number can be uploaded again.
    await assert.rejects(c.deleteOrderInvoice(id, 'VTX', '10001'), refused(/nu exista/));
    await c.addOrderInvoice({ orderId: id, series: 'VTX', number: '10001', pdf });
    await c.removeInvoice(id);
    await assert.rejects(c.removeInvoice(id), refused(new RegExp(`Comanda ${id} nu are factura`)));
  });

  it('addOrderObservations: appended to observatii_cmd of getOrder', async () => {
    const id = (await sim.placeOrder({ lines: [{ model: 'F-1', quantity: 1 }], notes: 'Sunati inainte' })).order.id_comanda as number;
    await c.addOrderObservations(id, 'Livrare dupa ora 17');
    await c.addOrderObservations(id, '  Colet fragil ');
    const o = await c.getOrder(id);
    assert.equal(o.notes, 'Sunati inainte\nLivrare dupa ora 17\nColet fragil');
    assert.equal(sim.log.at(-2)?.fields.observations, 'Colet fragil');
  });

  it('addOrderObservations: empty text is refused by the client and by the simulator', async () => {
    const id = await order();
    await assert.rejects(c.addOrderObservations(id, '   '), ValidationError);
    await assert.rejects(c.call('orders/addOrderObservations', { kind: 'form', fields: [['orders_id', id], ['observations', ' ']] }, 'write'), refused(/Observatiile nu pot fi goale/));
    await assert.rejects(c.call('orders/addOrderObservations', { kind: 'form', fields: [['orders_id', id]] }, 'write'), refused(/observations lipseste/));
  });

  it('getProductImportStatus: per model, and the last import batch when no model is given', async () => {
    sim.config.approvalDelayMs = 60_000;
    try {
      const r = await c.importProducts([item('F-2', '10.00'), item('F-3', '10.00'), { ...item('F-4', '1.00'), categories_id: 1 }]);
      assert.deepEqual(
        r.rejected.map((x) => x.model),
        ['F-4'],
      );
      const last = await c.getProductImportStatus();
      assert.deepEqual(
        last.map((s) => [s.model, s.state]),
        [
          ['F-2', 'waiting'],
          ['F-3', 'waiting'],
          ['F-4', 'failed'],
        ],
      );
      assert.match(String(last[2]?.reason), /categoria 1 nu este permisa/);
    } finally {
      sim.config.approvalDelayMs = 0;
    }
    await c.importProducts([item('F-5', '9000.00')]); // test accounts reject > 5000 lei
    const s = await c.getProductImportStatus(['F-1', 'F-2', 'F-5', 'NOPE']);
    assert.deepEqual(
      s.map((x) => [x.model, x.state]),
      [
        ['F-1', 'approved'],
        ['F-2', 'approved'],
        ['F-5', 'rejected'],
        ['NOPE', 'unknown'],
      ],
    );
    assert.match(String(s[2]?.reason), /5000/);
    assert.equal(sim.log.at(-1)?.fields.products, '["F-1","F-2","F-5","NOPE"]');
  });

  it('getProductImportStatus: refuses a products field that is not a list of models', async () => {
    await assert.rejects(c.call('import/productImportStatus', { kind: 'form', fields: [['products', '{"a":1}']] }, 'read'), refused(/lista nevida de modele/));
    await assert.rejects(c.call('import/productImportStatus', { kind: 'form', fields: [['products', '[{"x":1}]']] }, 'read'), refused(/products_model/));
  });

  it('the new routes are modelled and the legacy product route name is not invented', async () => {
    for (const r of ['orders/statusAwb', 'orders/checkPaymentForOrder', 'orders/removeInvoice', 'orders/addOrderObservations', 'import/productImportStatus']) assert.ok(sim.routes.includes(r), r);
    await assert.rejects(c.call('products/getProductImportStatus', { kind: 'form', fields: [] }, 'read'), refused(/Actiunea products\/getProductImportStatus nu exista/));
  });
});
