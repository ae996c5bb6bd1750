import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { startCelroSim, type CelroSim } from '../../sim/celro/server.ts';
import { SimState } from '../../sim/celro/state.ts';

/** The simulator's admin routes (/_sim/) and CLI, over real HTTP. */
describe('Cel.ro simulator admin routes', () => {
  let sim: CelroSim;
  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const r = await fetch(`${sim.origin}/_sim${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    return { status: r.status, json: await r.json() };
  };
  const api = async (route: string, body: string, token = ''): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${sim.url}${route}/`, { method: 'POST', headers: { AUTH: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };

  before(async () => {
    sim = await startCelroSim({ port: 0, username: 'shop', password: 's3cret' });
  });
  after(async () => {
    await sim.close();
  });

  it('seeds sample data, lists it, places an order and reads it back', async () => {
    assert.deepEqual((await admin('POST', '/seed', { seed: 'sample' })).json, { ok: true, products: 60, orders: 5 });
    const products = (await admin('GET', '/products')).json as { products_model: string; stoc: number; approval: string }[];
    assert.equal(products.length, 60);
    const before = products.find((p) => p.products_model === 'SAMPLE-010')!.stoc;
    const placed = await admin('POST', '/orders', { lines: [{ model: 'SAMPLE-010', quantity: 3 }], payment: 'card' });
    assert.equal(placed.status, 201);
    const order = (placed.json as { order: { id_comanda: number; mod_plata: string; products: { products_model: string }[] } }).order;
    assert.equal(order.mod_plata, 'Card online');
    assert.deepEqual(order.products.map((l) => l.products_model), ['SAMPLE-010', 'taxa_transport']);
    const after = ((await admin('GET', '/products')).json as { products_model: string; stoc: number }[]).find((p) => p.products_model === 'SAMPLE-010')!.stoc;
    assert.equal(after, before - 3);
    assert.equal(((await admin('GET', `/orders/${order.id_comanda}`)).json as { id_comanda: number }).id_comanda, order.id_comanda);
    assert.equal((await admin('POST', '/orders', { lines: [{ model: 'SAMPLE-010', quantity: 999 }] })).status, 400);
    assert.equal((await admin('GET', '/orders')).json instanceof Array, true);
  });

  it('uses its own account, logs requests without the password, and counts stats', async () => {
    const bad = await api('login/actionLogin', 'username=demo&password=demo');
    assert.deepEqual(bad.json, { error: 403, tokenStatus: 0, message: 'Date de autentificare incorecte' });
    const ok = await api('login/actionLogin', 'username=shop&password=s3cret&test=1&api_version=2.2.0');
    assert.equal(ok.json.error, 0);
    const token = ok.json.message as string;
    const r = await api('orders/getOrders', `start=0&limit=50&filters=${encodeURIComponent('{"group_by_status":true}')}`, token);
    const grouped = r.json.message as Record<string, { list: unknown[] }>;
    assert.ok(Object.keys(grouped).length >= 2); // grouped by status id
    const log = (await admin('GET', '/log')).json as { path: string; fields: Record<string, unknown>; account: string | null }[];
    const login = log.find((l) => l.path.endsWith('/actionLogin/') && l.account === 'shop');
    assert.equal(login?.fields.password, '***');
    assert.ok(!JSON.stringify(log).includes('s3cret'));
    const stats = (await admin('GET', '/stats')).json as { requests: number; logins: number };
    assert.ok(stats.requests >= 3 && stats.logins >= 2);
  });

  it('sets faults and expires tokens through admin routes', async () => {
    const token = (await api('login/actionLogin', 'username=shop&password=s3cret')).json.message as string;
    await admin('POST', '/faults', { kind: 'http500', match: 'admininfo/getCouriers', times: 1 });
    assert.equal(((await admin('GET', '/faults')).json as unknown[]).length, 1);
    const f = await fetch(`${sim.url}admininfo/getCouriers/`, { method: 'POST', headers: { AUTH: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'dummy=1' });
    assert.equal(f.status, 500);
    assert.equal((await api('admininfo/getCouriers', 'dummy=1', token)).status, 200);
    await admin('POST', '/tokens/expire');
    const expired = await api('admininfo/getCouriers', 'dummy=1', token);
    assert.equal(expired.status, 400);
    assert.equal(expired.json.tokenStatus, 0);
    await admin('DELETE', '/faults');
    const cfg = (await admin('PATCH', '/config', { latencyMs: 5, password: 'changed' })).json as { latencyMs: number; password: string };
    assert.equal(cfg.latencyMs, 5);
    assert.equal(cfg.password, '***');
    assert.equal((await api('login/actionLogin', 'username=shop&password=s3cret')).json.error, 0); // credentials are not changeable live
    assert.equal((await admin('PATCH', '/config', { minOrderSort: 'sideways' })).status, 400);
    assert.equal(((await admin('PATCH', '/config', { minOrderInclusive: true })).json as { minOrderInclusive: boolean }).minOrderInclusive, true);
    await admin('PATCH', '/config', { minOrderInclusive: false });
    await admin('PATCH', '/config', { latencyMs: 0 });
  });

  it('settles approvals exactly when the configured delay has passed (≤ 5000 lei approved, above rejected)', () => {
    let now = 1_000_000;
    const st = new SimState({ approvalDelayMs: 60_000, approvalPriceLimit: '5000', priceGuardPercent: 10, priceGuardOnStockAndPrice: true, readyRequiresAwb: false, vatPercent: '21', timeZone: 'Europe/Bucharest' }, () => now);
    const full = (model: string, pretf: string): Record<string, unknown> => ({ products_model: model, products_name: model, manufacturers_name: 'B', categories_id: '1234', pretf, products_image: 'https://example.invalid/x.jpg' });
    st.importItem(full('A', '5000.00'), true);
    st.importItem(full('B', '5000.01'), true);
    now += 59_999;
    st.settle();
    assert.deepEqual([st.products.get('A')!.approval, st.products.get('B')!.approval], ['waiting', 'waiting']);
    now += 1;
    st.settle();
    assert.deepEqual([st.products.get('A')!.approval, st.products.get('B')!.approval], ['approved', 'rejected']);
  });

  it('resets to an empty account', async () => {
    await admin('POST', '/reset', {});
    assert.deepEqual((await admin('GET', '/products')).json, []);
    assert.deepEqual((await admin('GET', '/orders')).json, []);
    assert.equal((await admin('GET', '/nope')).status, 404);
  });

  it('vortex sim celro starts from the CLI and answers a login', async () => {
    const child = spawn(process.execPath, ['bin/vortex.js', 'sim', 'celro', '--port', '0', '--seed', 'sample', '--min-order-inclusive', '--min-order-sort', 'desc'], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, CELRO_SIM_PASSWORD: 'pw' } });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          const m = /API (http:\/\/\S+\/market_api\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const r = await fetch(`${url}login/actionLogin/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=demo&password=pw' });
      assert.equal(((await r.json()) as { error: number }).error, 0);
      const cfg = (await (await fetch(url.replace('/market_api/', '/_sim/config'))).json()) as { minOrderInclusive: boolean; minOrderSort: string };
      assert.deepEqual([cfg.minOrderInclusive, cfg.minOrderSort], [true, 'desc']);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
