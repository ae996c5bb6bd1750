import type http from 'node:http';
import { HttpReply, readBody } from './http.ts';
import { SimError, type SimState } from './state.ts';
import type { FaultRule, LogEntry, PushRecord, SimConfig } from './types.ts';
import type { OrderViews } from './views.ts';

/** What the admin routes reach into: the server's live state, its records and its controls. */
export interface AdminContext {
  readonly state: SimState;
  readonly config: SimConfig;
  readonly views: OrderViews;
  readonly tokens: Map<string, { username: string; expiresAt: number }>;
  readonly log: LogEntry[];
  readonly pushes: PushRecord[];
  readonly stats: Record<string, number>;
  readonly faults: () => readonly FaultRule[];
  readonly setFaults: (rules: FaultRule[]) => void;
  readonly expireTokens: () => void;
  readonly resetStats: () => void;
  readonly placeOrder: (input: Parameters<SimState['placeOrder']>[0]) => Promise<{ order: Record<string, unknown>; push: PushRecord | null }>;
  readonly firePush: (type: number, value: unknown) => Promise<PushRecord | null>;
}

/**
 * The /_sim/ admin routes (JSON, for tests and the demo): reset and seed, products and orders as the
 * simulator holds them, customer orders and cancellations, faults, tokens, the request log, config.
 */
export function adminRoutes(ctx: AdminContext): (req: http.IncomingMessage, url: URL) => Promise<HttpReply> {
  const { state, config, tokens, log, pushes, stats, faults, setFaults, expireTokens, resetStats, placeOrder, firePush } = ctx;
  const { orderDetail } = ctx.views;
  return async function admin(req, url) {
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
        setFaults([]);
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
        if (m === 'GET') return json(faults());
        if (m === 'DELETE') {
          setFaults([]);
          return json({ ok: true });
        }
        if (m === 'POST') {
          const b = await readJson();
          const rs = Array.isArray(b.faults) ? (b.faults as FaultRule[]) : [b as unknown as FaultRule];
          setFaults([...faults(), ...rs]);
          return json(faults());
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
  };
}
