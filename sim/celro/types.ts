import type { SortDirection } from './orders-query.ts';

// The simulator's options and records, shared by the server, its admin routes and the API routes.

export type FaultKind = 'http500' | 'http503' | 'http429' | 'error' | 'slow' | 'expire-token' | 'non-json' | 'missing-fields' | 'reset';

export interface FaultRule {
  kind: FaultKind;
  /** "method/action" (e.g. "orders/getOrders"), a "method/*" prefix, or "*" (default). */
  match?: string;
  /** How many matching requests it affects; default 1; 0 = until cleared. */
  times?: number;
  /** Probability (0..1) that a matching request is affected (default 1): e.g. 0.2 with times 0 = 20 % of calls. */
  rate?: number;
  /** 'slow': extra latency. */
  delayMs?: number;
  /** 'error': envelope error code and message. */
  error?: number;
  message?: string;
}

/** How an expired or unknown token is answered (all three are signals the SDK re-logs in on). */
export type TokenSignal = 'http400' | 'tokenStatus0' | 'error302';

export interface CelroSimOptions {
  port?: number;
  host?: string;
  username?: string;
  password?: string;
  /** 'demo' (reference data only, the default), 'sample' (+60 products, 5 orders), anything else = empty with that RNG seed. */
  seed?: string;
  tokenTtlMs?: number;
  tokenSignal?: TokenSignal;
  maxConnections?: number;
  latencyMs?: number;
  approvalDelayMs?: number;
  priceGuardPercent?: number;
  priceGuardOnStockAndPrice?: boolean;
  readyRequiresAwb?: boolean;
  /** Max items in one import/importer or updateStockAndPrice call. */
  maxBatch?: number;
  /** [U] getOrders: is the order whose id equals min_order listed too? Default false ("greater than"). */
  minOrderInclusive?: boolean;
  /** getOrders sort with min_order: 'asc' as documented; 'desc' to prove clients cope with either. */
  minOrderSort?: SortDirection;
  faults?: FaultRule[];
  pushTimeoutMs?: number;
  logLimit?: number;
}

export interface LogEntry {
  at: string;
  method: string;
  path: string;
  account: string | null;
  fields: Record<string, unknown>;
  status: number;
  ms: number;
  fault?: FaultKind;
}

export interface PushRecord {
  at: string;
  url: string;
  type: number;
  value: string;
  status: number | null;
  error?: string;
}

/** The live settings of a running simulator (everything but where it listens, its faults and seed). */
export type SimConfig = Required<Omit<CelroSimOptions, 'port' | 'host' | 'faults' | 'seed'>>;
