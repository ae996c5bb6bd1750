import { ConflictError, ValidationError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import type { JobQueue } from '../sync/queue.ts';
import { enqueueImport } from './jobs.ts';
import { OrderRepository } from './orders-repo.ts';
import { QUARANTINE_REASONS, replayTarget } from './transitions.ts';

/** Reasons an order can be replayed by: the quarantine reasons, and `ambiguous_document` (needs_review). */
export const REPLAY_REASONS = [...QUARANTINE_REASONS, 'ambiguous_document'] as const;

/**
 * Replay one order after the merchant fixed its cause: a quarantined order is mapped again from its
 * stored payload, an order under review goes back to resolving its document by the marker (never a
 * blind re-create). Only those two states replay; anything else is a conflict that says why.
 */
export async function replayOrder(db: Db, queue: JobQueue, tenantId: string, channelOrderId: string, actor: string): Promise<{ orderId: string; from: string; to: string }> {
  const orders = new OrderRepository(db);
  const row = await orders.get(tenantId, channelOrderId);
  const target = replayTarget(row.state);
  if (!target) throw new ConflictError(`order ${channelOrderId} is ${row.state}; only quarantined orders and orders that need review are replayed`, { state: row.state });
  const me = `replay:${actor}`.slice(0, 100);
  const leased = await orders.lease(tenantId, channelOrderId, me);
  if (!leased || leased.state !== row.state) throw new ConflictError(`order ${channelOrderId} is being worked on right now; try again in a few seconds`, { state: row.state });
  try {
    await orders.transition(leased, target, me, { reason_code: null, reason: null }, { replay: actor, previousReason: row.reason_code, previousMessage: row.reason });
  } finally {
    await orders.release(leased, me);
  }
  await enqueueImport(queue, tenantId, channelOrderId);
  return { orderId: channelOrderId, from: row.state, to: target };
}

/** Replay every order resting with this reason (e.g. all `unknown_sku` after the article was added). */
export async function replayByReason(db: Db, queue: JobQueue, tenantId: string, reason: string, actor: string): Promise<{ replayed: string[]; busy: string[] }> {
  if (!(REPLAY_REASONS as readonly string[]).includes(reason)) throw new ValidationError(`reason must be one of ${REPLAY_REASONS.join(', ')}`, [{ path: 'reason', message: 'unknown reason' }]);
  const rows = await db.query<{ channel_order_id: string }>(
    "SELECT channel_order_id FROM channel_orders WHERE tenant_id = $1 AND state IN ('quarantined', 'needs_review') AND reason_code = $2 ORDER BY id",
    [tenantId, reason],
  );
  const replayed: string[] = [];
  const busy: string[] = [];
  for (const r of rows) {
    try {
      await replayOrder(db, queue, tenantId, r.channel_order_id, actor);
      replayed.push(r.channel_order_id);
    } catch (e) {
      if (e instanceof ConflictError) busy.push(r.channel_order_id);
      else throw e;
    }
  }
  return { replayed, busy };
}
