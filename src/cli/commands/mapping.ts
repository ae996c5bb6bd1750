import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseFeed, type FxSource } from '../../connectors/fx/feeds.ts';
import { ValidationError } from '../../core/errors.ts';
import { importFeedText, importFeedUrl, type ImportResult } from '../../fx/import.ts';
import { FX_DATE_POLICIES, parseFxSource, RateBook, type FxDatePolicy } from '../../fx/rate-book.ts';
import { FxRateRepository } from '../../fx/repository.ts';
import { loadCatalogItems } from '../../mapping/catalog-source.ts';
import { compileRuleSet, dayOf, type CompiledRuleSet } from '../../mapping/compile.ts';
import { defaultRuleSet } from '../../mapping/defaults.ts';
import { MappingEngine } from '../../mapping/engine.ts';
import { evaluateCompiled, type EvaluationResult } from '../../mapping/evaluate.ts';
import { catalogInput, orderFromJson, orderLineInput, productFromLexofficeArticle } from '../../mapping/inputs.ts';
import { parseJsonLossless } from '../../mapping/json.ts';
import type { PreviewItem, PreviewReport } from '../../mapping/preview.ts';
import { parseDirection, readDocument } from '../../mapping/versions.ts';
import { cliActor, withStore, withTenant } from '../context.ts';

const ACTOR = cliActor();

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ValidationError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, [{ path: file, message: 'unreadable' }]);
  }
}

function readJson(file: string, what: string): unknown {
  return parseJsonLossless(readText(file, what), `${what} ${file}`);
}

function checkDate(d: string | undefined): string | undefined {
  if (d === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(new Date(`${d}T00:00:00Z`).getTime())) {
    throw new ValidationError(`--date must be YYYY-MM-DD, got "${d}"`, [{ path: '--date', message: 'YYYY-MM-DD' }]);
  }
  return d;
}

function intArg(s: string, what: string): number {
  // Version ids are bigserial: positive, and past 2^53 a JS number would silently name another one.
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < 1) throw new ValidationError(`${what} must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got "${s.slice(0, 40)}"`, [{ path: what, message: 'number' }]);
  return Number(s);
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const print = (v: unknown): void => console.log(JSON.stringify(v, null, 2));

function loadRules(spec: string | undefined, direction: 'catalog' | 'order'): CompiledRuleSet {
  if (spec === undefined || spec === 'default') return compileRuleSet(defaultRuleSet(direction));
  const compiled = compileRuleSet(readJson(spec, 'rules file'));
  if (compiled.direction !== direction) throw new ValidationError(`rules file ${spec} is for direction "${compiled.direction}", but the input is a ${direction === 'catalog' ? 'lexoffice article' : 'order'}`, [{ path: '$.direction', message: `expected ${direction}` }]);
  return compiled;
}

function printPreview(report: PreviewReport, all: boolean): void {
  const s = report.summary;
  console.log(
    `preview of version ${report.candidateVersionId ?? '(file)'} against ${report.currentVersionId ? `active version ${report.currentVersionId}` : 'no active version'}: ` +
      `${s.items} items — ${s.changed} change, ${s.unchanged} unchanged, ${s.new} new, ${s.failed} fail (${s.newlyFailing} newly), ` +
      `${s.priceChangesOverGuard} price change(s) over ${s.guardPercent} % on ${s.priceField} (Cel.ro refuses them without overridePrice)`,
  );
  for (const row of report.rows) {
    if (!all && row.status === 'unchanged') continue;
    if (row.status === 'failed') {
      console.log(`  ${row.key}\tFAILED\t${row.error}`);
      continue;
    }
    const changes = row.changes.map((c) => `${c.field}: ${JSON.stringify(c.before ?? null)} → ${JSON.stringify(c.after ?? null)}`).join('; ');
    const guard = row.price?.overGuard ? `  [price ${row.price.percent ?? '∞'} % > ${s.guardPercent} %: needs overridePrice]` : '';
    console.log(`  ${row.key}\t${row.status}\t${changes || '-'}${guard}`);
  }
}

function printImport(r: ImportResult): void {
  console.log(
    `${r.source}: ${r.rates} rates for ${r.days.length} day(s) ${r.days[0] ?? ''}${r.days.length > 1 ? `…${r.days.at(-1)}` : ''} from ${r.origin}: ` +
      `${r.inserted} new, ${r.unchanged} already stored, ${r.conflicts.length} conflicting`,
  );
  for (const c of r.conflicts.slice(0, 20)) console.log(`  conflict ${c.currency} ${c.date}: stored ${c.stored}, feed says ${c.offered} (stored value kept)`);
}

/** `vortex map`, `vortex rules …`, `vortex fx …` — the mapping engine's CLI (docs/mapping.md). */
export function registerMappingCommands(program: Command): void {
  program
    .command('map')
    .description('map one lexoffice article (or the lines of an order) with a rule set and print the result as JSON')
    .option('--rules <file>', 'rule set document (JSON); "default" or omitted = the built-in DE → RO rules')
    .option('--tenant <id>', 'use this tenant’s active rule set version from the database instead of --rules')
    .option('--article <file>', 'lexoffice article JSON (as GET /v1/articles/{id} returns it)')
    .option('--order <file>', 'order JSON (canonical Order: lines with lineTotalGross {amount, currency}); each line is mapped')
    .option('--rates <file>', 'BNR nbrfxrates*.xml or ECB eurofxref*.xml (repeatable); without it the stored rate table is used', collect, [])
    .option('--date <YYYY-MM-DD>', 'pricing day (catalog; default today in Romania) or order day (default: the order’s day)')
    .action(async (opts: { rules?: string; tenant?: string; article?: string; order?: string; rates: string[]; date?: string }) => {
      if ((opts.article === undefined) === (opts.order === undefined)) throw new ValidationError('give exactly one of --article <file> or --order <file>', [{ path: '--article', message: 'required' }]);
      if (opts.rules !== undefined && opts.tenant !== undefined) throw new ValidationError('give --rules or --tenant, not both', [{ path: '--rules', message: 'conflict' }]);
      const date = checkDate(opts.date);
      const direction = opts.article !== undefined ? 'catalog' : 'order';
      let compiled: CompiledRuleSet;
      let version: { versionId: number; version: number } | undefined;
      if (opts.tenant !== undefined) {
        const tenant = opts.tenant;
        const act = await withStore(({ db }) => new MappingEngine(db).active(tenant, direction));
        compiled = act.compiled;
        version = { versionId: act.versionId, version: act.version };
      } else {
        compiled = loadRules(opts.rules, direction);
      }
      let inputs: (Record<string, unknown> & { date: string })[];
      if (opts.article !== undefined) {
        const raw = readJson(opts.article, 'article file');
        inputs = [catalogInput(productFromLexofficeArticle(raw), raw, date ?? dayOf(new Date()))];
      } else {
        const order = orderFromJson(readJson(opts.order!, 'order file'));
        inputs = order.lines.map((l) => orderLineInput(order, l, date));
      }
      let rates: RateBook | undefined;
      if (opts.rates.length > 0) {
        rates = new RateBook();
        for (const f of opts.rates) for (const r of parseFeed(readText(f, 'rates file')).rates) rates.add(r);
      } else if (compiled.fxNeeds.length > 0) {
        const dates = inputs.map((i) => i.date).sort();
        rates = await withStore(({ db }) => new FxRateRepository(db).book(compiled.fxNeeds, dates[0]!, dates.at(-1)!));
      }
      const results: EvaluationResult[] = inputs.map((i) => evaluateCompiled(compiled, i, { rates, versionId: version?.versionId ?? null, version: version?.version ?? null }));
      const rulesInfo = { name: compiled.document.name, ruleSetHash: compiled.hash, ...(version ? { tenant: opts.tenant, ...version } : { file: opts.rules ?? 'default' }) };
      print(direction === 'catalog' ? { rules: rulesInfo, ...results[0] } : { rules: rulesInfo, lines: results });
      const failed = results.filter((r): r is Extract<EvaluationResult, { ok: false }> => !r.ok);
      if (failed.length > 0) {
        for (const f of failed) console.error(`vortex: ${f.error.message}`);
        process.exitCode = 1;
      }
    });

  const rules = program.command('rules').description('field-mapping rule sets: defaults, drafts, validation, activation, rollback, preview');

  rules
    .command('default')
    .description('print the built-in DE → RO rule set (catalog: lexoffice → Cel.ro; order: Cel.ro → lexoffice)')
    .option('--direction <d>', 'catalog or order', 'catalog')
    .action((opts: { direction: string }) => print(defaultRuleSet(parseDirection(opts.direction))));

  rules
    .command('check <file>')
    .description('validate a rule set document without storing it; problems are listed with their JSON path')
    .action((file: string) => {
      const c = compileRuleSet(readJson(file, 'rules file'));
      console.log(`ok: "${c.document.name}" (${c.direction}, ${c.fields.length} fields${c.fxNeeds.length ? `, rates: ${c.fxNeeds.map((n) => `${n.source} ${n.currencies.join('/')}`).join(', ')}` : ''})`);
    });

  rules
    .command('list <tenant>')
    .description('versions of a tenant’s rule sets (* = active)')
    .option('--direction <d>', 'catalog or order')
    .action(async (tenant: string, opts: { direction?: string }) => {
      const direction = opts.direction ? parseDirection(opts.direction) : undefined;
      await withTenant(tenant, async ({ db }) => {
        const list = await new MappingEngine(db).rules.list(tenant, direction);
        if (list.length === 0) console.log(`no rule sets for ${tenant}; start with: vortex rules default > rules.json && vortex rules create ${tenant} catalog --file rules.json`);
        for (const v of list) {
          console.log(`${v.active ? '*' : ' '} id ${v.id}\t${v.direction}\tv${v.version}\t${v.status}\t${v.createdAt.toISOString()}\t${v.createdBy}\t${v.name}${v.note ? ` — ${v.note}` : ''}`);
        }
      });
    });

  rules
    .command('show <tenant> <versionId>')
    .description('print a stored version’s document exactly as stored')
    .action(async (tenant: string, id: string) => {
      const versionId = intArg(id, 'versionId');
      await withStore(async ({ db }) => {
        console.log(await new MappingEngine(db).rules.document(tenant, versionId));
      });
    });

  rules
    .command('create <tenant> <direction>')
    .description('store a new draft version from a file (refused with JSON paths when invalid)')
    .requiredOption('--file <file>', 'rule set document (JSON)')
    .option('--note <text>', 'what changed')
    .action(async (tenant: string, direction: string, opts: { file: string; note?: string }) => {
      const dir = parseDirection(direction);
      const text = readText(opts.file, 'rules file');
      readDocument(text);
      await withStore(async ({ db }) => {
        const v = await new MappingEngine(db).rules.createDraft(tenant, dir, text, { actor: ACTOR, ...(opts.note ? { note: opts.note } : {}) });
        console.log(`draft id ${v.id} (${v.direction} v${v.version}) stored; next: vortex rules preview ${tenant} ${v.id}, then vortex rules validate ${tenant} ${v.id}`);
      });
    });

  rules
    .command('validate <tenant> <versionId>')
    .description('check a draft again and mark it validated (required before activation)')
    .action(async (tenant: string, id: string) => {
      const versionId = intArg(id, 'versionId');
      await withStore(async ({ db }) => {
        const v = await new MappingEngine(db).rules.validate(tenant, versionId, ACTOR);
        console.log(`id ${v.id} (${v.direction} v${v.version}) is ${v.status}`);
      });
    });

  rules
    .command('activate <tenant> <versionId>')
    .description('make a validated version the active one (audited; workers use it on their next evaluation)')
    .requiredOption('--reason <why>', 'why (kept in the audit trail)')
    .action(async (tenant: string, id: string, opts: { reason: string }) => {
      const versionId = intArg(id, 'versionId');
      await withStore(async ({ db }) => {
        const a = await new MappingEngine(db).rules.activate(tenant, versionId, { actor: ACTOR, reason: opts.reason });
        console.log(`activated id ${a.versionId}${a.previousVersionId ? ` (was ${a.previousVersionId})` : ''} by ${a.actor} at ${a.at.toISOString()}`);
      });
    });

  rules
    .command('rollback <tenant> <direction>')
    .description('activate an earlier version again: the previous one, or --to <versionId> (audited)')
    .requiredOption('--reason <why>', 'why (kept in the audit trail)')
    .option('--to <versionId>', 'version id to go back to (default: the one active before the current)')
    .action(async (tenant: string, direction: string, opts: { reason: string; to?: string }) => {
      const dir = parseDirection(direction);
      const to = opts.to !== undefined ? intArg(opts.to, '--to') : undefined;
      await withStore(async ({ db }) => {
        const a = await new MappingEngine(db).rules.rollback(tenant, dir, { actor: ACTOR, reason: opts.reason, ...(to !== undefined ? { to } : {}) });
        console.log(`rolled back to id ${a.versionId}${a.previousVersionId ? ` (was ${a.previousVersionId})` : ''} by ${a.actor} at ${a.at.toISOString()}`);
      });
    });

  rules
    .command('history <tenant> <direction>')
    .description('every activation and rollback: who, when, why')
    .action(async (tenant: string, direction: string) => {
      const dir = parseDirection(direction);
      await withStore(async ({ db }) => {
        for (const h of await new MappingEngine(db).rules.history(tenant, dir)) {
          console.log(`${h.at.toISOString()}\t${h.kind}\t${h.previousVersionId ?? '-'} → ${h.versionId}\t${h.actor}\t${h.reason}`);
        }
      });
    });

  rules
    .command('preview <tenant> <versionId>')
    .description('evaluate a version (e.g. a draft) against the stored catalog, or --catalog <file>, next to the active version')
    .option('--catalog <file>', 'JSON array of lexoffice articles instead of the stored catalog')
    .option('--date <YYYY-MM-DD>', 'pricing day (default today in Romania)')
    .option('--all', 'also list unchanged items')
    .option('--json', 'print the full report as JSON')
    .action(async (tenant: string, id: string, opts: { catalog?: string; date?: string; all?: boolean; json?: boolean }) => {
      const versionId = intArg(id, 'versionId');
      const date = checkDate(opts.date) ?? dayOf(new Date());
      let fileItems: PreviewItem[] | undefined;
      if (opts.catalog !== undefined) {
        const list = readJson(opts.catalog, 'catalog file');
        if (!Array.isArray(list)) throw new ValidationError('--catalog must hold a JSON array of lexoffice articles', [{ path: '$', message: 'array expected' }]);
        fileItems = list.map((raw, i) => {
          try {
            const p = productFromLexofficeArticle(raw);
            return { key: p.sku, input: catalogInput(p, raw, date) };
          } catch (e) {
            throw new ValidationError(`catalog file item [${i}]: ${(e as Error).message}`, [{ path: `$[${i}]`, message: (e as Error).message }]);
          }
        });
      }
      await withStore(async ({ db }) => {
        const items = fileItems ?? (await loadCatalogItems(db, tenant, date));
        const report = await new MappingEngine(db).previewVersion(tenant, versionId, items);
        if (opts.json) print(report);
        else printPreview(report, opts.all ?? false);
      });
    });

  const fx = program.command('fx').description('exchange rates (BNR, ECB): import and look up');

  fx.command('import')
    .description('append rates from a feed file or URL (default: the configured URL of --source)')
    .option('--source <s>', 'BNR or ECB', 'BNR')
    .option('--file <file>', 'a downloaded nbrfxrates*.xml / eurofxref*.xml (daily, 10-day, yearly or history file)')
    .option('--url <url>', 'fetch from this URL instead of VORTEX_FX_BNR_URL / VORTEX_FX_ECB_URL')
    .action(async (opts: { source: string; file?: string; url?: string }) => {
      const source: FxSource = parseFxSource(opts.source);
      if (opts.file !== undefined && opts.url !== undefined) throw new ValidationError('give --file or --url, not both', [{ path: '--file', message: 'conflict' }]);
      const text = opts.file !== undefined ? readText(opts.file, 'rates file') : undefined;
      await withStore(async ({ db, config }) => {
        printImport(text !== undefined ? await importFeedText(db, text, opts.file!, source) : await importFeedUrl(db, opts.url ?? config.fx.urls[source], source));
      });
    });

  fx.command('rate')
    .description('the rate that applies to a day (weekends and holidays use the last publication; none within 7 days = error)')
    .requiredOption('--currency <ccy>', 'e.g. EUR')
    .option('--source <s>', 'BNR or ECB', 'BNR')
    .option('--date <YYYY-MM-DD>', 'day of the operation (default today in Romania)')
    .option('--policy <p>', `${FX_DATE_POLICIES.join(' or ')}`, 'previous')
    .action(async (opts: { currency: string; source: string; date?: string; policy: string }) => {
      const source = parseFxSource(opts.source);
      if (!(FX_DATE_POLICIES as readonly string[]).includes(opts.policy)) throw new ValidationError(`--policy must be ${FX_DATE_POLICIES.join(' or ')}`, [{ path: '--policy', message: 'unknown' }]);
      const date = checkDate(opts.date) ?? dayOf(new Date());
      const currency = opts.currency.toUpperCase();
      await withStore(async ({ db }) => {
        const book = await new FxRateRepository(db).book([{ source, currencies: [currency] }], date, date);
        const r = book.fixingFor(source, currency, date, opts.policy as FxDatePolicy);
        const base = source === 'BNR' ? 'RON' : 'EUR';
        console.log(
          source === 'BNR'
            ? `${date}: ${r.multiplier} ${currency} = ${r.rate} ${base} (BNR, published ${r.date})`
            : `${date}: 1 ${base} = ${r.rate} ${currency} (ECB, published ${r.date})`,
        );
      });
    });
}
