import type { Queryable } from '../store/db.ts';

export type SyncWhat = 'catalog' | 'stock' | 'reconcile';
export const SYNC_WHATS: readonly SyncWhat[] = ['catalog', 'stock', 'reconcile'];

export interface PendingRequests {
  readonly upToId: number;
  readonly what: ReadonlySet<SyncWhat>;
  readonly triggers: readonly string[];
}

/**
 * Record that a tenant's sync should run; the run job picks every pending request up at once. Returns
 * the newest request id (what a caller follows to see the run that covers it).
 */
export async function addSyncRequest(db: Queryable, tenantId: string, what: readonly SyncWhat[], trigger: string, detail: Record<string, unknown> = {}): Promise<number> {
  let last = 0;
  for (const w of what) {
    last = (await db.one<{ id: number }>('INSERT INTO sync_requests (tenant_id, what, trigger, detail) VALUES ($1, $2, $3, $4::jsonb) RETURNING id', [tenantId, w, trigger, detail])).id;
  }
  return last;
}

/** What is pending for a tenant (a run works on the union; requests arriving later stay pending). */
export async function pendingRequests(db: Queryable, tenantId: string): Promise<PendingRequests | undefined> {
  const rows = await db.query<{ id: number; what: SyncWhat; trigger: string }>('SELECT id, what, trigger FROM sync_requests WHERE tenant_id = $1 ORDER BY id', [tenantId]);
  if (rows.length === 0) return undefined;
  return { upToId: rows[rows.length - 1]!.id, what: new Set(rows.map((r) => r.what)), triggers: [...new Set(rows.map((r) => r.trigger))] };
}

/** Remove the requests a successful run covered (only after its results are committed). */
export async function clearRequests(db: Queryable, tenantId: string, upToId: number): Promise<void> {
  await db.query('DELETE FROM sync_requests WHERE tenant_id = $1 AND id <= $2', [tenantId, upToId]);
}
