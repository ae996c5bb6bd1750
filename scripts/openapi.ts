/**
 * Write the API's OpenAPI description (what /api/docs/json serves) to a file — panel/openapi.json by
 * default, from which the panel's typed client is generated:
 *   node --import tsx scripts/openapi.ts [outfile]
 * The server is built in-process and never listens; no database is opened.
 */
import { writeFileSync } from 'node:fs';
import { describeApi } from '../src/http/describe-api.ts';

const out = process.argv[2] ?? 'panel/openapi.json';
const { spec } = await describeApi();
writeFileSync(out, `${JSON.stringify(spec, null, 2)}\n`);
console.log(`${out}: ${Object.keys(spec.paths).length} paths`);
