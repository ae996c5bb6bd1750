import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { StockLedger } from '../../stock/ledger.ts';
import { deltaSchema, MAX_SKU_LENGTH, quantitySchema, skuSchema } from '../../stock/bounds.ts';
import { parseStockFile } from '../../stock/import-file.ts';
import type { AppContext } from '../../context.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { limitQuery, parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const reason = z.string().min(1).max(500, 'must be at most 500 characters');
const setBody = z.object({ onHand: quantitySchema, reason: reason.default('set via API') }).strict();
const adjustBody = z.object({ delta: deltaSchema, reason }).strict();
const skuParam = z.object({ sku: skuSchema }).loose();
const policyBody = z
  .object({
    bufferKind: z.enum(['absolute', 'percent']).optional(),
    bufferValue: z.string().regex(/^\d+(\.\d+)?$/, 'a decimal number ≥ 0 as a string').optional(),
    floor: quantitySchema.optional(),
    cap: quantitySchema.nullable().optional(),
  })
  .strict();

const listQuery = z
  .object({
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(5000, 'must be ≤ 5000').optional().describe('page size; without it every SKU'),
    after: z.string().max(MAX_SKU_LENGTH, `must be at most ${MAX_SKU_LENGTH} characters (a SKU)`).default('').describe('the last SKU of the previous page'),
    q: z.string().max(200, 'must be at most 200 characters').optional().describe('part of the SKU'),
  })
  .loose();
const ledgerQuery = limitQuery(100, 1000);
const policyShape = z.object({ bufferKind: z.enum(['absolute', 'percent']), bufferValue: z.string(), floor: z.number().int(), cap: z.number().int().nullable() });
const policyOverride = policyShape.partial();
export const stockRowSchema = z.object({
  sku: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  policy: policyShape.describe('the effective policy (tenant policy with the SKU override applied)'),
  published: z.number().int().describe('the quantity to publish on Cel.ro'),
  updatedAt: dateTime,
});
const skuOnly = z.object({ sku: skuSchema });
const doc = docsFor('stock');
const schemas = {
  list: doc({
    summary: 'Stock per SKU: on hand, reserved, effective policy, published quantity',
    query: listQuery,
    response: z.object({ items: z.array(stockRowSchema), next: z.string().nullable().describe('`after` for the next page (null: last page)') }),
  }),
  ledger: doc({
    summary: 'Ledger entries of one SKU, newest first',
    params: skuOnly,
    query: ledgerQuery,
    response: z.object({
      sku: z.string(),
      entries: z.array(
        z.object({
          id: z.number(),
          kind: z.enum(['set', 'adjust', 'reserve', 'release', 'consume']),
          requested: z.number(),
          onHandAfter: z.number(),
          reservedAfter: z.number(),
          reason: z.string(),
          author: z.string(),
          source: z.string(),
          ref: z.string().nullable().describe('the order of a reservation'),
          at: dateTime,
        }),
      ),
    }),
  }),
  getPolicy: doc({
    summary: 'The buffer policy: tenant-wide (as set and in effect) and every per-SKU override',
    response: z.object({ tenant: policyOverride, effective: policyShape, overrides: z.array(policyOverride.extend({ sku: z.string() })) }),
  }),
  set: doc({ summary: 'Set on hand for a SKU', params: skuOnly, body: setBody, response: stockRowSchema }),
  adjust: doc({ summary: 'Add or remove units for a SKU', params: skuOnly, body: adjustBody, response: stockRowSchema }),
  import: doc({
    summary: 'Import on-hand quantities: all rows or none',
    description: 'CSV as text/csv (header sku,quantity) or a JSON array of {sku, quantity}.',
    body: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 0 } }, required: ['sku', 'quantity'] } },
    consumes: ['text/csv', 'text/plain'],
    response: z.object({ read: z.number(), changed: z.number() }),
  }),
  policy: doc({ summary: 'Set the tenant-wide oversell buffer policy', body: policyBody, response: z.object({ ok: z.boolean() }) }),
  skuPolicy: doc({ summary: 'Set a per-SKU override of the buffer policy', params: skuOnly, body: policyBody, response: z.object({ ok: z.boolean() }) }),
};

export function stockRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const ledger = new StockLedger(ctx.db);
    const tenants = new TenantRepository(ctx.db, ctx.box);
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get<{ Params: { id: string } }>('/tenants/:id/stock', { schema: schemas.list }, async (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      await tenants.get(req.params.id);
      if (q.limit === undefined && !q.q && !q.after) return { items: await ledger.published(req.params.id), next: null };
      const limit = q.limit ?? 5000;
      const items = await ledger.publishedPage(req.params.id, { after: q.after, limit, ...(q.q ? { q: q.q } : {}) });
      return { items, next: items.length === limit ? items.at(-1)!.sku : null };
    });

    app.get<{ Params: { id: string; sku: string } }>('/tenants/:id/stock/:sku/ledger', { schema: schemas.ledger }, async (req) => {
      const { sku } = parseInput(skuParam, req.params, 'sku');
      const { limit } = parseInput(ledgerQuery, req.query, 'query');
      return { sku, entries: await ledger.entries(req.params.id, sku, limit) };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/stock-policy', { schema: schemas.getPolicy }, async (req) => {
      const p = await ledger.policies(req.params.id);
      return { tenant: p.tenant, effective: p.effective, overrides: [...p.overrides].map(([sku, o]) => ({ sku, ...o })) };
    });

    app.put<{ Params: { id: string; sku: string } }>('/tenants/:id/stock/:sku', { schema: schemas.set }, async (req) => {
      parseInput(skuParam, req.params, 'sku');
      const body = parseInput(setBody, req.body, 'stock level');
      await tenants.get(req.params.id);
      await ledger.setOnHand(req.params.id, [{ sku: req.params.sku, onHand: body.onHand }], { reason: body.reason, author: actor(req), source: 'api' });
      return (await ledger.published(req.params.id, [req.params.sku]))[0];
    });

    app.post<{ Params: { id: string; sku: string } }>('/tenants/:id/stock/:sku/adjust', { schema: schemas.adjust }, async (req) => {
      parseInput(skuParam, req.params, 'sku');
      const body = parseInput(adjustBody, req.body, 'stock adjustment');
      await tenants.get(req.params.id);
      await ledger.adjust(req.params.id, req.params.sku, body.delta, { reason: body.reason, author: actor(req), source: 'api' });
      return (await ledger.published(req.params.id, [req.params.sku]))[0];
    });

    // Body: CSV (text/csv) or JSON array; all rows or none.
    app.post<{ Params: { id: string } }>('/tenants/:id/stock/import', { schema: schemas.import }, async (req) => {
      await tenants.get(req.params.id);
      const isCsv = typeof req.body === 'string';
      const rows = await parseStockFile(isCsv ? (req.body as string) : (req.body as unknown[]), isCsv ? 'csv' : 'json');
      const { changed } = await ledger.setOnHand(req.params.id, rows, { reason: 'import via API', author: actor(req), source: `import:${isCsv ? 'csv' : 'json'}` });
      return { read: rows.length, changed };
    });

    app.put<{ Params: { id: string } }>('/tenants/:id/stock-policy', { schema: schemas.policy }, async (req) => {
      await tenants.get(req.params.id);
      const body = parseInput(policyBody, req.body, 'stock policy');
      const { before } = await ledger.setPolicy(req.params.id, null, body);
      await tenants.audit(req.params.id, actor(req), 'stock.policy', '*', { before, after: body });
      return { ok: true };
    });

    app.put<{ Params: { id: string; sku: string } }>('/tenants/:id/stock-policy/:sku', { schema: schemas.skuPolicy }, async (req) => {
      parseInput(skuParam, req.params, 'sku');
      await tenants.get(req.params.id);
      const body = parseInput(policyBody, req.body, 'stock policy');
      const { before } = await ledger.setPolicy(req.params.id, req.params.sku, body);
      await tenants.audit(req.params.id, actor(req), 'stock.policy', req.params.sku, { before, after: body });
      return { ok: true };
    });
  };
}
