// The prebuilt CLI (dist/cli, made by scripts/build-cli.mjs) and whether it still matches the sources.
// Plain JS on purpose: bin/vortex.js reads this before any TypeScript can be loaded.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// fileURLToPath, not .pathname: a checkout under a path with spaces would otherwise read as %20.
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const cliDist = (root) => join(root, 'dist', 'cli');
export const STAMP_NAME = 'sources.stamp';
export const CLI_DIST = cliDist(ROOT);
/** What the bundle is built from: every file under these (tests too: cheap, and never stale by mistake). */
const SOURCE_ROOTS = ['src', 'sim', 'tsconfig.json', 'package.json'];

function list(p, out) {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) return;
  if (!s.isDirectory()) {
    out.push(`${p}\0${s.size}\0${s.mtimeMs}`);
    return;
  }
  for (const name of readdirSync(p).sort()) list(join(p, name), out);
}

/** A digest of every source file's path, size and modification time (≈ 5 ms for 300 files). */
export function sourcesStamp(root = ROOT) {
  const out = [];
  for (const r of SOURCE_ROOTS) list(join(root, r), out);
  return createHash('sha256').update(out.join('\n')).digest('hex');
}

/** True when dist/cli was built from exactly the sources on disk; a changed, added or removed file makes it stale. */
export function cliBuildIsFresh(root = ROOT) {
  const stamp = join(cliDist(root), STAMP_NAME);
  if (!existsSync(stamp) || !existsSync(join(cliDist(root), 'main.js'))) return false;
  return readFileSync(stamp, 'utf8').trim() === sourcesStamp(root);
}
