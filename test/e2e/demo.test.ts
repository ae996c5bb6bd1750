import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, runVortex, startVortex } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

interface CelProduct {
  products_model: string;
  pretf: string;
  stoc: number;
}

describe('npm start (vortex demo)', () => {
  it('publishes the seeded catalog to the Cel.ro simulator and a lexoffice price change arrives through the webhook; restarts cleanly', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vortex-demo-'));
    const [web, lex, cel, fx] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env = { PORT: String(web), SIM_LEXOFFICE_PORT: String(lex), SIM_CELRO_PORT: String(cel), SIM_FX_PORT: String(fx), VORTEX_DATA_DIR: dataDir, VORTEX_DEMO_ARTICLES: '40', VORTEX_DEMO_ORDERS_EVERY_MINUTES: '0.1', LOG_LEVEL: 'warn', VORTEX_ADMIN_PASSWORD: 'demo admin password' };
    const started = await startVortex(['demo'], env, /Vortex demo is running/);
    let child = started.child;
    const output = started.output;
    try {
      // The demo made its users: the API now wants a session (or the token), even from this machine.
      assert.match(output(), /operator operator@vortex\.local, merchant merchant@demo-shop\.local/);
      assert.equal((await fetch(`http://127.0.0.1:${web}/api/tenants/demo/runs`)).status, 401);
      const login = await fetch(`http://127.0.0.1:${web}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'merchant@demo-shop.local', password: env.VORTEX_ADMIN_PASSWORD }) });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const api = (p: string) => fetch(`http://127.0.0.1:${web}/api/tenants/demo/${p}`, { headers: { cookie } });
      const products = await waitFor(
        'catalog on Cel.ro',
        async () => {
          const list = (await (await fetch(`http://127.0.0.1:${cel}/_sim/products`)).json()) as CelProduct[];
          return list.length >= 30 && list;
        },
        60_000,
      );
      // Pick an article whose +1.00 EUR change stays under Cel.ro's 10 % guard.
      const page = (await (await fetch(`http://127.0.0.1:${lex}/v1/articles?size=250`, { headers: { authorization: 'Bearer sim-lexoffice-key' } })).json()) as {
        content: Array<{ id: string; articleNumber: string; archived: boolean; type: string; price: { netPrice: number; grossPrice: number } }>;
      };
      const listed = new Map(products.map((p) => [p.products_model, p]));
      const article = page.content.filter((a) => listed.has(a.articleNumber) && a.price.grossPrice > 40).sort((a, b) => b.price.grossPrice - a.price.grossPrice)[0]!;
      const before = listed.get(article.articleNumber)!.pretf;
      const changed = await fetch(`http://127.0.0.1:${lex}/_sim/articles/${article.id}/change`, { method: 'POST' });
      assert.equal(changed.status, 200);
      const t0 = Date.now();
      const after = await waitFor(
        'new price on Cel.ro',
        async () => {
          const list = (await (await fetch(`http://127.0.0.1:${cel}/_sim/products`)).json()) as CelProduct[];
          const p = list.find((x) => x.products_model === article.articleNumber);
          return p && p.pretf !== before && p.pretf;
        },
        30_000,
      );
      assert.ok(Number(after) > Number(before));
      // The price is on Cel.ro as soon as its batch is pushed; the run that carried the webhook goes on
      // (stock, reconcile) and must then end as succeeded.
      let seen: unknown = null;
      await waitFor(
        'the webhook run succeeded',
        async () => {
          const runs = (await (await api('runs')).json()) as { runs: Array<{ triggers: string[]; status: string }> };
          seen = runs.runs.map((r) => [r.triggers, r.status]);
          return runs.runs.some((r) => r.triggers.includes('webhook') && r.status === 'succeeded');
        },
        60_000,
      ).catch(() => assert.fail(`no succeeded run carried the webhook: ${JSON.stringify(seen)}`));
      console.log(`price change reached Cel.ro ${Date.now() - t0} ms after the lexoffice change`);

      // An order placed by hand on the Cel.ro simulator (README) arrives in lexoffice as one invoice.
      const buyable = await waitFor('an approved product in stock', async () => {
        const list = (await (await fetch(`http://127.0.0.1:${cel}/_sim/products`)).json()) as Array<CelProduct & { approval: string }>;
        return list.find((p) => p.approval === 'approved' && p.stoc > 0);
      }, 30_000);
      const placed = await fetch(`http://127.0.0.1:${cel}/_sim/orders`, { method: 'POST', body: JSON.stringify({ lines: [{ model: buyable.products_model, quantity: 1 }] }) });
      assert.equal(placed.status, 201, await placed.clone().text());
      const orderId = ((await placed.json()) as { order: { id_comanda: number } }).order.id_comanda;
      const order = await waitFor('the order in lexoffice', async () => {
        const r = await api(`orders/${orderId}`);
        const o = r.ok ? ((await r.json()) as { state: string; document: { type: string; number: string | null } | null }) : undefined;
        return o?.state === 'acknowledged' && o;
      }, 60_000);
      assert.equal(order.document?.type, 'invoice');
      assert.match(order.document?.number ?? '', /\S/);
      // The demo's customers (an order every 6 s here) and its warehouse/courier move orders all the way on.
      const delivered = await waitFor('a demo order delivered with its invoice on Cel.ro', async () => {
        const list = (await (await api('orders?state=acknowledged')).json()) as { orders: Array<{ orderId: string; invoice: { state: string } }> };
        for (const o of list.orders.filter((x) => x.invoice.state === 'attached')) {
          const d = (await (await api(`orders/${o.orderId}`)).json()) as { shipments: Array<{ trackingState: string; celStatus: string }>; payment: { status: string } };
          if (d.shipments[0]?.trackingState === 'delivered' && d.shipments[0].celStatus === 'finished' && d.payment.status === 'paid') return d;
        }
        return undefined;
      }, 90_000);
      assert.equal(delivered.shipments[0]!.celStatus, 'finished');
      assert.equal(delivered.payment.status, 'paid', 'card paid online, or cash collected on delivery');
      // The CLI reads the same through the API (with the local token in the data dir) while the embedded database is held by the demo.
      const cliList = await runVortex(['orders', 'list', '--tenant', 'demo'], env);
      assert.equal(cliList.code, 0, cliList.stderr);
      assert.match(cliList.stdout, new RegExp(`${orderId}\\s+acknowledged\\s+.*invoice ${order.document!.number}`));
      const shown = await runVortex(['orders', 'show', String(orderId), '--tenant', 'demo'], env);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /POST \/v1\/invoices\s+created/);
    } finally {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    // Same data directory again: the tenant and its ledger are reused, not re-created.
    ({ child } = await startVortex(['demo'], env, /Vortex demo is running/));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
