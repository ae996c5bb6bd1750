import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileRuleSet } from '../../src/mapping/compile.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'vortex-map-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const rates = path.join(root, 'test/fixtures/fx/bnr-10days-2026-08-24-synthetic.xml');

function vortex(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/vortex.js'), ...args], { env: { ...process.env, VORTEX_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const article = path.join(dir, 'article.json');
writeFileSync(
  article,
  '{"id":"eb46d328","title":"Lampe Nord","type":"PRODUCT","articleNumber":"LMP-1","unitName":"Stück","price":{"netPrice":9.93,"grossPrice":11.82,"leadingPrice":"NET","taxRate":19},"archived":false,"version":2}',
);

describe('vortex map / vortex rules default', () => {
  it('maps an article with the default rules and a BNR file, printing fields and lineage', async () => {
    const r = await vortex(['map', '--article', article, '--rates', rates, '--date', '2026-08-24']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { ok: boolean; fields: Record<string, unknown>; lineage: { fx: { rate: string; date: string }[]; inputHash: string } };
    assert.equal(out.ok, true);
    assert.equal(out.fields.pretf, '63.18');
    assert.deepEqual([out.lineage.fx[0]!.rate, out.lineage.fx[0]!.date], ['5.2581', '2026-08-21']);
    assert.match(out.lineage.inputHash, /^[0-9a-f]{64}$/);
  });

  it('exits non-zero with a readable reason: no rate within 7 days, bad article, bad rules file', async () => {
    const stale = await vortex(['map', '--article', article, '--rates', rates, '--date', '2026-09-10']);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /field "pretf", step 2 \(fx\): no BNR rate for EUR published before 2026-09-10 within 7 days/);
    const badArticle = path.join(dir, 'bad.json');
    writeFileSync(badArticle, '{"title": "x", "price": {"netPrice": "ten", "taxRate": 19}}');
    const bad = await vortex(['map', '--article', badArticle, '--rates', rates]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not a lexoffice article: \$\.price\.netPrice/);
    const badRules = path.join(dir, 'rules.json');
    writeFileSync(badRules, '{"schema":"vortex.rules/1","direction":"catalog","name":"x","fields":{"pretf":{"from":"product.netPrice.amount","pipeline":[{"op":"round","decimals":"two"}]}}}');
    const br = await vortex(['map', '--rules', badRules, '--article', article, '--rates', rates]);
    assert.equal(br.code, 1);
    assert.match(br.stderr, /\$\.fields\.pretf\.pipeline\[0\]\.decimals: /);
  });

  it('`rules default` prints documents that compile, for both directions', async () => {
    const cat = await vortex(['rules', 'default']);
    assert.equal(compileRuleSet(JSON.parse(cat.stdout)).direction, 'catalog');
    const ord = await vortex(['rules', 'default', '--direction', 'order']);
    assert.equal(compileRuleSet(JSON.parse(ord.stdout)).direction, 'order');
  });
});
