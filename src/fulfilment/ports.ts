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

interface ShipTo {
  readonly name: string;
  readonly company: string;
  readonly vatId: string;
  readonly phone: string;
  readonly county: string;
  readonly city: string;
  readonly street: string;
  readonly zip: string;
}

/** The parts of a Cel.ro order a shipment needs (CelroOrder has them). */
export interface ShippableOrder {
  readonly id: string;
  readonly paymentMethod: string;
  readonly paid: boolean | null;
  readonly total: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly billing: ShipTo | null;
  readonly delivery: ShipTo | null;
}

/** What fulfilment needs from Cel.ro (CelroClient satisfies it). */
export interface OrderChannel {
  getOrder(orderId: string): Promise<ShippableOrder>;
  getCouriers(): Promise<{ id: string; name: string }[]>;
  registerAwb(orderId: string, courierId: string, awbNumber: string): Promise<unknown>;
  confirmOrder(orderId: string): Promise<unknown>;
  setReadyForDelivery(orderId: string): Promise<unknown>;
  finishOrder(orderId: string): Promise<unknown>;
  /** Cel.ro's own status of the order's AWBs (`orders/statusAwb`): how manual AWBs are followed. */
  statusAwb(orderId: string): Promise<Array<{ awbNumber: string; status: string | null }>>;
}
