import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertConditions, dedupKey, type AlertCondition, type TenantSnapshot } from '../../src/alerts/conditions.ts';
import { diffAlerts, type OpenAlert } from '../../src/alerts/diff.ts';
import { noticeText, noticeTitle, webhookBody } from '../../src/alerts/message.ts';
import type { ConnectionStatus } from '../../src/sync/connection-status.ts';

const now = new Date('2026-12-04T10:00:00Z');
const cond = (kind: AlertCondition['kind'], subject = '*', summary = 'x'): AlertCondition => ({ tenantId: 't1', kind, subject, dedupKey: dedupKey('t1', kind, subject), summary, detail: {} });
const open = (id: number, c: AlertCondition, firstSeen = now, lastNotifiedAt: Date | null = null): OpenAlert => ({ id, dedupKey: c.dedupKey, firstSeen, lastNotifiedAt, reminders: 0 });
const conn = (system: string, health: ConnectionStatus['health'], lastError: string | null = null): ConnectionStatus => ({ system, configured: true, enabled: true, health, lastHeartbeatAt: new Date('2026-12-04T09:40:00Z'), nextHeartbeatAt: null, lastError });
const none = { count: 0, items: [] };
const snapshot = (over: Partial<TenantSnapshot> = {}): TenantSnapshot => ({
  tenant: { id: 't1', name: 'T1' },
  heartbeatMinutes: 5,
  connections: [conn('lexoffice', 'fresh'), conn('celro', 'fresh')],
  actionItems: { quarantinedOrders: none, deadJobs: none, rejectedProducts: none, failedInvoiceUploads: none },
  ...over,
});

describe('alert conditions (pure)', () => {
  it('a healthy tenant has none', () => {
    assert.deepEqual(alertConditions(snapshot()), []);
  });

  it('stalled and disconnected connections, one each; unconfigured or disabled ones raise nothing', () => {
    const c = alertConditions(snapshot({ connections: [conn('lexoffice', 'disconnected', 'lexoffice GET /v1/articles → 401: Unauthorized'), conn('celro', 'stalled'), conn('fancourier', 'disabled'), conn('sameday', 'unconfigured')] }));
    assert.deepEqual(
      c.map((x) => [x.kind, x.subject, x.dedupKey]),
      [
        ['disconnected', 'lexoffice', 't1/disconnected/lexoffice'],
        ['stalled', 'celro', 't1/stalled/celro'],
      ],
    );
    assert.match(c[0]!.summary, /credentials were refused \(lexoffice GET \/v1\/articles → 401: Unauthorized\)/);
    assert.equal(c[1]!.summary, 'Cel.ro connection stalled: no sync run completed since 2026-12-04T09:40:00.000Z (3 heartbeats = 15 min)');
  });

  it('one alert per kind of action item, whatever the count, with the first items', () => {
    const items = [{ key: '1001', reason: 'unknown SKU', at: now }];
    const c = alertConditions(snapshot({ actionItems: { quarantinedOrders: { count: 40, items }, deadJobs: { count: 1, items: [] }, rejectedProducts: none, failedInvoiceUploads: { count: 2, items: [] } } }));
    assert.deepEqual(
      c.map((x) => x.dedupKey),
      ['t1/quarantined_orders/*', 't1/dead_jobs/*', 't1/failed_invoice_uploads/*'],
    );
    assert.equal(c[0]!.summary, '40 Cel.ro orders quarantined (not imported into lexoffice until fixed and replayed)');
    assert.deepEqual(c[0]!.detail, { count: 40, items: [{ key: '1001', reason: 'unknown SKU', at: now.toISOString() }] });
  });
});

describe('alert diff (pure)', () => {
  it('opens what is new, keeps what persists (a changed summary is the same alert), resolves what is gone', () => {
    const stalled = cond('stalled', 'celro');
    const quarantined = cond('quarantined_orders');
    const dead = cond('dead_jobs');
    const d = diffAlerts([cond('stalled', 'celro'), { ...quarantined, summary: '4 orders' }], [open(1, quarantined), open(2, dead)], now);
    assert.deepEqual(d.open, [stalled]);
    assert.deepEqual(
      d.keep.map((k) => [k.alert.id, k.condition.summary]),
      [[1, '4 orders']],
    );
    assert.deepEqual(
      d.resolve.map((a) => a.id),
      [2],
    );
    assert.deepEqual(d.remind, []);
  });

  it('the same cause twice in one evaluation is one alert', () => {
    const c = cond('rejected_products');
    assert.equal(diffAlerts([c, c], [], now).open.length, 1);
  });

  it('nothing open and nothing found: nothing to do', () => {
    assert.deepEqual(diffAlerts([], [], now), { open: [], keep: [], remind: [], resolve: [] });
  });

  it('reminds once the interval passed since the last notification (or the opening); never with 0', () => {
    const c = cond('stalled', 'lexoffice');
    const day = 24 * 3_600_000;
    const opened = new Date(now.getTime() - day - 1);
    assert.deepEqual(
      diffAlerts([c], [open(1, c, opened)], now, day).remind.map((a) => a.id),
      [1],
    );
    assert.deepEqual(diffAlerts([c], [open(1, c, opened, new Date(now.getTime() - 60_000))], now, day).remind, []);
    assert.deepEqual(diffAlerts([c], [open(1, c, opened)], now, 0).remind, []);
    assert.deepEqual(diffAlerts([], [open(1, c, opened)], now, day).remind, [], 'a resolved alert is not reminded');
  });
});

describe('alert messages (pure)', () => {
  const notice = (event: 'opened' | 'resolved') => ({
    event,
    deliveryId: 7,
    alert: { id: 3, tenantId: 'shop', kind: 'quarantined_orders', subject: '*', dedupKey: 'shop/quarantined_orders/*', summary: '2 Cel.ro orders quarantined', detail: { count: 2, items: [{ key: '1001', reason: 'unknown SKU' }] }, firstSeen: now, lastSeen: now, resolvedAt: event === 'resolved' ? new Date(now.getTime() + 42 * 60_000) : null },
  });

  it('a Slack-compatible body: text, blocks, and the alert for machines', () => {
    const b = webhookBody(notice('opened')) as { text: string; blocks: Array<{ type: string; text: { type: string; text: string } }>; vortex: { event: string; alert: { dedupKey: string } } };
    assert.equal(b.text, '[Vortex] ALERT shop: 2 Cel.ro orders quarantined');
    assert.equal(b.blocks[0]!.type, 'section');
    assert.match(b.blocks[0]!.text.text, /1001 — unknown SKU/);
    assert.equal(b.vortex.event, 'opened');
    assert.equal(b.vortex.alert.dedupKey, 'shop/quarantined_orders/*');
  });

  it('a resolved notice says so and for how long it was open', () => {
    assert.equal(noticeTitle(notice('resolved')), '[Vortex] RESOLVED shop: 2 Cel.ro orders quarantined');
    assert.match(noticeText(notice('resolved')), /resolved: .* \(open 42 min\)/);
  });
});
