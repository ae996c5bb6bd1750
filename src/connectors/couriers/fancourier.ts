import { z } from 'zod';
import { Decimal } from '../../core/decimal.ts';
import { UpstreamError, ValidationError } from '../../core/errors.ts';
import { currentState, withoutDiacritics, type CreatedAwb, type ShipmentRequest, type Tracking, type TrackingEvent } from '../../core/shipping.ts';
import { fanCourierState } from './status-codes.ts';
import { CourierSession, courierRequest } from './http.ts';
import { bucharestToIso } from './time.ts';

/**
 * FAN Courier API v2 (research/domain.md §3.1): `POST login` → bearer token (24 h); `POST intern-awb`
 * creates AWBs for domestic shipments; `GET reports/awb/tracking?clientId&awb[]` reads their events.
 * Counties go as full names without diacritics (`Bucuresti`, `Cluj`): FAN answers 422 to codes.
 */
export const FANCOURIER_BASE_URL = 'https://api.fancourier.ro';

export const fanCourierSettingsSchema = z.looseObject({
  /** FAN's service name; `Cont Colector` is the one with cash on delivery. */
  service: z.string().min(1).default('Standard'),
  codService: z.string().min(1).default('Cont Colector'),
  /** Who pays the transport: `expeditor` (sender) or `destinatar`. */
  payment: z.enum(['expeditor', 'destinatar']).default('expeditor'),
});

export interface FanCourierOptions {
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly baseUrl?: string | null;
  readonly settings?: unknown;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const loginResponse = z.object({ status: z.literal('success'), data: z.object({ token: z.string().min(1) }).loose() }).loose();
const awbResult = z
  .object({ awbNumber: z.union([z.number(), z.string()]).nullable().optional(), tariff: z.union([z.number(), z.string()]).nullable().optional(), errors: z.unknown().optional() })
  .loose();
const createResponse = z.object({ response: z.array(awbResult).min(1) }).loose();
const trackResponse = z
  .object({
    status: z.literal('success'),
    data: z.array(
      z
        .object({
          awbNumber: z.union([z.number(), z.string()]),
          events: z.array(z.object({ id: z.string(), name: z.string().default(''), location: z.string().nullable().optional(), date: z.string() }).loose()).optional(),
        })
        .loose(),
    ),
  })
  .loose();

export class FanCourierClient {
  readonly code = 'fancourier';
  private readonly base: string;
  private readonly session: CourierSession;
  private readonly settings: z.infer<typeof fanCourierSettingsSchema>;

  constructor(private readonly opts: FanCourierOptions) {
    this.base = (opts.baseUrl ?? FANCOURIER_BASE_URL).replace(/\/+$/, '');
    this.settings = fanCourierSettingsSchema.parse(opts.settings ?? {});
    this.session = new CourierSession(async () => {
      const res = await this.request('POST', '/login', { body: { username: opts.username, password: opts.password } });
      const parsed = loginResponse.safeParse(res);
      if (!parsed.success) throw new UpstreamError('FAN Courier login: unexpected answer', undefined, { body: res });
      return parsed.data.data.token;
    });
  }

  async createAwb(s: ShipmentRequest): Promise<CreatedAwb> {
    const cod = s.cashOnDelivery && new Decimal(s.cashOnDelivery).gt(0) ? s.cashOnDelivery : null;
    const shipment = {
      info: {
        service: cod ? this.settings.codService : this.settings.service,
        packages: { parcel: s.parcels, envelope: 0 },
        weight: Number(s.weightKg),
        ...(cod ? { cod: Number(cod) } : {}),
        ...(s.declaredValue ? { declaredValue: Number(s.declaredValue) } : {}),
        payment: this.settings.payment,
        content: s.content ?? '',
        observation: s.observation ?? '',
        costCenter: s.reference,
      },
      recipient: {
        name: s.recipient.company?.name ?? s.recipient.name,
        contactPerson: s.recipient.name,
        phone: s.recipient.phone,
        ...(s.recipient.email ? { email: s.recipient.email } : {}),
        address: {
          county: fanCounty(s.recipient.county),
          locality: withoutDiacritics(s.recipient.city),
          street: s.recipient.street,
          streetNo: '',
          ...(s.recipient.postalCode ? { zipCode: s.recipient.postalCode } : {}),
        },
      },
    };
    const res = await this.session.with((token) => this.request('POST', '/intern-awb', { token, body: { clientId: this.opts.clientId, shipments: [shipment] }, write: true }));
    const parsed = createResponse.safeParse(res);
    if (!parsed.success) throw new UpstreamError('FAN Courier intern-awb: unexpected answer', undefined, { body: res });
    const first = parsed.data.response[0]!;
    if (first.awbNumber === null || first.awbNumber === undefined || first.awbNumber === '') {
      throw new ValidationError(`FAN Courier refused the AWB: ${JSON.stringify(first.errors ?? 'no reason given')}`, [], { errors: first.errors ?? null, reference: s.reference });
    }
    return { courier: this.code, awbNumber: String(first.awbNumber), cost: first.tariff === null || first.tariff === undefined ? null : new Decimal(String(first.tariff)).toFixed(2) };
  }

  /** Events of each AWB (oldest first) with the canonical state; AWBs FAN does not know are left out. */
  async track(awbs: readonly string[]): Promise<Map<string, Tracking>> {
    const out = new Map<string, Tracking>();
    for (let i = 0; i < awbs.length; i += 50) {
      const batch = awbs.slice(i, i + 50);
      const query = new URLSearchParams({ clientId: this.opts.clientId });
      for (const a of batch) query.append('awb[]', a);
      const res = await this.session.with((token) => this.request('GET', `/reports/awb/tracking?${query.toString()}`, { token }));
      const parsed = trackResponse.safeParse(res);
      if (!parsed.success) throw new UpstreamError('FAN Courier tracking: unexpected answer', undefined, { body: res });
      for (const t of parsed.data.data) {
        const events: TrackingEvent[] = (t.events ?? []).map((e) => ({ code: e.id, label: e.name, at: bucharestToIso(e.date), location: e.location ?? null, state: fanCourierState(e.id, e.name) }));
        out.set(String(t.awbNumber), { awbNumber: String(t.awbNumber), events, state: currentState(events) });
      }
    }
    return out;
  }

  private async request(method: 'GET' | 'POST', path: string, o: { token?: string; body?: unknown; write?: boolean }): Promise<unknown> {
    const res = await courierRequest({
      courier: 'FAN Courier',
      method,
      url: `${this.base}${path}`,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
      ...(o.write ? { write: true } : {}),
      ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
      ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}),
    });
    return res.json;
  }
}

/** FAN wants the county's full name without diacritics; "București" (any sector) is "Bucuresti". */
export function fanCounty(county: string): string {
  const plain = withoutDiacritics(county).trim();
  if (/^(municipiul )?bucuresti\b|^sector(ul)? \d$|^b$/i.test(plain)) return 'Bucuresti';
  return plain.replace(/^judetul /i, '');
}
