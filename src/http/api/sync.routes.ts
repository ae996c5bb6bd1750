import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { followRequest } from '../../sync/follow-request.ts';
import { requestSync } from '../../sync/request-sync.ts';
import type { AppContext } from '../../context.ts';
import { TenantRepository } from '../../tenants/tenants.ts';
import { limitQuery, parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const syncBody = z.object({ what: z.enum(['catalog', 'stock', 'all', 'reconcile']).default('all') }).strict().default({ what: 'all' });

const runsQuery = limitQuery(20, 200);
const failuresQuery = limitQuery(50, 500);

const requestParam = z.object({ requestId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).loose();

const at = dateTime;
const counts = z.record(z.string(), z.record(z.string(), z.number())).describe('per step (catalog, stock, reconcile): read, changed, pushed, failed, skipped, held, drift');
const runView = z.object({
  id: z.number(),
  triggers: z.array(z.string()),
  what: z.array(z.string()),
  status: z.enum(['running', 'succeeded', 'partial', 'failed', 'interrupted', 'abandoned']),
  started_at: at,
  finished_at: at.nullable(),
  counts,
  api_calls: z.record(z.string(), z.record(z.string(), z.number())).describe('per API and operation'),
  error: z.string().nullable(),
});
export const runSummary = z.object({ id: z.number(), status: z.string(), counts, error: z.string().nullable(), startedAt: at, finishedAt: at.nullable() });
const doc = docsFor('sync');
const schemas = {
  sync: doc({ summary: 'Request a sync run now (queued behind a run in progress)', body: syncBody, status: 202, response: z.object({ requested: z.array(z.string()), queued: z.boolean(), requestId: z.number() }) }),
  follow: doc({
    summary: 'Where a sync request stands',
    params: requestParam,
    response: z.object({ requestId: z.number(), state: z.enum(['queued', 'running', 'done', 'retrying', 'unknown']), run: runSummary.nullable() }),
  }),
  runs: doc({ summary: 'Sync runs, newest first', query: runsQuery, response: z.object({ runs: z.array(runView) }) }),
  failures: doc({
    summary: 'Items that failed in sync runs, with their payloads',
    query: failuresQuery,
    response: z.object({ failures: z.array(z.object({ id: z.number(), run_id: z.number(), step: z.string(), sku: z.string().nullable(), code: z.string(), message: z.string(), payload: z.unknown(), at })) }),
  }),
};

export function syncRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    const tenants = new TenantRepository(ctx.db, ctx.box);

    // On-demand run: queued behind (never beside) a run already in progress for the tenant.
    app.post<{ Params: { id: string } }>('/tenants/:id/sync', { schema: schemas.sync }, async (req, reply) => {
      const body = parseInput(syncBody, req.body ?? undefined, 'sync request');
      await tenants.get(req.params.id);
      const what = body.what === 'all' ? (['catalog', 'stock'] as const) : ([body.what] as const);
      const r = await requestSync(ctx, req.params.id, what, 'manual');
      return reply.code(202).send({ requested: what, ...r });
    });

    // Where an on-demand request stands (what `vortex sync` follows): queued, running (counts so far), done.
    app.get<{ Params: { id: string; requestId: string } }>('/tenants/:id/sync-requests/:requestId', { schema: schemas.follow }, async (req) => {
      const { requestId } = parseInput(requestParam, req.params, 'request id');
      return followRequest(ctx.db, req.params.id, requestId);
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/runs', { schema: schemas.runs }, async (req) => {
      const { limit } = parseInput(runsQuery, req.query, 'query');
      return { runs: await ctx.db.query('SELECT id, triggers, what, status, started_at, finished_at, counts, api_calls, error FROM sync_runs WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2', [req.params.id, limit]) };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/failures', { schema: schemas.failures }, async (req) => {
      const { limit } = parseInput(failuresQuery, req.query, 'query');
      return { failures: await ctx.db.query('SELECT id, run_id, step, sku, code, message, payload, at FROM sync_failures WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2', [req.params.id, limit]) };
    });
  };
}
