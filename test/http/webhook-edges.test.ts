import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { buildServer } from '../../src/http/server.ts';
import { lexofficeWebhookRoutes } from '../../src/http/webhooks/lexoffice.routes.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { generateSigningKey, signBody } from '../../sim/lexoffice/webhooks.ts';
import { testContext } from '../helpers/app.ts';
import { storeVariants } from '../helpers/stores.ts';

const ORG = 'aa93e8a8-2aa3-470b-b914-caad8a255dd8';
const key = generateSigningKey();

for (const variant of await storeVariants()) {
  describe(`lexoffice webhook hard edges (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db;
    let app: FastifyInstance;
    let stop: () => Promise<void>;
    before(async () => {
      db = await variant.open();
      const ctx = await testContext(db);
      await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
      await new TenantRepository(db, ctx.box).setConnection('shop', 'lexoffice', { credentials: { apiKey: 'k' }, settings: { webhookPublicKey: key.publicKeyPem, organizationId: ORG } }, 'test');
      app = await buildServer({ db, log: ctx.log }, [lexofficeWebhookRoutes(ctx)]);
      stop = async () => {
        await app.close();
        await ctx.stop();
        await db.close();
      };
    });
    after(async () => stop?.());

    const post = (tenant: string, body: string, signature?: string) =>
      app.inject({ method: 'POST', url: `/webhooks/lexoffice/${tenant}`, headers: { 'content-type': 'application/json', ...(signature ? { 'x-lxo-signature': signature } : {}) }, payload: body });
    const event = (over: Record<string, string> = {}) => JSON.stringify({ organizationId: ORG, eventType: 'article.changed', resourceId: 'a1b2c3d4-0000-4000-8000-000000000001', eventDate: '2026-12-04T10:00:00.000+01:00', ...over });

    it('a signed delivery replayed 3 times is accepted once: one sync request, two duplicates', async () => {
      const body = event();
      const sig = signBody(body, key.privateKeyPem);
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push((await post('shop', body, sig)).json() as { status: string });
      assert.deepEqual(answers.map((a) => a.status), ['accepted', 'duplicate', 'duplicate']);
      const requests = await db.query("SELECT 1 FROM sync_requests WHERE tenant_id = 'shop' AND trigger = 'webhook'");
      assert.equal(requests.length, 1);
      const rows = await db.query<{ status: string }>("SELECT status FROM webhook_events WHERE tenant_id = 'shop' ORDER BY id");
      assert.deepEqual(rows.map((r) => r.status), ['accepted', 'duplicate', 'duplicate']);
      // A new event date for the same resource is a new event.
      const next = event({ eventDate: '2026-12-04T10:05:00.000+01:00' });
      assert.equal(((await post('shop', next, signBody(next, key.privateKeyPem))).json() as { status: string }).status, 'accepted');
    });

    it('refuses a correctly signed callback for another organisation', async () => {
      const body = event({ organizationId: '00000000-0000-4000-8000-000000000000' });
      const res = await post('shop', body, signBody(body, key.privateKeyPem));
      assert.equal(res.statusCode, 401);
    });

    it('answers an unknown tenant exactly like a bad signature, and keeps only a prefix of what it was sent', async () => {
      const body = event({ padding: 'x'.repeat(60_000) });
      const unknown = await post('nobody-here', body);
      const forged = await post('shop', body, Buffer.alloc(256, 7).toString('base64'));
      const unsigned = await post('shop', body);
      for (const r of [unknown, forged, unsigned]) assert.equal(r.statusCode, 401);
      assert.equal(unknown.body, forged.body);
      assert.equal(unknown.body, unsigned.body);
      const stored = await db.query<{ n: number }>("SELECT length(payload) AS n FROM webhook_events WHERE status = 'rejected' ORDER BY id DESC LIMIT 3");
      assert.ok(stored.every((r) => r.n <= 1024), JSON.stringify(stored));
      const tooBig = await post('nobody-here', 'x'.repeat(1_000_000));
      assert.equal(tooBig.statusCode, 413, 'a body lexoffice would never send is not even read');
    });
  });
}
