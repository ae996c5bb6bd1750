import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { webModules } from '../../src/http/modules.ts';
import { buildServer } from '../../src/http/server.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { storeVariants } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

/**
 * The API the vendor panel reads and drives, against the simulators, on both stores: the mapping
 * editor (draft → preview over the whole catalog → validate → activate → the Cel.ro simulator's prices
 * change → rollback), the dashboard, an offer with its lineage, stock ledger and policy, and the
 * onboarding checks of each connection (including a wrong key, in plain words, never echoed).
 */
for (const variant of await storeVariants()) describe(`panel API (${variant.name})`, { skip: variant.skip }, () => {
  let w: World;
  let app: FastifyInstance;
  const call = async (method: InjectOptions['method'], url: string, payload?: unknown) => {
    const r = await app.inject({ method, url: `/api/tenants/${TENANT}${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: r.statusCode, body: r.json() as Record<string, any>, text: r.body }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  before(async () => {
    // A public URL makes the checks subscribe lexoffice webhooks and set the Cel.ro API link (nothing calls it here).
    w = await startWorld(variant, { articles: 12, env: { VORTEX_PUBLIC_URL: 'http://127.0.0.1:9' } });
    app = await buildServer({ db: w.db, log: w.ctx.log }, webModules(w.ctx));
    const first = await w.sync(['catalog', 'stock']);
    assert.equal(first.status, 'succeeded', JSON.stringify(first));
  });
  after(async () => {
    await app?.close();
    await w?.close();
  });

  let activeId: number;
  let draftId: number;

  it('lists rule versions and shows one with its document and exact text', async () => {
    const list = await call('GET', '/rules?direction=catalog');
    assert.equal(list.status, 200, list.text);
    const active = list.body.versions.find((v: { active: boolean }) => v.active);
    assert.ok(active, 'the onboarded catalog rules are active');
    activeId = active.id;
    const one = await call('GET', `/rules/${activeId}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.version, 1);
    assert.equal(typeof one.body.document.fields.pretf, 'object');
    assert.equal(JSON.parse(one.body.text).name, one.body.name);
  });

  it('refuses an invalid draft with the JSON path of each problem', async () => {
    const doc = structuredClone((await call('GET', `/rules/${activeId}`)).body.document);
    doc.fields.pretf.pipeline.splice(1, 0, { op: 'multiply', by: 'lots' });
    const bad = await call('POST', '/rules', { direction: 'catalog', document: doc });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.code, 'validation_failed');
    assert.match(bad.body.error.message, /document/);
    assert.ok(bad.body.error.issues.some((i: { path: string }) => i.path.startsWith('$.fields') && i.path.includes('pretf')), JSON.stringify(bad.body.error.issues));
    const text = await call('POST', '/rules', { direction: 'catalog', document: '{"name": ' });
    assert.equal(text.status, 400);
    assert.match(text.body.error.message, /document/);
    const wrongDirection = await call('POST', '/rules', { direction: 'order', document: doc });
    assert.equal(wrongDirection.status, 400);
  });

  it('previews a price rule over the whole catalog: every offer’s price changes, nothing is written', async () => {
    const doc = structuredClone((await call('GET', `/rules/${activeId}`)).body.document);
    // 5 % more: under Cel.ro's 10 % guard, so the change is pushed rather than held.
    doc.fields.pretf.pipeline.splice(3, 0, { op: 'multiply', by: '1.05' });
    doc.name = 'Prices +5 %';
    const draft = await call('POST', '/rules', { direction: 'catalog', document: doc, note: '5 % up' });
    assert.equal(draft.status, 201, draft.text);
    assert.equal(draft.body.status, 'draft');
    assert.equal(draft.body.version, 2);
    draftId = draft.body.id;
    const pushedBefore = await w.db.one<{ n: number }>("SELECT count(*) AS n FROM channel_offers WHERE tenant_id = $1 AND rule_version_id = $2", [TENANT, draftId]);
    const preview = await call('POST', `/rules/${draftId}/preview`, {});
    assert.equal(preview.status, 200, preview.text);
    const s = preview.body.summary;
    assert.ok(s.items >= 10, `items ${s.items}`);
    assert.ok(s.changed > 0 && s.changed === s.changesByField.pretf, JSON.stringify(s));
    assert.equal(preview.body.currentVersionId, activeId);
    const row = preview.body.rows.find((r: { status: string }) => r.status === 'changed');
    const change = row.changes.find((c: { field: string }) => c.field === 'pretf');
    assert.ok(Number(change.after) > Number(change.before), JSON.stringify(change));
    assert.equal(row.price.overGuard, false);
    assert.ok(preview.body.rows.every((r: { status: string }) => r.status !== 'unchanged'), 'unchanged rows are left out by default');
    const limited = await call('POST', `/rules/${draftId}/preview`, { limit: 1, status: ['changed', 'unchanged'] });
    assert.equal(limited.body.rows.length, 1);
    assert.equal(limited.body.truncated, true);
    assert.equal(limited.body.summary.changed, s.changed, 'the summary counts every row');
    const failedOnly = await call('POST', `/rules/${draftId}/preview`, { status: 'failed' });
    assert.ok(failedOnly.body.rows.every((r: { status: string }) => r.status === 'failed'));
    const after = await w.db.one<{ n: number }>("SELECT count(*) AS n FROM channel_offers WHERE tenant_id = $1 AND rule_version_id = $2", [TENANT, draftId]);
    assert.equal(after.n, pushedBefore.n);
  });

  it('activates a validated version (a draft is refused), the next run moves Cel.ro’s prices, and rolls back', async () => {
    const sku = (await w.db.one<{ sku: string }>("SELECT sku FROM channel_offers WHERE tenant_id = $1 AND listed ORDER BY sku LIMIT 1", [TENANT])).sku;
    const priceBefore = w.cel.state.products.get(sku)!.price;
    const early = await call('POST', `/rules/${draftId}/activate`, { reason: 'five percent' });
    assert.equal(early.status, 409, early.text);
    const validated = await call('POST', `/rules/${draftId}/validate`);
    assert.equal(validated.body.status, 'validated');
    const act = await call('POST', `/rules/${draftId}/activate`, { reason: 'five percent' });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.body.versionId, draftId);
    assert.equal(act.body.previousVersionId, activeId);
    assert.equal(typeof act.body.syncRequestId, 'number', 'a catalog sync was requested');
    assert.equal((await w.sync(['catalog'])).status, 'succeeded');
    const priceAfter = w.cel.state.products.get(sku)!.price;
    assert.ok(Number(priceAfter) > Number(priceBefore), `${sku}: ${priceBefore} → ${priceAfter}`);

    // The offer says which version produced each value.
    const offer = await call('GET', `/offers/${encodeURIComponent(sku)}`);
    assert.equal(offer.status, 200, offer.text);
    assert.equal(offer.body.lineage.desired.id, draftId);
    assert.equal(offer.body.lineage.desired.version, 2);
    assert.equal(offer.body.lineage.desired.name, 'Prices +5 %');
    assert.equal(offer.body.lineage.pushed.id, draftId);
    const pretf = offer.body.lineage.fields.find((f: { field: string }) => f.field === 'pretf');
    assert.deepEqual([pretf.desiredBy, pretf.pushedBy, pretf.inSync], [draftId, draftId, true]);
    assert.equal(offer.body.product.sourceId !== null, true);
    assert.ok(offer.body.product.article, 'the lexoffice article as received');
    assert.equal(offer.body.stock.sku, sku);
    assert.equal((await call('GET', '/offers/NO-SUCH-SKU')).status, 404);
    const found = await call('GET', `/offers?q=${encodeURIComponent(sku.slice(-3))}`);
    assert.ok(found.body.offers.some((o: { sku: string }) => o.sku === sku));

    const back = await call('POST', '/rules/rollback', { direction: 'catalog', reason: 'too expensive' });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.body.kind, 'rollback');
    assert.equal(back.body.versionId, activeId);
    assert.equal(typeof back.body.syncRequestId, 'number');
    const history = await call('GET', '/rules/history?direction=catalog');
    assert.deepEqual(history.body.activations.slice(-2).map((a: { kind: string; reason: string }) => [a.kind, a.reason]), [['activate', 'five percent'], ['rollback', 'too expensive']]);
    assert.equal((await w.sync(['catalog'])).status, 'succeeded');
    assert.equal(w.cel.state.products.get(sku)!.price, priceBefore);
  });

  it('previews an order rule set over the lines of the latest stored orders', async () => {
    const versions = (await call('GET', '/rules?direction=order')).body.versions as Array<{ id: number; active: boolean }>;
    const order = versions.find((v) => v.active) ?? versions[0];
    assert.ok(order, 'the tenant has order rules');
    const p = await call('POST', `/rules/${order.id}/preview`, { status: ['unchanged', 'changed', 'new', 'failed'] });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.body.summary.items, p.body.matching);
  });

  it('answers 404 for a rule version of another tenant', async () => {
    await onboardTenant(w.db, w.ctx.box, { id: 'other', name: 'Other SRL' }, 'test');
    const mine = await call('GET', `/rules/${activeId}`);
    const theirs = await app.inject({ method: 'POST', url: '/api/tenants/other/rules', payload: { direction: 'catalog', document: mine.body.document } });
    assert.equal(theirs.statusCode, 201, theirs.body);
    const id = theirs.json().id;
    for (const [method, url, payload] of [
      ['GET', `/rules/${id}`],
      ['POST', `/rules/${id}/validate`],
      ['POST', `/rules/${id}/preview`, {}],
      ['POST', `/rules/${id}/activate`, { reason: 'x' }],
      ['POST', '/rules/rollback', { direction: 'catalog', reason: 'x', to: id }],
    ] as const) {
      const r = await call(method, url, payload);
      assert.equal(r.status, 404, `${method} ${url}: ${r.text}`);
    }
  });

  it('dashboard: connections, runs, API budget, queue, charts and action items (a quarantined order shows)', async () => {
    await w.db.query(
      `INSERT INTO channel_orders (tenant_id, channel_order_id, state, reason_code, reason, action_item, raw, raw_hash)
       VALUES ($1, '900001', 'quarantined', 'unknown_sku', 'line 1: SKU "NOPE" is not in the catalog', 'map SKU NOPE, then replay', '{}', 'h')`,
      [TENANT],
    );
    await w.db.query("UPDATE channel_offers SET held_reason = 'price +40 % over the 10 % guard', held_at = now() WHERE tenant_id = $1 AND sku = (SELECT min(sku) FROM channel_offers WHERE tenant_id = $1)", [TENANT]);
    const d = await call('GET', '/dashboard');
    assert.equal(d.status, 200, d.text);
    const b = d.body;
    const byName = Object.fromEntries(b.connections.map((c: { system: string }) => [c.system, c]));
    assert.equal(byName.lexoffice.health, 'fresh');
    assert.equal(byName.celro.health, 'fresh');
    assert.ok(byName.lexoffice.lastHeartbeatAt && byName.lexoffice.nextHeartbeatAt);
    assert.ok(new Date(byName.celro.nextHeartbeatAt) > new Date(b.now));
    assert.ok(b.runs.length >= 3 && b.runs.length <= 10);
    assert.ok(b.runs[0].counts['catalog.publish'], JSON.stringify(b.runs[0]));
    assert.equal(b.running, null);
    const lex = b.apiBudget.find((a: { api: string }) => a.api === 'lexoffice');
    assert.ok(lex.last24h > 0 && lex.lastHour > 0, JSON.stringify(b.apiBudget));
    assert.match(lex.limit, /2\/s/);
    assert.equal(b.queue.perTenant, true);
    assert.ok(b.queue.queued >= 1, 'the sync requested by the activation waits in the queue (no worker here)');
    assert.equal(b.ordersPerDay.length, 14);
    assert.equal(b.ordersPerDay.at(-1).count, 1);
    assert.ok(b.publishLatency.length >= 3 && b.publishLatency.every((p: { seconds: number }) => p.seconds >= 0));
    assert.equal(b.actionItems.quarantinedOrders.count, 1);
    assert.equal(b.actionItems.quarantinedOrders.items[0].key, '900001');
    assert.match(b.actionItems.quarantinedOrders.items[0].reason, /NOPE/);
    assert.equal(b.actionItems.heldPrices.count, 1);
    for (const k of ['ordersNeedingReview', 'rejectedProducts', 'failedInvoiceUploads', 'syncFailures']) assert.equal(typeof b.actionItems[k].count, 'number');
  });

  it('dashboard: a lexoffice key refused on the last runs shows the connection disconnected', async () => {
    await w.db.query(
      `INSERT INTO sync_runs (tenant_id, triggers, what, status, finished_at, error) VALUES
         ($1, '{heartbeat}', '{catalog}', 'failed', now(), 'lexoffice GET /v1/articles → 401: Unauthorized'),
         ($1, '{heartbeat}', '{catalog}', 'failed', now(), 'lexoffice GET /v1/articles → 401: Unauthorized')`,
      [TENANT],
    );
    const d = await call('GET', '/dashboard');
    const byName = Object.fromEntries(d.body.connections.map((c: { system: string }) => [c.system, c]));
    assert.equal(byName.lexoffice.health, 'disconnected');
    assert.match(byName.lexoffice.lastError, /401/);
    assert.equal(byName.celro.health, 'fresh');
    await w.db.query("DELETE FROM sync_runs WHERE tenant_id = $1 AND status = 'failed'", [TENANT]);
  });

  it('dashboard: the run in progress with the counts of its last beat', async () => {
    const { id } = await w.db.one<{ id: number }>(
      `INSERT INTO sync_runs (tenant_id, triggers, what, status, counts, api_calls, worker) VALUES ($1, '{manual}', '{catalog}', 'running', '{"catalog.publish": {"read": 40, "pushed": 7}}', '{"celro": {"import/importer": 1}}', 'host:1') RETURNING id`,
      [TENANT],
    );
    const d = await call('GET', '/dashboard');
    assert.equal(d.body.running.id, id);
    assert.deepEqual(d.body.running.counts, { 'catalog.publish': { read: 40, pushed: 7 } });
    assert.equal(d.body.runs[0].status, 'running');
    await w.db.query('DELETE FROM sync_runs WHERE id = $1', [id]);
  });

  it('stock: pages with search, a SKU’s ledger entries, the policy with its overrides', async () => {
    const all = await call('GET', '/stock');
    assert.equal(all.body.next, null);
    const page = await call('GET', '/stock?limit=3');
    assert.equal(page.body.items.length, 3);
    assert.equal(page.body.next, page.body.items[2].sku);
    const rest = await call('GET', `/stock?limit=1000&after=${encodeURIComponent(page.body.next)}`);
    assert.equal(rest.body.items.length + 3, all.body.items.length);
    const sku = all.body.items[1].sku as string;
    assert.ok((await call('GET', `/stock?q=${encodeURIComponent(sku)}`)).body.items.some((i: { sku: string }) => i.sku === sku));
    await call('POST', `/stock/${encodeURIComponent(sku)}/adjust`, { delta: -1, reason: 'broken in the warehouse' });
    const ledger = await call('GET', `/stock/${encodeURIComponent(sku)}/ledger?limit=5`);
    assert.equal(ledger.status, 200, ledger.text);
    assert.deepEqual([ledger.body.entries[0].kind, ledger.body.entries[0].requested, ledger.body.entries[0].reason], ['adjust', -1, 'broken in the warehouse']);
    assert.equal(ledger.body.entries.at(-1).kind, 'set');
    await call('PUT', '/stock-policy', { bufferKind: 'percent', bufferValue: '10' });
    await call('PUT', `/stock-policy/${encodeURIComponent(sku)}`, { floor: 2 });
    const policy = await call('GET', '/stock-policy');
    assert.deepEqual(policy.body.tenant, { bufferKind: 'percent', bufferValue: '10.0000' });
    assert.equal(policy.body.effective.bufferKind, 'percent');
    assert.deepEqual(policy.body.overrides, [{ sku, floor: 2 }]);
  });

  it('connection checks: lexoffice key, webhooks; Cel.ro login, API link; a wrong key is ok:false in plain words, never echoed', async () => {
    const lex = await call('POST', '/connections/lexoffice/test');
    assert.equal(lex.status, 200, lex.text);
    assert.equal(lex.body.ok, true, lex.text);
    assert.deepEqual(lex.body.checks.map((c: { name: string }) => c.name), ['credentials stored', 'API key', 'webhooks']);
    const cel = await call('POST', '/connections/celro/test');
    assert.equal(cel.body.ok, true, cel.text);
    assert.deepEqual(cel.body.checks.map((c: { name: string }) => c.name), ['credentials stored', 'login', 'API link']);
    assert.match(w.cel.state.account.apiLink, /webhooks\/celro\/shop\//);

    const tenants = new TenantRepository(w.db, w.ctx.box);
    const lexConn = await tenants.getConnection(TENANT, 'lexoffice');
    await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: 'wrong-key-123456' }, baseUrl: lexConn.baseUrl, settings: lexConn.settings }, 'test');
    const wrong = await call('POST', '/connections/lexoffice/test');
    assert.equal(wrong.status, 200);
    assert.equal(wrong.body.ok, false);
    const key = wrong.body.checks.find((c: { name: string }) => c.name === 'API key');
    assert.deepEqual([key.ok, key.message], [false, 'lexoffice refused the API key (401)']);
    assert.equal(wrong.body.checks.find((c: { name: string }) => c.name === 'webhooks').skipped, true);
    assert.ok(!wrong.text.includes('wrong-key-123456'));

    const celConn = await tenants.getConnection(TENANT, 'celro');
    await tenants.setConnection(TENANT, 'celro', { credentials: { username: 'demo', password: 'not-the-password' }, baseUrl: celConn.baseUrl }, 'test');
    const badLogin = await call('POST', '/connections/celro/test');
    assert.equal(badLogin.body.ok, false);
    assert.match(badLogin.body.checks.find((c: { name: string }) => c.name === 'login').message, /refused the username or password/);
    assert.ok(!badLogin.text.includes('not-the-password'));

    const none = await call('POST', '/connections/fancourier/test');
    assert.equal(none.body.ok, false);
    assert.match(none.body.checks[0].message, /no fancourier connection/);
    const audit = await call('GET', '/audit?limit=20');
    assert.ok(audit.body.entries.some((e: { action: string; details: { ok: boolean } }) => e.action === 'connection.tested' && e.details.ok === false));
  });
});
