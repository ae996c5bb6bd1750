import assert from 'node:assert/strict';

/**
 * Key-by-key shape comparison of a Cel.ro payload against a fixture: the same keys and the same JSON
 * types at every level; values may differ. Two rules follow PHP, which the Cel.ro backend runs on:
 * - json_encode writes an empty associative array as `[]`, so `[]` matches an object in the fixture;
 * - some objects are maps keyed by data (status ids, product models): list their paths in
 *   `dynamicKeys` and every value is compared with the fixture's first value instead of key by key.
 * Arrays: every element is compared with the fixture's first element.
 * Paths are written `message.products[].tva`; a dynamic key segment is `*` (e.g. `message.*.list`).
 */
export interface ShapeOptions {
  readonly dynamicKeys?: readonly string[];
}

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'other';

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' || t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Every difference in shape, as readable lines ("message.products[].tva: number, fixture has string"). */
export function shapeDifferences(expected: unknown, actual: unknown, opts: ShapeOptions = {}, path = ''): string[] {
  const where = path || '(root)';
  const te = typeOf(expected);
  const ta = typeOf(actual);
  if (te === 'object' && ta === 'array' && (actual as unknown[]).length === 0) return [];
  if (te !== ta) return [`${where}: ${ta}, fixture has ${te}`];
  if (te === 'array') {
    const first = (expected as unknown[])[0];
    if (first === undefined) return [];
    return (actual as unknown[]).flatMap((x) => shapeDifferences(first, x, opts, `${path}[]`)).filter((d, i, all) => all.indexOf(d) === i);
  }
  if (te !== 'object') return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  if (opts.dynamicKeys?.includes(path)) {
    const first = Object.values(e)[0];
    if (first === undefined) return [];
    return Object.values(a)
      .flatMap((x) => shapeDifferences(first, x, opts, join(path, '*')))
      .filter((d, i, all) => all.indexOf(d) === i);
  }
  const out: string[] = [];
  for (const k of Object.keys(e)) if (!(k in a)) out.push(`${join(path, k)}: missing`);
  for (const k of Object.keys(a)) if (!(k in e)) out.push(`${join(path, k)}: not in the fixture`);
  for (const k of Object.keys(e)) if (k in a) out.push(...shapeDifferences(e[k], a[k], opts, join(path, k)));
  return out;
}

export function assertSameShape(expected: unknown, actual: unknown, opts: ShapeOptions = {}, label = 'payload'): void {
  const diffs = shapeDifferences(expected, actual, opts);
  assert.deepEqual(diffs, [], `${label} differs in shape from its fixture:\n  ${diffs.join('\n  ')}`);
}
