import { CATEGORIES, CHARACTERISTICS } from '../data.ts';
import { asList, type FormObject } from '../form.ts';
import { phpArray } from '../http.ts';
import { SimError } from '../state.ts';
import { int, jsonField, page, paginate, type RouteContext, type Routes } from './context.ts';

// Catalogue: categories and characteristics, import/importer, stock and price, status, reads, approval.

export function productRoutes(ctx: RouteContext): Routes {
  const { state, config } = ctx;
  const waitingOrRejected = (f: FormObject, which: 'waiting' | 'rejected'): unknown => {
    const { start, limit } = page(f);
    const xs = [...state.products.values()].filter((p) => p.approval === which).sort((a, b) => a.submittedAt - b.submittedAt || a.model.localeCompare(b.model));
    const pg = paginate(xs, start, limit);
    return {
      limit: pg.limit,
      start: pg.start,
      moreavailable: pg.moreavailable,
      data: pg.items.map((p) => state.productRecord(p)),
    };
  };
  return {
    'import/getSupplierCategories': () => CATEGORIES,
    'products/getCategoryCharacteristics': (f) => CHARACTERISTICS[int(f, 'categ_id')] ?? [],
    'products/listCategoryMandatoryCharacteristics': (f) => (CHARACTERISTICS[int(f, 'categ_id')] ?? []).filter((c) => c.mandatory === 1),

    'import/importer': (f) => {
      const items = asList(f.products);
      if (!items || items.length === 0) throw new SimError('Nu au fost trimise produse (products[])');
      if (items.length > config.maxBatch) throw new SimError(`Maxim ${config.maxBatch} produse pe cerere`);
      const topHasTva = f.hasTVA === '1';
      const inserted: string[] = [];
      const updated: string[] = [];
      const errors: Record<string, string> = {};
      items.forEach((raw, i) => {
        const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        const model = typeof item.products_model === 'string' ? item.products_model : `#${i}`;
        try {
          (state.importItem(item, topHasTva) === 'inserted' ? inserted : updated).push(model);
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
          errors[model] = e.message;
        }
      });
      state.settle(); // with no approval delay, new products are live at once
      state.lastImport = { models: [...inserted, ...updated], errors };
      return { inserted, updated, errors: phpArray(errors) };
    },

    'products/updateStockAndPrice': (f) => {
      // The SDK sends a JSON string; a third-party client sends a bracket array and reports it works.
      const list = typeof f.products === 'string' ? jsonField(f, 'products', 'o lista') : asList(f.products);
      if (!Array.isArray(list) || list.length === 0) throw new SimError('Parametrul products trebuie sa fie o lista nevida');
      if (list.length > config.maxBatch) throw new SimError(`Maxim ${config.maxBatch} produse pe cerere`);
      const updated: string[] = [];
      const errors: Record<string, string> = {};
      list.forEach((raw, i) => {
        const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
        const model = typeof item.products_model === 'string' ? item.products_model : `#${i}`;
        try {
          state.updateStockAndPrice(item);
          updated.push(model);
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
          errors[model] = e.message;
        }
      });
      return { updated, errors: phpArray(errors) };
    },

    'products/updateStatus': (f) => {
      const model = typeof f.model === 'string' ? f.model : '';
      const p = state.products.get(model);
      if (!p) throw new SimError(`Produsul ${model} nu exista`);
      if (f.status !== '0' && f.status !== '1') throw new SimError('Status invalid (0 sau 1)');
      p.active = f.status === '1' ? 1 : 0;
      p.modifiedAt = new Date();
      return 'Statusul a fost actualizat';
    },

    'products/readProducts': (f) => {
      const { start, limit } = page(f);
      let filters: Record<string, unknown> = {};
      if (typeof f.filters === 'string' && f.filters !== '') {
        // JSON (older examples) or the bracket form (SDK v2.2.0); json_encode([]) / null = no filters.
        const v = jsonField(f, 'filters', 'un obiect');
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) filters = v as Record<string, unknown>;
        else if (!(v === null || (Array.isArray(v) && v.length === 0))) throw new SimError('Parametrul filters trebuie sa fie un obiect');
      } else if (typeof f.filters === 'object') filters = f.filters;
      const models = filters.products_model === undefined ? undefined : (asList(filters.products_model) ?? [filters.products_model]).map(String);
      if (models && models.length > 50) throw new SimError('Filtrul products_model accepta maxim 50 de modele');
      const statuses = filters.status === undefined ? undefined : (asList(filters.status) ?? [filters.status]).map(String);
      const categories = filters.categories_id === undefined ? undefined : (asList(filters.categories_id) ?? [filters.categories_id]).map(String);
      const words = [typeof f.search === 'string' ? f.search : '', typeof filters.keyword === 'string' ? filters.keyword : ''].join(' ').toLowerCase().split(/\s+/).filter(Boolean);
      const all = [...state.products.values()]
        .filter((p) => p.approval === 'approved')
        .filter((p) => !models || models.includes(p.model))
        .filter((p) => !statuses || statuses.includes(String(p.active)))
        .filter((p) => !categories || categories.includes(String(p.categoryId)))
        .filter((p) => words.every((w) => `${p.name} ${p.model}`.toLowerCase().includes(w)))
        .sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime() || a.model.localeCompare(b.model));
      const pg = paginate(all, start, limit);
      return { limit: pg.limit, start: pg.start, moreavailable: pg.moreavailable, ...(f.forceCount === '1' ? { total: all.length } : {}), data: pg.items.map((p) => state.productRecord(p)) };
    },

    /**
     * [U] Answer shape: one entry per model with the approval state (`in_asteptare`, `aprobat`,
     * `respins`, `eroare` when the last import refused it, `inexistent`). The SDK sends `products`
     * as JSON; its content is undocumented, so a list of models or of {products_model} is taken.
     * Without `products` the models of the last import/importer call are reported.
     */
    'import/productImportStatus': (f) => {
      let models: string[];
      if (f.products === undefined || f.products === '') {
        if (!state.lastImport) throw new SimError('Nu exista niciun import recent; trimiteti products (lista de modele)');
        models = [...state.lastImport.models, ...Object.keys(state.lastImport.errors)];
      } else {
        const list = typeof f.products === 'string' ? jsonField(f, 'products', 'o lista de modele') : asList(f.products);
        if (!Array.isArray(list) || list.length === 0) throw new SimError('Parametrul products trebuie sa fie o lista nevida de modele');
        if (list.length > config.maxBatch) throw new SimError(`Maxim ${config.maxBatch} produse pe cerere`);
        models = list.map((x) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>).products_model : x)).map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x).trim() : ''));
        if (models.some((m) => m === '')) throw new SimError('Fiecare element din products trebuie sa fie un model (products_model)');
      }
      const stateName = { waiting: 'in_asteptare', approved: 'aprobat', rejected: 'respins' } as const;
      return models.map((model) => {
        const p = state.products.get(model);
        const err = state.lastImport && Object.hasOwn(state.lastImport.errors, model) ? state.lastImport.errors[model] : undefined;
        // A refused item leaves the product as it was; the refusal is what the seller needs to see.
        if (err !== undefined) return { products_model: model, status: 'eroare', motiv: err, live: p && p.approval === 'approved' && p.active === 1 ? 1 : 0 };
        if (!p) return { products_model: model, status: 'inexistent', motiv: '', live: 0 };
        return { products_model: model, status: stateName[p.approval], motiv: p.reason, live: p.approval === 'approved' && p.active === 1 ? 1 : 0 };
      });
    },

    'products/getWaitingProducts': (f) => waitingOrRejected(f, 'waiting'),
    'products/getRejectedProducts': (f) => waitingOrRejected(f, 'rejected'),
  };
}
