import { z } from 'zod';

/**
 * The limits every stock input is held to, wherever it comes from (API, CLI, file, panel): a client
 * gets a 400 naming the field and the limit instead of a database error.
 * - A SKU is 1–200 characters (the column's check) without control characters.
 * - A quantity is a whole number from 0 to one billion: far above any real stock, far below the
 *   database's integer limit, so sums of changes cannot overflow either.
 */
export const MAX_SKU_LENGTH = 200;
export const MAX_QUANTITY = 1_000_000_000;

export const skuSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_SKU_LENGTH, `must be at most ${MAX_SKU_LENGTH} characters`)
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const quantitySchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be ≥ 0')
  .max(MAX_QUANTITY, `must be ≤ ${MAX_QUANTITY.toLocaleString('en')}`);

export const deltaSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(-MAX_QUANTITY, `must be ≥ -${MAX_QUANTITY.toLocaleString('en')}`)
  .max(MAX_QUANTITY, `must be ≤ ${MAX_QUANTITY.toLocaleString('en')}`)
  .refine((n) => n !== 0, 'must not be 0');

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a SKU or quantity is refused, or null when it is fine — the same rules as the schemas above,
 * without zod, because a 100k-row file checks them 100k times.
 */
export function skuProblem(sku: string): string | null {
  const s = sku.trim();
  const why = s.length === 0 ? 'must not be empty' : s.length > MAX_SKU_LENGTH ? `must be at most ${MAX_SKU_LENGTH} characters` : CONTROL.test(s) ? 'must not contain control characters' : null;
  return why && `sku ${JSON.stringify(sku.slice(0, 40))}${sku.length > 40 ? '…' : ''} ${why}`;
}

export function quantityProblem(n: number): string | null {
  if (!Number.isInteger(n)) return 'quantity must be a whole number';
  if (n < 0) return 'quantity must be ≥ 0';
  if (n > MAX_QUANTITY) return `quantity must be ≤ ${MAX_QUANTITY.toLocaleString('en')}`;
  return null;
}

/** Why a change is recorded (ledger entry, audit): a sentence, not a document. */
export const MAX_REASON_LENGTH = 500;

export function reasonProblem(reason: string): string | null {
  if (reason.trim().length === 0) return 'reason must not be empty';
  if (reason.length > MAX_REASON_LENGTH) return `reason must be at most ${MAX_REASON_LENGTH} characters`;
  return null;
}

/** The buffer column is numeric(12, 4): up to 8 digits before the point and 4 after. */
export function bufferValueProblem(v: string): string | null {
  if (!/^\d+(\.\d+)?$/.test(v)) return 'buffer must be a decimal number ≥ 0 (e.g. "2" or "12.5")';
  const [whole, frac = ''] = v.split('.');
  if (whole!.replace(/^0+(?=\d)/, '').length > 8 || frac.length > 4) return 'buffer must be below 100,000,000 with at most 4 decimals';
  return null;
}
