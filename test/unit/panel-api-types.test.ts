import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';

// The panel's typed client is only as good as its types: panel/src/api/schema.d.ts must be what
// openapi-typescript makes of the committed panel/openapi.json (itself checked against the routes by
// test/http/openapi.test.ts). After changing a route: `npm run gen:api`.
it('panel/src/api/schema.d.ts is generated from the current panel/openapi.json (else: npm run gen:api)', async () => {
  const spec = JSON.parse(readFileSync(new URL('../../panel/openapi.json', import.meta.url), 'utf8')) as Parameters<typeof openapiTS>[0];
  const types = readFileSync(new URL('../../panel/src/api/schema.d.ts', import.meta.url), 'utf8');
  assert.ok(types.endsWith(astToString(await openapiTS(spec))), 'schema.d.ts is stale: run npm run gen:api');
});
