import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/store/db.ts';
import { StockLedger } from '../../src/stock/ledger.ts';
import { parseStockFile } from '../../src/stock/import-file.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { storeVariants } from '../helpers/stores.ts';

const meta = { reason: 'test', author: 'tester', source: 'test' };

for (const variant of await storeVariants()) {
  describe(`stock ledger on ${variant.name}`, { skip: variant.skip }, () => {
    let db: Db;
    let ledger: StockLedger;
    before(async () => {
      db = await variant.open();
      const repo = new TenantRepository(db, createSecretBox(randomBytes(32).toString('base64')));
      await repo.create({ id: 'shop', name: 'Shop' }, 'test');
      await repo.create({ id: 'other', name: 'Other' }, 'test');
      ledger = new StockLedger(db);
    });
    after(async () => db?.close());

    it('sets on-hand quantities all-or-nothing and records only real changes', async () => {
      assert.deepEqual(await ledger.setOnHand('shop', [{ sku: 'A', onHand: 10 }, { sku: 'B', onHand: 3 }], meta), { changed: 2 });
      assert.deepEqual(await ledger.setOnHand('shop', [{ sku: 'A', onHand: 10 }, { sku: 'B', onHand: 4 }], meta), { changed: 1 });
      await assert.rejects(ledger.setOnHand('shop', [{ sku: 'C', onHand: 1 }, { sku: 'D', onHand: -1 }], meta), /on hand for D: quantity must be ≥ 0/);
      assert.deepEqual((await ledger.published('shop')).map((r) => [r.sku, r.onHand]), [['A', 10], ['B', 4]]);
      assert.equal((await ledger.history('shop', 'B')).length, 2);
    });

    it('concurrent decrements never lose an update and never go below zero', async () => {
      await ledger.setOnHand('shop', [{ sku: 'RACE', onHand: 10 }], meta);
      await Promise.all(Array.from({ length: 15 }, () => ledger.adjust('shop', 'RACE', -1, { ...meta, reason: 'sold elsewhere' })));
      const [row] = await ledger.published('shop', ['RACE']);
      assert.equal(row!.onHand, 0);
      const entries = await ledger.history('shop', 'RACE');
      assert.equal(entries.filter((e) => e.kind === 'adjust').length, 15, 'every request is recorded, clamped ones too');
    });

    it('reserves idempotently per order and releases or consumes', async () => {
      await ledger.setOnHand('shop', [{ sku: 'R', onHand: 5 }], meta);
      assert.deepEqual(await ledger.reserve('shop', 'order-1', [{ sku: 'R', quantity: 2 }], meta), { reserved: 1 });
      assert.deepEqual(await ledger.reserve('shop', 'order-1', [{ sku: 'R', quantity: 2 }], meta), { reserved: 0 }, 'replay reserves nothing');
      let [r] = await ledger.published('shop', ['R']);
      assert.equal(r!.reserved, 2);
      assert.equal(r!.published, 3);
      assert.deepEqual(await ledger.settle('shop', 'order-1', 'released', meta), { settled: 1 });
      assert.deepEqual(await ledger.settle('shop', 'order-1', 'released', meta), { settled: 0 });
      [r] = await ledger.published('shop', ['R']);
      assert.equal(r!.reserved, 0);
      assert.equal(r!.published, 5);
    });

    it('an on-hand count from the source consumes the reservations made before it, and only those SKUs', async () => {
      await ledger.setOnHand('shop', [{ sku: 'S1', onHand: 10 }, { sku: 'S2', onHand: 10 }], meta);
      await ledger.reserve('shop', 'order-2', [{ sku: 'S1', quantity: 3 }, { sku: 'S2', quantity: 1 }], meta);
      // The count comes after the sale: 7 of S1 left. S2 is not in this file.
      await ledger.setOnHand('shop', [{ sku: 'S1', onHand: 7 }], meta);
      const rows = new Map((await ledger.published('shop', ['S1', 'S2'])).map((x) => [x.sku, x]));
      assert.equal(rows.get('S1')!.reserved, 0);
      assert.equal(rows.get('S1')!.published, 7, 'the sale is counted once, not twice');
      assert.equal(rows.get('S2')!.reserved, 1, 'a SKU the count did not cover keeps its reservation');
      const status = await db.query<{ sku: string; status: string }>("SELECT sku, status FROM stock_reservations WHERE tenant_id = 'shop' AND ref = 'order-2' ORDER BY sku");
      assert.deepEqual(status.map((x) => [x.sku, x.status]), [['S1', 'consumed'], ['S2', 'active']]);
      const history = await ledger.history('shop', 'S1');
      assert.ok(history.some((h) => h.kind === 'consume'));
    });

    it('applies the tenant policy and per-SKU overrides', async () => {
      await ledger.setOnHand('shop', [{ sku: 'P1', onHand: 20 }, { sku: 'P2', onHand: 20 }], meta);
      await ledger.setPolicy('shop', null, { bufferKind: 'absolute', bufferValue: '2', floor: 1 });
      await ledger.setPolicy('shop', 'P2', { bufferKind: 'percent', bufferValue: '50', cap: 6 });
      const rows = Object.fromEntries((await ledger.published('shop', ['P1', 'P2'])).map((r) => [r.sku, r.published]));
      assert.deepEqual(rows, { P1: 18, P2: 6 });
      await assert.rejects(ledger.setPolicy('shop', null, { bufferKind: 'percent', bufferValue: '150' }), /between 0 and 100/);
    });

    it('keeps tenants apart', async () => {
      await ledger.setOnHand('other', [{ sku: 'A', onHand: 99 }], meta);
      assert.equal((await ledger.published('shop', ['A']))[0]!.onHand, 10);
      assert.equal((await ledger.published('other', ['A']))[0]!.onHand, 99);
    });
  });
}

describe('stock file import', () => {
  it('reads CSV with ; or , separators, quotes and a BOM', async () => {
    assert.deepEqual(await parseStockFile('\uFEFFsku;quantity\r\nA-1;5\r\n"B;2";0\r\n', 'csv'), [{ sku: 'A-1', onHand: 5 }, { sku: 'B;2', onHand: 0 }]);
    assert.deepEqual(await parseStockFile('name,sku,qty\n"Chair, red",C,7\n', 'csv'), [{ sku: 'C', onHand: 7 }]);
  });

  it('reads JSON', async () => {
    assert.deepEqual(await parseStockFile('[{"sku":"A","quantity":3},{"sku":"B","onHand":"4"}]', 'json'), [{ sku: 'A', onHand: 3 }, { sku: 'B', onHand: 4 }]);
  });

  it('rejects the whole file, naming every bad line', async () => {
    await assert.rejects(
      parseStockFile('sku,quantity\nA,5\nB,-1\n,3\nA,2\nC,1.5\n', 'csv'),
      (e: Error & { issues?: Array<{ path: string }> }) => e.issues?.map((i) => i.path).join('|') === 'line 3|line 4|line 5|line 6' && /nothing imported/.test(e.message),
    );
    await assert.rejects(parseStockFile('article,amount\nA,1', 'csv'), /must name "sku" and "quantity"/);
    await assert.rejects(parseStockFile('{"sku":"A"}', 'json'), /must be an array/);
    await assert.rejects(parseStockFile('[oops', 'json'), /not valid JSON/);
  });

  it('refuses SKUs and quantities outside the bounds, naming the line and the limit', async () => {
    await assert.rejects(parseStockFile(`sku,quantity\n${'S'.repeat(201)},1\nB,99999999999\n`, 'csv'), (e: Error & { issues?: Array<{ path: string; message: string }> }) => {
      assert.deepEqual(e.issues?.map((i) => i.path), ['line 2', 'line 3']);
      assert.match(e.issues![0]!.message, /must be at most 200 characters/);
      assert.match(e.issues![1]!.message, /quantity must be ≤ 1,000,000,000/);
      return true;
    });
  });
});
