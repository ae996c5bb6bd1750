import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthError, OutcomeUnknownError, RateLimitedError, ValidationError } from '../../src/core/errors.ts';
import type { ShipmentRequest } from '../../src/core/shipping.ts';
import { FanCourierClient, fanCounty } from '../../src/connectors/couriers/fancourier.ts';
import { startFanCourierSim, type FanCourierSim } from '../../sim/couriers/fancourier.ts';

const shipment = (over: Partial<ShipmentRequest> = {}): ShipmentRequest => ({
  reference: '2004301',
  recipient: { name: 'Ana Popescu', phone: '0722123456', email: 'ana@example.ro', county: 'București', city: 'Sector 3', street: 'Str. Fizicienilor 12', postalCode: '032124' },
  parcels: 1,
  weightKg: '1.5',
  cashOnDelivery: '149.90',
  content: 'Comanda 2004301',
  ...over,
});

describe('FAN Courier client ↔ simulator over HTTP', () => {
  let sim: FanCourierSim;
  let client: FanCourierClient;
  before(async () => {
    sim = await startFanCourierSim();
    client = new FanCourierClient({ clientId: sim.clientId, username: sim.username, password: sim.password, baseUrl: sim.url });
  });
  after(async () => sim?.close());

  it('logs in, creates an AWB with cash on delivery in FAN’s wire format, and tracks it to delivered', async () => {
    const awb = await client.createAwb(shipment());
    assert.match(awb.awbNumber, /^\d{13}$/);
    assert.match(awb.cost ?? '', /^\d+\.\d{2}$/);
    const stored = sim.awbs.get(awb.awbNumber)!;
    const info = stored.request.info as Record<string, unknown>;
    const recipient = stored.request.recipient as { address: Record<string, unknown> };
    assert.equal(info.service, 'Cont Colector', 'the COD service');
    assert.equal(info.cod, 149.9);
    assert.equal(recipient.address.county, 'Bucuresti', 'full county name without diacritics');
    assert.equal(stored.reference, '2004301');

    let t = (await client.track([awb.awbNumber])).get(awb.awbNumber)!;
    assert.equal(t.state, 'created');
    assert.deepEqual(t.events, []);
    sim.advance(awb.awbNumber, 'out_for_delivery');
    t = (await client.track([awb.awbNumber])).get(awb.awbNumber)!;
    assert.equal(t.state, 'out_for_delivery');
    assert.deepEqual(t.events.map((e) => e.code), ['C0', 'H3', 'H10', 'C1', 'S1']);
    assert.match(t.events[0]!.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00$/, 'local FAN time read as Bucharest time');
    sim.advance(awb.awbNumber, 'delivered');
    t = (await client.track([awb.awbNumber])).get(awb.awbNumber)!;
    assert.equal(t.state, 'delivered');
    assert.equal(t.events.at(-1)!.label, 'Livrat');
  });

  it('a refused parcel and its return are their own states', async () => {
    const a = await client.createAwb(shipment({ cashOnDelivery: null }));
    assert.equal((sim.awbs.get(a.awbNumber)!.request.info as Record<string, unknown>).service, 'Standard');
    sim.advance(a.awbNumber, 'refused');
    assert.equal((await client.track([a.awbNumber])).get(a.awbNumber)!.state, 'refused');
    sim.advance(a.awbNumber, 'returned');
    assert.equal((await client.track([a.awbNumber])).get(a.awbNumber)!.state, 'returned');
  });

  it('logs in again when the token expired, once, transparently', async () => {
    const a = await client.createAwb(shipment());
    sim.expireTokens();
    const logins = () => sim.log.filter((l) => l.path === '/login').length;
    const before = logins();
    assert.ok((await client.track([a.awbNumber])).has(a.awbNumber));
    assert.equal(logins(), before + 1);
  });

  it('classifies failures: wrong credentials, a refused address, 429, and a 504 after the AWB was made', async () => {
    const wrong = new FanCourierClient({ clientId: sim.clientId, username: sim.username, password: 'nope', baseUrl: sim.url });
    await assert.rejects(wrong.createAwb(shipment()), AuthError);
    await assert.rejects(client.createAwb(shipment({ recipient: { ...shipment().recipient, county: 'XX' } })), (e: unknown) => e instanceof ValidationError && /judet-localitate/.test(e.message));
    sim.faults = [{ route: '/reports/awb/tracking', kind: 'http429' }];
    await assert.rejects(client.track(['2332300120000']), RateLimitedError);
    const before = sim.awbs.size;
    sim.faults = [{ route: '/intern-awb', kind: 'timeout-after-commit' }];
    await assert.rejects(client.createAwb(shipment({ reference: 'lost-answer' })), OutcomeUnknownError);
    assert.equal(sim.awbs.size, before + 1, 'the AWB exists although the answer was lost');
    assert.ok([...sim.awbs.values()].some((a) => a.reference === 'lost-answer'), 'and can be found by its reference');
  });

  it('writes counties the way FAN wants them', () => {
    assert.equal(fanCounty('București'), 'Bucuresti');
    assert.equal(fanCounty('Sector 2'), 'Bucuresti');
    assert.equal(fanCounty('Județul Iași'), 'Iasi');
    assert.equal(fanCounty('Cluj'), 'Cluj');
    assert.equal(fanCounty('Argeș'), 'Arges');
  });
});
