import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Decimal } from '../../src/core/decimal.ts';
import { DEFAULT_ORDER_RULES } from '../../src/mapping/defaults.ts';
import { ensureCelroApiLink } from '../../src/orders/api-link.ts';
import { registerInvoiceJob } from '../../src/fulfilment/invoice-job.ts';
import { registerPaymentCheckJob } from '../../src/fulfilment/payments/payment-check-job.ts';
import { registerOrderJobs } from '../../src/orders/register-jobs.ts';
import { hasMarker } from '../../src/orders/voucher-plan.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { storeVariants } from '../helpers/stores.ts';
import { waitFor } from '../helpers/wait.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

// Every Cel.ro order into lexoffice exactly once, over real HTTP on both simulators: the simulator
// places the order and calls Vortex's API link (push), the order jobs run in this process on the test
// store, and lexoffice's documents are counted in its simulator by the order marker in their text.

interface OrderView {
  orderId: string;
  state: string;
  reasonCode: string | null;
  reason: string | null;
  actionItem: string | null;
  document: { type: string; id: string; number: string | null; status: string | null; link: string | null } | null;
  creditNoteId: string | null;
  invoice: { state: string; reason: string | null; source: string | null; series: string | null; number: string | null };
}

for (const variant of await storeVariants()) {
  describe(`orders on ${variant.name}: Cel.ro order → one lexoffice document`, { skip: variant.skip }, () => {
    let w: World;
    let skus: string[];
    const api = async <T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
      const r = await fetch(`${w.webUrl}/api/tenants/${TENANT}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      return { status: r.status, json: (await r.json()) as T };
    };
    const place = async (input: Record<string, unknown>): Promise<string> => {
      const r = await fetch(`${w.cel.origin}/_sim/orders`, { method: 'POST', body: JSON.stringify(input) });
      assert.equal(r.status, 201, await r.clone().text());
      const out = (await r.json()) as { order: { id_comanda: number }; push: { status: number } | null };
      assert.equal(out.push?.status, 202, 'the simulator called the API link and Vortex accepted the push');
      return String(out.order.id_comanda);
    };
    const order = async (id: string) => (await api<OrderView>('GET', `/orders/${id}`)).json;
    const settle = (id: string, states: string[] = ['acknowledged', 'cancelled', 'quarantined', 'needs_review']) =>
      waitFor(`order ${id} in ${states.join('|')}`, async () => {
        const o = await order(id);
        return states.includes(o.state) ? o : undefined;
      }, 60_000);
    const documentsOf = (id: string) =>
      [...w.lex.state().vouchers.values()].map((v) => ({ ...v.doc, voucherType: v.kind }) as Record<string, unknown> & { introduction?: string }).filter((d) => hasMarker(d.introduction, id) && !String(d.introduction).startsWith('Cancellation'));
    const setLexSettings = async (settings: Record<string, unknown>) => {
      const tenants = new TenantRepository(w.db, w.ctx.box);
      await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: w.lex.apiKey }, baseUrl: w.lex.url, settings: { webhookPublicKey: w.lex.publicKeyPem, ratePerSecond: 10, burst: 5, ...settings } }, 'test');
    };
    const activateOrderRules = async (doc: unknown) => {
      const v = await w.engine.rules.createDraft(TENANT, 'order', doc, { actor: 'test' });
      await w.engine.rules.validate(TENANT, v.id, 'test');
      await w.engine.rules.activate(TENANT, v.id, { actor: 'test', reason: 'test' });
    };

    before(async () => {
      w = await startWorld(variant, { articles: 30 });
      const out = await w.sync(['catalog', 'stock']);
      assert.equal(out.status, 'succeeded');
      w.cel.state.settle(true);
      skus = [...w.cel.state.products.values()].filter((p) => p.stock >= 3).map((p) => p.model);
      assert.ok(skus.length >= 6, 'enough products with stock on Cel.ro');
      await setLexSettings({});
      await registerOrderJobs(w.ctx, w.engine);
      await registerInvoiceJob(w.ctx);
      await registerPaymentCheckJob(w.ctx);
      const link = await ensureCelroApiLink({ ...w.ctx, config: { ...w.ctx.config, publicUrl: w.webUrl } }, TENANT);
      assert.equal(link.changed, true);
      assert.match(w.cel.state.account.apiLink, new RegExp(`/webhooks/celro/${TENANT}/[A-Za-z0-9_-]{20,}\\?type=\\$1\\$&value=\\$2\\$$`));
    });
    after(async () => w?.close());

    it('B2C: a finalized invoice, RON → EUR exact to the cent, the order number in its text, stock reserved', async () => {
      const before = new Map((await w.ledger.published(TENANT)).map((l) => [l.sku, l]));
      const id = await place({ lines: [{ model: skus[0], quantity: 2 }, { model: skus[1], quantity: 1 }], shipping: '19.99', voucher: { code: 'CEL10', value: '10.00' } });
      const o = await settle(id);
      assert.equal(o.state, 'acknowledged', `${o.reasonCode}: ${o.reason}`);
      const docs = documentsOf(id);
      assert.equal(docs.length, 1, 'exactly one lexoffice document');
      const doc = docs[0] as unknown as { id: string; voucherType: string; voucherStatus: string; remark: string; taxConditions: { taxType: string; taxSubType?: string }; totalPrice: { totalGrossAmount: number }; lineItems: unknown[] };
      assert.equal(doc.voucherType, 'invoice');
      assert.equal(doc.voucherStatus, 'open', 'finalized');
      assert.deepEqual(o.document && { type: o.document.type, id: o.document.id, status: o.document.status }, { type: 'invoice', id: doc.id, status: 'open' });
      assert.equal(o.document?.link, `https://app.lexware.de/permalink/invoices/view/${doc.id}`, 'a deep link into the lexoffice web app');
      assert.deepEqual(doc.taxConditions, { taxType: 'gross', taxSubType: 'distanceSales' });
      // The EUR total is the RON total converted once at the order day's BNR rate, half-up to the cent.
      const cel = w.cel.state.getOrder(Number(id));
      const ron = w.cel.state.orderTotal(cel);
      const m = /1 EUR = ([\d.]+) RON/.exec(doc.remark);
      assert.ok(m, doc.remark);
      assert.match(doc.remark, new RegExp(`${ron.toFixed(2)} RON`));
      assert.equal(new Decimal(doc.totalPrice.totalGrossAmount).toFixed(2), ron.div(m[1]!).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
      assert.equal(doc.lineItems.length, 4, 'two items, shipping and the voucher');
      // Stock: the order's units are reserved, so less is published.
      const now = new Map((await w.ledger.published(TENANT)).map((l) => [l.sku, l]));
      assert.equal(now.get(skus[0]!)!.reserved - (before.get(skus[0]!)?.reserved ?? 0), 2);
      // History and the API calls made for it are on the order.
      const detail = (await api<{ history: Array<{ kind: string; to_state: string }>; apiCalls: Array<{ call: string }> }>('GET', `/orders/${id}`)).json;
      assert.deepEqual(
        detail.history.filter((h) => h.kind === 'state').map((h) => h.to_state).filter((s, i, a) => a.indexOf(s) === i),
        ['received', 'mapped', 'contact_ensured', 'document_pending', 'document_created', 'acknowledged'],
      );
      assert.ok(detail.apiCalls.some((c) => c.call === 'POST /v1/invoices'));
      assert.ok(detail.apiCalls.some((c) => c.call === 'POST /v1/contacts'));
    });

    it('the same push ten times more, and a poll: still one order and one document', async () => {
      const id = await place({ lines: [{ model: skus[2], quantity: 1 }] });
      await settle(id);
      const push = w.cel.state.account.apiLink.replace('$1$', '1').replace('$2$', encodeURIComponent(JSON.stringify({ list: [Number(id)] })));
      const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(push).then((r) => r.status)));
      assert.deepEqual([...new Set(answers)], [202]);
      assert.equal((await api('POST', '/orders/poll')).status, 202);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await w.db.query("SELECT 1 FROM channel_orders WHERE tenant_id = $1 AND channel_order_id = $2", [TENANT, id])).length, 1);
      assert.equal(documentsOf(id).length, 1);
      assert.equal((await order(id)).state, 'acknowledged');
    });

    it('a repeat buyer (same e-mail) gets one lexoffice contact; a company with a CUI is an intra-community supply', async () => {
      const id = await place({ lines: [{ model: skus[3], quantity: 1 }], company: true });
      const o = await settle(id);
      assert.equal(o.state, 'acknowledged', `${o.reasonCode}: ${o.reason}`);
      const doc = documentsOf(id)[0] as unknown as { taxConditions: { taxType: string }; address: { contactId: string } };
      assert.equal(doc.taxConditions.taxType, 'intraCommunitySupply');
      const contact = w.lex.state().contacts.get(doc.address.contactId) as unknown as { company?: { vatRegistrationId?: string } };
      assert.match(contact.company?.vatRegistrationId ?? '', /^RO\d+$/);
      const emails = [...w.lex.state().contacts.values()].flatMap((c) => Object.values((c as { emailAddresses?: Record<string, string[]> }).emailAddresses ?? {}).flat());
      assert.equal(emails.length, new Set(emails).size, 'no buyer e-mail on two contacts');
    });

    it('draft invoice and order confirmation, as the connection says', async () => {
      await setLexSettings({ orderDocument: 'draft' });
      try {
        const a = await place({ lines: [{ model: skus[4], quantity: 1 }] });
        const oa = await settle(a);
        assert.equal(oa.state, 'acknowledged');
        assert.equal((documentsOf(a)[0] as unknown as { voucherStatus: string }).voucherStatus, 'draft');
        await setLexSettings({ orderDocument: 'orderconfirmation' });
        const b = await place({ lines: [{ model: skus[4], quantity: 1 }] });
        const ob = await settle(b);
        assert.equal(ob.document?.type, 'orderconfirmation');
        assert.equal((documentsOf(b)[0] as unknown as { voucherType: string }).voucherType, 'orderconfirmation');
      } finally {
        await setLexSettings({});
      }
    });

    it('with confirmOrders the order is confirmed on Cel.ro once its document exists, and noteDocumentOnCel notes the number there', async () => {
      const tenants = new TenantRepository(w.db, w.ctx.box);
      await tenants.setConnection(TENANT, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: w.cel.url, settings: { confirmOrders: true, noteDocumentOnCel: true } }, 'test');
      try {
        const id = await place({ lines: [{ model: skus[2], quantity: 1 }] });
        const o = await settle(id);
        assert.equal(o.state, 'acknowledged');
        assert.notEqual(w.cel.state.getOrder(Number(id)).status, w.cel.state.getOrder(Number(id)).history[0]!.status, 'no longer new on Cel.ro');
        assert.ok(w.cel.log.some((e) => /orders\/confirmOrder/.test(e.path)));
        const cel = (await (await fetch(`${w.cel.origin}/_sim/orders/${id}`)).json()) as { observatii_cmd: string };
        assert.match(cel.observatii_cmd, new RegExp(`lexoffice Rechnung ${o.document!.number}`), 'the document number noted on the Cel.ro order');
      } finally {
        await tenants.setConnection(TENANT, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: w.cel.url }, 'test');
      }
    });

    it('unknown SKU → quarantined with the reason → mapping fixed → replay → one document', async () => {
      const bad = { ...DEFAULT_ORDER_RULES, lookups: { 'sku-to-article': { ...DEFAULT_ORDER_RULES.lookups['sku-to-article'], entries: { [skus[5]!]: 'NO-SUCH-ARTICLE' } } } };
      await activateOrderRules(bad);
      const id = await place({ lines: [{ model: skus[5], quantity: 1 }] });
      const q = await settle(id);
      assert.equal(q.state, 'quarantined');
      assert.equal(q.reasonCode, 'unknown_sku');
      assert.match(q.reason!, /NO-SUCH-ARTICLE|no lexoffice article/);
      assert.equal(documentsOf(id).length, 0);
      const listed = (await api<{ orders: OrderView[] }>('GET', '/orders?state=quarantined')).json.orders;
      assert.ok(listed.some((o) => o.orderId === id), 'visible in the quarantine list');
      await activateOrderRules(DEFAULT_ORDER_RULES);
      const r = await api<{ replayed: string[] }>('POST', '/orders/replay?reason=unknown_sku');
      assert.equal(r.status, 200);
      assert.ok(r.json.replayed.includes(id));
      const done = await settle(id, ['acknowledged']);
      assert.equal(done.state, 'acknowledged');
      assert.equal(documentsOf(id).length, 1);
      const again = await api('POST', `/orders/${id}/replay`);
      assert.equal(again.status, 409, 'an imported order is not replayed');
    });

    it('a 504 after lexoffice committed the invoice: the document is found by its marker and adopted, never created twice', async () => {
      await fetch(`${w.lex.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ kind: 'timeout-after-commit', method: 'POST', path: '/v1/invoices', count: 1 }]) });
      const id = await place({ lines: [{ model: skus[0], quantity: 1 }] });
      const o = await settle(id);
      assert.equal(o.state, 'acknowledged', `${o.reasonCode}: ${o.reason}`);
      assert.equal(documentsOf(id).length, 1);
      const detail = (await api<{ history: Array<{ detail: { adopted?: boolean } }>; apiCalls: Array<{ call: string; outcome: string }> }>('GET', `/orders/${id}`)).json;
      assert.ok(detail.apiCalls.some((c) => c.call === 'POST /v1/invoices' && /outcome unknown/.test(c.outcome)));
      assert.ok(detail.history.some((h) => h.detail.adopted === true), 'adopted');
      await fetch(`${w.lex.url}/_sim/faults`, { method: 'DELETE' });
    });

    it('cancellation before the document releases the reservation; after a finalized invoice: a credit note, or an action item', async () => {
      // Before: quarantined (no document yet), then cancelled on Cel.ro (push type 11).
      const bad = { ...DEFAULT_ORDER_RULES, lookups: { 'sku-to-article': { ...DEFAULT_ORDER_RULES.lookups['sku-to-article'], entries: { [skus[1]!]: 'NO-SUCH-ARTICLE' } } } };
      await activateOrderRules(bad);
      const reservedBefore = async () => (await w.ledger.published(TENANT, [skus[1]!]))[0]?.reserved ?? 0;
      const r0 = await reservedBefore();
      const a = await place({ lines: [{ model: skus[1], quantity: 1 }] });
      await settle(a, ['quarantined']);
      assert.equal(await reservedBefore(), r0 + 1);
      await fetch(`${w.cel.origin}/_sim/orders/${a}/cancel`, { method: 'POST' });
      const ca = await settle(a, ['cancelled']);
      assert.equal(ca.state, 'cancelled');
      assert.equal(await reservedBefore(), r0, 'released');
      await activateOrderRules(DEFAULT_ORDER_RULES);

      // After a finalized invoice, default: an action item (no credit note).
      const b = await place({ lines: [{ model: skus[2], quantity: 1 }] });
      await settle(b, ['acknowledged']);
      await fetch(`${w.cel.origin}/_sim/orders/${b}/cancel`, { method: 'POST' });
      const cb = await settle(b, ['cancelled']);
      assert.match(cb.actionItem ?? '', /credit note/);
      assert.equal(cb.creditNoteId, null);

      // With creditNoteOnCancel: one credit note referring to the invoice.
      await setLexSettings({ creditNoteOnCancel: true });
      try {
        const c = await place({ lines: [{ model: skus[3], quantity: 1 }] });
        const oc = await settle(c, ['acknowledged']);
        await fetch(`${w.cel.origin}/_sim/orders/${c}/cancel`, { method: 'POST' });
        const cc = await settle(c, ['cancelled']);
        assert.ok(cc.creditNoteId);
        const stored = w.lex.state().vouchers.get(cc.creditNoteId!)!;
          const note = { ...(stored.doc as { relatedVouchers?: Array<{ id: string }> }), voucherType: stored.kind };
          assert.equal(note.voucherType, 'creditnote');
          assert.ok(note.relatedVouchers?.some((v) => v.id === oc.document!.id));
      } finally {
        await setLexSettings({});
      }
    });

    const invoiceSettled = (id: string, states: string[]) =>
      waitFor(`invoice of ${id} in ${states.join('|')}`, async () => {
        const o = await order(id);
        return states.includes(o.invoice.state) ? o : undefined;
      }, 60_000);
    const celInvoices = (id: string) => w.cel.state.invoices.filter((i) => i.ordersId === Number(id));
    const setCelSettings = async (settings: Record<string, unknown>) => {
      const tenants = new TenantRepository(w.db, w.ctx.box);
      await tenants.setConnection(TENANT, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: w.cel.url, settings }, 'test');
    };

    it('invoice PDF: the finalized lexoffice invoice is attached to the Cel.ro order once, series and number from its voucher number', async () => {
      const id = await place({ lines: [{ model: skus[0], quantity: 1 }] });
      const o = await invoiceSettled(id, ['attached', 'failed']);
      assert.equal(o.invoice.state, 'attached', o.invoice.reason ?? '');
      const doc = documentsOf(id)[0] as unknown as { id: string; voucherNumber: string };
      const m = /^(.*?)[-/ ]?(\d+)$/.exec(doc.voucherNumber)!;
      assert.deepEqual([o.invoice.series, o.invoice.number], [m[1], m[2]]);
      const onCel = celInvoices(id);
      assert.equal(onCel.length, 1);
      assert.deepEqual([onCel[0]!.series, onCel[0]!.number], [m[1], m[2]]);
      const pdf = Buffer.from(await (await fetch(`${w.lex.url}/v1/invoices/${doc.id}/file`, { headers: { authorization: `Bearer ${w.lex.apiKey}`, accept: 'application/pdf' } })).arrayBuffer());
      assert.equal(onCel[0]!.sha256, createHash('sha256').update(pdf).digest('hex'), 'the bytes lexoffice rendered, unchanged');
      // Again (a retry, a replayed webhook): nothing is uploaded twice.
      assert.equal((await api('POST', `/orders/${id}/invoice/retry`)).status, 202);
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(celInvoices(id).length, 1);
    });

    it('invoice PDF: a draft waits; finalized in lexoffice, the invoice.status.changed webhook brings it to Cel.ro', async () => {
      await setLexSettings({ orderDocument: 'draft' });
      try {
        const id = await place({ lines: [{ model: skus[1], quantity: 1 }] });
        const o = await invoiceSettled(id, ['waiting']);
        assert.match(o.invoice.reason ?? '', /draft/);
        assert.equal(celInvoices(id).length, 0);
        const r = await fetch(`${w.lex.url}/_sim/vouchers/${o.document!.id}/finalize`, { method: 'POST' });
        assert.equal(r.status, 200);
        const done = await invoiceSettled(id, ['attached']);
        assert.equal(done.invoice.state, 'attached');
        assert.equal(celInvoices(id).length, 1);
      } finally {
        await setLexSettings({});
      }
    });

    it('invoice PDF: over the size limit → failed with the reason (an action item) → limit fixed → retry → attached; a lost upload answer is not uploaded again', async () => {
      await setCelSettings({ invoiceMaxBytes: 100 });
      try {
        const id = await place({ lines: [{ model: skus[2], quantity: 1 }] });
        const o = await invoiceSettled(id, ['failed']);
        assert.match(o.invoice.reason ?? '', /over Cel\.ro's limit .*invoiceMaxBytes/);
        assert.equal(celInvoices(id).length, 0);
        // Meanwhile the merchant uploaded it by hand with the same series and number (or an earlier upload's answer was lost).
        const doc = documentsOf(id)[0] as unknown as { id: string; voucherNumber: string };
        const [, series, number] = /^(.*?)[-/ ]?(\d+)$/.exec(doc.voucherNumber)!;
        w.cel.state.addInvoice(Number(id), series!, number!, '0', Buffer.from('%PDF-1.4 uploaded elsewhere'));
        await setCelSettings({});
        assert.equal((await api('POST', `/orders/${id}/invoice/retry`)).status, 202);
        const done = await invoiceSettled(id, ['attached']);
        assert.equal(done.invoice.state, 'attached');
        assert.equal(celInvoices(id).length, 1, 'found on Cel.ro, not uploaded a second time');
      } finally {
        await setCelSettings({});
      }
    });

    it('invoice PDF from a manual upload, for merchants who invoice elsewhere', async () => {
      await setCelSettings({ invoiceSource: 'manual' });
      try {
        const id = await place({ lines: [{ model: skus[3], quantity: 1 }] });
        const o = await invoiceSettled(id, ['waiting']);
        assert.match(o.invoice.reason ?? '', /no invoice PDF uploaded/);
        const bad = await api('PUT', `/orders/${id}/invoice`, { series: 'FCT', number: '77', pdfBase64: Buffer.from('not a pdf').toString('base64') });
        assert.equal(bad.status, 400);
        const pdf = Buffer.from('%PDF-1.4\n% an invoice made elsewhere\n%%EOF\n');
        const up = await api('PUT', `/orders/${id}/invoice`, { series: 'FCT', number: '77', pdfBase64: pdf.toString('base64') });
        assert.equal(up.status, 202);
        const done = await invoiceSettled(id, ['attached']);
        assert.deepEqual([done.invoice.source, done.invoice.series, done.invoice.number], ['manual', 'FCT', '77']);
        assert.equal(celInvoices(id)[0]!.sha256, createHash('sha256').update(pdf).digest('hex'));
        // A corrected PDF under another number replaces it on Cel.ro (the wrong one is removed there).
        const fixed = Buffer.from('%PDF-1.4\n% the corrected invoice\n%%EOF\n');
        assert.equal((await api('PUT', `/orders/${id}`.concat('/invoice'), { series: 'FCT', number: '78', pdfBase64: fixed.toString('base64') })).status, 202);
        const replaced = await waitFor('the corrected invoice on Cel.ro', async () => {
          const list = celInvoices(id);
          return list.length === 1 && list[0]!.number === '78' ? list : undefined;
        }, 30_000);
        assert.equal(replaced[0]!.sha256, createHash('sha256').update(fixed).digest('hex'));
        assert.equal((await order(id)).invoice.number, '78');
      } finally {
        await setCelSettings({});
      }
    });

    it('payment: a card order paid online is paid from Cel.ro; a cash-on-delivery order becomes paid when lexoffice shows its invoice paid', async () => {
      const card = await place({ lines: [{ model: skus[4], quantity: 1 }], payment: 'card' });
      await settle(card);
      const c = (await api<{ payment: { status: string; source: string; method: string } }>('GET', `/orders/${card}`)).json.payment;
      assert.deepEqual([c.method, c.status, c.source], ['card', 'paid', 'celro']);

      const cod = await place({ lines: [{ model: skus[4], quantity: 1 }], payment: 'cod' });
      const o = await settle(cod);
      const before = (await api<{ payment: { status: string; method: string; expected: string } }>('GET', `/orders/${cod}`)).json.payment;
      assert.deepEqual([before.method, before.status], ['cash_on_delivery', 'pending']);
      const paid = await fetch(`${w.lex.url}/_sim/vouchers/${o.document!.id}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(paid.status, 200);
      const after = await waitFor('paid from lexoffice', async () => {
        const p = (await api<{ payment: { status: string; source: string; paidAt: string | null } }>('GET', `/orders/${cod}`)).json.payment;
        return p.status === 'paid' && p;
      }, 30_000);
      assert.equal(after.source, 'lexoffice');
      assert.ok(after.paidAt);
    });

    it('a push with a wrong secret is refused with 404 and recorded; an unreadable push wakes a poll', async () => {
      const good = w.cel.state.account.apiLink;
      const wrong = good.replace(/\/webhooks\/celro\/shop\/[^?]+/, '/webhooks/celro/shop/not-the-secret').replace('$1$', '1').replace('$2$', '%7B%7D');
      assert.equal((await fetch(wrong)).status, 404);
      const unknownTenant = good.replace('/webhooks/celro/shop/', '/webhooks/celro/nobody/').replace('$1$', '1').replace('$2$', '%7B%7D');
      assert.equal((await fetch(unknownTenant)).status, 404);
      const rejected = await w.db.query<{ reason: string }>("SELECT reason FROM webhook_events WHERE source = 'celro' AND status = 'rejected'");
      assert.ok(rejected.length >= 2);
      const odd = await fetch(good.replace('$1$', '99').replace('$2$', 'garbage'));
      assert.equal(odd.status, 202);
      assert.equal(((await odd.json()) as { status: string }).status, 'polling');
    });
  });
}
