import { ValidationError, type ValidationIssue } from '../../core/errors.ts';
import { type BinaryResponse, LexofficeHttp, type LexofficeHttpOptions } from './http.ts';
import {
  type ActionResult,
  type Article,
  type Contact,
  type Country,
  type DocumentFile,
  type EventSubscription,
  type Page,
  type Payment,
  type Profile,
  type SalesVoucher,
  type VoucherlistRow,
  actionResultSchema,
  articleSchema,
  contactSchema,
  countrySchema,
  documentFileSchema,
  eventSubscriptionListSchema,
  eventSubscriptionSchema,
  pageSchema,
  paymentSchema,
  profileSchema,
  salesVoucherSchema,
  voucherlistRowSchema,
} from './schemas.ts';
import { z } from 'zod';

export interface LexofficeClientOptions extends LexofficeHttpOptions {
  /**
   * Property name sent in the voucher list's `sort` (with `sortDirection`). The docs spell it `voucherdate`,
   * the live API was measured to accept `voucherDate` only [UNCERTAIN] — default the measured one.
   */
  readonly voucherlistSortProperty?: 'voucherDate' | 'voucherdate';
  /** Page size for `GET /v1/contacts` (docs table: 250; measured live: 500 accepted, 1000 refused). Default 250, at most 500. */
  readonly contactsPageSize?: number;
}

/** Decimal amount as Vortex holds it (string) or an already-safe number; sent as a JSON number. */
export type AmountInput = string | number;

export interface AddressInput {
  readonly supplement?: string;
  readonly street?: string;
  readonly zip?: string;
  readonly city?: string;
  /** ISO 3166 alpha-2 or an extended code such as ES_CN (see /v1/countries). */
  readonly countryCode: string;
}

export interface ContactInput {
  /** Default: customer only. Numbers are assigned by lexoffice. */
  readonly roles?: { readonly customer?: boolean; readonly vendor?: boolean };
  readonly person?: { readonly salutation?: string; readonly firstName?: string; readonly lastName: string };
  readonly company?: {
    readonly name: string;
    readonly taxNumber?: string;
    readonly vatRegistrationId?: string;
    readonly allowTaxFreeInvoices?: boolean;
    readonly contactPerson?: { readonly salutation?: string; readonly firstName?: string; readonly lastName: string; readonly emailAddress?: string; readonly phoneNumber?: string };
  };
  readonly billingAddress?: AddressInput;
  readonly shippingAddress?: AddressInput;
  /** At most one address per kind is writable. */
  readonly email?: { readonly kind?: 'business' | 'office' | 'private' | 'other'; readonly address: string };
  readonly phone?: { readonly kind?: 'business' | 'office' | 'mobile' | 'private' | 'fax' | 'other'; readonly number: string };
  readonly note?: string;
}

/**
 * What `updateContact` changes, laid over the contact as last read. Whatever is left out is sent back as
 * it was read; a given object replaces only the sub-fields Vortex models (fields it does not model —
 * `xRechnung`, anything lexoffice adds later — always go back unchanged, since a PUT replaces the record).
 */
export type ContactChanges = Partial<ContactInput>;

export interface ContactFilter {
  /** Substring, SQL-like wildcards; ≥ 3 chars. Use findContactsByEmail for an exact match. */
  readonly email?: string;
  readonly name?: string;
  readonly number?: number;
  readonly customer?: boolean;
  readonly vendor?: boolean;
  readonly page?: number;
  readonly size?: number;
}

export type LineItemInput =
  | {
      readonly type: 'custom' | 'material' | 'service';
      /** Article id; required for material and service. */
      readonly id?: string;
      readonly name: string;
      readonly description?: string;
      readonly quantity: AmountInput;
      readonly unitName: string;
      /** netAmount for taxType ≠ gross, grossAmount for gross. Only EUR exists. */
      readonly unitPrice: { readonly currency: 'EUR'; readonly netAmount?: AmountInput; readonly grossAmount?: AmountInput; readonly taxRatePercentage: AmountInput };
      readonly discountPercentage?: AmountInput;
    }
  | { readonly type: 'text'; readonly name: string; readonly description?: string };

export interface SalesVoucherInput {
  /** yyyy-MM-ddTHH:mm:ss.SSSXXX — see lexofficeDateTime(). */
  readonly voucherDate: string;
  readonly language?: 'de' | 'en';
  readonly address: { readonly contactId: string } | (AddressInput & { readonly name: string; readonly contactId?: undefined });
  readonly lineItems: readonly LineItemInput[];
  readonly totalPrice?: { readonly currency: 'EUR'; readonly totalDiscountAbsolute?: AmountInput; readonly totalDiscountPercentage?: AmountInput };
  readonly taxConditions: { readonly taxType: string; readonly taxSubType?: 'distanceSales' | 'electronicServices'; readonly taxTypeNote?: string };
  readonly shippingConditions: { readonly shippingType: 'service' | 'serviceperiod' | 'delivery' | 'deliveryperiod' | 'none'; readonly shippingDate?: string; readonly shippingEndDate?: string };
  readonly paymentConditions?: { readonly paymentTermLabel?: string; readonly paymentTermDuration?: number; readonly paymentDiscountConditions?: { readonly discountPercentage: AmountInput; readonly discountRange: number } };
  readonly printLayoutId?: string;
  readonly title?: string;
  readonly introduction?: string;
  readonly remark?: string;
  /** Order confirmations only. */
  readonly deliveryTerms?: string;
}

/** A credit note: like an invoice, without shipping/payment conditions, delivery terms or line discounts (research §4.7). */
export type CreditNoteInput = Omit<SalesVoucherInput, 'shippingConditions' | 'paymentConditions' | 'deliveryTerms'>;

export interface CreateDocumentOptions {
  /** true = open (numbered, immutable); false/omitted = draft. */
  readonly finalize?: boolean;
  readonly precedingSalesVoucherId?: string;
}

export interface VoucherlistFilter {
  readonly voucherType: readonly string[] | 'any';
  readonly voucherStatus: readonly string[] | 'any';
  readonly archived?: boolean;
  readonly contactId?: string;
  /** yyyy-MM-dd, a full day in CET/CEST. */
  readonly voucherDateFrom?: string;
  readonly voucherDateTo?: string;
  readonly createdDateFrom?: string;
  readonly createdDateTo?: string;
  readonly updatedDateFrom?: string;
  readonly updatedDateTo?: string;
  readonly voucherNumber?: string;
  readonly page?: number;
  readonly size?: number;
  /** Sort by voucher date (the only sort measured live); the property name comes from the client option `voucherlistSortProperty`. */
  readonly sortDirection?: 'ASC' | 'DESC';
  /** Raw `sort` value, sent as given (wins over `sortDirection`). */
  readonly sort?: string;
}

export interface ArticleFilter {
  readonly articleNumber?: string;
  readonly gtin?: string;
  readonly type?: 'PRODUCT' | 'SERVICE';
  readonly page?: number;
  readonly size?: number;
}

/** An article row that cannot be used (the rest of its page can): kept with its payload for quarantine. */
export interface RejectedArticle {
  readonly raw: unknown;
  readonly id: string | null;
  readonly articleNumber: string | null;
  readonly reason: string;
  readonly issues: readonly ValidationIssue[];
}

export interface ArticlePage extends Page<Article> {
  /** Rows of this page that did not parse; `content` holds the others. */
  readonly rejected: readonly RejectedArticle[];
}

/** The page envelope is checked strictly, each row on its own: one bad article must not cost the page. */
const articlePageEnvelope = pageSchema(z.unknown());
const contactPage = pageSchema(contactSchema);
const voucherPage = pageSchema(voucherlistRowSchema);
const countries = z.array(countrySchema);

/** The lexoffice (Lexware Office) public API as Vortex uses it. All calls share one rate limit per API key. */
export class LexofficeClient {
  readonly http: LexofficeHttp;
  private readonly voucherlistSortProperty: string;
  private readonly contactsPageSize: number;

  constructor(opts: LexofficeClientOptions) {
    this.http = new LexofficeHttp(opts);
    this.voucherlistSortProperty = opts.voucherlistSortProperty ?? 'voucherDate';
    this.contactsPageSize = opts.contactsPageSize ?? 250;
    if (!Number.isInteger(this.contactsPageSize) || this.contactsPageSize < 1 || this.contactsPageSize > 500) {
      throw new ValidationError(`contactsPageSize must be 1…500, got ${this.contactsPageSize}`, [{ path: 'contactsPageSize', message: 'out of range' }]);
    }
  }

  // ---- profile & master data ----
  getProfile(): Promise<Profile> {
    return this.http.json({ method: 'GET', path: '/v1/profile', schema: profileSchema });
  }

  listCountries(): Promise<Country[]> {
    return this.http.json({ method: 'GET', path: '/v1/countries', schema: countries });
  }

  // ---- articles ----
  /** One page; rows that do not parse are returned in `rejected` (with payload and reason), not thrown. */
  async listArticles(f: ArticleFilter = {}): Promise<ArticlePage> {
    const page = await this.http.json({ method: 'GET', path: '/v1/articles', query: { ...f, size: f.size ?? 250 }, schema: articlePageEnvelope });
    const content: Article[] = [];
    const rejected: RejectedArticle[] = [];
    for (const raw of page.content) {
      const r = parseArticle(raw);
      if ('article' in r) content.push(r.article);
      else rejected.push(r.rejected);
    }
    return { ...page, content, rejected };
  }

  getArticle(id: string): Promise<Article> {
    return this.http.json({ method: 'GET', path: `/v1/articles/${seg(id)}`, schema: articleSchema });
  }

  /** Every usable article, page by page (250 per request) until `last`; unusable rows go to `onRejected`. */
  async *iterateArticles(f: Omit<ArticleFilter, 'page'> = {}, onRejected?: (r: RejectedArticle) => void): AsyncGenerator<Article> {
    for (let page = 0; ; page++) {
      const p = await this.listArticles({ ...f, page });
      yield* p.content;
      for (const r of p.rejected) onRejected?.(r);
      if (p.last || p.content.length + p.rejected.length === 0) return;
    }
  }

  // ---- contacts ----
  listContacts(f: ContactFilter = {}): Promise<Page<Contact>> {
    return this.http.json({
      method: 'GET',
      path: '/v1/contacts',
      query: {
        email: f.email === undefined ? undefined : htmlEncode(f.email),
        name: f.name === undefined ? undefined : htmlEncode(f.name),
        number: f.number,
        customer: f.customer,
        vendor: f.vendor,
        page: f.page,
        size: f.size ?? this.contactsPageSize,
      },
      schema: contactPage,
    });
  }

  /** Contacts holding exactly this e-mail address (wildcards escaped, then compared exactly, case-insensitively). */
  async findContactsByEmail(email: string): Promise<Contact[]> {
    const want = email.trim().toLowerCase();
    const out: Contact[] = [];
    for (let page = 0; ; page++) {
      const p = await this.listContacts({ email: escapeLike(email.trim()), page });
      out.push(
        ...p.content.filter((c) => {
          const mails = [...Object.values(c.emailAddresses ?? {}).flat(), ...(c.company?.contactPersons ?? []).map((cp) => cp.emailAddress ?? '')];
          return mails.some((m) => m.trim().toLowerCase() === want);
        }),
      );
      if (p.last || p.content.length === 0) return out;
    }
  }

  getContact(id: string): Promise<Contact> {
    return this.http.json({ method: 'GET', path: `/v1/contacts/${seg(id)}`, schema: contactSchema });
  }

  createContact(input: ContactInput): Promise<ActionResult> {
    return this.http.json({ method: 'POST', path: '/v1/contacts', body: contactBody(input, 0), schema: actionResultSchema });
  }

  /**
   * PUT the contact as last read (`current`, which carries the `version` for optimistic locking) with
   * `changes` laid over it. lexoffice replaces the whole record on PUT, so every field Vortex does not
   * change or model (`xRechnung`, fields added later) is sent back as read. Stale `current` → version conflict.
   */
  updateContact(current: Contact, changes: ContactChanges): Promise<ActionResult> {
    return this.http.json({ method: 'PUT', path: `/v1/contacts/${seg(current.id)}`, body: contactUpdateBody(current, changes), schema: actionResultSchema });
  }

  // ---- invoices & order confirmations ----
  createInvoice(doc: SalesVoucherInput, o: CreateDocumentOptions = {}): Promise<ActionResult> {
    return this.createDocument('invoices', doc, o);
  }

  getInvoice(id: string): Promise<SalesVoucher> {
    return this.http.json({ method: 'GET', path: `/v1/invoices/${seg(id)}`, schema: salesVoucherSchema });
  }

  /** The rendered PDF (`Accept: application/pdf`, so XRechnung contacts also yield a PDF). Draft → conflict (409). */
  downloadInvoicePdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/invoices/${seg(id)}/file`, accept: 'application/pdf' });
  }

  /**
   * Deprecated `/v1/invoices/{id}/document`: triggers rendering and returns the file id. Only as the
   * documented fallback when `/file` of an invoice known to be open answers 404/409 [UNCERTAIN].
   */
  async renderInvoiceDocument(id: string): Promise<DocumentFile> {
    return this.http.json({ method: 'GET', path: `/v1/invoices/${seg(id)}/document`, schema: documentFileSchema });
  }

  /** `GET /v1/files/{documentFileId}` as PDF — the second step of the deprecated `/document` route. */
  downloadFile(documentFileId: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/files/${seg(documentFileId)}`, accept: 'application/pdf' });
  }

  // ---- credit notes (cancellation/refund after a finalized invoice) ----
  /**
   * Create a credit note; with `precedingSalesVoucherId` = an open invoice and `finalize`, lexoffice
   * relates the two and settles the invoice by the credit note's amount (only one credit note per invoice).
   */
  async createCreditNote(doc: CreditNoteInput, o: CreateDocumentOptions = {}): Promise<ActionResult> {
    return this.http.json({
      method: 'POST',
      path: '/v1/credit-notes',
      query: { finalize: o.finalize ? true : undefined, precedingSalesVoucherId: o.precedingSalesVoucherId },
      body: creditNoteBody(doc),
      schema: actionResultSchema,
    });
  }

  getCreditNote(id: string): Promise<SalesVoucher> {
    return this.http.json({ method: 'GET', path: `/v1/credit-notes/${seg(id)}`, schema: salesVoucherSchema });
  }

  downloadCreditNotePdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/credit-notes/${seg(id)}/file`, accept: 'application/pdf' });
  }

  createOrderConfirmation(doc: SalesVoucherInput, o: CreateDocumentOptions = {}): Promise<ActionResult> {
    return this.createDocument('order-confirmations', doc, o);
  }

  getOrderConfirmation(id: string): Promise<SalesVoucher> {
    return this.http.json({ method: 'GET', path: `/v1/order-confirmations/${seg(id)}`, schema: salesVoucherSchema });
  }

  downloadOrderConfirmationPdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/order-confirmations/${seg(id)}/file`, accept: 'application/pdf' });
  }

  // async: a body refused before sending rejects the promise like any other refusal (never a synchronous throw).
  private async createDocument(resource: string, doc: SalesVoucherInput, o: CreateDocumentOptions): Promise<ActionResult> {
    return this.http.json({
      method: 'POST',
      path: `/v1/${resource}`,
      query: { finalize: o.finalize ? true : undefined, precedingSalesVoucherId: o.precedingSalesVoucherId },
      body: documentBody(doc),
      schema: actionResultSchema,
    });
  }

  // ---- voucherlist & payments ----
  listVouchers(f: VoucherlistFilter): Promise<Page<VoucherlistRow>> {
    const list = (v: readonly string[] | 'any'): string => (v === 'any' ? 'any' : v.join(','));
    return this.http.json({
      method: 'GET',
      path: '/v1/voucherlist',
      query: {
        voucherType: list(f.voucherType),
        voucherStatus: list(f.voucherStatus),
        archived: f.archived,
        contactId: f.contactId,
        voucherDateFrom: f.voucherDateFrom,
        voucherDateTo: f.voucherDateTo,
        createdDateFrom: f.createdDateFrom,
        createdDateTo: f.createdDateTo,
        updatedDateFrom: f.updatedDateFrom,
        updatedDateTo: f.updatedDateTo,
        voucherNumber: f.voucherNumber === undefined ? undefined : htmlEncode(f.voucherNumber),
        page: f.page,
        size: f.size ?? 250,
        sort: f.sort ?? (f.sortDirection ? `${this.voucherlistSortProperty},${f.sortDirection}` : undefined),
      },
      schema: voucherPage,
    });
  }

  async *iterateVouchers(f: Omit<VoucherlistFilter, 'page'>): AsyncGenerator<VoucherlistRow> {
    for (let page = 0; ; page++) {
      const p = await this.listVouchers({ ...f, page });
      yield* p.content;
      if (p.last || p.content.length === 0) return;
    }
  }

  getPayment(voucherId: string): Promise<Payment> {
    return this.http.json({ method: 'GET', path: `/v1/payments/${seg(voucherId)}`, schema: paymentSchema });
  }

  // ---- event subscriptions ----
  createEventSubscription(eventType: string, callbackUrl: string): Promise<ActionResult> {
    return this.http.json({ method: 'POST', path: '/v1/event-subscriptions', body: { eventType, callbackUrl }, schema: actionResultSchema });
  }

  async listEventSubscriptions(): Promise<EventSubscription[]> {
    return (await this.http.json({ method: 'GET', path: '/v1/event-subscriptions', schema: eventSubscriptionListSchema })).content;
  }

  getEventSubscription(id: string): Promise<EventSubscription> {
    return this.http.json({ method: 'GET', path: `/v1/event-subscriptions/${seg(id)}`, schema: eventSubscriptionSchema });
  }

  async deleteEventSubscription(id: string): Promise<void> {
    await this.http.json({ method: 'DELETE', path: `/v1/event-subscriptions/${seg(id)}` });
  }
}

// ---- response reading (pure) ----

/** One article row: the parsed article, or why it cannot be used (with the raw row, for quarantine). */
export function parseArticle(raw: unknown): { article: Article } | { rejected: RejectedArticle } {
  const r = articleSchema.safeParse(raw);
  if (r.success) return { article: r.data };
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '$', message: i.message }));
  return {
    rejected: {
      raw,
      id: typeof o.id === 'string' ? o.id : null,
      articleNumber: typeof o.articleNumber === 'string' ? o.articleNumber : null,
      reason: `lexoffice article not usable: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  };
}

// ---- request building (pure) ----

function seg(id: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new ValidationError(`not a lexoffice id: ${JSON.stringify(id.slice(0, 80))}`, [{ path: 'id', message: 'invalid id' }]);
  return id;
}

/** contacts/voucherlist search strings: `&`, `<`, `>` HTML-encoded before URL encoding (research §1.8). */
export function htmlEncode(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape the SQL-like wildcards of the contacts filter so `_` and `%` match literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\_%]/g, (c) => `\\${c}`);
}

/**
 * A JSON number for an amount, refusing anything that would not survive the trip exactly
 * (more than `maxDecimals` places or more than 15 significant digits).
 */
export function amountNumber(v: AmountInput, field: string, maxDecimals = 4): number {
  const s = typeof v === 'number' ? String(v) : v.trim();
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(s);
  const digits = m ? (m[1] ?? '').replace(/^0+/, '').length + (m[2] ?? '').length : 99;
  if (!m || (m[2] ?? '').length > maxDecimals || digits > 15) {
    throw new ValidationError(`${field}: ${s} is not an amount with at most ${maxDecimals} decimals`, [{ path: field, message: 'invalid amount' }]);
  }
  return Number(s);
}

const LEX_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

/** Format a calendar day as lexoffice wants it: local midnight with an explicit offset, 3 ms digits. */
export function lexofficeDateTime(day: string, offset = '+01:00'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^[+-]\d{2}:\d{2}$/.test(offset)) throw new ValidationError(`bad day/offset ${day} ${offset}`, [{ path: 'voucherDate', message: 'invalid' }]);
  return `${day}T00:00:00.000${offset}`;
}

function checkDateTime(v: string | undefined, field: string): void {
  if (v !== undefined && !LEX_DATETIME.test(v)) throw new ValidationError(`${field} must be yyyy-MM-ddTHH:mm:ss.SSSXXX, got ${v}`, [{ path: field, message: 'invalid date-time' }]);
}

function addressBody(a: AddressInput): Record<string, unknown> {
  return { supplement: a.supplement, street: a.street, zip: a.zip, city: a.city, countryCode: a.countryCode };
}

export function contactBody(c: ContactInput, version: number): Record<string, unknown> {
  if ((c.person === undefined) === (c.company === undefined)) {
    throw new ValidationError('a lexoffice contact is either a person or a company', [{ path: 'person|company', message: 'exactly one required' }]);
  }
  const roles = c.roles ?? { customer: true };
  return {
    version,
    roles: { ...(roles.customer ? { customer: {} } : {}), ...(roles.vendor ? { vendor: {} } : {}) },
    ...(c.person ? { person: { ...c.person } } : {}),
    ...(c.company
      ? {
          company: {
            name: c.company.name,
            taxNumber: c.company.taxNumber,
            vatRegistrationId: c.company.vatRegistrationId,
            allowTaxFreeInvoices: c.company.allowTaxFreeInvoices,
            ...(c.company.contactPerson ? { contactPersons: [{ ...c.company.contactPerson, primary: true }] } : {}),
          },
        }
      : {}),
    addresses: {
      ...(c.billingAddress ? { billing: [addressBody(c.billingAddress)] } : {}),
      ...(c.shippingAddress ? { shipping: [addressBody(c.shippingAddress)] } : {}),
    },
    ...(c.email ? { emailAddresses: { [c.email.kind ?? 'private']: [c.email.address] } } : {}),
    ...(c.phone ? { phoneNumbers: { [c.phone.kind ?? 'private']: [c.phone.number] } } : {}),
    ...(c.note !== undefined ? { note: c.note } : {}),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `current` with its `modelled` keys replaced by the defined values of `given`; every other key kept as read. */
function overlay(current: unknown, modelled: readonly string[], given: object): Obj {
  const out: Obj = isObj(current) ? { ...current } : {};
  for (const k of modelled) delete out[k];
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out;
}

const ADDRESS_KEYS = ['supplement', 'street', 'zip', 'city', 'countryCode'];
const PERSON_KEYS = ['salutation', 'firstName', 'lastName'];
const COMPANY_KEYS = ['name', 'taxNumber', 'vatRegistrationId', 'allowTaxFreeInvoices'];
const CONTACT_PERSON_KEYS = ['salutation', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'primary'];
/** Read-only on a contact: not sent back (live: accepted and ignored, but nothing is gained by echoing them). */
const CONTACT_READ_ONLY = ['id', 'organizationId', 'archived', 'createdDate', 'updatedDate'];

/** PUT body for a contact: the record as read, minus read-only fields, with `changes` laid over it. */
export function contactUpdateBody(current: Contact, c: ContactChanges): Obj {
  if (c.person !== undefined && c.company !== undefined) {
    throw new ValidationError('a lexoffice contact is either a person or a company', [{ path: 'person|company', message: 'at most one' }]);
  }
  const body: Obj = { ...(current as Obj) };
  for (const k of CONTACT_READ_ONLY) delete body[k];
  body.version = current.version;
  if (c.roles) {
    // Keep the role objects as read (they carry the numbers lexoffice assigned).
    body.roles = { ...(c.roles.customer ? { customer: current.roles.customer ?? {} } : {}), ...(c.roles.vendor ? { vendor: current.roles.vendor ?? {} } : {}) };
  }
  if (c.person) {
    body.person = overlay(current.person, PERSON_KEYS, c.person);
    delete body.company;
  }
  if (c.company) {
    const { contactPerson, ...company } = c.company;
    const merged = overlay(current.company, COMPANY_KEYS, company);
    if (contactPerson) merged.contactPersons = [overlay(current.company?.contactPersons?.[0], CONTACT_PERSON_KEYS, { ...contactPerson, primary: true })];
    body.company = merged;
    delete body.person;
  }
  if (c.billingAddress || c.shippingAddress) {
    const addresses: Obj = isObj(current.addresses) ? { ...current.addresses } : {};
    if (c.billingAddress) addresses.billing = [overlay(current.addresses?.billing?.[0], ADDRESS_KEYS, c.billingAddress)];
    if (c.shippingAddress) addresses.shipping = [overlay(current.addresses?.shipping?.[0], ADDRESS_KEYS, c.shippingAddress)];
    body.addresses = addresses;
  }
  if (c.email) body.emailAddresses = { ...(current.emailAddresses ?? {}), [c.email.kind ?? 'private']: [c.email.address] };
  if (c.phone) body.phoneNumbers = { ...(current.phoneNumbers ?? {}), [c.phone.kind ?? 'private']: [c.phone.number] };
  if (c.note !== undefined) body.note = c.note;
  return body;
}

/** Credit notes take no shipping/payment conditions, delivery terms or line discounts (refused before sending). */
export function creditNoteBody(d: CreditNoteInput): Obj {
  d.lineItems.forEach((li, i) => {
    if (li.type !== 'text' && li.discountPercentage !== undefined) {
      throw new ValidationError(`lineItems[${i}].discountPercentage: credit notes have no line discounts`, [{ path: `lineItems[${i}].discountPercentage`, message: 'not allowed on credit notes' }]);
    }
  });
  return salesDocumentBody(d, undefined);
}

export function documentBody(d: SalesVoucherInput): Obj {
  return salesDocumentBody(d, d.shippingConditions);
}

function salesDocumentBody(d: Omit<SalesVoucherInput, 'shippingConditions'> & { readonly paymentConditions?: SalesVoucherInput['paymentConditions']; readonly deliveryTerms?: string }, shipping: SalesVoucherInput['shippingConditions'] | undefined): Obj {
  checkDateTime(d.voucherDate, 'voucherDate');
  checkDateTime(shipping?.shippingDate, 'shippingConditions.shippingDate');
  checkDateTime(shipping?.shippingEndDate, 'shippingConditions.shippingEndDate');
  const gross = d.taxConditions.taxType === 'gross';
  return {
    voucherDate: d.voucherDate,
    ...(d.language ? { language: d.language } : {}),
    address: d.address.contactId !== undefined ? { contactId: d.address.contactId } : { name: d.address.name, ...addressBody(d.address) },
    lineItems: d.lineItems.map((li, i) => {
      if (li.type === 'text') return { type: 'text', name: li.name, description: li.description };
      const f = `lineItems[${i}]`;
      const unit = gross ? li.unitPrice.grossAmount : li.unitPrice.netAmount;
      if (unit === undefined) throw new ValidationError(`${f}.unitPrice.${gross ? 'grossAmount' : 'netAmount'} is required for taxType ${d.taxConditions.taxType}`, [{ path: `${f}.unitPrice`, message: 'missing amount' }]);
      return {
        type: li.type,
        ...(li.id !== undefined ? { id: li.id } : {}),
        name: li.name,
        description: li.description,
        quantity: amountNumber(li.quantity, `${f}.quantity`),
        unitName: li.unitName,
        unitPrice: {
          currency: li.unitPrice.currency,
          [gross ? 'grossAmount' : 'netAmount']: amountNumber(unit, `${f}.unitPrice`),
          taxRatePercentage: amountNumber(li.unitPrice.taxRatePercentage, `${f}.unitPrice.taxRatePercentage`, 2),
        },
        ...(li.discountPercentage !== undefined ? { discountPercentage: amountNumber(li.discountPercentage, `${f}.discountPercentage`, 2) } : {}),
      };
    }),
    totalPrice: {
      currency: d.totalPrice?.currency ?? 'EUR',
      ...(d.totalPrice?.totalDiscountAbsolute !== undefined ? { totalDiscountAbsolute: amountNumber(d.totalPrice.totalDiscountAbsolute, 'totalPrice.totalDiscountAbsolute', 2) } : {}),
      ...(d.totalPrice?.totalDiscountPercentage !== undefined ? { totalDiscountPercentage: amountNumber(d.totalPrice.totalDiscountPercentage, 'totalPrice.totalDiscountPercentage', 2) } : {}),
    },
    taxConditions: { ...d.taxConditions },
    ...(shipping ? { shippingConditions: { ...shipping } } : {}),
    ...(d.paymentConditions
      ? {
          paymentConditions: {
            ...d.paymentConditions,
            ...(d.paymentConditions.paymentDiscountConditions
              ? { paymentDiscountConditions: { ...d.paymentConditions.paymentDiscountConditions, discountPercentage: amountNumber(d.paymentConditions.paymentDiscountConditions.discountPercentage, 'paymentDiscountConditions.discountPercentage', 2) } }
              : {}),
          },
        }
      : {}),
    ...(d.printLayoutId ? { printLayoutId: d.printLayoutId } : {}),
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.introduction !== undefined ? { introduction: d.introduction } : {}),
    ...(d.remark !== undefined ? { remark: d.remark } : {}),
    ...(d.deliveryTerms !== undefined ? { deliveryTerms: d.deliveryTerms } : {}),
  };
}
