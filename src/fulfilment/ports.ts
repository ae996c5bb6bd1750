import type { CreatedAwb, ShipmentRequest, Tracking } from '../core/shipping.ts';

/**
 * The fulfilment context's view of a courier: create an AWB for a shipment, read the tracking of AWBs.
 * The connector clients (FanCourierClient, SamedayClient) satisfy it structurally; a merchant's own
 * courier integration is another adapter of the same port.
 */
export interface Courier {
  readonly code: string;
  createAwb(shipment: ShipmentRequest): Promise<CreatedAwb>;
  /** Tracking per AWB; AWBs the courier does not know are left out of the map. */
  track(awbNumbers: readonly string[]): Promise<Map<string, Tracking>>;
}
