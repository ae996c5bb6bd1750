import { ValidationError } from '../../core/errors.ts';
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
import { type ArticlePage, type RejectedArticle, parseArticle } from './articles.ts';
import { contactBody, contactUpdateBody, creditNoteBody, documentBody, escapeLike, htmlEncode, idSegment } from './bodies.ts';
import type { ArticleFilter, ContactChanges, ContactFilter, ContactInput, CreateDocumentOptions, CreditNoteInput, SalesVoucherInput, VoucherlistFilter } from './inputs.ts';

// The client's parts, re-exported so importers keep one address.
export type { ArticlePage, RejectedArticle } from './articles.ts';
export { parseArticle } from './articles.ts';
export { amountNumber, contactBody, contactUpdateBody, creditNoteBody, documentBody, escapeLike, htmlEncode, lexofficeDateTime } from './bodies.ts';
export type * from './inputs.ts';

export interface LexofficeClientOptions extends LexofficeHttpOptions {
  /**
   * Property name sent in the voucher list's `sort` (with `sortDirection`). The docs spell it `voucherdate`,
   * the live API was measured to accept `voucherDate` only [UNCERTAIN] — default the measured one.
   */
  readonly voucherlistSortProperty?: 'voucherDate' | 'voucherdate';
  /** Page size for `GET /v1/contacts` (docs table: 250; measured live: 500 accepted, 1000 refused). Default 250, at most 500. */
  readonly contactsPageSize?: number;
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
    return this.http.json({ method: 'GET', path: `/v1/articles/${idSegment(id)}`, schema: articleSchema });
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
    return this.http.json({ method: 'GET', path: `/v1/contacts/${idSegment(id)}`, schema: contactSchema });
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
    return this.http.json({ method: 'PUT', path: `/v1/contacts/${idSegment(current.id)}`, body: contactUpdateBody(current, changes), schema: actionResultSchema });
  }

  // ---- invoices & order confirmations ----
  createInvoice(doc: SalesVoucherInput, o: CreateDocumentOptions = {}): Promise<ActionResult> {
    return this.createDocument('invoices', doc, o);
  }

  getInvoice(id: string): Promise<SalesVoucher> {
    return this.http.json({ method: 'GET', path: `/v1/invoices/${idSegment(id)}`, schema: salesVoucherSchema });
  }

  /** The rendered PDF (`Accept: application/pdf`, so XRechnung contacts also yield a PDF). Draft → conflict (409). */
  downloadInvoicePdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/invoices/${idSegment(id)}/file`, accept: 'application/pdf' });
  }

  /**
   * Deprecated `/v1/invoices/{id}/document`: triggers rendering and returns the file id. Only as the
   * documented fallback when `/file` of an invoice known to be open answers 404/409 [UNCERTAIN].
   */
  async renderInvoiceDocument(id: string): Promise<DocumentFile> {
    return this.http.json({ method: 'GET', path: `/v1/invoices/${idSegment(id)}/document`, schema: documentFileSchema });
  }

  /** `GET /v1/files/{documentFileId}` as PDF — the second step of the deprecated `/document` route. */
  downloadFile(documentFileId: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/files/${idSegment(documentFileId)}`, accept: 'application/pdf' });
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
    return this.http.json({ method: 'GET', path: `/v1/credit-notes/${idSegment(id)}`, schema: salesVoucherSchema });
  }

  downloadCreditNotePdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/credit-notes/${idSegment(id)}/file`, accept: 'application/pdf' });
  }

  createOrderConfirmation(doc: SalesVoucherInput, o: CreateDocumentOptions = {}): Promise<ActionResult> {
    return this.createDocument('order-confirmations', doc, o);
  }

  getOrderConfirmation(id: string): Promise<SalesVoucher> {
    return this.http.json({ method: 'GET', path: `/v1/order-confirmations/${idSegment(id)}`, schema: salesVoucherSchema });
  }

  downloadOrderConfirmationPdf(id: string): Promise<BinaryResponse> {
    return this.http.binary({ method: 'GET', path: `/v1/order-confirmations/${idSegment(id)}/file`, accept: 'application/pdf' });
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
    return this.http.json({ method: 'GET', path: `/v1/payments/${idSegment(voucherId)}`, schema: paymentSchema });
  }

  // ---- event subscriptions ----
  createEventSubscription(eventType: string, callbackUrl: string): Promise<ActionResult> {
    return this.http.json({ method: 'POST', path: '/v1/event-subscriptions', body: { eventType, callbackUrl }, schema: actionResultSchema });
  }

  async listEventSubscriptions(): Promise<EventSubscription[]> {
    return (await this.http.json({ method: 'GET', path: '/v1/event-subscriptions', schema: eventSubscriptionListSchema })).content;
  }

  getEventSubscription(id: string): Promise<EventSubscription> {
    return this.http.json({ method: 'GET', path: `/v1/event-subscriptions/${idSegment(id)}`, schema: eventSubscriptionSchema });
  }

  async deleteEventSubscription(id: string): Promise<void> {
    await this.http.json({ method: 'DELETE', path: `/v1/event-subscriptions/${idSegment(id)}` });
  }
}
