import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuthError, NotFoundError, OutcomeUnknownError, UpstreamError } from '../../src/core/errors.ts';
import {
  LexofficeClient,
  LexofficeConflictError,
  LexofficeValidationError,
  LexofficeVersionConflictError,
} from '../../src/connectors/lexoffice/index.ts';
import type { Db } from '../../src/store/db.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { testPglite } from '../helpers/stores.ts';
import { FAST_SIM, fastClient, invoiceInput } from './helpers.ts';

describe('lexoffice client ↔ simulator contract (real HTTP)', () => {
  let db: Db;
  let sim: LexofficeSim;
  let client: LexofficeClient;
  before(async () => {
    db = await testPglite();
    sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 620, ...FAST_SIM });
    client = fastClient(sim.url, sim.apiKey, db);
  });
  after(async () => {
    await sim?.close();
    await db?.close();
  });

  it('reads the profile and the countries', async () => {
    const p = await client.getProfile();
    assert.equal(p.organizationId, sim.state().organizationId);
    assert.equal(p.taxType, 'net');
    assert.equal(p.smallBusiness, false);
    const cs = await client.listCountries();
    assert.ok(cs.some((c) => c.countryCode === 'DE' && c.taxClassification === 'de'));
    assert.ok(cs.some((c) => c.countryCode === 'ES_CN'));
  });

  it('pages articles with filters and streams the whole catalog', async () => {
    const page0 = await client.listArticles({ page: 0 });
    assert.equal(page0.size, 250);
    assert.equal(page0.totalElements, 620);
    assert.equal(page0.totalPages, 3);
    assert.equal(page0.content.length, 250);
    assert.equal(page0.first, true);
    assert.equal(page0.last, false);
    const titles = page0.content.map((a) => a.title);
    assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b)), 'default sort is title ASC');
    const seen = new Set<string>();
    for await (const a of client.iterateArticles()) seen.add(a.id);
    assert.equal(seen.size, 620);
    const one = page0.content[5]!;
    const got = await client.getArticle(one.id);
    assert.deepEqual(got, one);
    assert.equal(typeof got.price.netPrice, 'string', 'amounts come back as decimal strings');
    const byNumber = await client.listArticles({ articleNumber: one.articleNumber ?? '' });
    assert.deepEqual(byNumber.content.map((a) => a.id), [one.id]);
    const byGtin = await client.listArticles({ gtin: '0000000000000' });
    assert.equal(byGtin.totalElements, 0);
    const services = await client.listArticles({ type: 'SERVICE' });
    assert.ok(services.totalElements > 0 && services.content.every((a) => a.type === 'SERVICE'));
    const archived = [...sim.state().articles.values()].filter((a) => a.archived).length;
    assert.ok(archived > 0, 'demo catalog has archived articles');
    const rates = new Set([...sim.state().articles.values()].map((a) => a.price.taxRate));
    assert.deepEqual([...rates].sort((a, b) => a - b), [0, 7, 19]);
    await assert.rejects(client.getArticle('00000000-0000-4000-8000-000000000000'), NotFoundError);
  });

  let contactId = '';
  it('creates person and company contacts with billing and shipping addresses and finds them by e-mail', async () => {
    const r = await client.createContact({
      person: { salutation: 'Frau', firstName: 'Ana', lastName: 'Popescu' },
      billingAddress: { street: 'Str. Lalelelor 5', zip: '010101', city: 'București', countryCode: 'RO' },
      shippingAddress: { supplement: 'Bl. 3', street: 'Str. Florilor 9', zip: '020202', city: 'Cluj', countryCode: 'RO' },
      email: { address: 'ana_p@example.ro' },
      phone: { kind: 'mobile', number: '+40 700 000 000' },
      note: 'Cel.ro buyer 42',
    });
    assert.equal(r.version, 1, 'contacts start at version 1');
    assert.match(r.resourceUri, new RegExp(`/v1/contacts/${r.id}$`));
    contactId = r.id;
    const c = await client.getContact(r.id);
    assert.equal(c.person?.lastName, 'Popescu');
    assert.equal(c.addresses?.billing?.[0]?.city, 'București');
    assert.equal(c.addresses?.shipping?.[0]?.supplement, 'Bl. 3');
    assert.ok((c.roles.customer?.number ?? 0) > 0, 'customer number assigned');

    const co = await client.createContact({
      company: { name: 'Acme & Söhne SRL', vatRegistrationId: 'RO99999999', contactPerson: { firstName: 'Ion', lastName: 'Ionescu', emailAddress: 'ion@acme.ro' } },
      billingAddress: { street: 'Bd. Unirii 1', zip: '030000', city: 'București', countryCode: 'RO' },
    });
    // wildcard `_` escaped: "anaXp@…" would match an unescaped filter; exact comparison on the client side.
    await client.createContact({ person: { lastName: 'Decoy' }, email: { address: 'anaxp@example.ro' }, billingAddress: { countryCode: 'RO' } });
    const found = await client.findContactsByEmail('ana_p@example.ro');
    assert.deepEqual(found.map((x) => x.id), [r.id]);
    const byPersonEmail = await client.findContactsByEmail('ion@acme.ro');
    assert.deepEqual(byPersonEmail.map((x) => x.id), [co.id], 'e-mail filter also matches company contact persons');
    const byName = await client.listContacts({ name: 'Acme & Söhne' });
    assert.deepEqual(byName.content.map((x) => x.id), [co.id], '& is HTML-encoded then URL-encoded');
    const byNumber = await client.listContacts({ number: c.roles.customer?.number ?? -1 });
    assert.deepEqual(byNumber.content.map((x) => x.id), [r.id]);
  });

  it('refuses invalid contacts with a 406 IssueList and short filters with a 400 IssueList', async () => {
    const e = await client.createContact({ person: { lastName: 'X' }, billingAddress: { countryCode: 'XX' } }).catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeValidationError);
    assert.equal(e.status, 406);
    assert.equal(e.body.shape, 'legacy');
    assert.deepEqual(e.issues.map((i) => [i.path, i.message]), [['countryCode', 'countrycode_is_not_valid']]);
    const f = await client.listContacts({ email: 'ab' }).catch((x: unknown) => x);
    assert.ok(f instanceof LexofficeValidationError);
    assert.equal(f.status, 400);
    assert.equal(f.issues[0]?.path, 'size must be between 3 and 128');
  });

  it('updates a contact with its version and reports a stale version as a version conflict', async () => {
    const c = await client.getContact(contactId);
    const changes = { person: { firstName: 'Ana', lastName: 'Popescu-Ionescu' }, billingAddress: { street: 'Str. Noua 1', countryCode: 'RO' } };
    const r = await client.updateContact(c, changes);
    assert.equal(r.version, c.version + 1);
    const after = await client.getContact(contactId);
    assert.equal(after.person?.lastName, 'Popescu-Ionescu');
    assert.equal(after.person?.salutation, undefined, 'a given person replaces the modelled person fields');
    assert.equal(after.addresses?.billing?.[0]?.street, 'Str. Noua 1');
    assert.equal(after.addresses?.billing?.[0]?.city, undefined, 'a given address replaces the modelled address fields');
    assert.deepEqual(after.emailAddresses, c.emailAddresses, 'what the changes leave out is sent back as read');
    assert.deepEqual(after.addresses?.shipping, c.addresses?.shipping);
    assert.equal(after.note, c.note);
    const e = await client.updateContact(c, changes).catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeVersionConflictError, `got ${String(e)}`);
    assert.equal(e.status, 406, 'contacts answer a stale version with 406 + IssueList (live)');
    // The same conflict as 409 when the simulator is switched to the documented behaviour.
    await fetch(`${sim.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ behaviour: { contactVersionConflict: 409 } }) });
    const e409 = await client.updateContact(c, changes).catch((x: unknown) => x);
    assert.ok(e409 instanceof LexofficeVersionConflictError);
    assert.equal(e409.status, 409);
    await fetch(`${sim.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ behaviour: { contactVersionConflict: 406 } }) });
  });

  it('an update round-trips xRechnung and fields the client does not model (the PUT replaces the record)', async () => {
    // A public-authority customer as the web app would hold it, plus a field of a newer API version.
    const created = await fetch(`${sim.url}/v1/contacts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        version: 0,
        roles: { customer: {} },
        company: { name: 'Stadtverwaltung Musterstadt', contactPersons: [{ lastName: 'Amt', emailAddress: 'amt@musterstadt.de', primary: true, department: 'Einkauf' }] },
        addresses: { billing: [{ street: 'Rathausplatz 1', zip: '12345', city: 'Musterstadt', countryCode: 'DE' }] },
        xRechnung: { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' },
        note: 'keep me',
        futureField: { kept: true },
      }),
    });
    assert.equal(created.status, 201);
    const id = ((await created.json()) as { id: string }).id;
    const c = await client.getContact(id);
    assert.deepEqual(c.xRechnung, { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' }, 'xRechnung is read');
    assert.deepEqual(c.futureField, { kept: true }, 'unknown fields are kept on read');
    await client.updateContact(c, { company: { name: 'Stadtverwaltung Musterstadt (Amt 10)' }, email: { kind: 'business', address: 'rechnung@musterstadt.de' } });
    const raw = (await (await fetch(`${sim.url}/v1/contacts/${id}`, { headers: { authorization: `Bearer ${sim.apiKey}` } })).json()) as Record<string, unknown>;
    assert.deepEqual(raw.xRechnung, { buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' });
    assert.deepEqual(raw.futureField, { kept: true });
    assert.equal(raw.note, 'keep me');
    assert.deepEqual((raw.company as { contactPersons: unknown[] }).contactPersons, [{ lastName: 'Amt', emailAddress: 'amt@musterstadt.de', primary: true, department: 'Einkauf' }], 'contact person kept with its unknown field');
    assert.equal((raw.company as { name: string }).name, 'Stadtverwaltung Musterstadt (Amt 10)');
    assert.deepEqual(raw.emailAddresses, { business: ['rechnung@musterstadt.de'] });
    assert.equal(raw.version, 2);
    // Without the client's merge, the same PUT loses them: that is what the merge protects against.
    const bare = await fetch(`${sim.url}/v1/contacts/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: 2, roles: { customer: {} }, company: { name: 'X' } }),
    });
    assert.equal(bare.status, 200);
    const wiped = await client.getContact(id);
    assert.equal(wiped.xRechnung ?? undefined, undefined);
    assert.equal(wiped.futureField, undefined);
  });

  let invoiceId = '';
  let draftId = '';
  it('creates a finalized invoice with lexoffice totals and numbering, and a draft', async () => {
    const r = await client.createInvoice(invoiceInput(contactId), { finalize: true });
    invoiceId = r.id;
    const inv = await client.getInvoice(r.id);
    assert.equal(inv.voucherStatus, 'open');
    assert.match(inv.voucherNumber ?? '', /^RE\d{4}$/);
    assert.ok(inv.dueDate, 'open invoices have a due date');
    assert.equal(inv.address.contactId, contactId);
    assert.equal(inv.address.name, 'Ana Popescu-Ionescu');
    // gross lines: 2×73.66 = 147.32; 3×12.99 −10 % = 35.073 → 35.07; 4.90.
    assert.deepEqual(inv.lineItems.map((l) => l.lineItemAmount ?? null), ['147.32', '35.07', '4.9', null]);
    // 19 %: 152.22 gross → net 127.92, tax 24.30; 7 %: 35.07 gross → net 32.78, tax 2.29
    assert.deepEqual(
      inv.taxAmounts.map((t) => [t.taxRatePercentage, t.netAmount, t.taxAmount]),
      [['7', '32.78', '2.29'], ['19', '127.92', '24.3']],
    );
    assert.equal(inv.totalPrice.totalGrossAmount, '187.29');
    assert.equal(inv.totalPrice.totalNetAmount, '160.7');
    assert.equal(inv.totalPrice.totalTaxAmount, '26.59');
    assert.equal(inv.introduction, 'Cel.ro order 1001');

    const d = await client.createInvoice(invoiceInput(contactId, 'draft'));
    draftId = d.id;
    const draft = await client.getInvoice(d.id);
    assert.equal(draft.voucherStatus, 'draft');
    assert.equal(draft.dueDate ?? undefined, undefined, 'drafts lack dueDate');
    assert.notEqual(draft.voucherNumber, inv.voucherNumber);
  });

  it('refuses a bad invoice with 406 and the details list', async () => {
    const bad = invoiceInput(contactId);
    const e = await client
      .createInvoice({
        ...bad,
        lineItems: [{ type: 'custom', name: 'x', quantity: '1', unitName: 'Stück', unitPrice: { currency: 'EUR', grossAmount: '1.00', taxRatePercentage: '21' } }],
        shippingConditions: { shippingType: 'deliveryperiod', shippingDate: '2026-08-26T00:00:00.000+02:00' },
      })
      .catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeValidationError, String(e));
    assert.equal(e.status, 406);
    assert.equal(e.body.shape, 'regular');
    assert.ok(e.body.traceId);
    assert.deepEqual(e.issues.map((i) => i.path).sort(), ['lineItems[0].unitPrice.taxRatePercentage', 'shippingConditions.shippingEndDate']);
    const noContact = await client
      .createInvoice({
        ...bad,
        address: { name: 'Firma', countryCode: 'FR' },
        lineItems: [{ type: 'custom', name: 'x', quantity: '1', unitName: 'Stück', unitPrice: { currency: 'EUR', netAmount: '10', taxRatePercentage: '0' } }],
        taxConditions: { taxType: 'intraCommunitySupply' },
      })
      .catch((x: unknown) => x);
    assert.ok(noContact instanceof LexofficeValidationError);
    assert.ok(noContact.issues.some((i) => i.path === 'address.contactId'));
  });

  it('downloads the PDF of a finalized invoice; a draft has none (409)', async () => {
    const pdf = await client.downloadInvoicePdf(invoiceId);
    assert.equal(pdf.contentType, 'application/pdf');
    const inv = await client.getInvoice(invoiceId);
    assert.equal(pdf.filename, `Rechnung_${inv.voucherNumber}.pdf`);
    const text = pdf.data.toString('latin1');
    assert.ok(text.startsWith('%PDF-1.4') && text.trimEnd().endsWith('%%EOF'));
    assert.ok(text.includes(inv.voucherNumber ?? '?'), 'PDF shows the voucher number');
    assert.ok(text.includes('Gesamt: 187.29 EUR'), 'PDF shows the total');
    // xref offsets point at the objects: a reader can open it.
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    assert.ok(text.slice(startxref).startsWith('xref'));
    assert.match((await client.renderInvoiceDocument(invoiceId)).documentFileId, /^[0-9a-f-]{36}$/);
    const d406 = await client.renderInvoiceDocument(draftId).catch((x: unknown) => x);
    assert.ok(d406 instanceof LexofficeValidationError && d406.status === 406, 'deprecated /document refuses drafts with 406');
    const e = await client.downloadInvoicePdf(draftId).catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeConflictError, String(e));
    assert.equal(e.status, 409);
    assert.match(e.message, /draft/);
  });

  it('creates order confirmations (draft and open) and downloads the PDF', async () => {
    const r = await client.createOrderConfirmation({ ...invoiceInput(contactId), deliveryTerms: 'Lieferung in 3 Tagen' }, { finalize: true });
    const oc = await client.getOrderConfirmation(r.id);
    assert.equal(oc.voucherStatus, 'open');
    assert.match(oc.voucherNumber ?? '', /^AB\d{4}$/);
    const pdf = await client.downloadOrderConfirmationPdf(r.id);
    assert.ok(pdf.data.toString('latin1').includes(oc.voucherNumber ?? '?'));
    const d = await client.createOrderConfirmation(invoiceInput(contactId));
    assert.equal((await client.getOrderConfirmation(d.id)).voucherStatus, 'draft');
    await assert.rejects(client.downloadOrderConfirmationPdf(d.id), LexofficeConflictError);
    // pursue: an invoice following the open order confirmation
    const pursued = await client.createInvoice(invoiceInput(contactId), { finalize: true, precedingSalesVoucherId: r.id });
    const pinv = await client.getInvoice(pursued.id);
    assert.deepEqual(pinv.relatedVouchers?.map((v) => v.id), [r.id]);
  });

  it('lists created documents in the voucherlist with filters and paging', async () => {
    const all = await client.listVouchers({ voucherType: ['invoice'], voucherStatus: 'any', contactId });
    assert.ok(all.content.some((v) => v.id === invoiceId));
    assert.ok(all.content.some((v) => v.id === draftId && v.voucherStatus === 'draft'), 'drafts are listed');
    const row = all.content.find((v) => v.id === invoiceId)!;
    assert.equal(row.totalAmount, '187.29');
    assert.equal(row.openAmount, '187.29');
    assert.equal(row.currency, 'EUR');
    const open = await client.listVouchers({ voucherType: ['invoice'], voucherStatus: ['open'], createdDateFrom: '2000-01-01' });
    assert.ok(open.content.every((v) => v.voucherStatus === 'open'));
    const ocs = await client.listVouchers({ voucherType: ['orderconfirmation'], voucherStatus: 'any' });
    assert.ok(ocs.content.every((v) => v.voucherType === 'orderconfirmation') && ocs.totalElements === 2);
    const byNumber = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', voucherNumber: row.voucherNumber ?? '' });
    assert.deepEqual(byNumber.content.map((v) => v.id), [invoiceId]);
    const future = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', voucherDateFrom: '2030-01-01' });
    assert.equal(future.totalElements, 0);
    const paged = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', size: 2, page: 1 });
    assert.equal(paged.number, 1);
    assert.equal(paged.size, 2);
    const rows: string[] = [];
    for await (const v of client.iterateVouchers({ voucherType: 'any', voucherStatus: 'any', size: 2 })) rows.push(v.id);
    assert.equal(rows.length, paged.totalElements);
    const tooBig = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', size: 251 }).catch((x: unknown) => x);
    assert.ok(tooBig instanceof LexofficeValidationError && tooBig.status === 400);
    const badSort = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', sort: 'voucherNumber,ASC' }).catch((x: unknown) => x);
    assert.ok(badSort instanceof LexofficeValidationError, 'live: only voucherDate sort accepted');
  });

  it('reads payments: open, then paid after a payment; drafts refused with 406', async () => {
    const p = await client.getPayment(invoiceId);
    assert.equal(p.paymentStatus, 'openRevenue');
    assert.equal(p.openAmount, '187.29');
    assert.deepEqual(p.paymentItems, []);
    sim.payVoucher(invoiceId);
    const paid = await client.getPayment(invoiceId);
    assert.equal(paid.paymentStatus, 'balanced');
    assert.equal(paid.openAmount, '0');
    assert.equal(paid.voucherStatus, 'paid');
    assert.deepEqual(paid.paymentItems.map((i) => [i.paymentItemType, i.amount]), [['manualPayment', '187.29']]);
    const e = await client.getPayment(draftId).catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeValidationError && e.status === 406);
  });

  it('manages event subscriptions: create, duplicate 409, list, get, delete', async () => {
    const s = await client.createEventSubscription('article.changed', 'http://127.0.0.1:9/hook');
    const dup = await client.createEventSubscription('article.changed', 'http://127.0.0.1:9/hook').catch((x: unknown) => x);
    assert.ok(dup instanceof LexofficeConflictError && dup.status === 409);
    const bad = await client.createEventSubscription('article.exploded', 'http://127.0.0.1:9/hook').catch((x: unknown) => x);
    assert.ok(bad instanceof LexofficeValidationError && bad.status === 406);
    const list = await client.listEventSubscriptions();
    assert.deepEqual(list.map((x) => x.subscriptionId), [s.id]);
    const one = await client.getEventSubscription(s.id);
    assert.equal(one.eventType, 'article.changed');
    await client.deleteEventSubscription(s.id);
    assert.deepEqual(await client.listEventSubscriptions(), []);
    await assert.rejects(client.getEventSubscription(s.id), NotFoundError);
  });

  it('maps auth failures: wrong key → AuthError, never leaking the key', async () => {
    const wrong = fastClient(sim.url, 'not-the-key-123', db);
    const e = await wrong.getProfile().catch((x: unknown) => x);
    assert.ok(e instanceof AuthError);
    assert.ok(!JSON.stringify({ m: e.message, d: e.details }).includes('not-the-key-123'));
  });

  it('504 after commit on a create yields OutcomeUnknownError, and the invoice does exist', async () => {
    const before = sim.state().vouchers.size;
    sim.setFaults([{ kind: 'timeout-after-commit', method: 'POST', path: '/v1/invoices', count: 1 }]);
    const e = await client.createInvoice(invoiceInput(contactId, 'lost answer'), { finalize: true }).catch((x: unknown) => x);
    assert.ok(e instanceof OutcomeUnknownError, String(e));
    assert.equal((e.details as { status?: number }).status, 504);
    assert.equal(sim.state().vouchers.size, before + 1, 'the write was committed');
    const posts = sim.requests().filter((r) => r.method === 'POST' && r.path.startsWith('/v1/invoices') && r.fault === 'timeout-after-commit');
    assert.equal(posts.length, 1, 'never retried blindly');
    // Resolution the orders issue will do: find it in the voucherlist.
    const rows = await client.listVouchers({ voucherType: ['invoice'], voucherStatus: 'any', contactId });
    const cands = await Promise.all(rows.content.map((r) => client.getInvoice(r.id)));
    assert.equal(cands.filter((c) => c.introduction === 'lost answer').length, 1);
  });

  it('a 500 on a create is also an unknown outcome; on a read it is retried', async () => {
    sim.setFaults([{ kind: 'server-error', method: 'POST', path: '/v1/contacts', count: 1 }]);
    await assert.rejects(client.createContact({ person: { lastName: 'Z' } }), OutcomeUnknownError);
    sim.setFaults([{ kind: 'server-error', method: 'GET', path: '/v1/profile', count: 2 }]);
    const p = await client.getProfile();
    assert.ok(p.organizationId);
    sim.setFaults([{ kind: 'server-error', method: 'GET', path: '/v1/profile', count: 10 }]);
    const e = await client.getProfile().catch((x: unknown) => x);
    assert.ok(e instanceof UpstreamError && e.status === 500 && (e.details as { attempts: number }).attempts === 4);
    sim.setFaults([]);
  });

  it('a timeout on a create is an unknown outcome; a refused connection is a retryable upstream error', async () => {
    sim.setFaults([{ kind: 'slow', method: 'POST', path: '/v1/contacts', delayMs: 400, count: 1 }]);
    const slowClient = fastClient(sim.url, sim.apiKey, db, { timeoutMs: 150 });
    const e = await slowClient.createContact({ person: { lastName: 'Slow' } }).catch((x: unknown) => x);
    assert.ok(e instanceof OutcomeUnknownError, String(e));
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const dead = fastClient(`http://127.0.0.1:${port}`, sim.apiKey, db);
    const r = await dead.createContact({ person: { lastName: 'Nobody' } }).catch((x: unknown) => x);
    assert.ok(r instanceof UpstreamError && r.retryable, String(r));
    sim.setFaults([]);
  });

  it('429 faults are retried for every method, writes included (the call was not performed)', async () => {
    sim.setFaults([{ kind: 'rate-limit', count: 2 }]);
    const r = await client.createContact({ person: { lastName: 'Retried' } });
    assert.ok(r.id);
    const hits = sim.requests().filter((x) => x.fault === 'rate-limit');
    assert.equal(hits.length, 2);
    assert.equal([...sim.state().contacts.values()].filter((c) => (c.person as { lastName?: string } | undefined)?.lastName === 'Retried').length, 1);
  });
});
