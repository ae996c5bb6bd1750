#!/usr/bin/env node
// Bundles the CLI (src/cli/main.ts and what it loads, lazily loaded commands as chunks) into dist/cli
// with esbuild, dependencies left external, and stamps it with the sources it was built from; bin/vortex.js
// runs the bundle only while that stamp matches (see bin/cli-build.js). Up to date → nothing to do.
// Usage: node scripts/build-cli.mjs [--force]
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_DIST, cliBuildIsFresh, ROOT, sourcesStamp, STAMP_NAME } from '../bin/cli-build.js';

if (!process.argv.includes('--force') && cliBuildIsFresh()) {
  console.log('cli: up to date (dist/cli)');
  process.exit(0);
}
const stamp = sourcesStamp();
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('cli: esbuild is not installed; vortex runs from its sources (tsx)');
  process.exit(0);
}
const started = Date.now();
// Built beside and swapped in at the end: a vortex process starting meanwhile sees the old bundle or the
// new one, never half of one.
const next = `${CLI_DIST}.next`;
rmSync(next, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
  outdir: next,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Written last: a build that failed halfway has no stamp and never runs.
writeFileSync(join(next, STAMP_NAME), `${stamp}\n`);
rmSync(CLI_DIST, { recursive: true, force: true });
renameSync(next, CLI_DIST);
console.log(`cli: built dist/cli in ${Date.now() - started} ms`);
