/**
 * Where alert notifications go, as a port. Adapters live in src/connectors/alerts (a signed webhook with
 * a Slack-compatible body, e-mail over SMTP); tests use real receivers.
 */
export type AlertEvent = 'opened' | 'reminder' | 'resolved';

/** One alert as a notification carries it. */
export interface AlertNotice {
  readonly event: AlertEvent;
  readonly deliveryId: number;
  readonly alert: {
    readonly id: number;
    readonly tenantId: string;
    readonly kind: string;
    readonly subject: string;
    readonly dedupKey: string;
    readonly summary: string;
    readonly detail: Readonly<Record<string, unknown>>;
    readonly firstSeen: Date;
    readonly lastSeen: Date;
    readonly resolvedAt: Date | null;
  };
}

export interface Notifier {
  /** The channel name deliveries are recorded under (`webhook`, `email`). */
  readonly channel: string;
  /** Deliver one notice, or throw (the delivery stays pending and is tried again later). */
  send(notice: AlertNotice): Promise<void>;
}
