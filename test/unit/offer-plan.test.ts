import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOffer, type OfferState } from '../../src/catalog/plan.ts';

const settings = { guardPercent: '10', priceJump: 'hold' as const };
const listed = (pushed: Record<string, unknown>, extra: Partial<OfferState> = {}): OfferState => ({ pushed, pushedHash: 'old', listed: true, active: true, overrideNext: false, ...extra });
const want = (fields: Record<string, unknown>, extra: { archived?: boolean; hash?: string } = {}) => ({ fields, hash: extra.hash ?? 'new', archived: extra.archived ?? false });

describe('offer plan', () => {
  it('creates what was never listed, does nothing when nothing changed', () => {
    assert.deepEqual(planOffer(undefined, want({ pretf: '10.00' }), settings), { kind: 'create' });
    assert.deepEqual(planOffer(listed({ pretf: '10.00' }), want({ pretf: '10.00' }, { hash: 'old' }), settings), { kind: 'none' });
  });

  it('updates the changed fields only', () => {
    assert.deepEqual(planOffer(listed({ pretf: '10.00', products_name: 'A' }), want({ pretf: '10.50', products_name: 'A' }), settings), { kind: 'update', changed: ['pretf'], overridePrice: false });
    assert.deepEqual(planOffer(listed({ pretf: '10.00', products_name: 'A' }), want({ pretf: '10.00', products_name: 'B' }), settings), { kind: 'update', changed: ['products_name'], overridePrice: false });
  });

  it('holds a price jump over the guard unless overriding; exactly 10 % passes', () => {
    assert.deepEqual(planOffer(listed({ pretf: '100.00' }), want({ pretf: '110.00' }), settings), { kind: 'update', changed: ['pretf'], overridePrice: false });
    const held = planOffer(listed({ pretf: '100.00' }), want({ pretf: '110.01' }), settings);
    assert.equal(held.kind, 'hold');
    assert.match((held as { reason: string }).reason, /\+10\.0 %/);
    assert.equal(planOffer(listed({ pretf: '100.00' }), want({ pretf: '80.00' }), settings).kind, 'hold', 'drops count too');
    assert.deepEqual(planOffer(listed({ pretf: '100.00' }), want({ pretf: '150.00' }), { ...settings, priceJump: 'override' }), { kind: 'update', changed: ['pretf'], overridePrice: true });
    assert.deepEqual(planOffer(listed({ pretf: '100.00' }, { overrideNext: true }), want({ pretf: '150.00' }), settings), { kind: 'update', changed: ['pretf'], overridePrice: true });
  });

  it('deactivates archived offers once, and reactivates them when they come back', () => {
    assert.deepEqual(planOffer(listed({ pretf: '1.00' }), want({ pretf: '1.00' }, { archived: true }), settings), { kind: 'deactivate' });
    assert.deepEqual(planOffer(listed({ pretf: '1.00' }, { active: false }), want({ pretf: '1.00' }, { archived: true }), settings), { kind: 'none' });
    assert.deepEqual(planOffer(undefined, want({ pretf: '1.00' }, { archived: true }), settings), { kind: 'none' }, 'never list an archived article');
    assert.deepEqual(planOffer(listed({ pretf: '1.00' }, { active: false }), want({ pretf: '1.00' }, { hash: 'old' }), settings), { kind: 'update', changed: ['status'], overridePrice: false });
  });
});
