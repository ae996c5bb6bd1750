import { FanCourierClient } from '../connectors/couriers/fancourier.ts';
import { SamedayClient } from '../connectors/couriers/sameday.ts';
import type { TenantRepository } from '../tenants/tenants.ts';
import type { Courier } from './ports.ts';
import type { CourierCode } from './ship-order.ts';


/** The tenant's courier adapter, built from its (encrypted) connection to that courier. */
export async function courierFor(tenants: TenantRepository, tenantId: string, courier: Exclude<CourierCode, 'manual'>): Promise<Courier> {
  if (courier === 'fancourier') {
    const c = await tenants.getConnection(tenantId, 'fancourier');
    return new FanCourierClient({ ...c.credentials, baseUrl: c.baseUrl, settings: c.settings });
  }
  const c = await tenants.getConnection(tenantId, 'sameday');
  return new SamedayClient({ ...c.credentials, baseUrl: c.baseUrl, settings: c.settings });
}
