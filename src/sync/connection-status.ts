import type { Queryable } from '../store/db.ts';
import { credentialsSchemas, type ConnectionSystem } from '../tenants/tenants.ts';
import { connectionHealth, nextHeartbeat, type ConnectionHealth } from './health.ts';
import { syncSettings } from './schedule.ts';

/** The systems that take part in sync runs. */
export const SYNCED_SYSTEMS: readonly string[] = ['lexoffice', 'celro'];

export interface ConnectionStatus {
  readonly system: string;
  readonly configured: boolean;
  readonly enabled: boolean;
  readonly health: ConnectionHealth;
  /** When a sync run last completed (lexoffice, Cel.ro). */
  readonly lastHeartbeatAt: Date | null;
  readonly nextHeartbeatAt: Date | null;
  readonly lastError: string | null;
}

export interface TenantConnections {
  readonly heartbeatMinutes: number;
  readonly connections: readonly ConnectionStatus[];
  /** The tenant's connections as stored (the dashboard reads their settings for the API budget). */
  readonly rows: ReadonlyArray<{ system: ConnectionSystem; enabled: boolean; settings: Record<string, unknown>; created_at: Date }>;
}

/**
 * Health of each of a tenant's connections as of `now`, from what the runs and the order poll recorded:
 * what the dashboard shows and what the alerts raise (`stalled`, `disconnected`). The rule itself is
 * the pure `connectionHealth`; this gathers its inputs.
 */
export async function tenantConnections(db: Queryable, tenant: { id: string; status: string; settings: Readonly<Record<string, unknown>> }, now: Date): Promise<TenantConnections> {
  const { heartbeatMinutes } = syncSettings(tenant.settings);
  const rows = await db.query<{ system: ConnectionSystem; enabled: boolean; settings: Record<string, unknown>; created_at: Date }>(
    'SELECT system, enabled, settings, created_at FROM connections WHERE tenant_id = $1',
    [tenant.id],
  );
  const finished = await db.query<{ status: string; error: string | null }>("SELECT status, error FROM sync_runs WHERE tenant_id = $1 AND status <> 'running' ORDER BY id DESC LIMIT 10", [tenant.id]);
  const lastCompleted = (await db.one<{ at: Date | null }>("SELECT max(finished_at) AS at FROM sync_runs WHERE tenant_id = $1 AND status IN ('succeeded', 'partial')", [tenant.id])).at;
  // Runs happen only for an active tenant with both lexoffice and Cel.ro switched on (as the pump decides).
  const syncing = tenant.status === 'active' && SYNCED_SYSTEMS.every((sys) => rows.some((c) => c.system === sys && c.enabled));
  const intake = await db.maybeOne<{ last_poll_error: string | null }>('SELECT last_poll_error FROM order_intake WHERE tenant_id = $1', [tenant.id]);

  const systems = [...new Set<string>([...SYNCED_SYSTEMS, ...rows.map((c) => c.system)])].filter((s) => s in credentialsSchemas);
  const connections = systems.map((system): ConnectionStatus => {
    const c = rows.find((x) => x.system === system);
    const synced = SYNCED_SYSTEMS.includes(system);
    const mentions = (e: string | null) => (e && (system === 'celro' ? /cel\.ro|celro/i : new RegExp(system, 'i')).test(e) ? e : null);
    const otherError = system === 'celro' ? (intake?.last_poll_error ?? null) : null;
    const health = connectionHealth({
      system,
      configured: Boolean(c),
      enabled: c?.enabled ?? false,
      synced: synced && syncing,
      recentRuns: finished,
      lastCompletedAt: lastCompleted,
      connectedAt: c?.created_at ?? null,
      heartbeatMinutes,
      otherError,
      now,
    });
    const lastError = synced ? (finished.map((r) => mentions(r.error)).find(Boolean) ?? otherError ?? null) : null;
    return {
      system,
      configured: Boolean(c),
      enabled: c?.enabled ?? false,
      health,
      lastHeartbeatAt: synced ? lastCompleted : null,
      nextHeartbeatAt: synced && syncing ? nextHeartbeat(now, heartbeatMinutes) : null,
      lastError: health === 'fresh' && finished[0]?.status === 'succeeded' ? null : lastError,
    };
  });
  return { heartbeatMinutes, connections, rows };
}
