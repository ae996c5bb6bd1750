import type { FastifyInstance } from 'fastify';
import type { SimState } from '../state.ts';
import type { ApiCtx } from './common.ts';

// Profile, countries, payment conditions and print layouts: read-only master data.

export function registerMasterData(app: FastifyInstance, ctx: ApiCtx): void {
  const st = (): SimState => ctx.state();

  app.get('/v1/profile', async () => st().profile);
  app.get('/v1/countries', async () => st().countries);
  app.get('/v1/payment-conditions', async () => [
    { id: '65be0654-60b6-11eb-b66d-5731dbc9bf6b', paymentTermLabelTemplate: 'Zahlbar in {paymentRange} Tagen, rein netto ohne Abzug', paymentTermDuration: 14, organizationDefault: true },
  ]);
  app.get('/v1/print-layouts', async () => [{ id: '11111111-2222-4333-8444-555555555555', name: 'Standard', default: true }]);
}
