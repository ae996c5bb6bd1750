import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';

/**
 * The simulator's responses checked field by field against the shapes written down in
 * /work/shared/research/lexoffice.md (section numbers in the test names). The expectations are typed
 * out here from the document — not derived from the simulator's code.
 */
type J = Record<string, unknown>;
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Exact key set and JSON type per key; `a|b` allows either type. */
function assertShape(obj: unknown, spec: Record<string, string>, where: string): void {
  assert.equal(typeOf(obj), 'object', `${where} is an object`);
  const o = obj as J;
  assert.deepEqual(Object.keys(o).sort(), Object.keys(spec).sort(), `${where}: exact field set`);
  for (const [k, t] of Object.entries(spec)) assert.ok(t.split('|').includes(typeOf(o[k])), `${where}.${k} is ${t}, got ${typeOf(o[k])}`);
}

const PAGE = { content: 'array', first: 'boolean', last: 'boolean', totalPages: 'number', totalElements: 'number', numberOfElements: 'number', size: 'number', number: 'number', sort: 'array' };
const SORT = { direction: 'string', property: 'string', ignoreCase: 'boolean', nullHandling: 'string', ascending: 'boolean' };
const ACTION = { id: 'string', resourceUri: 'string', createdDate: 'string', updatedDate: 'string', version: 'number' };
// The service's regular body carries requestId; `details` only on validation failures (issue 10).
const REGULAR_ERROR = { timestamp: 'string', status: 'number', error: 'string', path: 'string', traceId: 'string', requestId: 'string', message: 'string' };
const VALIDATION_ERROR = { ...REGULAR_ERROR, details: 'array' };
const ISSUE = { i18nKey: 'string', source: 'string', type: 'string', additionalData: 'null', args: 'null' };

describe('simulator response shapes = research document', () => {
  let sim: LexofficeSim;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; res: Response }> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sim.apiKey}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json, res };
  };
  before(async () => {
    sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 30, rateLimit: { ratePerSecond: 1000, burst: 1000 } });
  });
  after(async () => sim?.close());

  it('§1.7 page envelope and §2.2 article rows (live field list, nulls for empty optionals)', async () => {
    const { status, json } = await call('GET', '/v1/articles?size=5&page=1&unknownParam=x');
    assert.equal(status, 200);
    assertShape(json, PAGE, 'page');
    const p = json as J & { content: J[]; sort: J[] };
    assert.equal(p.size, 5);
    assert.equal(p.number, 1);
    assert.equal(p.totalElements, 30);
    assertShape(p.sort[0], SORT, 'sort[0]');
    assert.deepEqual([p.sort[0]!.property, p.sort[0]!.direction], ['title', 'ASC']);
    for (const a of p.content) {
      assertShape(a, { archived: 'boolean', articleNumber: 'string|null', createdDate: 'string', description: 'string|null', gtin: 'string|null', id: 'string', note: 'string|null', organizationId: 'string', price: 'object', title: 'string', type: 'string', unitName: 'string', updatedDate: 'string', version: 'number' }, 'article');
      assertShape(a.price, { netPrice: 'number', grossPrice: 'number', leadingPrice: 'string', taxRate: 'number' }, 'article.price');
      assert.ok(['PRODUCT', 'SERVICE'].includes(String(a.type)));
      assert.ok(['NET', 'GROSS'].includes(String((a.price as J).leadingPrice)));
      assert.ok([0, 7, 19].includes(Number((a.price as J).taxRate)));
      assert.match(String(a.id), UUID);
      assert.match(String(a.createdDate), TS);
      assert.match(String(a.updatedDate), TS);
    }
    const big = await call('GET', '/v1/articles?size=1000');
    assert.equal((big.json as J).size, 25, 'out-of-range size silently replaced by the default (live)');
  });

  it('§7.1 profile and §7.2 countries (bare array)', async () => {
    const { json } = await call('GET', '/v1/profile');
    assertShape(json, { organizationId: 'string', companyName: 'string', created: 'object', connectionId: 'string', features: 'array', businessFeatures: 'array', subscriptionStatus: 'string', taxType: 'string', distanceSalesPrinciple: 'string', smallBusiness: 'boolean' }, 'profile');
    assertShape((json as J).created, { userId: 'string', userName: 'string', userEmail: 'string', date: 'string' }, 'profile.created');
    assert.ok(['net', 'gross', 'vatfree'].includes(String((json as J).taxType)));
    const c = await call('GET', '/v1/countries');
    assert.equal(typeOf(c.json), 'array');
    for (const x of c.json as J[]) {
      assertShape(x, { countryCode: 'string', countryNameDE: 'string', countryNameEN: 'string', taxClassification: 'string' }, 'country');
      assert.ok(['de', 'intraCommunity', 'thirdPartyCountry'].includes(String(x.taxClassification)));
    }
  });

  let contactId = '';
  it('§1.2 action result (201 + Location), §3.2 contact, legacy IssueList errors', async () => {
    const r = await call('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Musterfrau' },
      addresses: { billing: [{ street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' }] },
      emailAddresses: { private: ['inge2@example.org'] },
    });
    assert.equal(r.status, 201);
    assertShape(r.json, ACTION, 'action result');
    const a = r.json as J;
    assert.equal(r.res.headers.get('location'), a.resourceUri);
    assert.equal(a.version, 1);
    contactId = String(a.id);
    const g = await call('GET', `/v1/contacts/${contactId}`);
    assertShape(g.json, { id: 'string', organizationId: 'string', version: 'number', roles: 'object', person: 'object', addresses: 'object', emailAddresses: 'object', archived: 'boolean' }, 'contact (no note given: no note key)');
    assertShape(((g.json as J).roles as J).customer, { number: 'number' }, 'roles.customer');
    const both = await call('POST', '/v1/contacts', { version: 0, roles: { customer: {} }, person: { lastName: 'A' }, company: { name: 'B' } });
    assert.equal(both.status, 406);
    assertShape(both.json, { IssueList: 'array' }, 'legacy error');
    assertShape((both.json as { IssueList: J[] }).IssueList[0], ISSUE, 'issue');
    assert.equal((both.json as { IssueList: J[] }).IssueList[0]!.source, 'company and person');
    const num = await call('GET', '/v1/contacts?number=abc');
    assert.equal(num.status, 400);
    assert.deepEqual((num.json as { IssueList: J[] }).IssueList.map((i) => [i.source, i.i18nKey]), [['number', 'invalid_value']]);
    const stale = await call('PUT', `/v1/contacts/${contactId}`, { version: 0, roles: { customer: {} }, person: { lastName: 'X' } });
    assert.equal(stale.status, 406);
    assert.deepEqual((stale.json as { IssueList: J[] }).IssueList.map((i) => [i.source, i.i18nKey]), [['version', 'invalid_value']]);
  });

  let openId = '';
  let draftId = '';
  it('§4.1/§4.2 invoice fields, draft vs open, §1.5 regular 406 error', async () => {
    const body = {
      voucherDate: '2026-08-25T00:00:00.000+02:00',
      address: { contactId },
      lineItems: [
        { type: 'custom', name: 'A', quantity: 2, unitName: 'Stück', unitPrice: { currency: 'EUR', netAmount: 10.5, taxRatePercentage: 19 }, discountPercentage: 0 },
        { type: 'text', name: 'Hinweis', description: 'Order 1' },
      ],
      totalPrice: { currency: 'EUR' },
      taxConditions: { taxType: 'net' },
      shippingConditions: { shippingDate: '2026-08-26T00:00:00.000+02:00', shippingType: 'delivery' },
    };
    const open = await call('POST', '/v1/invoices?finalize=true', body);
    assert.equal(open.status, 201);
    assertShape(open.json, ACTION, 'invoice action result');
    openId = String((open.json as J).id);
    const draft = await call('POST', '/v1/invoices', body);
    draftId = String((draft.json as J).id);
    const base = {
      id: 'string', organizationId: 'string', createdDate: 'string', updatedDate: 'string', version: 'number', language: 'string', archived: 'boolean',
      voucherStatus: 'string', voucherNumber: 'string', voucherDate: 'string', address: 'object', electronicDocumentProfile: 'string', lineItems: 'array', totalPrice: 'object',
      taxAmounts: 'array', taxConditions: 'object', paymentConditions: 'object', shippingConditions: 'object', relatedVouchers: 'array', title: 'string', introduction: 'string', remark: 'string',
      closingInvoice: 'boolean', claimedGrossAmount: 'number', downPaymentDeductions: 'array', recurringTemplateId: 'null',
    };
    const o = (await call('GET', `/v1/invoices/${openId}`)).json as J;
    assertShape(o, { ...base, dueDate: 'string', printLayoutId: 'string', files: 'object' }, 'open invoice');
    assert.equal(o.voucherStatus, 'open');
    const d = (await call('GET', `/v1/invoices/${draftId}`)).json as J;
    assertShape(d, base, 'draft invoice (no dueDate, printLayoutId, files)');
    assert.equal(d.voucherStatus, 'draft');
    for (const k of ['createdDate', 'updatedDate', 'voucherDate', 'dueDate']) assert.match(String(o[k]), TS, k);
    const [li, text] = o.lineItems as J[];
    assertShape(li, { type: 'string', name: 'string', quantity: 'number', unitName: 'string', unitPrice: 'object', discountPercentage: 'number', lineItemAmount: 'number' }, 'lineItem');
    assertShape(li!.unitPrice, { currency: 'string', netAmount: 'number', grossAmount: 'number', taxRatePercentage: 'number' }, 'unitPrice');
    assertShape(text, { type: 'string', name: 'string', description: 'string' }, 'text lineItem');
    assertShape(o.totalPrice, { currency: 'string', totalNetAmount: 'number', totalGrossAmount: 'number', totalTaxAmount: 'number' }, 'totalPrice');
    assert.deepEqual(o.totalPrice, { currency: 'EUR', totalNetAmount: 21, totalGrossAmount: 24.99, totalTaxAmount: 3.99 });
    assertShape((o.taxAmounts as J[])[0], { taxRatePercentage: 'number', taxAmount: 'number', netAmount: 'number' }, 'taxAmounts[0]');
    assertShape(o.address, { contactId: 'string', name: 'string', street: 'string', city: 'string', zip: 'string', countryCode: 'string' }, 'address');

    const bad = await call('POST', '/v1/invoices', { ...body, lineItems: [{ type: 'custom', name: 'A', quantity: 1, unitName: 'x', unitPrice: { currency: 'EUR', netAmount: 1 } }] });
    assert.equal(bad.status, 406);
    assertShape(bad.json, VALIDATION_ERROR, 'regular error');
    const e = bad.json as J & { details: J[] };
    assert.equal(e.error, 'Not Acceptable');
    assert.equal(e.path, '/v1/invoices');
    assert.equal(e.message, 'Validation failed for request. Please see details list for specific causes.');
    assertShape(e.details[0], { violation: 'string', field: 'string', message: 'string' }, 'details[0]');
    assert.deepEqual([e.details[0]!.violation, e.details[0]!.field], ['NOTNULL', 'lineItems[0].unitPrice.taxRatePercentage']);
    const usd = await call('POST', '/v1/invoices', { ...body, totalPrice: { currency: 'USD' } });
    assert.equal(usd.status, 406, 'EUR only');
    const date = await call('POST', '/v1/invoices', { ...body, voucherDate: '2026-08-25T00:00:00Z' });
    assert.equal(date.status, 406, 'timestamps need exactly 3 ms digits');
    const noCt = await fetch(`${sim.url}/v1/invoices`, { method: 'POST', headers: { authorization: `Bearer ${sim.apiKey}` }, body: JSON.stringify(body) });
    assert.equal(noCt.status, 415, 'missing Content-Type');
  });

  it('§5.1 /file: PDF headers, 409 for drafts, 406 for application/json', async () => {
    const f = await fetch(`${sim.url}/v1/invoices/${openId}/file`, { headers: { authorization: `Bearer ${sim.apiKey}`, accept: 'application/pdf' } });
    assert.equal(f.status, 200);
    assert.equal(f.headers.get('content-type'), 'application/pdf');
    assert.match(f.headers.get('content-disposition') ?? '', /^attachment; filename="Rechnung_RE\d{4}\.pdf"$/);
    const bytes = Buffer.from(await f.arrayBuffer());
    assert.equal(Number(f.headers.get('content-length')), bytes.length);
    const draft = await call('GET', `/v1/invoices/${draftId}/file`, undefined, { accept: 'application/pdf' });
    assert.equal(draft.status, 409);
    assertShape(draft.json, REGULAR_ERROR, '409 body (no details)');
    const json = await call('GET', `/v1/invoices/${openId}/file`, undefined, { accept: 'application/json' });
    assert.equal(json.status, 406);
    const xml = await call('GET', `/v1/invoices/${openId}/file`, undefined, { accept: 'application/xml' });
    assert.equal(xml.status, 404, 'no XML for a regular invoice');
    const list = await call('GET', '/v1/invoices');
    assert.equal(list.status, 404, 'no collection GET for sales vouchers');
  });

  it('§4.8 voucherlist rows and required parameters; §7.4 payments', async () => {
    const v = await call('GET', '/v1/voucherlist?voucherType=invoice&voucherStatus=any');
    assertShape(v.json, PAGE, 'voucherlist page');
    for (const r of (v.json as { content: J[] }).content) {
      const row = { id: 'string', voucherType: 'string', voucherStatus: 'string', voucherNumber: 'string', voucherDate: 'string', createdDate: 'string', updatedDate: 'string', contactId: 'string|null', contactName: 'string', totalAmount: 'number', currency: 'string', archived: 'boolean' };
      // A draft has no due date and no open amount: the keys are left out (issue 10), not null.
      assertShape(r, r.voucherStatus === 'draft' ? row : { ...row, dueDate: 'string', openAmount: 'number' }, `voucherlist row (${String(r.voucherStatus)})`);
    }
    const missing = await call('GET', '/v1/voucherlist?voucherType=invoice');
    assert.equal(missing.status, 400);
    assert.equal((missing.json as J).message, 'Missing required request parameters');
    const size = await call('GET', '/v1/voucherlist?voucherType=invoice&voucherStatus=any&size=251');
    assert.equal((size.json as J).message, "parameter 'size' must be equal or lower than 250");
    const p = await call('GET', `/v1/payments/${openId}`);
    assertShape(p.json, { openAmount: 'number', currency: 'string', paymentStatus: 'string', voucherType: 'string', voucherStatus: 'string', paymentItems: 'array' }, 'payment');
    assert.equal((await call('GET', `/v1/payments/${draftId}`)).status, 406);
  });

  it('§6.1 event subscriptions: 201 action result, {content:[…]} without paging, 204 delete', async () => {
    const c = await call('POST', '/v1/event-subscriptions', { eventType: 'invoice.status.changed', callbackUrl: 'https://example.org/webhook' });
    assert.equal(c.status, 201);
    assertShape(c.json, ACTION, 'subscription action result');
    assert.ok(c.res.headers.get('location')?.endsWith(String((c.json as J).id)));
    const l = await call('GET', '/v1/event-subscriptions');
    assertShape(l.json, { content: 'array' }, 'subscription list');
    assertShape((l.json as { content: J[] }).content[0], { subscriptionId: 'string', organizationId: 'string', createdDate: 'string', eventType: 'string', callbackUrl: 'string' }, 'subscription');
    const dup = await call('POST', '/v1/event-subscriptions', { eventType: 'invoice.status.changed', callbackUrl: 'https://example.org/webhook' });
    assert.equal(dup.status, 409);
    const del = await call('DELETE', `/v1/event-subscriptions/${String((c.json as J).id)}`);
    assert.equal(del.status, 204);
  });

  it('§1.4/§1.5 bare-message errors: 401, 403, 429, 500, 504', async () => {
    const noAuth = await fetch(`${sim.url}/v1/profile`);
    assert.equal(noAuth.status, 401);
    assert.deepEqual(await noAuth.json(), { message: 'Unauthorized' });
    const badScheme = await fetch(`${sim.url}/v1/profile`, { headers: { authorization: 'Token abc' } });
    assert.equal(badScheme.status, 403);
    assertShape(await badScheme.json(), { message: 'string' }, '403');
    sim.setFaults([{ kind: 'server-error', count: 1 }]);
    const e500 = await call('GET', '/v1/profile');
    assert.equal(e500.status, 500);
    assertShape(e500.json, { message: 'string', requestId: 'string' }, '500: a message (never null) and the requestId');
    sim.setFaults([{ kind: 'timeout-after-commit', count: 1 }]);
    const e504 = await call('GET', '/v1/profile');
    assert.deepEqual([e504.status, e504.json], [504, { message: 'Endpoint request timed out' }]);
    sim.setFaults([]);
    sim.setRateLimit({ ratePerSecond: 2, burst: 2 });
    const burst = await Promise.all([1, 2, 3, 4].map(() => call('GET', '/v1/profile')));
    const limited = burst.filter((b) => b.status === 429);
    assert.equal(limited.length, 2, 'burst 2, then 429');
    assertShape(limited[0]!.json, { message: 'string' }, '429');
    assert.equal(limited[0]!.res.headers.get('retry-after'), null, 'no Retry-After unless configured');
    sim.setRateLimit({ ratePerSecond: 1000, burst: 1000 });
  });
});
