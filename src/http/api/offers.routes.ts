import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import { requestSync } from '../../sync/request-sync.ts';
import { MAX_SKU_LENGTH, skuSchema } from '../../stock/bounds.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';

const listQuery = z.object({
  state: z.enum(['all', 'held', 'rejected', 'pending', 'error']).default('all'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(1000, 'must be ≤ 1000').default(200),
  after: z.string().max(MAX_SKU_LENGTH, `must be at most ${MAX_SKU_LENGTH} characters (a SKU)`).default(''),
});
const skuParam = z.object({ sku: skuSchema }).loose();

const FILTER: Record<z.infer<typeof listQuery>['state'], string> = {
  all: 'true',
  held: 'held_reason IS NOT NULL',
  rejected: "approval = 'rejected'",
  pending: "approval = 'pending'",
  error: 'last_error IS NOT NULL',
};

/** Offers as Vortex sees them: what it wants, what it pushed (with lineage), approval, holds, errors. */
export function offerRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);

    app.get<{ Params: { id: string } }>('/tenants/:id/offers', async (req) => {
      await tenants.get(req.params.id);
      const q = parseInput(listQuery, req.query, 'offer query');
      const offers = await ctx.db.query(
        `SELECT sku, desired, pushed, pushed_at, rule_version_id, pushed_rule_version_id, input_hash, published_qty, pushed_qty,
                listed, active, approval, approval_reason, held_reason, held_at, override_next, last_error, updated_at
         FROM channel_offers WHERE tenant_id = $1 AND sku > $2 AND ${FILTER[q.state]} ORDER BY sku LIMIT $3`,
        [req.params.id, q.after, q.limit],
      );
      return { offers };
    });

    // Approve a held price change: the next publish sends it once with overridePrice.
    app.post<{ Params: { id: string; sku: string } }>('/tenants/:id/offers/:sku/approve-price', async (req, reply) => {
      parseInput(skuParam, req.params, 'sku');
      await tenants.get(req.params.id);
      const row = await ctx.db.maybeOne<{ held_reason: string | null }>(
        'UPDATE channel_offers SET override_next = true, updated_at = now() WHERE tenant_id = $1 AND sku = $2 RETURNING held_reason',
        [req.params.id, req.params.sku],
      );
      if (!row) throw new NotFoundError(`no offer ${JSON.stringify(req.params.sku)} for tenant ${req.params.id}`);
      await tenants.audit(req.params.id, actor(req), 'offer.price-approved', req.params.sku, { heldReason: row.held_reason });
      await requestSync(ctx, req.params.id, ['catalog'], 'price-approved');
      return reply.code(202).send({ sku: req.params.sku, approved: true });
    });
  };
}
