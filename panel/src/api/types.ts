/**
 * Shapes of the API answers the panel reads. Generated types (schema.d.ts, from the server's OpenAPI
 * description) describe the routes; these are the panel's view of them, kept loose where the server
 * sends free-form JSON (counts, documents, payloads).
 */
export type Role = 'operator' | 'merchant';

export interface User {
  readonly id: string | number;
  readonly email: string;
  readonly role: Role;
  readonly tenants: readonly string[];
  readonly createdAt?: string;
  readonly lastLoginAt?: string | null;
  readonly mustChangePassword?: boolean;
}

export interface Session {
  readonly user: User;
  readonly csrfToken: string;
}

export interface Connection {
  readonly system: string;
  readonly baseUrl: string | null;
  readonly enabled: boolean;
  readonly settings?: Record<string, unknown>;
  readonly updatedAt?: string;
}

export interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly createdAt?: string;
  readonly connections?: readonly Connection[];
}

export type Counts = Record<string, Record<string, number> | number>;

export interface Run {
  readonly id: number;
  readonly triggers: readonly string[];
  readonly what: readonly string[];
  readonly status: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly counts: Counts | null;
  readonly api_calls?: Record<string, number> | null;
  readonly error: string | null;
}

export interface SyncProgress {
  readonly requestId: number;
  readonly state: 'queued' | 'running' | 'done' | 'retrying' | 'unknown';
  readonly run: { id: number; status: string; counts: Counts | null; error: string | null; startedAt: string; finishedAt: string | null } | null;
}

export interface ConnectionHealth {
  readonly system: string;
  readonly health: 'fresh' | 'stalled' | 'disconnected' | 'unconfigured' | string;
  readonly lastHeartbeat?: string | null;
  readonly nextHeartbeat?: string | null;
  readonly message?: string | null;
  readonly [k: string]: unknown;
}

export interface Dashboard {
  readonly connections?: readonly ConnectionHealth[];
  readonly lastHeartbeat?: string | null;
  readonly nextHeartbeat?: string | null;
  readonly runs?: readonly Run[];
  readonly running?: { id: number; counts: Counts | null; startedAt?: string; started_at?: string; what?: readonly string[] } | null;
  readonly apiBudget?: unknown;
  readonly queue?: unknown;
  readonly ordersPerDay?: ReadonlyArray<{ day: string; count: number }>;
  readonly publishLatency?: ReadonlyArray<{ at: string; seconds: number }>;
  readonly actionItems?: Record<string, number>;
  readonly errors?: ReadonlyArray<Record<string, unknown>>;
}

export interface Offer {
  readonly sku: string;
  readonly desired: Record<string, unknown> | null;
  readonly pushed: Record<string, unknown> | null;
  readonly pushed_at: string | null;
  readonly rule_version_id: number | null;
  readonly pushed_rule_version_id: number | null;
  readonly published_qty: number | null;
  readonly pushed_qty: number | null;
  readonly listed: boolean;
  readonly active: boolean;
  readonly approval: string | null;
  readonly approval_reason: string | null;
  readonly held_reason: string | null;
  readonly held_at: string | null;
  readonly override_next: boolean;
  readonly last_error: string | null;
  readonly updated_at: string;
}

export interface OrderView {
  readonly orderId: string;
  readonly state: string;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly actionItem: string | null;
  readonly channelStatus: string | null;
  readonly placedAt: string | null;
  readonly total: string | null;
  readonly currency: string | null;
  readonly customer: { name: string | null; email: string | null };
  readonly document: { type: string; id: string; number: string | null; status: string | null } | null;
  readonly invoice: { state: string; reason: string | null; source: string | null; series: string | null; number: string | null; attachedAt: string | null };
  readonly receivedAt: string;
  readonly updatedAt: string;
}

export interface OrderDetail extends OrderView {
  readonly history: ReadonlyArray<{ kind: string; from_state?: string | null; to_state?: string | null; detail?: unknown; at: string; worker?: string | null }>;
  readonly apiCalls: ReadonlyArray<Record<string, unknown>>;
  readonly payment: { expected?: string; method?: string; status?: string; source?: string | null; [k: string]: unknown } | null;
  readonly shipments: ReadonlyArray<{ courier: string; courierName: string | null; awbNumber: string | null; trackingState: string | null; celStatus: string | null; lastError: string | null; createdAt: string; history: ReadonlyArray<{ kind: string; detail: unknown; at: string }> }>;
  readonly raw: unknown;
}

export interface StockPolicy {
  readonly bufferKind: 'absolute' | 'percent';
  readonly bufferValue: string;
  readonly floor: number;
  readonly cap: number | null;
}

export interface StockRow {
  readonly sku: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly policy: StockPolicy;
  readonly published: number;
  readonly updatedAt: string;
}

export type Direction = 'catalog' | 'order';

export interface RuleVersion {
  readonly id: number;
  readonly direction: Direction;
  readonly version: number;
  readonly status: 'draft' | 'validated';
  readonly active: boolean;
  readonly name: string;
  readonly note: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly document?: unknown;
}

export interface PreviewRow {
  readonly key: string;
  readonly status: 'unchanged' | 'changed' | 'new' | 'failed';
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly changes: ReadonlyArray<{ field: string; before: unknown; after: unknown }>;
  readonly error?: string;
  readonly price?: { before: string; after: string; percent: string | null; overGuard: boolean };
}

export interface PreviewReport {
  readonly summary: {
    readonly items: number;
    readonly changed: number;
    readonly unchanged: number;
    readonly new: number;
    readonly failed: number;
    readonly newlyFailing: number;
    readonly priceField: string;
    readonly guardPercent: string;
    readonly priceChangesOverGuard: number;
    readonly changesByField: Record<string, number>;
  };
  readonly rows: readonly PreviewRow[];
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: unknown;
  readonly at: string;
}

export interface ConnectionTest {
  readonly ok: boolean;
  readonly checks: ReadonlyArray<{ name: string; ok: boolean; message: string }>;
}
