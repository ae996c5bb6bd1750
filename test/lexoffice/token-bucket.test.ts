import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryTokenBucket, StoreTokenBucket } from '../../src/limits/token-bucket.ts';
import type { Db } from '../../src/store/db.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { storeVariants } from '../helpers/stores.ts';

describe('MemoryTokenBucket', () => {
  it('gives the burst at once, then one token per 1/rate seconds, as reservations', () => {
    let now = 0;
    const b = new MemoryTokenBucket({ ratePerSecond: 2, burst: 2 }, () => now);
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve(), b.reserve()], [0, 0, 500, 1000]);
    now = 1000; // the two reservations are used up by now; the bucket is empty
    assert.equal(b.reserve(), 500);
    now = 10_000; // idle: refilled, but never beyond the burst
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 500]);
  });

  it('a penalty (after a 429) pushes every later reservation back by its tokens', async () => {
    const now = 0;
    const b = new MemoryTokenBucket({ ratePerSecond: 2, burst: 1 }, () => now);
    assert.equal(b.reserve(), 0);
    await b.penalize(2);
    assert.equal(b.reserve(), 1500, 'one slot of its own plus the two taken by the penalty');
  });
});

for (const variant of await storeVariants()) {
  describe(`StoreTokenBucket on ${variant.name}`, { skip: variant.skip }, () => {
    let db: Db & { url?: string };
    before(async () => {
      db = await variant.open();
    });
    after(async () => db?.close());

    it('reserves the burst at once, then spaces calls by 1/rate', async () => {
      const b = new StoreTokenBucket(db, 'test:spacing', { ratePerSecond: 4, burst: 2 });
      const slots = [];
      for (let i = 0; i < 6; i++) slots.push(await b.reserveSlot());
      assert.equal(slots[0]!.waitMs, 0);
      // The textbook bucket replayed on the database timestamps gives the same waits (±2 ms: ms rounding),
      // however long the queries took in between on a loaded machine.
      let tokens = 2;
      let last = slots[0]!.at.getTime();
      const expected = slots.map((s) => {
        tokens = Math.min(2, tokens + ((s.at.getTime() - last) / 1000) * 4) - 1;
        last = s.at.getTime();
        return tokens >= 0 ? 0 : (-tokens / 4) * 1000;
      });
      slots.forEach((s, i) => assert.ok(Math.abs(s.waitMs - expected[i]!) <= 2, `reservation ${i} waits ${s.waitMs} ms, model ${expected[i]!.toFixed(1)}`));
      assert.ok(slots.some((s) => s.waitMs > 0), 'the bucket ran dry and made callers wait');
    });

    it('a penalty is shared: another client of the same key waits for it', async () => {
      const a = new StoreTokenBucket(db, 'test:penalty', { ratePerSecond: 2, burst: 1 });
      const b = new StoreTokenBucket(db, 'test:penalty', { ratePerSecond: 2, burst: 1 });
      await a.reserve();
      await a.penalize(2);
      const wait = await b.reserve();
      assert.ok(wait > 1000 && wait <= 1500, `waited ${wait} ms`);
    });

    it('background callers (catalog pages) yield: calls of the same key go first, the pace stays 1/rate', async () => {
      const rate = 2; // 500 ms slots: wide enough for a loaded machine's timer jitter
      const conns: Db[] = variant.name === 'postgres' && db.url ? await Promise.all([1, 2].map(() => openPostgres({ url: db.url as string, poolMax: 2 }))) : [db, db];
      try {
        const catalog = new StoreTokenBucket(conns[0]!, 'test:priority', { ratePerSecond: rate, burst: 1 });
        const orders = new StoreTokenBucket(conns[1]!, 'test:priority', { ratePerSecond: rate, burst: 1 });
        const grants: Array<{ who: string; at: number }> = [];
        let ordersStart = 0;
        const pull = (async () => {
          for (let i = 0; i < 8; i++) {
            await catalog.acquire(undefined, 'background');
            grants.push({ who: 'catalog', at: performance.now() });
          }
        })();
        const imports = (async () => {
          await new Promise((r) => setTimeout(r, 1200)); // the pull is under way
          ordersStart = performance.now();
          // Two imports at once, three calls each (the order import's concurrency).
          await Promise.all(
            [0, 1].map(async () => {
              for (let i = 0; i < 3; i++) {
                await orders.acquire();
                grants.push({ who: 'orders', at: performance.now() });
              }
            }),
          );
        })();
        await Promise.all([pull, imports]);
        const orderGrants = grants.filter((g) => g.who === 'orders');
        const ordersTook = (orderGrants.at(-1)!.at - ordersStart) / 1000;
        // Six order calls take six slots (≈ 1.5 s) — not twelve, as they would alternating with the pull.
        assert.ok(ordersTook < 6 * (1 / rate) + 1, `order calls took ${ordersTook.toFixed(2)} s (${grants.map((g) => g.who[0]).join('')})`);
        const during = grants.filter((g) => g.who === 'catalog' && g.at > orderGrants[0]!.at && g.at < orderGrants.at(-1)!.at).length;
        assert.ok(during <= 1, `${during} catalog pages went out while order calls were queued (${grants.map((g) => g.who[0]).join('')})`);
        // Overall the key still sends one call per slot (± timer jitter): 14 calls, about 13 intervals.
        const all = grants.map((g) => g.at).sort((a, b) => a - b);
        const span = (all.at(-1)! - all[0]!) / 1000;
        assert.ok(span >= 13 / rate - 0.3, `14 calls spanned ${span.toFixed(2)} s`);
      } finally {
        if (variant.name === 'postgres') await Promise.all(conns.map((c) => c.close()));
      }
    });

    it('keeps separate buckets per key', async () => {
      const a = new StoreTokenBucket(db, 'test:a', { ratePerSecond: 0.2, burst: 1 });
      const b = new StoreTokenBucket(db, 'test:b', { ratePerSecond: 0.2, burst: 1 });
      assert.equal(await a.reserve(), 0);
      assert.equal(await b.reserve(), 0, 'b has its own bucket');
      assert.ok((await a.reserve()) > 3000, 'a is empty: the next token is ~5 s away');
    });

    it('concurrent acquirers (separate connections for PostgreSQL) never exceed rate × t + burst', async () => {
      const conns: Db[] = variant.name === 'postgres' && db.url ? await Promise.all([1, 2, 3].map(() => openPostgres({ url: db.url as string, poolMax: 2 }))) : [db, db, db];
      try {
        const rate = 5;
        const burst = 2;
        const buckets = conns.map((c) => new StoreTokenBucket(c, 'test:shared', { ratePerSecond: rate, burst }));
        const stamps: number[] = [];
        await Promise.all(
          buckets.map(async (b) => {
            for (let i = 0; i < 8; i++) {
              const s = await b.reserveSlot();
              stamps.push(s.at.getTime() + s.waitMs);
              await new Promise((r) => setTimeout(r, s.waitMs));
            }
          }),
        );
        stamps.sort((x, y) => x - y);
        assert.equal(stamps.length, 24);
        // Slots in database time (the clock all processes share): in any window of w seconds at most
        // burst + rate·w of them (+1 ms per slot for the rounding up of waits).
        for (let i = 0; i < stamps.length; i++) {
          for (let j = i; j < stamps.length; j++) {
            const w = (stamps[j]! - stamps[i]! + (j - i) * 1) / 1000;
            assert.ok(j - i + 1 <= burst + rate * w + 1e-9, `${j - i + 1} slots within ${w.toFixed(3)} s`);
          }
        }
        // and the budget was used, not wasted: 24 slots span about (24 − burst)/rate seconds
        const span = (stamps.at(-1)! - stamps[0]!) / 1000;
        assert.ok(span >= (24 - burst) / rate - 0.05 && span < 2 * ((24 - burst) / rate) + 3, `spanned ${span} s`);
      } finally {
        if (variant.name === 'postgres') await Promise.all(conns.map((c) => c.close()));
      }
    });
  });
}
