import { SignedWebhook } from '../connectors/alerts/webhook.ts';
import { SmtpMailer } from '../connectors/alerts/smtp.ts';
import type { Config } from '../platform/config.ts';
import { noticeText, noticeTitle, webhookBody } from './message.ts';
import type { Notifier } from './ports.ts';

/** The signed webhook as a Notifier: the Slack-compatible body, with the event and delivery id as headers. */
export function webhookNotifier(o: { url: string; secret?: string | undefined; timeoutMs?: number }): Notifier {
  const hook = new SignedWebhook(o);
  return {
    channel: 'webhook',
    send: async (n) => {
      await hook.post(webhookBody(n), { 'x-vortex-event': `alert.${n.event}`, 'x-vortex-delivery': String(n.deliveryId) });
    },
  };
}

/** E-mail over SMTP as a Notifier: plain text, the title as subject. */
export function emailNotifier(o: { smtpUrl: string; from: string; to: readonly string[]; timeoutMs?: number }): Notifier & { close(): void } {
  const mailer = new SmtpMailer({ url: o.smtpUrl, from: o.from, to: o.to, ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}) });
  return {
    channel: 'email',
    send: async (n) => {
      await mailer.send({ subject: noticeTitle(n), text: noticeText(n), headers: { 'X-Vortex-Alert': n.alert.dedupKey, 'X-Vortex-Delivery': String(n.deliveryId) } });
    },
    close: () => mailer.close(),
  };
}

/** The notifiers the configuration asks for (operator-level: one set for every tenant). */
export function configuredNotifiers(alerts: Config['alerts']): Notifier[] {
  const out: Notifier[] = [];
  if (alerts.webhook) out.push(webhookNotifier(alerts.webhook));
  if (alerts.email) out.push(emailNotifier(alerts.email));
  return out;
}
