import { generateKeyPairSync, sign } from 'node:crypto';
import type { SimState, Subscription } from './state.ts';
import { lexTime } from './util.ts';

/** The 42 event types of research §6.2. */
export const EVENT_TYPES: readonly string[] = [
  'article.created', 'article.changed', 'article.deleted',
  'contact.created', 'contact.changed', 'contact.deleted',
  'credit-note.created', 'credit-note.changed', 'credit-note.deleted', 'credit-note.status.changed',
  'delivery-note.created', 'delivery-note.changed', 'delivery-note.deleted', 'delivery-note.status.changed',
  'down-payment-invoice.created', 'down-payment-invoice.changed', 'down-payment-invoice.deleted', 'down-payment-invoice.status.changed',
  'dunning.created', 'dunning.changed', 'dunning.deleted',
  'invoice.created', 'invoice.changed', 'invoice.deleted', 'invoice.status.changed',
  'order-confirmation.created', 'order-confirmation.changed', 'order-confirmation.deleted', 'order-confirmation.status.changed',
  'payment.changed',
  'quotation.created', 'quotation.changed', 'quotation.deleted', 'quotation.status.changed',
  'recurring-template.created', 'recurring-template.changed', 'recurring-template.deleted',
  'token.revoked',
  'voucher.created', 'voucher.changed', 'voucher.deleted', 'voucher.status.changed',
];

export interface KeyPair {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

/** The simulator's own signing key (the real one is Lexware's 4096-bit key; 2048 bits keep start-up fast). */
export function generateSigningKey(bits = 2048): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** X-Lxo-Signature: base64 RSASSA-PKCS1-v1_5 / SHA-512 over the compact JSON body. */
export function signBody(body: Buffer | string, privateKeyPem: string): string {
  return sign('sha512', Buffer.from(body), privateKeyPem).toString('base64');
}

export interface Delivery {
  readonly at: string;
  readonly subscriptionId: string;
  readonly callbackUrl: string;
  readonly eventType: string;
  readonly resourceId: string;
  readonly attempt: number;
  readonly status: number | null;
  readonly error?: string;
}

export interface WebhookOptions {
  /** Delays between delivery attempts (the real plan is 10, 20, 40, 80, 160 s, then every 2 h). */
  readonly retryDelaysMs: readonly number[];
  /** The real service waits 5 s for an answer. */
  readonly timeoutMs: number;
}

/**
 * Delivers signed callbacks for every subscription of an event type, asynchronously (never blocks the
 * API call that caused it), with the documented semantics: 200/201/202/204 = success; 401/403/429/5xx
 * and network errors retried; 410 removes the subscription at once; other 4xx are not retried.
 */
export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly state: () => SimState,
    private readonly keys: KeyPair,
    private readonly opts: WebhookOptions,
  ) {}

  emit(eventType: string, resourceId: string, at: Date = new Date()): void {
    const st = this.state();
    for (const s of st.subscriptions.values()) {
      if (s.eventType !== eventType) continue;
      const body = JSON.stringify({ organizationId: st.organizationId, eventType, resourceId, eventDate: lexTime(at) });
      const p = this.deliver(s, body, resourceId, 0).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Resolves when every delivery in flight (including retries) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(s: Subscription, body: string, resourceId: string, attempt: number): Promise<void> {
    if (this.closed) return;
    let status: number | null = null;
    let error: string | undefined;
    try {
      const res = await fetch(s.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lxo-signature': signBody(body, this.keys.privateKeyPem) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = (e as Error).message;
    }
    this.deliveries.push({ at: lexTime(new Date()), subscriptionId: s.subscriptionId, callbackUrl: s.callbackUrl, eventType: s.eventType, resourceId, attempt, status, ...(error ? { error } : {}) });
    if (this.deliveries.length > 5000) this.deliveries.splice(0, 1000);
    if (status !== null && [200, 201, 202, 204].includes(status)) return;
    if (status === 410) {
      this.state().subscriptions.delete(s.subscriptionId);
      return;
    }
    const retryable = status === null || status === 401 || status === 403 || status === 404 || status === 429 || status >= 500;
    const delay = this.opts.retryDelaysMs[attempt];
    if (retryable && delay === undefined && (status === 404 || status === null)) {
      // 404 or an unreachable host through the whole retry plan: the subscription is deleted.
      this.state().subscriptions.delete(s.subscriptionId);
      return;
    }
    if (!retryable || delay === undefined || this.closed) return;
    await new Promise((r) => setTimeout(r, delay).unref());
    await this.deliver(s, body, resourceId, attempt + 1);
  }
}
