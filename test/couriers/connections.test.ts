import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { courierFor } from '../../src/fulfilment/couriers.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { startFanCourierSim, type FanCourierSim } from '../../sim/couriers/fancourier.ts';
import { startSamedaySim, type SamedaySim } from '../../sim/couriers/sameday.ts';
import { testContext } from '../helpers/app.ts';
import { storeVariants } from '../helpers/stores.ts';

for (const variant of await storeVariants()) {
  describe(`courier connections per tenant (${variant.name})`, { skip: variant.skip }, () => {
    let fan: FanCourierSim;
    let sameday: SamedaySim;
    let close: () => Promise<void>;
    let tenants: TenantRepository;
    before(async () => {
      [fan, sameday] = await Promise.all([startFanCourierSim(), startSamedaySim()]);
      const db = await variant.open();
      const ctx = await testContext(db);
      tenants = new TenantRepository(db, ctx.box);
      await onboardTenant(db, ctx.box, { id: 'shop', name: 'Shop' }, 'test');
      await tenants.setConnection('shop', 'fancourier', { credentials: { clientId: fan.clientId, username: fan.username, password: fan.password }, baseUrl: fan.url }, 'test');
      await tenants.setConnection('shop', 'sameday', { credentials: { username: sameday.username, password: sameday.password }, baseUrl: sameday.url, settings: { pickupPoint: sameday.pickupPoint } }, 'test');
      close = async () => {
        await ctx.stop();
        await db.close();
      };
      // Sealed at rest: the stored row never holds a password in clear.
      const raw = await db.query<{ credentials_enc: string }>("SELECT credentials_enc FROM connections WHERE system IN ('fancourier', 'sameday')");
      assert.equal(raw.length, 2);
      for (const r of raw) assert.ok(!r.credentials_enc.includes(fan.password) && !r.credentials_enc.includes(sameday.password));
    });
    after(async () => {
      await close?.();
      await Promise.all([fan?.close(), sameday?.close()]);
    });

    it('builds each courier from the tenant’s sealed credentials and creates an AWB with it', async () => {
      const shipment = { reference: 'o-1', recipient: { name: 'A B', phone: '0700000000', county: 'Iasi', city: 'Iasi', street: 'Str. 1' }, parcels: 1, weightKg: '1', cashOnDelivery: null };
      const viaFan = await (await courierFor(tenants, 'shop', 'fancourier')).createAwb(shipment);
      assert.ok(fan.awbs.has(viaFan.awbNumber));
      const viaSameday = await (await courierFor(tenants, 'shop', 'sameday')).createAwb(shipment);
      assert.ok(sameday.awbs.has(viaSameday.awbNumber));
    });

    it('refuses credentials that do not fit the courier, naming the field', async () => {
      await assert.rejects(tenants.setConnection('shop', 'fancourier', { credentials: { username: 'u', password: 'p' } as never }, 'test'), /clientId/);
    });
  });
}
