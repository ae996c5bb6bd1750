import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { filterContacts, validateContact } from './contacts.ts';
import { createSalesVoucher, openAmount, paymentsView, voucherlistRow } from './documents.ts';
import { type Detail, SimHttpError, bare, legacy, regular, validationFailed } from './errors.ts';
import { pageOf, pageParams } from './paging.ts';
import { renderPdf } from './pdf.ts';
import type { Article, Contact, SalesKind, SalesVoucher, SimState } from './state.ts';
import { EVENT_TYPES } from './webhooks.ts';
import { LEX_DAY, berlinDay, htmlDecode, dec, decimals, isUuid, lexTime, num, uuid, validGtin } from './util.ts';

/** Behaviour switches for the points the research marks [UNCERTAIN] (see docs/lexoffice.md). */
export interface Behaviour {
  /** Stale `version` on a contact PUT: 406 IssueList on `version` (measured live) or 409. */
  readonly contactVersionConflict: 406 | 409;
  /** voucherlist `voucherNumber` filter: exact (default) or substring. */
  readonly voucherNumberMatch: 'exact' | 'substring';
  /** voucherlist `sort`: only voucherDate (measured live) or the documented four properties. */
  readonly voucherlistSort: 'live' | 'doc';
  /** Smallest `size` /v1/articles accepts (one source claims < 25 is refused); 1 = no such limit. */
  readonly articlesMinSize: number;
  /** Callback URLs must be https (the real service checks the certificate with HEAD; 406 otherwise). */
  readonly requireHttpsCallbacks: boolean;
  /** Status of a successful create (the docs say 201; one SDK saw 200). */
  readonly createStatus: 200 | 201;
}

export interface ApiCtx {
  state(): SimState;
  emit(eventType: string, resourceId: string): void;
  baseUrl(): string;
  now(): Date;
  keyOf(req: FastifyRequest): string;
  readonly behaviour: Behaviour;
}

type Q = Record<string, string | undefined>;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON body of a POST/PUT: 415 without `Content-Type: application/json`, 400 on malformed JSON. */
export function jsonBody(req: FastifyRequest): unknown {
  const ct = req.headers['content-type'];
  if (!ct || !ct.toLowerCase().startsWith('application/json')) throw bare(415, 'Unsupported Media Type');
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw regular(400, req.url.split('?')[0] ?? '', 'JSON parse error: malformed request body');
  }
}

function path(req: FastifyRequest): string {
  return req.url.split('?')[0] ?? req.url;
}

function actionResult(ctx: ApiCtx, resource: string, id: string, created: string, updated: string, version: number): Obj {
  return { id, resourceUri: `${ctx.baseUrl()}/v1/${resource}/${id}`, createdDate: created, updatedDate: updated, version };
}

function sendCreated(ctx: ApiCtx, reply: FastifyReply, body: Obj): Obj {
  reply.code(ctx.behaviour.createStatus).header('location', String(body.resourceUri));
  return body;
}

function notFound(req: FastifyRequest): SimHttpError {
  return regular(404, path(req), 'Resource not found');
}

function singleFilter(q: Q, name: string, req: FastifyRequest): string | undefined {
  const v = q[name] as unknown;
  if (Array.isArray(v)) throw regular(400, path(req), `filter '${name}' must not appear twice`);
  return v as string | undefined;
}

export function registerApi(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  // ---- profile, countries, master data ----
  app.get('/v1/profile', async () => st().profile);
  app.get('/v1/countries', async () => st().countries);
  app.get('/v1/payment-conditions', async () => [
    { id: '65be0654-60b6-11eb-b66d-5731dbc9bf6b', paymentTermLabelTemplate: 'Zahlbar in {paymentRange} Tagen, rein netto ohne Abzug', paymentTermDuration: 14, organizationDefault: true },
  ]);
  app.get('/v1/print-layouts', async () => [{ id: '11111111-2222-4333-8444-555555555555', name: 'Standard', default: true }]);

  // ---- articles ----
  app.get('/v1/articles', async (req) => {
    const q = req.query as Q;
    const articleNumber = singleFilter(q, 'articleNumber', req);
    const gtin = singleFilter(q, 'gtin', req);
    const type = singleFilter(q, 'type', req);
    if (type !== undefined && type !== 'PRODUCT' && type !== 'SERVICE') throw legacy(400, [{ source: 'type', i18nKey: 'invalid_value' }]);
    const size = Number(q.size);
    if (q.size !== undefined && Number.isInteger(size) && size < ctx.behaviour.articlesMinSize) {
      throw regular(400, path(req), `parameter 'size' must be equal or greater than ${ctx.behaviour.articlesMinSize}`);
    }
    const { page, size: pageSize } = pageParams(q, 250);
    const all = [...st().articles.values()]
      .filter((a) => (articleNumber === undefined || a.articleNumber === articleNumber) && (gtin === undefined || a.gtin === gtin) && (type === undefined || a.type === type))
      .sort((a, b) => String(a.title ?? '').localeCompare(String(b.title ?? '')) || a.id.localeCompare(b.id)); // raw rows (/_sim/articles/raw) may lack a title
    return pageOf(all, page, pageSize, { property: 'title', direction: 'ASC' });
  });
  app.get('/v1/articles/:id', async (req) => {
    const a = st().articles.get((req.params as { id: string }).id);
    if (!a) throw notFound(req);
    return a;
  });
  app.post('/v1/articles', async (req, reply) => {
    const body = jsonBody(req);
    const fields = validateArticle(body, st(), path(req), undefined);
    const now = lexTime(ctx.now());
    const a: Article = { id: uuid(), organizationId: st().organizationId, createdDate: now, updatedDate: now, archived: false, ...fields, version: 0 };
    st().articles.set(a.id, a);
    ctx.emit('article.created', a.id);
    return sendCreated(ctx, reply, actionResult(ctx, 'articles', a.id, a.createdDate, a.updatedDate, a.version));
  });
  app.put('/v1/articles/:id', async (req) => {
    const a = st().articles.get((req.params as { id: string }).id);
    if (!a) throw notFound(req);
    const body = jsonBody(req);
    const v = isObj(body) ? body.version : undefined;
    if (typeof v !== 'number') throw validationFailed(path(req), [{ violation: 'NOTNULL', field: 'version', message: 'darf nicht leer sein' }]);
    if (v !== a.version) throw regular(409, path(req), 'an outdated version field send with PUT');
    const fields = validateArticle(body, st(), path(req), a.id);
    Object.assign(a, fields, { updatedDate: lexTime(ctx.now()), version: a.version + 1 });
    ctx.emit('article.changed', a.id);
    return actionResult(ctx, 'articles', a.id, a.createdDate, a.updatedDate, a.version);
  });
  app.delete('/v1/articles/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    if (!st().articles.delete(id)) throw notFound(req);
    ctx.emit('article.deleted', id);
    return reply.code(204).send();
  });

  // ---- contacts (legacy IssueList error shape) ----
  app.get('/v1/contacts', async (req) => {
    const q = req.query as Q;
    const all = filterContacts(st(), { email: q.email, name: q.name, number: q.number, customer: q.customer, vendor: q.vendor });
    // Measured live: 500 accepted (the docs table says 250), 1000 refused with this message.
    if (Number(q.size) > 500) throw regular(400, path(req), "parameter 'size' exceeds the limit");
    const { page, size } = pageParams(q, 500);
    return pageOf(all.map(publicContact), page, size, { property: 'name', direction: 'ASC' });
  });
  app.get('/v1/contacts/:id', async (req) => {
    const c = st().contacts.get((req.params as { id: string }).id);
    if (!c) throw notFound(req);
    return publicContact(c);
  });
  app.post('/v1/contacts', async (req, reply) => {
    const body = jsonBody(req);
    if (!isObj(body) || body.version !== 0) throw legacy(406, [{ source: 'version', i18nKey: 'missing_entity' }]);
    const fields = validateContact(body, st());
    const roles = body.roles as Obj;
    const now = lexTime(ctx.now());
    const c: Contact = {
      id: uuid(),
      organizationId: st().organizationId,
      version: 1,
      roles: {
        ...(isObj(roles.customer) ? { customer: { number: ++st().counters.customer } } : {}),
        ...(isObj(roles.vendor) ? { vendor: { number: ++st().counters.vendor } } : {}),
      },
      ...fields,
      archived: false,
      createdDate: now,
      updatedDate: now,
    };
    st().contacts.set(c.id, c);
    ctx.emit('contact.created', c.id);
    return sendCreated(ctx, reply, actionResult(ctx, 'contacts', c.id, now, now, c.version));
  });
  app.put('/v1/contacts/:id', async (req) => {
    const c = st().contacts.get((req.params as { id: string }).id);
    if (!c) throw notFound(req);
    const body = jsonBody(req);
    const v = isObj(body) ? body.version : undefined;
    if (typeof v !== 'number') throw legacy(406, [{ source: 'version', i18nKey: 'missing_entity' }]);
    if (v !== c.version) {
      if (ctx.behaviour.contactVersionConflict === 409) throw regular(409, path(req), 'an outdated version field send with PUT');
      throw legacy(406, [{ source: 'version', i18nKey: 'invalid_value' }]);
    }
    const fields = validateContact(body, st());
    // PUT replaces the whole record: fields left out are emptied; roles keep their numbers.
    const keep = new Set(['id', 'organizationId', 'version', 'roles', 'archived', 'createdDate', 'updatedDate']);
    for (const k of Object.keys(c)) if (!keep.has(k)) delete (c as Obj)[k];
    const roles = (body as Obj).roles as Obj;
    c.roles = {
      ...(isObj(roles.customer) ? { customer: c.roles.customer ?? { number: ++st().counters.customer } } : {}),
      ...(isObj(roles.vendor) ? { vendor: c.roles.vendor ?? { number: ++st().counters.vendor } } : {}),
    };
    Object.assign(c, fields, { version: c.version + 1, updatedDate: lexTime(ctx.now()) });
    ctx.emit('contact.changed', c.id);
    return actionResult(ctx, 'contacts', c.id, String(c.createdDate), String(c.updatedDate), c.version);
  });

  // ---- sales vouchers ----
  const salesRoutes: [string, SalesKind, string, string][] = [
    ['invoices', 'invoice', 'invoice', 'Rechnung'],
    ['order-confirmations', 'orderconfirmation', 'order-confirmation', 'Auftragsbestaetigung'],
    ['credit-notes', 'creditnote', 'credit-note', 'Gutschrift'],
  ];
  const headings: Record<SalesKind, string> = { invoice: 'Rechnung', orderconfirmation: 'Auftragsbestaetigung', creditnote: 'Gutschrift' };
  for (const [resource, kind, eventPrefix, filePrefix] of salesRoutes) {
    const get = (req: FastifyRequest): SalesVoucher => {
      const v = st().vouchers.get((req.params as { id: string }).id);
      if (!v || v.kind !== kind) throw notFound(req);
      return v;
    };
    app.post(`/v1/${resource}`, async (req, reply) => {
      const q = req.query as Q;
      const body = jsonBody(req);
      let prev: SalesVoucher | undefined;
      if (q.precedingSalesVoucherId !== undefined) {
        prev = st().vouchers.get(q.precedingSalesVoucherId);
        const bad = (message: string): SimHttpError => validationFailed(path(req), [{ violation: 'INVALID', field: 'precedingSalesVoucherId', message }]);
        if (!prev) throw bad('preceding voucher not found');
        if (prev.doc.voucherStatus === 'draft') throw bad('preceding voucher is a draft');
        if (kind === 'creditnote') {
          // A credit note follows an invoice, and only one per invoice (research §4.7).
          if (prev.kind !== 'invoice') throw bad('a credit note can only follow an invoice');
          if ((prev.doc.relatedVouchers as Obj[]).some((r) => r.voucherType === 'creditnote')) throw bad('the invoice already has a credit note');
          if (prev.doc.voucherStatus === 'voided') throw bad('the invoice is voided');
        }
      }
      const v = createSalesVoucher(body, { state: st(), kind, finalize: q.finalize === 'true', path: path(req), now: ctx.now() });
      if (prev) {
        (v.doc.relatedVouchers as Obj[]).push({ id: prev.doc.id, voucherNumber: prev.doc.voucherNumber, voucherType: prev.kind });
        (prev.doc.relatedVouchers as Obj[]).push({ id: v.doc.id, voucherNumber: v.doc.voucherNumber, voucherType: v.kind });
      }
      st().vouchers.set(v.doc.id, v);
      ctx.emit(`${eventPrefix}.created`, v.doc.id);
      if (prev && kind === 'creditnote' && v.doc.voucherStatus === 'open') settleByCreditNote(ctx, prev, v);
      return sendCreated(ctx, reply, actionResult(ctx, resource, v.doc.id, String(v.doc.createdDate), String(v.doc.updatedDate), v.doc.version));
    });
    app.get(`/v1/${resource}/:id`, async (req) => get(req).doc);
    app.get(`/v1/${resource}/:id/file`, async (req, reply) => {
      const v = get(req);
      if (v.doc.voucherStatus === 'draft') throw regular(409, path(req), `${kind} ${v.doc.id} is in status 'draft' and therefore cannot be downloaded`);
      checkPdfAccept(req, kind === 'invoice');
      const pdf = renderVoucherPdf(v, filePrefix);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filePrefix}_${v.doc.voucherNumber}.pdf"`)
        .header('content-length', pdf.length)
        .send(pdf);
    });
    app.get(`/v1/${resource}/:id/document`, async (req) => {
      const v = get(req);
      if (v.doc.voucherStatus === 'draft') throw regular(406, path(req), 'Requesting PDF document is not possible in state draft');
      return { documentFileId: (v.doc.files as { documentFileId: string }).documentFileId };
    });
  }

  /** Accept for a rendered document: PDF for pdf / *\/* / application/*; XML only for XRechnung documents (none here) → 404; else 406. */
  function checkPdfAccept(req: FastifyRequest, xmlIsNotFound: boolean): void {
    const accept = (req.headers.accept ?? '*/*').toLowerCase();
    if (accept.includes('application/pdf') || accept.includes('*/*') || accept.includes('application/*')) return;
    if (accept.includes('application/xml') && xmlIsNotFound) throw notFound(req); // regular (non-XRechnung) documents have no XML
    throw regular(406, path(req), `media type ${accept} is not acceptable`);
  }

  // ---- files: the rendered document behind `files.documentFileId` / `/document` (research §5.2) ----
  app.get('/v1/files/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const v = st().vouchers.get(st().files.get(id) ?? '');
    if (!v) throw notFound(req);
    checkPdfAccept(req, true); // live: asking XML of a PDF file is a 404
    const pdf = renderVoucherPdf(v, headings[v.kind]); // the same bytes as /v1/{resource}/{id}/file (measured live)
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename=${id}.pdf;`)
      .header('content-length', pdf.length)
      .send(pdf);
  });

  // ---- voucherlist ----
  app.get('/v1/voucherlist', async (req) => {
    const q = req.query as Q;
    const p = path(req);
    if (!q.voucherType || !q.voucherStatus) throw regular(400, p, 'Missing required request parameters');
    const TYPES = ['salesinvoice', 'salescreditnote', 'purchaseinvoice', 'purchasecreditnote', 'invoice', 'downpaymentinvoice', 'creditnote', 'orderconfirmation', 'quotation', 'deliverynote'];
    const STATES = ['draft', 'open', 'overdue', 'paid', 'paidoff', 'voided', 'transferred', 'sepadebit', 'accepted', 'rejected', 'unchecked'];
    const types = q.voucherType === 'any' ? TYPES : q.voucherType.split(',');
    const states = q.voucherStatus === 'any' ? STATES : q.voucherStatus.split(',');
    if (!types.every((t) => TYPES.includes(t))) throw regular(400, p, "parameter 'voucherType' is invalid");
    if (!states.every((s) => STATES.includes(s))) throw regular(400, p, "parameter 'voucherStatus' is invalid");
    if (states.includes('overdue') && states.length > 1 && q.voucherStatus !== 'any') throw regular(400, p, "voucherStatus 'overdue' cannot be combined with other states");
    const size = q.size === undefined ? 25 : Number(q.size);
    if (!Number.isInteger(size) || size < 1) throw regular(400, p, "parameter 'size' is invalid");
    if (size > 250) throw regular(400, p, "parameter 'size' must be equal or lower than 250");
    const page = q.page === undefined ? 0 : Number(q.page);
    if (!Number.isInteger(page) || page < 0) throw regular(400, p, "parameter 'page' is invalid");
    if ((page + 1) * size > 10_000) throw regular(400, p, 'Maximum search window size exceeded');
    for (const k of ['voucherDateFrom', 'voucherDateTo', 'createdDateFrom', 'createdDateTo', 'updatedDateFrom', 'updatedDateTo']) {
      if (q[k] !== undefined && !LEX_DAY.test(q[k] as string)) throw regular(400, p, `parameter '${k}' is invalid`);
    }
    if (q.contactId !== undefined && !isUuid(q.contactId)) throw regular(400, p, "parameter 'contactId' is invalid");
    // live: only `voucherDate`, exactly so (measured); doc: the four documented properties, in any casing
    // (the docs spell them `voucherdate` …) [UNCERTAIN] — behaviour.voucherlistSort.
    const allowedSorts = ctx.behaviour.voucherlistSort === 'live' ? ['voucherDate'] : ['voucherDate', 'voucherNumber', 'createdDate', 'updatedDate'];
    const [sortSent = 'voucherDate', sortDirRaw = 'DESC'] = (q.sort ?? 'voucherDate,DESC').split(',');
    const sortDir = sortDirRaw.toUpperCase();
    const sortProp = allowedSorts.find((a) => (ctx.behaviour.voucherlistSort === 'live' ? a === sortSent : a.toLowerCase() === sortSent.toLowerCase()));
    if (sortProp === undefined || (sortDir !== 'ASC' && sortDir !== 'DESC')) throw regular(400, p, "parameter 'sort' is invalid");
    const now = ctx.now();
    const inDay = (iso: unknown, from?: string, to?: string): boolean => {
      const day = berlinDay(new Date(String(iso)));
      return (from === undefined || day >= from) && (to === undefined || day <= to);
    };
    const rows = [...st().vouchers.values()]
      .map((v) => ({ v, row: voucherlistRow(v, now) }))
      .filter(({ v, row }) => {
        if (!types.includes(v.kind)) return false;
        if (q.voucherStatus !== 'any' && !states.includes(String(row.voucherStatus))) return false;
        if (q.archived !== undefined && String(row.archived) !== q.archived) return false;
        if (q.contactId !== undefined && v.contactId !== q.contactId) return false;
        if (q.voucherNumber !== undefined) {
          const n = String(row.voucherNumber);
          const want = htmlDecode(q.voucherNumber);
          if (ctx.behaviour.voucherNumberMatch === 'exact' ? n !== want : !n.includes(want)) return false;
        }
        return (
          inDay(row.voucherDate, q.voucherDateFrom, q.voucherDateTo) &&
          inDay(row.createdDate, q.createdDateFrom, q.createdDateTo) &&
          inDay(row.updatedDate, q.updatedDateFrom, q.updatedDateTo)
        );
      })
      .map(({ row }) => row)
      .sort((a, b) => {
        const x = String(a[sortProp]);
        const y = String(b[sortProp]);
        const c = sortProp === 'voucherNumber' ? x.localeCompare(y) : new Date(x).getTime() - new Date(y).getTime();
        return (sortDir === 'ASC' ? c : -c) || String(a.voucherNumber).localeCompare(String(b.voucherNumber));
      });
    return pageOf(rows, page, size, { property: sortSent, direction: sortDir as 'ASC' | 'DESC' }, 10_000);
  });

  // ---- payments ----
  app.get('/v1/payments/:id', async (req) => {
    const v = st().vouchers.get((req.params as { id: string }).id);
    if (!v || v.kind !== 'invoice') throw notFound(req);
    if (v.doc.voucherStatus === 'draft') throw regular(406, path(req), 'payments are not available for vouchers in status draft');
    return paymentsView(v);
  });

  // ---- event subscriptions ----
  app.post('/v1/event-subscriptions', async (req, reply) => {
    const body = jsonBody(req);
    const b = isObj(body) ? body : {};
    const d: Detail[] = [];
    if (typeof b.eventType !== 'string') d.push({ violation: 'NOTNULL', field: 'eventType', message: 'darf nicht leer sein' });
    else if (!EVENT_TYPES.includes(b.eventType)) d.push({ violation: 'INVALID', field: 'eventType', message: 'unknown event type' });
    let url: URL | undefined;
    try {
      url = new URL(String(b.callbackUrl));
    } catch {
      d.push({ violation: 'INVALID', field: 'callbackUrl', message: 'must be a valid URL' });
    }
    if (url && url.protocol !== 'https:' && (ctx.behaviour.requireHttpsCallbacks || url.protocol !== 'http:')) {
      d.push({ violation: 'INVALID', field: 'callbackUrl', message: 'callback URL must use https with a valid certificate' });
    }
    if (d.length > 0) throw validationFailed(path(req), d);
    const key = ctx.keyOf(req);
    for (const s of st().subscriptions.values()) {
      if (s.apiKey === key && s.eventType === b.eventType && s.callbackUrl === b.callbackUrl) throw regular(409, path(req), 'subscription for this eventType and callbackUrl already exists');
    }
    const now = lexTime(ctx.now());
    const s = { subscriptionId: uuid(), organizationId: st().organizationId, createdDate: now, eventType: String(b.eventType), callbackUrl: String(b.callbackUrl), apiKey: key };
    st().subscriptions.set(s.subscriptionId, s);
    reply.code(201).header('location', `${ctx.baseUrl()}/v1/event-subscriptions/${s.subscriptionId}`);
    return actionResult(ctx, 'event-subscriptions', s.subscriptionId, now, now, 0);
  });
  const publicSub = (s: { subscriptionId: string; organizationId: string; createdDate: string; eventType: string; callbackUrl: string }): Obj => ({
    subscriptionId: s.subscriptionId,
    organizationId: s.organizationId,
    createdDate: s.createdDate,
    eventType: s.eventType,
    callbackUrl: s.callbackUrl,
  });
  app.get('/v1/event-subscriptions', async (req) => ({
    content: [...st().subscriptions.values()].filter((s) => s.apiKey === ctx.keyOf(req)).map(publicSub),
  }));
  app.get('/v1/event-subscriptions/:id', async (req) => {
    const s = st().subscriptions.get((req.params as { id: string }).id);
    if (!s || s.apiKey !== ctx.keyOf(req)) throw notFound(req);
    return publicSub(s);
  });
  app.delete('/v1/event-subscriptions/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const s = st().subscriptions.get(id);
    if (!s || s.apiKey !== ctx.keyOf(req)) throw notFound(req);
    st().subscriptions.delete(id);
    return reply.code(204).send();
  });
}

/**
 * A finalized credit note following an invoice is `paidoff` and settles the invoice by its amount
 * (research §4.7): fully settled → the invoice is `paid`; events as the real service fires them.
 */
function settleByCreditNote(ctx: ApiCtx, invoice: SalesVoucher, creditNote: SalesVoucher): void {
  creditNote.doc.voucherStatus = 'paidoff';
  if (invoice.doc.voucherStatus !== 'open') return;
  const open = dec(openAmount(invoice));
  const amount = dec(creditNote.totalGross).lt(open) ? dec(creditNote.totalGross) : open;
  invoice.payments.push({ postingDate: lexTime(ctx.now()), amount: num(amount), type: 'partPaymentCreditNote' });
  invoice.doc.version += 1;
  invoice.doc.updatedDate = lexTime(ctx.now());
  if (amount.gte(open)) {
    invoice.doc.voucherStatus = 'paid';
    ctx.emit('invoice.status.changed', invoice.doc.id);
  }
  ctx.emit('payment.changed', invoice.doc.id);
}

/** Contacts carry no created/updated dates in the documented field list; the simulator keeps them for action results only. */
function publicContact(c: Contact): Obj {
  const { createdDate: _c, updatedDate: _u, ...rest } = c as Obj;
  return rest;
}

/** Article body rules (research §2.2): 406 regular shape with `details`. */
export function validateArticle(body: unknown, state: SimState, p: string, selfId: string | undefined): Omit<Article, 'id' | 'organizationId' | 'createdDate' | 'updatedDate' | 'archived' | 'version'> {
  const d: Detail[] = [];
  const bad = (field: string, violation: string, message: string): void => void d.push({ field, violation, message });
  const b = isObj(body) ? body : {};
  if (typeof b.title !== 'string' || b.title.trim() === '') bad('title', 'NOTNULL', 'darf nicht leer sein');
  if (b.type !== 'PRODUCT' && b.type !== 'SERVICE') bad('type', b.type === undefined ? 'NOTNULL' : 'INVALID', 'must be PRODUCT or SERVICE');
  if (typeof b.unitName !== 'string' || b.unitName === '') bad('unitName', 'NOTNULL', 'darf nicht leer sein');
  if (b.gtin !== undefined && b.gtin !== null && (typeof b.gtin !== 'string' || !validGtin(b.gtin))) bad('gtin', 'VALIDGTIN', 'not a valid GTIN-8, -12, -13 or -14');
  if (typeof b.articleNumber === 'string') {
    for (const a of state.articles.values()) if (a.articleNumber === b.articleNumber && a.id !== selfId) bad('materialNumber', 'MATERIAL_NUMBER_ALREADY_EXISTS', 'article number already exists');
  }
  const pr = isObj(b.price) ? b.price : undefined;
  let price: Article['price'] | undefined;
  if (!pr) bad('price', 'NOTNULL', 'darf nicht leer sein');
  else {
    const lead = pr.leadingPrice;
    const rate = pr.taxRate;
    if (lead !== 'NET' && lead !== 'GROSS') bad('price.leadingPrice', 'NOTNULL', 'must be NET or GROSS');
    if (typeof rate !== 'number' || ![0, 7, 19].includes(rate)) bad('price.taxRate', 'INVALID', 'must be 0, 7 or 19');
    const field = lead === 'GROSS' ? 'grossPrice' : 'netPrice';
    const amount = pr[field];
    if (typeof amount !== 'number' || amount < 0) bad(`price.${field}`, 'NOTNULL', 'darf nicht leer sein');
    else if (decimals(amount) > 4) bad(`price.${field}`, 'DIGITS', 'at most 4 decimal places');
    if (d.length === 0 && typeof amount === 'number' && typeof rate === 'number') {
      const f = dec(100 + rate).div(100);
      price =
        lead === 'GROSS'
          ? { netPrice: num(dec(amount).div(f)), grossPrice: amount, leadingPrice: 'GROSS', taxRate: rate }
          : { netPrice: amount, grossPrice: num(dec(amount).times(f)), leadingPrice: 'NET', taxRate: rate };
    }
  }
  if (d.length > 0 || !price) throw validationFailed(p, d);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    title: String(b.title),
    description: str(b.description),
    type: b.type as Article['type'],
    articleNumber: str(b.articleNumber),
    gtin: str(b.gtin),
    note: str(b.note),
    unitName: String(b.unitName),
    price,
  };
}

/** The PDF of a finalized voucher: number, date, address, lines and totals. */
export function renderVoucherPdf(v: SalesVoucher, heading: string): Buffer {
  const d = v.doc as Obj;
  const tp = d.totalPrice as Obj;
  const addr = d.address as Obj;
  const lines = [
    `${heading} ${v.doc.voucherNumber}`,
    `Datum: ${String(d.voucherDate).slice(0, 10)}`,
    `${String(addr.name ?? '')}, ${String(addr.street ?? '')}, ${String(addr.zip ?? '')} ${String(addr.city ?? '')}, ${String(addr.countryCode ?? '')}`,
    '',
    ...((d.lineItems as Obj[]) ?? []).map((li) =>
      li.type === 'text' ? String(li.name) : `${String(li.quantity)} ${String(li.unitName)} ${String(li.name)}  ${Number(li.lineItemAmount).toFixed(2)} EUR`,
    ),
    '',
    `Netto: ${Number(tp.totalNetAmount).toFixed(2)} EUR`,
    `USt: ${Number(tp.totalTaxAmount).toFixed(2)} EUR`,
    `Gesamt: ${Number(tp.totalGrossAmount).toFixed(2)} EUR`,
  ];
  return renderPdf(lines);
}
