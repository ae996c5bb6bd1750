import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthError, OutcomeUnknownError, UpstreamError, ValidationError } from '../../src/core/errors.ts';
import type { ShipmentRequest } from '../../src/core/shipping.ts';
import { SamedayClient } from '../../src/connectors/couriers/sameday.ts';
import { startSamedaySim, type SamedaySim } from '../../sim/couriers/sameday.ts';

const shipment = (over: Partial<ShipmentRequest> = {}): ShipmentRequest => ({
  reference: '2004302',
  recipient: { name: 'Ion Ionescu', phone: '0744111222', county: 'Cluj', city: 'Cluj-Napoca', street: 'Str. Memorandumului 28', company: { name: 'Exemplu SRL', cui: 'RO12345678' } },
  parcels: 2,
  weightKg: '3.0',
  cashOnDelivery: '0',
  ...over,
});

describe('Sameday client ↔ simulator over HTTP', () => {
  let sim: SamedaySim;
  let client: SamedayClient;
  before(async () => {
    sim = await startSamedaySim();
    client = new SamedayClient({ username: sim.username, password: sim.password, baseUrl: sim.url, settings: { pickupPoint: sim.pickupPoint, service: 7 } });
  });
  after(async () => sim?.close());

  it('authenticates with the X-Auth headers, creates an AWB from nested form fields, and tracks it', async () => {
    const awb = await client.createAwb(shipment());
    assert.match(awb.awbNumber, /^1SDY\d+$/);
    const req = sim.awbs.get(awb.awbNumber)!.request as Record<string, unknown>;
    const recipient = req.awbRecipient as Record<string, unknown>;
    assert.equal(recipient.personType, '1', 'a company');
    assert.equal(recipient.companyCui, 'RO12345678');
    assert.equal(recipient.countyString, 'Cluj');
    assert.equal(req.packageNumber, '2');
    assert.deepEqual(req.parcels, { 0: { weight: '1.5' }, 1: { weight: '1.5' } }, 'the weight split over the parcels');
    assert.equal(req.clientInternalReference, '2004302');

    let t = (await client.track([awb.awbNumber])).get(awb.awbNumber)!;
    assert.equal(t.state, 'created');
    assert.deepEqual(t.events.map((e) => e.code), ['1']);
    sim.advance(awb.awbNumber, 'delivered');
    t = (await client.track([awb.awbNumber])).get(awb.awbNumber)!;
    assert.deepEqual(t.events.map((e) => e.code), ['1', '4', '7', '33', '9'], 'oldest first, whatever order Sameday lists them in');
    assert.equal(t.state, 'delivered');
    assert.match(t.events.at(-1)!.at, /[+-]\d{2}:\d{2}$/);
  });

  it('an unknown AWB is left out; a refusal is its own state', async () => {
    assert.equal((await client.track(['1SDY000000000'])).size, 0);
    const a = await client.createAwb(shipment({ cashOnDelivery: '99.50' }));
    sim.advance(a.awbNumber, 'refused');
    assert.equal((await client.track([a.awbNumber])).get(a.awbNumber)!.state, 'refused');
  });

  it('re-authenticates once after the token expired', async () => {
    const a = await client.createAwb(shipment());
    sim.expireTokens();
    assert.ok((await client.track([a.awbNumber])).has(a.awbNumber));
  });

  it('classifies failures: bad credentials, validation (wrong pickup point), 500 on a read, 504 after commit on create', async () => {
    const wrong = new SamedayClient({ username: sim.username, password: 'x', baseUrl: sim.url, settings: { pickupPoint: sim.pickupPoint } });
    await assert.rejects(wrong.createAwb(shipment()), AuthError);
    const badPoint = new SamedayClient({ username: sim.username, password: sim.password, baseUrl: sim.url, settings: { pickupPoint: 1 } });
    await assert.rejects(badPoint.createAwb(shipment()), (e: unknown) => e instanceof ValidationError && /Validation Failed/.test(e.message) && /pickupPoint/.test(e.message));
    const a = await client.createAwb(shipment());
    sim.faults = [{ route: '/api/client/awb', kind: 'http500' }];
    await assert.rejects(client.track([a.awbNumber]), UpstreamError);
    const before = sim.awbs.size;
    sim.faults = [{ route: '/api/awb', kind: 'timeout-after-commit' }];
    await assert.rejects(client.createAwb(shipment({ reference: 'lost' })), OutcomeUnknownError);
    assert.equal(sim.awbs.size, before + 1);
  });

  it('refuses settings without a pickup point, naming it', () => {
    assert.throws(() => new SamedayClient({ username: 'u', password: 'p', settings: {} }), /pickupPoint/);
  });
});
