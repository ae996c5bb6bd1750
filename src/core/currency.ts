/** ISO 4217 currencies Vortex handles, with their minor-unit digits. Extend the table, never guess. */
export const CURRENCIES = {
  EUR: { minorUnits: 2 },
  RON: { minorUnits: 2 },
  USD: { minorUnits: 2 },
  GBP: { minorUnits: 2 },
  CHF: { minorUnits: 2 },
  PLN: { minorUnits: 2 },
  HUF: { minorUnits: 2 },
  CZK: { minorUnits: 2 },
  BGN: { minorUnits: 2 },
  SEK: { minorUnits: 2 },
  DKK: { minorUnits: 2 },
  NOK: { minorUnits: 2 },
  JPY: { minorUnits: 0 },
} as const;

export type CurrencyCode = keyof typeof CURRENCIES;

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCIES, code);
}

export function parseCurrency(code: string): CurrencyCode {
  const upper = code.trim().toUpperCase();
  if (!isCurrencyCode(upper)) throw new TypeError(`unknown or unsupported currency "${code}"`);
  return upper;
}

export function minorUnits(currency: CurrencyCode): number {
  return CURRENCIES[currency].minorUnits;
}
