/** Fault injection: what the simulator does wrong on purpose, for tests and the demo. */
export type FaultKind =
  /** 429 before the call is performed (like the real limiter). */
  | 'rate-limit'
  /** 500 `{"message": null}` before the call is performed. */
  | 'server-error'
  /** The answer is delayed by `delayMs`, then the call proceeds normally. */
  | 'slow'
  /** The call IS performed and committed, then answered 504 `{"message":"Endpoint request timed out"}` (the real worst case). */
  | 'timeout-after-commit';

export interface FaultRule {
  readonly kind: FaultKind;
  /** Probability per matching request, 0..1 (default 1). */
  readonly rate?: number;
  /** How many times it fires before it retires (default: unlimited). */
  count?: number;
  /** Only requests with this method (e.g. POST). */
  readonly method?: string;
  /** Only requests whose path starts with this (e.g. /v1/invoices). */
  readonly path?: string;
  /** For `slow` (and an optional delay before a 504): milliseconds. */
  readonly delayMs?: number;
}

const KINDS: readonly FaultKind[] = ['rate-limit', 'server-error', 'slow', 'timeout-after-commit'];

export function parseFaultRules(v: unknown): FaultRule[] {
  const list = Array.isArray(v) ? v : v !== null && typeof v === 'object' && Array.isArray((v as { rules?: unknown }).rules) ? (v as { rules: unknown[] }).rules : undefined;
  if (!list) throw new Error('expected an array of fault rules or {"rules": [...]}');
  return list.map((r, i) => {
    if (r === null || typeof r !== 'object') throw new Error(`rule ${i}: not an object`);
    const o = r as Record<string, unknown>;
    if (!KINDS.includes(o.kind as FaultKind)) throw new Error(`rule ${i}: kind must be one of ${KINDS.join(', ')}`);
    const rate = o.rate ?? 1;
    if (typeof rate !== 'number' || rate < 0 || rate > 1) throw new Error(`rule ${i}: rate must be 0..1`);
    for (const k of ['count', 'delayMs']) if (o[k] !== undefined && (typeof o[k] !== 'number' || (o[k] as number) < 0)) throw new Error(`rule ${i}: ${k} must be a non-negative number`);
    for (const k of ['method', 'path']) if (o[k] !== undefined && typeof o[k] !== 'string') throw new Error(`rule ${i}: ${k} must be a string`);
    return {
      kind: o.kind as FaultKind,
      rate,
      ...(o.count !== undefined ? { count: o.count as number } : {}),
      ...(o.method !== undefined ? { method: (o.method as string).toUpperCase() } : {}),
      ...(o.path !== undefined ? { path: o.path as string } : {}),
      ...(o.delayMs !== undefined ? { delayMs: o.delayMs as number } : {}),
    };
  });
}

/** The faults that fire for one request: at most one of the failing kinds, plus any `slow` delay. */
export function pickFaults(rules: FaultRule[], method: string, path: string, random: () => number): { delayMs: number; fail?: FaultRule } {
  let delayMs = 0;
  let fail: FaultRule | undefined;
  for (const r of rules) {
    if (r.count !== undefined && r.count <= 0) continue;
    if (r.method && r.method !== method) continue;
    if (r.path && !path.startsWith(r.path)) continue;
    if (r.kind !== 'slow' && fail) continue;
    if (random() >= (r.rate ?? 1)) continue;
    if (r.count !== undefined) r.count--;
    if (r.kind === 'slow') delayMs += r.delayMs ?? 1000;
    else fail = r;
  }
  return fail ? { delayMs, fail } : { delayMs };
}
