import { productFromLexofficeArticle } from '../mapping/inputs.ts';
import { sha256 } from '../mapping/json.ts';
import type { SyncStepContext } from '../sync/run-sync.ts';
import { ValidationError } from '../core/errors.ts';
import { type ArticleSource, isQuarantinedArticle } from './ports.ts';

const STEP = 'catalog.pull';
const WRITE_BATCH = 200;

/**
 * Pull every lexoffice article (streamed page by page), store the canonical product with a content
 * hash, and write only what changed. Articles gone from lexoffice are marked archived — but only after
 * the whole listing was read, so a failed pull never archives the catalog. `onStored` hears about each
 * committed batch (the publish starts on it while the next pages are still being fetched).
 */
export async function pullArticles(ctx: SyncStepContext, source: ArticleSource, onStored?: (skus: readonly string[]) => void): Promise<void> {
  const known = new Map(
    (await ctx.db.query<{ sku: string; content_hash: string | null; archived: boolean }>('SELECT sku, content_hash, archived FROM catalog_products WHERE tenant_id = $1', [ctx.tenantId])).map((r) => [
      r.sku,
      r,
    ]),
  );
  const seen = new Set<string>();
  let batch: Array<{ sku: string; sourceId: string; product: string; raw: string; hash: string; archived: boolean }> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await ctx.db.transaction(async (tx) => {
      for (const r of rows) {
        await tx.query(
          `INSERT INTO catalog_products (tenant_id, sku, source_id, product, raw_article, content_hash, archived, updated_at)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, now())
           ON CONFLICT (tenant_id, sku) DO UPDATE SET source_id = EXCLUDED.source_id, product = EXCLUDED.product, raw_article = EXCLUDED.raw_article,
             content_hash = EXCLUDED.content_hash, archived = EXCLUDED.archived, updated_at = now()`,
          [ctx.tenantId, r.sku, r.sourceId, r.product, r.raw, r.hash, r.archived],
        );
      }
    });
    onStored?.(rows.map((r) => r.sku));
  };

  for await (const article of source.iterateArticles()) {
    ctx.run.count(STEP, 'read');
    if (isQuarantinedArticle(article)) {
      // Unusable row: visible in the run with payload and reason; its last good state (if any) stays as it
      // is — an article that could not be read this time is not an article that was deleted.
      if (article.key !== null) seen.add(article.key);
      await ctx.run.failure(STEP, article.key, new ValidationError(article.reason, article.issues), { article: article.raw });
      continue;
    }
    // Unchanged articles (the usual case) cost a hash: no validation, no write.
    const raw = JSON.stringify(article);
    const hash = sha256(raw);
    const key = articleKey(article);
    if (key !== null && !seen.has(key) && known.get(key)?.content_hash === hash) {
      seen.add(key);
      continue;
    }
    let product;
    try {
      product = productFromLexofficeArticle(article);
    } catch (e) {
      if (key !== null) seen.add(key); // not archived for a failed read (see above)
      await ctx.run.failure(STEP, key, e, { article });
      continue;
    }
    if (seen.has(product.sku)) {
      await ctx.run.failure(STEP, product.sku, new Error(`two lexoffice articles share the article number ${product.sku}; the second was ignored`), { article });
      continue;
    }
    seen.add(product.sku);
    ctx.run.count(STEP, 'changed');
    batch.push({ sku: product.sku, sourceId: product.source.id, product: JSON.stringify(product), raw, hash, archived: product.archived });
    if (batch.length >= WRITE_BATCH) await flush();
  }
  await flush();

  // Deleted in lexoffice (absent from a complete listing): keep the row, mark it archived.
  const gone = [...known.values()].filter((k) => !seen.has(k.sku) && !k.archived).map((k) => k.sku);
  if (gone.length) {
    await ctx.db.query(
      `UPDATE catalog_products SET archived = true, product = jsonb_set(product, '{archived}', 'true'::jsonb), content_hash = NULL, updated_at = now()
       WHERE tenant_id = $1 AND sku = ANY($2::text[])`,
      [ctx.tenantId, gone],
    );
    ctx.run.count(STEP, 'removed', gone.length);
  }
}

/** The SKU the canonical product will get (articleNumber, else the id) — same rule as the mapper. */
function articleKey(article: unknown): string | null {
  if (article && typeof article === 'object') {
    const a = article as { articleNumber?: unknown; id?: unknown };
    if (typeof a.articleNumber === 'string' && a.articleNumber) return a.articleNumber;
    if (typeof a.id === 'string' && a.id) return a.id;
  }
  return null;
}
