import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/**
 * OpenAPI for the REST API, from the zod schemas that already check each route's input: a route passes
 * `schema: doc({ summary, params, query, body, response })` and keeps parsing with `parseInput` in its
 * handler (whose messages name the field and its limit). Fastify itself neither validates nor
 * serializes with these schemas (see `documentationOnly`): they are the description, not the check.
 */

/** A zod schema as JSON Schema (2020-12, what OpenAPI 3.1 uses): what a client sends (`input`) or receives (`output`). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** A timestamp in a response (a Date serialised as ISO 8601). */
export const dateTime = z.string().meta({ format: 'date-time' });

const asJson = (s: z.ZodType | JsonSchema, io: 'input' | 'output'): JsonSchema => (s instanceof z.ZodType ? jsonSchemaOf(s, io) : s);

/** Every refusal of the API: `{ error: { code, message, issues? } }`. */
export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('stable machine code: validation_failed, not_found, conflict, auth_failed, …'),
      message: z.string(),
      issues: z.array(z.object({ path: z.string().describe('the field (a JSON path for rule documents)'), message: z.string() })).optional(),
    }),
  })
  .describe('an error');

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  /** Path parameters beyond the tenant id (added for every `:name` of the URL when missing). */
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  /** A zod schema, or a JSON schema for bodies that are not zod-parsed as a whole (CSV or JSON array). */
  readonly body?: z.ZodType | JsonSchema;
  /** Content types of the body other than JSON. */
  readonly consumes?: readonly string[];
  /** The success answer (zod: described as output; JSON schema as is). */
  readonly response?: z.ZodType | JsonSchema;
  /** The success status (200 unless given). */
  readonly status?: number;
}

/** A route's schema for the OpenAPI description, tagged with the route file's tag. */
export function docsFor(tag: string): (d: RouteDoc) => FastifySchema {
  return (d) => ({
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    tags: [tag],
    ...(d.params ? { params: asJson(d.params, 'input') } : {}),
    ...(d.query ? { querystring: asJson(d.query, 'input') } : {}),
    ...(d.body ? { body: asJson(d.body, 'input') } : {}),
    ...(d.consumes ? { consumes: ['application/json', ...d.consumes] } : {}),
    response: {
      [d.status ?? 200]: d.response ? { description: 'success', ...asJson(d.response, 'output') } : { description: 'success', type: 'object', additionalProperties: true },
      '4XX': { description: 'refused: bad input, unknown tenant or record, conflict', ...jsonSchemaOf(errorResponse, 'output') },
    },
  });
}

/**
 * Inside the /api plugin: routes keep their zod checks in the handler, so Fastify compiles no validator
 * and no serializer from the documentation schemas (a response schema would otherwise drop every field
 * it does not list).
 */
export function documentationOnly(api: FastifyInstance): void {
  api.setValidatorCompiler(() => () => true);
  api.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

const PATH_PARAM = /:(\w+)/g;

/**
 * The OpenAPI document of /api (JSON at /api/docs/json, the UI at /api/docs), reachable without the API
 * token: it holds no data. Register before the API so every route is seen; routes outside /api (webhooks,
 * /metrics, health) are left out of the description.
 */
export function docsModule() {
  return async (app: FastifyInstance): Promise<void> => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Vortex API', version: '1', description: 'lexoffice ↔ Cel.ro integration engine: tenants, rules, catalog, stock, orders, sync.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'VORTEX_API_TOKEN' } } },
        security: [{ bearer: [] }],
      },
      transform: ({ schema, url }) => {
        const s = (schema ?? {}) as FastifySchema & { hide?: boolean };
        if (!url.startsWith('/api/') || url.startsWith('/api/docs')) return { schema: { ...s, hide: true }, url };
        // OpenAPI needs every path parameter named: fill in the ones a route's own schema leaves out (the tenant id).
        const names = [...url.matchAll(PATH_PARAM)].map((m) => m[1]!);
        if (names.length === 0) return { schema: s, url };
        const given = (s.params ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown>; required?: string[] };
        const properties: Record<string, unknown> = { ...given.properties };
        for (const n of names) properties[n] ??= n === 'id' ? { type: 'string', description: 'tenant id', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } : { type: 'string' };
        return { schema: { ...s, params: { type: 'object', properties, required: names } }, url };
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  };
}
