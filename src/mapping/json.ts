import { createHash } from 'node:crypto';
import { Decimal } from '../core/decimal.ts';
import { Money } from '../core/money.ts';
import { ValidationError } from '../core/errors.ts';

/**
 * JSON without floats. `JSON.parse` turns 61.90 into the float 61.9 (and 0.1+0.2 games follow); amounts
 * from lexoffice arrive as JSON numbers. This parser keeps every non-integer number (and every integer
 * beyond 2^53) as its exact source text, a decimal string; safe integers stay numbers.
 */
export function parseJsonLossless(text: string, what = 'JSON'): unknown {
  let i = 0;
  const fail = (msg: string): never => {
    const line = text.slice(0, i).split('\n').length;
    throw new ValidationError(`${what}: ${msg} at line ${line}, offset ${i}`, [{ path: '$', message: `${msg} (offset ${i})` }]);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        Object.defineProperty(obj, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) {
      const n = Number(m[0]);
      if (Number.isSafeInteger(n)) return n;
    }
    return m[0];
  };
  const str = (): string => {
    const start = i;
    i++;
    let simple = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        simple = false;
        i++;
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    const raw = text.slice(start, i);
    if (simple) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return fail('bad string escape');
    }
  };
  const v = value();
  ws();
  if (i < text.length) fail('trailing characters');
  return v;
}

const PLAIN_KEY = /^[\w.:-]*$/;
const str = (s: string): string => (PLAIN_KEY.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * Canonical JSON: keys sorted, Decimals and Money as decimal strings, undefined dropped. Used for
 * input hashes (lineage) and document hashes, so equal content always hashes equal.
 */
export function canonicalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `"${v.toString()}"`;
    case 'object':
      break;
    default:
      return 'null';
  }
  if (v instanceof Decimal) return `"${v.toFixed()}"`;
  if (v instanceof Money) return `{"amount":"${v.toString()}","currency":"${v.currency}"}`;
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + canonicalJson(v[i]);
    return `${out}]`;
  }
  const withJson = v as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return canonicalJson(withJson.toJSON());
  const keys = Object.keys(v).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    out += `${first ? '' : ','}${str(k)}:${canonicalJson(x)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
