#!/usr/bin/env node
// The panel's typed API client: the server's OpenAPI description (scripts/openapi.ts writes it to
// panel/openapi.json from the zod schemas at the routes) → panel/src/api/schema.d.ts (openapi-typescript).
// Run after changing a route: `npm run gen:api`; both files are committed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (existsSync(join(root, 'scripts', 'openapi.ts'))) run(['--import', 'tsx', 'scripts/openapi.ts']);
if (!existsSync(join(root, 'panel', 'openapi.json'))) {
  console.error('gen:api: panel/openapi.json is missing (scripts/openapi.ts writes it)');
  process.exit(1);
}
run([join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), 'panel/openapi.json', '-o', 'panel/src/api/schema.d.ts']);
