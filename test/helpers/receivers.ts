import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedRequest {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/** A real HTTP receiver for alert webhooks: records every request and answers `status` (settable). */
export async function startWebhookReceiver(): Promise<{ url: string; requests: CapturedRequest[]; status: number; close(): Promise<void> }> {
  const state = { status: 200, requests: [] as CapturedRequest[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = state.status;
      state.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'receiver down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/vortex-secret-path`,
    requests: state.requests,
    get status() {
      return state.status;
    },
    set status(s: number) {
      state.status = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Check `x-vortex-signature: t=<unix>,v1=<hex>` as a receiver would: HMAC-SHA256 of "<t>.<body>", timestamp within 5 minutes. */
export function signatureValid(secret: string, header: string | undefined, body: string, now = Date.now()): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(now / 1000 - Number(m[1])) > 300) return false;
  const want = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(m[2]!, 'hex'));
}

export interface CapturedMail {
  readonly from: string | undefined;
  readonly to: string[];
  readonly raw: string;
  /** Decoded (RFC 2047 encoded words). */
  readonly subject: string;
  /** The body, decoded (quoted-printable). */
  readonly text: string;
}

function hexBytes(s: string): string {
  return Buffer.from(s.replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

function decodeQp(s: string): string {
  return hexBytes(s.replace(/=\r\n/g, ''));
}

function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) => (enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : hexBytes(text.replace(/_/g, ' '))));
}

/** A real SMTP server (smtp-server) on loopback, plain (no TLS), accepting any sender: records each message. */
export async function startSmtpReceiver(): Promise<{ url: string; mails: CapturedMail[]; logins: string[]; close(): Promise<void> }> {
  const mails: CapturedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password ?? ''}`);
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head = '', ...rest] = raw.split('\r\n\r\n');
        const subject = decodeWords(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(head)?.[1]?.replace(/\r\n([ \t])/g, '$1') ?? '');
        const body = rest.join('\r\n\r\n');
        const text = /quoted-printable/i.test(head) ? decodeQp(body) : body;
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined, to: session.envelope.rcptTo.map((r) => r.address), raw, subject, text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://alerts:smtp-password-1@127.0.0.1:${port}`, mails, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
