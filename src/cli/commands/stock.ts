import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import { MAX_QUANTITY, quantityProblem, skuProblem } from '../../stock/bounds.ts';
import { checkStockPolicy, StockLedger } from '../../stock/ledger.ts';
import type { StockPolicyOverride } from '../../stock/policy.ts';
import { parseStockFile } from '../../stock/import-file.ts';
import { cliActor, withTenant } from '../context.ts';

const AUTHOR = cliActor();

/** Check a SKU and a number argument before anything is opened: a typo costs no database start-up. */
function checkedArgs(sku: string, value: string, problem: (n: number) => string | null): number {
  const bad = skuProblem(sku);
  if (bad) throw new ValidationError(bad, [{ path: 'sku', message: bad }]);
  const digits = /^[+-]?\d+$/.test(value.trim());
  const n = digits ? Number(value) : Number.NaN;
  // A number too long to be exact is simply out of range (the bounds are far below 2^53).
  const why = !digits ? `"${value.slice(0, 40)}" is not a whole number` : problem(Number.isSafeInteger(n) ? n : Math.sign(n) * Number.MAX_SAFE_INTEGER);
  if (why) throw new ValidationError(why, [{ path: 'quantity', message: why }]);
  return n;
}

function deltaProblem(n: number): string | null {
  if (n === 0) return 'an adjustment must not be 0';
  return Math.abs(n) > MAX_QUANTITY ? `an adjustment must be between -${MAX_QUANTITY.toLocaleString('en')} and ${MAX_QUANTITY.toLocaleString('en')}` : null;
}

/** `vortex stock …`: the per-tenant stock ledger (lexoffice keeps no stock). */
export function registerStockCommands(program: Command): void {
  const stock = program.command('stock').description('stock ledger: import, set, adjust, buffer policy, show');

  stock
    .command('import <file>')
    .description('set on-hand quantities from a CSV (sku,quantity) or JSON ([{sku,quantity}]) file; all rows or none')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--format <csv|json>', 'file format (default: from the extension)')
    .option('--reason <text>', 'why', 'stock import')
    .action(async (file: string, opts: { tenant: string; format?: string; reason: string }) => {
      const format = (opts.format ?? (path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv')) as 'csv' | 'json';
      const rows = await parseStockFile(await fs.readFile(file, 'utf8'), format);
      await withTenant(opts.tenant, async ({ db }) => {
        const { changed } = await new StockLedger(db).setOnHand(opts.tenant, rows, { reason: opts.reason, author: AUTHOR, source: `import:${format}` });
        console.log(`${rows.length} rows read, ${changed} quantities changed`);
      });
    });

  stock
    .command('set <sku> <quantity>')
    .description('set the on-hand quantity of one SKU')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--reason <text>', 'why', 'manual count')
    .action(async (sku: string, quantity: string, opts: { tenant: string; reason: string }) => {
      const onHand = checkedArgs(sku, quantity, quantityProblem);
      await withTenant(opts.tenant, async ({ db }) => {
        await new StockLedger(db).setOnHand(opts.tenant, [{ sku, onHand }], { reason: opts.reason, author: AUTHOR, source: 'cli' });
        console.log(`${sku}: on hand ${quantity}`);
      });
    });

  stock
    .command('adjust <sku> <delta>')
    .description('add or remove units (e.g. -2 for a sale in the shop)')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--reason <text>', 'why', 'manual adjustment')
    .action(async (sku: string, delta: string, opts: { tenant: string; reason: string }) => {
      const n = checkedArgs(sku, delta, deltaProblem);
      await withTenant(opts.tenant, async ({ db }) => {
        const r = await new StockLedger(db).adjust(opts.tenant, sku, n, { reason: opts.reason, author: AUTHOR, source: 'cli' });
        console.log(`${sku}: on hand ${r.onHand}, reserved ${r.reserved}`);
      });
    });

  stock
    .command('policy')
    .description('set the oversell buffer for the tenant, or for one SKU with --sku')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--sku <sku>', 'override for this SKU only')
    .option('--buffer <n>', 'units held back, or a percentage with --percent')
    .option('--percent', 'the buffer is a percentage of what is available')
    .option('--floor <n>', 'publish 0 when the quantity after the buffer is at or below this')
    .option('--cap <n>', 'never publish more than this')
    .action(async (opts: { tenant: string; sku?: string; buffer?: string; percent?: boolean; floor?: string; cap?: string }) => {
      const policy: StockPolicyOverride = {
        ...(opts.buffer !== undefined ? { bufferValue: opts.buffer, bufferKind: opts.percent ? 'percent' : 'absolute' } : {}),
        ...(opts.floor !== undefined ? { floor: Number(opts.floor) } : {}),
        ...(opts.cap !== undefined ? { cap: Number(opts.cap) } : {}),
      };
      checkStockPolicy(opts.sku ?? null, policy);
      await withTenant(opts.tenant, async ({ db }) => {
        await new StockLedger(db).setPolicy(opts.tenant, opts.sku ?? null, policy);
        console.log('policy saved');
      });
    });

  stock
    .command('show')
    .description('on hand, reserved and the quantity Vortex publishes, per SKU')
    .requiredOption('--tenant <id>', 'tenant id')
    .action(async (opts: { tenant: string }) => {
      await withTenant(opts.tenant, async ({ db }) => {
        console.log('sku\ton_hand\treserved\tpublished');
        for (const r of await new StockLedger(db).published(opts.tenant)) console.log(`${r.sku}\t${r.onHand}\t${r.reserved}\t${r.published}`);
      });
    });
}
