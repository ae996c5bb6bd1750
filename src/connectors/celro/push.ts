import { ValidationError } from '../../core/errors.ts';

/**
 * The Cel.ro "API link" push (research §8). The seller registers a URL template with `$1$` (alert
 * type), `$2$` (alert value) and `$3$` (unknown extra); CEL calls it with the values substituted.
 * Type 1 = new orders, value `{"list":[orderIds]}` [C-3p]; types 11 and 24 carry one order id and
 * were treated as stock-restoring (cancel/reversal) by one integration [U]. Never trust the payload:
 * it only says which orders to re-read through the API.
 */
export type CelroPush =
  | { readonly type: 1; readonly kind: 'new_orders'; readonly orderIds: readonly string[]; readonly value: string; readonly extra: string | null }
  | { readonly type: number; readonly kind: 'order_event'; readonly orderId: string; readonly value: string; readonly extra: string | null }
  | { readonly type: number; readonly kind: 'unknown'; readonly value: string; readonly extra: string | null };

/** Build the template Vortex registers: the query names are ours, the placeholders CEL's. */
export function pushTemplate(baseUrl: string, names: { type?: string; value?: string; extra?: string } = {}): string {
  const u = new URL(baseUrl);
  const sep = u.search ? '&' : '?';
  return `${u.toString()}${sep}${names.type ?? 'type'}=$1$&${names.value ?? 'value'}=$2$&${names.extra ?? 'extra'}=$3$`;
}

function placeholders(template: string): { query: Map<string, string>; pathRe: RegExp | null } {
  const q = template.indexOf('?');
  const query = new Map<string, string>();
  if (q !== -1) {
    for (const part of template.slice(q + 1).split('#')[0]!.split('&')) {
      const [k, v] = part.split('=');
      const m = /^\$(\d)\$$/.exec(v ?? '');
      if (k && m) query.set(m[1]!, decodeURIComponent(k));
    }
  }
  const path = (q === -1 ? template : template.slice(0, q)).replace(/^[a-z]+:\/\/[^/]+/i, '');
  const pathRe = /\$\d\$/.test(path)
    ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '$' ? '$' : `\\${c}`)).replace(/\$(\d)\$/g, '(?<p$1>[^/]*)')}$`)
    : null;
  return { query, pathRe };
}

function decodeJson(v: string): unknown {
  for (const candidate of [v, safeDecode(v)]) {
    try {
      return JSON.parse(candidate);
    } catch {
      /* try the next form: some senders encode twice */
    }
  }
  return undefined;
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

const idOf = (x: unknown): string | undefined =>
  (typeof x === 'number' && Number.isInteger(x) && x > 0) || (typeof x === 'string' && /^\d+$/.test(x.trim())) ? String(x).trim() : undefined;

/** Parse an incoming callback (full URL or path+query) against the registered template. */
export function parsePushCallback(template: string, incoming: string | URL): CelroPush {
  const url = incoming instanceof URL ? incoming : new URL(incoming, 'http://callback.invalid');
  const { query, pathRe } = placeholders(template);
  const get = (n: '1' | '2' | '3'): string | null => {
    const name = query.get(n);
    if (name !== undefined) return url.searchParams.get(name);
    const m = pathRe?.exec(url.pathname);
    const g = m?.groups?.[`p${n}`];
    return g === undefined ? null : safeDecode(g);
  };
  const typeText = get('1');
  const value = get('2') ?? '';
  const extra = get('3');
  if (typeText === null || !/^\d+$/.test(typeText.trim())) {
    throw new ValidationError('Cel.ro push: no numeric alert type where the template puts $1$', [{ path: '$1$', message: `got ${JSON.stringify(typeText)}` }], {
      url: url.pathname + url.search,
    });
  }
  const type = Number(typeText);
  const decoded = decodeJson(value);
  if (type === 1) {
    const list = typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? (decoded as Record<string, unknown>).list : Array.isArray(decoded) ? decoded : undefined;
    const ids = Array.isArray(list) ? list.map(idOf) : [];
    if (!Array.isArray(list) || ids.some((x) => x === undefined)) {
      throw new ValidationError('Cel.ro push type 1: value is not {"list":[orderIds]}', [{ path: '$2$', message: 'expected {"list":[ids]}' }], { value });
    }
    return { type: 1, kind: 'new_orders', orderIds: ids as string[], value, extra };
  }
  const single =
    idOf(decoded) ??
    (typeof decoded === 'object' && decoded !== null ? idOf((decoded as Record<string, unknown>).order_id ?? (decoded as Record<string, unknown>).cmd ?? (decoded as Record<string, unknown>).orders_id) : undefined) ??
    idOf(value);
  if (single !== undefined) return { type, kind: 'order_event', orderId: single, value, extra };
  return { type, kind: 'unknown', value, extra };
}
