export { startLexofficeSim, DEFAULT_SIM_KEY, type LexofficeSim, type LexofficeSimOptions, type RequestLogEntry, type SimRateLimit } from './server.ts';
export type { FaultRule, FaultKind } from './faults.ts';
export { signBody, generateSigningKey, EVENT_TYPES } from './webhooks.ts';
export { computeTotals } from './documents.ts';
