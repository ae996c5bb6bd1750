#!/usr/bin/env node
// Builds the vendor panel (panel/ → panel/dist) with Vite when the build is missing or older than its
// sources; `npm start` runs it first, so a fresh clone's `npm install && npm start` serves the panel.
// Usage: node scripts/build-panel.mjs [--force]
// Without Vite installed (a production install without devDependencies) an existing build is kept and a
// missing one is reported: Vortex then serves a page at / saying how to build it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const panel = join(root, 'panel');
const built = join(panel, 'dist', 'index.html');

function newest(p) {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const name of readdirSync(p)) if (name !== 'dist' && name !== 'node_modules') m = Math.max(m, newest(join(p, name)));
  return m;
}

const force = process.argv.includes('--force');
const sources = Math.max(newest(panel), statSync(join(root, 'package-lock.json')).mtimeMs);
if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) {
  console.log('panel: up to date (panel/dist)');
  process.exit(0);
}

let vite;
try {
  vite = await import('vite');
} catch {
  console.warn(existsSync(built) ? 'panel: Vite is not installed; serving the existing build' : 'panel: Vite is not installed (npm install), the panel is not built');
  process.exit(0);
}
const t0 = Date.now();
await vite.build({ configFile: join(panel, 'vite.config.ts'), logLevel: 'warn' });
console.log(`panel: built into panel/dist in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
