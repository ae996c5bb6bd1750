import { Decimal } from '../core/decimal.ts';
import type { FxSource } from '../fx/rate-book.ts';
import { canonicalJson, sha256 } from './json.ts';
import { checkPath, compileOp, compilePath, type Ctx, type Step } from './operators.ts';
import { jsonPath, parseRuleSetShape, RuleSetInvalidError, type Direction, type FieldRule, type RuleSetDocument } from './schema.ts';
import { BUILTIN_VAT_TABLE, VatTable } from './vat.ts';
import type { EvalEnv } from './values.ts';

// Compiling a rule set: each field's source and pipeline (operators.ts), the whole set validated at once.
// The value helpers (values.ts) and INPUT_ROOTS are re-exported here, where importers always found them.
export { INPUT_ROOTS } from './operators.ts';
export { StepError, asText, dayOf, finalize, type EvalEnv } from './values.ts';

export interface CompiledField {
  readonly target: string;
  readonly targetPath: readonly string[];
  readonly source: (env: EvalEnv) => unknown;
  readonly steps: readonly { readonly op: string; readonly run: Step }[];
}

export interface CompiledRuleSet {
  readonly document: RuleSetDocument;
  readonly direction: Direction;
  /** sha256 of the canonical document: equal documents, equal hash. */
  readonly hash: string;
  readonly fields: readonly CompiledField[];
  /** Which rates the rule set may need, so callers load exactly those before evaluating. */
  readonly fxNeeds: readonly { readonly source: FxSource; readonly currencies: readonly string[] }[];
  readonly priceField: string;
  readonly guardPercent: Decimal;
}

function compileField(ctx: Ctx, target: string, f: FieldRule): CompiledField {
  const at: (string | number)[] = ['fields', target];
  let source: (env: EvalEnv) => unknown;
  if (f.from !== undefined) {
    checkPath(ctx, f.from, [...at, 'from']);
    source = compilePath(f.from);
  } else {
    const c = f.const;
    source = () => c;
  }
  const steps = f.pipeline.map((op, i) => ({ op: op.op, run: compileOp(ctx, op, [...at, 'pipeline', i]) }));
  if (f.from === undefined && f.const === undefined && !f.pipeline.some((s) => s.op === 'template' || s.op === 'default' || s.op === 'vatRate')) {
    ctx.issues.push({ path: jsonPath(at), message: 'a field needs "from", "const", or a pipeline with a "template", "default" or "vatRate"' });
  }
  return { target, targetPath: target.split('.'), source, steps };
}

/**
 * Validate (shape + meaning) and compile a rule set into closures. Every problem is reported with its
 * JSON path at once, so an operator fixes a document in one round.
 */
export function compileRuleSet(input: unknown): CompiledRuleSet {
  const doc = parseRuleSetShape(input);
  const vat = new VatTable([...BUILTIN_VAT_TABLE, ...doc.vatRates]);
  const ctx: Ctx = { doc, vat, issues: [], known: new Set(), fx: new Map() };
  const fields: CompiledField[] = [];
  for (const [target, rule] of Object.entries(doc.fields)) {
    if (target.split('.').some((s) => s === '')) ctx.issues.push({ path: jsonPath(['fields', target]), message: 'empty segment in the target name' });
    fields.push(compileField(ctx, target, rule));
    ctx.known.add(target);
  }
  const guard = new Decimal(doc.preview.guardPercent);
  if (guard.isNegative()) ctx.issues.push({ path: '$.preview.guardPercent', message: 'must not be negative' });
  if (ctx.issues.length > 0) throw new RuleSetInvalidError(ctx.issues);
  return {
    document: doc,
    direction: doc.direction,
    hash: sha256(canonicalJson(doc)),
    fields,
    fxNeeds: [...ctx.fx].map(([source, set]) => ({ source, currencies: [...set].sort() })),
    priceField: doc.preview.priceField,
    guardPercent: guard,
  };
}
