import assert from 'node:assert/strict';
import { OrderRepository } from '../../src/orders/orders-repo.ts';
import { celroClientFor } from '../../src/sync/clients.ts';
import { after, before, describe, it } from 'node:test';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { STATUS } from '../../sim/celro/data.ts';
import { startFanCourierSim, type FanCourierSim } from '../../sim/couriers/fancourier.ts';
import { storeVariants } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

// A Cel.ro order gets its AWB from FAN Courier (cash on delivery for a COD order), Cel.ro is told, and
// the courier's tracking moves the Cel.ro order: ready for delivery once picked up, finished once
// delivered. AWBs made elsewhere are registered by hand from a CSV. Real HTTP to all three simulators.
for (const variant of await storeVariants()) {
  describe(`shipments: AWB, Cel.ro and tracking (${variant.name})`, { skip: variant.skip }, () => {
    let w: World;
    let fan: FanCourierSim;
    before(async () => {
      w = await startWorld(variant, { articles: 20 });
      fan = await startFanCourierSim();
      await new TenantRepository(w.db, w.ctx.box).setConnection(TENANT, 'fancourier', { credentials: { clientId: fan.clientId, username: fan.username, password: fan.password }, baseUrl: fan.url }, 'test');
      assert.equal((await w.sync(['catalog', 'stock'])).status, 'succeeded');
    });
    after(async () => {
      await fan?.close();
      await w?.close();
    });

    const api = async (method: string, path: string, body?: unknown, type = 'application/json') => {
      const res = await fetch(`${w.webUrl}/api/tenants/${TENANT}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const order = async (payment: 'cod' | 'card') => {
      const listed = [...w.cel.state.products.values()].find((p) => p.stock > 0 && p.active === 1)!;
      w.cel.state.settle(true);
      return w.cel.state.placeOrder({ lines: [{ model: listed.model, quantity: 1 }], payment });
    };

    it('makes one AWB per order with the courier (COD amount from the order), tells Cel.ro, and tracking moves the order to finished', async () => {
      const placed = await order('cod');
      const id = String(placed.id);
      // The order is known to Vortex (as the intake stores it), so its payment can be followed.
      const celClient = celroClientFor(w.ctx, await new TenantRepository(w.db, w.ctx.box).getConnection(TENANT, 'celro'));
      const read = await celClient.getOrder(id);
      await new OrderRepository(w.db).receive(TENANT, { channelOrderId: read.id, raw: read.raw, statusId: read.statusId, meaning: 'new', placedAt: read.placedAt, total: read.total, currency: read.currency, customerName: null, customerEmail: null }, 'test');
      const made = await api('POST', '/shipments', { orderId: id, courier: 'fancourier', weightKg: '2.5' });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      assert.equal(made.json.cel_registered, true);
      const awb = String(made.json.awb_number);
      const atFan = fan.awbs.get(awb)!;
      const info = atFan.request.info as { cod?: number; weight?: number };
      assert.equal(info.weight, 2.5);
      const celOrder = w.cel.state.orders.get(Number(id))!;
      // What the buyer owes: the lines, plus shipping, minus vouchers (cents, to stay exact).
      const cents = (x: string) => Math.round(Number(x) * 100);
      const owed = celOrder.lines.reduce((s, l) => s + cents(l.unitPrice) * l.quantity, 0) + cents(celOrder.shipping || '0') - celOrder.vouchers.reduce((s, v) => s + cents(v.valoare), 0);
      assert.equal(Math.round((info.cod ?? 0) * 100), owed, 'cash on delivery = what the buyer owes');
      assert.deepEqual(w.cel.state.awbs.filter((a) => a.ordersId === Number(id)).map((a) => [a.awbNumber, a.courierName]), [[awb, 'Fan Courier']]);

      const again = await api('POST', '/shipments', { orderId: id, courier: 'fancourier' });
      assert.equal(again.json.id, made.json.id, 'asking again returns the same shipment');
      assert.equal(fan.awbs.size, 1, 'no second AWB at the courier');

      fan.advance(awb, 'in_transit');
      const t1 = await api('POST', '/shipments/track');
      assert.equal(t1.json.celUpdates, 1);
      assert.equal(w.cel.state.orders.get(Number(id))!.status, STATUS.READY, 'ready for delivery on Cel.ro (confirmed first)');
      fan.advance(awb, 'delivered');
      await api('POST', '/shipments/track');
      assert.equal(w.cel.state.orders.get(Number(id))!.status, STATUS.FINISHED);
      const listed = (await api('GET', `/shipments?orderId=${id}`)).json.shipments as Array<{ trackingState: string; celStatus: string; history: Array<{ kind: string }> }>;
      assert.equal(listed[0]!.trackingState, 'delivered');
      assert.equal(listed[0]!.celStatus, 'finished');
      const kinds = listed[0]!.history.map((h) => h.kind);
      assert.deepEqual([kinds[0], kinds[1], kinds.at(-2), kinds.at(-1)], ['awb_created', 'awb_sent_to_celro', 'tracking', 'celro_finished']);
      // Cash on delivery: the courier delivered, so the money was collected (payment source "courier").
      const payment = (await api('GET', `/orders/${id}`)).json.payment as { method: string; status: string; source: string };
      assert.deepEqual([payment.method, payment.status, payment.source], ['cash_on_delivery', 'paid', 'courier']);
      // A quiet pass changes nothing and calls nothing on Cel.ro.
      const t3 = await api('POST', '/shipments/track');
      assert.equal(t3.json.checked, 0);
    });

    it('registers AWBs made elsewhere from a CSV, row by row, saying which rows failed and why', async () => {
      const placed = await order('card');
      const csv = `order,courier,awb\n${placed.id},Cargus,987654321\n999999999,Cargus,111\n${placed.id},,222\n`;
      const res = await api('POST', '/shipments/import', csv, 'text/csv');
      assert.equal(res.status, 200);
      const results = res.json.results as Array<{ line: number; ok: boolean; error?: string }>;
      assert.deepEqual(results.map((r) => [r.line, r.ok]), [[2, true], [3, false], [4, false]]);
      assert.match(results[1]!.error ?? '', /telling Cel.ro: .*999999999/);
      assert.match(results[2]!.error ?? '', /courierName/);
      assert.ok(w.cel.state.awbs.some((a) => a.ordersId === placed.id && a.awbNumber === '987654321' && a.courierName === 'Cargus'));
      // A manual AWB is followed through Cel.ro's own status of it (orders/statusAwb).
      w.cel.state.transition(placed.id, 'confirm');
      w.cel.state.transition(placed.id, 'ready');
      await api('POST', '/shipments/track');
      const [manual] = (await api('GET', `/shipments?orderId=${placed.id}`)).json.shipments as Array<{ trackingState: string; history: Array<{ kind: string; detail: { source?: string } }> }>;
      assert.equal(manual!.trackingState, 'in_transit');
      assert.ok(manual!.history.some((h) => h.kind === 'tracking' && h.detail.source === 'celro'));
    });

    it('refuses a manual shipment without its AWB, naming the field', async () => {
      const res = await api('POST', '/shipments', { orderId: '1', courier: 'manual', courierName: 'DPD' });
      assert.equal(res.status, 400);
      assert.match(JSON.stringify(res.json), /awbNumber/);
    });
  });
}
