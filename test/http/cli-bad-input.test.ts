import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runVortex, type RunResult } from '../helpers/process.ts';
import { migratedDataDir } from '../helpers/stores.ts';

/**
 * Every command the `vortex` CLI has — read from its own --help, so a new command fails this file until
 * it gets a case — is given bad input. Each must exit non-zero with the problem on the first line of
 * stderr (`vortex: …` for Vortex's own checks, `error: …` for commander's usage errors) and never a
 * stack trace; Vortex's own refusals are exactly one line.
 */

const HUGE = 'x'.repeat(10_000);
const FILES = { missing: '<missing>', badJson: '<bad-json>', bigSku: '<big-sku-csv>' } as const;

type Case = readonly [args: readonly string[], expected: RegExp, env?: Record<string, string>];

const CASES: Record<string, readonly Case[]> = {
  demo: [[['demo', '--port', 'abc'], /PORT="abc"/]],
  start: [[['start', '--port', '99999'], /PORT="99999".*65535/]],
  web: [[['web', '--port', '-1'], /PORT="-1"/]],
  worker: [[['worker'], /VORTEX_JOB_BATCH_SIZE/, { VORTEX_JOB_BATCH_SIZE: '0' }]],
  migrate: [[['migrate'], /DATABASE_URL.*postgres:\/\//, { DATABASE_URL: 'mysql://db/x' }]],
  keygen: [[['keygen', 'extra'], /too many arguments/]],
  map: [
    [['map', '--article', FILES.missing], /ENOENT/],
    [['map', '--article', FILES.badJson], /article file/],
  ],
  sync: [
    [['sync', '--tenant', 'shop', '--url', 'http://127.0.0.1:9'], /Vortex is not running at http:\/\/127\.0\.0\.1:9/],
    [['sync', '--tenant', 'shop', '--timeout', 'abc'], /--timeout must be a positive number/],
  ],
  'orders list': [[['orders', 'list', '--tenant', 'shop', '--url', 'http://127.0.0.1:9'], /Vortex is not running at http:\/\/127\.0\.0\.1:9/]],
  'orders show': [[['orders', 'show', '12ab', '--tenant', 'shop'], /order id must be the Cel\.ro order number/]],
  'orders replay': [[['orders', 'replay', '--tenant', 'shop'], /either an order id or --reason/]],
  'orders awb': [[['orders', 'awb', '123', '--tenant', 'shop', '--courier', 'manual', '--url', 'http://127.0.0.1:9'], /Vortex is not running/]],
  'orders awb-import': [[['orders', 'awb-import', FILES.missing, '--tenant', 'shop'], /ENOENT/]],
  'orders invoice': [
    [['orders', 'invoice', '123', '--tenant', 'shop'], /give --file, --series and --number/],
    [['orders', 'invoice', '123', '--tenant', 'shop', '--file', FILES.badJson, '--series', 'A', '--number', '1'], /is not a PDF/],
  ],
  alerts: [
    [['alerts', '--state', 'closed'], /--state must be open, resolved, all/],
    [['alerts', '--tenant', 'shop', '--url', 'http://127.0.0.1:9'], /Vortex is not running at http:\/\/127\.0\.0\.1:9/],
  ],
  'orders poll': [[['orders', 'poll', '--tenant', 'shop', '--url', 'http://127.0.0.1:9'], /Vortex is not running/]],
  'tenant add': [
    [['tenant', 'add', 'Bad Id!', '--name', 'x'], /tenant id: 2–63 lowercase/],
    [['tenant', 'add', 'shop2', '--name', 'n'.repeat(300)], /tenant name.*at most 200 characters/],
  ],
  'tenant list': [[['tenant', 'list', 'extra'], /too many arguments/]],
  'tenant connect-lexoffice': [
    [['tenant', 'connect-lexoffice', 'shop'], /LEXOFFICE_API_KEY is not set/],
    [['tenant', 'connect-lexoffice', 'nobody'], /tenant "nobody" not found/, { LEXOFFICE_API_KEY: 'k' }],
    [['tenant', 'connect-lexoffice', 'shop', '--base-url', 'not a url'], /--base-url must be an http\(s\) URL/, { LEXOFFICE_API_KEY: 'k' }],
  ],
  'user add': [
    [['user', 'add', 'a@example.com', '--role', 'operator'], /set VORTEX_PASSWORD/],
    [['user', 'add', 'a@example.com', '--role', 'king'], /--role must be operator or merchant/],
    [['user', 'add', 'a@example.com', '--role', 'merchant'], /needs at least one --tenant/],
    [['user', 'add', 'not-an-email', '--role', 'operator'], /must be an e-mail address/, { VORTEX_PASSWORD: 'a long enough password' }],
    [['user', 'add', 'a@example.com', '--role', 'operator'], /at least 12 characters/, { VORTEX_PASSWORD: 'short' }],
    [['user', 'add', 'b@example.com', '--role', 'merchant', '--tenant', 'nobody'], /tenant "nobody" not found/, { VORTEX_PASSWORD: 'a long enough password' }],
  ],
  'user list': [[['user', 'list', 'extra'], /too many arguments/]],
  'user password': [
    [['user', 'password', 'nobody@example.com'], /set VORTEX_PASSWORD/],
    [['user', 'password', 'nobody@example.com'], /no user nobody@example.com/, { VORTEX_PASSWORD: 'a long enough password' }],
  ],
  'tenant connect-celro': [[['tenant', 'connect-celro', 'shop'], /CELRO_USERNAME is not set/]],
  'stock import': [
    [['stock', 'import', FILES.missing, '--tenant', 'shop'], /ENOENT/],
    [['stock', 'import', FILES.bigSku, '--tenant', 'shop'], /nothing imported.*at most 200 characters/],
  ],
  'stock set': [
    [['stock', 'set', 'A', '99999999999', '--tenant', 'shop'], /quantity must be ≤ 1,000,000,000/],
    [['stock', 'set', 'A', '123456789012345678901234567890', '--tenant', 'shop'], /quantity must be/],
    [['stock', 'set', HUGE, '1', '--tenant', 'shop'], /at most 200 characters/],
    [['stock', 'set', 'A', '5', '--tenant', 'nobody'], /tenant "nobody" not found/],
  ],
  'stock adjust': [
    [['stock', 'adjust', 'A', String(2 ** 53 - 1), '--tenant', 'shop'], /1,000,000,000/],
    [['stock', 'adjust', 'A', '1', '--tenant', 'shop', '--reason', 'r'.repeat(600)], /reason must be at most 500 characters/],
  ],
  'stock policy': [
    [['stock', 'policy', '--tenant', 'shop', '--floor', '-1'], /floor: must be ≥ 0/],
    [['stock', 'policy', '--tenant', 'shop', '--cap', '1e30'], /cap: must be ≤ 1,000,000,000/],
    [['stock', 'policy', '--tenant', 'shop', '--buffer', '1000000000'], /buffer must be below 100,000,000/],
  ],
  'stock show': [[['stock', 'show', '--tenant', 'nobody'], /tenant "nobody" not found/]],
  'rules default': [[['rules', 'default', '--direction', 'sideways'], /direction must be "catalog" or "order"/]],
  'rules check': [
    [['rules', 'check', FILES.missing], /ENOENT/],
    [['rules', 'check', FILES.badJson], /rules file/],
  ],
  'rules list': [[['rules', 'list', 'nobody'], /tenant "nobody" not found/]],
  'rules show': [[['rules', 'show', 'shop', '99999999999999999999'], /versionId must be a whole number/]],
  'rules create': [[['rules', 'create', 'shop', 'catalog', '--file', FILES.badJson], /rule set document/]],
  'rules validate': [[['rules', 'validate', 'shop', 'abc'], /versionId must be a whole number/]],
  'rules activate': [[['rules', 'activate', 'shop', '-5', '--reason', 'x'], /versionId must be a whole number/]],
  'rules rollback': [[['rules', 'rollback', 'shop', 'catalog', '--to', '99999999999999999999', '--reason', 'x'], /--to must be a whole number/]],
  'rules history': [[['rules', 'history', 'shop', 'sideways'], /direction must be "catalog" or "order"/]],
  'rules preview': [[['rules', 'preview', 'shop', 'abc'], /versionId must be a whole number/]],
  'fx import': [
    [['fx', 'import', '--source', 'XYZ'], /unknown FX source "XYZ"/],
    [['fx', 'import', '--file', FILES.missing], /ENOENT/],
  ],
  'fx rate': [[['fx', 'rate', '--currency', 'EUR', '--date', '2026-13-45'], /--date must be YYYY-MM-DD/]],
  'sim lexoffice': [[['sim', 'lexoffice', '--port', 'abc'], /port/i]],
  'sim celro': [[['sim', 'celro', '--port', '99999'], /port/i]],
  'sim fancourier': [[['sim', 'fancourier', '--port', 'abc'], /port/i]],
  'sim sameday': [[['sim', 'sameday', '--port', 'abc'], /port/i]],
};

/** Command names listed under "Commands:" in a help text (help itself aside). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

describe('every CLI command: bad input is one clear line and a non-zero exit, never a stack trace', () => {
  let dir: string;
  let env: Record<string, string>;
  const files: Record<string, string> = {};
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-cli-every-'));
    // Credentials from the developer's shell must not turn a refusal into a success.
    env = { VORTEX_DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'info', LEXOFFICE_API_KEY: '', CELRO_USERNAME: '', CELRO_PASSWORD: '', DATABASE_URL: '' };
    files[FILES.missing] = path.join(dir, 'does-not-exist.json');
    files[FILES.badJson] = path.join(dir, 'bad.json');
    files[FILES.bigSku] = path.join(dir, 'big-sku.csv');
    await fs.writeFile(files[FILES.badJson]!, '{"a": ');
    await fs.writeFile(files[FILES.bigSku]!, `sku,quantity\n${HUGE},1\n`);
    await migratedDataDir(env.VORTEX_DATA_DIR!);
    const made = await runVortex(['tenant', 'add', 'shop', '--name', 'Shop'], env);
    assert.equal(made.code, 0, made.stderr);
    // A second data directory with the same content, so two store-opening commands can run at once.
    await fs.cp(env.VORTEX_DATA_DIR!, path.join(dir, 'data2'), { recursive: true });
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('has cases for exactly the commands vortex --help lists', async () => {
    const leaves: string[] = [];
    const top = commandsIn((await runVortex(['--help'], env)).stdout);
    assert.ok(top.length >= 10, `commands found: ${top.join(', ')}`);
    const helps = await Promise.all(top.map((c) => runVortex([c, '--help'], env)));
    top.forEach((c, i) => {
      const sub = commandsIn(helps[i]!.stdout);
      if (sub.length === 0) leaves.push(c);
      else leaves.push(...sub.map((s) => `${c} ${s}`));
    });
    assert.deepEqual(leaves.filter((l) => !CASES[l]).sort(), [], 'commands without a bad-input case');
    assert.deepEqual(Object.keys(CASES).filter((k) => !leaves.includes(k)).sort(), [], 'cases for commands that no longer exist');
  });

  // Three lanes: commands that may open the embedded database (it admits one process at a time) run one
  // after another on each of two copies of the data directory; the others beside them.
  const results = new Map<string, Promise<RunResult[]>>();
  const lane = (commands: string[], dataDir: string) =>
    commands.reduce<Promise<unknown>>((prev, command) => {
      const done = prev.then(() => runCases(CASES[command]!, dataDir));
      results.set(command, done);
      return done.catch(() => undefined);
    }, Promise.resolve());
  const runCases = async (cases: readonly Case[], dataDir: string) => {
    const out: RunResult[] = [];
    for (const [args, , extraEnv] of cases) out.push(await runVortex(args.map((a) => files[a] ?? a), { ...env, VORTEX_DATA_DIR: dataDir, ...extraEnv }));
    return out;
  };
  const opensStore = (command: string) => /^(tenant|user|stock|fx|rules (?!default|check))/.test(command);

  it('runs every case', async () => {
    const names = Object.keys(CASES);
    const store = names.filter(opensStore);
    const half = Math.ceil(store.length / 2);
    await Promise.all([
      lane(store.slice(0, half), env.VORTEX_DATA_DIR!),
      lane(store.slice(half), path.join(dir, 'data2')),
      lane(names.filter((n) => !opensStore(n)), env.VORTEX_DATA_DIR!),
    ]);
  });

  for (const [command, cases] of Object.entries(CASES)) {
    it(command, async () => {
      const runs = await results.get(command)!;
      cases.forEach(([args, expected], i) => {
        const r = runs[i]!;
        const argv = args.map((a) => files[a] ?? a);
        const shown = `vortex ${argv.join(' ').slice(0, 120)} → exit ${r.code}\n${r.stderr.slice(0, 2000)}`;
        assert.notEqual(r.code, 0, shown);
        assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `stack trace: ${shown}`);
        // Log lines (JSON) may precede the verdict; the verdict is the first plain line.
        const lines = r.stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{"level"'));
        assert.match(lines[0] ?? '', /^(vortex|error): /, shown);
        assert.match(lines[0]!, expected, shown);
        if (lines[0]!.startsWith('vortex: ')) assert.equal(lines.length, 1, `more than one line: ${shown}`);
        assert.ok(lines[0]!.length <= 2100, `a ${lines[0]!.length}-character line`);
      });
    });
  }
});
