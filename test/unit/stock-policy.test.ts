import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_STOCK_POLICY, effectivePolicy, publishedQuantity, type StockPolicy } from '../../src/stock/policy.ts';

const p = (over: Partial<StockPolicy>): StockPolicy => ({ ...DEFAULT_STOCK_POLICY, ...over });

describe('stock policy', () => {
  it('publishes on hand minus reserved with no buffer', () => {
    assert.equal(publishedQuantity(10, 3, DEFAULT_STOCK_POLICY), 7);
  });

  it('subtracts an absolute buffer', () => {
    assert.equal(publishedQuantity(10, 0, p({ bufferValue: '2' })), 8);
    assert.equal(publishedQuantity(2, 0, p({ bufferValue: '2' })), 0);
    assert.equal(publishedQuantity(1, 0, p({ bufferValue: '2' })), 0, 'never negative');
  });

  it('rounds a percentage buffer up so the last unit is protected', () => {
    assert.equal(publishedQuantity(5, 0, p({ bufferKind: 'percent', bufferValue: '10' })), 4);
    assert.equal(publishedQuantity(100, 0, p({ bufferKind: 'percent', bufferValue: '10' })), 90);
    assert.equal(publishedQuantity(1, 0, p({ bufferKind: 'percent', bufferValue: '1' })), 0);
    assert.equal(publishedQuantity(10, 4, p({ bufferKind: 'percent', bufferValue: '50' })), 3, 'percent of what is available');
  });

  it('publishes 0 at or below the floor', () => {
    assert.equal(publishedQuantity(3, 0, p({ floor: 3 })), 0);
    assert.equal(publishedQuantity(4, 0, p({ floor: 3 })), 4);
    assert.equal(publishedQuantity(6, 0, p({ floor: 3, bufferValue: '3' })), 0, 'floor applies after the buffer');
  });

  it('caps the published quantity', () => {
    assert.equal(publishedQuantity(500, 0, p({ cap: 50 })), 50);
    assert.equal(publishedQuantity(20, 0, p({ cap: 50 })), 20);
    assert.equal(publishedQuantity(20, 0, p({ cap: 0 })), 0);
  });

  it('never publishes more than is available, whatever the inputs', () => {
    for (let onHand = -3; onHand <= 30; onHand++) {
      for (let reserved = 0; reserved <= 10; reserved++) {
        for (const policy of [DEFAULT_STOCK_POLICY, p({ bufferValue: '2', floor: 1 }), p({ bufferKind: 'percent', bufferValue: '33', cap: 7 })]) {
          const q = publishedQuantity(onHand, reserved, policy);
          assert.ok(q >= 0 && q <= Math.max(onHand - reserved, 0), `onHand ${onHand} reserved ${reserved} → ${q}`);
        }
      }
    }
  });

  it('lets a per-SKU override win field by field', () => {
    const tenant = p({ bufferValue: '2', floor: 1 });
    assert.deepEqual(effectivePolicy(tenant, { cap: 5 }), { ...tenant, cap: 5 });
    assert.deepEqual(effectivePolicy(tenant, null), tenant);
  });

  it('refuses nonsense', () => {
    assert.throws(() => publishedQuantity(1.5, 0, DEFAULT_STOCK_POLICY), /whole number/);
    assert.throws(() => publishedQuantity(1, -1, DEFAULT_STOCK_POLICY), /must not be negative/);
    assert.throws(() => publishedQuantity(1, 0, p({ bufferKind: 'percent', bufferValue: '120' })), /between 0 and 100/);
    assert.throws(() => publishedQuantity(1, 0, p({ bufferValue: 'two' })), /not a decimal/);
  });
});
