import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alertCycle } from '../../src/alerts/alerts-job.ts';
import { emailNotifier, webhookNotifier } from '../../src/alerts/notifiers.ts';
import type { Notifier } from '../../src/alerts/ports.ts';
import type { Db } from '../../src/store/db.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors.ts';
import { actionItemGroup } from '../../src/sync/action-items.ts';
import { defineJob } from '../../src/sync/jobs.ts';
import { runVortex } from '../helpers/process.ts';
import { signatureValid, startSmtpReceiver, startWebhookReceiver } from '../helpers/receivers.ts';
import { storeVariants } from '../helpers/stores.ts';
import { startWorld, TENANT, type World } from '../helpers/world.ts';

/**
 * Alerts end to end on both stores: a tenant on the simulators, real conditions (runs that completed
 * long ago, runs refused with lexoffice 401, a quarantined order), the alert cycle the job runs, and real
 * receivers — an HTTP server checking the HMAC signature and an SMTP server (smtp-server) taking the mail.
 */
const SECRET = 'alert-webhook-secret-0123456789';

for (const variant of await storeVariants()) {
  describe(`alerts (${variant.name})`, { skip: variant.skip }, () => {
    let world: World;
    let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
    let notifiers: Notifier[];
    let mailer: ReturnType<typeof emailNotifier>;
    const cycle = (now = new Date(), db: Db = world.db) => alertCycle({ db, log: world.ctx.log }, notifiers, 24, now);
    /** The webhook requests and mails since the mark, as [event, kind] pairs. */
    let mark = { hooks: 0, mails: 0 };
    const since = () => {
      const hooks = hook.requests.slice(mark.hooks);
      const mails = smtp.mails.slice(mark.mails);
      mark = { hooks: hook.requests.length, mails: smtp.mails.length };
      return { hooks, mails, events: hooks.map((r) => JSON.parse(r.body) as { text: string; vortex: { event: string; alert: { kind: string; subject: string; dedupKey: string } } }) };
    };
    const openAlerts = () => world.db.query<{ kind: string; subject: string }>('SELECT kind, subject FROM alerts WHERE resolved_at IS NULL ORDER BY kind, subject');

    before(async () => {
      world = await startWorld(variant, { articles: 12 });
      hook = await startWebhookReceiver();
      smtp = await startSmtpReceiver();
      mailer = emailNotifier({ smtpUrl: smtp.url, from: 'Vortex <vortex@example.com>', to: ['ops@example.com'] });
      notifiers = [webhookNotifier({ url: hook.url, secret: SECRET, timeoutMs: 5000 }), mailer];
      await world.sync(['catalog', 'stock']);
      assert.deepEqual((await cycle()).opened, 0, 'a healthy tenant raises nothing');
      since();
    });
    after(async () => {
      mailer?.close();
      await hook?.close();
      await smtp?.close();
      await world?.close();
    });

    it('an action item (a quarantined order): one signed webhook and one e-mail; repeated → nothing; cleared → one "resolved"', async () => {
      await world.db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state, reason_code, reason) VALUES ($1, '9001', '{}'::jsonb, 'h', 'quarantined', 'unknown_sku', 'model X-1 is not in lexoffice')`, [TENANT]);
      const r = await cycle();
      assert.equal(r.opened, 1);
      const { hooks, mails, events } = since();
      assert.equal(hooks.length, 1);
      assert.equal(mails.length, 1);
      assert.ok(signatureValid(SECRET, hooks[0]!.headers['x-vortex-signature'] as string, hooks[0]!.body), 'HMAC signature over timestamp + body');
      assert.ok(!signatureValid('another-secret-0123456789', hooks[0]!.headers['x-vortex-signature'] as string, hooks[0]!.body));
      assert.equal(hooks[0]!.headers['x-vortex-event'], 'alert.opened');
      assert.equal(hooks[0]!.headers['content-type'], 'application/json');
      assert.equal(events[0]!.vortex.alert.kind, 'quarantined_orders');
      assert.equal(events[0]!.vortex.alert.dedupKey, `${TENANT}/quarantined_orders/*`);
      assert.match(events[0]!.text, /1 Cel\.ro order quarantined/);
      assert.match(mails[0]!.subject, /ALERT shop: 1 Cel\.ro order quarantined/);
      assert.deepEqual(mails[0]!.to, ['ops@example.com']);
      assert.match(mails[0]!.text, /9001 — model X-1 is not in lexoffice/);
      assert.ok(smtp.logins.includes('alerts:smtp-password-1'), 'the SMTP URL’s credentials were used');

      // The condition persists (and grows): no second notification.
      await world.db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state) VALUES ($1, '9002', '{}'::jsonb, 'h', 'quarantined')`, [TENANT]);
      for (let i = 0; i < 3; i++) await cycle();
      assert.deepEqual(since().hooks, []);
      assert.deepEqual(await openAlerts(), [{ kind: 'quarantined_orders', subject: '*' }]);
      assert.match((await world.db.one<{ summary: string }>('SELECT summary FROM alerts WHERE resolved_at IS NULL')).summary, /^2 Cel\.ro orders/);

      // Cleared: one "resolved" each way, the alert closed.
      await world.db.query("UPDATE channel_orders SET state = 'cancelled' WHERE tenant_id = $1 AND channel_order_id IN ('9001', '9002')", [TENANT]);
      assert.equal((await cycle()).resolved, 1);
      const cleared = since();
      assert.deepEqual(cleared.events.map((e) => [e.vortex.event, e.vortex.alert.kind]), [['resolved', 'quarantined_orders']]);
      assert.equal(cleared.mails.length, 1);
      assert.match(cleared.mails[0]!.subject, /RESOLVED/);
      assert.deepEqual(await openAlerts(), []);
      await cycle();
      assert.deepEqual(since().hooks, []);
    });

    it('a dead job is an action item until a job with the same key is queued again or completes after it', async () => {
      const job = defineJob({ name: 'test.alerts.doomed', payload: z.object({ tenantId: z.string(), n: z.number() }), policy: 'stately', retryLimit: 0 });
      let failing = true;
      const done: number[] = [];
      await world.ctx.queue.work(job, async (p) => {
        if (failing) throw new ValidationError('cannot map this', []);
        done.push(p.n);
        return {};
      });
      const until = async (what: string, ok: () => Promise<boolean>) => {
        for (let i = 0; i < 120 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 250));
        assert.ok(await ok(), what);
      };
      const dead = () => actionItemGroup(world.db, TENANT, 'deadJobs');
      await world.ctx.queue.send(job, { tenantId: TENANT, n: 1 }, { singletonKey: `${TENANT}/x` });
      await until('the job is dead-lettered and counted', async () => (await dead()).count === 1);
      assert.match((await dead()).items[0]!.reason ?? '', /cannot map this/);
      // The work is done again under the same key: the dead letter is history.
      failing = false;
      await world.ctx.queue.send(job, { tenantId: TENANT, n: 2 }, { singletonKey: `${TENANT}/x` });
      await until('the later job completed', async () => done.includes(2));
      assert.equal((await dead()).count, 0, 'a dead letter whose work completed later is not an action item');
    });

    it('disconnected: two runs refused with lexoffice 401 → one alert; the key fixed and a run through → resolved', async () => {
      const tenants = new TenantRepository(world.db, world.ctx.box);
      const lex = await tenants.getConnection(TENANT, 'lexoffice');
      await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: 'a-key-lexoffice-refuses' }, baseUrl: lex.baseUrl, settings: lex.settings }, 'test');
      for (let i = 0; i < 2; i++) await assert.rejects(world.sync(['catalog']), /401|unauthori[sz]ed|API key/i);
      await cycle();
      const { events, mails } = since();
      assert.deepEqual(events.map((e) => [e.vortex.event, e.vortex.alert.kind, e.vortex.alert.subject]), [['opened', 'disconnected', 'lexoffice']]);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!.subject, /lexoffice connection disconnected/);
      await cycle();
      assert.deepEqual(since().hooks, []);

      await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: world.lex.apiKey }, baseUrl: lex.baseUrl, settings: lex.settings }, 'test');
      await world.sync(['catalog']);
      await cycle();
      const fixed = since();
      assert.deepEqual(fixed.events.map((e) => [e.vortex.event, e.vortex.alert.kind, e.vortex.alert.subject]), [['resolved', 'disconnected', 'lexoffice']]);
      assert.equal(fixed.mails.length, 1);
      assert.deepEqual(await openAlerts(), []);
    });

    it('stalled: no run completed in 3 heartbeat intervals → one alert per connection; a run completes → resolved', async () => {
      // The runs completed 16 minutes ago (the heartbeat is 5 minutes): as if the workers stopped then.
      await world.db.query("UPDATE sync_runs SET started_at = started_at - interval '16 minutes', finished_at = finished_at - interval '16 minutes' WHERE tenant_id = $1", [TENANT]);
      await world.db.query("UPDATE connections SET created_at = created_at - interval '1 hour' WHERE tenant_id = $1", [TENANT]);
      await cycle();
      const { events, mails } = since();
      assert.deepEqual(events.map((e) => [e.vortex.event, e.vortex.alert.kind, e.vortex.alert.subject]).sort(), [
        ['opened', 'stalled', 'celro'],
        ['opened', 'stalled', 'lexoffice'],
      ]);
      assert.equal(mails.length, 2);
      assert.match(events[0]!.text, /connection stalled: no sync run completed since .* \(3 heartbeats = 15 min\)/);
      await cycle();
      assert.deepEqual(since().hooks, []);

      await world.sync(['stock']);
      await cycle();
      const back = since();
      assert.deepEqual(back.events.map((e) => [e.vortex.event, e.vortex.alert.kind, e.vortex.alert.subject]).sort(), [
        ['resolved', 'stalled', 'celro'],
        ['resolved', 'stalled', 'lexoffice'],
      ]);
      assert.equal(back.mails.length, 2);
      assert.deepEqual(await openAlerts(), []);
    });

    it('a receiver answering 500: the notification stays pending with its error and is delivered later, once', async () => {
      hook.status = 500;
      await world.db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state, invoice_state, invoice_reason) VALUES ($1, '9100', '{}'::jsonb, 'h', 'acknowledged', 'failed', 'PDF over the size limit')`, [TENANT]);
      const t0 = new Date();
      const first = await cycle(t0);
      assert.equal(first.failed, 1);
      assert.equal(first.sent, 1, 'the e-mail went out');
      const failed = since();
      assert.equal(failed.hooks.length, 1);
      assert.equal(failed.hooks[0]!.status, 500);
      const pending = await world.db.one<{ status: string; attempts: number; last_error: string; next_attempt_at: Date }>("SELECT status, attempts, last_error, next_attempt_at FROM alert_deliveries WHERE channel = 'webhook' AND status = 'pending'");
      assert.equal(pending.attempts, 1);
      assert.match(pending.last_error, /HTTP 500/);
      assert.ok(!pending.last_error.includes('vortex-secret-path'), 'the URL’s path (its secret, for Slack) is not kept');
      assert.ok(pending.next_attempt_at.getTime() > t0.getTime());
      // Shown by the API too.
      const api = await fetch(`${world.webUrl}/api/tenants/${TENANT}/alerts`);
      assert.equal(api.status, 200);
      const body = (await api.json()) as { alerts: Array<{ kind: string; deliveries: Array<{ channel: string; status: string; attempts: number; lastError: string | null }> }> };
      assert.equal(body.alerts[0]!.kind, 'failed_invoice_uploads');
      assert.deepEqual(
        body.alerts[0]!.deliveries.map((d) => [d.channel, d.status, d.attempts, /HTTP 500/.test(d.lastError ?? '')]),
        [
          ['webhook', 'pending', 1, true],
          ['email', 'sent', 1, false],
        ],
      );

      // And by `vortex alerts`, through the running instance's API.
      const cli = await runVortex(['alerts', '--tenant', TENANT, '--url', world.webUrl], { VORTEX_DATA_DIR: path.join(os.tmpdir(), 'vortex-alerts-cli-no-token') });
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, new RegExp(`^${TENANT} +failed_invoice_uploads .*1 delivery pending: .*HTTP 500`, 'm'));

      await cycle(t0); // not due yet: nothing sent
      assert.equal(since().hooks.length, 0);
      hook.status = 200;
      const later = await cycle(new Date(t0.getTime() + 31_000));
      assert.equal(later.sent, 1);
      const retried = since();
      assert.equal(retried.hooks.length, 1);
      assert.equal(retried.hooks[0]!.headers['x-vortex-delivery'], failed.hooks[0]!.headers['x-vortex-delivery'], 'the same delivery, tried again');
      assert.equal(retried.events[0]!.vortex.alert.kind, 'failed_invoice_uploads');
      assert.equal(retried.mails.length, 0, 'the e-mail is not sent twice');
      await cycle(new Date(t0.getTime() + 10 * 60_000)); // sent: nothing more to send (and not yet stalled)
      assert.equal(since().hooks.length, 0);
      await world.db.query("UPDATE channel_orders SET invoice_state = 'attached' WHERE channel_order_id = '9100'");
      await cycle();
      assert.equal(since().events.filter((e) => e.vortex.event === 'resolved').length, 1);
    });

    it('two evaluators at once (two connections to the store): one notification', async () => {
      const other: Db = variant.name === 'postgres' ? await openPostgres({ url: world.db.url!, poolMax: 3 }) : world.db;
      try {
        await world.db.query(`INSERT INTO channel_orders (tenant_id, channel_order_id, raw, raw_hash, state) VALUES ($1, '9200', '{}'::jsonb, 'h', 'quarantined')`, [TENANT]);
        const now = new Date();
        const results = await Promise.all([cycle(now), cycle(now, other), cycle(now), cycle(now, other)]);
        assert.equal(results.reduce((n, r) => n + r.opened, 0), 1);
        const { hooks, mails } = since();
        assert.equal(hooks.length, 1);
        assert.equal(mails.length, 1);
        assert.equal((await world.db.one<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE kind = 'quarantined_orders' AND resolved_at IS NULL")).n, 1);
      } finally {
        if (other !== world.db) await other.close();
      }
    });
  });
}
