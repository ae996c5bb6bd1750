import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { AuthError, NotFoundError, OutcomeUnknownError, UpstreamError } from '../../src/core/errors.ts';
import { LexofficeClient, LexofficeValidationError } from '../../src/connectors/lexoffice/index.ts';
import { contactUpdateBody } from '../../src/connectors/lexoffice/client.ts';
import { webhookPayloadSchema, type Contact } from '../../src/connectors/lexoffice/schemas.ts';
import { productFromLexofficeArticle } from '../../src/mapping/inputs.ts';
import type { Db } from '../../src/store/db.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { assertSameShape, sameShape, shapeDiff } from '../helpers/shape.ts';
import { testPglite } from '../helpers/stores.ts';
import { FAST_SIM, fastClient } from './helpers.ts';

type J = Record<string, unknown>;
const DIR = new URL('../fixtures/real/lexoffice/', import.meta.url);
const fixture = (name: string): J => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as J;

/** A client whose every request is answered with one fixture file (and status): the client's real parse path, no network. */
function clientServing(name: string, status = 200): LexofficeClient {
  return new LexofficeClient({
    apiKey: 'k',
    db: undefined as never,
    limiter: { acquire: async () => {} },
    maxReadRetries: 0,
    fetch: async () => new Response(readFileSync(new URL(name, DIR)), { status, headers: { 'content-type': 'application/json' } }),
  });
}

describe('shape helper', () => {
  it('same keys and JSON types pass; a missing, extra, retyped or null-for-string key fails', () => {
    assert.ok(sameShape({ a: 1, b: { c: 'x' }, l: [{ d: true }] }, { a: 2, b: { c: 'y' }, l: [{ d: false }, { d: true }] }));
    assert.deepEqual(shapeDiff({ a: 1, b: 'x' }, { a: 1 }), ['$.b: missing']);
    assert.deepEqual(shapeDiff({ a: 1 }, { a: 1, z: null }), ['$.z: unexpected']);
    assert.deepEqual(shapeDiff({ a: 'x' }, { a: null }), ['$.a: expected string, got null']);
    assert.deepEqual(shapeDiff({ l: [{ d: 1 }] }, { l: [{ d: 1 }, { d: '1' }] }), ['$.l[1].d: expected number, got string']);
    assert.deepEqual(shapeDiff({ a: 1 }, {}, { optional: ['a'] }), []);
    assert.deepEqual(shapeDiff({ c: [{ a: 1 }] }, { c: [{}] }, { optional: ['c[].a'] }), []);
  });
});

describe('real-shaped lexoffice payloads parse through the client', () => {
  it('articles: the full shape and the documentation shape without organizationId/createdDate/updatedDate/archived', async () => {
    const full = await clientServing('article.json').getArticle('eb46d328-e1dc-11ee-8444-2fadfc15a567');
    assert.equal(full.price.netPrice, '61.9', 'amounts as decimal strings');
    assert.equal(full.archived, false);
    const doc = await clientServing('article-doc-sample.json').getArticle('eb46d328-e1dc-11ee-8444-2fadfc15a567');
    assert.equal(doc.organizationId, undefined);
    assert.equal(doc.archived, undefined);
    // …and the catalog mapping takes it: not archived, the SKU is the article number.
    const product = productFromLexofficeArticle(doc);
    assert.deepEqual([product.sku, product.archived, product.taxRatePercent], ['LXW-BUHA-2024-001', false, '19']);
    for (const page of ['articles-page.json', 'articles-page-doc-sample.json']) {
      const p = await clientServing(page).listArticles();
      assert.deepEqual([p.content.length, p.rejected.length], [1, 0], page);
    }
  });

  it('contacts: xRechnung and every field are kept on read and sent back on update', async () => {
    const c = await clientServing('contact-xrechnung.json').getContact('be9475f4-ef80-442b-8ab9-3ab8b1a2aeb9');
    assert.deepEqual(c.xRechnung, { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' });
    const body = contactUpdateBody(c as Contact, { note: 'neu' });
    const { id: _i, organizationId: _o, archived: _a, ...sendable } = fixture('contact-xrechnung.json');
    assert.deepEqual(body, { ...sendable, note: 'neu' }, 'the PUT body is the record as read, minus read-only fields, plus the change');
    const page = await clientServing('contacts-page.json').listContacts();
    assert.equal(page.content[0]?.person?.lastName, 'Musterfrau');
  });

  it('sales documents, voucher list, document, profile, payment, subscriptions, action result, webhook', async () => {
    const open = await clientServing('invoice-open.json').getInvoice('x');
    assert.deepEqual([open.voucherStatus, open.closingInvoice, open.claimedGrossAmount, open.recurringTemplateId], ['open', false, '147.32', null]);
    const draft = await clientServing('invoice-draft.json').getInvoice('x');
    assert.equal(draft.dueDate, undefined);
    const cn = await clientServing('credit-note.json').getCreditNote('x');
    assert.deepEqual([cn.voucherStatus, cn.relatedVouchers?.[0]?.voucherType], ['paidoff', 'invoice']);
    const rows = (await clientServing('voucherlist-page.json').listVouchers({ voucherType: 'any', voucherStatus: 'any' })).content;
    assert.deepEqual(rows.map((r) => [r.voucherStatus, r.dueDate ?? null, r.openAmount ?? null]), [['open', '2025-09-15T00:00:00.000+02:00', '147.32'], ['draft', null, null]]);
    assert.equal((await clientServing('document.json').renderInvoiceDocument('x')).documentFileId, '75f7a6c3-6dab-4f4e-9d6b-2dc9b2c4a1d1');
    assert.equal((await clientServing('profile.json').getProfile()).taxType, 'net');
    assert.equal((await clientServing('payment.json').getPayment('x')).paymentStatus, 'openRevenue');
    assert.equal((await clientServing('event-subscription.json').getEventSubscription('x')).eventType, 'invoice.status.changed');
    assert.equal((await clientServing('event-subscriptions.json').listEventSubscriptions()).length, 1);
    assert.equal((await clientServing('action-result.json', 201).createContact({ person: { lastName: 'X' } })).version, 1);
    assert.equal(webhookPayloadSchema.parse(fixture('webhook-payload.json')).eventType, 'contact.changed');
  });

  it('error bodies: every shape classified, requestId kept, absent details and message tolerated', async () => {
    const fail = (name: string, status: number, write = false): Promise<unknown> =>
      (write ? clientServing(name, status).createContact({ person: { lastName: 'X' } }) : clientServing(name, status).getProfile()).catch((e: unknown) => e);
    const v = await fail('error-validation-406.json', 406, true);
    assert.ok(v instanceof LexofficeValidationError);
    assert.deepEqual([v.body.requestId, v.issues.map((i) => i.path)], ['3fb6b7a2-5c7e-4d2b-9a61-0e4c2f8d1b35', ['lineItems[0].unitPrice.taxRatePercentage']]);
    const docs = await fail('error-docs-sample-406.json', 406, true);
    assert.ok(docs instanceof LexofficeValidationError && docs.body.requestId === null && docs.body.traceId === '90d78d0777be');
    const nf = await fail('error-not-found-requestid.json', 404);
    assert.ok(nf instanceof NotFoundError && /requestId c0a8012e-7d4b-4f8a-9e21-6b3d5f7a9c10/.test(nf.message));
    const legacy = await fail('error-legacy-issuelist.json', 406, true);
    assert.ok(legacy instanceof LexofficeValidationError && legacy.body.shape === 'legacy' && legacy.issues[0]?.path === 'company.name');
    const q = await fail('error-legacy-query-param.json', 400);
    assert.ok(q instanceof LexofficeValidationError && q.body.message === null && q.body.issues[0]?.code === 'invalid_value');
    assert.ok((await fail('error-bare-401.json', 401)) instanceof AuthError);
    const e500 = await fail('error-500.json', 500, true);
    assert.ok(e500 instanceof OutcomeUnknownError && (e500.details as { requestId?: string }).requestId === '8d2f4a61-93b7-4c1e-a5d0-2e7f9b3c6a48');
    const e504 = await fail('error-504.json', 504);
    assert.ok(e504 instanceof UpstreamError && /Endpoint request timed out/.test(e504.message));
  });
});

describe('the simulator answers in the same shapes (same keys, same JSON types)', () => {
  let sim: LexofficeSim;
  let db: Db;
  let client: LexofficeClient;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: J }> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.apiKey}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as J };
  };
  before(async () => {
    db = await testPglite();
    sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 3, ...FAST_SIM });
    client = fastClient(sim.url, sim.apiKey, db);
  });
  after(async () => {
    await sim?.close();
    await db?.close();
  });

  /** The writable fields of a fixture, posted to the simulator, read back. */
  const pick = (o: J, keys: readonly string[]): J => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

  it('article and article page', async () => {
    const a = fixture('article.json');
    const created = await call('POST', '/v1/articles', pick(a, ['title', 'description', 'type', 'articleNumber', 'gtin', 'note', 'unitName', 'price']));
    assert.equal(created.status, 201);
    assertSameShape(fixture('action-result.json'), created.json, 'POST /v1/articles');
    assertSameShape(a, (await call('GET', `/v1/articles/${String(created.json.id)}`)).json, 'GET /v1/articles/{id}');
    assertSameShape(fixture('articles-page.json'), (await call('GET', `/v1/articles?articleNumber=${String(a.articleNumber)}`)).json, 'GET /v1/articles');
  });

  it('contact with xRechnung, contacts page', async () => {
    const c = fixture('contact-xrechnung.json');
    const created = await call('POST', '/v1/contacts', { version: 0, roles: { customer: {} }, ...pick(c, ['company', 'addresses', 'xRechnung', 'emailAddresses', 'phoneNumbers', 'note']) });
    assert.equal(created.status, 201);
    assertSameShape(c, (await call('GET', `/v1/contacts/${String(created.json.id)}`)).json, 'GET /v1/contacts/{id}');
    // The demo seed's Inge Musterfrau is the same kind of person contact as the sample row.
    assertSameShape(fixture('contacts-page.json'), (await call('GET', '/v1/contacts?email=inge@example.org')).json, 'GET /v1/contacts');
  });

  let openId = '';
  it('invoices (open and draft), document, voucher list, payment', async () => {
    const inv = fixture('invoice-open.json');
    const address = { contactId: (inv.address as J).contactId };
    const lineItems = (inv.lineItems as J[]).map((l) => (l.type === 'text' ? pick(l, ['type', 'name', 'description']) : { ...pick(l, ['type', 'name', 'quantity', 'unitName', 'discountPercentage']), unitPrice: pick(l.unitPrice as J, ['currency', 'netAmount', 'taxRatePercentage']) }));
    const body = { ...pick(inv, ['voucherDate', 'taxConditions', 'shippingConditions', 'title', 'introduction', 'remark']), address, lineItems, totalPrice: { currency: 'EUR' } };
    const open = await call('POST', '/v1/invoices?finalize=true', body);
    const draft = await call('POST', '/v1/invoices', body);
    openId = String(open.json.id);
    assertSameShape(inv, (await call('GET', `/v1/invoices/${openId}`)).json, 'GET /v1/invoices/{id} (open)');
    assertSameShape(fixture('invoice-draft.json'), (await call('GET', `/v1/invoices/${String(draft.json.id)}`)).json, 'GET /v1/invoices/{id} (draft)');
    assertSameShape(fixture('document.json'), (await call('GET', `/v1/invoices/${openId}/document`)).json, 'GET /v1/invoices/{id}/document');
    const list = (await call('GET', `/v1/voucherlist?voucherType=invoice&voucherStatus=any&contactId=${String(address.contactId)}`)).json;
    const sample = fixture('voucherlist-page.json');
    const [openRow, draftRow] = sample.content as J[];
    assertSameShape({ ...sample, content: [] }, { ...list, content: [] }, 'GET /v1/voucherlist (envelope)');
    for (const row of list.content as J[]) assertSameShape(row.voucherStatus === 'draft' ? draftRow : openRow, row, `voucherlist row (${String(row.voucherStatus)})`);
    assertSameShape(fixture('payment.json'), (await call('GET', `/v1/payments/${openId}`)).json, 'GET /v1/payments/{id}');
  });

  it('credit note after the invoice', async () => {
    const cn = fixture('credit-note.json');
    const lineItems = (cn.lineItems as J[]).map((l) => (l.type === 'text' ? pick(l, ['type', 'name', 'description']) : { ...pick(l, ['type', 'name', 'quantity', 'unitName']), unitPrice: pick(l.unitPrice as J, ['currency', 'netAmount', 'taxRatePercentage']) }));
    const created = await call('POST', `/v1/credit-notes?finalize=true&precedingSalesVoucherId=${openId}`, { ...pick(cn, ['voucherDate', 'taxConditions', 'title', 'introduction', 'remark']), address: { contactId: (cn.address as J).contactId }, lineItems, totalPrice: { currency: 'EUR' } });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assertSameShape(cn, (await call('GET', `/v1/credit-notes/${String(created.json.id)}`)).json, 'GET /v1/credit-notes/{id}');
  });

  it('profile, event subscriptions, webhook payload', async () => {
    assertSameShape(fixture('profile.json'), (await call('GET', '/v1/profile')).json, 'GET /v1/profile', { optional: ['distanceSalesPrinciple'] });
    const bodies: string[] = [];
    const hook = http.createServer((req, res) => {
      let b = '';
      req.on('data', (d: Buffer) => (b += d.toString()));
      req.on('end', () => {
        bodies.push(b);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const s = await client.createEventSubscription('article.changed', `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`);
      assertSameShape(fixture('event-subscription.json'), (await call('GET', `/v1/event-subscriptions/${s.id}`)).json, 'GET /v1/event-subscriptions/{id}');
      assertSameShape(fixture('event-subscriptions.json'), (await call('GET', '/v1/event-subscriptions')).json, 'GET /v1/event-subscriptions');
      sim.changeArticle([...sim.state().articles.keys()][0]!);
      await sim.webhooksIdle();
      assert.equal(bodies.length, 1);
      assertSameShape(fixture('webhook-payload.json'), JSON.parse(bodies[0]!), 'webhook callback body');
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });

  it('error bodies: validation 406, 404 with requestId and no details, legacy IssueList, 401, 500', async () => {
    const bad = await call('POST', '/v1/invoices', { voucherDate: '2025-09-01T00:00:00.000+02:00', address: { name: 'X', countryCode: 'DE' }, lineItems: [{ type: 'custom', name: 'A', quantity: 1, unitName: 'x', unitPrice: { currency: 'EUR', netAmount: 1 } }], totalPrice: { currency: 'EUR' }, taxConditions: { taxType: 'net' }, shippingConditions: { shippingType: 'none' } });
    assert.equal(bad.status, 406);
    assertSameShape(fixture('error-validation-406.json'), bad.json, '406 validation');
    const nf = await call('GET', '/v1/invoices/5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(nf.status, 404);
    assertSameShape(fixture('error-not-found-requestid.json'), nf.json, '404');
    const legacy = await call('POST', '/v1/contacts', { version: 0, roles: { customer: {} }, company: { contactPersons: [] } });
    assert.equal(legacy.status, 406);
    assertSameShape(fixture('error-legacy-issuelist.json'), legacy.json, 'legacy 406');
    const q = await call('GET', '/v1/contacts?number=abc');
    assertSameShape(fixture('error-legacy-query-param.json'), q.json, 'legacy 400 on a query parameter');
    const unauth = await fetch(`${sim.url}/v1/profile`);
    assertSameShape(fixture('error-bare-401.json'), await unauth.json(), '401');
    sim.setFaults([{ kind: 'server-error', count: 1 }]);
    const e500 = await call('GET', '/v1/profile');
    assert.equal(e500.status, 500);
    assertSameShape(fixture('error-500.json'), e500.json, '500');
  });
});
