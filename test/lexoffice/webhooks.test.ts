import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AuthError, ValidationError } from '../../src/core/errors.ts';
import { LexofficeClient, parseWebhook, verifyWebhookSignature } from '../../src/connectors/lexoffice/index.ts';
import type { Db } from '../../src/store/db.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { testPglite } from '../helpers/stores.ts';
import { FAST_SIM, fastClient, invoiceInput } from './helpers.ts';

interface Received {
  raw: Buffer;
  signature: string | undefined;
}

/** A callback receiver like Vortex's webhook route: keeps the raw bytes; answers with the next queued status. */
async function receiver(): Promise<{ url: string; got: Received[]; statuses: number[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const statuses: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ raw: Buffer.concat(chunks), signature: req.headers['x-lxo-signature'] as string | undefined });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    got,
    statuses,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('lexoffice webhooks: simulator delivers signed callbacks, client verifies them', () => {
  let db: Db;
  let sim: LexofficeSim;
  let client: LexofficeClient;
  let rx: Awaited<ReturnType<typeof receiver>>;
  let publicKeyPem: string;
  before(async () => {
    db = await testPglite();
    sim = await startLexofficeSim({ port: 0, seed: 'demo', articles: 300, webhookRetryDelaysMs: [50, 50], ...FAST_SIM });
    client = fastClient(sim.url, sim.apiKey, db);
    rx = await receiver();
    publicKeyPem = await (await fetch(`${sim.url}/_sim/public-key`)).text();
  });
  after(async () => {
    await sim?.close();
    await rx?.close();
    await db?.close();
  });

  it('exposes its public key on the admin route, not under /v1/', async () => {
    assert.match(publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
    assert.equal(publicKeyPem, sim.publicKeyPem);
    const r = await fetch(`${sim.url}/v1/public-key`, { headers: { authorization: `Bearer ${sim.apiKey}` } });
    assert.equal(r.status, 404);
  });

  let articleId = '';
  it('an article changed through the admin route reaches the subscriber as a signed article.changed', async () => {
    await client.createEventSubscription('article.changed', `${rx.url}/hooks/lexoffice`);
    const page = await client.listArticles({ size: 250 });
    articleId = page.content[3]!.id;
    const before = await client.getArticle(articleId);
    const res = await fetch(`${sim.url}/_sim/articles/${articleId}/change`, { method: 'POST', body: JSON.stringify({ title: 'Neuer Titel' }), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200);
    await until(() => rx.got.length === 1);
    const { raw, signature } = rx.got[0]!;
    assert.ok(signature, 'X-Lxo-Signature present');
    assert.ok(!raw.toString().includes(' ') && !raw.toString().includes('\n'), 'compact JSON body');
    assert.equal(verifyWebhookSignature(raw, signature, publicKeyPem), true);
    const payload = parseWebhook(raw, signature, publicKeyPem, (await client.getProfile()).organizationId);
    assert.equal(payload.eventType, 'article.changed');
    assert.equal(payload.resourceId, articleId);
    assert.match(payload.eventDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    const after = await client.getArticle(articleId);
    assert.equal(after.title, 'Neuer Titel');
    assert.equal(after.version, (before.version ?? 0) + 1);
  });

  it('rejects tampered, unsigned, foreign-signed and other-organisation callbacks', () => {
    const { raw, signature } = rx.got[0]!;
    const tampered = Buffer.from(raw.toString().replace(articleId, articleId.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))));
    assert.notDeepEqual(tampered, raw);
    assert.equal(verifyWebhookSignature(tampered, signature, publicKeyPem), false);
    assert.throws(() => parseWebhook(tampered, signature, publicKeyPem), AuthError);
    assert.throws(() => parseWebhook(raw, undefined, publicKeyPem), AuthError);
    assert.throws(() => parseWebhook(raw, 'bm90IGEgc2lnbmF0dXJl', publicKeyPem), AuthError);
    // re-serialised JSON (same content, different bytes) does not verify: the raw body must be used
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString()), null, 1));
    assert.equal(verifyWebhookSignature(reserialised, signature, publicKeyPem), false);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = sign('sha512', raw, other.privateKey).toString('base64');
    assert.throws(() => parseWebhook(raw, forged, publicKeyPem), AuthError);
    assert.throws(() => parseWebhook(raw, signature, publicKeyPem, '00000000-0000-4000-8000-000000000000'), AuthError);
    // signed but not a lexoffice payload → ValidationError
    const odd = Buffer.from('{"hello":"world"}');
    const s = sign('sha512', odd, other.privateKey).toString('base64');
    assert.throws(() => parseWebhook(odd, s, other.publicKey.export({ type: 'spki', format: 'pem' }).toString()), ValidationError);
  });

  it('retries a failed delivery (5xx) and drops the subscription on 410', async () => {
    rx.got.length = 0;
    await client.createEventSubscription('invoice.created', `${rx.url}/hooks/lexoffice`);
    rx.statuses.push(503);
    const c = await client.createContact({ person: { lastName: 'Hook' } });
    const inv = await client.createInvoice(invoiceInput(c.id), { finalize: true });
    await sim.webhooksIdle();
    const deliveries = rx.got.filter((g) => JSON.parse(g.raw.toString()).resourceId === inv.id);
    assert.equal(deliveries.length, 2, 'delivered again after the 503');
    assert.ok(deliveries.every((d) => verifyWebhookSignature(d.raw, d.signature, publicKeyPem)));
    rx.statuses.push(410);
    await client.createInvoice(invoiceInput(c.id), { finalize: true });
    await sim.webhooksIdle();
    const subs = await client.listEventSubscriptions();
    assert.deepEqual(subs.map((s) => s.eventType), ['article.changed'], '410 removed the invoice.created subscription');
  });
});
