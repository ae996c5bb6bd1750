import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, it } from 'node:test';
import { signPayment, signatureProblem } from '../../src/fulfilment/payments/signed-webhook.ts';
import { apiModule } from '../../src/http/api/index.ts';
import { buildServer } from '../../src/http/server.ts';
import { paymentWebhookRoutes } from '../../src/http/webhooks/payments.routes.ts';
import type { Db } from '../../src/store/db.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { testContext } from '../helpers/app.ts';
import { storeVariants } from '../helpers/stores.ts';

const SECRET = 'whsec_0123456789abcdef0123456789abcdef';

for (const variant of await storeVariants()) {
  describe(`signed payment webhook (${variant.name})`, { skip: variant.skip }, () => {
    let db: Db;
    let app: FastifyInstance;
    let stop: () => Promise<void>;
    before(async () => {
      db = await variant.open();
      const ctx = await testContext(db);
      await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
      await onboardTenant(db, ctx.box, { id: 'other', name: 'Other' }, 'test');
      await new TenantRepository(db, ctx.box).setConnection('shop', 'payments', { credentials: { webhookSecret: SECRET } }, 'test');
      app = await buildServer({ db, log: ctx.log }, [apiModule(ctx), paymentWebhookRoutes(ctx)]);
      stop = async () => {
        await app.close();
        await ctx.stop();
        await db.close();
      };
    });
    after(async () => stop?.());

    const post = (tenant: string, body: string, o: { secret?: string; ts?: number; signature?: string } = {}) => {
      const ts = o.ts ?? Math.floor(Date.now() / 1000);
      return app.inject({
        method: 'POST',
        url: `/webhooks/payments/${tenant}`,
        headers: { 'content-type': 'application/json', 'x-vortex-timestamp': String(ts), 'x-vortex-signature': o.signature ?? signPayment(o.secret ?? SECRET, ts, body) },
        payload: body,
      });
    };
    const event = (over: Record<string, unknown> = {}) => JSON.stringify({ orderId: '2004301', status: 'paid', amount: '149.90', currency: 'RON', provider: 'netopia', reference: 'ntp-1', occurredAt: '2026-12-04T10:00:00+02:00', ...over });

    it('records a signed event once; a replay is a duplicate; the order’s payments are listed newest first', async () => {
      const body = event();
      assert.equal((await post('shop', body)).statusCode, 202);
      const again = await post('shop', body);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), { status: 'duplicate' });
      assert.equal((await post('shop', event({ status: 'refunded', occurredAt: '2026-12-05T09:00:00+02:00' }))).statusCode, 202);
      const list = (await app.inject({ method: 'GET', url: '/api/tenants/shop/payments?orderId=2004301' })).json() as { events: Array<{ status: string; amount: string }> };
      assert.deepEqual(list.events.map((e) => [e.status, e.amount]), [['refunded', '149.90'], ['paid', '149.90']]);
    });

    it('refuses a wrong secret, a stale timestamp, an unknown tenant and a tenant without a secret the same way', async () => {
      const body = event({ reference: 'ntp-2' });
      const answers = [
        await post('shop', body, { secret: 'whsec_wrongwrongwrongwrongwrongwrong12' }),
        await post('shop', body, { ts: Math.floor(Date.now() / 1000) - 3600 }),
        await post('nobody', body),
        await post('other', body),
        await post('shop', body, { signature: 'sha256=00' }),
      ];
      for (const a of answers) assert.equal(a.statusCode, 401);
      assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'indistinguishable');
      assert.equal((await db.query("SELECT 1 FROM payment_events WHERE reference = 'ntp-2'")).length, 0);
    });

    it('a well-signed but malformed event is a 400 naming the field, recorded whole', async () => {
      const res = await post('shop', event({ status: 'maybe', amount: '1.999' }));
      assert.equal(res.statusCode, 400);
      assert.match((res.json() as { error: { message: string } }).error.message, /status: .*amount: a decimal amount with at most 2 decimals/);
      const rec = await db.one<{ payload: string }>("SELECT payload FROM webhook_events WHERE source = 'payments' AND status = 'rejected' ORDER BY id DESC LIMIT 1");
      assert.match(rec.payload, /"maybe"/);
    });

    it('the signature check is exact about its window and the bytes signed', () => {
      const raw = Buffer.from('{"a":1}');
      const now = 1_800_000_000_000;
      const ts = now / 1000;
      assert.equal(signatureProblem(SECRET, raw, { signature: signPayment(SECRET, ts, raw), timestamp: String(ts) }, now), null);
      assert.match(signatureProblem(SECRET, Buffer.from('{"a":2}'), { signature: signPayment(SECRET, ts, raw), timestamp: String(ts) }, now) ?? '', /does not verify/);
      assert.match(signatureProblem(SECRET, raw, { signature: signPayment(SECRET, ts - 301, raw), timestamp: String(ts - 301) }, now) ?? '', /window/);
    });
  });
}
