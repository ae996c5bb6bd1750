import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../core/errors.ts';
import { loadCatalogItems } from '../../mapping/catalog-source.ts';
import { MappingEngine } from '../../mapping/engine.ts';
import { parseJsonLossless } from '../../mapping/json.ts';
import type { PreviewRow } from '../../mapping/preview.ts';
import { DIRECTIONS, RuleSetInvalidError, type Direction } from '../../mapping/schema.ts';
import type { Activation } from '../../mapping/versions.ts';
import { loadOrderLineItems } from '../../orders/preview-source.ts';
import { requestSync } from '../../sync/request-sync.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

/** A rule document is a few KB; 1 MB of JSON is generous and still no storage sink. */
const MAX_DOCUMENT_CHARS = 1024 * 1024;
const direction = z.enum(DIRECTIONS as [Direction, ...Direction[]]);
const idNumber = z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(Number.MAX_SAFE_INTEGER, `must be ≤ ${Number.MAX_SAFE_INTEGER}`);
const versionId = z.coerce.number().pipe(idNumber);
const versionParam = z.object({ versionId }).loose();
const reason = z.string().trim().min(1, 'a reason is required').max(500, 'must be at most 500 characters');
const listQuery = z.object({ direction: direction.optional() }).loose();
const historyQuery = z.object({ direction: direction.default('catalog') }).loose();
const draftBody = z
  .object({
    direction,
    document: z
      .union([z.string(), z.record(z.string(), z.unknown())], 'a rule set document: a JSON object, or its text')
      .refine((d) => (typeof d === 'string' ? d : JSON.stringify(d)).length <= MAX_DOCUMENT_CHARS, `must be at most ${MAX_DOCUMENT_CHARS / 1024} KB as JSON`),
    note: z.string().max(500, 'must be at most 500 characters').optional(),
  })
  .strict();
/** An order rule set is previewed over the lines of the latest orders. */
const ORDER_PREVIEW_ORDERS = 200;
const PREVIEW_STATUSES = ['changed', 'new', 'failed', 'unchanged'] as const;
const previewBody = z
  .object({
    date: z.iso.date('a day as YYYY-MM-DD').optional().describe('pricing day (catalog; default today in Romania) or the day to map orders on (default: each order’s day)'),
    limit: z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(5000, 'must be ≤ 5000').default(500).describe('rows returned at most (the summary counts every row)'),
    status: z
      .union([z.enum(PREVIEW_STATUSES), z.array(z.enum(PREVIEW_STATUSES)).min(1).max(4)])
      .optional()
      .describe('rows of this status or these statuses (default: all but unchanged)'),
  })
  .strict()
  .default({ limit: 500 });
const activateBody = z.object({ reason }).strict();
const rollbackBody = z.object({ direction, reason, to: idNumber.optional().describe('version id to go back to (default: the one active before)') }).strict();

const at = dateTime;
const versionView = z.object({
  id: z.number(),
  tenantId: z.string(),
  direction,
  version: z.number().describe('1, 2, 3 … per tenant and direction'),
  status: z.enum(['draft', 'validated']),
  active: z.boolean(),
  name: z.string(),
  documentHash: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: at,
  validatedBy: z.string().nullable(),
  validatedAt: at.nullable(),
});
const activationView = z.object({ id: z.number(), kind: z.enum(['activate', 'rollback']), versionId: z.number(), previousVersionId: z.number().nullable(), actor: z.string(), reason: z.string(), at });
const previewRow = z.object({
  key: z.string().describe('the SKU (catalog) or orderId/line (order)'),
  status: z.enum(PREVIEW_STATUSES),
  before: z.record(z.string(), z.unknown()).nullable().describe('target fields under the active version'),
  after: z.record(z.string(), z.unknown()).nullable().describe('target fields under this version'),
  changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  error: z.string().optional(),
  beforeError: z.string().optional(),
  price: z.object({ before: z.string(), after: z.string(), percent: z.string().nullable(), overGuard: z.boolean() }).optional(),
});
const previewView = z.object({
  candidateVersionId: z.number().nullable(),
  currentVersionId: z.number().nullable(),
  date: z.string().describe('the pricing day used (catalog)'),
  summary: z.object({
    items: z.number(),
    changed: z.number(),
    unchanged: z.number(),
    new: z.number(),
    failed: z.number(),
    newlyFailing: z.number(),
    priceField: z.string(),
    guardPercent: z.string(),
    priceChangesOverGuard: z.number(),
    changesByField: z.record(z.string(), z.number()),
  }),
  rows: z.array(previewRow),
  matching: z.number().describe('rows of the asked statuses (rows holds the first `limit` of them)'),
  truncated: z.boolean(),
});
const activated = activationView.extend({ syncRequestId: z.number().nullable().describe('the catalog sync requested so the new values reach Cel.ro') });

const doc = docsFor('rules');
const withId = z.object({ versionId });
const schemas = {
  list: doc({ summary: 'Rule set versions (active flag included)', query: listQuery, response: z.object({ versions: z.array(versionView) }) }),
  history: doc({ summary: 'Every activation and rollback of a direction: who, when, why', query: historyQuery, response: z.object({ activations: z.array(activationView) }) }),
  get: doc({
    summary: 'One version with its document (parsed, decimals as strings) and its exact text',
    params: withId,
    response: versionView.extend({ document: z.record(z.string(), z.unknown()), text: z.string() }),
  }),
  create: doc({
    summary: 'Store a new draft; an invalid document is refused with an issue per JSON path',
    body: draftBody,
    status: 201,
    response: versionView,
  }),
  validate: doc({ summary: 'Check a draft again and mark it validated (required before activation)', params: withId, response: versionView }),
  preview: doc({
    summary: 'Preview a version next to the active one (nothing is written)',
    description: 'A catalog version over the whole stored catalog; an order version over the lines of the latest 200 orders.',
    params: withId,
    body: previewBody,
    response: previewView,
  }),
  activate: doc({ summary: 'Activate a validated version (audited); a catalog version requests a catalog sync', params: withId, body: activateBody, response: activated }),
  rollback: doc({ summary: 'Activate an earlier version again (audited) and request a catalog sync', body: rollbackBody, response: activated }),
};

/** The compiler's problems as a 400 naming `document`, each issue with its JSON path ($.fields.pretf.pipeline[2].op). */
function asDocumentError(e: unknown): unknown {
  if (e instanceof RuleSetInvalidError || (e instanceof ValidationError && e.issues.some((i) => i.path.startsWith('$')))) {
    return new ValidationError(`invalid document: ${e.message}`, e.issues);
  }
  return e;
}

/**
 * The mapping editor's API: versions of a tenant's rule sets, drafts (refused with JSON paths), the
 * preview of a version over the whole stored catalog, validation, activation and rollback (audited,
 * followed by a catalog sync so the new values reach Cel.ro without waiting for the heartbeat).
 */
export function ruleRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const engine = new MappingEngine(ctx.db);
    const rules = engine.rules;
    const tenants = new TenantRepository(ctx.db, ctx.box);
    const afterActivation = async (tenantId: string, a: Activation) => {
      const v = await rules.get(tenantId, a.versionId);
      const sync = v.direction === 'catalog' ? await requestSync(ctx, tenantId, ['catalog'], `rules-${a.kind}`) : null;
      return { ...a, syncRequestId: sync?.requestId ?? null };
    };

    app.get<{ Params: { id: string } }>('/tenants/:id/rules', { schema: schemas.list }, async (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      return { versions: await rules.list(req.params.id, q.direction) };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/rules/history', { schema: schemas.history }, async (req) => {
      const q = parseInput(historyQuery, req.query, 'query');
      return { activations: await rules.history(req.params.id, q.direction) };
    });

    app.get<{ Params: { id: string; versionId: string } }>('/tenants/:id/rules/:versionId', { schema: schemas.get }, async (req) => {
      const { versionId: id } = parseInput(versionParam, req.params, 'version id');
      const version = await rules.get(req.params.id, id);
      const text = await rules.document(req.params.id, id);
      return { ...version, document: parseJsonLossless(text, `rule set version ${id}`), text };
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/rules', { schema: schemas.create }, async (req, reply) => {
      const body = parseInput(draftBody, req.body, 'rule set');
      await tenants.get(req.params.id);
      try {
        const v = await rules.createDraft(req.params.id, body.direction, body.document, { actor: actor(req), ...(body.note ? { note: body.note } : {}) });
        return await reply.code(201).send(v);
      } catch (e) {
        throw asDocumentError(e);
      }
    });

    app.post<{ Params: { id: string; versionId: string } }>('/tenants/:id/rules/:versionId/validate', { schema: schemas.validate }, async (req) => {
      const { versionId: id } = parseInput(versionParam, req.params, 'version id');
      try {
        return await rules.validate(req.params.id, id, actor(req));
      } catch (e) {
        throw asDocumentError(e);
      }
    });

    app.post<{ Params: { id: string; versionId: string } }>('/tenants/:id/rules/:versionId/preview', { schema: schemas.preview }, async (req) => {
      const { versionId: id } = parseInput(versionParam, req.params, 'version id');
      const body = parseInput(previewBody, req.body ?? undefined, 'preview');
      const version = await rules.get(req.params.id, id);
      const date = body.date ?? engine.today();
      const items =
        version.direction === 'catalog'
          ? await loadCatalogItems(ctx.db, req.params.id, date)
          : await loadOrderLineItems(ctx.db, req.params.id, { orders: ORDER_PREVIEW_ORDERS, ...(body.date ? { date: body.date } : {}) });
      const report = await engine.previewVersion(req.params.id, id, items);
      const wanted = new Set<PreviewRow['status']>(body.status === undefined ? ['changed', 'new', 'failed'] : [body.status].flat());
      const matching = report.rows.filter((r) => wanted.has(r.status));
      return { ...report, date, rows: matching.slice(0, body.limit), matching: matching.length, truncated: matching.length > body.limit };
    });

    app.post<{ Params: { id: string; versionId: string } }>('/tenants/:id/rules/:versionId/activate', { schema: schemas.activate }, async (req) => {
      const { versionId: id } = parseInput(versionParam, req.params, 'version id');
      const body = parseInput(activateBody, req.body, 'activation');
      return afterActivation(req.params.id, await rules.activate(req.params.id, id, { actor: actor(req), reason: body.reason }));
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/rules/rollback', { schema: schemas.rollback }, async (req) => {
      const body = parseInput(rollbackBody, req.body, 'rollback');
      const a = await rules.rollback(req.params.id, body.direction, { actor: actor(req), reason: body.reason, ...(body.to !== undefined ? { to: body.to } : {}) });
      return afterActivation(req.params.id, a);
    });
  };
}
