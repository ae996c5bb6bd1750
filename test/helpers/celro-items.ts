import type { CelroImportItem } from '../../src/connectors/celro/index.ts';

/** A complete Cel.ro import item (every field the simulator checks) for a model at a price. */
export const importItem = (model: string, price: string, stock = 5): CelroImportItem => ({
  products_model: model,
  products_name: `Produs ${model}`,
  products_description: 'Descriere',
  manufacturers_name: 'Vortex',
  categories_id: 1234,
  pretf: price,
  stoc: stock,
  hasTVA: 1,
  products_image: `https://example.invalid/${model}.jpg`,
});
