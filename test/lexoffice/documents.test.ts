import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors.ts';
import { type CreditNoteInput, LexofficeClient, LexofficeConflictError, LexofficeValidationError } from '../../src/connectors/lexoffice/index.ts';
import type { Db } from '../../src/store/db.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { testPglite } from '../helpers/stores.ts';
import { FAST_SIM, fastClient, invoiceInput } from './helpers.ts';

/** Credit notes, files, empty drafts and the two issue-10 settings, client against simulator over HTTP. */
describe('lexoffice documents: credit notes, files, empty drafts, settings (real HTTP)', () => {
  let db: Db;
  let sim: LexofficeSim;
  let client: LexofficeClient;
  const contactId = 'e9066f04-8cc7-4616-93f8-ac9ecc8479c8'; // demo seed: Inge Musterfrau
  const creditNote = (marker: string): CreditNoteInput => {
    const { shippingConditions: _s, ...rest } = invoiceInput(contactId, marker);
    return { ...rest, lineItems: rest.lineItems.map((l) => (l.type === 'text' ? l : { ...l, discountPercentage: undefined })), title: 'Gutschrift' };
  };
  before(async () => {
    db = await testPglite();
    sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 5, ...FAST_SIM });
    client = fastClient(sim.url, sim.apiKey, db);
  });
  after(async () => {
    await sim?.close();
    await db?.close();
  });

  it('cancels a finalized invoice with a finalized credit note: related both ways, paid off, invoice settled', async () => {
    // Same lines on both (credit notes have no line discounts, so the invoice has none either).
    const inv = await client.createInvoice({ ...invoiceInput(contactId, 'order 7'), lineItems: creditNote('order 7').lineItems }, { finalize: true });
    const total = (await client.getInvoice(inv.id)).totalPrice.totalGrossAmount;
    const cn = await client.createCreditNote(creditNote('Storno Rechnung order 7'), { finalize: true, precedingSalesVoucherId: inv.id });
    const note = await client.getCreditNote(cn.id);
    assert.match(note.voucherNumber ?? '', /^GS\d{4}$/);
    assert.equal(note.voucherStatus, 'paidoff', 'a credit note following an invoice is paid off on finalization');
    assert.deepEqual(note.relatedVouchers?.map((r) => [r.id, r.voucherType]), [[inv.id, 'invoice']]);
    assert.equal(note.shippingConditions ?? undefined, undefined, 'credit notes have no shipping conditions');
    assert.equal(note.dueDate ?? undefined, undefined, 'and no due date');
    assert.ok(note.lineItems.every((l) => l.discountPercentage === undefined), 'and no line discounts');
    const after = await client.getInvoice(inv.id);
    assert.deepEqual(after.relatedVouchers?.map((r) => [r.id, r.voucherType]), [[cn.id, 'creditnote']]);
    assert.equal(after.voucherStatus, 'paid', 'the same amount settles the invoice');
    const pay = await client.getPayment(inv.id);
    assert.deepEqual([pay.openAmount, pay.paymentItems.map((p) => [p.paymentItemType, p.amount])], ['0', [['partPaymentCreditNote', total]]]);
    const rows = await client.listVouchers({ voucherType: ['creditnote'], voucherStatus: 'any' });
    assert.deepEqual(rows.content.map((r) => [r.id, r.voucherStatus, r.totalAmount]), [[cn.id, 'paidoff', total]]);
    const pdf = await client.downloadCreditNotePdf(cn.id);
    assert.equal(pdf.filename, `Gutschrift_${note.voucherNumber}.pdf`);
    assert.ok(pdf.data.toString('latin1').includes(note.voucherNumber ?? '?'));
    // Only one credit note per invoice.
    const second = await client.createCreditNote(creditNote('again'), { finalize: true, precedingSalesVoucherId: inv.id }).catch((x: unknown) => x);
    assert.ok(second instanceof LexofficeValidationError && second.status === 406, String(second));
    assert.equal(second.issues[0]?.path, 'precedingSalesVoucherId');
  });

  it('a draft credit note without a preceding invoice: draft, no file (409); line discounts refused before sending', async () => {
    const d = await client.createCreditNote(creditNote('Kulanz'));
    const note = await client.getCreditNote(d.id);
    assert.equal(note.voucherStatus, 'draft');
    assert.deepEqual(note.relatedVouchers, []);
    await assert.rejects(client.downloadCreditNotePdf(d.id), LexofficeConflictError);
    const before = sim.requests().length;
    await assert.rejects(client.createCreditNote({ ...creditNote('x'), lineItems: [{ type: 'custom', name: 'A', quantity: '1', unitName: 'Stück', unitPrice: { currency: 'EUR', grossAmount: '1', taxRatePercentage: '19' }, discountPercentage: '5' }] }), ValidationError);
    assert.equal(sim.requests().length, before, 'nothing sent');
    // The simulator refuses it too (406), for clients that do send it.
    const res = await fetch(`${sim.url}/v1/credit-notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ voucherDate: '2026-08-25T00:00:00.000+02:00', address: { contactId }, lineItems: [{ type: 'custom', name: 'A', quantity: 1, unitName: 'Stück', unitPrice: { currency: 'EUR', grossAmount: 1, taxRatePercentage: 19 }, discountPercentage: 5 }], totalPrice: { currency: 'EUR' }, taxConditions: { taxType: 'gross' } }),
    });
    assert.equal(res.status, 406);
    // A credit note cannot follow an order confirmation.
    const oc = await client.createOrderConfirmation(invoiceInput(contactId), { finalize: true });
    const wrong = await client.createCreditNote(creditNote('y'), { precedingSalesVoucherId: oc.id }).catch((x: unknown) => x);
    assert.ok(wrong instanceof LexofficeValidationError && wrong.status === 406);
  });

  it('the deprecated /document gives a file id that GET /v1/files/{id} serves as the same PDF bytes', async () => {
    const inv = await client.createInvoice(invoiceInput(contactId, 'files'), { finalize: true });
    const { documentFileId } = await client.renderInvoiceDocument(inv.id);
    assert.equal(documentFileId, ((await client.getInvoice(inv.id)) as { files?: { documentFileId?: string } }).files?.documentFileId, 'the id the invoice carries');
    const viaFile = await client.downloadFile(documentFileId);
    const direct = await client.downloadInvoicePdf(inv.id);
    assert.equal(viaFile.contentType, 'application/pdf');
    assert.ok(viaFile.data.equals(direct.data), 'byte-identical (measured live)');
    const get = (accept: string) => fetch(`${sim.url}/v1/files/${documentFileId}`, { headers: { authorization: `Bearer ${sim.apiKey}`, accept } });
    assert.equal((await get('*/*')).status, 200);
    assert.equal((await get('application/xml')).status, 404, 'XML of a PDF file: 404 (live)');
    assert.equal((await get('application/json')).status, 406);
    assert.equal((await get('application/pdf')).headers.get('content-disposition'), `inline; filename=${documentFileId}.pdf;`);
    assert.equal((await fetch(`${sim.url}/v1/files/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${sim.apiKey}`, accept: 'application/pdf' } })).status, 404);
  });

  it('POST /v1/invoices with no line items creates an empty draft (201); finalizing one is refused', async () => {
    const r = await client.createInvoice({ ...invoiceInput(contactId), lineItems: [] });
    const draft = await client.getInvoice(r.id);
    assert.equal(draft.voucherStatus, 'draft');
    assert.deepEqual(draft.lineItems, []);
    assert.deepEqual([draft.totalPrice.totalGrossAmount, draft.taxAmounts], ['0', []]);
    const e = await client.createInvoice({ ...invoiceInput(contactId), lineItems: [] }, { finalize: true }).catch((x: unknown) => x);
    assert.ok(e instanceof LexofficeValidationError && e.status === 406, String(e));
  });

  it('voucherlist sort: the property name is a client setting (measured voucherDate by default, docs voucherdate)', async () => {
    const live = await client.listVouchers({ voucherType: 'any', voucherStatus: 'any', sortDirection: 'ASC' });
    assert.ok(live.totalElements > 1);
    const days = live.content.map((r) => r.voucherDate ?? '');
    assert.deepEqual(days, [...days].sort(), 'ascending');
    const docs = fastClient(sim.url, sim.apiKey, db, { voucherlistSortProperty: 'voucherdate' });
    const refused = await docs.listVouchers({ voucherType: 'any', voucherStatus: 'any', sortDirection: 'DESC' }).catch((x: unknown) => x);
    assert.ok(refused instanceof LexofficeValidationError, 'the simulator in live mode accepts voucherDate only');
    await fetch(`${sim.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ behaviour: { voucherlistSort: 'doc' } }) });
    const ok = await docs.listVouchers({ voucherType: 'any', voucherStatus: 'any', sortDirection: 'DESC' });
    assert.equal(ok.totalElements, live.totalElements);
    await fetch(`${sim.url}/_sim/config`, { method: 'PUT', body: JSON.stringify({ behaviour: { voucherlistSort: 'live' } }) });
  });

  it('contacts page size: a client setting, 250 by default, up to 500 (measured); above 500 refused', async () => {
    const seen: string[] = [];
    const spy = fastClient(sim.url, sim.apiKey, db, { contactsPageSize: 500, fetch: (u, i) => (seen.push(String(u)), fetch(u, i)) });
    const p = await spy.listContacts();
    assert.equal(p.size, 500);
    assert.match(seen[0] ?? '', /[?&]size=500\b/);
    assert.equal((await client.listContacts()).size, 250, 'default');
    assert.throws(() => fastClient(sim.url, sim.apiKey, db, { contactsPageSize: 1000 }), ValidationError);
    const res = await fetch(`${sim.url}/v1/contacts?size=1000`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    assert.equal(res.status, 400);
  });
});
