import { z } from 'zod';
import { Decimal } from '../../core/decimal.ts';
import { UpstreamError } from '../../core/errors.ts';
import { currentState, type CreatedAwb, type ShipmentRequest, type Tracking, type TrackingEvent } from '../../core/shipping.ts';
import { CourierSession, courierRequest, phpForm } from './http.ts';
import { samedayState } from './status-codes.ts';

/**
 * Sameday Courier (research/domain.md §3.2, the official php-sdk): `POST /api/authenticate` with the
 * `X-Auth-Username`/`X-Auth-Password` headers → `{token, expire_at}`; then `X-AUTH-TOKEN`. AWBs are
 * created with `POST /api/awb` (form-urlencoded, PHP-style nested fields) and tracked with
 * `GET /api/client/awb/{awb}/status`. Pickup point and service ids differ per account and between the
 * demo and production hosts, so they are connection settings.
 */
export const SAMEDAY_BASE_URL = 'https://api.sameday.ro';

export const samedaySettingsSchema = z.looseObject({
  pickupPoint: z.coerce.number().int().positive(),
  service: z.coerce.number().int().positive().default(7),
  contactPerson: z.coerce.number().int().positive().optional(),
  /** 1 = the client (sender) pays the transport. */
  awbPayment: z.coerce.number().int().min(1).max(2).default(1),
  /** 0 parcel, 1 envelope, 2 large package. */
  packageType: z.coerce.number().int().min(0).max(2).default(0),
});

export interface SamedayOptions {
  readonly username: string;
  readonly password: string;
  readonly baseUrl?: string | null;
  readonly settings: unknown;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const authResponse = z.object({ token: z.string().min(1) }).loose();
const createResponse = z.object({ awbNumber: z.string().min(1), awbCost: z.union([z.number(), z.string()]).nullable().optional() }).loose();
const statusObject = z
  .object({
    statusId: z.union([z.number(), z.string()]),
    status: z.string().default(''),
    statusLabel: z.string().nullable().optional(),
    statusDate: z.string(),
    county: z.string().nullable().optional(),
    transitLocation: z.string().nullable().optional(),
  })
  .loose();
const statusResponse = z.object({ expeditionHistory: z.array(statusObject).default([]) }).loose();

export class SamedayClient {
  readonly code = 'sameday';
  private readonly base: string;
  private readonly session: CourierSession;
  private readonly settings: z.infer<typeof samedaySettingsSchema>;

  constructor(private readonly opts: SamedayOptions) {
    this.base = (opts.baseUrl ?? SAMEDAY_BASE_URL).replace(/\/+$/, '');
    this.settings = samedaySettingsSchema.parse(opts.settings ?? {});
    this.session = new CourierSession(async () => {
      const res = await courierRequest({
        ...this.common(),
        method: 'POST',
        url: `${this.base}/api/authenticate`,
        headers: { 'x-auth-username': opts.username, 'x-auth-password': opts.password, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'remember_me=1',
      });
      const parsed = authResponse.safeParse(res.json);
      if (!parsed.success) throw new UpstreamError('Sameday authenticate: unexpected answer', undefined, { body: res.json ?? res.text.slice(0, 500) });
      return parsed.data.token;
    });
  }

  async createAwb(s: ShipmentRequest): Promise<CreatedAwb> {
    const weight = new Decimal(s.weightKg);
    const perParcel = weight.div(Math.max(1, s.parcels)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const body = {
      pickupPoint: this.settings.pickupPoint,
      ...(this.settings.contactPerson ? { contactPerson: this.settings.contactPerson } : {}),
      packageType: this.settings.packageType,
      packageNumber: s.parcels,
      packageWeight: weight.toFixed(),
      service: this.settings.service,
      awbPayment: this.settings.awbPayment,
      cashOnDelivery: s.cashOnDelivery ?? '0',
      insuredValue: s.declaredValue ?? '0',
      thirdPartyPickup: 0,
      awbRecipient: {
        name: s.recipient.name,
        phoneNumber: s.recipient.phone,
        personType: s.recipient.company ? 1 : 0,
        ...(s.recipient.email ? { email: s.recipient.email } : {}),
        countyString: s.recipient.county,
        cityString: s.recipient.city,
        address: s.recipient.street,
        ...(s.recipient.postalCode ? { postalCode: s.recipient.postalCode } : {}),
        ...(s.recipient.company ? { companyName: s.recipient.company.name, ...(s.recipient.company.cui ? { companyCui: s.recipient.company.cui } : {}) } : {}),
      },
      parcels: Array.from({ length: Math.max(1, s.parcels) }, () => ({ weight: perParcel.toFixed() })),
      observation: s.observation ?? '',
      clientInternalReference: s.reference,
    };
    const res = await this.session.with((token) =>
      courierRequest({
        ...this.common(),
        method: 'POST',
        url: `${this.base}/api/awb`,
        headers: { 'x-auth-token': token, 'content-type': 'application/x-www-form-urlencoded' },
        body: phpForm(body),
        write: true,
      }),
    );
    const parsed = createResponse.safeParse(res.json);
    if (!parsed.success) throw new UpstreamError('Sameday awb: unexpected answer', undefined, { body: res.json ?? res.text.slice(0, 500) });
    const cost = parsed.data.awbCost;
    return { courier: this.code, awbNumber: parsed.data.awbNumber, cost: cost === null || cost === undefined ? null : new Decimal(String(cost)).toFixed(2) };
  }

  /** One call per AWB (Sameday has no batch status read); AWBs Sameday does not know are left out. */
  async track(awbs: readonly string[]): Promise<Map<string, Tracking>> {
    const out = new Map<string, Tracking>();
    for (const awb of awbs) {
      let res;
      try {
        res = await this.session.with((token) => courierRequest({ ...this.common(), method: 'GET', url: `${this.base}/api/client/awb/${encodeURIComponent(awb)}/status`, headers: { 'x-auth-token': token } }));
      } catch (e) {
        if ((e as { details?: { status?: number } }).details?.status === 404) continue;
        throw e;
      }
      const parsed = statusResponse.safeParse(res.json);
      if (!parsed.success) throw new UpstreamError('Sameday awb status: unexpected answer', undefined, { body: res.json ?? res.text.slice(0, 500) });
      const events: TrackingEvent[] = parsed.data.expeditionHistory
        .map((h) => {
          const label = h.statusLabel || h.status;
          return { code: String(h.statusId), label, at: h.statusDate, location: h.transitLocation || h.county || null, state: samedayState(h.statusId, `${h.status} ${h.statusLabel ?? ''}`) };
        })
        .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      out.set(awb, { awbNumber: awb, events, state: currentState(events) });
    }
    return out;
  }

  private common() {
    return { courier: 'Sameday', ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}), ...(this.opts.timeoutMs ? { timeoutMs: this.opts.timeoutMs } : {}) };
  }
}
