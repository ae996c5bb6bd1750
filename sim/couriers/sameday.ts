import { createCourierSimCore, listen, parsePhpForm, type CourierSimCore, type SimAwb, type StepEvents } from './common.ts';

/**
 * A Sameday API simulator (research/domain.md §3.2, the official php-sdk's requests and responses):
 * `POST /api/authenticate` with `X-Auth-Username`/`X-Auth-Password` → `{token, expire_at}`;
 * `POST /api/awb` (form-urlencoded, PHP-style nested fields, `X-AUTH-TOKEN`) → `{awbNumber, awbCost,
 * parcels:[{position, awbNumber}]}`; `GET /api/client/awb/{awb}/status` → `{expeditionSummary,
 * expeditionHistory, expeditionStatus, parcelsStatus}`. Validation errors answer 400 with
 * `{code, message, errors}` as Symfony-based APIs do; an unknown pickup point or service is refused.
 */
export interface SamedaySimOptions {
  readonly port?: number;
  readonly host?: string;
  readonly username?: string;
  readonly password?: string;
  readonly pickupPoint?: number;
  readonly services?: readonly number[];
}

export interface SamedaySim extends CourierSimCore {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly pickupPoint: number;
  close(): Promise<void>;
}

// Ids 1, 33 and 9 are confirmed (php-sdk docs); the others are the simulator's own [U].
export const SAMEDAY_STEPS: StepEvents = {
  picked_up: [{ code: '4', label: 'Colet ridicat de curier' }],
  in_transit: [{ code: '7', label: 'Colet in tranzit spre hub-ul de destinatie' }],
  out_for_delivery: [{ code: '33', label: 'In livrare la curier' }],
  delivered: [{ code: '9', label: 'Livrata cu succes' }],
  refused: [{ code: '17', label: 'Refuz la livrare' }],
  returned: [{ code: '25', label: 'Retur la expeditor' }],
};

export async function startSamedaySim(opts: SamedaySimOptions = {}): Promise<SamedaySim> {
  const username = opts.username ?? 'sameday-demo';
  const password = opts.password ?? 'sameday-demo';
  const pickupPoint = opts.pickupPoint ?? 1234;
  const services = new Set(opts.services ?? [7, 15, 24]);
  const core = createCourierSimCore(SAMEDAY_STEPS, 'Bucuresti');
  const { app } = core;
  let next = 241_067_423;

  const invalid = (errors: Record<string, string[]>) => ({ code: 400, message: 'Validation Failed', errors: { children: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, { errors: v }])) } });

  app.post('/api/authenticate', async (req, reply) => {
    if (await core.fault(req, reply)) return;
    if (req.headers['x-auth-username'] !== username || req.headers['x-auth-password'] !== password) return reply.code(401).send({ code: 401, message: 'Bad credentials' });
    const until = new Date(Date.now() + 24 * 3600_000);
    return { token: core.issueToken(), expire_at: until.toISOString().slice(0, 16).replace('T', ' ') };
  });

  app.post('/api/awb', async (req, reply) => {
    if (!core.tokenValid(header(req.headers['x-auth-token']))) return reply.code(401).send({ code: 401, message: 'Invalid JWT Token' });
    const b = typeof req.body === 'string' ? parsePhpForm(req.body) : ((req.body ?? {}) as Record<string, unknown>);
    const r = (b.awbRecipient ?? {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    if (Number(b.pickupPoint) !== pickupPoint) errors.pickupPoint = ['This value is not valid.'];
    if (!services.has(Number(b.service))) errors.service = ['This value is not valid.'];
    if (!r.name) errors['awbRecipient.name'] = ['This value should not be blank.'];
    if (!r.phoneNumber) errors['awbRecipient.phoneNumber'] = ['This value should not be blank.'];
    if (!r.address) errors['awbRecipient.address'] = ['This value should not be blank.'];
    if (!(r.county || r.countyString)) errors['awbRecipient.county'] = ['This value should not be blank.'];
    if (!(r.city || r.cityString)) errors['awbRecipient.city'] = ['This value should not be blank.'];
    if (!(Number(b.packageWeight) > 0)) errors.packageWeight = ['This value should be greater than 0.'];
    if (Object.keys(errors).length) return reply.code(400).send(invalid(errors));
    const awbNumber = `1SDY${next++}`;
    const parcels = Array.isArray(b.parcels) ? b.parcels : Object.values((b.parcels ?? {}) as object);
    const cost = (13.5 + Number(b.packageWeight) * 1.9).toFixed(2);
    const awb: SimAwb = { awbNumber, reference: String(b.clientInternalReference ?? ''), createdAt: new Date(), request: b, cost, events: [{ code: '1', label: 'AWB Emis', at: new Date(), location: 'Bucuresti' }] };
    const commit = () => core.awbs.set(awbNumber, awb);
    if (await core.fault(req, reply, commit)) return;
    commit();
    return { awbNumber, awbCost: Number(cost), parcels: parcels.map((_, i) => ({ position: i + 1, awbNumber: `${awbNumber}${String(i + 1).padStart(3, '0')}` })), pdfLink: '' };
  });

  app.get<{ Params: { awb: string } }>('/api/client/awb/:awb/status', async (req, reply) => {
    if (!core.tokenValid(header(req.headers['x-auth-token']))) return reply.code(401).send({ code: 401, message: 'Invalid JWT Token' });
    if (await core.fault(req, reply)) return;
    const a = core.awbs.get(req.params.awb);
    if (!a) return reply.code(404).send({ code: 404, message: 'Awb not found' });
    const history = [...a.events].reverse().map((e) => status(e.code, e.label, e.at, e.location));
    const latest = history[0]!;
    const delivered = a.events.some((e) => e.code === '9');
    return {
      expeditionSummary: {
        awbNumber: a.awbNumber,
        awbWeight: Number((a.request as { packageWeight?: unknown }).packageWeight ?? 1),
        servicePayment: Number(a.cost),
        cashOnDelivery: Number((a.request as { cashOnDelivery?: unknown }).cashOnDelivery ?? 0),
        redirectionsAttempts: 0,
        delivered,
        canceled: false,
        deliveryAttempts: a.events.filter((e) => e.code === '33').length,
        deliveredAt: delivered ? latest.statusDate : null,
        lastDeliveryAttempt: a.events.some((e) => e.code === '33') ? latest.statusDate : null,
      },
      expeditionHistory: history,
      expeditionStatus: latest,
      parcelsStatus: [{ ...latest, parcelAwbNumber: `${a.awbNumber}001` }],
    };
  });

  const url = await listen(app, opts.port ?? 0, opts.host ?? '127.0.0.1');
  return Object.assign(core, { url, username, password, pickupPoint, close: () => app.close() });
}

function status(code: string, label: string, at: Date, location: string) {
  return { statusId: Number(code), status: label, statusLabel: label, statusState: label, statusDate: isoWithOffset(at), county: location, reason: '', transitLocation: location };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** ISO 8601 with the Bucharest offset, as Sameday writes dates. */
function isoWithOffset(d: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Bucharest', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const offset = (p.timeZoneName ?? 'GMT+02:00').replace('GMT', '') || '+00:00';
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}
