import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lexofficeDeepLink } from '../../src/connectors/lexoffice/index.ts';

it('deep links into the lexoffice web app for the documents and contacts Vortex creates', () => {
  assert.equal(lexofficeDeepLink('invoice', 'e9066f04-8cc7-4616-93f8-ac9ecc8479c8'), 'https://app.lexware.de/permalink/invoices/view/e9066f04-8cc7-4616-93f8-ac9ecc8479c8');
  assert.equal(lexofficeDeepLink('orderconfirmation', 'a'), 'https://app.lexware.de/permalink/order-confirmations/view/a');
  assert.equal(lexofficeDeepLink('contact', 'c/1'), 'https://app.lexware.de/permalink/contacts/view/c%2F1');
  assert.equal(lexofficeDeepLink('invoice', null), null);
  assert.equal(lexofficeDeepLink('quotation', 'x'), null);
});
