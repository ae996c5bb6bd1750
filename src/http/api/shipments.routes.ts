import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { errorMessage, ValidationError } from '../../core/errors.ts';
import { COURIER_CODES, shipOrder } from '../../fulfilment/ship-order.ts';
import { trackShipments } from '../../fulfilment/track-shipments.ts';
import { fulfilmentDeps } from '../../fulfilment/wiring.ts';
import { parseInput } from '../errors.ts';

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

/**
 * Shipments of a tenant's Cel.ro orders: make or register an AWB (`courier` fancourier | sameday |
 * manual), register many by hand from a CSV (`order,courier,awb`), list them with their history, and
 * run a tracking pass now (the heartbeat runs one every 5 minutes).
 */
export function shipmentRoutes(ctx: AppContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post<{ Params: { id: string } }>('/tenants/:id/shipments', async (req, reply) => {
      const body = parseInput(shipBody, req.body, 'shipment');
      const row = await shipOrder(await fulfilmentDeps(ctx, req.params.id), req.params.id, body);
      return reply.code(201).send(row);
    });

    // CSV `order,courier,awb` (courier as Cel.ro names it): every row registered by hand; a result per row.
    app.post<{ Params: { id: string } }>('/tenants/:id/shipments/import', async (req) => {
      if (typeof req.body !== 'string') throw new ValidationError('send the CSV as text/csv: order,courier,awb');
      const lines = req.body.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
      const header = (lines[0] ?? '').toLowerCase().split(/[,;]/).map((c) => c.trim());
      const [o, c, a] = ['order', 'courier', 'awb'].map((n) => header.indexOf(n));
      if (o! < 0 || c! < 0 || a! < 0) throw new ValidationError(`the CSV header must name order, courier and awb; found: ${header.join(', ')}`, [{ path: 'header', message: 'order,courier,awb' }]);
      if (lines.length > 5001) throw new ValidationError('at most 5000 rows per import', [{ path: 'rows', message: `${lines.length - 1} rows` }]);
      const deps = await fulfilmentDeps(ctx, req.params.id);
      const results = [];
      for (let i = 1; i < lines.length; i++) {
        const f = lines[i]!.split(/[,;]/).map((x) => x.trim());
        const row = { orderId: f[o!] ?? '', courier: 'manual' as const, courierName: f[c!] ?? '', awbNumber: f[a!] ?? '' };
        const ok = shipBody.safeParse(row);
        if (!ok.success || !row.courierName || !row.awbNumber) {
          results.push({ line: i + 1, ok: false, error: ok.success ? 'courier and awb are required' : ok.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
          continue;
        }
        try {
          const s = await shipOrder(deps, req.params.id, ok.data);
          results.push({ line: i + 1, ok: !s.last_error, shipment: s.id, ...(s.last_error ? { error: s.last_error } : {}) });
        } catch (e) {
          results.push({ line: i + 1, ok: false, error: errorMessage(e) });
        }
      }
      return { read: lines.length - 1, registered: results.filter((r) => r.ok).length, results };
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/shipments', async (req) => {
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

    app.post<{ Params: { id: string } }>('/tenants/:id/shipments/track', async (req) => trackShipments(await fulfilmentDeps(ctx, req.params.id), req.params.id));
  };
}
