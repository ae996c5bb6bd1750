import { Money } from '../core/money.ts';
import type { Product } from '../core/types.ts';
import type { Queryable } from '../store/db.ts';
import type { CatalogInput } from './inputs.ts';
import { parseJsonLossless, sha256 } from './json.ts';
import type { PreviewItem } from './preview.ts';

/**
 * The stored catalog (table catalog_products, migration 032) as preview items. The catalog sync fills
 * the table; `putCatalogProduct` is the one writer until then (tests, demo, CLI import).
 */
interface Row {
  sku: string;
  product: Record<string, unknown>;
  raw_article: string | null;
}

function money(v: unknown): Money | undefined {
  if (v && typeof v === 'object' && 'amount' in v && 'currency' in v) {
    const m = v as { amount: unknown; currency: unknown };
    if (typeof m.amount === 'string' && typeof m.currency === 'string') return Money.of(m.amount, m.currency);
  }
  return undefined;
}

/** Revive a stored canonical Product (Money as {amount, currency} strings). */
export function productFromStored(p: Record<string, unknown>): Product {
  const net = money(p.netPrice);
  const gross = money(p.grossPrice);
  const { netPrice: _n, grossPrice: _g, ...rest } = p;
  return { ...(rest as unknown as Product), ...(net ? { netPrice: net } : {}), ...(gross ? { grossPrice: gross } : {}) };
}

export async function loadCatalogItems(q: Queryable, tenantId: string, date: string, opts: { includeArchived?: boolean } = {}): Promise<PreviewItem[]> {
  const rows = await q.query<Row>(
    `SELECT sku, product, raw_article FROM catalog_products WHERE tenant_id = $1 AND ($2::boolean OR NOT archived) ORDER BY sku`,
    [tenantId, opts.includeArchived ?? false],
  );
  return rows.map((r) => {
    const input: CatalogInput = {
      product: productFromStored(r.product),
      ...(r.raw_article !== null ? { article: parseJsonLossless(r.raw_article, `stored article ${r.sku}`) } : {}),
      date,
    };
    return { key: r.sku, input };
  });
}

export async function putCatalogProduct(q: Queryable, tenantId: string, product: Product, rawArticle?: string): Promise<void> {
  await q.query(
    `INSERT INTO catalog_products (tenant_id, sku, source_id, product, raw_article, content_hash, archived, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, now())
     ON CONFLICT (tenant_id, sku) DO UPDATE SET source_id = EXCLUDED.source_id, product = EXCLUDED.product, raw_article = EXCLUDED.raw_article,
       content_hash = EXCLUDED.content_hash, archived = EXCLUDED.archived, updated_at = now()`,
    [tenantId, product.sku, product.source.id, JSON.stringify(product), rawArticle ?? null, rawArticle ? sha256(rawArticle) : null, product.archived],
  );
}
