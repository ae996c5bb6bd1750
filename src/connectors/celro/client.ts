import { createHash } from 'node:crypto';
import { AuthError, OutcomeUnknownError, RateLimitedError, UpstreamError, ValidationError } from '../../core/errors.ts';
import { Decimal } from '../../core/decimal.ts';
import { StoreSemaphore, type SemaphoreOptions } from '../../limits/semaphore.ts';
import type { Db } from '../../store/db.ts';
import { CelroApiError, CelroResponseError } from './errors.ts';
import { parseCelroOrder, parseStatusDictionary, type CelroOrder, type CelroStatus, type StatusMeaning } from './orders.ts';
import { StoreTokenCache, type TokenSealer } from './token-cache.ts';
import { JsonDecimal, buildMultipart, jsonWithDecimals, phpBuildQuery, type FormFields, type FormValue, type MultipartPart } from './wire.ts';

export const CELRO_DEFAULT_BASE_URL = 'https://api-mp.cel.ro/market_api/';

export interface CelroClientOptions {
  readonly username: string;
  readonly password: string;
  /** Shared store: token cache and the cross-process connection cap live there. */
  readonly db: Db;
  readonly baseUrl?: string;
  /** Requests in flight per account across all processes (CEL allows 10, shared with humans). */
  readonly maxInFlight?: number;
  readonly timeoutMs?: number;
  /** The SDK sends `test=1` and `api_version=2.2.0` on every call [U: server meaning unknown]. */
  readonly sendTestFlag?: boolean;
  readonly apiVersion?: string | null;
  /** Items per import/importer and updateStockAndPrice call [U: no documented maximum]. */
  readonly batchSize?: number;
  /** Time zone of the dates in filters and payloads [U: assumed Romanian local time]. */
  readonly timeZone?: string;
  /**
   * [U] Does getOrders list the order whose id equals `min_order`? CEL says "greater than" (default
   * false). `listOrdersSince` is correct either way and reports what the server did, so this
   * setting can be checked against reality; nothing else depends on it.
   */
  readonly minOrderInclusive?: boolean;
  /**
   * [U] How the creation-date filter of getOrders is written: `date` = `{"date":{"minDate","maxDate"}}`
   * (current SDK example, default), `dateFromTo` = `{"date":{"from","to"}}` (2017 examples),
   * `flat` = `{"minDate","maxDate"}` directly in filters (wiki).
   */
  readonly createdFilterForm?: CreatedFilterForm;
  /** Status id → meaning, overriding the name-based mapping of the dictionary. */
  readonly statusMeanings?: Readonly<Record<string, StatusMeaning>>;
  readonly tokenSealer?: TokenSealer;
  readonly semaphore?: SemaphoreOptions;
  /** Sees every raw response (route, HTTP status, body) — for keeping raw payloads. Never gets credentials. */
  readonly onResponse?: (info: { route: string; status: number; body: string; ms: number }) => void;
}

type Body = { kind: 'form'; fields: FormFields } | { kind: 'multipart'; parts: readonly MultipartPart[] };
type Kind = 'read' | 'write';
type Outcome = { ok: true; message: unknown } | { ok: false; token: true; detail: string };

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

export interface Page<T> {
  readonly items: readonly T[];
  readonly start: number;
  readonly more: boolean;
  readonly total: number | null;
}

export interface OrderSummary {
  readonly id: string;
  readonly statusId: string | null;
  readonly raw: Readonly<Record<string, unknown>>;
}

export type CreatedFilterForm = 'date' | 'dateFromTo' | 'flat';

/** A date window; bounds are inclusive on the simulator [U on CEL]. Dates are written in `timeZone`. */
export interface DateWindow {
  readonly min?: Date | string;
  readonly max?: Date | string;
}

/** The documented `filters` of orders/getOrders (research §5.1). */
export interface OrderListFilter {
  /**
   * `min_order`: orders with a larger id (whether the id itself is included is [U]), ascending by
   * id. Without it (or 0) CEL lists orders by id descending. Prefer `listOrdersSince`.
   */
  readonly minOrder?: number | string;
  /** `last_changed`: last-modified window — the look-back window of incremental polling. */
  readonly lastChanged?: DateWindow;
  /** Creation-date window (`date`; form per `createdFilterForm`). */
  readonly created?: DateWindow;
  /** `order_status`; 0 and 99 mean "no filter" on CEL. */
  readonly statusId?: number | string;
  /** `order`: one order id. */
  readonly orderId?: number | string;
  /** `customer` + `customerSign`: part of the customer's name; `exclude` = sign `ne`. */
  readonly customer?: { readonly text: string; readonly exclude?: boolean };
  /** `product` + `productSign`: part of a product name. */
  readonly product?: { readonly text: string; readonly exclude?: boolean };
  /** `phoneNumber` of the customer. */
  readonly phoneNumber?: string;
  /** `payment_method`, e.g. "Numerar sau ramburs" [U beyond the examples]. */
  readonly paymentMethod?: string;
  /** `invoice`: invoice number. */
  readonly invoice?: string;
  /** `order_by_date_purchased`: sort by purchase date instead of by id. */
  readonly sortByPurchaseDate?: 'ASC' | 'DESC';
}

/** The result of `listOrdersSince`. */
export interface OrdersSince {
  /** Orders with an id strictly greater than the cursor, each once, ascending by id. */
  readonly orders: readonly OrderSummary[];
  /** Cursor for the next call: the largest id seen, or the given cursor when nothing is newer. */
  readonly cursor: string;
  readonly pages: number;
  /** What the server did (for checking `minOrderInclusive` against reality). */
  readonly observed: {
    /** The order equal to the cursor came back (inclusive `min_order`). */
    readonly cursorIncluded: boolean;
    /** The server's sort direction, when at least two distinct orders came back. */
    readonly order: 'asc' | 'desc' | 'unknown';
    /** The cursor order came back although `minOrderInclusive` is false. */
    readonly contradictsSetting: boolean;
  };
}

/** One AWB of `orders/statusAwb` [U: legacy call, answer shape undocumented]. */
export interface CelroAwbStatus {
  readonly awbNumber: string;
  readonly courier: string | null;
  /** The status text as CEL gives it, e.g. "In tranzit". */
  readonly status: string | null;
  readonly raw: Record<string, unknown>;
}

/** Approval state of one imported model (`import/productImportStatus`) [U: value names]. */
export interface CelroImportStatus {
  readonly model: string;
  readonly state: 'waiting' | 'approved' | 'rejected' | 'failed' | 'unknown';
  readonly reason: string | null;
  readonly raw: Record<string, unknown>;
}

const MAX_PAGE = 50;
const MAX_PAGES = 10_000;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Cel.ro seller API client. Every call is `POST {base}{method}/{action}/` with a PHP-style form
 * body and `AUTH: Bearer <token>` (research §3). The token is cached per account in the store and
 * renewed once on the SDK's token signals (HTTP 400, error 302/403/405, tokenStatus 0 or missing);
 * bad credentials are an AuthError. At most `maxInFlight` requests per account run at once across
 * every process sharing the store.
 */
export class CelroClient {
  readonly baseUrl: string;
  private readonly accountKey: string;
  private readonly semaphore: StoreSemaphore;
  private readonly tokens: StoreTokenCache;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private readonly timeZone: string;
  private token: string | undefined;
  private login: Promise<string> | undefined;
  private statuses: Promise<CelroStatus[]> | undefined;

  constructor(private readonly opts: CelroClientOptions) {
    const base = opts.baseUrl ?? CELRO_DEFAULT_BASE_URL;
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.accountKey = createHash('sha256').update(`${this.baseUrl}\n${opts.username}`).digest('hex').slice(0, 32);
    this.semaphore = new StoreSemaphore(opts.db, { leaseMs: Math.max(60_000, (opts.timeoutMs ?? 30_000) * 2), ...opts.semaphore });
    this.tokens = new StoreTokenCache(opts.db, opts.tokenSealer);
    this.maxInFlight = opts.maxInFlight ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.batchSize = Math.min(opts.batchSize ?? 50, 50);
    this.timeZone = opts.timeZone ?? 'Europe/Bucharest';
    if (!Number.isInteger(this.maxInFlight) || this.maxInFlight < 1) throw new ValidationError('maxInFlight must be a positive integer');
  }

  /** The semaphore key of this account (for operators and tests). */
  get concurrencyKey(): string {
    return `celro:${this.accountKey}`;
  }

  // ---------------------------------------------------------------- transport

  private withSdkFields(fields: FormFields): FormFields {
    const extra: [string, FormValue][] = [];
    if (this.opts.sendTestFlag ?? true) extra.push(['test', 1]);
    const v = this.opts.apiVersion === undefined ? '2.2.0' : this.opts.apiVersion;
    if (v !== null) extra.push(['api_version', v]);
    return [...fields, ...extra];
  }

  private async send(route: string, body: Body, token: string, kind: Kind): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { AUTH: `Bearer ${token}`, Accept: 'application/json' };
    let payload: string | Buffer;
    if (body.kind === 'form') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      payload = phpBuildQuery(this.withSdkFields(body.fields));
    } else {
      const extra = this.withSdkFields([]).map(([name, value]) => ({ name, value: String(value) }));
      const fileIdx = body.parts.findIndex((p) => p.filename !== undefined);
      const parts = fileIdx === -1 ? [...body.parts, ...extra] : [...body.parts.slice(0, fileIdx), ...extra, ...body.parts.slice(fileIdx)];
      const mp = buildMultipart(parts);
      headers['Content-Type'] = mp.contentType;
      payload = mp.body;
    }
    const started = Date.now();
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${route}/`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const code = (e as { cause?: { code?: string } }).cause?.code;
      const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
      const msg = `Cel.ro ${route}: ${(e as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `network error ${code ?? (e as Error).message}`}`;
      if (kind === 'write' && !notSent) throw new OutcomeUnknownError(`${msg}; the change may or may not have been applied`, { route }, e);
      throw new UpstreamError(msg, undefined, { route }, e);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (kind === 'write') throw new OutcomeUnknownError(`Cel.ro ${route}: response body lost`, { route, status: res.status }, e);
      throw new UpstreamError(`Cel.ro ${route}: response body lost`, res.status, { route }, e);
    }
    // The login answer carries the token: observers get it with the token masked.
    const shown = route === 'login/actionLogin' ? text.replace(/"message"\s*:\s*"[^"]*"/, '"message":"***"') : text;
    this.opts.onResponse?.({ route, status: res.status, body: shown, ms: Date.now() - started });
    return { status: res.status, text };
  }

  /** Classify one HTTP answer into the message, a token signal, or a typed error. */
  private interpret(route: string, kind: Kind, status: number, text: string): Outcome {
    if (status === 400) return { ok: false, token: true, detail: `HTTP 400: ${text.slice(0, 200)}` };
    if (status === 429) throw new RateLimitedError(`Cel.ro ${route}: too many simultaneous connections (HTTP 429)`, undefined, { route, body: text.slice(0, 1000) });
    if (status >= 500) {
      const details = { route, body: text.slice(0, 1000) };
      // 500/504 from a PHP backend may come after the write was committed.
      if (kind === 'write' && (status === 500 || status === 504)) throw new OutcomeUnknownError(`Cel.ro ${route}: HTTP ${status}; the change may or may not have been applied`, { ...details, status });
      throw new UpstreamError(`Cel.ro ${route}: HTTP ${status}`, status, details);
    }
    if (status !== 200 && status !== 201) throw new UpstreamError(`Cel.ro ${route}: unexpected HTTP ${status}`, status, { route, body: text.slice(0, 1000) });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CelroResponseError(route, status, text, 'response is not JSON');
    }
    if (!isObj(json) || !('error' in json)) throw new CelroResponseError(route, status, text, 'response lacks the {error, tokenStatus, message} envelope');
    const error = Number(json.error);
    if (!Number.isFinite(error)) throw new CelroResponseError(route, status, text, `envelope "error" is not a number (${JSON.stringify(json.error)})`);
    const tokenStatus = json.tokenStatus === undefined ? undefined : Number(json.tokenStatus);
    if (tokenStatus !== 1 || error === 302 || error === 403 || error === 405) return { ok: false, token: true, detail: `error ${error}, tokenStatus ${String(json.tokenStatus)}: ${JSON.stringify(json.message)}` };
    if (error !== 0) throw new CelroApiError(route, error, json.message);
    if (!('message' in json)) throw new CelroResponseError(route, status, text, 'envelope lacks "message"');
    return { ok: true, message: json.message };
  }

  private async currentToken(): Promise<string> {
    if (this.token !== undefined) return this.token;
    const cached = await this.tokens.get(this.accountKey);
    if (cached !== undefined) return (this.token = cached);
    return this.relogin(undefined);
  }

  /** Log in once for this process (single flight); reuse another worker's fresh token when there is one. */
  private relogin(failed: string | undefined): Promise<string> {
    this.login ??= (async () => {
      try {
        const stored = await this.tokens.get(this.accountKey);
        if (stored !== undefined && stored !== failed) return (this.token = stored);
        const { status, text } = await this.send('login/actionLogin', { kind: 'form', fields: [['username', this.opts.username], ['password', this.opts.password]] }, '', 'read');
        if (status >= 500) throw new UpstreamError(`Cel.ro login: HTTP ${status}`, status, { route: 'login/actionLogin' });
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new CelroResponseError('login/actionLogin', status, text, 'login response is not JSON');
        }
        if (!isObj(json)) throw new CelroResponseError('login/actionLogin', status, text, 'login response is not an object');
        const msg = json.message;
        if (Number(json.error) === 0 && Number(json.tokenStatus) === 1 && typeof msg === 'string' && msg !== '' && !msg.includes('Raspuns invalid:')) {
          this.token = msg;
          await this.tokens.set(this.accountKey, msg);
          return msg;
        }
        // Bad credentials (error 403/405 with tokenStatus 0 in the SDK) and every other refusal: not retried.
        throw new AuthError(`Cel.ro login refused for ${this.opts.username}: ${typeof msg === 'string' ? msg : JSON.stringify(msg)}`, {
          route: 'login/actionLogin',
          error: json.error,
          tokenStatus: json.tokenStatus,
          message: msg,
        });
      } finally {
        this.login = undefined;
      }
    })();
    return this.login;
  }

  /** One API call: a slot of the account's connection cap, the token, one re-login on a token signal. */
  async call(route: string, body: Body, kind: Kind): Promise<unknown> {
    return this.semaphore.run(this.concurrencyKey, this.maxInFlight, async () => {
      let token = await this.currentToken();
      let r = await this.send(route, body, token, kind);
      let out = this.interpret(route, kind, r.status, r.text);
      if (!out.ok) {
        this.token = undefined;
        token = await this.relogin(token);
        r = await this.send(route, body, token, kind);
        out = this.interpret(route, kind, r.status, r.text);
        if (!out.ok) throw new AuthError(`Cel.ro ${route}: token refused again right after a fresh login (${out.detail})`, { route });
      }
      return out.message;
    });
  }

  private form(route: string, fields: FormFields, kind: Kind): Promise<unknown> {
    return this.call(route, { kind: 'form', fields }, kind);
  }

  /** 'YYYY-MM-DD HH:MM:SS' in the API's time zone. */
  formatDate(d: Date | string): string {
    if (typeof d === 'string') return d;
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: this.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
  }

  // ---------------------------------------------------------------- account

  /** `login/testLogin`: are the credentials valid (no token involved). */
  async testLogin(): Promise<boolean> {
    const m = await this.form('login/testLogin', [['username', this.opts.username], ['password', this.opts.password]], 'read');
    return m === 1 || m === '1' || m === true;
  }

  async getCouriers(): Promise<{ id: string; name: string; raw: unknown }[]> {
    const m = await this.form('admininfo/getCouriers', [['dummy', 1]], 'read');
    // [U] shape: a list of {id, name} (simulator) or an id → name map; both are read.
    if (isObj(m) && Object.values(m).length > 0 && Object.values(m).every((v) => typeof v === 'string')) return Object.entries(m).map(([id, name]) => ({ id, name: name as string, raw: { id, name } }));
    return listOf(m, 'admininfo/getCouriers').map((c) => ({ id: String(c.id ?? c.courier_id ?? ''), name: String(c.name ?? c.courier_name ?? c.nume ?? ''), raw: c }));
  }

  /** `admininfo/getAccountInformation` [U: shape; the simulator uses updateAccountInformation's field names]. */
  async getAccountInformation(): Promise<Record<string, unknown>> {
    const m = await this.form('admininfo/getAccountInformation', [], 'read');
    if (!isObj(m)) throw new CelroResponseError('admininfo/getAccountInformation', 200, JSON.stringify(m).slice(0, 4000), 'expected an object');
    return m;
  }

  /** Courier accounts configured in CEL (`admininfo/getAccountCouriers`; shape from the wiki). */
  async getAccountCouriers(): Promise<{ id: string; courierId: string; courierName: string; name: string; active: boolean; raw: Record<string, unknown> }[]> {
    return listOf(await this.form('admininfo/getAccountCouriers', [], 'read'), 'admininfo/getAccountCouriers').map((c) => ({
      id: String(c.id ?? ''),
      courierId: String(c.courier_id ?? ''),
      courierName: String(c.courier_name ?? ''),
      name: String(c.name ?? ''),
      active: Number(c.status) === 1,
      raw: c,
    }));
  }

  async updateAccountInformation(fields: Readonly<Record<string, string>>): Promise<unknown> {
    return this.form('admininfo/updateAccountInformation', Object.entries(fields), 'write');
  }

  /** Register the push URL template (`$1$` type, `$2$` value, `$3$` extra). */
  async setApiLink(template: string): Promise<unknown> {
    if (!template.includes('$1$') || !template.includes('$2$')) throw new ValidationError('the API link must contain $1$ (alert type) and $2$ (alert value)', [], { template });
    return this.updateAccountInformation({ apiLink: template });
  }

  // ---------------------------------------------------------------- catalogue

  async getSupplierCategories(): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('import/getSupplierCategories', [], 'read'), 'import/getSupplierCategories');
  }

  async getCategoryCharacteristics(categoryId: number | string): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('products/getCategoryCharacteristics', [['categ_id', categoryId]], 'read'), 'products/getCategoryCharacteristics');
  }

  async listMandatoryCharacteristics(categoryId: number | string): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('products/listCategoryMandatoryCharacteristics', [['categ_id', categoryId]], 'read'), 'products/listCategoryMandatoryCharacteristics');
  }

  /** `import/importer` in batches of ≤ batchSize: full form for new products, short form for changes. */
  async importProducts(items: readonly CelroImportItem[], opts: { hasTVA?: boolean } = {}): Promise<BatchResult> {
    for (const it of items) {
      if (!it.products_model) throw new ValidationError('import item without products_model', [{ path: 'products_model', message: 'required' }], { item: it });
      if (it.pretf !== undefined) assertPrice(it.pretf, it.products_model);
    }
    const results: BatchResult[] = [];
    for (const batch of chunks(items, this.batchSize)) {
      const fields: [string, FormValue][] = [['products', batch as unknown as FormValue]];
      if (opts.hasTVA !== undefined) fields.push(['hasTVA', opts.hasTVA]);
      const m = await this.form('import/importer', fields, 'write');
      results.push(batchResult(m, batch.map((b) => b.products_model)));
    }
    return mergeResults(results);
  }

  /** `products/updateStockAndPrice`: the JSON list in one `products` field, as the SDK sends it. */
  async updateStockAndPrice(updates: readonly StockPriceUpdate[]): Promise<BatchResult> {
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
    for (const batch of chunks(items, this.batchSize)) {
      const m = await this.form('products/updateStockAndPrice', [['products', jsonWithDecimals(batch)]], 'write');
      results.push(batchResult(m, batch.map((b) => b.products_model as string)));
    }
    return mergeResults(results);
  }

  async updateStatus(model: string, active: boolean): Promise<unknown> {
    return this.form('products/updateStatus', [['model', model], ['status', active ? 1 : 0]], 'write');
  }

  /** One page of `products/readProducts` (≤ 50). */
  async readProducts(q: { start?: number; limit?: number; models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<Page<CelroProduct>> {
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
    const m = await this.form('products/readProducts', fields, 'read');
    return productPage(m, start, limit, 'products/readProducts');
  }

  /** Every product matching the query, page after page. */
  async readAllProducts(q: { models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<CelroProduct[]> {
    return this.allPages((start) => this.readProducts({ ...q, start }));
  }

  async getWaitingProducts(start = 0): Promise<Page<CelroProduct>> {
    return productPage(await this.form('products/getWaitingProducts', [['start', start]], 'read'), start, MAX_PAGE, 'products/getWaitingProducts');
  }

  async getRejectedProducts(start = 0): Promise<Page<CelroProduct>> {
    return productPage(await this.form('products/getRejectedProducts', [['start', start]], 'read'), start, MAX_PAGE, 'products/getRejectedProducts');
  }

  async allWaitingProducts(): Promise<CelroProduct[]> {
    return this.allPages((s) => this.getWaitingProducts(s));
  }

  async allRejectedProducts(): Promise<CelroProduct[]> {
    return this.allPages((s) => this.getRejectedProducts(s));
  }

  /**
   * `import/productImportStatus`: the SDK sends `products` as JSON; its content is undocumented, so a
   * list of models is sent [U]. Without models CEL is asked about the last import (the simulator's reading).
   */
  async getProductImportStatus(models: readonly string[] = []): Promise<CelroImportStatus[]> {
    const route = 'import/productImportStatus';
    if (models.length === 0) return listOf(await this.form(route, [], 'read'), route).map(importStatus);
    const out: CelroImportStatus[] = [];
    for (const batch of chunks(models, this.batchSize)) out.push(...listOf(await this.form(route, [['products', JSON.stringify(batch)]], 'read'), route).map(importStatus));
    return out;
  }

  private async allPages<T>(fetchPage: (start: number) => Promise<Page<T>>): Promise<T[]> {
    const out: T[] = [];
    let start = 0;
    for (let i = 0; i < MAX_PAGES; i++) {
      const p = await fetchPage(start);
      out.push(...p.items);
      if (!p.more || p.items.length === 0) return out;
      start += p.items.length;
    }
    throw new CelroResponseError('pagination', 200, '', `more than ${MAX_PAGES} pages: the server keeps saying more are available`);
  }

  // ---------------------------------------------------------------- orders

  /** The JSON `filters` of getOrders, always flat (`group_by_status: false`). */
  orderFilters(filter: OrderListFilter = {}): Record<string, unknown> {
    const f: Record<string, unknown> = {};
    if (filter.minOrder !== undefined) f.min_order = cursorNumber(filter.minOrder);
    f.group_by_status = false;
    const range = (r: DateWindow, lo = 'minDate', hi = 'maxDate'): Record<string, string> => ({
      ...(r.min === undefined ? {} : { [lo]: this.formatDate(r.min) }),
      ...(r.max === undefined ? {} : { [hi]: this.formatDate(r.max) }),
    });
    if (filter.lastChanged) f.last_changed = range(filter.lastChanged);
    if (filter.created) {
      const form = this.opts.createdFilterForm ?? 'date';
      if (form === 'flat') Object.assign(f, range(filter.created));
      else f.date = form === 'dateFromTo' ? range(filter.created, 'from', 'to') : range(filter.created);
    }
    if (filter.statusId !== undefined) f.order_status = Number(filter.statusId);
    if (filter.orderId !== undefined) f.order = Number(filter.orderId);
    if (filter.customer) Object.assign(f, { customer: filter.customer.text, customerSign: filter.customer.exclude ? 'ne' : 'ee' });
    if (filter.product) Object.assign(f, { product: filter.product.text, productSign: filter.product.exclude ? 'ne' : 'ee' });
    if (filter.phoneNumber !== undefined) f.phoneNumber = filter.phoneNumber;
    if (filter.paymentMethod !== undefined) f.payment_method = filter.paymentMethod;
    if (filter.invoice !== undefined) f.invoice = filter.invoice;
    if (filter.sortByPurchaseDate) f.order_by_date_purchased = filter.sortByPurchaseDate;
    return f;
  }

  /** One page of `orders/getOrders` (flat, ≤ 50). */
  async getOrders(filter: OrderListFilter = {}, start = 0, limit = MAX_PAGE): Promise<Page<OrderSummary>> {
    const lim = Math.min(limit, MAX_PAGE);
    const m = await this.form('orders/getOrders', [['start', start], ['limit', lim], ['filters', JSON.stringify(this.orderFilters(filter))]], 'read');
    return orderPage(m, start, lim);
  }

  /** Every order matching the filter (pages of 50 while `moreavailable`), in the server's order. */
  async listOrders(filter: OrderListFilter = {}): Promise<OrderSummary[]> {
    return this.allPages((s) => this.getOrders(filter, s));
  }

  /**
   * The orders placed after `cursor` (an order id; 0 = from the beginning): the cursor helper of the
   * order intake. It asks `min_order = cursor` and pages by offset to the end, then keeps only ids
   * strictly greater than the cursor, each once, ascending. So it is right whether CEL includes the
   * `min_order` id or not, and whichever way it sorts: with a descending sort, orders arriving while
   * paging push earlier ones to later offsets, which shows them twice (dropped), never skips them.
   * Pair it with a `last_changed` look-back (`listOrders({ lastChanged })`) for changes to old orders.
   */
  async listOrdersSince(cursor: number | string, opts: { pageSize?: number } = {}): Promise<OrdersSince> {
    const from = cursorNumber(cursor);
    const limit = Math.min(opts.pageSize ?? MAX_PAGE, MAX_PAGE);
    const seen = new Map<number, OrderSummary>();
    const serverOrder: number[] = [];
    let cursorIncluded = false;
    let start = 0;
    let pages = 0;
    for (;;) {
      if (++pages > MAX_PAGES) throw new CelroResponseError('orders/getOrders', 200, '', `more than ${MAX_PAGES} pages: the server keeps saying more are available`);
      const page = await this.getOrders({ minOrder: from }, start, limit);
      for (const o of page.items) {
        const id = cursorNumber(o.id);
        if (id === from) cursorIncluded = true;
        if (id <= from || seen.has(id)) continue;
        seen.set(id, o);
        serverOrder.push(id);
      }
      if (!page.more || page.items.length === 0) break;
      start += page.items.length;
    }
    const ids = [...seen.keys()].sort((a, b) => a - b);
    const asc = serverOrder.every((id, i) => i === 0 || id > serverOrder[i - 1]!);
    const desc = serverOrder.every((id, i) => i === 0 || id < serverOrder[i - 1]!);
    return {
      orders: ids.map((id) => seen.get(id)!),
      cursor: String(ids.length ? ids[ids.length - 1] : from),
      pages,
      observed: {
        cursorIncluded,
        order: serverOrder.length < 2 ? 'unknown' : asc ? 'asc' : desc ? 'desc' : 'unknown',
        contradictsSetting: cursorIncluded && !(this.opts.minOrderInclusive ?? false),
      },
    };
  }

  /** `orders/getOrder`, parsed defensively (unknown shapes land in `issues`, the raw payload is kept). */
  async getOrder(orderId: number | string, opts: { originalDelivery?: boolean } = {}): Promise<CelroOrder> {
    const m = await this.form('orders/getOrder', [['order', orderId], ['original_delivery', opts.originalDelivery ?? false]], 'read');
    return parseCelroOrder(m, orderId);
  }

  async getOrderStatusList(): Promise<CelroStatus[]> {
    return parseStatusDictionary(await this.form('orders/getOrderStatusList', [], 'read'), this.opts.statusMeanings);
  }

  async listStatuses(): Promise<CelroStatus[]> {
    return parseStatusDictionary(await this.form('orders/ListStatuses', [['dummy', 1]], 'read'), this.opts.statusMeanings);
  }

  /** The status dictionary (getOrderStatusList, falling back to ListStatuses), fetched once per client. */
  statusDictionary(): Promise<CelroStatus[]> {
    this.statuses ??= (async () => {
      let list: CelroStatus[] = [];
      try {
        list = await this.getOrderStatusList();
      } catch (e) {
        if (!(e instanceof CelroApiError || e instanceof CelroResponseError)) throw e;
      }
      if (list.length === 0) list = await this.listStatuses();
      return list;
    })().catch((e: unknown) => {
      this.statuses = undefined;
      throw e;
    });
    return this.statuses;
  }

  /** Meaning of a status id by the dictionary (overrides first); 'unknown' when the id is not in it. */
  async statusMeaning(statusId: string | number | null): Promise<StatusMeaning> {
    if (statusId === null) return 'unknown';
    const id = String(statusId);
    if (this.opts.statusMeanings?.[id]) return this.opts.statusMeanings[id];
    return (await this.statusDictionary()).find((s) => s.id === id)?.meaning ?? 'unknown';
  }

  async getCancellingStatuses(): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('orders/listCancellingStatuses', [['dummy', 1]], 'read'), 'orders/listCancellingStatuses');
  }

  async confirmOrder(orderId: number | string): Promise<unknown> {
    return this.form('orders/confirmOrder', [['order', orderId]], 'write');
  }

  /** Cancel with a reason id (`motiv`, from listCancellingStatuses) or remarks (`observatii`, > 4 chars). */
  async cancelOrder(orderId: number | string, why: { reasonId?: number; remarks?: string }): Promise<unknown> {
    const remarks = why.remarks?.trim();
    if (!why.reasonId && (!remarks || remarks.length <= 4)) throw new ValidationError('cancelOrder needs a reason id or remarks longer than 4 characters', [{ path: 'remarks', message: 'too short' }]);
    const fields: [string, FormValue][] = [['order', orderId]];
    if (why.reasonId) fields.push(['motiv', why.reasonId]);
    if (remarks) fields.push(['observatii', remarks]);
    return this.form('orders/cancelOrder', fields, 'write');
  }

  async setReadyForDelivery(orderId: number | string): Promise<unknown> {
    return this.form('orders/SetReadyForDelivery', [['orders_id', orderId]], 'write');
  }

  async finishOrder(orderId: number | string): Promise<unknown> {
    return this.form('orders/finishOrder', [['orders_id', orderId]], 'write');
  }

  /** Register an AWB made elsewhere: `orders/generateAwb` with `manual=1`. */
  async registerAwb(orderId: number | string, courierId: number | string, awbNumber: string): Promise<unknown> {
    if (!awbNumber.trim()) throw new ValidationError('AWB number is empty', [{ path: 'awb_number', message: 'required' }]);
    return this.form('orders/generateAwb', [['manual', 1], ['orders_id', orderId], ['courier_id', courierId], ['awb_number', awbNumber.trim()]], 'write');
  }

  async getOrderAwbs(orderId: number | string): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('orders/getOrderAwbs', [['orders_id', orderId]], 'read'), 'orders/getOrderAwbs');
  }

  /** Attach the invoice PDF: multipart `oid`, `series`, `number`, `providerId`, file part `file`. */
  async addOrderInvoice(inv: { orderId: number | string; series: string; number: string; pdf: Uint8Array; providerId?: number }): Promise<unknown> {
    if (Buffer.from(inv.pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') throw new ValidationError('invoice file is not a PDF (no %PDF- header)', [{ path: 'file', message: 'not a PDF' }], { orderId: String(inv.orderId) });
    if (!inv.series.trim() || !inv.number.trim()) throw new ValidationError('invoice series and number are required', [{ path: 'series', message: 'required' }]);
    return this.call(
      'orders/addOrderInvoice',
      {
        kind: 'multipart',
        parts: [
          { name: 'oid', value: String(inv.orderId) },
          { name: 'series', value: inv.series.trim() },
          { name: 'number', value: inv.number.trim() },
          { name: 'providerId', value: String(inv.providerId ?? 0) },
          { name: 'file', value: inv.pdf, filename: 'file' },
        ],
      },
      'write',
    );
  }

  /** The customer's e-mail (`orders/getOrderEmail`, `oid`): getOrder does not carry it [U: answer is the bare address]. */
  async getOrderEmail(orderId: number | string): Promise<string | null> {
    const m = await this.form('orders/getOrderEmail', [['oid', orderId]], 'read');
    const v = isObj(m) ? (m.email ?? m.customers_email) : m;
    return typeof v === 'string' && v.includes('@') ? v.trim() : null;
  }

  async deleteOrderInvoice(orderId: number | string, series: string, number: string): Promise<unknown> {
    return this.form('orders/deleteOrderInvoice', [['orders_id', orderId], ['series', series], ['number', number]], 'write');
  }

  async getOrderInvoices(orderId: number | string): Promise<Record<string, unknown>[]> {
    return listOf(await this.form('orders/getOrderInvoices', [['orders_id', orderId]], 'read'), 'orders/getOrderInvoices');
  }

  /** Deprecated `orders/removeInvoice` (`orders_id`): drops the order's invoice; prefer deleteOrderInvoice. */
  async removeInvoice(orderId: number | string): Promise<unknown> {
    return this.form('orders/removeInvoice', [['orders_id', orderId]], 'write');
  }

  /** Legacy `orders/statusAwb` (`cmd`): the order's AWBs with a delivery status. */
  async statusAwb(orderId: number | string): Promise<CelroAwbStatus[]> {
    return listOf(await this.form('orders/statusAwb', [['cmd', orderId]], 'read'), 'orders/statusAwb').map((a) => {
      const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);
      return { awbNumber: str(a.awb_number ?? a.awb ?? a.numar_awb) ?? '', courier: str(a.courier ?? a.curier), status: str(a.status ?? a.status_name ?? a.stare), raw: a };
    });
  }

  /** `orders/checkPaymentForOrder` (`cmd`): true/false, or null when the answer cannot be read [U: shape]. */
  async checkPaymentForOrder(orderId: number | string): Promise<boolean | null> {
    return paidFlag(await this.form('orders/checkPaymentForOrder', [['cmd', orderId]], 'read'));
  }

  /** `orders/addOrderObservations` (`orders_id`, `observations`): remarks appended to the order. */
  async addOrderObservations(orderId: number | string, text: string): Promise<unknown> {
    if (!text.trim()) throw new ValidationError('order observations are empty', [{ path: 'observations', message: 'required' }], { orderId: String(orderId) });
    return this.form('orders/addOrderObservations', [['orders_id', orderId], ['observations', text.trim()]], 'write');
  }
}

// -------------------------------------------------------------------- response shaping

function assertPrice(p: string, model: string): string {
  if (!/^\d+(\.\d{1,2})?$/.test(p) || new Decimal(p).lte(0)) throw new ValidationError(`price for ${model} must be a positive decimal with at most 2 decimals, got "${p}"`, [{ path: 'price', message: p }]);
  return new Decimal(p).toFixed();
}

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function listOf(m: unknown, route: string): Record<string, unknown>[] {
  const raw = Array.isArray(m) ? m : isObj(m) ? (['data', 'list', 'items', 'results'].map((k) => m[k]).find(Array.isArray) ?? Object.values(m)) : undefined;
  if (!Array.isArray(raw)) throw new CelroResponseError(route, 200, JSON.stringify(m).slice(0, 4000), 'expected a list');
  return raw.filter(isObj);
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

/** An order id / cursor as a safe non-negative integer. */
function cursorNumber(v: number | string): number {
  const n = typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new ValidationError(`not an order id: ${JSON.stringify(v)}`, [{ path: 'min_order', message: String(v) }]);
  return n;
}

function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : null;
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

/** getOrders: flat `{list, moreavailable}` or grouped by status `{"<status>": {list, moreavailable}}`. */
function orderPage(m: unknown, start: number, limit: number): Page<OrderSummary> {
  const groups: { list: unknown[]; more: boolean; status: string | null }[] = [];
  if (Array.isArray(m)) groups.push({ list: m, more: m.length >= limit, status: null });
  else if (isObj(m) && Array.isArray(m.list)) groups.push({ list: m.list, more: Number(m.moreavailable) === 1, status: null });
  else if (isObj(m)) {
    for (const [k, g] of Object.entries(m)) {
      if (isObj(g) && Array.isArray(g.list)) groups.push({ list: g.list, more: Number(g.moreavailable) === 1, status: k });
      else throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(m).slice(0, 4000), `unexpected group "${k}"`);
    }
  } else throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(m).slice(0, 4000), 'expected an order list');
  const items: OrderSummary[] = [];
  for (const g of groups) {
    for (const o of g.list) {
      if (!isObj(o)) continue;
      const id = o.orders_id ?? o.id_comanda ?? o.id ?? o.order_id;
      if (typeof id !== 'string' && typeof id !== 'number') throw new CelroResponseError('orders/getOrders', 200, JSON.stringify(o).slice(0, 4000), 'an order without an id');
      const st = o.orders_status ?? o.status;
      items.push({ id: String(id), statusId: typeof st === 'string' || typeof st === 'number' ? String(st) : g.status, raw: o });
    }
  }
  return { items, start, more: groups.some((g) => g.more), total: null };
}

const PAID = new Set(['1', 'true', 'da', 'yes', 'paid', 'platit', 'platita', 'achitat', 'achitata']);
const UNPAID = new Set(['0', 'false', 'nu', 'no', 'unpaid', 'neplatit', 'neplatita', 'neachitat', 'neachitata']);

/** checkPaymentForOrder: a bare flag, a word, or an object carrying one (`platit`, `paid`, …). */
function paidFlag(m: unknown, depth = 0): boolean | null {
  if (typeof m === 'boolean') return m;
  if (typeof m === 'number') return m === 1 ? true : m === 0 ? false : null;
  if (typeof m === 'string') {
    const w = m.trim().toLowerCase();
    return PAID.has(w) ? true : UNPAID.has(w) ? false : null;
  }
  if (isObj(m) && depth === 0) {
    for (const k of ['platit', 'paid', 'achitat', 'is_paid', 'payment_status', 'status']) if (m[k] !== undefined) return paidFlag(m[k], 1);
  }
  return null;
}

function importStatus(r: Record<string, unknown>): CelroImportStatus {
  const states: Record<string, CelroImportStatus['state']> = { in_asteptare: 'waiting', waiting: 'waiting', aprobat: 'approved', approved: 'approved', respins: 'rejected', rejected: 'rejected', eroare: 'failed', error: 'failed' };
  const raw = typeof r.status === 'string' ? r.status.trim().toLowerCase() : '';
  const reason = typeof r.motiv === 'string' && r.motiv !== '' ? r.motiv : null;
  return { model: String(r.products_model ?? r.model ?? ''), state: Object.hasOwn(states, raw) ? states[raw]! : 'unknown', reason, raw: r };
}
