import { readFileSync } from 'node:fs';
import type { CelroSim } from '../../sim/celro/server.ts';

/** Raw HTTP to the Cel.ro simulator, and the recorded SDK requests (test/fixtures/real/celro). */

export interface RawReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface SdkRequests {
  readonly captured: readonly { route: string; body: string }[];
  readonly capturedMultipart: { route: string; boundary: string; parts: [string, string][]; file: { name: string; filename: string } };
  readonly derived: readonly { route: string; body: string }[];
}

const fixtures = new URL('../fixtures/real/celro/', import.meta.url);

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as T;
}

export const sdkRequests = (): SdkRequests => fixture<SdkRequests>('sdk-requests.json');

/** The SDK's multipart body byte for byte as Guzzle writes it (Content-Length per part, no part Content-Type). */
export function guzzleMultipart(boundary: string, parts: readonly [string, string][], file: { name: string; filename: string; bytes: Buffer }): Buffer {
  const chunks: Buffer[] = [];
  const part = (head: string, data: Buffer): void => {
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\nContent-Length: ${data.length}\r\n\r\n`), data, Buffer.from('\r\n'));
  };
  for (const [name, value] of parts) part(`Content-Disposition: form-data; name="${name}"`, Buffer.from(value));
  part(`Content-Disposition: form-data; name="${file.name}"; filename="${file.filename}"`, file.bytes);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export async function rawCall(
  sim: CelroSim,
  path: string,
  body: string | Buffer,
  opts: { token?: string | null; contentType?: string | null; method?: string } = {},
): Promise<RawReply> {
  const headers: Record<string, string> = {};
  if (opts.token !== null) headers.AUTH = `Bearer ${opts.token ?? ''}`;
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/x-www-form-urlencoded';
  const method = opts.method ?? 'POST';
  const r = await fetch(`${sim.origin}${path}`, { method, headers, ...(method === 'GET' ? {} : { body }) });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, contentType: r.headers.get('content-type') ?? '', text, json };
}

export const apiPath = (route: string): string => `/market_api/${route}/`;

export async function rawLogin(sim: CelroSim, username = 'demo', password = 'demo'): Promise<string> {
  const r = await rawCall(sim, apiPath('login/actionLogin'), `username=${username}&password=${password}&test=1&api_version=2.2.0`);
  const m = (r.json as { message?: unknown } | undefined)?.message;
  if (typeof m !== 'string') throw new Error(`login failed: ${r.text}`);
  return m;
}
