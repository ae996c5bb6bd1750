import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * What the courier simulators share: tokens that expire, AWBs with a scripted life (picked up → in
 * transit → out for delivery → delivered, or refused/returned), faults per route, and the admin routes
 * under /_sim/ that tests and the demo use to move parcels along. Each courier module adds its own
 * wire format (paths, auth headers, body shapes, status codes) on top.
 */
export type SimStep = 'picked_up' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'refused' | 'returned';

export interface SimEvent {
  readonly code: string;
  readonly label: string;
  readonly at: Date;
  readonly location: string;
}

export interface SimAwb {
  readonly awbNumber: string;
  readonly reference: string;
  readonly createdAt: Date;
  /** The request body as the simulator read it (tests check the wire format against it). */
  readonly request: Record<string, unknown>;
  readonly cost: string;
  readonly events: SimEvent[];
}

export type CourierFaultKind = 'http500' | 'http429' | 'http503' | 'timeout-after-commit';

export interface CourierFault {
  /** A path prefix (`/intern-awb`, `/api/awb`, `/reports/awb/tracking` …). */
  readonly route: string;
  readonly kind: CourierFaultKind;
  /** How many calls it hits (default 1). */
  count?: number;
}

/** Each courier's way of writing its events for a step. */
export type StepEvents = Readonly<Record<SimStep, ReadonlyArray<{ code: string; label: string }>>>;

export interface CourierSimCore {
  readonly app: FastifyInstance;
  readonly awbs: Map<string, SimAwb>;
  readonly tokens: Map<string, number>;
  faults: CourierFault[];
  /** Requests seen: method, path, and whether they were authenticated. */
  readonly log: Array<{ method: string; path: string; at: string }>;
  issueToken(ttlMs?: number): string;
  tokenValid(token: string | undefined): boolean;
  expireTokens(): void;
  /** Apply a fault due for this path; returns true when the reply was sent (the call ends there). */
  fault(req: FastifyRequest, reply: FastifyReply, afterCommit?: () => void): Promise<boolean>;
  /** Move an AWB along to `to`, appending the courier's events for every step up to it. */
  advance(awbNumber: string, to: SimStep): SimAwb;
}

const ORDER: readonly SimStep[] = ['picked_up', 'in_transit', 'out_for_delivery', 'delivered'];

export function createCourierSimCore(steps: StepEvents, location: string): CourierSimCore {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  // Couriers take form bodies too (Sameday only those): read them raw, each module parses its way.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const core: CourierSimCore = {
    app,
    awbs: new Map(),
    tokens: new Map(),
    faults: [],
    log: [],
    issueToken(ttlMs = 24 * 3600_000) {
      const token = randomBytes(20).toString('hex');
      core.tokens.set(token, Date.now() + ttlMs);
      return token;
    },
    tokenValid(token) {
      const until = token ? core.tokens.get(token) : undefined;
      return until !== undefined && until > Date.now();
    },
    expireTokens() {
      core.tokens.clear();
    },
    async fault(req, reply, afterCommit) {
      const path = req.url.split('?')[0]!;
      const f = core.faults.find((x) => path.startsWith(x.route) && (x.count ?? 1) > 0);
      if (!f) return false;
      f.count = (f.count ?? 1) - 1;
      if (f.kind === 'http429') await reply.code(429).header('retry-after', '1').send({ message: 'Too Many Attempts.' });
      else if (f.kind === 'http503') await reply.code(503).send({ message: 'Service Unavailable' });
      else if (f.kind === 'http500') await reply.code(500).send({ message: 'Server Error' });
      else {
        afterCommit?.(); // the work is done, the answer is lost
        await reply.code(504).send('Gateway Time-out');
      }
      return true;
    },
    advance(awbNumber, to) {
      const awb = core.awbs.get(awbNumber);
      if (!awb) throw new Error(`unknown AWB ${awbNumber}`);
      const done = new Set(ORDER.filter((s) => steps[s].some((e) => awb.events.some((x) => x.code === e.code))));
      const path: SimStep[] = to === 'refused' || to === 'returned' ? ['picked_up', 'in_transit', 'out_for_delivery', to] : ORDER.slice(0, ORDER.indexOf(to) + 1);
      if (to === 'returned' && !awb.events.some((e) => steps.refused.some((r) => r.code === e.code))) path.splice(3, 0, 'refused');
      let t = Math.max(Date.now() - 60_000, awb.events.at(-1)?.at.getTime() ?? awb.createdAt.getTime());
      for (const step of path) {
        if (done.has(step)) continue;
        for (const e of steps[step]) awb.events.push({ ...e, at: new Date((t += 1000)), location });
        done.add(step);
      }
      return awb;
    },
  };
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/_sim')) core.log.push({ method: req.method, path: req.url.split('?')[0]!, at: new Date().toISOString() });
  });
  // Admin routes (not part of any courier's API).
  app.get('/_sim/awbs', async () => [...core.awbs.values()]);
  app.post<{ Params: { awb: string }; Body: { to?: SimStep } }>('/_sim/awbs/:awb/advance', async (req, reply) => {
    const to = req.body?.to ?? 'delivered';
    if (![...ORDER, 'refused', 'returned'].includes(to)) return reply.code(400).send({ error: `to must be one of ${[...ORDER, 'refused', 'returned'].join(', ')}` });
    if (!core.awbs.has(req.params.awb)) return reply.code(404).send({ error: 'unknown AWB' });
    return core.advance(req.params.awb, to);
  });
  app.post<{ Body: CourierFault[] }>('/_sim/faults', async (req) => {
    core.faults = Array.isArray(req.body) ? req.body : [];
    return { faults: core.faults };
  });
  app.post('/_sim/expire-tokens', async () => {
    core.expireTokens();
    return { ok: true };
  });
  return core;
}

/** PHP's reading of a form body: `a[b]=1&a[c][0]=2` → `{a: {b: '1', c: ['2']}}`. */
export function parsePhpForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.replace(/\]/g, '').split('[');
    let node: Record<string, unknown> = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else node = (node[p] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}

export async function listen(app: FastifyInstance, port: number, host: string): Promise<string> {
  await app.listen({ port, host });
  const addr = app.server.address();
  return `http://${host}:${typeof addr === 'object' && addr ? addr.port : port}`;
}
