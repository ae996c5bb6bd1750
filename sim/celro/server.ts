import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ACCOUNT_COURIERS, CANCEL_REASONS, CATEGORIES, CHARACTERISTICS, COURIERS, ORDER_STATUSES, PAYMENT_METHODS, PRODUCT_STATUSES, STATUS, celDateTime } from './data.ts';
import { asList, parsePhpForm, type FormObject } from './form.ts';
import { decodeOrderFilters, queryOrders, type SortDirection } from './orders-query.ts';
import { ACCOUNT_FIELDS, SimError, SimState, type Rules, type SimOrder } from './state.ts';

/**
 * Simulator of the Cel.ro seller API (research/celro.md, celro-sdk-wire.md): POST-only RPC under
 * /market_api/{method}/{action}/, form-encoded bodies (bracket arrays, JSON-in-a-field where the SDK
 * sends it), `AUTH: Bearer <token>`, the {error, tokenStatus, message} envelope, token expiry, a cap on
 * simultaneous connections per account, fault injection and admin routes under /_sim/.
 */

export type FaultKind = 'http500' | 'http503' | 'http429' | 'error' | 'slow' | 'expire-token' | 'non-json' | 'missing-fields' | 'reset';

export interface FaultRule {
  kind: FaultKind;
  /** "method/action" (e.g. "orders/getOrders"), a "method/*" prefix, or "*" (default). */
  match?: string;
  /** How many matching requests it affects; default 1; 0 = until cleared. */
  times?: number;
  /** Probability (0..1) that a matching request is affected (default 1): e.g. 0.2 with times 0 = 20 % of calls. */
  rate?: number;
  /** 'slow': extra latency. */
  delayMs?: number;
  /** 'error': envelope error code and message. */
  error?: number;
  message?: string;
}

/** How an expired or unknown token is answered (all three are signals the SDK re-logs in on). */
export type TokenSignal = 'http400' | 'tokenStatus0' | 'error302';

export interface CelroSimOptions {
  port?: number;
  host?: string;
  username?: string;
  password?: string;
  /** 'demo' (reference data only, the default), 'sample' (+60 products, 5 orders), anything else = empty with that RNG seed. */
  seed?: string;
  tokenTtlMs?: number;
  tokenSignal?: TokenSignal;
  maxConnections?: number;
  latencyMs?: number;
  approvalDelayMs?: number;
  priceGuardPercent?: number;
  priceGuardOnStockAndPrice?: boolean;
  readyRequiresAwb?: boolean;
  /** Max items in one import/importer or updateStockAndPrice call. */
  maxBatch?: number;
  /** [U] getOrders: is the order whose id equals min_order listed too? Default false ("greater than"). */
  minOrderInclusive?: boolean;
  /** getOrders sort with min_order: 'asc' as documented; 'desc' to prove clients cope with either. */
  minOrderSort?: SortDirection;
  faults?: FaultRule[];
  pushTimeoutMs?: number;
  logLimit?: number;
}

export interface LogEntry {
  at: string;
  method: string;
  path: string;
  account: string | null;
  fields: Record<string, unknown>;
  status: number;
  ms: number;
  fault?: FaultKind;
}

export interface PushRecord {
  at: string;
  url: string;
  type: number;
  value: string;
  status: number | null;
  error?: string;
}

export interface CelroSim {
  /** Base URL the client uses: http://127.0.0.1:<port>/market_api/ */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly state: SimState;
  readonly config: Required<Omit<CelroSimOptions, 'port' | 'host' | 'faults' | 'seed'>>;
  readonly stats: { inFlight: number; maxInFlight: number; refused: number; requests: number; logins: number };
  readonly log: LogEntry[];
  readonly pushes: PushRecord[];
  /** The method/action routes the simulator models (everything else answers an envelope error). */
  readonly routes: readonly string[];
  setFaults(rules: FaultRule[]): void;
  expireTokens(): void;
  /** A customer order (as the admin route does); fires the API-link push and waits for it. */
  placeOrder(input: Parameters<SimState['placeOrder']>[0]): Promise<{ order: Record<string, unknown>; push: PushRecord | null }>;
  resetStats(): void;
  close(): Promise<void>;
}

const METHODS = new Set(['home', 'products', 'orders', 'settings', 'import', 'login', 'campaign', 'admininfo', 'email', 'reports', 'commissions', 'coupons']);

class HttpReply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = 'application/json; charset=utf-8',
  ) {}
}

const envelope = (message: unknown, error = 0, tokenStatus = 1): string => JSON.stringify({ error, tokenStatus, message });

/** PHP json_encode writes an empty associative array as `[]`. */
const phpArray = (o: Record<string, unknown>): Record<string, unknown> | [] => (Object.keys(o).length === 0 ? [] : o);

/**
 * Calls of CEL's SDK (research §3.6) the simulator does not model. They answer a clear envelope
 * error naming the route instead of "does not exist", so a test or a demo knows what it hit.
 */
export const UNMODELLED_ROUTES: ReadonlySet<string> = new Set(
  [
    'home/getOrders',
    ...['getManufacturerID', 'addValuesToCharacteristic', 'saveProducts', 'addOfferToExistingProduct', 'updatePromotion', 'getLiveProductsFromCategory', 'getLiveProductsCategory', 'exportProducts', 'addBonus', 'getBonus', 'deleteBonus', 'getProductsFamilies', 'getProductsForFamily', 'addProductsFamily', 'addProductToFamily', 'removeProductFromFamily'].map((a) => `products/${a}`),
    ...['ListOrders', 'reactivateOrder', 'StornareComanda', 'ChangeOrderPaymentMethod', 'saveOrderData', 'addProductsToOrder', 'removeProductsFromOrder', 'changeOrderProductStatus', 'returProduct', 'addWeightToOrder', 'changeFinishingDate', 'makeOrderDisputed', 'updateSN', 'printOrder', 'finishOrderCombined', 'importAWB', 'setAwbInfo', 'downloadAwb', 'printAwb', 'importInvoice'].map((a) => `orders/${a}`),
    ...['getPrefix', 'addAccountCourier', 'getAffiliateAddresses', 'saveAffiliateAddress', 'getAffiliateContacts', 'saveAfiliateContact', 'getCountiesList', 'getCitiesList', 'listAddresses', 'editAddress', 'deleteAddress', 'getAffiliateData', 'checkMandatoryInfo', 'getContact', 'getNotifications', 'markAsSeen', 'markAllAsSeen', 'getTransportTax', 'updateTransportTax', 'insertTaxForAllCategories', 'updateDeliveryInformation', 'getDeliveryInformation', 'getImportHistory'].map((a) => `admininfo/${a}`),
    ...['notifyAWBRemoval', 'notifyInvoiceRemoval', 'getOrderEmailList', 'sendOrderEmail', 'downloadOrderEmailAttachment', 'getOrdersContacts', 'getOrderContact', 'GetProductEmails', 'AnswerProductEmail', 'GetServiceRequests', 'AnswerServiceRequest', 'GetReturnRequests', 'AnswerReturnRequests', 'sendBugReport'].map((a) => `email/${a}`),
  ],
);

export async function startCelroSim(opts: CelroSimOptions = {}): Promise<CelroSim> {
  const config = {
    username: opts.username ?? 'demo',
    password: opts.password ?? 'demo',
    tokenTtlMs: opts.tokenTtlMs ?? 3_600_000,
    tokenSignal: opts.tokenSignal ?? 'http400',
    maxConnections: opts.maxConnections ?? 10,
    latencyMs: opts.latencyMs ?? 0,
    approvalDelayMs: opts.approvalDelayMs ?? 0,
    priceGuardPercent: opts.priceGuardPercent ?? 10,
    priceGuardOnStockAndPrice: opts.priceGuardOnStockAndPrice ?? true,
    readyRequiresAwb: opts.readyRequiresAwb ?? false,
    maxBatch: opts.maxBatch ?? 50,
    minOrderInclusive: opts.minOrderInclusive ?? false,
    minOrderSort: opts.minOrderSort ?? ('asc' as SortDirection),
    pushTimeoutMs: opts.pushTimeoutMs ?? 5000,
    logLimit: opts.logLimit ?? 1000,
  };
  const rules: Rules = {
    get approvalDelayMs() {
      return config.approvalDelayMs;
    },
    approvalPriceLimit: '5000',
    get priceGuardPercent() {
      return config.priceGuardPercent;
    },
    get priceGuardOnStockAndPrice() {
      return config.priceGuardOnStockAndPrice;
    },
    get readyRequiresAwb() {
      return config.readyRequiresAwb;
    },
    vatPercent: '21',
    timeZone: 'Europe/Bucharest',
  };
  const state = new SimState(rules);
  state.reset(opts.seed ?? 'demo');
  const tokens = new Map<string, { username: string; expiresAt: number }>();
  let faults: (FaultRule & { left: number })[] = [];
  const setFaults = (rs: FaultRule[]): void => {
    faults = rs.map((r) => ({ ...r, left: r.times ?? 1 }));
  };
  setFaults(opts.faults ?? []);
  const stats = { inFlight: 0, maxInFlight: 0, refused: 0, requests: 0, logins: 0 };
  const inFlight = new Map<string, number>();
  const log: LogEntry[] = [];
  const pushes: PushRecord[] = [];
  const sockets = new Set<import('node:net').Socket>();

  /** Which fault a request got, for its log entry. */
  const appliedFault = new WeakMap<http.IncomingMessage, FaultKind>();
  const takeFault = (route: string): FaultRule | undefined => {
    for (const f of faults) {
      const m = f.match ?? '*';
      const hit = m === '*' || m === route || (m.endsWith('/*') && route.startsWith(m.slice(0, -1)));
      if (!hit || (f.times !== 0 && f.left <= 0)) continue;
      if (f.rate !== undefined && Math.random() >= f.rate) continue;
      f.left--;
      return f;
    }
    return undefined;
  };

  const tokenProblem = (): HttpReply => {
    switch (config.tokenSignal) {
      case 'http400':
        return new HttpReply(400, envelope('Token invalid sau expirat', 302, 0));
      case 'tokenStatus0':
        return new HttpReply(200, envelope('Token invalid sau expirat', 1, 0));
      case 'error302':
        return new HttpReply(200, envelope('Sesiune expirata, autentificati-va din nou', 302, 1));
    }
  };

  const firePush = async (type: number, value: unknown): Promise<PushRecord | null> => {
    const tpl = state.account.apiLink;
    if (!tpl) return null;
    const v = JSON.stringify(value);
    const url = tpl.replaceAll('$1$', String(type)).replaceAll('$2$', encodeURIComponent(v)).replaceAll('$3$', '');
    const rec: PushRecord = { at: new Date().toISOString(), url, type, value: v, status: null };
    try {
      const r = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(config.pushTimeoutMs) });
      rec.status = r.status;
      await r.arrayBuffer();
    } catch (e) {
      rec.error = (e as Error).message;
    }
    pushes.push(rec);
    return rec;
  };

  const orderSummary = (o: SimOrder): Record<string, unknown> => ({
    orders_id: o.id,
    id_comanda: o.id,
    date_purchased: celDateTime(o.placedAt),
    last_modified: celDateTime(o.lastChanged),
    orders_status: o.status,
    status_name: ORDER_STATUSES.find((s) => s.id === o.status)?.name ?? '',
    customers_name: o.customer.billing.firma || o.customer.name,
    mod_plata: o.payment,
    valoarecomanda: state.orderTotal(o).toFixed(2),
  });

  /**
   * `orders/getOrder`. Keys: the wiki page "Order data" (order level and the first line fields),
   * `products_model`/`products_quantity` from a live client, `products_price`/`tva`/
   * `deschidere_colet`/`status_livrare` from the line-edit example (research §5.2, §5.5).
   * `vouchers` is the simulator's assumption [U]. Value types are [U].
   */
  const orderDetail = (o: SimOrder): Record<string, unknown> => {
    const placed = celDateTime(o.placedAt);
    const finished = o.history.find((h) => h.status === STATUS.FINISHED);
    const line = (l: { lineId: number; model: string; name: string; quantity: number; unitPrice: string; vat: string }): Record<string, unknown> => ({
      id_prod_com: l.lineId,
      id_comanda: o.id,
      products_model: l.model,
      product_name: l.name,
      furnizor: state.account.fullName,
      disp_furnizor: 1,
      data_rezervarii: placed,
      data_comenzii: placed,
      cantitate: l.quantity,
      products_quantity: l.quantity,
      products_price: l.unitPrice,
      tva: l.vat,
      disponibilitate: 'In stoc',
      observatii: '',
      data_sosirii: placed,
      sosit: 1,
      deschidere_colet: 0,
      status_livrare: 0,
    });
    return {
      id_comanda: o.id,
      data: placed.slice(0, 10),
      ora: placed.slice(11),
      data_livrare: finished ? celDateTime(finished.at).slice(0, 10) : '',
      mod_plata: o.payment,
      observatii_cmd: o.notes,
      valoarecomanda: state.orderTotal(o).toFixed(2),
      nume_firma: o.customer.billing.firma || o.customer.name,
      billing_info: o.customer.billing,
      delivery_info: { ...o.customer.delivery, persoana_contact: o.customer.name },
      avans_confirmat: o.paid,
      platit: o.paid,
      status: { id: o.status, name: ORDER_STATUSES.find((s) => s.id === o.status)?.name ?? '' },
      mod_livrare: 'Curier',
      colete: 1,
      kg: 1,
      sambata: 0,
      id_adresa_afiliat: 1,
      source: 'cel.ro',
      customers: { name: o.customer.name, customer_company: o.customer.billing.firma },
      vouchers: o.vouchers,
      products: [
        ...o.lines.map(line),
        line({ lineId: 0, model: 'taxa_transport', name: 'Taxa transport', quantity: 1, unitPrice: o.shipping, vat: rules.vatPercent }),
      ],
    };
  };

  const int = (f: FormObject, k: string): number => {
    const v = f[k];
    if (typeof v !== 'string' || !/^\d+$/.test(v.trim())) throw new SimError(`Parametrul ${k} lipseste sau este invalid`);
    return Number(v);
  };
  const page = (f: FormObject, max = 50): { start: number; limit: number } => {
    const start = typeof f.start === 'string' && /^\d+$/.test(f.start) ? Number(f.start) : 0;
    let limit = typeof f.limit === 'string' && /^\d+$/.test(f.limit) ? Number(f.limit) : max;
    if (limit < 1 || limit > max) limit = max;
    return { start, limit };
  };
  const paginate = <T>(xs: T[], start: number, limit: number): { limit: number; start: number; moreavailable: 0 | 1; items: T[] } => ({
    limit,
    start,
    moreavailable: start + limit < xs.length ? 1 : 0,
    items: xs.slice(start, start + limit),
  });
  const jsonField = (f: FormObject, k: string, what: string): unknown => {
    const v = f[k];
    if (typeof v !== 'string') throw new SimError(`Parametrul ${k} trebuie sa fie ${what} (JSON)`);
    try {
      return JSON.parse(v);
    } catch {
      throw new SimError(`Parametrul ${k} nu este JSON valid`);
    }
  };

  type Handler = (f: FormObject, files: Map<string, Buffer>) => unknown | Promise<unknown>;
  const handlers: Record<string, Handler> = {
    'login/testLogin': (f) => (f.username === config.username && f.password === config.password ? 1 : 0),

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

    'orders/getOrderStatusList': () => ORDER_STATUSES.map((s) => ({ id: s.id, status: s.name })),
    'orders/ListStatuses': () => Object.fromEntries(ORDER_STATUSES.map((s) => [String(s.id), s.name])),
    'orders/listCancellingStatuses': () => CANCEL_REASONS,
    'orders/GetPaymentMethods': () => PAYMENT_METHODS,

    'orders/getOrders': (f) => {
      const { start, limit } = page(f);
      const filters = decodeOrderFilters(f);
      const list = queryOrders(state.orders.values(), state.invoices, filters, {
        minOrderInclusive: config.minOrderInclusive,
        minOrderSort: config.minOrderSort,
        timeZone: rules.timeZone,
      });
      if (filters.group_by_status === false || filters.group_by_status === 'false' || filters.group_by_status === 0 || filters.group_by_status === '0') {
        const pg = paginate(list, start, limit);
        return { limit: pg.limit, start: pg.start, moreavailable: pg.moreavailable, list: pg.items.map(orderSummary) };
      }
      const grouped: Record<string, unknown> = {};
      for (const s of ORDER_STATUSES) {
        const xs = list.filter((o) => o.status === s.id);
        if (!xs.length) continue;
        const pg = paginate(xs, start, limit);
        grouped[String(s.id)] = { limit: pg.limit, start: pg.start, moreavailable: pg.moreavailable, list: pg.items.map(orderSummary) };
      }
      return phpArray(grouped);
    },
    'orders/getOrder': (f) => orderDetail(state.getOrder(int(f, 'order'))),
    'orders/confirmOrder': (f) => {
      state.transition(int(f, 'order'), 'confirm');
      return 'Comanda a fost confirmata';
    },
    'orders/cancelOrder': (f) => {
      const id = int(f, 'order');
      const motiv = typeof f.motiv === 'string' && f.motiv !== '' && f.motiv !== '0' ? Number(f.motiv) : undefined;
      const obs = typeof f.observatii === 'string' ? f.observatii.trim() : '';
      if (motiv !== undefined && !CANCEL_REASONS.some((r) => r.id === motiv)) throw new SimError(`Motivul de anulare ${motiv} nu exista`);
      if (motiv === undefined && obs.length <= 4) throw new SimError('Specificati un motiv de anulare sau observatii (minim 5 caractere)');
      state.transition(id, 'cancel', { ...(motiv === undefined ? {} : { motiv }), ...(obs ? { observatii: obs } : {}) });
      return 'Comanda a fost anulata';
    },
    'orders/SetReadyForDelivery': (f) => {
      state.transition(int(f, 'orders_id'), 'ready');
      return 'Comanda a fost marcata ca pregatita pentru livrare';
    },
    'orders/finishOrder': (f) => {
      state.transition(int(f, 'orders_id'), 'finish');
      return 'Comanda a fost finalizata';
    },
    'orders/generateAwb': (f) => {
      if (f.manual !== '1') throw new SimError('Generarea AWB prin conturile de curier CEL nu este disponibila in simulator; trimiteti manual=1');
      const awbNumber = typeof f.awb_number === 'string' ? f.awb_number.trim() : '';
      const awb = state.registerAwb(int(f, 'orders_id'), int(f, 'courier_id'), awbNumber);
      return { awb_id: awb.awbId, awb_number: awb.awbNumber, courier: awb.courierName };
    },
    'orders/getOrderAwbs': (f) => {
      const id = int(f, 'orders_id');
      state.getOrder(id);
      return state.awbs.filter((a) => a.ordersId === id).map((a) => ({ awb_id: a.awbId, awb_number: a.awbNumber, courier_id: a.courierId, courier: a.courierName, date_added: celDateTime(a.at) }));
    },
    /**
     * Legacy AWB status (`cmd`). [U] Shape: the order's AWBs as getOrderAwbs lists them plus
     * `status_id`/`status`. The sim has no courier tracking, so the status follows the order:
     * registered until ready, in transit while ready, delivered once finished, returned if cancelled.
     */
    'orders/statusAwb': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      const awbs = state.awbs.filter((a) => a.ordersId === o.id);
      if (awbs.length === 0) throw new SimError(`Comanda ${o.id} nu are AWB`);
      const [statusId, status] =
        o.status === STATUS.FINISHED ? [3, 'Livrat'] : o.status === STATUS.READY ? [2, 'In tranzit'] : o.status === STATUS.CANCELLED || o.status === STATUS.REVERSED ? [4, 'Returnat la expeditor'] : [1, 'AWB inregistrat'];
      return awbs.map((a) => ({ awb_id: a.awbId, awb_number: a.awbNumber, courier_id: a.courierId, courier: a.courierName, status_id: statusId, status, date_added: celDateTime(a.at) }));
    },
    /** `cmd`. [U] Shape: {orders_id, platit 0|1, mod_plata}; `platit` is what getOrder shows (card: paid, COD: not). */
    'orders/checkPaymentForOrder': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      return { orders_id: o.id, platit: o.paid, mod_plata: o.payment };
    },
    'orders/addOrderObservations': (f) => {
      const id = int(f, 'orders_id');
      if (typeof f.observations !== 'string') throw new SimError('Parametrul observations lipseste sau este invalid');
      state.addObservations(id, f.observations);
      return 'Observatiile au fost adaugate';
    },
    'orders/addOrderInvoice': (f, files) => {
      const oid = int(f, 'oid');
      const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
      state.addInvoice(oid, str('series'), str('number'), str('providerId'), files.get('file'));
      return 'Factura a fost incarcata';
    },
    'orders/getOrderInvoices': (f) => {
      const id = int(f, 'orders_id');
      state.getOrder(id);
      return state.invoices.filter((i) => i.ordersId === id).map((i) => ({ series: i.series, number: i.number, providerId: i.providerId, size: i.size, date_added: celDateTime(i.at) }));
    },

    'admininfo/getCouriers': () => COURIERS,
    'admininfo/getAccountInformation': () => ({ ...state.account, reg: { ...state.account.reg } }),
    'admininfo/updateAccountInformation': (f) => {
      // Only the documented fields; `password` changes the panel password and is never shown back.
      for (const k of ACCOUNT_FIELDS) {
        const v = f[k];
        if (v === undefined) continue;
        if (typeof v !== 'string') throw new SimError(`Campul ${k} trebuie sa fie text`);
        if (k === 'timpProcesareImplicit' && !/^\d+$/.test(v)) throw new SimError('timpProcesareImplicit trebuie sa fie un numar de zile');
        state.account[k] = v;
      }
      if (typeof f.reg === 'object') for (const j of ['j1', 'j2', 'j3', 'j4'] as const) if (typeof f.reg[j] === 'string') state.account.reg[j] = f.reg[j];
      return 'Datele contului au fost actualizate';
    },
    'admininfo/getAccountCouriers': () => ACCOUNT_COURIERS,

    'orders/ListProductStatuses': () => Object.fromEntries(PRODUCT_STATUSES.map((s) => [String(s.id), s.name])),
    'orders/getOrderEmail': (f) => state.getOrder(int(f, 'oid')).customer.email,
    'orders/deleteOrderInvoice': (f) => {
      const id = int(f, 'orders_id');
      const str = (k: string): string => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
      state.deleteInvoice(id, str('series'), str('number'));
      return 'Factura a fost stearsa';
    },
    // Deprecated predecessor of deleteOrderInvoice: only `orders_id`, same answer.
    'orders/removeInvoice': (f) => {
      state.removeInvoices(int(f, 'orders_id'));
      return 'Factura a fost stearsa';
    },

    'email/sendOrderCustomEmail': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      const subject = typeof f.subject === 'string' ? f.subject.trim() : '';
      const body = typeof f.body === 'string' ? f.body.trim() : '';
      if (!subject || !body) throw new SimError('Specificati un subiect si un continut valid');
      state.messages.push({ id: state.messages.length + 1, ordersId: o.id, subject, body, from: 'seller', at: new Date() });
      return 'Email-ul a fost trimis';
    },
    'email/getClientEmailsForOrder': (f) => {
      const o = state.getOrder(int(f, 'cmd'));
      return state.messages
        .filter((m) => m.ordersId === o.id)
        .map((m) => ({ id: m.id, cmd: m.ordersId, subject: m.subject, body: m.body, from: m.from, date: celDateTime(m.at) }));
    },
    'email/getUnansweredOrderContact': () => state.messages.filter((m) => m.from === 'client').length,
  };

  function waitingOrRejected(f: FormObject, which: 'waiting' | 'rejected'): unknown {
    const { start, limit } = page(f);
    const xs = [...state.products.values()].filter((p) => p.approval === which).sort((a, b) => a.submittedAt - b.submittedAt || a.model.localeCompare(b.model));
    const pg = paginate(xs, start, limit);
    return {
      limit: pg.limit,
      start: pg.start,
      moreavailable: pg.moreavailable,
      data: pg.items.map((p) => state.productRecord(p)),
    };
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async function parseBody(req: http.IncomingMessage, body: Buffer): Promise<{ fields: FormObject; files: Map<string, Buffer> } | HttpReply> {
    const ct = (req.headers['content-type'] ?? '').toLowerCase();
    if (ct.startsWith('application/x-www-form-urlencoded') || (ct === '' && body.length === 0)) return { fields: parsePhpForm(body.toString('utf8')), files: new Map() };
    if (ct.startsWith('multipart/form-data')) {
      let fd: FormData;
      try {
        fd = await new Request('http://sim.invalid/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body }).formData();
      } catch {
        return new HttpReply(200, envelope('Corpul cererii multipart/form-data nu poate fi citit (boundary sau parti invalide)', 1, 1));
      }
      const fields: FormObject = {};
      const files = new Map<string, Buffer>();
      for (const [k, v] of fd) {
        if (typeof v === 'string') fields[k] = v;
        else files.set(k, Buffer.from(await v.arrayBuffer()));
      }
      return { fields, files };
    }
    return new HttpReply(200, envelope(`Format cerere neacceptat (${ct || 'fara Content-Type'}); folositi application/x-www-form-urlencoded`, 1, 1));
  }

  /** The seller API proper. Returns the reply and the account it ran for (for the connection cap). */
  async function api(req: http.IncomingMessage, route: string, release: (account: string) => boolean): Promise<{ reply: HttpReply; fields: Record<string, unknown>; account: string | null }> {
    const [method] = route.split('/');
    const auth = req.headers.auth;
    const token = typeof auth === 'string' && /^Bearer\s*/i.test(auth) ? auth.replace(/^Bearer\s*/i, '').trim() : '';
    let account: string | null = null;
    const hold = (acc: string): HttpReply | undefined => {
      account = acc;
      if (!release(acc)) return new HttpReply(429, envelope(`Ati depasit numarul maxim de ${config.maxConnections} conexiuni simultane`, 1, 1));
      return undefined;
    };

    if (route !== 'login/actionLogin' && route !== 'login/testLogin') {
      const t = tokens.get(token);
      if (t) {
        const refused = hold(t.username);
        if (refused) return { reply: refused, fields: {}, account };
      }
    }
    const fault = takeFault(route);
    if (fault) appliedFault.set(req, fault.kind);
    if (fault?.kind === 'slow') await delay(fault.delayMs ?? 1000);
    if (config.latencyMs > 0) await delay(config.latencyMs);
    const body = await readBody(req);
    const parsed = await parseBody(req, body);
    if (parsed instanceof HttpReply) return { reply: parsed, fields: {}, account };
    const { fields, files } = parsed;
    const shown: Record<string, unknown> = { ...fields, ...(fields.password === undefined ? {} : { password: '***' }) };
    for (const [k, v] of files) shown[k] = `<${v.length} bytes>`;

    if (!METHODS.has(method ?? '')) return { reply: new HttpReply(200, envelope(`Metoda ${method} nu exista`, 1, 1)), fields: shown, account };

    if (route === 'login/actionLogin') {
      const user = typeof fields.username === 'string' ? fields.username : '';
      if (account === null && user) {
        const refused = hold(user);
        if (refused) return { reply: refused, fields: shown, account };
      }
      stats.logins++;
      if (user !== config.username || fields.password !== config.password) {
        return { reply: new HttpReply(200, envelope('Date de autentificare incorecte', 403, 0)), fields: shown, account };
      }
      const tok = `${randomBytes(18).toString('base64')}:${randomBytes(9).toString('base64')}`;
      tokens.set(tok, { username: user, expiresAt: Date.now() + config.tokenTtlMs });
      return { reply: new HttpReply(200, envelope(tok)), fields: shown, account };
    }

    const t = tokens.get(token);
    const handler = handlers[route];
    if (route !== 'login/testLogin') {
      if (!t || t.expiresAt <= Date.now() || fault?.kind === 'expire-token') {
        if (fault?.kind === 'expire-token') tokens.delete(token);
        return { reply: tokenProblem(), fields: shown, account };
      }
    }
    if (fault) {
      switch (fault.kind) {
        case 'http500':
        case 'http503':
          return { reply: new HttpReply(fault.kind === 'http500' ? 500 : 503, '<html><body><h1>Eroare interna</h1></body></html>', 'text/html'), fields: shown, account };
        case 'http429':
          // As when the account's simultaneous-connection limit is hit (people in the web panel count too).
          return { reply: new HttpReply(429, envelope(`Ati depasit numarul maxim de ${config.maxConnections} conexiuni simultane`, 1, 1)), fields: shown, account };
        case 'error':
          return { reply: new HttpReply(200, envelope(fault.message ?? 'Eroare simulata', fault.error ?? 1, 1)), fields: shown, account };
        case 'non-json':
          return { reply: new HttpReply(200, '<br />\n<b>Warning</b>: mysqli_connect(): Too many connections in <b>/var/www/market_api/index.php</b>', 'text/html'), fields: shown, account };
        case 'missing-fields':
          return { reply: new HttpReply(200, JSON.stringify({ rezultat: 'ok' })), fields: shown, account };
        default:
          break;
      }
    }
    if (!handler) {
      const why = UNMODELLED_ROUTES.has(route) ? `Actiunea ${route} exista in API-ul CEL dar nu este modelata de simulator` : `Actiunea ${route} nu exista`;
      return { reply: new HttpReply(200, envelope(why, 1, 1)), fields: shown, account };
    }
    state.settle();
    try {
      const message = await handler(fields, files);
      return { reply: new HttpReply(200, envelope(message)), fields: shown, account };
    } catch (e) {
      if (e instanceof SimError) return { reply: new HttpReply(200, envelope(e.message, e.code, 1)), fields: shown, account };
      throw e;
    }
  }

  async function admin(req: http.IncomingMessage, url: URL): Promise<HttpReply> {
    const p = url.pathname.replace(/^\/_sim/, '').replace(/\/$/, '') || '/';
    const m = req.method ?? 'GET';
    const json = (v: unknown, status = 200): HttpReply => new HttpReply(status, JSON.stringify(v, null, 1));
    const readJson = async (): Promise<Record<string, unknown>> => {
      const b = (await readBody(req)).toString('utf8');
      return b ? (JSON.parse(b) as Record<string, unknown>) : {};
    };
    const seg = p.split('/').filter(Boolean);
    try {
      if (m === 'POST' && p === '/reset') {
        const b = await readJson();
        state.reset(typeof b.seed === 'string' ? b.seed : 'demo');
        tokens.clear();
        faults = [];
        log.length = 0;
        pushes.length = 0;
        resetStats();
        return json({ ok: true });
      }
      if (m === 'POST' && p === '/seed') {
        const b = await readJson();
        state.reset(typeof b.seed === 'string' ? b.seed : 'demo');
        return json({ ok: true, products: state.products.size, orders: state.orders.size });
      }
      if (m === 'GET' && p === '/products') {
        state.settle();
        return json([...state.products.values()].map((x) => ({ ...state.productView(x), approval: x.approval, motiv: x.reason })));
      }
      if (m === 'GET' && seg[0] === 'products' && seg.length === 2) {
        state.settle();
        const x = state.products.get(decodeURIComponent(seg[1]!));
        return x ? json({ ...state.productView(x), approval: x.approval, motiv: x.reason }) : json({ error: `no product ${seg[1]}` }, 404);
      }
      if (m === 'POST' && p === '/approve') {
        state.settle(true);
        return json({ ok: true });
      }
      if (m === 'GET' && p === '/orders') return json([...state.orders.values()].map((o) => ({ ...orderDetail(o), history: o.history.map((h) => ({ status: h.status, at: h.at.toISOString() })), cancel: o.cancel ?? null })));
      if (m === 'GET' && seg[0] === 'orders' && seg.length === 2) return json(orderDetail(state.getOrder(Number(seg[1]))));
      if (m === 'POST' && p === '/orders') {
        const b = await readJson();
        const r = await placeOrder(b as unknown as Parameters<SimState['placeOrder']>[0]);
        return json(r, 201);
      }
      if (m === 'POST' && seg[0] === 'orders' && seg[2] === 'cancel') {
        const o = state.transition(Number(seg[1]), 'cancel', { observatii: 'Anulata de client' });
        const push = await firePush(11, { order_id: o.id });
        return json({ order: orderDetail(o), push });
      }
      if (m === 'GET' && p === '/awbs') return json(state.awbs.map((a) => ({ ...a, at: a.at.toISOString() })));
      if (m === 'GET' && p === '/invoices') return json(state.invoices.map(({ bytes: _b, ...i }) => ({ ...i, at: i.at.toISOString() })));
      if (m === 'GET' && seg[0] === 'invoices' && seg.length === 4) {
        const inv = state.invoices.find((i) => i.ordersId === Number(seg[1]) && i.series === seg[2] && i.number === seg[3]);
        if (!inv) return json({ error: 'not found' }, 404);
        return new HttpReply(200, inv.bytes.toString('latin1'), 'application/pdf');
      }
      if (p === '/faults') {
        if (m === 'GET') return json(faults);
        if (m === 'DELETE') {
          faults = [];
          return json({ ok: true });
        }
        if (m === 'POST') {
          const b = await readJson();
          const rs = Array.isArray(b.faults) ? (b.faults as FaultRule[]) : [b as unknown as FaultRule];
          setFaults([...faults, ...rs]);
          return json(faults);
        }
      }
      if (m === 'POST' && p === '/tokens/expire') {
        expireTokens();
        return json({ ok: true });
      }
      if (p === '/log') {
        if (m === 'DELETE') {
          log.length = 0;
          return json({ ok: true });
        }
        return json(log.slice(-Number(url.searchParams.get('limit') ?? 200)));
      }
      if (m === 'GET' && p === '/pushes') return json(pushes);
      if (m === 'GET' && p === '/stats') return json(stats);
      if (m === 'GET' && p === '/account') return json(state.account);
      if (p === '/config') {
        if (m === 'PATCH' || m === 'POST') {
          const b = await readJson();
          // Credentials are fixed at start; everything else (latency, caps, delays, signals) can change live.
          const allowed: Record<string, readonly unknown[]> = { minOrderSort: ['asc', 'desc'], tokenSignal: ['http400', 'tokenStatus0', 'error302'] };
          for (const [k, v] of Object.entries(b)) {
            if (allowed[k] && !allowed[k].includes(v)) return json({ error: `${k} must be one of ${allowed[k].join(', ')}` }, 400);
            if (k !== 'username' && k !== 'password' && k in config && typeof v === typeof (config as Record<string, unknown>)[k]) (config as Record<string, unknown>)[k] = v;
          }
        }
        return json({ ...config, password: '***' });
      }
      return json({ error: `unknown admin route ${m} ${p}` }, 404);
    } catch (e) {
      return json({ error: (e as Error).message }, e instanceof SimError || e instanceof SyntaxError ? 400 : 500);
    }
  }

  const expireTokens = (): void => {
    for (const t of tokens.values()) t.expiresAt = 0;
  };
  const resetStats = (): void => {
    Object.assign(stats, { inFlight: 0, maxInFlight: 0, refused: 0, requests: 0, logins: 0 });
    for (const [k, v] of inFlight) if (v === 0) inFlight.delete(k);
  };

  const placeOrder = async (input: Parameters<SimState['placeOrder']>[0]): Promise<{ order: Record<string, unknown>; push: PushRecord | null }> => {
    state.settle();
    const o = state.placeOrder(input);
    const push = await firePush(1, { list: [o.id] });
    return { order: orderDetail(o), push };
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname.startsWith('/_sim/') || url.pathname === '/_sim') {
      void admin(req, url).then((r) => res.writeHead(r.status, { 'content-type': r.contentType }).end(r.body));
      return;
    }
    const m = /^\/market_api\/([A-Za-z]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    if (!m) {
      // Every API path is /market_api/{method}/{action}/; anything else still gets the envelope.
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' }).end(envelope(`Ruta ${url.pathname} nu exista; folositi /market_api/{method}/{action}/`, 1, 1));
      return;
    }
    const route = `${m[1]}/${m[2]}`;
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'application/json', allow: 'POST' }).end(envelope('Doar cereri POST sunt acceptate', 1, 1));
      return;
    }
    stats.requests++;
    let held: string | null = null;
    const acquire = (acc: string): boolean => {
      const n = inFlight.get(acc) ?? 0;
      if (n >= config.maxConnections) {
        stats.refused++;
        return false;
      }
      inFlight.set(acc, n + 1);
      held = acc;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, inFlight.get(acc)!);
      return true;
    };
    const done = (): void => {
      if (held !== null) {
        inFlight.set(held, (inFlight.get(held) ?? 1) - 1);
        stats.inFlight--;
        held = null;
      }
    };
    void (async () => {
      let entry: LogEntry | undefined;
      try {
        const fault = faults.find((f) => f.kind === 'reset' && (f.times === 0 || f.left > 0) && (f.match === undefined || f.match === '*' || f.match === route));
        // A reset honours `rate` like every other fault (20 % of calls, not all of them).
        if (fault && (fault.rate === undefined || Math.random() < fault.rate)) {
          log.push({ at: new Date(started).toISOString(), method: req.method ?? '', path: url.pathname, account: null, fields: {}, status: 0, ms: Date.now() - started, fault: 'reset' });
          fault.left--;
          await readBody(req);
          req.socket.destroy();
          return;
        }
        const { reply, fields, account } = await api(req, route, acquire);
        const applied = appliedFault.get(req);
        entry = { at: new Date(started).toISOString(), method: req.method ?? '', path: url.pathname, account, fields, status: reply.status, ms: Date.now() - started, ...(applied ? { fault: applied } : {}) };
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end(reply.body);
      } catch (e) {
        entry = { at: new Date(started).toISOString(), method: req.method ?? '', path: url.pathname, account: null, fields: {}, status: 500, ms: Date.now() - started };
        // A simulator bug: loud (HTTP 500) but still the envelope, never an HTML page.
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(envelope(`Eroare interna a simulatorului: ${(e as Error).message}`, 500, 1));
      } finally {
        // Count the connection as busy until the response is fully handed to the socket.
        done();
        if (entry) {
          log.push(entry);
          if (log.length > config.logLimit) log.splice(0, log.length - config.logLimit);
        }
      }
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return {
    url: `${origin}/market_api/`,
    origin,
    port,
    state,
    config,
    stats,
    log,
    pushes,
    routes: ['login/actionLogin', ...Object.keys(handlers)],
    setFaults,
    expireTokens,
    placeOrder,
    resetStats,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { STATUS };
