import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SimHttpError, bare, regular, serverError } from './errors.ts';
import { type FaultRule, parseFaultRules, pickFaults } from './faults.ts';
import { type Behaviour, registerApi, validateArticle } from './routes/index.ts';
import { emptyState, seedDemo } from './seed.ts';
import type { Article, SimState } from './state.ts';
import { type Delivery, type KeyPair, WebhookDispatcher, generateSigningKey } from './webhooks.ts';
import { dec, lexTime, num, uuid } from './util.ts';

export const DEFAULT_SIM_KEY = 'sim-lexoffice-key';

export interface SimRateLimit {
  /** Requests per second per API key (documented: 2, all endpoints together). */
  ratePerSecond: number;
  /** Bucket size; undocumented [UNCERTAIN], default 2. */
  burst: number;
  /** Seconds for a `Retry-After` header on 429; undocumented [UNCERTAIN], default none. */
  retryAfterSeconds: number | null;
  enabled: boolean;
}

export interface LexofficeSimOptions {
  readonly port?: number;
  readonly host?: string;
  /** The accepted API key (default `sim-lexoffice-key`); `apiKeys` accepts several (one bucket each). */
  readonly apiKey?: string;
  readonly apiKeys?: readonly string[];
  /** `demo` = realistic catalog, two contacts; `empty` = profile and countries only. */
  readonly seed?: 'demo' | 'empty';
  /** Articles in the demo catalog (default 40). */
  readonly articles?: number;
  readonly rateLimit?: Partial<SimRateLimit>;
  readonly faults?: readonly FaultRule[];
  readonly behaviour?: Partial<Behaviour>;
  /** Reuse a signing key (PEM pair); default: a fresh RSA key per start. */
  readonly signingKey?: KeyPair;
  readonly webhookRetryDelaysMs?: readonly number[];
  readonly webhookTimeoutMs?: number;
  readonly clock?: () => Date;
  /** For fault rates below 1; default Math.random. */
  readonly random?: () => number;
}

export interface RequestLogEntry {
  readonly seq: number;
  /** Wall-clock ms (fractional) when the request arrived. */
  readonly t: number;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Index of the API key used (keys themselves are never logged), or null. */
  readonly key: number | null;
  readonly fault?: string;
  readonly ms: number;
}

export interface LexofficeSim {
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  readonly publicKeyPem: string;
  readonly app: FastifyInstance;
  state(): SimState;
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  deliveries(): readonly Delivery[];
  /** Resolves when all webhook deliveries in flight (with retries) are done. */
  webhooksIdle(): Promise<void>;
  setFaults(rules: readonly FaultRule[]): void;
  faults(): readonly FaultRule[];
  setRateLimit(r: Partial<SimRateLimit>): void;
  reset(opts?: { seed?: 'demo' | 'empty'; articles?: number }): void;
  /** Change an article as a user would in the web app (version+1) and fire `article.changed`. */
  changeArticle(id: string, patch?: Record<string, unknown>): Record<string, unknown>;
  /**
   * Store an article row exactly as given (no validation; `id` generated when absent) and fire
   * `article.created`: the documentation's sparser shapes, or a malformed row to test a client against.
   */
  putRawArticle(raw: Record<string, unknown>): Record<string, unknown>;
  /** Record a payment on an open invoice (paid when settled) and fire the status/payment events. */
  payVoucher(id: string, amount?: number): Record<string, unknown>;
  /** Finalize a draft invoice as a user does in the web app (the API cannot) and fire `invoice.status.changed`. */
  finalizeVoucher(id: string): Record<string, unknown>;
  close(): Promise<void>;
}

interface Meta {
  key: number | null;
  t: number;
  fault?: FaultRule;
}

const DEFAULT_BEHAVIOUR: Behaviour = {
  contactVersionConflict: 406,
  voucherNumberMatch: 'exact',
  voucherlistSort: 'live',
  articlesMinSize: 1,
  requireHttpsCallbacks: false,
  createStatus: 201,
};

/** Start a lexoffice API simulator on 127.0.0.1 (port 0 = ephemeral). Usable in-process and from the CLI. */
export async function startLexofficeSim(opts: LexofficeSimOptions = {}): Promise<LexofficeSim> {
  const keys = opts.apiKeys ?? [opts.apiKey ?? DEFAULT_SIM_KEY];
  const now = opts.clock ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const signingKey = opts.signingKey ?? generateSigningKey();
  const rate: SimRateLimit = { ratePerSecond: 2, burst: 2, retryAfterSeconds: null, enabled: true, ...opts.rateLimit };
  let behaviour: Behaviour = { ...DEFAULT_BEHAVIOUR, ...opts.behaviour };
  let faults: FaultRule[] = (opts.faults ?? []).map((f) => ({ ...f }));
  let state = makeState(opts.seed ?? 'demo', opts.articles ?? 40, now());
  const buckets = new Map<number, { tokens: number; at: number }>();
  const log: RequestLogEntry[] = [];
  let seq = 0;
  let baseUrl = '';
  const meta = new WeakMap<object, Meta>();
  const dispatcher = new WebhookDispatcher(() => state, signingKey, {
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [1000, 2000, 4000],
    timeoutMs: opts.webhookTimeoutMs ?? 5000,
  });

  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const takeToken = (key: number): boolean => {
    const t = performance.now();
    const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
    b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.ratePerSecond);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  const fail = (reply: FastifyReply, e: SimHttpError): FastifyReply => reply.code(e.status).header('content-type', 'application/json').send(JSON.stringify(e.body));

  app.addHook('onRequest', async (req, reply) => {
    const m: Meta = { key: null, t: performance.timeOrigin + performance.now() };
    meta.set(req.raw, m);
    if (!req.url.startsWith('/v1/') && req.url !== '/v1') return;
    const auth = req.headers.authorization;
    if (auth === undefined) return fail(reply, bare(401, 'Unauthorized'));
    const match = /^Bearer (\S+)$/.exec(auth);
    if (!match) return fail(reply, bare(403, `'${auth.slice(0, 12)}…' not a valid key=value pair (missing equal-sign) in Authorization header: '${auth.slice(0, 12)}…'.`));
    const key = keys.indexOf(match[1] as string);
    if (key < 0) return fail(reply, bare(401, 'Unauthorized'));
    m.key = key;
    if (rate.enabled && !takeToken(key)) {
      if (rate.retryAfterSeconds !== null) reply.header('retry-after', String(rate.retryAfterSeconds));
      return fail(reply, bare(429, 'Rate limit exceeded'));
    }
    const f = pickFaults(faults, req.method, req.url.split('?')[0] ?? req.url, random);
    if (f.delayMs > 0) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f.fail?.kind === 'rate-limit') {
      m.fault = f.fail;
      if (rate.retryAfterSeconds !== null) reply.header('retry-after', String(rate.retryAfterSeconds));
      return fail(reply, bare(429, 'Rate limit exceeded'));
    }
    if (f.fail?.kind === 'server-error') {
      m.fault = f.fail;
      return fail(reply, serverError());
    }
    if (f.fail) m.fault = f.fail;
  });

  // 504 after commit: the handler ran (the write is stored, webhooks fired), the answer is lost.
  app.addHook('onSend', async (req, reply, payload) => {
    const m = meta.get(req.raw);
    if (m?.fault?.kind !== 'timeout-after-commit' || reply.statusCode >= 500) return payload;
    if (m.fault.delayMs) await new Promise((r) => setTimeout(r, m.fault?.delayMs));
    reply.code(504);
    reply.removeHeader('location');
    reply.removeHeader('content-disposition');
    reply.removeHeader('content-length');
    reply.header('content-type', 'application/json');
    return JSON.stringify({ message: 'Endpoint request timed out' });
  });

  app.addHook('onResponse', async (req, reply) => {
    const m = meta.get(req.raw);
    if (!req.url.startsWith('/v1') || !m) return;
    log.push({
      seq: ++seq,
      t: m.t,
      method: req.method,
      path: req.url,
      status: reply.statusCode,
      key: m.key,
      ...(m.fault ? { fault: m.fault.kind } : {}),
      ms: Math.round(performance.timeOrigin + performance.now() - m.t),
    });
    if (log.length > 20_000) log.splice(0, 5_000);
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof SimHttpError) return fail(reply, err);
    if (!req.url.startsWith('/v1')) return reply.code(400).send({ error: (err as Error).message });
    return fail(reply, serverError());
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/v1')) return fail(reply, regular(404, req.url.split('?')[0] ?? req.url, 'No static resource'));
    return reply.code(404).send({ error: 'no such simulator route' });
  });

  registerApi(app, {
    state: () => state,
    emit: (type, id) => dispatcher.emit(type, id, now()),
    baseUrl: () => baseUrl,
    now,
    keyOf: (req) => String(meta.get(req.raw)?.key ?? ''),
    get behaviour() {
      return behaviour;
    },
  });

  // ---- simulator admin routes (never under /v1/) ----
  const sim: LexofficeSim = {
    url: '',
    port: 0,
    apiKey: keys[0] as string,
    publicKeyPem: signingKey.publicKeyPem,
    app,
    state: () => state,
    requests: () => log,
    clearRequests: () => void log.splice(0, log.length),
    deliveries: () => dispatcher.deliveries,
    webhooksIdle: () => dispatcher.idle(),
    setFaults: (rules) => void (faults = rules.map((r) => ({ ...r }))),
    faults: () => faults,
    setRateLimit: (r) => {
      Object.assign(rate, r);
      buckets.clear();
    },
    reset: (o = {}) => {
      state = makeState(o.seed ?? 'empty', o.articles ?? 40, now());
      buckets.clear();
      log.splice(0, log.length);
      dispatcher.deliveries.splice(0, dispatcher.deliveries.length);
    },
    changeArticle: (id, patch = {}) => {
      const a = state.articles.get(id);
      if (!a) throw new SimHttpError(404, { error: 'no such article' });
      const merged = { ...a, ...patch, price: { ...a.price, ...((patch.price as object | undefined) ?? {}) } } as Record<string, unknown>;
      if (patch.price === undefined && Object.keys(patch).length === 0) {
        // Default change: raise the leading price by 1.00.
        const lead = a.price.leadingPrice === 'NET' ? 'netPrice' : 'grossPrice';
        (merged.price as Record<string, unknown>)[lead] = num(dec(a.price[lead]).plus(1));
      }
      const fields = validateArticle(merged, state, `/_sim/articles/${id}/change`, id);
      Object.assign(a, fields, { archived: typeof patch.archived === 'boolean' ? patch.archived : a.archived, version: a.version + 1, updatedDate: lexTime(now()) });
      dispatcher.emit('article.changed', id, now());
      return a as unknown as Record<string, unknown>;
    },
    putRawArticle: (raw) => {
      const row = { ...raw, id: typeof raw.id === 'string' ? raw.id : uuid() };
      state.articles.set(row.id, row as unknown as Article);
      dispatcher.emit('article.created', row.id, now());
      return row;
    },
    finalizeVoucher: (id) => {
      const v = state.vouchers.get(id);
      if (!v || v.kind !== 'invoice') throw new SimHttpError(404, { error: 'no such invoice' });
      if (v.doc.voucherStatus !== 'draft') throw new SimHttpError(409, { error: `invoice is ${v.doc.voucherStatus}, not a draft` });
      v.doc.voucherStatus = 'open';
      v.doc.version += 1;
      v.doc.updatedDate = lexTime(now());
      dispatcher.emit('invoice.status.changed', id, now());
      return v.doc;
    },
    payVoucher: (id, amount) => {
      const v = state.vouchers.get(id);
      if (!v || v.kind !== 'invoice') throw new SimHttpError(404, { error: 'no such invoice' });
      if (v.doc.voucherStatus !== 'open') throw new SimHttpError(409, { error: `invoice is ${v.doc.voucherStatus}` });
      const open = dec(v.totalGross).minus(v.payments.reduce((s, p) => s.plus(p.amount), dec(0)));
      const pay = amount === undefined ? open : dec(amount);
      v.payments.push({ postingDate: lexTime(now()), amount: num(pay) });
      if (pay.gte(open)) {
        v.doc.voucherStatus = 'paid';
        dispatcher.emit('invoice.status.changed', id, now());
      }
      v.doc.version += 1;
      v.doc.updatedDate = lexTime(now());
      dispatcher.emit('payment.changed', id, now());
      return v.doc;
    },
    close: async () => {
      dispatcher.close();
      await app.close();
    },
  };

  const body = (req: FastifyRequest): Record<string, unknown> => {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) return {};
    return JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
  };
  app.get('/_sim/health', async () => ({ status: 'ok' }));
  app.get('/_sim/public-key', async (_req, reply) => reply.header('content-type', 'application/x-pem-file').send(signingKey.publicKeyPem));
  app.post('/_sim/reset', async (req) => {
    const b = body(req);
    sim.reset({ seed: b.seed === 'demo' ? 'demo' : 'empty', ...(typeof b.articles === 'number' ? { articles: b.articles } : {}) });
    return summary(state);
  });
  app.post('/_sim/seed', async (req) => {
    const b = body(req);
    sim.reset({ seed: 'demo', ...(typeof b.articles === 'number' ? { articles: b.articles } : {}) });
    return summary(state);
  });
  app.get('/_sim/state', async () => summary(state));
  app.post('/_sim/articles/raw', async (req) => sim.putRawArticle(body(req)));
  app.post('/_sim/articles/:id/change', async (req) => sim.changeArticle((req.params as { id: string }).id, body(req)));
  app.post('/_sim/vouchers/:id/finalize', async (req) => sim.finalizeVoucher((req.params as { id: string }).id));
  app.post('/_sim/vouchers/:id/pay', async (req) => {
    const b = body(req);
    return sim.payVoucher((req.params as { id: string }).id, typeof b.amount === 'number' ? b.amount : undefined);
  });
  app.get('/_sim/faults', async () => ({ rules: faults }));
  app.put('/_sim/faults', async (req, reply) => {
    try {
      sim.setFaults(parseFaultRules(body(req)));
    } catch (e) {
      return reply.code(400).send({ error: (e as Error).message });
    }
    return { rules: faults };
  });
  app.delete('/_sim/faults', async () => {
    sim.setFaults([]);
    return { rules: faults };
  });
  app.get('/_sim/requests', async (req) => {
    const since = Number((req.query as Record<string, string>).since ?? 0);
    return { requests: log.filter((r) => r.seq > since) };
  });
  app.delete('/_sim/requests', async () => {
    sim.clearRequests();
    return { requests: [] };
  });
  app.get('/_sim/webhooks', async () => ({ deliveries: dispatcher.deliveries }));
  app.get('/_sim/config', async () => ({ rateLimit: rate, behaviour }));
  app.put('/_sim/config', async (req) => {
    const b = body(req);
    if (b.rateLimit && typeof b.rateLimit === 'object') sim.setRateLimit(b.rateLimit as Partial<SimRateLimit>);
    if (b.behaviour && typeof b.behaviour === 'object') behaviour = { ...behaviour, ...(b.behaviour as Partial<Behaviour>) };
    return { rateLimit: rate, behaviour };
  });

  const address = await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const port = Number(new URL(address).port);
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`;
  return Object.assign(sim, { url: baseUrl, port });
}

function makeState(seed: 'demo' | 'empty', articles: number, now: Date): SimState {
  const s = emptyState();
  if (seed === 'demo') seedDemo(s, articles, now);
  return s;
}

function summary(s: SimState): Record<string, unknown> {
  return { organizationId: s.organizationId, articles: s.articles.size, contacts: s.contacts.size, vouchers: s.vouchers.size, subscriptions: s.subscriptions.size };
}
