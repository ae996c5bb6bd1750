export { startCelroSim } from './server.ts';
export type { CelroSim, CelroSimOptions, FaultRule, FaultKind, TokenSignal, LogEntry, PushRecord } from './server.ts';
export { ORDER_STATUSES, STATUS, COURIERS, CATEGORIES } from './data.ts';
