import type { AlertNotice } from './ports.ts';

/** How a notice reads (pure): one line for chat and e-mail subjects, a few more for the body. */
export function noticeTitle(n: AlertNotice): string {
  const a = n.alert;
  const head = n.event === 'resolved' ? 'RESOLVED' : n.event === 'reminder' ? 'STILL OPEN' : 'ALERT';
  return `[Vortex] ${head} ${a.tenantId}: ${a.summary}`.slice(0, 250);
}

export function noticeText(n: AlertNotice): string {
  const a = n.alert;
  const lines = [noticeTitle(n), '', `tenant: ${a.tenantId}`, `kind: ${a.kind}${a.subject === '*' ? '' : ` (${a.subject})`}`, `since: ${a.firstSeen.toISOString()}`];
  if (a.resolvedAt) lines.push(`resolved: ${a.resolvedAt.toISOString()} (open ${duration(a.resolvedAt.getTime() - a.firstSeen.getTime())})`);
  const items = (a.detail.items as Array<{ key: string; reason: string | null }> | undefined) ?? [];
  if (items.length && n.event !== 'resolved') lines.push('', 'first items:', ...items.map((i) => `  ${i.key}${i.reason ? ` — ${i.reason}` : ''}`));
  lines.push('', `alert ${a.id} · ${a.dedupKey}`);
  return lines.join('\n');
}

/**
 * The webhook body: Slack-compatible (`text`, plus `blocks` Slack renders; Slack incoming webhooks accept
 * it as is) and machine-readable (`vortex` with the event and the alert) for any other receiver.
 */
export function webhookBody(n: AlertNotice): Record<string, unknown> {
  const a = n.alert;
  return {
    text: noticeTitle(n),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: noticeText(n).replace(/^\[Vortex\] /, '*Vortex* ') } }],
    vortex: {
      event: n.event,
      delivery: n.deliveryId,
      alert: {
        id: a.id,
        tenant: a.tenantId,
        kind: a.kind,
        subject: a.subject,
        dedupKey: a.dedupKey,
        summary: a.summary,
        detail: a.detail,
        firstSeen: a.firstSeen.toISOString(),
        lastSeen: a.lastSeen.toISOString(),
        resolvedAt: a.resolvedAt?.toISOString() ?? null,
      },
    },
  };
}

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}
