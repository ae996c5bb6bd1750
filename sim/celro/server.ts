import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { adminRoutes } from './admin.ts';
import { STATUS } from './data.ts';
import { HttpReply, envelope, parseBody, readBody } from './http.ts';
import type { SortDirection } from './orders-query.ts';
import { accountRoutes } from './routes/account.ts';
import { awbRoutes } from './routes/awb.ts';
import type { RouteContext, Routes } from './routes/context.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { messageRoutes } from './routes/messages.ts';
import { orderRoutes } from './routes/orders.ts';
import { productRoutes } from './routes/products.ts';
import { SimError, SimState, type Rules } from './state.ts';
import type { CelroSimOptions, FaultKind, FaultRule, LogEntry, PushRecord, SimConfig } from './types.ts';
import { orderViews } from './views.ts';

export type { CelroSimOptions, FaultKind, FaultRule, LogEntry, PushRecord, SimConfig, TokenSignal } from './types.ts';

/**
 * Simulator of the Cel.ro seller API (research/celro.md, celro-sdk-wire.md): POST-only RPC under
 * /market_api/{method}/{action}/, form-encoded bodies (bracket arrays, JSON-in-a-field where the SDK
 * sends it), `AUTH: Bearer <token>`, the {error, tokenStatus, message} envelope, token expiry, a cap on
 * simultaneous connections per account, fault injection and admin routes under /_sim/.
 *
 * This file holds what runs around every call (auth, the connection cap, faults, the envelope, the log);
 * the calls themselves are in routes/ (one file per API area), the /_sim/ routes in admin.ts.
 */

export interface CelroSim {
  /** Base URL the client uses: http://127.0.0.1:<port>/market_api/ */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly state: SimState;
  readonly config: SimConfig;
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
  const config: SimConfig = {
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

  const views = orderViews(state, rules);
  const ctx: RouteContext = { state, config, rules, views };
  const handlers: Routes = { ...accountRoutes(ctx), ...productRoutes(ctx), ...orderRoutes(ctx), ...awbRoutes(ctx), ...invoiceRoutes(ctx), ...messageRoutes(ctx) };

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
    return { order: views.orderDetail(o), push };
  };

  const admin = adminRoutes({ state, config, views, tokens, log, pushes, stats, faults: () => faults, setFaults, expireTokens, resetStats, placeOrder, firePush });

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

