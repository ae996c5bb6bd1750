import type { Queryable } from '../store/db.ts';
import type { AlertCondition } from './conditions.ts';
import type { OpenAlert } from './diff.ts';
import type { AlertEvent, AlertNotice } from './ports.ts';

interface AlertRow {
  id: number;
  tenant_id: string;
  kind: string;
  subject: string;
  dedup_key: string;
  summary: string;
  detail: Record<string, unknown>;
  first_seen: Date;
  last_seen: Date;
  resolved_at: Date | null;
  last_notified_at: Date | null;
  reminders: number;
}

export interface DueDelivery {
  readonly id: number;
  readonly event: AlertEvent;
  readonly channel: string;
  readonly attempts: number;
  readonly alert: AlertRow;
}

const toOpen = (r: AlertRow): OpenAlert => ({ id: r.id, dedupKey: r.dedup_key, firstSeen: r.first_seen, lastNotifiedAt: r.last_notified_at, reminders: r.reminders });

/** The alerts tables (migration 083): open alerts, their history and their deliveries. */
export class AlertRepository {
  constructor(private readonly db: Queryable) {}

  async openAlerts(tenantId: string): Promise<OpenAlert[]> {
    return (await this.db.query<AlertRow>('SELECT * FROM alerts WHERE tenant_id = $1 AND resolved_at IS NULL', [tenantId])).map(toOpen);
  }

  /** Open an alert; undefined when one with its key is already open (another evaluator was first). */
  async open(c: AlertCondition, now: Date): Promise<number | undefined> {
    const row = await this.db.maybeOne<{ id: number }>(
      `INSERT INTO alerts (tenant_id, kind, subject, dedup_key, summary, detail, first_seen, last_seen, last_notified_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7, $7)
       ON CONFLICT (dedup_key) WHERE resolved_at IS NULL DO NOTHING RETURNING id`,
      [c.tenantId, c.kind, c.subject, c.dedupKey, c.summary, JSON.stringify(c.detail), now],
    );
    return row?.id;
  }

  async refresh(id: number, c: AlertCondition, now: Date): Promise<void> {
    await this.db.query('UPDATE alerts SET last_seen = $2, summary = $3, detail = $4::jsonb WHERE id = $1 AND resolved_at IS NULL', [id, now, c.summary, JSON.stringify(c.detail)]);
  }

  /** Count a reminder; returns its number (the delivery's seq), or undefined when the alert closed meanwhile. */
  async remind(id: number, now: Date): Promise<number | undefined> {
    return (await this.db.maybeOne<{ reminders: number }>('UPDATE alerts SET reminders = reminders + 1, last_notified_at = $2 WHERE id = $1 AND resolved_at IS NULL RETURNING reminders', [id, now]))?.reminders;
  }

  async resolve(id: number, now: Date): Promise<boolean> {
    return (await this.db.query('UPDATE alerts SET resolved_at = $2 WHERE id = $1 AND resolved_at IS NULL RETURNING id', [id, now])).length > 0;
  }

  /** Queue one notification per channel (idempotent per alert, event, seq and channel). */
  async queue(alertId: number, event: AlertEvent, seq: number, channels: readonly string[], now: Date): Promise<void> {
    for (const channel of channels) {
      await this.db.query(
        'INSERT INTO alert_deliveries (alert_id, event, seq, channel, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (alert_id, event, seq, channel) DO NOTHING',
        [alertId, event, seq, channel, now],
      );
    }
  }

  /**
   * Take up to `limit` deliveries that are due, leased for `leaseSeconds` so no other worker sends them
   * meanwhile (a worker that dies leaves them to be taken again when the lease ends). Oldest first, so an
   * alert's "opened" goes before its "resolved".
   */
  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<DueDelivery[]> {
    const rows = await this.db.query<{ id: number; event: AlertEvent; channel: string; attempts: number; alert_id: number }>(
      `UPDATE alert_deliveries SET lease_until = $1::timestamptz + make_interval(secs => $3), attempts = attempts + 1
       WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                    ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, event, channel, attempts, alert_id`,
      [now, limit, leaseSeconds],
    );
    if (rows.length === 0) return [];
    const alerts = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE id = ANY($1::bigint[])', [[...new Set(rows.map((r) => r.alert_id))]]);
    return rows
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ id: r.id, event: r.event, channel: r.channel, attempts: r.attempts, alert: alerts.find((a) => a.id === r.alert_id)! }))
      .filter((d) => d.alert);
  }

  async sent(id: number, now: Date): Promise<void> {
    await this.db.query("UPDATE alert_deliveries SET status = 'sent', sent_at = $2, lease_until = NULL, last_error = NULL WHERE id = $1", [id, now]);
  }

  /** A failed attempt: kept pending with its error, tried again at `retryAt`. */
  async failed(id: number, error: string, retryAt: Date): Promise<void> {
    await this.db.query('UPDATE alert_deliveries SET last_error = $2, next_attempt_at = $3, lease_until = NULL WHERE id = $1', [id, error.slice(0, 1000), retryAt]);
  }

  /** Alerts, newest first, with their deliveries' state: of the given tenants (undefined = all). */
  async list(opts: { tenants?: readonly string[]; state: 'open' | 'resolved' | 'all'; limit: number }): Promise<AlertView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.tenants) {
      params.push([...opts.tenants]);
      where.push(`a.tenant_id = ANY($${params.length}::text[])`);
    }
    if (opts.state === 'open') where.push('a.resolved_at IS NULL');
    if (opts.state === 'resolved') where.push('a.resolved_at IS NOT NULL');
    params.push(opts.limit);
    const rows = await this.db.query<AlertRow & { deliveries: DeliveryView[] | null }>(
      `SELECT a.*, (SELECT json_agg(json_build_object('channel', d.channel, 'event', d.event, 'status', d.status, 'attempts', d.attempts, 'lastError', d.last_error,
                                                      'nextAttemptAt', d.next_attempt_at, 'sentAt', d.sent_at) ORDER BY d.id)
                    FROM alert_deliveries d WHERE d.alert_id = a.id) AS deliveries
       FROM alerts a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind,
      subject: r.subject,
      dedupKey: r.dedup_key,
      summary: r.summary,
      detail: r.detail,
      state: r.resolved_at ? 'resolved' : 'open',
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      resolvedAt: r.resolved_at,
      lastNotifiedAt: r.last_notified_at,
      deliveries: r.deliveries ?? [],
    }));
  }
}

export interface DeliveryView {
  channel: string;
  event: string;
  status: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
}

export interface AlertView {
  id: number;
  tenantId: string;
  kind: string;
  subject: string;
  dedupKey: string;
  summary: string;
  detail: Record<string, unknown>;
  state: 'open' | 'resolved';
  firstSeen: Date;
  lastSeen: Date;
  resolvedAt: Date | null;
  lastNotifiedAt: Date | null;
  deliveries: DeliveryView[];
}

/** The notice a delivery carries. */
export function noticeOf(d: DueDelivery): AlertNotice {
  const a = d.alert;
  return {
    event: d.event,
    deliveryId: d.id,
    alert: { id: a.id, tenantId: a.tenant_id, kind: a.kind, subject: a.subject, dedupKey: a.dedup_key, summary: a.summary, detail: a.detail, firstSeen: a.first_seen, lastSeen: a.last_seen, resolvedAt: a.resolved_at },
  };
}
