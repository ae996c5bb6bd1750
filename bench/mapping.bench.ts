// Mapping engine throughput on a compiled rule set (single thread = one core), and the preview of a
// 10,000-item catalog. Target: ≥ 200,000 field evaluations per second per core.
import { readFileSync } from 'node:fs';
import { parseBnr } from '../src/connectors/fx/feeds.ts';
import { RateBook } from '../src/fx/rate-book.ts';
import { compileRuleSet } from '../src/mapping/compile.ts';
import { DEFAULT_CATALOG_RULES } from '../src/mapping/defaults.ts';
import { evaluateCompiled } from '../src/mapping/evaluate.ts';
import { catalogInput, productFromLexofficeArticle } from '../src/mapping/inputs.ts';
import { parseJsonLossless } from '../src/mapping/json.ts';
import { previewRuleSet, type PreviewItem } from '../src/mapping/preview.ts';
import { loadCatalogItems, putCatalogProduct } from '../src/mapping/catalog-source.ts';
import { MappingEngine } from '../src/mapping/engine.ts';
import { FxRateRepository } from '../src/fx/repository.ts';
import { migrate } from '../src/store/migrate.ts';
import { openPglite } from '../src/store/pglite.ts';
import type { CatalogInput } from '../src/mapping/inputs.ts';

export const name = 'mapping engine';

function catalog(n: number): PreviewItem[] {
  const items: PreviewItem[] = [];
  for (let i = 0; i < n; i++) {
    const cents = 100 + ((i * 7919) % 99_900);
    const net = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const tax = [19, 19, 19, 7, 0][i % 5];
    const raw = parseJsonLossless(
      `{"id":"id-${i}","title":"Artikel ${i}","description":"Beschreibung ${i}","type":"PRODUCT","articleNumber":"SKU-${i}","unitName":"Stück","price":{"netPrice":${net},"leadingPrice":"NET","taxRate":${tax}},"archived":${i % 50 === 0},"version":1}`,
    );
    items.push({ key: `SKU-${i}`, input: catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-25') });
  }
  return items;
}

export async function run(): Promise<void> {
  const xml = readFileSync(new URL('../test/fixtures/fx/bnr-10days-2026-08-24-synthetic.xml', import.meta.url), 'utf8');
  const rates = new RateBook(parseBnr(xml).rates);
  const compiled = compileRuleSet(DEFAULT_CATALOG_RULES);
  const items = catalog(10_000);
  const fieldsPerItem = compiled.fields.length;

  const measure = (label: string, skipInputHash: boolean): void => {
    for (let w = 0; w < 2; w++) for (const it of items) evaluateCompiled(compiled, it.input, { rates, skipInputHash }); // warm-up
    const rounds = 5;
    const t0 = process.hrtime.bigint();
    let failed = 0;
    for (let r = 0; r < rounds; r++) for (const it of items) if (!evaluateCompiled(compiled, it.input, { rates, skipInputHash }).ok) failed++;
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const evals = rounds * items.length * fieldsPerItem;
    console.log(
      `${label}: ${Math.round(evals / secs).toLocaleString('en')} field evaluations/s (${Math.round((rounds * items.length) / secs).toLocaleString('en')} items/s, ` +
        `${fieldsPerItem} fields incl. FX + VAT + rounding of the price; ${failed} failures)`,
    );
  };
  measure('evaluate, compiled default DE→RO rules', true);
  measure('evaluate + lineage input hash (sha256 of canonical input)', false);

  const draftDoc = structuredClone(DEFAULT_CATALOG_RULES) as unknown as { fields: { pretf: { pipeline: unknown[] } } };
  draftDoc.fields.pretf.pipeline.splice(3, 0, { op: 'markup', percent: '8' });
  const draft = compileRuleSet(draftDoc);
  const t0 = process.hrtime.bigint();
  const report = previewRuleSet({ candidate: draft, current: compiled, items, rates });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const s = report.summary;
  console.log(`preview of a draft over a 10,000-item catalog (both versions evaluated, per-field diff): ${ms.toFixed(0)} ms — ${s.changed} changed, ${s.failed} failed, ${s.priceChangesOverGuard} over the ${s.guardPercent} % guard`);

  // The same through the store: the catalog read from catalog_products (embedded PGlite), rates from
  // fx_rates, both versions loaded by id — what `vortex rules preview` does.
  const db = await openPglite();
  try {
    await migrate(db);
    await db.query(`INSERT INTO tenants (id, name) VALUES ('bench', 'Bench')`);
    await new FxRateRepository(db).store(parseBnr(xml).rates, 'fixture');
    await db.transaction(async (tx) => {
      for (const it of items) await putCatalogProduct(tx, 'bench', (it.input as CatalogInput).product, JSON.stringify(it.input.article));
    });
    const engine = new MappingEngine(db);
    const v1 = await engine.rules.createDraft('bench', 'catalog', DEFAULT_CATALOG_RULES, { actor: 'bench' });
    await engine.rules.validate('bench', v1.id, 'bench');
    await engine.rules.activate('bench', v1.id, { actor: 'bench', reason: 'bench' });
    const v2 = await engine.rules.createDraft('bench', 'catalog', draftDoc, { actor: 'bench' });
    const t1 = process.hrtime.bigint();
    const stored = await loadCatalogItems(db, 'bench', '2026-08-25', { includeArchived: true });
    const t2 = process.hrtime.bigint();
    const r2 = await engine.previewVersion('bench', v2.id, stored);
    const t3 = process.hrtime.bigint();
    console.log(
      `preview through the store (PGlite): read ${stored.length.toLocaleString('en')} stored products ${(Number(t2 - t1) / 1e6).toFixed(0)} ms + evaluate/diff ${(Number(t3 - t2) / 1e6).toFixed(0)} ms` +
        ` — ${r2.summary.changed} changed`,
    );
    // One engine.evaluate per item: includes the active-version check (one primary-key query) per call.
    const some = stored.slice(0, 2000);
    await engine.evaluate('bench', 'catalog', some[0]!.input);
    const t4 = process.hrtime.bigint();
    for (const it of some) await engine.evaluate('bench', 'catalog', it.input);
    const perCall = Number(process.hrtime.bigint() - t4) / 1e6 / some.length;
    const t5 = process.hrtime.bigint();
    await engine.evaluateMany('bench', 'catalog', stored.map((x) => x.input));
    const many = Number(process.hrtime.bigint() - t5) / 1e6;
    console.log(`engine.evaluate one item at a time (active-version check each call, PGlite): ${perCall.toFixed(3)} ms/item; evaluateMany over ${stored.length.toLocaleString('en')} items: ${many.toFixed(0)} ms`);
  } finally {
    await db.close();
  }
}
