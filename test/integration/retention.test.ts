import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { applyRetention } from '../../src/sync/retention.ts';
import { API_CALLS_LIVE, histogramByTenant, PUBLISH_SECONDS_BUCKETS, publishDurations, RUNS_LIVE, totalsByTenant } from '../../src/sync/run-metrics.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { storeVariants } from '../helpers/stores.ts';

for (const variant of await storeVariants()) {
  describe(`retention on ${variant.name}`, { skip: variant.skip }, () => {
    it('deletes only finished records older than the window, with their item failures, keeping what /metrics counted', async () => {
      const db = await variant.open();
      try {
        await new TenantRepository(db, createSecretBox(randomBytes(32).toString('base64'))).create({ id: 'shop', name: 'Shop' }, 'test');
        const run = async (ageDays: number, status: string) =>
          (await db.one<{ id: number }>(`INSERT INTO sync_runs (tenant_id, triggers, what, status, started_at) VALUES ('shop', '{t}', '{stock}', $1, now() - make_interval(days => $2)) RETURNING id`, [status, ageDays])).id;
        const old = await run(40, 'partial');
        const recent = await run(5, 'succeeded');
        const stuck = await run(40, 'running');
        await db.query("INSERT INTO sync_failures (run_id, tenant_id, step, code, message) VALUES ($1, 'shop', 's', 'e', 'old'), ($2, 'shop', 's', 'e', 'recent')", [old, recent]);
        await db.query("INSERT INTO webhook_events (tenant_id, source, status, payload, received_at) VALUES ('shop', 'lexoffice', 'accepted', '{}', now() - interval '31 days'), ('shop', 'lexoffice', 'accepted', '{}', now())");
        await db.query("INSERT INTO login_attempts (email, ip, ok, at) VALUES ('a@b.c', '1.2.3.4', false, now() - interval '31 days'), ('a@b.c', '1.2.3.4', false, now())");
        const user = await db.one<{ id: number }>("INSERT INTO users (email, role, password_hash, created_by) VALUES ('a@b.c', 'operator', 'x', 'test') RETURNING id");
        await db.query("INSERT INTO user_sessions (token_hash, user_id, csrf_token, expires_at) VALUES ('expired', $1, 'c', now() - interval '1 minute'), ('live', $1, 'c', now() + interval '1 hour')", [user.id]);
        await db.query("UPDATE sync_runs SET what = '{catalog}', finished_at = started_at + interval '90 seconds' WHERE id IN ($1, $2)", [old, recent]);
        await db.query("INSERT INTO api_call_counts (minute, tenant_id, api, outcome, n) VALUES (date_trunc('minute', now() - interval '31 days'), 'shop', 'lexoffice', 'ok', 7), (date_trunc('minute', now()), 'shop', 'lexoffice', 'ok', 3)");
        const counters = async () => ({
          runs: await totalsByTenant(db, RUNS_LIVE, 'sync_runs'),
          calls: await totalsByTenant(db, API_CALLS_LIVE, 'api_calls'),
          publish: [...(await histogramByTenant(db, publishDurations(), PUBLISH_SECONDS_BUCKETS, 'publish_seconds'))],
        });
        const before = await counters();
        assert.deepEqual(before.calls, [{ tenant: 'shop', label: 'lexoffice ok', value: 10 }]);
        assert.equal(before.publish[0]![1].count, 2);
        const deleted = await applyRetention(db, 30);
        assert.deepEqual(await counters(), before, 'counters and histograms do not go down when retention deletes rows');
        assert.deepEqual(deleted, { syncRuns: 1, apiCallMinutes: 1, webhookEvents: 1, stockDrift: 0, reservations: 0, loginAttempts: 1, expiredSessions: 1 });
        assert.deepEqual((await db.query<{ token_hash: string }>('SELECT token_hash FROM user_sessions')).map((r) => r.token_hash), ['live']);
        const left = (await db.query<{ id: number }>('SELECT id FROM sync_runs ORDER BY id')).map((r) => r.id);
        assert.deepEqual(left, [recent, stuck]);
        assert.deepEqual((await db.query<{ message: string }>('SELECT message FROM sync_failures')).map((r) => r.message), ['recent']);
      } finally {
        await db.close();
      }
    });
  });
}
