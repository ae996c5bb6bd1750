import { DEFAULT_CATALOG_RULES } from '../mapping/defaults.ts';

/**
 * The demo tenant's catalog rules: the shipped DE → RO defaults, plus what Cel.ro needs before it
 * accepts a new product and lexoffice cannot supply — a brand, a category and an image. A real merchant
 * fills these tables (or templates) in the rule editor; the demo uses one brand, the simulator's desk-lamp
 * category and image URLs built from the SKU.
 */
export function demoCatalogRules(opts: { brand?: string; categoryId?: number; categories?: Record<string, number>; imageBaseUrl?: string } = {}): unknown {
  const doc = structuredClone(DEFAULT_CATALOG_RULES) as unknown as {
    name: string;
    lookups: Record<string, Record<string, unknown>>;
    fields: Record<string, unknown>;
  };
  doc.name = 'Demo: default DE → RO catalog with brand, category and images';
  doc.lookups.brands = { ...doc.lookups.brands, default: opts.brand ?? 'Vortex Demo' };
  doc.lookups.categories = { ...doc.lookups.categories, entries: { ...(doc.lookups.categories?.entries as object), ...opts.categories }, default: opts.categoryId ?? 1234 };
  doc.fields.products_image = {
    description: 'Product photo URL built from the SKU (lexoffice keeps no images).',
    from: 'product.sku',
    pipeline: [{ op: 'template', template: `${opts.imageBaseUrl ?? 'https://images.vortex-demo.example'}/{value}.jpg` }],
  };
  return doc;
}
