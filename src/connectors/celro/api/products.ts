import { ValidationError } from '../../../core/errors.ts';
import { Decimal } from '../../../core/decimal.ts';
import { CelroResponseError } from '../errors.ts';
import { JsonDecimal, jsonWithDecimals, type FormValue } from '../wire.ts';
import { MAX_PAGE, allPages, chunks, isObj, listOf, num, type Page } from './shape.ts';
import type { CelroCaller } from './transport.ts';

// Catalogue area of the Cel.ro API: categories, product import, stock and price, approval state.

/** One item of `import/importer`, in CEL's own field names; keys are sent in the order given. */
export interface CelroImportItem {
  readonly products_model: string;
  readonly products_name?: string;
  readonly products_description?: string;
  readonly manufacturers_name?: string;
  readonly manufacturer?: string;
  readonly categories_id?: number | string;
  /** Decimal string; VAT included when hasTVA = 1. */
  readonly pretf?: string;
  readonly stoc?: number;
  readonly hasTVA?: 0 | 1;
  readonly moneda?: 'RON' | 'EUR' | 'USD';
  readonly products_image?: string;
  readonly image?: readonly { readonly id?: number; readonly url: string }[];
  readonly charact?: Readonly<Record<string, FormValue>>;
  readonly caracteristici?: Readonly<Record<string, FormValue>>;
  readonly status?: 0 | 1;
  readonly overridePrice?: 0 | 1;
  readonly procesare_in?: number;
  readonly garantie?: number;
  readonly type?: 'insert' | 'update';
  readonly [extra: string]: FormValue;
}

export interface StockPriceUpdate {
  readonly model: string;
  readonly stock?: number;
  /** Decimal string, at most 2 decimals. */
  readonly price?: string;
  /** [U] fields below: documented in the SDK docblock, names by analogy with the importer. */
  readonly oldPrice?: string;
  readonly active?: boolean;
  readonly processingDays?: number;
  readonly overridePrice?: boolean;
}

/** Per-item outcome of a batch call: what the server accepted and what it refused, with its reason verbatim. */
export interface BatchResult {
  readonly accepted: readonly string[];
  readonly inserted: readonly string[];
  readonly rejected: readonly { readonly model: string; readonly reason: string }[];
  readonly raw: readonly unknown[];
}

export interface CelroProduct {
  readonly model: string;
  readonly name: string;
  readonly price: string | null;
  readonly stock: number | null;
  readonly active: boolean | null;
  readonly reason: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Approval state of one imported model (`import/productImportStatus`) [U: value names]. */
export interface CelroImportStatus {
  readonly model: string;
  readonly state: 'waiting' | 'approved' | 'rejected' | 'failed' | 'unknown';
  readonly reason: string | null;
  readonly raw: Record<string, unknown>;
}

export async function getSupplierCategories(t: CelroCaller): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('import/getSupplierCategories', [], 'read'), 'import/getSupplierCategories');
}

export async function getCategoryCharacteristics(t: CelroCaller, categoryId: number | string): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('products/getCategoryCharacteristics', [['categ_id', categoryId]], 'read'), 'products/getCategoryCharacteristics');
}

export async function listMandatoryCharacteristics(t: CelroCaller, categoryId: number | string): Promise<Record<string, unknown>[]> {
  return listOf(await t.form('products/listCategoryMandatoryCharacteristics', [['categ_id', categoryId]], 'read'), 'products/listCategoryMandatoryCharacteristics');
}

/** `import/importer` in batches of ≤ batchSize: full form for new products, short form for changes. */
export async function importProducts(t: CelroCaller, items: readonly CelroImportItem[], opts: { hasTVA?: boolean } = {}): Promise<BatchResult> {
  for (const it of items) {
    if (!it.products_model) throw new ValidationError('import item without products_model', [{ path: 'products_model', message: 'required' }], { item: it });
    if (it.pretf !== undefined) assertPrice(it.pretf, it.products_model);
  }
  const results: BatchResult[] = [];
  for (const batch of chunks(items, t.batchSize)) {
    const fields: [string, FormValue][] = [['products', batch as unknown as FormValue]];
    if (opts.hasTVA !== undefined) fields.push(['hasTVA', opts.hasTVA]);
    const m = await t.form('import/importer', fields, 'write');
    results.push(batchResult(m, batch.map((b) => b.products_model)));
  }
  return mergeResults(results);
}

/** `products/updateStockAndPrice`: the JSON list in one `products` field, as the SDK sends it. */
export async function updateStockAndPrice(t: CelroCaller, updates: readonly StockPriceUpdate[]): Promise<BatchResult> {
  const items = updates.map((u) => {
    if (!u.model) throw new ValidationError('stock/price update without model', [{ path: 'model', message: 'required' }], { update: u });
    if (u.stock !== undefined && (!Number.isInteger(u.stock) || u.stock < 0)) throw new ValidationError(`stock for ${u.model} must be a non-negative integer`, [{ path: 'stock', message: String(u.stock) }]);
    const o: Record<string, unknown> = { products_model: u.model };
    if (u.stock !== undefined) o.stoc = u.stock;
    if (u.price !== undefined) o.pretf = new JsonDecimal(assertPrice(u.price, u.model));
    if (u.oldPrice !== undefined) o.pret_vechi = new JsonDecimal(assertPrice(u.oldPrice, u.model));
    if (u.active !== undefined) o.status = u.active ? 1 : 0;
    if (u.processingDays !== undefined) o.procesare_in = u.processingDays;
    if (u.overridePrice) o.overridePrice = 1;
    return o;
  });
  const results: BatchResult[] = [];
  for (const batch of chunks(items, t.batchSize)) {
    const m = await t.form('products/updateStockAndPrice', [['products', jsonWithDecimals(batch)]], 'write');
    results.push(batchResult(m, batch.map((b) => b.products_model as string)));
  }
  return mergeResults(results);
}

export async function updateStatus(t: CelroCaller, model: string, active: boolean): Promise<unknown> {
  return t.form('products/updateStatus', [['model', model], ['status', active ? 1 : 0]], 'write');
}

/** One page of `products/readProducts` (≤ 50). */
export async function readProducts(t: CelroCaller, q: { start?: number; limit?: number; models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<Page<CelroProduct>> {
  if (q.models && q.models.length > 50) throw new ValidationError('readProducts: at most 50 models per filter', [{ path: 'models', message: `${q.models.length}` }]);
  const start = q.start ?? 0;
  const limit = Math.min(q.limit ?? MAX_PAGE, MAX_PAGE);
  const filters: Record<string, FormValue> = {};
  if (q.models?.length) filters.products_model = [...q.models];
  if (q.status?.length) filters.status = [...q.status];
  if (q.categories?.length) filters.categories_id = [...q.categories];
  const fields: [string, FormValue][] = [['start', start], ['limit', limit]];
  if (q.search) fields.push(['search', q.search]);
  fields.push(['forceCount', 1], ['orderByMostViewed', 0]);
  if (Object.keys(filters).length) fields.push(['filters', filters]);
  const m = await t.form('products/readProducts', fields, 'read');
  return productPage(m, start, limit, 'products/readProducts');
}

/** Every product matching the query, page after page. */
export async function readAllProducts(t: CelroCaller, q: { models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<CelroProduct[]> {
  return allPages((start) => readProducts(t, { ...q, start }));
}

export async function getWaitingProducts(t: CelroCaller, start = 0): Promise<Page<CelroProduct>> {
  return productPage(await t.form('products/getWaitingProducts', [['start', start]], 'read'), start, MAX_PAGE, 'products/getWaitingProducts');
}

export async function getRejectedProducts(t: CelroCaller, start = 0): Promise<Page<CelroProduct>> {
  return productPage(await t.form('products/getRejectedProducts', [['start', start]], 'read'), start, MAX_PAGE, 'products/getRejectedProducts');
}

export async function allWaitingProducts(t: CelroCaller): Promise<CelroProduct[]> {
  return allPages((s) => getWaitingProducts(t, s));
}

export async function allRejectedProducts(t: CelroCaller): Promise<CelroProduct[]> {
  return allPages((s) => getRejectedProducts(t, s));
}

/**
 * `import/productImportStatus`: the SDK sends `products` as JSON; its content is undocumented, so a
 * list of models is sent [U]. Without models CEL is asked about the last import (the simulator's reading).
 */
export async function getProductImportStatus(t: CelroCaller, models: readonly string[] = []): Promise<CelroImportStatus[]> {
  const route = 'import/productImportStatus';
  if (models.length === 0) return listOf(await t.form(route, [], 'read'), route).map(importStatus);
  const out: CelroImportStatus[] = [];
  for (const batch of chunks(models, t.batchSize)) out.push(...listOf(await t.form(route, [['products', JSON.stringify(batch)]], 'read'), route).map(importStatus));
  return out;
}

// -------------------------------------------------------------------- response shaping

function assertPrice(p: string, model: string): string {
  if (!/^\d+(\.\d{1,2})?$/.test(p) || new Decimal(p).lte(0)) throw new ValidationError(`price for ${model} must be a positive decimal with at most 2 decimals, got "${p}"`, [{ path: 'price', message: p }]);
  return new Decimal(p).toFixed();
}

/** Per-item results of importer/updateStockAndPrice [U: response shape undocumented; errors by model when present]. */
function batchResult(m: unknown, models: readonly string[]): BatchResult {
  const rejected: { model: string; reason: string }[] = [];
  let inserted: string[] = [];
  if (isObj(m)) {
    const errs = m.errors ?? m.erori;
    if (isObj(errs)) for (const [model, reason] of Object.entries(errs)) rejected.push({ model, reason: typeof reason === 'string' ? reason : JSON.stringify(reason) });
    else if (Array.isArray(errs)) for (const e of errs) if (isObj(e)) rejected.push({ model: String(e.products_model ?? e.model ?? ''), reason: String(e.motiv ?? e.message ?? e.error ?? JSON.stringify(e)) });
    if (Array.isArray(m.inserted)) inserted = m.inserted.map(String);
  }
  const refused = new Set(rejected.map((r) => r.model));
  return { accepted: models.filter((x) => !refused.has(x)), inserted, rejected, raw: [m] };
}

function mergeResults(rs: readonly BatchResult[]): BatchResult {
  return { accepted: rs.flatMap((r) => r.accepted), inserted: rs.flatMap((r) => r.inserted), rejected: rs.flatMap((r) => r.rejected), raw: rs.flatMap((r) => r.raw) };
}

function toProduct(r: Record<string, unknown>): CelroProduct | undefined {
  const model = r.products_model ?? r.model;
  if (typeof model !== 'string' && typeof model !== 'number') return undefined;
  const priceRaw = r.pretf ?? r.products_price ?? r.pret;
  const price = typeof priceRaw === 'number' ? new Decimal(String(priceRaw)).toFixed() : typeof priceRaw === 'string' && /^\d+(\.\d+)?$/.test(priceRaw.trim()) ? new Decimal(priceRaw.trim()).toFixed() : null;
  const status = num(r.status);
  return {
    model: String(model),
    name: String(r.products_name ?? r.name ?? ''),
    price,
    stock: num(r.stoc ?? r.products_quantity),
    active: status === null ? null : status === 1,
    reason: typeof r.motiv === 'string' && r.motiv !== '' ? r.motiv : null,
    raw: r,
  };
}

/** A product list page: `{data|list|products: [...], moreavailable, total}` or a bare array [U: exact keys]. */
function productPage(m: unknown, start: number, limit: number, route: string): Page<CelroProduct> {
  const rows = listOf(m, route);
  const items = rows.map(toProduct).filter((p): p is CelroProduct => p !== undefined);
  if (items.length !== rows.length) throw new CelroResponseError(route, 200, JSON.stringify(m).slice(0, 4000), 'a product without products_model');
  const more = isObj(m) && m.moreavailable !== undefined ? Number(m.moreavailable) === 1 : rows.length >= limit;
  const total = isObj(m) ? num(m.total ?? m.count ?? m.totalCount) : null;
  return { items, start, more, total };
}

function importStatus(r: Record<string, unknown>): CelroImportStatus {
  const states: Record<string, CelroImportStatus['state']> = { in_asteptare: 'waiting', waiting: 'waiting', aprobat: 'approved', approved: 'approved', respins: 'rejected', rejected: 'rejected', eroare: 'failed', error: 'failed' };
  const raw = typeof r.status === 'string' ? r.status.trim().toLowerCase() : '';
  const reason = typeof r.motiv === 'string' && r.motiv !== '' ? r.motiv : null;
  return { model: String(r.products_model ?? r.model ?? ''), state: Object.hasOwn(states, raw) ? states[raw]! : 'unknown', reason, raw: r };
}
