import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { errorMessage, ValidationError } from '../../core/errors.ts';
import { COURIER_CODES, shipOrder } from '../../fulfilment/ship-order.ts';
import { trackShipments } from '../../fulfilment/track-shipments.ts';
import { fulfilmentDeps } from '../../fulfilment/wiring.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';

const orderId = z.string().regex(/^\d{1,20}$/, 'a Cel.ro order id (digits)');
const shipBody = z
  .object({
    orderId,
    courier: z.enum(COURIER_CODES),
    awbNumber: z.string().trim().min(1).max(64).optional(),
    courierName: z.string().trim().min(1).max(100).optional(),
    weightKg: z.string().regex(/^\d{1,4}(\.\d{1,3})?$/, 'kilograms as a decimal string, e.g. "1.5"').optional(),
    parcels: z.number().int().min(1).max(99).optional(),
  })
  .strict();
const listQuery = z.object({ orderId: orderId.optional() }).loose();
const importItem = z.object({ order: z.union([z.string(), z.number()]).transform(String), courier: z.string(), awb: z.union([z.string(), z.number()]).transform(String) }).strict();
const MAX_IMPORT = 5000;

/** The rows of a manual AWB import: CSV text (header order,courier,awb) or a JSON array; line numbers as the merchant sees them. */
function importRows(body: unknown): Array<{ line: number; order: string; courier: string; awb: string }> {
  if (Array.isArray(body)) {
    if (body.length > MAX_IMPORT) throw new ValidationError(`at most ${MAX_IMPORT} rows per import`, [{ path: 'rows', message: `${body.length} rows` }]);
    return body.map((item, i) => ({ line: i + 1, ...parseInput(importItem, item, `row ${i + 1}`) }));
  }
  if (typeof body !== 'string') throw new ValidationError('send a CSV (text/csv: order,courier,awb) or a JSON array of {order, courier, awb}', [{ path: 'body', message: 'CSV or JSON array' }]);
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const header = (lines[0] ?? '').toLowerCase().split(/[,;]/).map((c) => c.trim());
  const [o, c, a] = ['order', 'courier', 'awb'].map((n) => header.indexOf(n)) as [number, number, number];
  if (o < 0 || c < 0 || a < 0) throw new ValidationError(`the CSV header must name order, courier and awb; found: ${header.join(', ')}`, [{ path: 'header', message: 'order,courier,awb' }]);
  if (lines.length > MAX_IMPORT + 1) throw new ValidationError(`at most ${MAX_IMPORT} rows per import`, [{ path: 'rows', message: `${lines.length - 1} rows` }]);
  return lines.slice(1).map((l, i) => {
    const f = l.split(/[,;]/).map((x) => x.trim());
    return { line: i + 2, order: f[o] ?? '', courier: f[c] ?? '', awb: f[a] ?? '' };
  });
}

const at = dateTime;
const history = z.array(z.object({ kind: z.string(), detail: z.unknown(), at }));
const shipmentView = z.object({
  id: z.number(),
  orderId: z.string(),
  courier: z.string(),
  courierName: z.string(),
  awbNumber: z.string(),
  cost: z.string().nullable(),
  celRegistered: z.boolean(),
  trackingState: z.string(),
  celStatus: z.enum(['open', 'ready_for_delivery', 'finished']),
  lastError: z.string().nullable(),
  trackedAt: at.nullable(),
  createdAt: at,
  history,
});
const doc = docsFor('shipments');
const schemas = {
  ship: doc({ summary: 'Make or register an AWB for an order and tell Cel.ro', body: shipBody, status: 201 }),
  import: doc({
    summary: 'Register AWBs by hand, row by row',
    description: 'CSV as text/csv (header order,courier,awb) or a JSON array of {order, courier, awb}.',
    body: { type: 'array', items: { type: 'object', properties: { order: { type: 'string' }, courier: { type: 'string' }, awb: { type: 'string' } }, required: ['order', 'courier', 'awb'] } },
    consumes: ['text/csv'],
    response: z.object({ read: z.number(), registered: z.number(), results: z.array(z.object({ line: z.number(), ok: z.boolean(), shipment: z.number().optional(), error: z.string().optional() })) }),
  }),
  list: doc({ summary: 'Shipments with their tracking history, newest first', query: listQuery, response: z.object({ shipments: z.array(shipmentView) }) }),
  track: doc({ summary: 'Run a tracking pass now' }),
};

/**
 * Shipments of a tenant's Cel.ro orders: make or register an AWB (`courier` fancourier | sameday |
 * manual), register many by hand from a CSV (`order,courier,awb`), list them with their history, and
 * run a tracking pass now (the heartbeat runs one every 5 minutes).
 */
export function shipmentRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post<{ Params: { id: string } }>('/tenants/:id/shipments', { schema: schemas.ship }, async (req, reply) => {
      const body = parseInput(shipBody, req.body, 'shipment');
      const row = await shipOrder(await fulfilmentDeps(ctx, req.params.id), req.params.id, body);
      return reply.code(201).send(row);
    });

    // CSV `order,courier,awb` (text/csv; courier as Cel.ro names it), or the same as a JSON array of
    // {order, courier, awb}: every row registered by hand, answered row by row.
    app.post<{ Params: { id: string } }>('/tenants/:id/shipments/import', { schema: schemas.import }, async (req) => {
      const rows = importRows(req.body);
      const deps = await fulfilmentDeps(ctx, req.params.id);
      const results = [];
      for (const r of rows) {
        const ok = shipBody.safeParse({ orderId: r.order, courier: 'manual', courierName: r.courier, awbNumber: r.awb });
        if (!ok.success) {
          results.push({ line: r.line, ok: false, error: ok.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
          continue;
        }
        try {
          const s = await shipOrder(deps, req.params.id, ok.data);
          results.push({ line: r.line, ok: !s.last_error, shipment: s.id, ...(s.last_error ? { error: s.last_error } : {}) });
        } catch (e) {
          results.push({ line: r.line, ok: false, error: errorMessage(e) });
        }
      }
      return { read: rows.length, registered: results.filter((r) => r.ok).length, results };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/shipments', { schema: schemas.list }, async (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      const shipments = await ctx.db.query<{ id: number }>(
        `SELECT id, channel_order_id AS "orderId", courier, courier_name AS "courierName", awb_number AS "awbNumber", cost, cel_registered AS "celRegistered",
                tracking_state AS "trackingState", cel_status AS "celStatus", last_error AS "lastError", tracked_at AS "trackedAt", created_at AS "createdAt"
         FROM shipments WHERE tenant_id = $1 AND ($2::text IS NULL OR channel_order_id = $2) ORDER BY id DESC LIMIT 500`,
        [req.params.id, q.orderId ?? null],
      );
      const events = shipments.length
        ? await ctx.db.query<{ shipment_id: number }>('SELECT shipment_id, kind, detail, at FROM shipment_events WHERE shipment_id = ANY($1::bigint[]) ORDER BY id', [shipments.map((s) => s.id)])
        : [];
      return { shipments: shipments.map((s) => ({ ...s, history: events.filter((e) => e.shipment_id === s.id).map(({ shipment_id: _sid, ...e }) => e) })) };
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/shipments/track', { schema: schemas.track }, async (req) => trackShipments(await fulfilmentDeps(ctx, req.params.id), req.params.id));
  };
}
