import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import { parseJsonLossless } from '../../mapping/json.ts';
import { flattenFields } from '../../mapping/preview.ts';
import { nameOf } from '../../mapping/versions.ts';
import { requestSync } from '../../sync/request-sync.ts';
import { MAX_SKU_LENGTH, skuSchema } from '../../stock/bounds.ts';
import { StockLedger } from '../../stock/ledger.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';
import { likePattern } from '../../store/like.ts';
import { stockRowSchema } from './stock.routes.ts';

const listQuery = z.object({
  state: z.enum(['all', 'held', 'rejected', 'pending', 'error']).default('all'),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(1000, 'must be ≤ 1000').default(200),
  after: z.string().max(MAX_SKU_LENGTH, `must be at most ${MAX_SKU_LENGTH} characters (a SKU)`).default(''),
  q: z.string().max(200, 'must be at most 200 characters').optional().describe('part of the SKU or of the product name'),
});
const skuParam = z.object({ sku: skuSchema }).loose();

const FILTER: Record<z.infer<typeof listQuery>['state'], string> = {
  all: 'true',
  held: 'held_reason IS NOT NULL',
  rejected: "approval = 'rejected'",
  pending: "approval = 'pending'",
  error: 'last_error IS NOT NULL',
};

const at = dateTime;
const fields = z.record(z.string(), z.unknown());
const offerView = z.object({
  sku: z.string(),
  desired: fields.nullable().describe('what the active rules want on Cel.ro'),
  pushed: fields.nullable().describe('what was last pushed'),
  pushed_at: at.nullable(),
  rule_version_id: z.number().nullable().describe('the rule version that produced `desired`'),
  pushed_rule_version_id: z.number().nullable().describe('the rule version that produced `pushed`'),
  input_hash: z.string().nullable(),
  published_qty: z.number().nullable(),
  pushed_qty: z.number().nullable(),
  listed: z.boolean(),
  active: z.boolean(),
  approval: z.enum(['unknown', 'pending', 'approved', 'rejected']),
  approval_reason: z.string().nullable(),
  held_reason: z.string().nullable().describe('a price change held for approval (over the marketplace guard)'),
  held_at: at.nullable(),
  override_next: z.boolean(),
  last_error: z.string().nullable(),
  updated_at: at,
});
const versionRef = z.object({ id: z.number(), version: z.number(), name: z.string(), status: z.string(), active: z.boolean() }).nullable();
const offerDetail = z.object({
  sku: z.string(),
  product: z
    .object({ name: z.string().nullable(), sourceId: z.string().nullable(), archived: z.boolean(), updatedAt: at, canonical: fields, article: z.unknown().describe('the lexoffice article as received') })
    .nullable()
    .describe('the stored lexoffice data'),
  offer: offerView.nullable(),
  lineage: z.object({
    desired: versionRef.describe('the rule version that produced the wanted values'),
    pushed: versionRef.describe('the rule version that produced the values on Cel.ro'),
    fields: z.array(z.object({ field: z.string(), desired: z.unknown(), pushed: z.unknown(), desiredBy: z.number().nullable(), pushedBy: z.number().nullable(), inSync: z.boolean() })),
  }),
  stock: stockRowSchema.nullable(),
});

const doc = docsFor('offers');
const schemas = {
  list: doc({ summary: 'Offers: wanted vs pushed, lineage, approval, holds, errors', query: listQuery, response: z.object({ offers: z.array(offerView) }) }),
  get: doc({ summary: 'One SKU: the lexoffice data, the offer, which rule version produced each value, and its stock', params: z.object({ sku: skuSchema }), response: offerDetail }),
  approve: doc({ summary: 'Approve a held price change (pushed once with overridePrice)', params: z.object({ sku: skuSchema }), status: 202, response: z.object({ sku: z.string(), approved: z.boolean() }) }),
};

const OFFER_COLUMNS = `o.sku, o.desired, o.pushed, o.pushed_at, o.rule_version_id, o.pushed_rule_version_id, o.input_hash, o.published_qty, o.pushed_qty,
  o.listed, o.active, o.approval, o.approval_reason, o.held_reason, o.held_at, o.override_next, o.last_error, o.updated_at`;

type OfferRow = z.infer<typeof offerView>;

/** Offers as Vortex sees them: what it wants, what it pushed (with lineage), approval, holds, errors. */
export function offerRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);
    const ledger = new StockLedger(ctx.db);

    app.get<{ Params: { id: string } }>('/tenants/:id/offers', { schema: schemas.list }, async (req) => {
      await tenants.get(req.params.id);
      const q = parseInput(listQuery, req.query, 'offer query');
      const like = q.q ? likePattern(q.q) : null;
      const offers = await ctx.db.query(
        `SELECT ${OFFER_COLUMNS} FROM channel_offers o
         LEFT JOIN catalog_products p ON p.tenant_id = o.tenant_id AND p.sku = o.sku
         WHERE o.tenant_id = $1 AND o.sku > $2 AND ${FILTER[q.state]} AND ($4::text IS NULL OR o.sku ILIKE $4 OR p.product->>'name' ILIKE $4)
         ORDER BY o.sku LIMIT $3`,
        [req.params.id, q.after, q.limit, like],
      );
      return { offers };
    });

    app.get<{ Params: { id: string; sku: string } }>('/tenants/:id/offers/:sku', { schema: schemas.get }, async (req) => {
      const { sku } = parseInput(skuParam, req.params, 'sku');
      const tenantId = req.params.id;
      const product = await ctx.db.maybeOne<{ source_id: string | null; product: Record<string, unknown>; raw_article: string | null; archived: boolean; updated_at: Date }>(
        'SELECT source_id, product, raw_article, archived, updated_at FROM catalog_products WHERE tenant_id = $1 AND sku = $2',
        [tenantId, sku],
      );
      const offer = await ctx.db.maybeOne<OfferRow>(`SELECT ${OFFER_COLUMNS} FROM channel_offers o WHERE o.tenant_id = $1 AND o.sku = $2`, [tenantId, sku]);
      const [stock] = await ledger.published(tenantId, [sku]);
      if (!product && !offer && !stock) throw new NotFoundError(`no product, offer or stock for SKU ${JSON.stringify(sku)} of tenant ${tenantId}`);
      const versionIds = [offer?.rule_version_id, offer?.pushed_rule_version_id].filter((v): v is number => v !== null && v !== undefined);
      const versions = versionIds.length
        ? await ctx.db.query<{ id: number; version: number; document: string; status: string; active: boolean }>(
            `SELECT v.id, v.version, v.document, v.status, (a.version_id IS NOT NULL) AS active FROM rule_set_versions v
             LEFT JOIN rule_set_active a ON a.tenant_id = v.tenant_id AND a.direction = v.direction AND a.version_id = v.id
             WHERE v.tenant_id = $1 AND v.id = ANY($2::bigint[])`,
            [tenantId, versionIds],
          )
        : [];
      const ref = (id: number | null | undefined) => {
        const v = versions.find((x) => x.id === id);
        return v ? { id: v.id, version: v.version, name: nameOf(v.document), status: v.status, active: v.active } : null;
      };
      const desired = flattenFields(offer?.desired ?? {});
      const pushed = flattenFields(offer?.pushed ?? {});
      const lineageFields = [...new Set([...Object.keys(desired), ...Object.keys(pushed)])].sort().map((field) => ({
        field,
        desired: desired[field] ?? null,
        pushed: pushed[field] ?? null,
        desiredBy: field in desired ? (offer?.rule_version_id ?? null) : null,
        pushedBy: field in pushed ? (offer?.pushed_rule_version_id ?? null) : null,
        inSync: JSON.stringify(desired[field]) === JSON.stringify(pushed[field]),
      }));
      return {
        sku,
        product: product
          ? {
              name: typeof product.product.name === 'string' ? product.product.name : null,
              sourceId: product.source_id,
              archived: product.archived,
              updatedAt: product.updated_at,
              canonical: product.product,
              article: product.raw_article === null ? null : parseJsonLossless(product.raw_article, `stored article ${sku}`),
            }
          : null,
        offer: offer ?? null,
        lineage: { desired: ref(offer?.rule_version_id), pushed: ref(offer?.pushed_rule_version_id), fields: lineageFields },
        stock: stock ?? null,
      };
    });

    // Approve a held price change: the next publish sends it once with overridePrice.
    app.post<{ Params: { id: string; sku: string } }>('/tenants/:id/offers/:sku/approve-price', { schema: schemas.approve }, async (req, reply) => {
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
