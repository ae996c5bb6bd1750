import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { StockLedger } from '../../stock/ledger.ts';
import { deltaSchema, quantitySchema, skuSchema } from '../../stock/bounds.ts';
import { parseStockFile } from '../../stock/import-file.ts';
import type { AppContext } from '../../context.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';

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

export function stockRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const ledger = new StockLedger(ctx.db);
    const tenants = new TenantRepository(ctx.db, ctx.box);
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.get<{ Params: { id: string } }>('/tenants/:id/stock', async (req) => {
      await tenants.get(req.params.id);
      return { items: await ledger.published(req.params.id) };
    });

    app.put<{ Params: { id: string; sku: string } }>('/tenants/:id/stock/:sku', async (req) => {
      parseInput(skuParam, req.params, 'sku');
      const body = parseInput(setBody, req.body, 'stock level');
      await tenants.get(req.params.id);
      await ledger.setOnHand(req.params.id, [{ sku: req.params.sku, onHand: body.onHand }], { reason: body.reason, author: actor(req), source: 'api' });
      return (await ledger.published(req.params.id, [req.params.sku]))[0];
    });

    app.post<{ Params: { id: string; sku: string } }>('/tenants/:id/stock/:sku/adjust', async (req) => {
      parseInput(skuParam, req.params, 'sku');
      const body = parseInput(adjustBody, req.body, 'stock adjustment');
      await tenants.get(req.params.id);
      await ledger.adjust(req.params.id, req.params.sku, body.delta, { reason: body.reason, author: actor(req), source: 'api' });
      return (await ledger.published(req.params.id, [req.params.sku]))[0];
    });

    // Body: CSV (text/csv) or JSON array; all rows or none.
    app.post<{ Params: { id: string } }>('/tenants/:id/stock/import', async (req) => {
      await tenants.get(req.params.id);
      const isCsv = typeof req.body === 'string';
      const rows = await parseStockFile(isCsv ? (req.body as string) : (req.body as unknown[]), isCsv ? 'csv' : 'json');
      const { changed } = await ledger.setOnHand(req.params.id, rows, { reason: 'import via API', author: actor(req), source: `import:${isCsv ? 'csv' : 'json'}` });
      return { read: rows.length, changed };
    });

    app.put<{ Params: { id: string } }>('/tenants/:id/stock-policy', async (req) => {
      await tenants.get(req.params.id);
      const body = parseInput(policyBody, req.body, 'stock policy');
      const { before } = await ledger.setPolicy(req.params.id, null, body);
      await tenants.audit(req.params.id, actor(req), 'stock.policy', '*', { before, after: body });
      return { ok: true };
    });

    app.put<{ Params: { id: string; sku: string } }>('/tenants/:id/stock-policy/:sku', async (req) => {
      parseInput(skuParam, req.params, 'sku');
      await tenants.get(req.params.id);
      const body = parseInput(policyBody, req.body, 'stock policy');
      const { before } = await ledger.setPolicy(req.params.id, req.params.sku, body);
      await tenants.audit(req.params.id, actor(req), 'stock.policy', req.params.sku, { before, after: body });
      return { ok: true };
    });
  };
}
