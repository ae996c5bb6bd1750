import { randomBytes } from 'node:crypto';

/**
 * The wire format of CEL's PHP SDK (research/celro-sdk-wire.md): bodies are PHP `http_build_query`
 * output (RFC 1738: space → '+', only [A-Za-z0-9._-] left bare, nested values as `a[0][b]=…`,
 * booleans 1/0, nulls dropped); some parameters are a JSON string in one field; the invoice upload
 * is multipart with the file part named and filenamed `file`.
 */

export type FormScalar = string | number | boolean | null | undefined;
export type FormValue = FormScalar | readonly FormValue[] | { readonly [k: string]: FormValue };
export type FormFields = ReadonlyArray<readonly [string, FormValue]>;

/** PHP urlencode(): everything but ALPHA / DIGIT / "-" / "_" / "." is %XX, and space is "+". */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function scalar(v: FormScalar): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`cannot form-encode ${v}`);
    return String(v);
  }
  return v;
}

function flatten(prefix: string, v: FormValue, out: string[]): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(`${prefix}[${i}]`, x, out));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) flatten(`${prefix}[${k}]`, x, out);
  } else {
    const s = scalar(v);
    if (s !== undefined) out.push(`${phpUrlencode(prefix)}=${phpUrlencode(s)}`);
  }
}

/** `http_build_query` of ordered top-level fields. */
export function phpBuildQuery(fields: FormFields): string {
  const out: string[] = [];
  for (const [k, v] of fields) flatten(k, v, out);
  return out.join('&');
}

/** A decimal written into JSON as a number literal without passing through a float ("63.62" → 63.62). */
export class JsonDecimal {
  constructor(readonly literal: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d+)?$/.test(literal)) throw new RangeError(`not a JSON number literal: ${literal}`);
  }
}

/** JSON.stringify that writes JsonDecimal values as bare number literals (PHP json_encode-compatible, no spaces). */
export function jsonWithDecimals(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof JsonDecimal) {
      marks.push(v.literal);
      return `\u0000dec${marks.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000dec(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]!);
}

export interface MultipartPart {
  readonly name: string;
  readonly value: string | Uint8Array;
  readonly filename?: string;
}

/** multipart/form-data the way Guzzle writes it: Content-Disposition and Content-Length per part, no part Content-Type. */
export function buildMultipart(parts: readonly MultipartPart[], boundary = randomBytes(20).toString('hex')): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const data = typeof p.value === 'string' ? Buffer.from(p.value, 'utf8') : Buffer.from(p.value);
    const disp = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\nContent-Length: ${data.length}\r\n\r\n`, 'utf8'), data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
