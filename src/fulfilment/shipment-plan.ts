import type { TrackingState } from '../core/shipping.ts';

export type CelStatus = 'open' | 'ready_for_delivery' | 'finished';

/**
 * What a parcel's tracking means for the Cel.ro order. Pure. Once the courier has the parcel the order
 * is "ready for delivery" on Cel.ro; once delivered it is finished. Each is sent once (the order's
 * Cel.ro status is remembered). A refusal or a return moves nothing on Cel.ro: it is shown to the
 * merchant, who decides (re-send, cancel, refund).
 */
export type CelAction = 'none' | 'ready_for_delivery' | 'finish' | 'ready_then_finish';

const HANDED_OVER: ReadonlySet<TrackingState> = new Set(['picked_up', 'in_transit', 'out_for_delivery', 'address_problem']);

export function celActionFor(tracking: TrackingState, cel: CelStatus): CelAction {
  if (cel === 'finished') return 'none';
  if (tracking === 'delivered') return cel === 'ready_for_delivery' ? 'finish' : 'ready_then_finish';
  if (HANDED_OVER.has(tracking) && cel === 'open') return 'ready_for_delivery';
  return 'none';
}

/** States the merchant must look at. */
export function needsAttention(tracking: TrackingState): boolean {
  return tracking === 'refused' || tracking === 'returned' || tracking === 'address_problem';
}

/**
 * Cel.ro's words for an AWB's status (`orders/statusAwb`, [U] vocabulary) as a tracking state, for AWBs
 * registered by hand (Vortex has no API for their courier). Unknown words keep the state as it was.
 */
export function trackingFromCelroStatus(status: string | null): TrackingState | null {
  const s = (status ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (/livrat|delivered/.test(s)) return 'delivered';
  if (/returnat|retur|returned/.test(s)) return 'returned';
  if (/refuz|refused/.test(s)) return 'refused';
  if (/tranzit|transit|curier|preluat/.test(s)) return 'in_transit';
  if (/inregistrat|creat|registered/.test(s)) return 'created';
  return null;
}
