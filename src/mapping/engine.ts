import { systemClock, type Clock } from '../core/clock.ts';
import { NotFoundError } from '../core/errors.ts';
import { FxRateRepository } from '../fx/repository.ts';
import type { RateBook } from '../fx/rate-book.ts';
import type { Db } from '../store/db.ts';
import { dayOf, type CompiledRuleSet } from './compile.ts';
import { evaluateCompiled, type EvaluationResult } from './evaluate.ts';
import { previewRuleSet, type PreviewItem, type PreviewReport } from './preview.ts';
import type { Direction } from './schema.ts';
import { RuleSetRepository } from './versions.ts';

export type EvaluationInput = Readonly<Record<string, unknown>> & { readonly date: string };

interface CacheEntry {
  readonly compiled: CompiledRuleSet;
  readonly version: number;
}

/**
 * The mapping engine the sync jobs call. Per call it reads the active version id with one primary-key
 * query (no TTL, no LISTEN/NOTIFY: a fraction of a millisecond, exact, and it works the same on PGlite
 * and PostgreSQL and across any number of processes) and compiles a version only the first time it sees
 * its id — versions are immutable, so the compiled form is cached by id forever (bounded LRU). A newly
 * activated or rolled-back version is therefore used by every process on its next evaluation.
 * Batch callers use evaluateMany: one check for the whole batch.
 */
export class MappingEngine {
  private readonly compiledCache = new Map<string, CacheEntry>(); // `${tenant}/${versionId}`
  private readonly rateCache = new Map<string, { book: RateBook; at: number }>();
  readonly rules: RuleSetRepository;
  private readonly fx: FxRateRepository;
  private readonly clock: Clock;
  private readonly rateTtlMs: number;
  private readonly maxCompiled: number;

  constructor(private readonly db: Db, opts: { clock?: Clock; rateTtlMs?: number; maxCompiled?: number } = {}) {
    this.rules = new RuleSetRepository(db);
    this.fx = new FxRateRepository(db);
    this.clock = opts.clock ?? systemClock;
    this.rateTtlMs = opts.rateTtlMs ?? 60_000;
    this.maxCompiled = opts.maxCompiled ?? 64;
  }

  /** Today in Romania: the default pricing day for catalog evaluations. */
  today(): string {
    return dayOf(this.clock.now());
  }

  /** How many compiled versions this process holds (tests and metrics). */
  get compiledCount(): number {
    return this.compiledCache.size;
  }

  /** A version's compiled rule set, compiled once per process. */
  async compiledVersion(tenantId: string, versionId: number): Promise<CacheEntry> {
    const key = `${tenantId}/${versionId}`;
    const hit = this.compiledCache.get(key);
    if (hit) {
      this.compiledCache.delete(key); // refresh LRU position
      this.compiledCache.set(key, hit);
      return hit;
    }
    const { version, compiled } = await this.rules.compiled(tenantId, versionId);
    const entry = { compiled, version: version.version };
    this.compiledCache.set(key, entry);
    while (this.compiledCache.size > this.maxCompiled) this.compiledCache.delete(this.compiledCache.keys().next().value!);
    return entry;
  }

  async active(tenantId: string, direction: Direction): Promise<CacheEntry & { versionId: number }> {
    const id = await this.rules.activeVersionId(tenantId, direction);
    if (id === undefined) throw new NotFoundError(`tenant ${tenantId} has no active ${direction} rule set; create, validate and activate one (vortex rules …)`, { tenantId, direction });
    return { versionId: id, ...(await this.compiledVersion(tenantId, id)) };
  }

  /** Rates covering every date of the batch (plus the look-back window), cached briefly. */
  async ratesFor(compiled: CompiledRuleSet, dates: readonly string[]): Promise<RateBook | undefined> {
    if (compiled.fxNeeds.length === 0 || dates.length === 0) return undefined;
    const sorted = [...dates].sort();
    const from = sorted[0]!;
    const to = sorted[sorted.length - 1]!;
    const key = `${JSON.stringify(compiled.fxNeeds)}|${from}|${to}`;
    const now = this.clock.now().getTime();
    const hit = this.rateCache.get(key);
    if (hit && now - hit.at < this.rateTtlMs) return hit.book;
    const book = await this.fx.book(compiled.fxNeeds, from, to);
    if (this.rateCache.size > 256) this.rateCache.clear();
    this.rateCache.set(key, { book, at: now });
    return book;
  }

  /** Evaluate one item with the tenant's active version. Item-level failures come back as { ok: false }. */
  async evaluate(tenantId: string, direction: Direction, input: EvaluationInput): Promise<EvaluationResult> {
    const [r] = await this.evaluateMany(tenantId, direction, [input]);
    return r!;
  }

  async evaluateMany(tenantId: string, direction: Direction, inputs: readonly EvaluationInput[]): Promise<EvaluationResult[]> {
    const act = await this.active(tenantId, direction);
    const rates = await this.ratesFor(act.compiled, [...new Set(inputs.map((i) => i.date))]);
    return inputs.map((input) => evaluateCompiled(act.compiled, input, { rates, versionId: act.versionId, version: act.version }));
  }

  /**
   * Preview a version (usually a draft) against items — by default the tenant's stored catalog — next to
   * the active version. Nothing is written.
   */
  async previewVersion(tenantId: string, versionId: number, items: readonly PreviewItem[]): Promise<PreviewReport> {
    const cand = await this.compiledVersion(tenantId, versionId);
    const activeId = await this.rules.activeVersionId(tenantId, cand.compiled.direction);
    const cur = activeId !== undefined && activeId !== versionId ? await this.compiledVersion(tenantId, activeId) : undefined;
    const dates = [...new Set(items.map((i) => i.input.date))];
    const needs = cur ? { ...cur.compiled, fxNeeds: mergeNeeds(cand.compiled, cur.compiled) } : cand.compiled;
    const rates = await this.ratesFor(needs, dates);
    return previewRuleSet({ candidate: cand.compiled, candidateVersionId: versionId, current: cur?.compiled, currentVersionId: cur ? activeId! : null, items, rates });
  }
}

function mergeNeeds(a: CompiledRuleSet, b: CompiledRuleSet): CompiledRuleSet['fxNeeds'] {
  const m = new Map<string, Set<string>>();
  for (const n of [...a.fxNeeds, ...b.fxNeeds]) {
    const s = m.get(n.source) ?? new Set<string>();
    n.currencies.forEach((c) => s.add(c));
    m.set(n.source, s);
  }
  return [...m].map(([source, s]) => ({ source: source as 'BNR' | 'ECB', currencies: [...s].sort() }));
}
