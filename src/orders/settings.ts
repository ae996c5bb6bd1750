import { z } from 'zod';
import { DEFAULT_INVOICE_NUMBER_PATTERN, invoicePatternProblem } from '../fulfilment/invoice-number.ts';

/**
 * How orders reach lexoffice, read from the lexoffice connection's settings (a loose object: each part
 * parses only its own keys). `orderDocument`: a finalized invoice (default), a draft invoice, or an
 * order confirmation. `orderContact`: find or create the buyer as a lexoffice contact (default), or put
 * the buyer's address on the document only. `creditNoteOnCancel`: a finalized invoice of an order
 * cancelled on Cel.ro gets a credit note (else an action item for a person).
 */
export const orderDocumentSettingsSchema = z.looseObject({
  orderDocument: z.enum(['invoice', 'draft', 'orderconfirmation']).default('invoice'),
  orderContact: z.enum(['contact', 'address-only']).default('contact'),
  creditNoteOnCancel: z.boolean().default(false),
  /** How a lexoffice voucher number splits into Cel.ro's invoice series and number (named groups). */
  invoiceNumberPattern: z
    .string()
    .max(200)
    .refine((p) => invoicePatternProblem(p) === null, 'must be a regular expression with the named groups (?<series>…) and (?<number>…)')
    .default(DEFAULT_INVOICE_NUMBER_PATTERN),
});

/**
 * Order intake options of the Cel.ro connection. `confirmOrders`: confirm the order on Cel.ro once its
 * document exists (acknowledge). `orderLookBackHours`: each poll also re-reads orders changed in this
 * window (status changes, late arrivals). `invoiceSource`/`invoiceMaxBytes`: the invoice PDF attached to
 * the Cel.ro order.
 */
export const orderIntakeSettingsSchema = z.looseObject({
  confirmOrders: z.boolean().default(false),
  /** Write the lexoffice document's number on the Cel.ro order as a remark (orders/addOrderObservations). */
  noteDocumentOnCel: z.boolean().default(false),
  orderLookBackHours: z.number().int().min(1).max(168).default(24),
  /** Where the invoice PDF for the Cel.ro order comes from: lexoffice (default), or uploaded by hand. */
  invoiceSource: z.enum(['lexoffice', 'manual']).default('lexoffice'),
  /** Cel.ro's size limit for an invoice PDF [U: not documented]; a bigger one is an action item. */
  invoiceMaxBytes: z.number().int().min(100).max(100_000_000).default(10_000_000),
});

export type OrderDocumentSettings = z.infer<typeof orderDocumentSettingsSchema>;
export type OrderIntakeSettings = z.infer<typeof orderIntakeSettingsSchema>;
