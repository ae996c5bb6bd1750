import type { CelroClient } from '../connectors/celro/client.ts';
import type { LexofficeClient } from '../connectors/lexoffice/client.ts';

/** The marketplace an order comes from (Cel.ro): read orders, learn status meanings, acknowledge. */
export type OrderChannel = Pick<CelroClient, 'getOrder' | 'getOrderEmail' | 'checkPaymentForOrder' | 'getOrders' | 'listOrdersSince' | 'listOrders' | 'statusMeaning' | 'confirmOrder' | 'addOrderObservations'>;

/** The books an order goes into (lexoffice): contacts, sales vouchers, the voucher list, credit notes. */
export type OrderBooks = Pick<
  LexofficeClient,
  'findContactsByEmail' | 'createContact' | 'createInvoice' | 'createOrderConfirmation' | 'getInvoice' | 'getOrderConfirmation' | 'listVouchers' | 'createCreditNote' | 'getCreditNote'
>;
