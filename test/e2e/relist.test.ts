import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Decimal } from '../../src/core/decimal.ts';
import { saysProductMissing } from '../../src/catalog/push-batch.ts';
import { storeVariants } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

// Publish never trusts its own memory over Cel.ro's answer: a product Cel.ro says it does not have is
// listed again, and reconcile checks presence and price as well as quantity.
for (const variant of await storeVariants()) {
  describe(`Cel.ro's answer beats Vortex's memory (${variant.name})`, { skip: variant.skip }, () => {
    let w: World;
    before(async () => {
      w = await startWorld(variant, { articles: 30 });
      const out = await w.sync(['catalog', 'stock']);
      assert.equal(out.status, 'succeeded');
    });
    after(async () => w?.close());

    const celProduct = (sku: string) => w.cel.state.products.get(sku);
    const listable = () => w.articles.filter((a) => a.articleNumber && !a.archived && a.type === 'PRODUCT');
    const desiredPrice = async (sku: string) => (await w.db.one<{ p: string }>("SELECT desired->>'pretf' AS p FROM channel_offers WHERE tenant_id = $1 AND sku = $2", [TENANT, sku])).p;

    it('an update refused with "Produsul … nu exista" re-lists the product instead of parking it as refused', async () => {
      const a = listable()[0]!;
      const sku = a.articleNumber!;
      w.cel.state.products.delete(sku); // lost on Cel.ro while Vortex believes it listed
      w.lex.changeArticle(a.id); // a price change: Vortex sends updateStockAndPrice for a model Cel.ro lacks
      const first = await w.sync(['catalog']);
      assert.equal(first.status, 'partial');
      const failure = await w.db.one<{ message: string }>('SELECT message FROM sync_failures WHERE run_id = $1 AND sku = $2', [first.runId, sku]);
      assert.match(failure.message, /does not have this product .*nu exista.*listed again/);
      // The catalog step's closing pass lists it again in the same run, with the mapped price and quantity.
      const offer = await w.db.one<{ listed: boolean; refused_hash: string | null }>('SELECT listed, refused_hash FROM channel_offers WHERE tenant_id = $1 AND sku = $2', [TENANT, sku]);
      assert.deepEqual(offer, { listed: true, refused_hash: null });
      assert.ok(celProduct(sku), 'listed again');
      assert.equal(celProduct(sku)!.price, await desiredPrice(sku));
      const qty = (await w.ledger.published(TENANT, [sku]))[0]!.published;
      assert.equal(celProduct(sku)!.stock, qty);
      // And it stays quiet afterwards: no endless re-creation.
      w.cel.log.length = 0;
      assert.equal((await w.sync(['catalog', 'stock'])).status, 'succeeded');
      assert.equal(w.celWrites(), 0);
    });

    it('a stock push refused with "nu exista" re-lists too', async () => {
      const sku = listable()[1]!.articleNumber!;
      w.cel.state.products.delete(sku);
      await w.ledger.adjust(TENANT, sku, 5, { reason: 'restock', author: 'test', source: 'test' });
      const first = await w.sync(['stock']);
      assert.equal(first.status, 'partial');
      const relist = await w.db.query("SELECT what FROM sync_requests WHERE tenant_id = $1 AND trigger = 'relist'", [TENANT]);
      assert.deepEqual(relist.map((r) => (r as { what: string }).what).sort(), ['catalog', 'stock'], 'a run is requested to list it again');
      assert.equal((await w.sync(['catalog', 'stock'])).status, 'succeeded');
      assert.ok(celProduct(sku), 'listed again');
      assert.equal(celProduct(sku)!.stock, (await w.ledger.published(TENANT, [sku]))[0]!.published);
    });

    it('reconcile finds a vanished product and a changed price, and the next run repairs both', async () => {
      const gone = listable()[2]!.articleNumber!;
      const moved = listable()[3]!.articleNumber!;
      w.cel.state.products.delete(gone);
      // What Cel.ro's import status says about it (its last import refused it) is kept with the repair.
      w.cel.state.lastImport = { models: [], errors: { [gone]: 'Categoria produsului nu mai este activa' } };
      const right = celProduct(moved)!.price;
      celProduct(moved)!.price = new Decimal(right).times('1.05').toFixed(2); // changed in the Cel.ro panel, within the 10 % guard
      const out = await w.sync(['reconcile']);
      assert.equal(out.status, 'succeeded');
      const counts = (await w.db.one<{ counts: Record<string, Record<string, number>> }>('SELECT counts FROM sync_runs WHERE id = $1', [out.runId])).counts;
      assert.equal(counts.reconcile!['price-drift'], 1);
      assert.ok(counts.reconcile!.drift! >= 1);
      const missing = await w.db.one<{ last_error: string }>('SELECT last_error FROM channel_offers WHERE tenant_id = $1 AND sku = $2', [TENANT, gone]);
      assert.match(missing.last_error, /import status: failed: Categoria produsului nu mai este activa/);
      const repair = await w.db.query("SELECT what FROM sync_requests WHERE tenant_id = $1 AND trigger = 'reconcile-repair'", [TENANT]);
      assert.ok(repair.length > 0, 'a catalog run is requested at once, not at the next heartbeat');
      const next = await w.sync(['catalog', 'stock']);
      assert.equal(next.status, 'succeeded');
      assert.ok(celProduct(gone), 'the vanished product is listed again');
      assert.equal(celProduct(moved)!.price, right, 'the price is back to the mapped one');
    });
  });
}

describe('what counts as "Cel.ro does not have this product"', () => {
  it('matches CEL’s wordings and nothing else', () => {
    assert.ok(saysProductMissing('Produsul VX-P-00157 nu exista'));
    assert.ok(saysProductMissing('Produsul ABC nu exista in contul dumneavoastra'));
    assert.ok(saysProductMissing('produsul x nu mai exista'));
    assert.ok(!saysProductMissing('Pretul produsului nu poate fi modificat cu mai mult de 10%'));
    assert.ok(!saysProductMissing('Metoda foo nu exista'));
  });
});
