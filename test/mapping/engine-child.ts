// A separate process for the cross-process test in versions.test.ts: evaluates one article with the
// tenant's active catalog rule set each time it reads a line, prints {versionId, pretf}.
import { createInterface } from 'node:readline';
import { MappingEngine } from '../../src/mapping/engine.ts';
import { catalogInput, productFromLexofficeArticle } from '../../src/mapping/inputs.ts';
import { parseJsonLossless } from '../../src/mapping/json.ts';
import { openPostgres } from '../../src/store/postgres.ts';

const db = await openPostgres({ url: process.env.CHILD_DATABASE_URL!, poolMax: 2 });
const engine = new MappingEngine(db);
const raw = parseJsonLossless('{"id":"x","title":"Item","articleNumber":"X-1","price":{"netPrice":10.00,"leadingPrice":"NET","taxRate":19}}');
const input = catalogInput(productFromLexofficeArticle(raw), raw, '2026-08-22');
for await (const _line of createInterface({ input: process.stdin })) {
  const r = await engine.evaluate(process.env.CHILD_TENANT!, 'catalog', input);
  process.stdout.write(`${JSON.stringify({ versionId: r.lineage.ruleSetVersionId, pretf: r.ok ? r.fields.pretf : r.error.message })}\n`);
}
await db.close();
