import type { FxUse, RateBook } from '../fx/rate-book.ts';
import { finalize, StepError, type CompiledRuleSet, type EvalEnv } from './compile.ts';
import { canonicalJson, sha256 } from './json.ts';

/** What produced a value: enough to record with every pushed value and to replay it later. */
export interface Lineage {
  /** Database id of the rule-set version (null when evaluating a document from a file). */
  readonly ruleSetVersionId: number | null;
  readonly ruleSetVersion: number | null;
  readonly ruleSetHash: string;
  /** sha256 of the canonical JSON of the input (product/article or order/line, plus the date). */
  readonly inputHash: string;
  /** Day the rates and VAT tables were read for. */
  readonly date: string;
  /** Every published rate a conversion used: (source, currency, fixing date, rate as published). */
  readonly fx: readonly FxUse[];
}

export interface ItemFailure {
  readonly field: string;
  /** Index of the failing pipeline step, or -1 when reading the source failed. */
  readonly step: number;
  readonly op: string | null;
  readonly message: string;
}

export type EvaluationResult =
  | { readonly ok: true; readonly fields: Record<string, unknown>; readonly lineage: Lineage }
  | { readonly ok: false; readonly error: ItemFailure; readonly lineage: Lineage };

export interface EvaluateOptions {
  readonly rates?: RateBook | undefined;
  readonly versionId?: number | null;
  readonly version?: number | null;
  /** Skip hashing the input (benchmarks of the bare pipeline only). */
  readonly skipInputHash?: boolean;
}

function set(obj: Record<string, unknown>, path: readonly string[], v: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    let next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = next = {};
    cur = next as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = v;
}

/**
 * Evaluate one item (a product, or one order line) against a compiled rule set. Pure: the rates come
 * in a RateBook, the date with the input (`input.date`, YYYY-MM-DD). A failing step fails this item
 * only, with the field, step and reason.
 */
export function evaluateCompiled(compiled: CompiledRuleSet, input: Readonly<Record<string, unknown>> & { readonly date: string }, opts: EvaluateOptions = {}): EvaluationResult {
  const env: EvalEnv = { root: input, fields: {}, date: input.date, rates: opts.rates, fx: [] };
  const lineage = (): Lineage => ({
    ruleSetVersionId: opts.versionId ?? null,
    ruleSetVersion: opts.version ?? null,
    ruleSetHash: compiled.hash,
    inputHash: opts.skipInputHash ? '' : sha256(canonicalJson(input)),
    date: input.date,
    fx: env.fx,
  });
  for (const f of compiled.fields) {
    let stepIndex = -1;
    try {
      let v = f.source(env);
      for (stepIndex = 0; stepIndex < f.steps.length; stepIndex++) v = f.steps[stepIndex]!.run(v, env);
      if (v !== null && v !== undefined) set(env.fields, f.targetPath, finalize(v));
    } catch (e) {
      const message = e instanceof StepError ? e.message : `internal error: ${(e as Error).message}`;
      const op = stepIndex >= 0 && stepIndex < f.steps.length ? f.steps[stepIndex]!.op : null;
      return { ok: false, error: { field: f.target, step: op === null ? -1 : stepIndex, op, message: `field "${f.target}"${op ? `, step ${stepIndex + 1} (${op})` : ''}: ${message}` }, lineage: lineage() };
    }
  }
  return { ok: true, fields: env.fields, lineage: lineage() };
}
