import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inLanes } from '../../src/catalog/push-batch.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inLanes (Cel.ro batches side by side)', () => {
  it('runs every item, never more than `lanes` at once, and uses all lanes', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await inLanes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick(5 + (n % 3));
      done.push(n);
      running--;
    });
    assert.deepEqual([...done].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(peak, 4);
  });

  it('after a failure starts nothing new, lets the running ones finish, and rethrows the first failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const e = await inLanes([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('auth refused');
      await tick(10);
      finished.push(n);
    }).catch((x: unknown) => x);
    assert.equal((e as Error).message, 'auth refused');
    assert.deepEqual(started, [1, 2], 'nothing started after the failure');
    assert.deepEqual(finished, [1], 'the running item finished');
  });

  it('one lane is sequential; no items is a no-op', async () => {
    const order: number[] = [];
    await inLanes([3, 1, 2], 1, async (n) => {
      await tick(n);
      order.push(n);
    });
    assert.deepEqual(order, [3, 1, 2]);
    await inLanes([], 3, async () => assert.fail('not called'));
  });
});
