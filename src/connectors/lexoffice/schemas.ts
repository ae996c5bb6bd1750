import { z } from 'zod';

/**
 * Response schemas. z.object() drops fields we do not know (the API adds fields over time), but what
 * Vortex uses is checked strictly. Amounts arrive as JSON numbers (one documented sample has a string):
 * both are accepted and turned into decimal strings so no float leaks into money code.
 */
export const amount = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((v) => (typeof v === 'number' ? numberToDecimalString(v) : v));

export function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite amount: ${n}`);
  // JS prints the shortest string that round-trips; for API amounts (≤ 4 decimals) that is the decimal sent.
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

const str = z.string();
const optStr = z.string().nullish();

export const actionResultSchema = z.object({
  id: str,
  resourceUri: str,
  createdDate: str,
  updatedDate: str,
  version: z.number().int(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    content: z.array(item),
    first: z.boolean(),
    last: z.boolean(),
    totalPages: z.number().int(),
    totalElements: z.number().int(),
    numberOfElements: z.number().int(),
    size: z.number().int(),
    number: z.number().int(),
  });
}
export interface Page<T> {
  content: T[];
  first: boolean;
  last: boolean;
  totalPages: number;
  totalElements: number;
  numberOfElements: number;
  size: number;
  number: number;
}

export const profileSchema = z.object({
  organizationId: str,
  companyName: str,
  connectionId: optStr,
  taxType: str,
  smallBusiness: z.boolean(),
  distanceSalesPrinciple: optStr,
  businessFeatures: z.array(str).optional(),
});
export type Profile = z.infer<typeof profileSchema>;

export const countrySchema = z.object({
  countryCode: str,
  countryNameDE: str,
  countryNameEN: str,
  /** `de`, `intraCommunity`, `thirdPartyCountry` — kept open: new classifications must not break the sync. */
  taxClassification: str,
});
export type Country = z.infer<typeof countrySchema>;

/**
 * One article. Only what the catalog sync needs is required (id, title, type, unitName, price with its
 * tax rate); the documentation's own samples of `GET /v1/articles/{id}` and of the list lack
 * `organizationId`, `createdDate`, `updatedDate` and `archived`, so those are optional (an absent
 * `archived` means not archived). Unknown fields are kept as they came (looseObject): the raw article
 * is stored and mapping rules may reach any source field.
 */
export const articleSchema = z.looseObject({
  id: str,
  organizationId: optStr,
  createdDate: optStr,
  updatedDate: optStr,
  archived: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
  title: str,
  description: optStr,
  type: z.enum(['PRODUCT', 'SERVICE']),
  articleNumber: optStr,
  gtin: optStr,
  note: optStr,
  unitName: str,
  price: z.looseObject({
    netPrice: amount.nullish(),
    grossPrice: amount.nullish(),
    leadingPrice: z.enum(['NET', 'GROSS']),
    taxRate: amount,
  }),
  version: z.number().int().nullish(),
});
export type Article = z.infer<typeof articleSchema>;

const addressSchema = z.looseObject({
  supplement: optStr,
  street: optStr,
  zip: optStr,
  city: optStr,
  countryCode: str,
});
export type ContactAddress = z.infer<typeof addressSchema>;

/**
 * A contact. looseObject at every level: fields the client does not model (`xRechnung`, whatever
 * lexoffice adds later) are kept, because a PUT replaces the whole record and `updateContact` must
 * send them back unchanged.
 */
export const contactSchema = z.looseObject({
  id: str,
  organizationId: str,
  version: z.number().int(),
  roles: z.looseObject({
    customer: z.looseObject({ number: z.number().int().optional() }).optional(),
    vendor: z.looseObject({ number: z.number().int().optional() }).optional(),
  }),
  company: z
    .looseObject({
      name: str,
      taxNumber: optStr,
      vatRegistrationId: optStr,
      allowTaxFreeInvoices: z.boolean().nullish(),
      contactPersons: z
        .array(z.looseObject({ salutation: optStr, firstName: optStr, lastName: optStr, primary: z.boolean().nullish(), emailAddress: optStr, phoneNumber: optStr }))
        .nullish(),
    })
    .nullish(),
  person: z.looseObject({ salutation: optStr, firstName: optStr, lastName: str }).nullish(),
  addresses: z.looseObject({ billing: z.array(addressSchema).nullish(), shipping: z.array(addressSchema).nullish() }).nullish(),
  /** Public-authority customers (Leitweg-ID); read and sent back, never written by Vortex. */
  xRechnung: z.looseObject({ buyerReference: optStr, vendorNumberAtCustomer: optStr }).nullish(),
  emailAddresses: z.record(z.string(), z.array(str)).nullish(),
  phoneNumbers: z.record(z.string(), z.array(str)).nullish(),
  note: optStr,
  archived: z.boolean().nullish(),
});
export type Contact = z.infer<typeof contactSchema>;

const unitPriceSchema = z.object({
  currency: str,
  netAmount: amount.nullish(),
  grossAmount: amount.nullish(),
  taxRatePercentage: amount,
});

/**
 * Invoice, order confirmation or credit note as `GET /v1/{resource}/{id}` returns it. looseObject: the
 * read-only fields Vortex does not use (electronicDocumentProfile, paymentConditions, files, …) are kept.
 */
export const salesVoucherSchema = z.looseObject({
  id: str,
  organizationId: str,
  createdDate: str,
  updatedDate: str,
  version: z.number().int(),
  language: optStr,
  archived: z.boolean().nullish(),
  voucherStatus: str,
  voucherNumber: optStr,
  voucherDate: str,
  dueDate: optStr,
  address: z.object({
    contactId: optStr,
    name: optStr,
    supplement: optStr,
    street: optStr,
    city: optStr,
    zip: optStr,
    countryCode: optStr,
  }),
  lineItems: z.array(
    z.object({
      id: optStr,
      type: str,
      name: optStr,
      description: optStr,
      quantity: amount.nullish(),
      unitName: optStr,
      unitPrice: unitPriceSchema.nullish(),
      discountPercentage: amount.nullish(),
      lineItemAmount: amount.nullish(),
    }),
  ),
  totalPrice: z.object({
    currency: str,
    totalNetAmount: amount,
    totalGrossAmount: amount,
    totalTaxAmount: amount,
    totalDiscountAbsolute: amount.nullish(),
    totalDiscountPercentage: amount.nullish(),
  }),
  taxAmounts: z.array(z.object({ taxRatePercentage: amount, taxAmount: amount, netAmount: amount })),
  taxConditions: z.object({ taxType: str, taxSubType: optStr, taxTypeNote: optStr }),
  shippingConditions: z.object({ shippingDate: optStr, shippingEndDate: optStr, shippingType: optStr }).nullish(),
  relatedVouchers: z.array(z.object({ id: str, voucherNumber: optStr, voucherType: str })).nullish(),
  title: optStr,
  introduction: optStr,
  remark: optStr,
  /** Invoices only, read-only. */
  closingInvoice: z.boolean().nullish(),
  claimedGrossAmount: amount.nullish(),
  downPaymentDeductions: z.array(z.unknown()).nullish(),
  recurringTemplateId: optStr,
});
export type SalesVoucher = z.infer<typeof salesVoucherSchema>;

export const voucherlistRowSchema = z.object({
  id: str,
  voucherType: str,
  voucherStatus: str,
  voucherNumber: optStr,
  voucherDate: optStr,
  createdDate: str,
  updatedDate: str,
  dueDate: optStr,
  contactId: optStr,
  contactName: optStr,
  totalAmount: amount.nullish(),
  openAmount: amount.nullish(),
  currency: optStr,
  archived: z.boolean().nullish(),
});
export type VoucherlistRow = z.infer<typeof voucherlistRowSchema>;

export const paymentSchema = z.object({
  openAmount: amount,
  currency: str,
  paymentStatus: str,
  voucherType: str,
  voucherStatus: str,
  paidDate: optStr,
  paymentItems: z.array(z.object({ paymentItemType: str, postingDate: str, amount, currency: str })),
});
export type Payment = z.infer<typeof paymentSchema>;

export const eventSubscriptionSchema = z.object({
  subscriptionId: str,
  organizationId: str,
  createdDate: str,
  eventType: str,
  callbackUrl: str,
});
export type EventSubscription = z.infer<typeof eventSubscriptionSchema>;
export const eventSubscriptionListSchema = z.object({ content: z.array(eventSubscriptionSchema) });

export const webhookPayloadSchema = z.object({
  organizationId: str,
  eventType: str,
  resourceId: str,
  eventDate: str,
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** `GET /v1/{resource}/{id}/document` (deprecated): the id of the rendered file for `GET /v1/files/{id}`. */
export const documentFileSchema = z.object({ documentFileId: str });
export type DocumentFile = z.infer<typeof documentFileSchema>;
