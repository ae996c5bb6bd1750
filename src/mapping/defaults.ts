import type { Direction } from './schema.ts';
import { RULES_SCHEMA_ID } from './schema.ts';

/**
 * The rule sets Vortex ships for a German seller on Cel.ro (research/domain.md §2.5):
 * - catalog: net EUR article price → BNR rate → RO VAT of the article's class (OSS destination
 *   principle: DE 19 % → RO standard, DE 7 % → RO reduced) → half-up to 2 decimals, once, at the end;
 * - order: each line's gross RON total → EUR at the BNR rate for the order day (line totals converted,
 *   never unit prices) → net by stripping the line's RO VAT.
 * `vortex rules default` prints them; a tenant starts from a copy and edits.
 */
export const DEFAULT_CATALOG_RULES = {
  schema: RULES_SCHEMA_ID,
  direction: 'catalog',
  name: 'Default DE → RO catalog (lexoffice article → Cel.ro offer)',
  description: 'Net EUR price converted at the BNR rate published before the pricing day, RO VAT added by tax class, rounded half-up to 2 decimals once at the end. Sent VAT-inclusive (hasTVA=1) in RON.',
  defaults: { fxSource: 'BNR', fxDatePolicy: 'previous', vatCountry: 'RO' },
  lookups: {
    'de-tax-class': {
      description: 'lexoffice (German) tax rate of the article → VAT class; the RO rate of that class applies (destination principle).',
      entries: { '19': 'standard', '16': 'standard', '7': 'reduced', '5': 'reduced', '0': 'zero' },
      missing: 'error',
    },
    brands: {
      description: 'Brand (manufacturers_name) per SKU. Cel.ro requires a brand for new products; fill it in here.',
      entries: {},
      missing: 'default',
      default: null,
    },
    categories: {
      description: 'Cel.ro category id (categories_id, from import/getSupplierCategories) per SKU.',
      entries: {},
      missing: 'default',
      default: null,
    },
    status: {
      description: 'Archived in lexoffice → inactive on Cel.ro.',
      entries: { false: 1, true: 0 },
      missing: 'error',
    },
  },
  preview: { priceField: 'pretf', guardPercent: '10' },
  fields: {
    products_model: { description: 'Cel.ro model = the SKU (lexoffice articleNumber).', from: 'product.sku', pipeline: [{ op: 'trim' }, { op: 'required' }] },
    products_name: { from: 'product.title', pipeline: [{ op: 'trim' }, { op: 'required' }] },
    products_description: { from: 'product.description' },
    manufacturers_name: { from: 'product.sku', pipeline: [{ op: 'lookup', table: 'brands' }] },
    categories_id: { from: 'product.sku', pipeline: [{ op: 'lookup', table: 'categories' }] },
    pretf: {
      description: 'Gross RON price: net EUR × BNR EUR rate × (1 + RO VAT), rounded once.',
      from: 'product.netPrice.amount',
      pipeline: [
        { op: 'required', message: 'the article has no net price' },
        { op: 'fx', from: 'EUR', to: 'RON' },
        { op: 'vatAdd', classFrom: 'product.taxRatePercent', classLookup: 'de-tax-class' },
        { op: 'round', decimals: 2, mode: 'half-up' },
      ],
    },
    hasTVA: { description: 'pretf includes VAT.', const: 1 },
    moneda: { const: 'RON' },
    status: { from: 'product.archived', pipeline: [{ op: 'lookup', table: 'status' }] },
  },
} as const;

export const DEFAULT_ORDER_RULES = {
  schema: RULES_SCHEMA_ID,
  direction: 'order',
  name: 'Default RO → DE order line (Cel.ro order line → lexoffice line item, taxType gross)',
  description: 'The gross RON line total converted to EUR at the BNR rate published before the order day, rounded half-up to 2 decimals; net and VAT derived from the EUR gross with the line’s RO VAT rate (destination principle, declared via OSS).',
  defaults: { fxSource: 'BNR', fxDatePolicy: 'previous', vatCountry: 'RO' },
  document: { taxType: 'gross', taxSubType: 'distanceSales', b2b: 'intraCommunitySupply' },
  lookups: {
    'sku-to-article': {
      description: 'Cel.ro model → lexoffice article number, where they differ. A model mapped to null becomes a custom line (no article).',
      entries: {},
      missing: 'keep',
    },
  },
  fields: {
    type: { const: 'custom' },
    name: { from: 'line.title', pipeline: [{ op: 'trim' }, { op: 'required' }, { op: 'truncate', max: 255 }] },
    quantity: { from: 'line.quantity', pipeline: [{ op: 'required' }] },
    article: {
      description: 'The lexoffice article number of an item line (its SKU unless mapped); an unknown one quarantines the order.',
      from: 'line.sku',
      pipeline: [{ op: 'lookup', table: 'sku-to-article' }],
    },
    unitName: { const: 'Stück' },
    'unitPrice.currency': { const: 'EUR' },
    'unitPrice.taxRatePercentage': {
      description: 'The VAT percent Cel.ro reports on the line, else the RO standard rate on the order day.',
      pipeline: [{ op: 'vatRate', rateFrom: 'line.vatPercent', class: 'standard' }, { op: 'round', decimals: 0 }, { op: 'toInteger' }],
    },
    'lineTotal.grossAmount': {
      description: 'Line total converted (not the unit price): gross RON / BNR EUR rate, rounded once.',
      from: 'line.lineTotalGross.amount',
      pipeline: [{ op: 'required' }, { op: 'fx', from: 'RON', to: 'EUR' }, { op: 'round', decimals: 2, mode: 'half-up' }],
    },
    'lineTotal.netAmount': {
      from: 'fields.lineTotal.grossAmount',
      pipeline: [{ op: 'vatStrip', rateFrom: 'fields.unitPrice.taxRatePercentage' }, { op: 'round', decimals: 2, mode: 'half-up' }],
    },
    'lineTotal.taxAmount': { from: 'fields.lineTotal.grossAmount', pipeline: [{ op: 'subtract', valueFrom: 'fields.lineTotal.netAmount' }, { op: 'round', decimals: 2 }] },
    'unitPrice.grossAmount': {
      description: 'Converted line total / quantity, 4 decimals, so quantity × unit price reproduces the converted total.',
      from: 'fields.lineTotal.grossAmount',
      pipeline: [{ op: 'divide', byFrom: 'line.quantity' }, { op: 'round', decimals: 4, mode: 'half-up' }],
    },
    'original.grossAmount': { description: 'The RON amount the customer paid, kept for reconciliation.', from: 'line.lineTotalGross.amount', pipeline: [{ op: 'round', decimals: 2 }] },
    'original.currency': { from: 'line.lineTotalGross.currency' },
  },
} as const;

export function defaultRuleSet(direction: Direction): unknown {
  return direction === 'catalog' ? DEFAULT_CATALOG_RULES : DEFAULT_ORDER_RULES;
}
