import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { parseCelroOrder } from '../../connectors/celro/orders.ts';
import { lexofficeDeepLink } from '../../connectors/lexoffice/index.ts';
import { enqueueInvoice } from '../../fulfilment/invoice-job.ts';
import { orderPaymentEvents, summarizePayment } from '../../fulfilment/payments/order-payment.ts';
import { enqueueIntake } from '../../orders/jobs.ts';
import { OrderRepository, type OrderRow } from '../../orders/orders-repo.ts';
import { pushLinkTemplate, pushSecret } from '../../orders/push-link.ts';
import { REPLAY_REASONS, replayByReason, replayOrder } from '../../orders/replay.ts';
import { ORDER_STATES } from '../../orders/transitions.ts';
import { parseInput } from '../errors.ts';
import { dateTime, docsFor } from '../openapi.ts';
import { likePattern } from '../../store/like.ts';

const orderIdParam = z.string().regex(/^\d{1,20}$/, 'a Cel.ro order id (digits)');
const listQuery = z
  .object({
    state: z.enum(ORDER_STATES).optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
const reasonQuery = z.object({ reason: z.enum(REPLAY_REASONS) }).strict();
const fetchBody = z.object({ orderIds: z.array(orderIdParam).min(1).max(100) }).strict();
const MAX_PDF_BYTES = 7 * 1024 * 1024; // base64 of it stays under the 10 MB body limit
const invoiceBody = z
  .object({
    series: z.string().trim().min(1).max(20),
    number: z.string().trim().min(1).max(30),
    pdfBase64: z
      .string()
      .max(Math.ceil((MAX_PDF_BYTES * 4) / 3) + 4, `at most ${MAX_PDF_BYTES / 1024 / 1024} MB of PDF`)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 of the PDF file')
      .refine((b) => Buffer.from(b.slice(0, 8), 'base64').subarray(0, 5).toString('latin1') === '%PDF-', 'not a PDF (a PDF starts with %PDF-)'),
  })
  .strict();

const at = dateTime;
const orderViewSchema = z.object({
  orderId: z.string(),
  channel: z.string(),
  state: z.enum(ORDER_STATES),
  reasonCode: z.string().nullable(),
  reason: z.string().nullable(),
  actionItem: z.string().nullable().describe('what the merchant should do, when something is needed'),
  channelStatus: z.string().nullable(),
  channelMeaning: z.string().nullable(),
  cancelRequested: z.boolean(),
  placedAt: z.string().nullable(),
  total: z.string().nullable(),
  currency: z.string().nullable(),
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
  contactId: z.string().nullable(),
  contactLink: z.string().nullable().describe('the buyer’s contact in the lexoffice web app'),
  document: z
    .object({ type: z.string(), id: z.string().nullable(), number: z.string().nullable(), status: z.string().nullable(), link: z.string().nullable().describe('deep link into the lexoffice web app') })
    .nullable()
    .describe('the lexoffice document'),
  creditNoteId: z.string().nullable(),
  creditNoteLink: z.string().nullable(),
  invoice: z.object({ state: z.string(), reason: z.string().nullable(), source: z.string().nullable(), series: z.string().nullable(), number: z.string().nullable(), attachedAt: at.nullable() }),
  receivedAt: at,
  updatedAt: at,
  finishedAt: at.nullable(),
});
const orderParam = z.object({ orderId: orderIdParam });
const queued = z.object({ status: z.literal('queued') }).loose();
const doc = docsFor('orders');
const schemas = {
  list: doc({ summary: 'Orders, newest first, with counts per state', query: listQuery, response: z.object({ orders: z.array(orderViewSchema), counts: z.record(z.string(), z.number()) }) }),
  get: doc({
    summary: 'One order with its history, API calls, payment, shipments, plan and raw payload',
    params: orderParam,
    response: orderViewSchema.extend({
      history: z.array(z.object({ kind: z.string(), from_state: z.string().nullable().optional(), to_state: z.string().nullable().optional(), detail: z.unknown(), at }).loose()),
      apiCalls: z.array(z.record(z.string(), z.unknown())),
      payment: z.record(z.string(), z.unknown()),
      shipments: z.array(z.record(z.string(), z.unknown())),
      plan: z.unknown(),
      raw: z.unknown(),
    }),
  }),
  replay: doc({ summary: 'Replay a quarantined order (or one under review)', params: orderParam }),
  replayAll: doc({ summary: 'Replay every order quarantined for a reason', query: reasonQuery }),
  poll: doc({ summary: 'Poll Cel.ro for new orders now', status: 202, response: queued }),
  fetch: doc({ summary: 'Read given orders from Cel.ro by id', body: fetchBody, status: 202, response: queued }),
  invoice: doc({ summary: 'Upload a hand-made invoice PDF for the order', params: orderParam, body: invoiceBody, status: 202, response: queued }),
  invoiceRetry: doc({ summary: 'Attach the invoice to the Cel.ro order again now', params: orderParam, status: 202, response: queued }),
  pushLink: doc({ summary: 'The API link to register on the Cel.ro account', response: z.object({ apiLink: z.string(), registeredAutomatically: z.boolean() }) }),
};

function paymentMethodOf(raw: unknown) {
  try {
    return parseCelroOrder(raw).paymentMethod;
  } catch {
    return 'unknown' as const;
  }
}

/** An order as the API shows it. */
export function orderView(r: OrderRow) {
  return {
    orderId: r.channel_order_id,
    channel: r.channel,
    state: r.state,
    reasonCode: r.reason_code,
    reason: r.reason,
    actionItem: r.action_item,
    channelStatus: r.channel_status,
    channelMeaning: r.channel_meaning,
    cancelRequested: r.cancel_requested,
    placedAt: r.placed_at,
    total: r.total,
    currency: r.currency,
    customer: { name: r.customer_name, email: r.customer_email },
    contactId: r.contact_id,
    contactLink: lexofficeDeepLink('contact', r.contact_id),
    document: r.document_type ? { type: r.document_type, id: r.document_id, number: r.document_number, status: r.document_status, link: lexofficeDeepLink(r.document_type, r.document_id) } : null,
    creditNoteId: r.credit_note_id,
    creditNoteLink: lexofficeDeepLink('creditnote', r.credit_note_id),
    invoice: { state: r.invoice_state, reason: r.invoice_reason, source: r.invoice_source, series: r.invoice_series, number: r.invoice_number, attachedAt: r.invoice_attached_at },
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/**
 * Orders of a tenant: list (by state, or a search over id, customer and document number), one order
 * with its history and the API calls made for it, replay (one, or all with a reason), an on-demand
 * poll, fetching given orders by id, and the push link to register as Cel.ro's API link.
 */
export function orderRoutes(ctx: AppContext, actor: (req: { ip: string }) => string) {
  return async (app: FastifyInstance): Promise<void> => {
    const orders = new OrderRepository(ctx.db);

    app.get<{ Params: { id: string } }>('/tenants/:id/orders', { schema: schemas.list }, async (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      const like = q.q ? likePattern(q.q) : null;
      const rows = await ctx.db.query<OrderRow>(
        `SELECT * FROM channel_orders WHERE tenant_id = $1 AND ($2::text IS NULL OR state = $2)
           AND ($3::text IS NULL OR channel_order_id ILIKE $3 OR customer_name ILIKE $3 OR customer_email ILIKE $3 OR document_number ILIKE $3)
         ORDER BY id DESC LIMIT $4`,
        [req.params.id, q.state ?? null, like, q.limit],
      );
      const counts = await ctx.db.query<{ state: string; n: number }>('SELECT state, count(*) AS n FROM channel_orders WHERE tenant_id = $1 GROUP BY state', [req.params.id]);
      return { orders: rows.map(orderView), counts: Object.fromEntries(counts.map((c) => [c.state, c.n])) };
    });

    app.get<{ Params: { id: string; orderId: string } }>('/tenants/:id/orders/:orderId', { schema: schemas.get }, async (req) => {
      const orderId = parseInput(orderIdParam, req.params.orderId, 'orderId');
      const row = await orders.get(req.params.id, orderId);
      const events = await orders.events(row);
      return {
        ...orderView(row),
        history: events.filter((e) => e.kind !== 'api'),
        apiCalls: events.filter((e) => e.kind === 'api').map((e) => ({ ...(e.detail as object), worker: e.worker, at: e.at })),
        payment: summarizePayment({ total: row.total, currency: row.currency, method: paymentMethodOf(row.raw) }, await orderPaymentEvents(ctx.db, req.params.id, orderId)),
        shipments: await ctx.db.query(
          `SELECT s.courier, s.courier_name AS "courierName", s.awb_number AS "awbNumber", s.tracking_state AS "trackingState", s.cel_status AS "celStatus", s.last_error AS "lastError", s.created_at AS "createdAt",
                  coalesce((SELECT json_agg(json_build_object('kind', e.kind, 'detail', e.detail, 'at', e.at) ORDER BY e.id) FROM shipment_events e WHERE e.shipment_id = s.id), '[]'::json) AS history
           FROM shipments s WHERE s.tenant_id = $1 AND s.channel_order_id = $2 ORDER BY s.id`,
          [req.params.id, orderId],
        ),
        plan: row.plan,
        raw: row.raw,
      };
    });

    app.post<{ Params: { id: string; orderId: string } }>('/tenants/:id/orders/:orderId/replay', { schema: schemas.replay }, async (req) => {
      const orderId = parseInput(orderIdParam, req.params.orderId, 'orderId');
      return replayOrder(ctx.db, ctx.queue, req.params.id, orderId, actor(req));
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/orders/replay', { schema: schemas.replayAll }, async (req) => {
      const { reason } = parseInput(reasonQuery, req.query, 'query');
      return replayByReason(ctx.db, ctx.queue, req.params.id, reason, actor(req));
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/orders/poll', { schema: schemas.poll }, async (req, reply) => {
      await enqueueIntake(ctx.queue, req.params.id, 'api');
      return reply.code(202).send({ status: 'queued' });
    });

    app.post<{ Params: { id: string } }>('/tenants/:id/orders/fetch', { schema: schemas.fetch }, async (req, reply) => {
      const body = parseInput(fetchBody, req.body, 'body');
      await enqueueIntake(ctx.queue, req.params.id, 'api:fetch', body.orderIds);
      return reply.code(202).send({ status: 'queued', orders: body.orderIds });
    });

    // A PDF for an order invoiced outside lexoffice (Cel.ro connection setting invoiceSource: "manual").
    app.put<{ Params: { id: string; orderId: string } }>('/tenants/:id/orders/:orderId/invoice', { schema: schemas.invoice }, async (req, reply) => {
      const orderId = parseInput(orderIdParam, req.params.orderId, 'orderId');
      const body = parseInput(invoiceBody, req.body, 'body');
      await orders.get(req.params.id, orderId);
      await ctx.db.query(
        `INSERT INTO order_invoice_files (tenant_id, channel_order_id, series, number, pdf, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, channel_order_id) DO UPDATE SET series = $3, number = $4, pdf = $5, uploaded_by = $6, uploaded_at = now()`,
        [req.params.id, orderId, body.series, body.number, Buffer.from(body.pdfBase64, 'base64'), actor(req)],
      );
      // A new PDF for an order whose invoice is on Cel.ro already replaces it (the old one is removed there).
      await ctx.db.query("UPDATE channel_orders SET invoice_state = 'none', invoice_reason = 'replaced by an upload' WHERE tenant_id = $1 AND channel_order_id = $2 AND invoice_state = 'attached' AND (invoice_series, invoice_number) IS DISTINCT FROM ($3, $4)", [req.params.id, orderId, body.series, body.number]);
      await enqueueInvoice(ctx.queue, req.params.id, orderId);
      return reply.code(202).send({ status: 'queued', orderId, series: body.series, number: body.number });
    });

    // Try the attachment again now (after the merchant fixed what it said).
    app.post<{ Params: { id: string; orderId: string } }>('/tenants/:id/orders/:orderId/invoice/retry', { schema: schemas.invoiceRetry }, async (req, reply) => {
      const orderId = parseInput(orderIdParam, req.params.orderId, 'orderId');
      const row = await orders.get(req.params.id, orderId);
      await enqueueInvoice(ctx.queue, req.params.id, orderId);
      return reply.code(202).send({ status: 'queued', invoice: orderView(row).invoice });
    });

    app.get<{ Params: { id: string } }>('/tenants/:id/orders/push-link', { schema: schemas.pushLink }, async (req) => {
      const secret = await pushSecret(ctx.db, ctx.box, req.params.id);
      const base = ctx.config.publicUrl ?? '';
      return {
        apiLink: pushLinkTemplate(base || '<VORTEX_PUBLIC_URL>', req.params.id, secret),
        registeredAutomatically: Boolean(base),
      };
    });
  };
}
