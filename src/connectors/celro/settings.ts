import { z } from 'zod';
import type { CelroClientOptions } from './client.ts';

/**
 * The order-listing settings of a celro connection, read from the same `settings` object as the
 * sync options (a loose object, so each part parses only its own keys). Both are [U] facts about
 * CEL's getOrders; docs/celro.md lists them.
 */
export const celroOrderSettingsSchema = z.looseObject({
  /** getOrders lists the order equal to `min_order` too (CEL says "greater than": false). */
  minOrderInclusive: z.boolean().default(false),
  /** How the creation-date filter is written: `date` {minDate,maxDate}, `dateFromTo` {from,to}, or `flat`. */
  createdFilterForm: z.enum(['date', 'dateFromTo', 'flat']).default('date'),
});

export type CelroOrderSettings = z.infer<typeof celroOrderSettingsSchema>;

/** The client options these settings map to. */
export function celroOrderClientOptions(settings: unknown): Pick<CelroClientOptions, 'minOrderInclusive' | 'createdFilterForm'> {
  const s = celroOrderSettingsSchema.parse(settings ?? {});
  return { minOrderInclusive: s.minOrderInclusive, createdFilterForm: s.createdFilterForm };
}
