#!/usr/bin/env node
// Runs the whole suite: each test file in its own `node --import tsx` process (as `node --test` would),
// a fixed number at once, longest first, and prints how long each file took. Node 20 neither finds .ts
// test files by itself nor expands globs, so the list is built here.
// Usage: node scripts/run-tests.mjs [--unit] [filter...]   (filters match against file paths)
// VORTEX_TEST_CONCURRENCY: files at once (default 2), plus one lane for files that mostly wait
// (VORTEX_TEST_WAITING_LANE=0 turns it off).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const allFiles = [...walk(join(root, 'test')), ...walk(join(root, 'src')), ...walk(join(root, 'sim'))].sort();
let files = allFiles;
if (unitOnly) files = files.filter((f) => f.includes('/unit/') || f.startsWith('src/'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}

// Longest first: with a fixed number of files at once, starting the long ones early keeps one of them
// from running alone at the end (the suite's wall time is about its sum / concurrency). The order comes
// from the times the last run recorded; files it did not time go by the LONG list, then by name.
const timesFile = join(root, 'node_modules', '.cache', 'vortex-test-times.json');
let recorded = {};
try {
  recorded = JSON.parse(readFileSync(timesFile, 'utf8'));
} catch {
  // first run, or the cache was cleared
}
const LONG = [
  'test/e2e/orders-exactly-once', 'test/http/cli-bad-input', 'test/e2e/crash-recovery', 'test/e2e/orders.test', 'test/e2e/demo',
  'test/e2e/catalog-sync', 'test/http/bad-input-fields', 'test/panel/browser', 'test/http/auth', 'test/integration/jobs', 'test/e2e/fulfilment-faults', 'test/http/cli-sync',
];
const guess = (f) => {
  if (recorded[f] !== undefined) return recorded[f];
  const i = LONG.findIndex((l) => f.startsWith(l));
  return i < 0 ? 0 : 1000 - i;
};
// Files that mostly wait on timers (lexoffice's 2 req/s pace, job polling, retry back-off): measured at
// under 0.45 s of CPU per second of wall time, against 0.6–1.2 for the files that start Vortex processes
// or fill databases. They run in one extra lane beside the others, so waiting never holds a CPU lane.
const WAITING = ['test/e2e/orders.test', 'test/e2e/catalog-sync', 'test/integration/jobs', 'test/e2e/fulfilment-faults', 'test/lexoffice/token-bucket', 'test/lexoffice/rate-limit', 'test/integration/sync-scheduling'];
const waits = (f) => WAITING.some((w) => f.startsWith(w));
files.sort((a, b) => guess(b) - guess(a) || a.localeCompare(b));

// The vortex processes the tests start run the CLI bundle (bin/vortex.js uses it only while it matches the
// sources): build it first, as `npm start` does. A failed build fails the run.
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('run-tests: scripts/build-cli.mjs failed');
  process.exit(1);
}

const concurrency = Math.max(1, Number(process.env.VORTEX_TEST_CONCURRENCY ?? '2') || 2);
const waitingLane = process.env.VORTEX_TEST_WAITING_LANE !== '0';
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
console.log(`run-tests: ${files.length} files, ${concurrency} at once${waitingLane ? ' plus a lane for the files that mostly wait' : ''}`);

/** One file in its own process; its output is printed in one piece when it ends, so files never interleave. */
function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', `--test-reporter=${reporter}`, file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - started) / 1000;
      const text = Buffer.concat(chunks).toString();
      const count = (k) => Number(new RegExp(`^(?:# |ℹ )${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      process.stdout.write(`\n# ---- ${file}\n${text}`);
      const ok = code === 0;
      console.log(`# ---- ${file}: ${ok ? 'ok' : `FAILED (exit ${code ?? signal})`} in ${seconds.toFixed(1)} s`);
      resolve({ file, ok, seconds, tests: count('tests'), pass: count('pass'), fail: count('fail'), skipped: count('skipped') });
    });
  });
}

const started = Date.now();
// Both queues longest first. The CPU lanes take busy files first, the waiting lane waiting files first;
// each goes on with the other queue when its own is empty.
const busy = files.filter((f) => !waitingLane || !waits(f));
const waiting = files.filter((f) => waitingLane && waits(f));
const results = [];
const lane = async (first, then) => {
  for (let f = first.shift() ?? then.shift(); f !== undefined; f = first.shift() ?? then.shift()) results.push(await runFile(f));
};
await Promise.all([
  ...Array.from({ length: Math.min(concurrency, files.length) }, () => lane(busy, waiting)),
  ...(waitingLane && waiting.length ? [lane(waiting, busy)] : []),
]);
const wall = (Date.now() - started) / 1000;

try {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  const times = Object.fromEntries(Object.entries(recorded).filter(([f]) => allFiles.includes(f))); // renamed files drop out
  for (const r of results) times[r.file] = Math.round(r.seconds * 10) / 10;
  writeFileSync(timesFile, JSON.stringify(times, null, 1));
} catch {
  // the order of the next run is an optimisation only
}

const sum = (k) => results.reduce((a, r) => a + r[k], 0);
const failed = results.filter((r) => !r.ok);
console.log('\n# slowest files');
for (const r of [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 12)) console.log(`#   ${r.seconds.toFixed(1).padStart(6)} s  ${r.file}`);
console.log(`# files ${results.length}, tests ${sum('tests')}, pass ${sum('pass')}, fail ${sum('fail')}, skipped ${sum('skipped')}`);
console.log(`# wall ${wall.toFixed(1)} s with ${concurrency} at once${waitingLane ? ' + the waiting lane' : ''} (sum of the files' times ${sum('seconds').toFixed(1)} s)`);
if (failed.length) console.log(`# FAILED: ${failed.map((r) => r.file).join(', ')}`);
process.exit(failed.length ? 1 : 0);
