import type http from 'node:http';
import { parsePhpForm, type FormObject } from './form.ts';

// The wire of the simulated API: a reply, the {error, tokenStatus, message} envelope, request bodies.

export class HttpReply {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly contentType = 'application/json; charset=utf-8',
  ) {}
}

export const envelope = (message: unknown, error = 0, tokenStatus = 1): string => JSON.stringify({ error, tokenStatus, message });

/** PHP json_encode writes an empty associative array as `[]`. */
export const phpArray = (o: Record<string, unknown>): Record<string, unknown> | [] => (Object.keys(o).length === 0 ? [] : o);

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function parseBody(req: http.IncomingMessage, body: Buffer): Promise<{ fields: FormObject; files: Map<string, Buffer> } | HttpReply> {
  const ct = (req.headers['content-type'] ?? '').toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded') || (ct === '' && body.length === 0)) return { fields: parsePhpForm(body.toString('utf8')), files: new Map() };
  if (ct.startsWith('multipart/form-data')) {
    let fd: FormData;
    try {
      fd = await new Request('http://sim.invalid/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body }).formData();
    } catch {
      return new HttpReply(200, envelope('Corpul cererii multipart/form-data nu poate fi citit (boundary sau parti invalide)', 1, 1));
    }
    const fields: FormObject = {};
    const files = new Map<string, Buffer>();
    for (const [k, v] of fd) {
      if (typeof v === 'string') fields[k] = v;
      else files.set(k, Buffer.from(await v.arrayBuffer()));
    }
    return { fields, files };
  }
  return new HttpReply(200, envelope(`Format cerere neacceptat (${ct || 'fara Content-Type'}); folositi application/x-www-form-urlencoded`, 1, 1));
}

