export * from './decimal.ts';
export * from './currency.ts';
export * from './money.ts';
export * from './types.ts';
export * from './errors.ts';
export * from './clock.ts';
