import { createHmac } from 'node:crypto';
import { UpstreamError } from '../../core/errors.ts';

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the shared secret. */
export const SIGNATURE_HEADER = 'x-vortex-signature';

export function signBody(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Where a URL points, without its path (a Slack webhook URL's path is its secret): for errors and logs. */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '[bad url]';
  }
}

export interface SignedWebhookOptions {
  readonly url: string;
  /** HMAC key; unset = unsigned (a Slack incoming-webhook URL is its own secret). */
  readonly secret?: string | undefined;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * POST JSON to one URL, signed. One attempt per call: the caller keeps what failed and tries again
 * later (a timeout may have been delivered; receivers deduplicate on `x-vortex-delivery`).
 */
export class SignedWebhook {
  constructor(private readonly o: SignedWebhookOptions) {}

  async post(payload: unknown, headers: Readonly<Record<string, string>> = {}): Promise<{ status: number }> {
    const body = JSON.stringify(payload);
    const t = Math.floor((this.o.now?.() ?? new Date()).getTime() / 1000);
    const all: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'vortex-alerts', ...headers };
    if (this.o.secret) all[SIGNATURE_HEADER] = signBody(this.o.secret, t, body);
    const where = urlOrigin(this.o.url);
    let res: Response;
    try {
      res = await fetch(this.o.url, { method: 'POST', headers: all, body, signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000), redirect: 'error' });
    } catch (e) {
      const timedOut = (e as Error).name === 'TimeoutError';
      throw new UpstreamError(`alert webhook ${where}: ${timedOut ? `no answer within ${this.o.timeoutMs ?? 10_000} ms` : `network error ${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`}`, undefined, { url: where });
    }
    const text = await res.text().catch(() => '');
    if (res.status < 200 || res.status >= 300) throw new UpstreamError(`alert webhook ${where}: HTTP ${res.status} ${text.slice(0, 200)}`.trim(), res.status, { url: where });
    return { status: res.status };
  }
}
