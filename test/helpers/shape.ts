/**
 * Structural comparison of two JSON values: same keys, same JSON types (null, boolean, number, string,
 * array, object) — values may differ. Used to hold a simulator's response against a real-shaped sample.
 */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'undefined';

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'boolean' || t === 'number' || t === 'string' || t === 'object' ? t : 'undefined';
}

export interface ShapeOptions {
  /**
   * Paths (as reported, e.g. `distanceSalesPrinciple`, `content[].dueDate`) that may be absent on either
   * side — for fields the source documents as "absent if never set".
   */
  readonly optional?: readonly string[];
}

/**
 * Every difference between the shape of `expected` and `actual`, as `path: what` lines; empty = same shape.
 * Arrays: element i of `actual` is compared with element i of `expected`, or with its last element when
 * `expected` is shorter (so a one-row sample describes every row). An empty array on either side says
 * nothing about its elements.
 */
export function shapeDiff(expected: unknown, actual: unknown, opts: ShapeOptions = {}, path = '$'): string[] {
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${path}: expected ${te}, got ${ta}`];
  if (te === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0 || a.length === 0) return [];
    return a.flatMap((item, i) => shapeDiff(e[Math.min(i, e.length - 1)], item, opts, `${path}[${i}]`));
  }
  if (te !== 'object') return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const out: string[] = [];
  const optional = new Set(opts.optional ?? []);
  const rel = (k: string): string => `${path.replace(/^\$\.?/, '').replace(/\[\d+\]/g, '[]')}${path === '$' ? '' : '.'}${k}`;
  for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
    const inE = k in e;
    const inA = k in a;
    if (inE && inA) out.push(...shapeDiff(e[k], a[k], opts, `${path}.${k}`));
    else if (!optional.has(rel(k))) out.push(`${path}.${k}: ${inE ? 'missing' : 'unexpected'}`);
  }
  return out;
}

/** True when both have the same shape (see shapeDiff). */
export function sameShape(expected: unknown, actual: unknown, opts: ShapeOptions = {}): boolean {
  return shapeDiff(expected, actual, opts).length === 0;
}

/** Throws with every difference listed, naming what was compared. */
export function assertSameShape(expected: unknown, actual: unknown, what: string, opts: ShapeOptions = {}): void {
  const d = shapeDiff(expected, actual, opts);
  if (d.length > 0) throw new Error(`${what}: shape differs from the real-shaped sample\n  ${d.join('\n  ')}`);
}
