#!/usr/bin/env node
// Runs the whole suite with node's test runner. Node 20 neither finds .ts test files by itself nor
// expands globs, and with no file list it reports "tests 0" and exits 0 — so the list is built here.
// Usage: node scripts/run-tests.mjs [--unit] [filter...]   (filters match against file paths)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
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

let files = [...walk(join(root, 'test')), ...walk(join(root, 'src')), ...walk(join(root, 'sim'))].sort();
if (unitOnly) files = files.filter((f) => f.includes('/unit/') || f.startsWith('src/'));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
// Longest first: with a fixed number of files at once, starting the few long ones early keeps one of
// them from running alone at the end (measured: the suite's wall time is about its sum / concurrency).
const LONG = ['test/http/cli-bad-input', 'test/e2e/orders-exactly-once', 'test/http/cli-sync', 'test/e2e/demo', 'test/e2e/orders.test', 'test/e2e/crash-recovery', 'test/e2e/catalog-sync', 'test/e2e/fulfilment-faults'];
const rank = (f) => {
  const i = LONG.findIndex((l) => f.startsWith(l));
  return i < 0 ? LONG.length : i;
};
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
console.log(`run-tests: ${files.length} files`);
const concurrency = process.env.VORTEX_TEST_CONCURRENCY ?? '2';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
});
process.exit(r.status ?? 1);
