import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { AuthError, OutcomeUnknownError, RateLimitedError, UpstreamError } from '../../src/core/errors.ts';
import { CelroClient } from '../../src/connectors/celro/client.ts';
import { CelroApiError, CelroResponseError } from '../../src/connectors/celro/errors.ts';
import type { Db } from '../../src/store/db.ts';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { storeVariants, testPglite } from '../helpers/stores.ts';

/** Contract: the client against the simulator over real HTTP — auth, token signals, caps, faults, malformed answers. */
describe('Cel.ro transport contract (client ↔ simulator)', () => {
  let sim: CelroSim;
  let db: Db;
  const client = (o: Partial<ConstructorParameters<typeof CelroClient>[0]> = {}): CelroClient =>
    new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db, ...o });

  before(async () => {
    sim = await startCelroSim({ port: 0, seed: 'sample' });
    db = await testPglite();
  });
  after(async () => {
    await sim.close();
    await db.close();
  });
  afterEach(() => {
    sim.setFaults([]);
    sim.config.latencyMs = 0;
    sim.config.tokenSignal = 'http400';
  });

  it('logs in once; the token lives in the store and a second client (another worker) reuses it', async () => {
    await db.query('DELETE FROM celro_tokens');
    sim.resetStats();
    const a = client();
    assert.equal((await a.getOrderStatusList()).length > 0, true);
    await a.getCouriers();
    const b = client();
    await b.getCouriers();
    assert.equal(sim.stats.logins, 1);
    const row = await db.one<{ n: number }>('SELECT count(*) AS n FROM celro_tokens');
    assert.equal(row.n, 1);
    const seen = sim.log.filter((l) => l.path.endsWith('/getCouriers/')).map((l) => l.account);
    assert.deepEqual(seen, ['demo', 'demo']);
  });

  it('a broken-connection fault honours its rate, and faulted calls are marked in the log', async () => {
    // Bug found by the soak: a `reset` rule with rate 0.01 reset every call.
    sim.setFaults([{ kind: 'reset', times: 0, rate: 0 }]);
    await client().getCouriers();
    sim.setFaults([{ kind: 'reset', times: 1, rate: 1 }]);
    await assert.rejects(() => client().getCouriers(), "a reset read is not retried by the transport (the caller decides)");
    assert.equal(sim.log.at(-1)!.fault, 'reset');
    sim.setFaults([{ kind: 'http500', times: 1 }]);
    await client().getCouriers().catch(() => undefined);
    assert.ok(sim.log.some((l) => l.fault === 'http500'), 'the 500 is marked as a fault in the log');
  });

  it('hands raw responses to onResponse, with the login token masked', async () => {
    await db.query('DELETE FROM celro_tokens');
    const seen: { route: string; body: string }[] = [];
    await client({ onResponse: (r) => seen.push(r) }).getCouriers();
    assert.deepEqual(seen.map((r) => r.route), ['login/actionLogin', 'admininfo/getCouriers']);
    assert.equal(seen[0]!.body, '{"error":0,"tokenStatus":1,"message":"***"}');
    assert.match(seen[1]!.body, /Fan Courier/);
  });

  it('reports a call that got no answer to onResponse with status null (counted as a network error)', async () => {
    await client().getCouriers(); // logged in: the next call is the faulted one
    sim.setFaults([{ kind: 'reset', times: 1, rate: 1 }]);
    const seen: { route: string; status: number | null }[] = [];
    await assert.rejects(() => client({ onResponse: (r) => seen.push(r) }).getCouriers());
    assert.deepEqual(seen.map((r) => [r.route, r.status]), [['admininfo/getCouriers', null]]);
  });

  it('seals the cached token when a sealer is given', async () => {
    await db.query('DELETE FROM celro_tokens');
    const sealer = { seal: (s: string) => `sealed:${Buffer.from(s).toString('base64')}`, open: (s: string) => Buffer.from(s.slice(7), 'base64').toString() };
    await client({ tokenSealer: sealer }).getCouriers();
    const row = await db.one<{ token_enc: string }>('SELECT token_enc FROM celro_tokens');
    assert.match(row.token_enc, /^sealed:/);
    await client({ tokenSealer: sealer }).getCouriers();
  });

  for (const signal of ['http400', 'tokenStatus0', 'error302'] as const) {
    it(`re-logs in and retries once when the token expired (signal ${signal})`, async () => {
      sim.config.tokenSignal = signal;
      const c = client();
      await c.getCouriers();
      sim.resetStats();
      sim.expireTokens();
      const couriers = await c.getCouriers();
      assert.ok(couriers.some((x) => x.name === 'Fan Courier'));
      assert.equal(sim.stats.logins, 1);
      assert.equal(sim.stats.requests, 3); // refused call, login, retried call
    });
  }

  it('tokens expire after the configured lifetime and the client logs in again by itself', async () => {
    const short = await startCelroSim({ port: 0, tokenTtlMs: 600 });
    try {
      const c = new CelroClient({ baseUrl: short.url, username: 'demo', password: 'demo', db });
      await c.getCouriers();
      await c.getCouriers();
      assert.equal(short.stats.logins, 1);
      await new Promise((r) => setTimeout(r, 700));
      await c.getCouriers();
      assert.equal(short.stats.logins, 2);
      assert.deepEqual(short.log.map((l) => l.status), [200, 200, 200, 400, 200, 200]);
    } finally {
      await short.close();
    }
  });

  it('re-logs in once for 20 concurrent callers hitting an expired token', async () => {
    const c = client({ maxInFlight: 4 });
    await c.getCouriers();
    sim.expireTokens();
    sim.resetStats();
    await Promise.all(Array.from({ length: 20 }, () => c.getCouriers()));
    assert.equal(sim.stats.logins, 1);
  });

  it('bad credentials are a clear AuthError and are not retried', async () => {
    await db.query('DELETE FROM celro_tokens');
    sim.resetStats();
    const c = client({ username: 'demo', password: 'wrong' });
    await assert.rejects(c.getCouriers(), (e: unknown) => e instanceof AuthError && /Date de autentificare incorecte/.test(e.message) && !e.retryable && !e.message.includes('wrong'));
    assert.equal(sim.stats.logins, 1);
  });

  it('never has more than the cap (4) in flight with 20 concurrent callers on two workers', async () => {
    sim.config.latencyMs = 60;
    sim.resetStats();
    const w1 = client({ maxInFlight: 4 });
    const w2 = client({ maxInFlight: 4 });
    await w1.getCouriers();
    sim.resetStats();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? w1 : w2).getOrderStatusList()));
    assert.equal(results.length, 20);
    assert.equal(sim.stats.maxInFlight, 4);
    assert.equal(sim.stats.refused, 0);
  });

  it('the simulator refuses the 11th simultaneous connection of an account with HTTP 429', async () => {
    const token = (await (await fetch(`${sim.url}login/actionLogin/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=demo&password=demo' })).json() as { message: string }).message;
    sim.config.latencyMs = 400;
    sim.resetStats();
    const res = await Promise.all(
      Array.from({ length: 11 }, () => fetch(`${sim.url}admininfo/getCouriers/`, { method: 'POST', headers: { AUTH: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'dummy=1' })),
    );
    assert.deepEqual(res.map((r) => r.status).sort(), [...Array(10).fill(200), 429]);
    assert.equal(sim.stats.maxInFlight, 10);
  });

  it('a refused connection reaches the client as RateLimitedError', async () => {
    sim.config.latencyMs = 300;
    sim.config.maxConnections = 3;
    try {
      const c = client({ maxInFlight: 8 });
      await c.getCouriers();
      sim.resetStats();
      const out = await Promise.allSettled(Array.from({ length: 8 }, () => c.getOrderStatusList()));
      const limited = out.filter((r) => r.status === 'rejected' && r.reason instanceof RateLimitedError).length;
      assert.equal(sim.stats.maxInFlight, 3);
      assert.ok(limited >= 1);
      assert.equal(limited, sim.stats.refused);
      assert.equal(out.filter((r) => r.status === 'fulfilled').length + limited, 8);
    } finally {
      sim.config.maxConnections = 10;
    }
  });

  it('a non-JSON body is a CelroResponseError keeping the raw text', async () => {
    sim.setFaults([{ kind: 'non-json', match: 'orders/getOrderStatusList' }]);
    await assert.rejects(client().getOrderStatusList(), (e: unknown) => e instanceof CelroResponseError && e.retryable && String(e.details?.raw).includes('Too many connections'));
  });

  it('JSON without the envelope fields is a CelroResponseError', async () => {
    sim.setFaults([{ kind: 'missing-fields', match: 'admininfo/getCouriers' }]);
    await assert.rejects(client().getCouriers(), (e: unknown) => e instanceof CelroResponseError && /envelope/.test(e.message));
  });

  it('an error envelope is a CelroApiError with the Romanian message verbatim', async () => {
    sim.setFaults([{ kind: 'error', match: 'orders/getOrder', error: 7, message: 'Eroare: comanda este blocată' }]);
    await assert.rejects(client().getOrder(2004301), (e: unknown) => e instanceof CelroApiError && e.celroError === 7 && e.celroMessage === 'Eroare: comanda este blocată' && !e.retryable);
  });

  it('HTTP 5xx: retryable UpstreamError on reads, OutcomeUnknownError on writes that may have happened', async () => {
    sim.setFaults([{ kind: 'http503', match: 'admininfo/getCouriers' }, { kind: 'http500', match: 'orders/confirmOrder' }]);
    await assert.rejects(client().getCouriers(), (e: unknown) => e instanceof UpstreamError && e.status === 503 && e.retryable);
    await assert.rejects(client().confirmOrder(2004301), OutcomeUnknownError);
  });

  it('slow responses past the timeout: UpstreamError on reads, OutcomeUnknownError on writes', async () => {
    await client().getCouriers(); // token cached before the faults
    sim.setFaults([{ kind: 'slow', delayMs: 400, match: 'admininfo/getCouriers' }, { kind: 'slow', delayMs: 400, match: 'products/updateStatus' }]);
    const c = client({ timeoutMs: 100 });
    await assert.rejects(c.getCouriers(), (e: unknown) => e instanceof UpstreamError && e.retryable && /no answer within 100 ms/.test(e.message));
    await assert.rejects(c.updateStatus('SAMPLE-001', true), OutcomeUnknownError);
  });

  it('a dropped connection on a write is OutcomeUnknownError', async () => {
    sim.setFaults([{ kind: 'reset', match: 'orders/confirmOrder' }]);
    await assert.rejects(client().confirmOrder(2004301), OutcomeUnknownError);
  });

  it('the simulator accepts only POST and the envelope for unknown actions', async () => {
    const get = await fetch(`${sim.url}orders/getOrders/`);
    assert.equal(get.status, 405);
    await assert.rejects(client().call('orders/noSuchThing', { kind: 'form', fields: [] }, 'read'), (e: unknown) => e instanceof CelroApiError && /nu exista/.test(String(e.celroMessage)));
  });
});

for (const v of await storeVariants()) {
  describe(`Cel.ro connection cap on ${v.name}`, { skip: v.skip }, () => {
    it('20 concurrent callers from two store handles never exceed the cap of 3 at the simulator', async () => {
      const sim = await startCelroSim({ port: 0, latencyMs: 50 });
      const db1 = await v.open();
      const { openPostgres } = await import('../../src/store/postgres.ts');
      const db2 = v.name === 'postgres' && db1.url ? await openPostgres({ url: db1.url, poolMax: 4 }) : db1;
      try {
        const mk = (db: Db): CelroClient => new CelroClient({ baseUrl: sim.url, username: 'demo', password: 'demo', db, maxInFlight: 3 });
        const [a, b] = [mk(db1), mk(db2)];
        await a.getCouriers();
        sim.resetStats();
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).getCouriers()));
        assert.equal(sim.stats.maxInFlight, 3);
        assert.equal(sim.stats.requests, 20);
      } finally {
        if (db2 !== db1) await db2.close();
        await db1.close();
        await sim.close();
      }
    });
  });
}
