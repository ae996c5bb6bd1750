// `npm run bench`: runs every bench/*.bench.ts (or those whose name contains an argument) and prints
// their figures. Each bench file exports `name` and `run(): Promise<void>` that prints its results.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) console.log('no benchmarks matched');
for (const f of files) {
  const mod = (await import(path.join(dir, f))) as { name?: string; run: () => Promise<void> };
  console.log(`\n== ${mod.name ?? f}`);
  await mod.run();
}
