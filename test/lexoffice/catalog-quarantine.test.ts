import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testPglite } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

/**
 * Issue 10: one article lexoffice serves that the client cannot use must not abort the catalog pull.
 * Both simulators over real HTTP, the real sync run; the lexoffice simulator serves the rows verbatim.
 */
describe('catalog pull with a malformed article (simulators over HTTP)', () => {
  let w: World;
  // The documentation's article sample: no organizationId, createdDate, updatedDate or archived.
  const docShape = {
    id: 'eb46d328-e1dc-11ee-8444-2fadfc15a567',
    title: 'Lexware buchhaltung Premium 2024',
    description: 'Monatsabonnement',
    type: 'PRODUCT',
    articleNumber: 'LXW-BUHA-2024-001',
    gtin: '9783648170632',
    note: 'Interne Notiz',
    unitName: 'Download-Code',
    price: { netPrice: 61.9, grossPrice: 73.66, leadingPrice: 'NET', taxRate: 19 },
    version: 2,
  };
  // Unusable: the price has no tax rate and a text where the amount belongs.
  const broken = { id: '0b7e1c2a-5d4f-4a3b-9c8d-7e6f5a4b3c2d', title: 'Kaputter Artikel', type: 'PRODUCT', articleNumber: 'VX-BROKEN-1', unitName: 'Stück', price: { leadingPrice: 'NET', netPrice: 'zehn' } };

  before(async () => {
    w = await startWorld({ name: 'pglite', skip: false, open: testPglite }, { articles: 30 });
    w.lex.putRawArticle(docShape);
    w.lex.putRawArticle(broken);
    await w.ledger.setOnHand(TENANT, [{ sku: docShape.articleNumber, onHand: 5 }, { sku: broken.articleNumber, onHand: 5 }], { reason: 'seed', author: 'test', source: 'test' });
    await w.lex.webhooksIdle();
  });
  after(async () => w?.close());

  const listable = () => w.articles.filter((a) => a.articleNumber && !a.archived && a.type === 'PRODUCT');
  const failuresOf = (runId: number | null) =>
    w.db.query<{ step: string; sku: string | null; code: string; message: string; payload: { article: unknown } }>('SELECT step, sku, code, message, payload FROM sync_failures WHERE run_id = $1', [runId]);

  it('finishes, publishes the rest (the documentation-shaped article too) and shows the bad one with payload and reason', async () => {
    const out = await w.sync(['catalog']);
    assert.equal(out.status, 'partial', 'a run with a quarantined article is partial, not failed');
    const failures = await failuresOf(out.runId);
    assert.equal(failures.length, 1, JSON.stringify(failures));
    const f = failures[0]!;
    assert.deepEqual([f.step, f.sku, f.code], ['catalog.pull', 'VX-BROKEN-1', 'validation_failed']);
    assert.match(f.message, /price\.taxRate/);
    assert.match(f.message, /price\.netPrice/);
    assert.deepEqual(f.payload.article, broken, 'the row exactly as lexoffice served it');
    for (const a of listable()) assert.ok(w.cel.state.products.get(a.articleNumber!), `${a.articleNumber} published`);
    assert.ok(w.cel.state.products.get(docShape.articleNumber), 'the documentation-shaped article is published');
    assert.equal(w.cel.state.products.get(broken.articleNumber), undefined);
    const stored = await w.db.query<{ sku: string; archived: boolean }>('SELECT sku, archived FROM catalog_products WHERE tenant_id = $1 AND sku = ANY($2::text[])', [TENANT, [docShape.articleNumber, broken.articleNumber]]);
    assert.deepEqual(stored, [{ sku: docShape.articleNumber, archived: false }]);
    const run = await w.db.one<{ counts: Record<string, Record<string, number>> }>('SELECT counts FROM sync_runs WHERE id = $1', [out.runId]);
    assert.equal(run.counts['catalog.pull']!.failed, 1);
    assert.equal(run.counts['catalog.pull']!.read, listable().length + w.articles.filter((a) => !listable().includes(a)).length + 2);
  });

  it('once lexoffice serves the article correctly, the next run publishes it', async () => {
    w.lex.putRawArticle({ ...broken, price: { leadingPrice: 'NET', netPrice: 10, grossPrice: 11.9, taxRate: 19 } });
    const out = await w.sync(['catalog']);
    assert.equal(out.status, 'succeeded', JSON.stringify(await failuresOf(out.runId)));
    assert.ok(w.cel.state.products.get(broken.articleNumber), 'published after the fix');
  });

  it('a published article that becomes unusable is quarantined, not archived or withdrawn', async () => {
    const a = listable()[0]!;
    const before = w.cel.state.products.get(a.articleNumber!);
    assert.ok(before);
    const good = w.lex.state().articles.get(a.id)!;
    w.lex.putRawArticle({ ...good, type: 'product' }); // lower case: refused by the API on write, never served — a corrupt row
    const out = await w.sync(['catalog']);
    assert.equal(out.status, 'partial');
    const failures = await failuresOf(out.runId);
    assert.deepEqual(failures.map((f) => f.sku), [a.articleNumber]);
    assert.match(failures[0]!.message, /type/);
    const row = await w.db.one<{ archived: boolean }>('SELECT archived FROM catalog_products WHERE tenant_id = $1 AND sku = $2', [TENANT, a.articleNumber]);
    assert.equal(row.archived, false, 'one unreadable row is not a deletion');
    assert.deepEqual(w.cel.state.products.get(a.articleNumber!), before, 'the Cel.ro offer is untouched');
  });
});
