import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fanCourierState, samedayState } from '../../src/connectors/couriers/status-codes.ts';
import { bucharestToIso } from '../../src/connectors/couriers/time.ts';
import { currentState } from '../../src/core/shipping.ts';

describe('courier status codes → canonical tracking state', () => {
  it('FAN Courier: the confirmed codes, H* as transit, and the wording for the rest', () => {
    assert.equal(fanCourierState('C0', 'Expeditie ridicata'), 'picked_up');
    assert.equal(fanCourierState('H10', 'tranzit'), 'in_transit');
    assert.equal(fanCourierState('S1', 'Expeditie in livrare'), 'out_for_delivery');
    assert.equal(fanCourierState('S2', 'Livrat'), 'delivered');
    assert.equal(fanCourierState('S6', 'Refuz primire'), 'refused');
    assert.equal(fanCourierState('S16', 'Retur la termen'), 'returned');
    assert.equal(fanCourierState('S4', 'Adresa incompleta'), 'address_problem');
    assert.equal(fanCourierState('X99', 'Colet livrat la vecin'), 'delivered', 'an unknown code read by its wording');
    assert.equal(fanCourierState('X98', 'Ceva nou'), 'in_transit');
  });

  it('Sameday: 1, 33 and 9 as documented, the wording (with diacritics) otherwise', () => {
    assert.equal(samedayState(1, 'AWB Emis'), 'created');
    assert.equal(samedayState('33', 'In livrare la curier'), 'out_for_delivery');
    assert.equal(samedayState(9, 'Livrată cu succes'), 'delivered');
    assert.equal(samedayState(17, 'Refuz la livrare'), 'refused');
    assert.equal(samedayState(25, 'Retur la expeditor'), 'returned');
    assert.equal(samedayState(77, 'În livrare'), 'out_for_delivery');
  });

  it('the current state is the newest known one', () => {
    assert.equal(currentState([]), 'created');
    assert.equal(currentState([{ state: 'picked_up' }, { state: 'delivered' }, { state: 'unknown' }]), 'delivered');
  });

  it('reads couriers’ local times as Bucharest time, summer and winter', () => {
    assert.equal(bucharestToIso('2023-11-28 18:58:00'), '2023-11-28T18:58:00+02:00');
    assert.equal(bucharestToIso('2024-07-01 09:00:00'), '2024-07-01T09:00:00+03:00');
    assert.equal(bucharestToIso('2024-07-01T09:00:00+03:00'), '2024-07-01T09:00:00+03:00', 'already with an offset');
  });
});
