import { z } from 'zod';

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
});

/**
 * Order intake options of the Cel.ro connection. `confirmOrders`: confirm the order on Cel.ro once its
 * document exists (acknowledge). `orderLookBackHours`: each poll also re-reads orders changed in this
 * window (status changes, late arrivals).
 */
export const orderIntakeSettingsSchema = z.looseObject({
  confirmOrders: z.boolean().default(false),
  orderLookBackHours: z.number().int().min(1).max(168).default(24),
});

export type OrderDocumentSettings = z.infer<typeof orderDocumentSettingsSchema>;
export type OrderIntakeSettings = z.infer<typeof orderIntakeSettingsSchema>;
