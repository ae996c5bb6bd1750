import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CelroClient, type CelroClientOptions } from '../../src/connectors/celro/client.ts';
import { celroOrderClientOptions } from '../../src/connectors/celro/settings.ts';
import { ValidationError } from '../../src/core/errors.ts';
import type { Db } from '../../src/store/db.ts';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { testPglite } from '../helpers/stores.ts';

/**
 * The order cursor (`listOrdersSince`) and the getOrders filters against the simulator over HTTP.
 * Whether CEL includes the `min_order` id is undocumented and the sort is only documented: the cursor
 * must give the same answer under every combination, including orders placed while it pages.
 */

const MODES = [
  { minOrderInclusive: false, minOrderSort: 'asc' },
  { minOrderInclusive: true, minOrderSort: 'asc' },
  { minOrderInclusive: false, minOrderSort: 'desc' },
  { minOrderInclusive: true, minOrderSort: 'desc' },
] as const;

function stockUp(sim: CelroSim, model = 'CUR-1', stock = 10_000): void {
  sim.state.importItem({ products_model: model, products_name: `Produs ${model}`, manufacturers_name: 'Vortex', categories_id: '1234', pretf: '10.00', stoc: String(stock), products_image: 'https://example.invalid/c.jpg' }, true);
  sim.state.settle(true);
}

const place = (sim: CelroSim, n: number): number[] => Array.from({ length: n }, () => sim.state.placeOrder({ lines: [{ model: 'CUR-1', quantity: 1 }] }).id);
const ids = (r: { orders: readonly { id: string }[] }): number[] => r.orders.map((o) => Number(o.id));

describe('Cel.ro order cursor (listOrdersSince) under every min_order semantics and sort order', () => {
  let db: Db;
  before(async () => {
    db = await testPglite();
  });
  after(async () => {
    await db.close();
  });

  for (const mode of MODES) {
    describe(`server: min_order ${mode.minOrderInclusive ? 'inclusive' : 'exclusive'}, sorted ${mode.minOrderSort} with min_order`, () => {
      let sim: CelroSim;
      let client: CelroClient;
      const hooks: (() => void)[] = [];
      before(async () => {
        sim = await startCelroSim({ port: 0, seed: 'empty', ...mode });
        stockUp(sim);
        // The client keeps the default setting (exclusive): the cursor must not depend on it.
        client = new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db, onResponse: () => hooks.shift()?.() });
      });
      after(async () => {
        await sim.close();
      });

      it('an empty account: nothing, and the cursor stays', async () => {
        const r = await client.listOrdersSince(0);
        assert.deepEqual([r.orders.length, r.cursor, r.pages], [0, '0', 1]);
      });

      it('from 0: all 120 orders once, ascending, in 3 pages; the cursor is the newest id', async () => {
        const placed = place(sim, 120);
        const r = await client.listOrdersSince(0);
        assert.deepEqual(ids(r), placed);
        assert.equal(r.cursor, String(placed.at(-1)));
        assert.equal(r.pages, 3);
        assert.equal(r.observed.order, 'desc'); // min_order 0 = no filter: CEL lists by id descending
      });

      it('from a cursor in the middle: exactly the newer orders, whatever the server includes or sorts', async () => {
        const all = [...sim.state.orders.keys()].sort((a, b) => a - b);
        const cursor = all[59]!;
        const r = await client.listOrdersSince(String(cursor));
        assert.deepEqual(ids(r), all.slice(60));
        assert.equal(r.cursor, String(all.at(-1)));
        assert.equal(r.observed.cursorIncluded, mode.minOrderInclusive);
        assert.equal(r.observed.contradictsSetting, mode.minOrderInclusive); // the client was told "exclusive"
        assert.equal(r.observed.order, mode.minOrderSort);
      });

      it('at the newest order: nothing new and the cursor stays; then only what came after', async () => {
        const newest = Math.max(...sim.state.orders.keys());
        const idle = await client.listOrdersSince(newest);
        assert.deepEqual([idle.orders.length, idle.cursor], [0, String(newest)]);
        const fresh = place(sim, 7);
        const r = await client.listOrdersSince(idle.cursor);
        assert.deepEqual(ids(r), fresh);
        assert.equal(r.cursor, String(fresh.at(-1)));
      });

      it('orders placed while it pages are neither lost nor doubled: this call or the next one has them', async () => {
        const before = Math.max(...sim.state.orders.keys());
        const backlog = place(sim, 80); // two pages
        const during: number[] = [];
        hooks.push(() => during.push(...place(sim, 30))); // after the first page's answer
        const first = await client.listOrdersSince(before);
        assert.equal(hooks.length, 0, 'the hook ran');
        assert.equal(new Set(ids(first)).size, first.orders.length);
        assert.deepEqual(ids(first), [...ids(first)].sort((a, b) => a - b));
        for (const id of backlog) assert.ok(ids(first).includes(id), `backlog order ${id} missing`);
        const second = await client.listOrdersSince(first.cursor);
        const seen = [...ids(first), ...ids(second)];
        assert.deepEqual(seen, [...backlog, ...during]);
      });
    });
  }

  it('rejects a cursor that is not an order id', async () => {
    const sim = await startCelroSim({ port: 0 });
    try {
      const c = new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db });
      await assert.rejects(c.listOrdersSince('12a'), ValidationError);
      await assert.rejects(c.listOrdersSince(-1), ValidationError);
    } finally {
      await sim.close();
    }
  });
});

describe('Cel.ro getOrders filters (client ↔ simulator)', () => {
  let db: Db;
  let sim: CelroSim;
  const client = (o: Partial<CelroClientOptions> = {}): CelroClient => new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db, ...o });
  let a: number; // old order, changed recently
  let b: number; // company customer, card
  let c: number; // recent, untouched

  before(async () => {
    db = await testPglite();
    sim = await startCelroSim({ port: 0, seed: 'empty' });
    stockUp(sim);
    stockUp(sim, 'CAFEA-1');
    a = sim.state.placeOrder({ lines: [{ model: 'CUR-1', quantity: 1 }], payment: 'cod', company: false }).id;
    b = sim.state.placeOrder({ lines: [{ model: 'CAFEA-1', quantity: 2 }], payment: 'card', company: true }).id;
    c = sim.state.placeOrder({ lines: [{ model: 'CUR-1', quantity: 1 }], payment: 'cod', company: false }).id;
    const day = 86_400_000;
    sim.state.getOrder(a).placedAt = new Date(Date.now() - 10 * day);
    sim.state.getOrder(a).lastChanged = new Date(Date.now() - 10 * day);
    sim.state.getOrder(b).placedAt = new Date(Date.now() - 5 * day);
    sim.state.getOrder(b).lastChanged = new Date(Date.now() - 5 * day);
    sim.state.transition(a, 'confirm'); // an old order changes now: only last_changed finds it
  });
  after(async () => {
    await sim.close();
    await db.close();
  });

  it('last_changed look-back finds old orders that changed, not untouched old ones', async () => {
    const window = await client().listOrders({ lastChanged: { min: new Date(Date.now() - 3_600_000), max: new Date(Date.now() + 60_000) } });
    assert.deepEqual(window.map((o) => Number(o.id)).sort(), [a, c]);
    const none = await client().listOrders({ lastChanged: { max: new Date(Date.now() - 6 * 86_400_000) } });
    assert.deepEqual(none.map((o) => Number(o.id)), []);
  });

  const written = {
    date: '{"group_by_status":false,"date":{"minDate":"2026-01-01 00:00:00"}}',
    dateFromTo: '{"group_by_status":false,"date":{"from":"2026-01-01 00:00:00"}}',
    flat: '{"group_by_status":false,"minDate":"2026-01-01 00:00:00"}',
  };
  for (const form of ['date', 'dateFromTo', 'flat'] as const) {
    it(`creation-date window written as ${form} (connection setting createdFilterForm)`, async () => {
      const cl = client(celroOrderClientOptions({ createdFilterForm: form }));
      assert.equal(JSON.stringify(cl.orderFilters({ created: { min: '2026-01-01 00:00:00' } })), written[form]);
      const r = await cl.listOrders({ created: { min: new Date(Date.now() - 7 * 86_400_000), max: new Date(Date.now() - 86_400_000) } });
      assert.deepEqual(r.map((o) => Number(o.id)), [b]);
    });
  }

  it('customer, product, phone, payment method, order id, invoice and status filters', async () => {
    const cl = client();
    const only = async (f: Parameters<CelroClient['listOrders']>[0]): Promise<number[]> => (await cl.listOrders(f)).map((o) => Number(o.id)).sort();
    const company = sim.state.getOrder(b).customer.billing.firma;
    assert.deepEqual(await only({ customer: { text: company.slice(0, 6) } }), [b]);
    assert.deepEqual(await only({ customer: { text: company.slice(0, 6), exclude: true } }), [a, c]);
    assert.deepEqual(await only({ product: { text: 'cafea' } }), [b]);
    assert.deepEqual(await only({ phoneNumber: sim.state.getOrder(c).customer.phone }), [c]);
    assert.deepEqual(await only({ paymentMethod: 'Card online' }), [b]);
    assert.deepEqual(await only({ orderId: c }), [c]);
    assert.deepEqual(await only({ statusId: 2 }), [a]);
    assert.deepEqual(await only({ statusId: 99 }), [a, b, c]); // 99 = no filter on CEL
    sim.state.addInvoice(c, 'VTX', '777', '0', Buffer.from('%PDF-1.4\n%%EOF\n'));
    assert.deepEqual(await only({ invoice: '777' }), [c]);
  });

  it('without min_order the list is by id descending; order_by_date_purchased sorts by date', async () => {
    const cl = client();
    assert.deepEqual((await cl.listOrders()).map((o) => Number(o.id)), [c, b, a]);
    assert.deepEqual((await cl.listOrders({ sortByPurchaseDate: 'ASC' })).map((o) => Number(o.id)), [a, b, c]);
    assert.deepEqual((await cl.listOrders({ sortByPurchaseDate: 'DESC' })).map((o) => Number(o.id)), [c, b, a]);
  });
});
