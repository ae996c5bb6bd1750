/**
 * What a Cel.ro push (API link call) asks for (pure). The push is only a wake-up: the ids it names are
 * read through the API, and a push Vortex cannot read (unknown type, malformed value) still wakes a
 * poll, so nothing it announced is missed. Types per research celro.md §8 (S4): 1 = new orders
 * `{"list":[ids]}`, 11 and 24 = cancellation/reversal `{"order_id": id}` (or `cmd`).
 */
export type PushIntent = { readonly kind: 'orders'; readonly ids: readonly string[]; readonly type: string } | { readonly kind: 'poll'; readonly type: string; readonly why: string };

const ID = /^\d{1,18}$/;

export function readPush(type: unknown, value: unknown): PushIntent {
  const t = typeof type === 'string' ? type.trim().slice(0, 20) : '';
  let v: unknown = value;
  if (typeof value === 'string') {
    try {
      v = JSON.parse(value);
    } catch {
      v = value;
    }
  }
  const ids: string[] = [];
  const take = (x: unknown): void => {
    const s = typeof x === 'number' ? String(x) : typeof x === 'string' ? x.trim() : '';
    if (ID.test(s) && !ids.includes(s) && ids.length < 100) ids.push(s);
  };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.list)) o.list.forEach(take);
    take(o.order_id);
    take(o.cmd);
    take(o.orders_id);
  } else take(v);
  if (!['1', '11', '24'].includes(t)) return { kind: 'poll', type: t, why: t ? `push type ${t} is not one Vortex knows; polling instead` : 'push without a type; polling instead' };
  if (ids.length === 0) return { kind: 'poll', type: t, why: 'the push names no order id Vortex can read; polling instead' };
  return { kind: 'orders', ids, type: t };
}
