import { Decimal } from '../core/decimal.ts';
import type { RateBook } from '../fx/rate-book.ts';
import type { CompiledRuleSet } from './compile.ts';
import { evaluateCompiled, type EvaluationResult } from './evaluate.ts';
import { canonicalJson } from './json.ts';

export interface PreviewItem {
  /** What the row is called in the report (the SKU for the catalog). */
  readonly key: string;
  readonly input: Readonly<Record<string, unknown>> & { readonly date: string };
}

export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface PriceChange {
  readonly before: string;
  readonly after: string;
  /** Signed change in percent of the old price, 2 decimals; null when the old price was 0. */
  readonly percent: string | null;
  /** Beyond the marketplace guard: Cel.ro refuses it unless sent with overridePrice. */
  readonly overGuard: boolean;
}

export interface PreviewRow {
  readonly key: string;
  readonly status: 'unchanged' | 'changed' | 'new' | 'failed';
  /** Target fields (dotted names) under the current version, or null when there is none / it failed. */
  readonly before: Readonly<Record<string, unknown>> | null;
  readonly after: Readonly<Record<string, unknown>> | null;
  readonly changes: readonly FieldChange[];
  readonly error?: string;
  readonly beforeError?: string;
  readonly price?: PriceChange;
}

export interface PreviewSummary {
  readonly items: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly new: number;
  readonly failed: number;
  /** Items the current version maps but the candidate fails: the ones to look at first. */
  readonly newlyFailing: number;
  readonly priceField: string;
  readonly guardPercent: string;
  readonly priceChangesOverGuard: number;
  /** How many items change, per target field. */
  readonly changesByField: Readonly<Record<string, number>>;
}

export interface PreviewReport {
  readonly candidateVersionId: number | null;
  readonly currentVersionId: number | null;
  readonly rows: readonly PreviewRow[];
  readonly summary: PreviewSummary;
}

/** {"unitPrice": {"grossAmount": "1"}} → {"unitPrice.grossAmount": "1"}: every leaf a comparable target field. */
export function flattenFields(fields: Readonly<Record<string, unknown>>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(fields)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenFields(v as Record<string, unknown>, name, out);
    else out[name] = v;
  }
  return out;
}

function priceChange(before: unknown, after: unknown, guard: Decimal): PriceChange | undefined {
  if (typeof before !== 'string' && typeof before !== 'number') return undefined;
  if (typeof after !== 'string' && typeof after !== 'number') return undefined;
  let b: Decimal;
  let a: Decimal;
  try {
    b = new Decimal(String(before));
    a = new Decimal(String(after));
  } catch {
    return undefined;
  }
  if (b.isZero()) return { before: b.toFixed(), after: a.toFixed(), percent: null, overGuard: !a.isZero() };
  const pct = a.minus(b).div(b).times(100);
  return { before: String(before), after: String(after), percent: pct.toFixed(2), overGuard: pct.abs().gt(guard) };
}

/**
 * Evaluate a candidate rule set (typically a draft) against every item and compare with the current
 * version: per item before/after of every target field, plus a summary with the price changes the
 * marketplace would refuse. Pure: the caller supplies items and rates (see engine.previewVersion).
 */
export function previewRuleSet(opts: {
  readonly candidate: CompiledRuleSet;
  readonly candidateVersionId?: number | null;
  readonly current?: CompiledRuleSet | undefined;
  readonly currentVersionId?: number | null;
  readonly items: readonly PreviewItem[];
  readonly rates?: RateBook | undefined;
}): PreviewReport {
  const { candidate, current, items, rates } = opts;
  const guard = candidate.guardPercent;
  const priceField = candidate.priceField;
  const rows: PreviewRow[] = [];
  const byField: Record<string, number> = {};
  let changed = 0;
  let unchanged = 0;
  let fresh = 0;
  let failed = 0;
  let newlyFailing = 0;
  let overGuard = 0;
  for (const item of items) {
    const after: EvaluationResult = evaluateCompiled(candidate, item.input, { rates, versionId: opts.candidateVersionId ?? null, skipInputHash: true });
    const before: EvaluationResult | undefined = current ? evaluateCompiled(current, item.input, { rates, versionId: opts.currentVersionId ?? null, skipInputHash: true }) : undefined;
    const b = before?.ok ? flattenFields(before.fields) : null;
    const beforeError = before && !before.ok ? before.error.message : undefined;
    if (!after.ok) {
      failed++;
      if (before?.ok) newlyFailing++;
      rows.push({ key: item.key, status: 'failed', before: b, after: null, changes: [], error: after.error.message, ...(beforeError ? { beforeError } : {}) });
      continue;
    }
    const a = flattenFields(after.fields);
    if (!b) {
      fresh++;
      rows.push({ key: item.key, status: 'new', before: null, after: a, changes: Object.entries(a).map(([field, v]) => ({ field, before: undefined, after: v })), ...(beforeError ? { beforeError } : {}) });
      continue;
    }
    const changes: FieldChange[] = [];
    for (const field of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (canonicalJson(b[field]) !== canonicalJson(a[field])) {
        changes.push({ field, before: b[field], after: a[field] });
        byField[field] = (byField[field] ?? 0) + 1;
      }
    }
    const price = priceChange(b[priceField], a[priceField], guard);
    if (price?.overGuard && changes.some((c) => c.field === priceField)) overGuard++;
    if (changes.length > 0) changed++;
    else unchanged++;
    rows.push({
      key: item.key,
      status: changes.length > 0 ? 'changed' : 'unchanged',
      before: b,
      after: a,
      changes,
      ...(price && changes.some((c) => c.field === priceField) ? { price } : {}),
    });
  }
  return {
    candidateVersionId: opts.candidateVersionId ?? null,
    currentVersionId: opts.currentVersionId ?? null,
    rows,
    summary: {
      items: items.length,
      changed,
      unchanged,
      new: fresh,
      failed,
      newlyFailing,
      priceField,
      guardPercent: guard.toFixed(),
      priceChangesOverGuard: overGuard,
      changesByField: byField,
    },
  };
}
