import { randomBytes } from 'node:crypto';
import { createCourierSimCore, listen, type CourierSimCore, type SimAwb, type StepEvents } from './common.ts';

/**
 * A FAN Courier API v2 simulator (research/domain.md §3.1): `POST /login` → `{status:"success",
 * data:{token, expiresAt}}`; `POST /intern-awb` → `{response:[{awbNumber, tariff, …, errors}]}` with
 * 13-digit AWB numbers; `GET /reports/awb/tracking?clientId&awb[]` → `{status:"success", data:[…events]}`.
 * Like the real service it wants the county's full name without diacritics (422 otherwise) and the
 * `clientId` of the account.
 */
export interface FanCourierSimOptions {
  readonly port?: number;
  readonly host?: string;
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface FanCourierSim extends CourierSimCore {
  readonly url: string;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  close(): Promise<void>;
}

export const FAN_STEPS: StepEvents = {
  picked_up: [{ code: 'C0', label: 'Expeditie ridicata' }],
  in_transit: [
    { code: 'H3', label: 'Expeditie sortata pe banda' },
    { code: 'H10', label: 'Expeditie in tranzit spre depozitul de destinatie' },
    { code: 'C1', label: 'Expeditie preluata spre livrare' },
  ],
  out_for_delivery: [{ code: 'S1', label: 'Expeditie in livrare' }],
  delivered: [{ code: 'S2', label: 'Livrat' }],
  refused: [{ code: 'S6', label: 'Refuz primire' }],
  returned: [{ code: 'S16', label: 'Retur la termen' }],
};

/** Counties as FAN spells them (a subset is enough for the checks the real API makes). */
const COUNTIES = new Set(
  'Alba Arad Arges Bacau Bihor Bistrita-Nasaud Botosani Braila Brasov Bucuresti Buzau Calarasi Caras-Severin Cluj Constanta Covasna Dambovita Dolj Galati Giurgiu Gorj Harghita Hunedoara Ialomita Iasi Ilfov Maramures Mehedinti Mures Neamt Olt Prahova Salaj Satu-Mare Sibiu Suceava Teleorman Timis Tulcea Valcea Vaslui Vrancea'
    .split(' ')
    .map((c) => c.toLowerCase()),
);

export async function startFanCourierSim(opts: FanCourierSimOptions = {}): Promise<FanCourierSim> {
  const clientId = opts.clientId ?? '7032158';
  const username = opts.username ?? 'clienttest';
  const password = opts.password ?? 'testing';
  const core = createCourierSimCore(FAN_STEPS, 'Bucuresti');
  const { app } = core;
  let next = 2_332_300_120_000;
  let tokenId = 48_944_740;

  const authed = (auth: string | undefined): boolean => core.tokenValid(/^Bearer (.+)$/.exec(auth ?? '')?.[1]);
  const unauthenticated = { status: 'error', message: 'Unauthenticated.' };

  app.post('/login', async (req, reply) => {
    if (await core.fault(req, reply)) return;
    const b = readBody(req.body, req.query);
    if (b.username !== username || b.password !== password) return reply.code(401).send({ status: 'error', message: 'Invalid credentials' });
    // Laravel Sanctum's shape, as FAN's: "<id>|<secret>", valid 24 h.
    const token = `${++tokenId}|${randomBytes(30).toString('base64url')}`;
    core.tokens.set(token, Date.now() + 24 * 3600_000);
    return { status: 'success', data: { token, expiresAt: fanDate(new Date(Date.now() + 24 * 3600_000)) } };
  });

  app.post('/intern-awb', async (req, reply) => {
    if (!authed(req.headers.authorization)) return reply.code(401).send(unauthenticated);
    const b = readBody(req.body, req.query) as { clientId?: unknown; shipments?: unknown };
    if (String(b.clientId ?? '') !== clientId) return reply.code(422).send({ status: 'fail', message: 'The given data was invalid.', errors: { clientId: ['Clientul nu exista sau nu aveti drept de acces'] } });
    if (!Array.isArray(b.shipments) || b.shipments.length === 0) return reply.code(422).send({ status: 'fail', message: 'The given data was invalid.', errors: { shipments: ['Campul shipments este obligatoriu'] } });
    const created: SimAwb[] = [];
    const response = b.shipments.map((s: unknown) => {
      const sh = (s ?? {}) as { info?: Record<string, unknown>; recipient?: { name?: unknown; phone?: unknown; address?: Record<string, unknown> } };
      const errors: Record<string, string[]> = {};
      const county = String(sh.recipient?.address?.county ?? '');
      if (!COUNTIES.has(county.toLowerCase())) errors['recipient.address.county'] = ['Perechea judet-localitate introdusa este incorecta'];
      if (!sh.recipient?.name) errors['recipient.name'] = ['Campul nume destinatar este obligatoriu'];
      if (!sh.recipient?.phone) errors['recipient.phone'] = ['Campul telefon este obligatoriu'];
      if (!sh.recipient?.address?.locality) errors['recipient.address.locality'] = ['Campul localitate este obligatoriu'];
      if (Object.keys(errors).length) return { awbNumber: null, tariff: null, errors };
      const awbNumber = String(next++);
      const cost = (15 + Number(sh.info?.weight ?? 1) * 2.35).toFixed(2);
      created.push({ awbNumber, reference: String(sh.info?.costCenter ?? ''), createdAt: new Date(), request: sh as Record<string, unknown>, cost, events: [] });
      return { awbNumber: Number(awbNumber), tariff: Number(cost), packages: 1, routingCode: '0200', office: 'Bucuresti', errors: null };
    });
    const commit = () => created.forEach((a) => core.awbs.set(a.awbNumber, a));
    if (await core.fault(req, reply, commit)) return;
    commit();
    const failed = response.every((r) => r.awbNumber === null);
    return reply.code(failed ? 422 : 200).send({ response });
  });

  app.get('/reports/awb/tracking', async (req, reply) => {
    if (!authed(req.headers.authorization)) return reply.code(401).send(unauthenticated);
    if (await core.fault(req, reply)) return;
    const q = req.query as Record<string, unknown>;
    if (String(q.clientId ?? '') !== clientId) return reply.code(422).send({ status: 'fail', message: 'The given data was invalid.', errors: { clientId: ['clientId invalid'] } });
    const awbs = awbParams(req.url);
    if (awbs.length === 0) return reply.code(422).send({ status: 'fail', message: 'The given data was invalid.', errors: { awb: ['Campul awb este obligatoriu'] } });
    const data = awbs.map((n) => {
      const a = core.awbs.get(n);
      if (!a) return { awbNumber: Number(n), content: '', message: 'AWB-ul nu a fost gasit' };
      if (a.events.length === 0) return { awbNumber: Number(n), content: '', message: 'The AWB has been registerd by sender' };
      return {
        awbNumber: Number(n),
        content: String(a.request.info && (a.request.info as Record<string, unknown>).content ? (a.request.info as Record<string, unknown>).content : ''),
        date: fanDate(a.createdAt),
        paymentDate: '',
        returnAwbNumber: '',
        redirectionAwbNumber: '',
        reimbursementAwbNumber: '',
        oPODAwbNumber: '',
        confirmation: { name: a.events.some((e) => e.code === 'S2') ? String((a.request.recipient as Record<string, unknown>)?.name ?? '') : '', date: '' },
        OTD: '24H',
        events: a.events.map((e) => ({ id: e.code, name: e.label, location: e.location, date: fanDate(e.at) })),
      };
    });
    return { status: 'success', data };
  });

  const url = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  return Object.assign(core, { url, clientId, username, password, close: () => app.close() });
}

/** `awb[]=1&awb[]=2`, `awb[0]=1`, or `awb=1`: every form PHP's http_build_query and others send. */
function awbParams(url: string): string[] {
  const q = new URLSearchParams(url.split('?')[1] ?? '');
  return [...q.entries()].filter(([k]) => k === 'awb' || /^awb\[\d*\]$/.test(k)).map(([, v]) => v);
}

function readBody(body: unknown, query: unknown): Record<string, unknown> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  return (query ?? {}) as Record<string, unknown>;
}

/** FAN writes local Bucharest time without an offset. */
function fanDate(d: Date): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
