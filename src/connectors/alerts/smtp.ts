import nodemailer from 'nodemailer';
import { UpstreamError } from '../../core/errors.ts';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (nodemailer's connection URL); may hold a password: never shown. */
  readonly url: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly timeoutMs?: number;
}

/** Where the SMTP server is, without credentials: for errors and logs. */
export function smtpHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '[bad smtp url]';
  }
}

/** Plain-text e-mail through one SMTP server (nodemailer). One attempt per call; the caller retries. */
export class SmtpMailer {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(private readonly o: SmtpMailerOptions) {
    const t = o.timeoutMs ?? 15_000;
    // Bounded waits: a server that accepts the connection and says nothing must not hold a worker.
    this.transport = nodemailer.createTransport({ url: o.url, connectionTimeout: t, greetingTimeout: t, socketTimeout: t, logger: false, debug: false });
  }

  async send(mail: { subject: string; text: string; headers?: Readonly<Record<string, string>> }): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({ from: this.o.from, to: [...this.o.to], subject: mail.subject, text: mail.text, ...(mail.headers ? { headers: { ...mail.headers } } : {}) });
      return { messageId: String(info.messageId ?? '') };
    } catch (e) {
      // nodemailer's messages name the server and the SMTP answer, never the password; keep them short.
      const msg = (e as Error).message.replace(/\/\/[^@\s]*@/g, '//***@').slice(0, 300);
      throw new UpstreamError(`alert e-mail via ${smtpHost(this.o.url)}: ${msg}`, undefined, { server: smtpHost(this.o.url) });
    }
  }

  close(): void {
    this.transport.close();
  }
}
