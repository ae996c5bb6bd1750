import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { RateLimitedError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import { openPostgres } from '../store/postgres.ts';
import { storeVariants } from '../../test/helpers/stores.ts';
import { StoreSemaphore } from './semaphore.ts';

for (const v of await storeVariants()) {
  describe(`store semaphore (${v.name})`, { skip: v.skip }, () => {
    let db: Db & { url?: string };
    before(async () => {
      db = await v.open();
    });
    after(async () => {
      await db.close();
    });

    it('never lets more than the capacity hold a slot among 20 concurrent callers', async () => {
      const sem = new StoreSemaphore(db, { pollMinMs: 2, pollMaxMs: 10 });
      let inFlight = 0;
      let maxSeen = 0;
      let done = 0;
      await Promise.all(
        Array.from({ length: 20 }, () =>
          sem.run('cap-test', 4, async () => {
            inFlight++;
            maxSeen = Math.max(maxSeen, inFlight);
            // Hold the slot until the semaphore is full (or 2 s passed), so "reaches the capacity" does not
            // depend on how fast a loaded machine polls; the first 16 holders each see the others arrive.
            const until = Date.now() + 2000;
            while (inFlight < 4 && done < 16 && Date.now() < until) await delay(5);
            await delay(5);
            inFlight--;
            done++;
          }),
        ),
      );
      assert.equal(done, 20);
      assert.equal(maxSeen, 4);
      assert.equal(await sem.held('cap-test'), 0);
    });

    it('keys are independent and tryAcquire refuses when full', async () => {
      const sem = new StoreSemaphore(db);
      const a = await sem.tryAcquire('k-a', 1);
      assert.ok(a);
      assert.equal(await sem.tryAcquire('k-a', 1), undefined);
      const b = await sem.tryAcquire('k-b', 1);
      assert.ok(b);
      await a.release();
      await a.release(); // idempotent
      const a2 = await sem.tryAcquire('k-a', 1);
      assert.ok(a2);
      await a2.release();
      await b.release();
    });

    it('reclaims the slot of a holder that stopped renewing (crash) once its lease expires', async () => {
      const sem = new StoreSemaphore(db, { leaseMs: 150 });
      // A crashed process: its row stays, nobody renews it.
      await db.query("INSERT INTO semaphore_leases (key, slot, holder, expires_at) VALUES ('crash', 0, 'dead', now() + interval '150 milliseconds')");
      assert.equal(await sem.tryAcquire('crash', 1), undefined);
      await delay(200);
      const l = await sem.tryAcquire('crash', 1);
      assert.ok(l);
      assert.equal(l.slot, 0);
      await l.release();
    });

    it('a live holder keeps its slot past the lease time by renewing it', async () => {
      const sem = new StoreSemaphore(db, { leaseMs: 90 });
      const l = await sem.acquire('renew', 1);
      await delay(250);
      assert.equal(await sem.tryAcquire('renew', 1), undefined);
      await l.release();
    });

    it('gives up with a RateLimitedError after acquireTimeoutMs', async () => {
      const sem = new StoreSemaphore(db, { acquireTimeoutMs: 60 });
      const l = await sem.acquire('timeout', 1);
      await assert.rejects(sem.acquire('timeout', 1), RateLimitedError);
      await l.release();
    });

    if (v.name === 'postgres') {
      it('holds the cap across separate connection pools (processes) on one server', async () => {
        const other = await openPostgres({ url: db.url!, poolMax: 5 });
        try {
          const sems = [new StoreSemaphore(db, { pollMinMs: 2 }), new StoreSemaphore(other, { pollMinMs: 2 })];
          let inFlight = 0;
          let maxSeen = 0;
          await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              sems[i % 2]!.run('cross', 3, async () => {
                inFlight++;
                maxSeen = Math.max(maxSeen, inFlight);
                await delay(10);
                inFlight--;
              }),
            ),
          );
          assert.equal(maxSeen, 3);
        } finally {
          await other.close();
        }
      });
    }
  });
}
