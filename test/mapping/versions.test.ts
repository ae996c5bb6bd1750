import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { parseBnr } from '../../src/connectors/fx/feeds.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../src/core/errors.ts';
import { FxRateRepository } from '../../src/fx/repository.ts';
import { putCatalogProduct, loadCatalogItems } from '../../src/mapping/catalog-source.ts';
import { DEFAULT_CATALOG_RULES } from '../../src/mapping/defaults.ts';
import { MappingEngine } from '../../src/mapping/engine.ts';
import { catalogInput, productFromLexofficeArticle } from '../../src/mapping/inputs.ts';
import { parseJsonLossless } from '../../src/mapping/json.ts';
import { RuleSetRepository } from '../../src/mapping/versions.ts';
import type { Db } from '../../src/store/db.ts';
import { storeVariants } from '../helpers/stores.ts';

const B = readFileSync(new URL('../fixtures/fx/bnr-10days-2026-08-24-synthetic.xml', import.meta.url), 'utf8');

/** The default rule set with a 5 % markup before rounding: a second, different version. */
function withMarkup(percent: string): unknown {
  const doc = structuredClone(DEFAULT_CATALOG_RULES) as unknown as { name: string; fields: { pretf: { pipeline: unknown[] } } };
  doc.name = `Default + ${percent} % markup`;
  doc.fields.pretf.pipeline.splice(3, 0, { op: 'markup', percent });
  return doc;
}

function article(sku: string, net: string, taxRate = 19): { raw: string; value: unknown } {
  const raw = `{"id":"id-${sku}","title":"Item ${sku}","type":"PRODUCT","articleNumber":"${sku}","unitName":"Stück","price":{"netPrice":${net},"leadingPrice":"NET","taxRate":${taxRate}},"archived":false,"version":1}`;
  return { raw, value: parseJsonLossless(raw) };
}

const tenant = 'shop-a';
const actor = 'test:ops';

for (const variant of await storeVariants()) {
  describe(`rule-set versions and the engine (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db & { url?: string };
    before(async () => {
      db = await variant.open();
      await db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Shop A')`, [tenant]);
      await new FxRateRepository(db).store(parseBnr(B).rates, 'fixture B');
    });
    after(async () => db?.close());

    it('refuses an invalid document with JSON paths, and a document for the other direction', async () => {
      const rules = new RuleSetRepository(db);
      const bad = structuredClone(DEFAULT_CATALOG_RULES) as unknown as Record<string, unknown> & { fields: Record<string, { pipeline?: unknown[] }> };
      bad.fields.pretf!.pipeline![3] = { op: 'round', decimals: 2, mode: 'nearest' };
      bad.fields.hasTVA!.pipeline = [{ op: 'lookup', table: 'nope' }];
      await assert.rejects(rules.createDraft(tenant, 'catalog', bad, { actor }), (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        const paths = e.issues.map((i) => i.path);
        assert.ok(paths.includes('$.fields.pretf.pipeline[3].mode'), paths.join());
        return true;
      });
      bad.fields.pretf!.pipeline![3] = { op: 'round', decimals: 2 };
      await assert.rejects(rules.createDraft(tenant, 'catalog', bad, { actor }), /\$\.fields\.hasTVA\.pipeline\[0\]\.table: lookup table "nope" is not defined/);
      await assert.rejects(rules.createDraft(tenant, 'order', DEFAULT_CATALOG_RULES, { actor }), /for direction "catalog", not "order"/);
      await assert.rejects(rules.createDraft(tenant, 'catalog', '{"schema": "vortex.rules/1", ', { actor }), /rule set document: /);
      await assert.rejects(rules.createDraft('nobody', 'catalog', DEFAULT_CATALOG_RULES, { actor }), NotFoundError);
    });

    it('activate, evaluate, roll back, evaluate — each result names the right version', async () => {
      const engine = new MappingEngine(db);
      const rules = engine.rules;
      await assert.rejects(engine.evaluate(tenant, 'catalog', { product: productFromLexofficeArticle(article('A', '10.00').value), date: '2026-08-22' }), /no active catalog rule set/);
      const v1 = await rules.createDraft(tenant, 'catalog', JSON.stringify(DEFAULT_CATALOG_RULES), { actor, note: 'defaults' });
      assert.equal(v1.status, 'draft');
      assert.equal(v1.version, 1);
      await assert.rejects(rules.activate(tenant, v1.id, { actor, reason: 'go' }), ConflictError); // drafts cannot be activated
      assert.equal((await rules.validate(tenant, v1.id, actor)).status, 'validated');
      const a1 = await rules.activate(tenant, v1.id, { actor, reason: 'first go-live' });
      assert.equal(a1.previousVersionId, null);

      const a = article('A', '10.00');
      const input = catalogInput(productFromLexofficeArticle(a.value), a.value, '2026-08-22');
      const r1 = await engine.evaluate(tenant, 'catalog', input);
      assert.ok(r1.ok);
      assert.equal(r1.fields.pretf, '63.62');
      assert.equal(r1.lineage.ruleSetVersionId, v1.id);
      assert.equal(r1.lineage.ruleSetVersion, 1);

      const v2 = await rules.createDraft(tenant, 'catalog', withMarkup('5'), { actor });
      await rules.validate(tenant, v2.id, actor);
      await rules.activate(tenant, v2.id, { actor, reason: 'add 5 % markup' });
      const r2 = await engine.evaluate(tenant, 'catalog', input);
      assert.ok(r2.ok);
      assert.equal(r2.fields.pretf, '66.80'); // 63.62301 × 1.05 = 66.8041605
      assert.equal(r2.lineage.ruleSetVersionId, v2.id);
      assert.equal(r2.lineage.inputHash, r1.lineage.inputHash);

      const rb = await rules.rollback(tenant, 'catalog', { actor, reason: 'markup too high' });
      assert.equal(rb.kind, 'rollback');
      assert.equal(rb.versionId, v1.id);
      assert.equal(rb.previousVersionId, v2.id);
      const r3 = await engine.evaluate(tenant, 'catalog', input);
      assert.ok(r3.ok);
      assert.equal(r3.fields.pretf, '63.62');
      assert.equal(r3.lineage.ruleSetVersionId, v1.id);
      assert.equal(engine.compiledCount, 2); // each version compiled once, reused after the rollback

      // rollback to any earlier version by id
      await rules.rollback(tenant, 'catalog', { actor, reason: 'back to markup', to: v2.id });
      assert.equal((await engine.evaluate(tenant, 'catalog', input)).lineage.ruleSetVersionId, v2.id);

      const hist = await rules.history(tenant, 'catalog');
      assert.deepEqual(
        hist.map((h) => [h.kind, h.versionId, h.previousVersionId, h.actor, h.reason]),
        [
          ['activate', v1.id, null, actor, 'first go-live'],
          ['activate', v2.id, v1.id, actor, 'add 5 % markup'],
          ['rollback', v1.id, v2.id, actor, 'markup too high'],
          ['rollback', v2.id, v1.id, actor, 'back to markup'],
        ],
      );
      const audit = await db.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1 AND action LIKE 'rules.%' ORDER BY id`, [tenant]);
      assert.deepEqual(
        audit.map((x) => x.action),
        ['rules.draft_created', 'rules.validated', 'rules.activated', 'rules.draft_created', 'rules.validated', 'rules.activated', 'rules.rolled_back', 'rules.rolled_back'],
      );
      const listed = await rules.list(tenant, 'catalog');
      assert.deepEqual(listed.map((v) => [v.version, v.status, v.active]), [
        [1, 'validated', false],
        [2, 'validated', true],
      ]);
      await assert.rejects(rules.activate(tenant, v2.id, { actor, reason: 'again' }), /already active/);
      await assert.rejects(rules.activate(tenant, v1.id, { actor, reason: '  ' }), /reason is required/);
    });

    it('stored versions are immutable in the database itself', async () => {
      const [v] = await new RuleSetRepository(db).list(tenant, 'catalog');
      await assert.rejects(db.query(`UPDATE rule_set_versions SET document = '{}' WHERE id = $1`, [v!.id]), /immutable/);
      await assert.rejects(db.query(`UPDATE rule_set_versions SET status = 'draft' WHERE id = $1`, [v!.id]), /cannot go back to draft/);
      await assert.rejects(db.query(`UPDATE fx_rates SET rate = '1' WHERE source = 'BNR'`), /append-only/);
    });

    it('evaluateMany: a failing item fails alone, the others proceed', async () => {
      const engine = new MappingEngine(db);
      const items = [article('OK1', '10.00'), article('BAD', '10.00', 22), article('OK2', '9.93')].map((a) => catalogInput(productFromLexofficeArticle(a.value), a.value, '2026-08-24'));
      const rs = await engine.evaluateMany(tenant, 'catalog', items);
      assert.deepEqual(rs.map((r) => r.ok), [true, false, true]);
      const bad = rs[1]!;
      assert.ok(!bad.ok);
      assert.match(bad.error.message, /"22" is not in lookup table "de-tax-class"/);
    });

    it('previews a draft over the stored catalog: before/after per SKU, changes, failures, the 10 % price guard', async () => {
      const rules = new RuleSetRepository(db);
      await rules.rollback(tenant, 'catalog', { actor, reason: 'baseline for preview' }); // back to v1 (defaults)
      for (const [sku, net, tax] of [['P1', '10.00', 19], ['P2', '9.93', 19], ['P3', '25.00', 7], ['P4', '5.00', 22]] as const) {
        const a = article(sku, net, tax);
        await putCatalogProduct(db, tenant, productFromLexofficeArticle(a.value), a.raw);
      }
      const items = await loadCatalogItems(db, tenant, '2026-08-22');
      assert.equal(items.length, 4);
      const draft = await rules.createDraft(tenant, 'catalog', withMarkup('12'), { actor });
      const report = await new MappingEngine(db).previewVersion(tenant, draft.id, items);
      assert.equal(report.candidateVersionId, draft.id);
      assert.ok(report.currentVersionId);
      const p1 = report.rows.find((r) => r.key === 'P1')!;
      assert.equal(p1.status, 'changed');
      assert.equal(p1.before!.pretf, '63.62');
      assert.equal(p1.after!.pretf, '71.26'); // 63.62301 × 1.12 = 71.2577712
      assert.deepEqual(p1.changes, [{ field: 'pretf', before: '63.62', after: '71.26' }]);
      assert.deepEqual(p1.price, { before: '63.62', after: '71.26', percent: '12.01', overGuard: true });
      const p4 = report.rows.find((r) => r.key === 'P4')!;
      assert.equal(p4.status, 'failed');
      assert.match(p4.error!, /"22" is not in lookup table/);
      assert.deepEqual(report.summary, {
        items: 4,
        changed: 3,
        unchanged: 0,
        new: 0,
        failed: 1,
        newlyFailing: 0,
        priceField: 'pretf',
        guardPercent: '10',
        priceChangesOverGuard: 3,
        changesByField: { pretf: 3 },
      });
      const small = await rules.createDraft(tenant, 'catalog', withMarkup('3'), { actor });
      const r2 = await new MappingEngine(db).previewVersion(tenant, small.id, items);
      assert.equal(r2.summary.priceChangesOverGuard, 0);
      assert.equal(r2.summary.changed, 3);
    });

    if (variant.name === 'postgres') {
      it('a second process picks up activations and rollbacks on its next evaluation, without restart', async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', new URL('./engine-child.ts', import.meta.url).pathname], {
          env: { ...process.env, CHILD_DATABASE_URL: db.url!, CHILD_TENANT: tenant },
          stdio: ['pipe', 'pipe', 'inherit'],
        });
        const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
        const ask = async (): Promise<{ versionId: number; pretf: string }> => {
          child.stdin!.write('eval\n');
          const { value } = await lines.next();
          return JSON.parse(String(value)) as { versionId: number; pretf: string };
        };
        try {
          const rules = new RuleSetRepository(db);
          const before = await ask();
          const v = await rules.createDraft(tenant, 'catalog', withMarkup('20'), { actor });
          await rules.validate(tenant, v.id, actor);
          await rules.activate(tenant, v.id, { actor, reason: 'cross-process test' });
          const afterActivate = await ask();
          assert.equal(afterActivate.versionId, v.id);
          assert.equal(afterActivate.pretf, '76.35'); // 63.62301 × 1.2 = 76.347612
          await rules.rollback(tenant, 'catalog', { actor, reason: 'undo' });
          const afterRollback = await ask();
          assert.equal(afterRollback.versionId, before.versionId);
          assert.equal(afterRollback.pretf, before.pretf);
        } finally {
          child.stdin!.end();
          await new Promise((r) => child.once('exit', r));
        }
      });
    }
  });
}
