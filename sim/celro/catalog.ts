import { createHash } from 'node:crypto';
import { Decimal } from '../../src/core/decimal.ts';
import { CATEGORIES, CHARACTERISTICS, celDateTime } from './data.ts';
import { SimError, type Rules, type SimProduct } from './model.ts';

/** [U] currency ids of the read responses (`moneda` is an id there, a code on import). */
const CURRENCY_IDS: Record<string, number> = { RON: 1, EUR: 2, USD: 3 };

/** Characteristics keyed by id, each a list of values, as the wiki shows them in read responses. */
function charactById(categoryId: number, charact: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof charact !== 'object' || charact === null) return out;
  for (const [k, v] of Object.entries(charact as Record<string, unknown>)) {
    const name = k.replace(/:$/, '');
    const id = CHARACTERISTICS[categoryId]?.find((c) => c.name === name || String(c.id) === name)?.id ?? name;
    const values = typeof v === 'object' && v !== null ? Object.values(v as Record<string, unknown>) : [v];
    out[String(id)] = values.map(String);
  }
  return out;
}

/** Importer fields kept only to be shown back in product lists. */
const EXTRA_FIELDS = ['garantie', 'garantie_pj', 'products_weight', 'import_code'] as const;

/**
 * The simulated catalogue: products, their approval, the price guard, and how the API shows them.
 * SimState (orders, AWBs, invoices, the account) builds on it, since orders take stock from it.
 */
export class SimCatalog {
  products = new Map<string, SimProduct>();
  /** The last import/importer call, for import/productImportStatus without `products`. */
  lastImport: { models: string[]; errors: Record<string, string> } | null = null;

  constructor(
    readonly rules: Rules,
    protected readonly now: () => number = Date.now,
  ) {}

  /** Settle approvals whose delay has passed (CEL test accounts: price ≤ 5000 approved, above rejected). */
  settle(force = false): void {
    const now = this.now();
    for (const p of this.products.values()) {
      if (p.approval !== 'waiting' || (!force && now - p.submittedAt < this.rules.approvalDelayMs)) continue;
      if (new Decimal(p.price).lte(this.rules.approvalPriceLimit)) {
        p.approval = 'approved';
        p.reason = '';
      } else {
        p.approval = 'rejected';
        p.reason = `Produs respins: pretul depaseste ${this.rules.approvalPriceLimit} lei (regula conturilor de test)`;
      }
      p.modifiedAt = new Date(now);
    }
  }

  private guardPrice(p: SimProduct, newPrice: string, override: boolean): void {
    if (override || p.approval !== 'approved') return;
    const old = new Decimal(p.price);
    if (old.isZero()) return;
    const change = new Decimal(newPrice).minus(old).abs().div(old).times(100);
    if (change.gt(this.rules.priceGuardPercent)) {
      throw new SimError(
        `Pretul produsului ${p.model} difera cu mai mult de ${this.rules.priceGuardPercent}% fata de pretul actual (${old.toFixed(2)} -> ${newPrice}). Trimiteti overridePrice=1 pentru a confirma.`,
      );
    }
  }

  /** import/importer, one item: full form creates (waiting for approval), short form changes. */
  importItem(raw: Record<string, unknown>, topHasTva: boolean): 'inserted' | 'updated' {
    const s = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : undefined);
    const model = s('products_model');
    if (!model) throw new SimError('Campul products_model este obligatoriu');
    const price = s('pretf');
    const stock = s('stoc');
    if (price === undefined && stock === undefined) throw new SimError(`Produsul ${model}: trimiteti cel putin pretf sau stoc`);
    if (price !== undefined && !/^\d+(\.\d+)?$/.test(price)) throw new SimError(`Produsul ${model}: pretf invalid (${price})`);
    if (stock !== undefined && !/^\d+$/.test(stock)) throw new SimError(`Produsul ${model}: stoc invalid (${stock})`);
    const override = s('overridePrice') === '1';
    const hasTva = topHasTva || s('hasTVA') === '1';
    const now = new Date(this.now());
    const existing = this.products.get(model);
    const brand = s('manufacturers_name') ?? s('manufacturer');
    const images: string[] = [];
    const main = s('products_image');
    if (main) images.push(main);
    const imgList = raw.image;
    if (imgList && typeof imgList === 'object') {
      for (const v of Object.values(imgList as Record<string, unknown>)) {
        const url = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).url : v;
        if (typeof url === 'string' && url) images.push(url);
      }
    }
    if (!existing) {
      const missing = [
        ['products_name', s('products_name')],
        ['manufacturers_name', brand],
        ['categories_id', s('categories_id')],
        ['products_image', images[0]],
      ]
        .filter(([, v]) => !v)
        .map(([k]) => k);
      if (missing.length) throw new SimError(`Produs nou ${model}: lipsesc campurile obligatorii ${missing.join(', ')}`);
      const categoryId = Number(s('categories_id'));
      if (!CATEGORIES.some((c) => c.categories_id === categoryId)) throw new SimError(`Produs nou ${model}: categoria ${categoryId} nu este permisa`);
      if (price === undefined) throw new SimError(`Produs nou ${model}: pretf este obligatoriu`);
      this.products.set(model, {
        model,
        name: s('products_name')!,
        description: s('products_description') ?? '',
        brand: brand!,
        categoryId,
        price: new Decimal(price).toFixed(2),
        priceIncludesVat: hasTva,
        currency: s('moneda') ?? 'RON',
        stock: stock === undefined ? 0 : Number(stock),
        active: s('status') === '0' ? 0 : 1,
        images,
        charact: raw.charact ?? raw.caracteristici ?? {},
        processingDays: s('procesare_in') ?? '',
        oldPrice: s('pret_vechi') ?? '',
        extra: Object.fromEntries(EXTRA_FIELDS.filter((k) => s(k) !== undefined).map((k) => [k, s(k)])),
        approval: 'waiting',
        reason: '',
        submittedAt: now.getTime(),
        addedAt: now,
        modifiedAt: now,
      });
      return 'inserted';
    }
    if (price !== undefined) this.guardPrice(existing, price, override);
    // A product still waiting or rejected is replaced by what is sent and goes back to the queue.
    if (existing.approval !== 'approved') {
      existing.approval = 'waiting';
      existing.reason = '';
      existing.submittedAt = now.getTime();
    }
    if (price !== undefined) existing.price = new Decimal(price).toFixed(2);
    if (stock !== undefined) existing.stock = Number(stock);
    if (s('products_name')) existing.name = s('products_name')!;
    if (s('products_description') !== undefined) existing.description = s('products_description')!;
    if (brand) existing.brand = brand;
    if (s('categories_id')) existing.categoryId = Number(s('categories_id'));
    if (images.length) existing.images = images;
    if (s('status') !== undefined) existing.active = s('status') === '0' ? 0 : 1;
    if (s('procesare_in') !== undefined) existing.processingDays = s('procesare_in')!;
    if (s('pret_vechi') !== undefined) existing.oldPrice = s('pret_vechi')!;
    if (raw.charact ?? raw.caracteristici) existing.charact = raw.charact ?? raw.caracteristici;
    for (const k of EXTRA_FIELDS) if (s(k) !== undefined) existing.extra[k] = s(k);
    existing.priceIncludesVat = hasTva || (raw.hasTVA === undefined && !topHasTva && existing.priceIncludesVat);
    existing.modifiedAt = now;
    return 'updated';
  }

  /** products/updateStockAndPrice, one item (JSON values: numbers or strings). */
  updateStockAndPrice(raw: Record<string, unknown>): void {
    const str = (k: string): string | undefined => (raw[k] === undefined || raw[k] === null ? undefined : String(raw[k]).trim());
    const model = str('products_model');
    if (!model) throw new SimError('Campul products_model este obligatoriu');
    const p = this.products.get(model);
    if (!p) throw new SimError(`Produsul ${model} nu exista in contul dumneavoastra`);
    const price = str('pretf');
    const stock = str('stoc');
    if (price !== undefined && !/^\d+(\.\d+)?$/.test(price)) throw new SimError(`Produsul ${model}: pretf invalid (${price})`);
    if (stock !== undefined && !/^\d+$/.test(stock)) throw new SimError(`Produsul ${model}: stoc invalid (${stock})`);
    if (price !== undefined && this.rules.priceGuardOnStockAndPrice) this.guardPrice(p, price, str('overridePrice') === '1');
    if (price !== undefined) p.price = new Decimal(price).toFixed(2);
    if (stock !== undefined) p.stock = Number(stock);
    if (str('status') !== undefined) p.active = str('status') === '0' ? 0 : 1;
    if (str('pret_vechi') !== undefined) p.oldPrice = str('pret_vechi')!;
    if (str('procesare_in') !== undefined) p.processingDays = str('procesare_in')!;
    p.modifiedAt = new Date(this.now());
  }

  productView(p: SimProduct): Record<string, unknown> {
    return {
      products_model: p.model,
      products_name: p.name,
      products_description: p.description,
      manufacturers_name: p.brand,
      categories_id: p.categoryId,
      pretf: p.price,
      hasTVA: p.priceIncludesVat ? 1 : 0,
      moneda: p.currency,
      stoc: p.stock,
      status: p.active,
      products_image: p.images[0] ?? '',
      image: p.images.slice(1).map((url, i) => ({ id: i + 1, url })),
      procesare_in: p.processingDays,
      pret_vechi: p.oldPrice,
      live: p.approval === 'approved' && p.active === 1 ? 1 : 0,
      products_date_added: celDateTime(p.addedAt, this.rules.timeZone),
      products_last_modified: celDateTime(p.modifiedAt, this.rules.timeZone),
    };
  }

  /**
   * A product as the list endpoints return it. The keys are those the wiki documents for
   * getRejectedProducts/getWaitingProducts (research §4.5): description base64-encoded, `charact`
   * keyed by characteristic id, `moneda` as an id. Value types are [U]; prices are JSON numbers
   * (the `_id` key suggests a document store).
   */
  productRecord(p: SimProduct): Record<string, unknown> {
    const n = (k: string, d = 0): number => (p.extra[k] === undefined ? d : Number(p.extra[k]));
    const hash = createHash('sha1').update(p.model).digest('hex');
    const gross = new Decimal(p.price);
    const factor = new Decimal(this.rules.vatPercent).div(100).plus(1);
    const old = p.oldPrice ? new Decimal(p.oldPrice) : new Decimal(0);
    return {
      _id: hash.slice(0, 24),
      categories_id: p.categoryId,
      charact: charactById(p.categoryId, p.charact),
      family_id: 0,
      fid: 0,
      garantie: n('garantie', 24),
      garantie_pj: n('garantie_pj', 12),
      image: p.images.slice(1).map((url, i) => ({ id: i + 1, url })),
      live: p.approval === 'approved' && p.active === 1 ? 1 : 0,
      manufacturers_id: 1000 + (parseInt(createHash('sha1').update(p.brand).digest('hex').slice(0, 6), 16) % 9000),
      moneda: CURRENCY_IDS[p.currency] ?? 1,
      motiv: p.reason,
      pret_vechi: old.toNumber(),
      pret_vechi_fara_tva: old.div(factor).toDecimalPlaces(2).toNumber(),
      pretf: gross.toNumber(),
      pretlei: (p.priceIncludesVat ? gross : gross.times(factor)).toDecimalPlaces(2).toNumber(),
      procesare_in: p.processingDays === '' ? 0 : Number(p.processingDays),
      products_date_added: celDateTime(p.addedAt, this.rules.timeZone),
      products_date_updated: celDateTime(p.modifiedAt, this.rules.timeZone),
      products_description: Buffer.from(p.description).toString('base64'),
      products_image: p.images[0] ?? '',
      products_model: p.model,
      products_name: p.name,
      products_price: (p.priceIncludesVat ? gross.div(factor) : gross).toDecimalPlaces(2).toNumber(),
      products_weight: n('products_weight', 0),
      refused: p.approval === 'rejected' ? 1 : 0,
      status: p.active,
      stoc: p.stock,
      vendor_ext_id: typeof p.extra.import_code === 'string' ? p.extra.import_code : '',
      vizualizat: 0,
    };
  }
}
