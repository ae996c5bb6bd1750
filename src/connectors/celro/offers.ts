import { ValidationError } from '../../core/errors.ts';
import type { Offer } from '../../core/types.ts';
import type { CelroImportItem, StockPriceUpdate } from './client.ts';

/**
 * Canonical Offer → Cel.ro payloads. Prices go VAT-included with hasTVA=1 (research §4.3: never let
 * CEL apply its own VAT assumption), rounded half-up to bani.
 */
export interface ImportItemOptions {
  /** Image URLs; the first is `products_image` (mandatory for new products), the rest `image[]`. */
  readonly images?: readonly string[];
  /** [U] Which brand field the server reads: CEL's examples use manufacturers_name, the SDK wire sample manufacturer. */
  readonly brandField?: 'manufacturers_name' | 'manufacturer';
  readonly overridePrice?: boolean;
  readonly processingDays?: number;
}

function grossPrice(offer: Offer): string {
  if (offer.priceGross.currency !== 'RON' && offer.priceGross.currency !== 'EUR' && offer.priceGross.currency !== 'USD') {
    throw new ValidationError(`offer ${offer.sku}: Cel.ro takes RON, EUR or USD, not ${offer.priceGross.currency}`, [{ path: 'priceGross.currency', message: offer.priceGross.currency }]);
  }
  const p = offer.priceGross.round('half-up', 2);
  if (!p.amount.gt(0)) throw new ValidationError(`offer ${offer.sku}: price must be positive`, [{ path: 'priceGross', message: p.toString() }]);
  return p.amount.toFixed(2);
}

/** Full form of `import/importer` (new products or major changes). */
export function offerToImportItem(offer: Offer, opts: ImportItemOptions = {}): CelroImportItem {
  if (!Number.isInteger(offer.quantity) || offer.quantity < 0) throw new ValidationError(`offer ${offer.sku}: quantity must be a non-negative integer`, [{ path: 'quantity', message: String(offer.quantity) }]);
  const [main, ...more] = opts.images ?? [];
  const item: Record<string, unknown> = {
    products_model: offer.sku,
    products_name: offer.title,
    ...(offer.description ? { products_description: offer.description } : {}),
    ...(offer.brand ? { [opts.brandField ?? 'manufacturers_name']: offer.brand } : {}),
    ...(offer.categoryId ? { categories_id: offer.categoryId } : {}),
    pretf: grossPrice(offer),
    stoc: offer.quantity,
    hasTVA: 1,
    moneda: offer.priceGross.currency,
    status: offer.active ? 1 : 0,
    ...(main ? { products_image: main } : {}),
    ...(more.length ? { image: more.map((url) => ({ id: 0, url })) } : {}),
    ...(offer.attributes && Object.keys(offer.attributes).length ? { charact: { ...offer.attributes } } : {}),
    ...(opts.processingDays === undefined ? {} : { procesare_in: opts.processingDays }),
    ...(opts.overridePrice ? { overridePrice: 1 } : {}),
  };
  return item as CelroImportItem;
}

/** The frequent update: price and stock (and active flag) of an approved product. */
export function offerToStockPrice(offer: Offer, opts: { overridePrice?: boolean } = {}): StockPriceUpdate {
  return { model: offer.sku, stock: offer.quantity, price: grossPrice(offer), active: offer.active, ...(opts.overridePrice ? { overridePrice: true } : {}) };
}
