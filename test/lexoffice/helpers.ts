import type { Db } from '../../src/store/db.ts';
import { LexofficeClient, type LexofficeClientOptions } from '../../src/connectors/lexoffice/index.ts';
import type { SalesVoucherInput } from '../../src/connectors/lexoffice/index.ts';

/** A client against a simulator, with the rate limit lifted unless the test is about it. */
export function fastClient(url: string, apiKey: string, db: Db, extra: Partial<LexofficeClientOptions> = {}): LexofficeClient {
  return new LexofficeClient({ baseUrl: url, apiKey, db, rateLimit: { ratePerSecond: 1000, burst: 1000 }, backoffBaseMs: 20, backoffMaxMs: 100, ...extra });
}

export const FAST_SIM = { rateLimit: { ratePerSecond: 1000, burst: 1000 } } as const;

export function invoiceInput(contactId: string, marker = 'Cel.ro order 1001'): SalesVoucherInput {
  return {
    voucherDate: '2026-08-25T00:00:00.000+02:00',
    address: { contactId },
    lineItems: [
      { type: 'custom', name: 'Espressomaschine Pro', quantity: '2', unitName: 'Stück', unitPrice: { currency: 'EUR', grossAmount: '73.66', taxRatePercentage: '19' } },
      { type: 'custom', name: 'Kochbuch', quantity: '3', unitName: 'Stück', unitPrice: { currency: 'EUR', grossAmount: '12.99', taxRatePercentage: '7' }, discountPercentage: '10' },
      { type: 'custom', name: 'Versand', quantity: '1', unitName: 'pauschal', unitPrice: { currency: 'EUR', grossAmount: '4.90', taxRatePercentage: '19' } },
      { type: 'text', name: 'Marketplace order', description: marker },
    ],
    totalPrice: { currency: 'EUR' },
    taxConditions: { taxType: 'gross' },
    shippingConditions: { shippingType: 'delivery', shippingDate: '2026-08-26T00:00:00.000+02:00' },
    title: 'Rechnung',
    introduction: marker,
  };
}
