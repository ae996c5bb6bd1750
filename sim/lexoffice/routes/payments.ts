import type { FastifyInstance } from 'fastify';
import { paymentsView } from '../voucher-views.ts';
import { regular } from '../errors.ts';
import type { SimState } from '../state.ts';
import { type ApiCtx, notFound, path } from './common.ts';

// Payments of an invoice (not for drafts).

export function registerPayments(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.get('/v1/payments/:id', async (req) => {
    const v = st().vouchers.get((req.params as { id: string }).id);
    if (!v || v.kind !== 'invoice') throw notFound(req);
    if (v.doc.voucherStatus === 'draft') throw regular(406, path(req), 'payments are not available for vouchers in status draft');
    return paymentsView(v);
  });
}
