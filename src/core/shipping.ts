/**
 * Canonical shipping types shared by the courier connectors and the fulfilment context: what a
 * shipment asks of a courier, and what tracking tells back, in one vocabulary for every courier.
 */

/** Where a parcel stands, whatever the courier calls it (research/domain.md §3.6). */
export type TrackingState =
  | 'created' // AWB exists, the courier has not picked the parcel up
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'address_problem' // incomplete/wrong address, recipient unreachable: needs the merchant
  | 'refused' // the recipient refused the parcel or the cash-on-delivery payment
  | 'returned' // on its way back / back at the sender
  | 'cancelled'
  | 'unknown';

/** Final states: tracking stops polling an AWB that reached one. */
export const FINAL_TRACKING_STATES: ReadonlySet<TrackingState> = new Set(['delivered', 'returned', 'cancelled']);

export interface ShipmentRecipient {
  readonly name: string;
  readonly phone: string;
  readonly email?: string;
  /** County (județ) as written by the buyer; "București" for the capital (sector in `city`). */
  readonly county: string;
  readonly city: string;
  readonly street: string;
  readonly postalCode?: string;
  readonly company?: { readonly name: string; readonly cui?: string };
}

export interface ShipmentRequest {
  /** The merchant's reference (the Cel.ro order id): printed on the AWB, used to find it again. */
  readonly reference: string;
  readonly recipient: ShipmentRecipient;
  readonly parcels: number;
  /** Total weight in kg, decimal string. */
  readonly weightKg: string;
  /** Cash on delivery in RON (decimal string), or null when paid already. */
  readonly cashOnDelivery: string | null;
  readonly declaredValue?: string | null;
  readonly content?: string;
  readonly observation?: string;
}

export interface CreatedAwb {
  readonly courier: string;
  readonly awbNumber: string;
  /** The courier's price for it (RON, decimal string) when it says. */
  readonly cost: string | null;
}

export interface TrackingEvent {
  /** The courier's own code (FAN `S2`, Sameday statusId `9`), kept verbatim. */
  readonly code: string;
  readonly label: string;
  /** ISO 8601 with offset. */
  readonly at: string;
  readonly location: string | null;
  readonly state: TrackingState;
}

export interface Tracking {
  readonly awbNumber: string;
  /** Oldest first. */
  readonly events: readonly TrackingEvent[];
  /** The state of the newest event that says something (or `created` without events). */
  readonly state: TrackingState;
}

/** The state a list of events (oldest first) ends in; `created` when there are none yet. */
export function currentState(events: readonly Pick<TrackingEvent, 'state'>[]): TrackingState {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.state !== 'unknown') return events[i]!.state;
  return 'created';
}

/** Romanian text without diacritics (ă â î ș ț and the cedilla forms), for couriers that want it so. */
export function withoutDiacritics(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}
