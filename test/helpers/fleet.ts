import { type ChildProcess, spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { startCelroSim, type CelroSim } from '../../sim/celro/index.ts';
import { startFxSim, type FxSim } from '../../sim/fx/server.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { demoCatalogRules } from '../../src/demo/rules.ts';
import { importFeedUrl } from '../../src/fx/import.ts';
import { buildServer } from '../../src/http/server.ts';
import { webModules } from '../../src/http/modules.ts';
import { ensureCelroApiLink } from '../../src/orders/api-link.ts';
import { StockLedger } from '../../src/stock/ledger.ts';
import type { Db } from '../../src/store/db.ts';
import { ensureLexofficeSubscriptions } from '../../src/sync/webhook-subscriptions.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { testContext } from './app.ts';
import { exited, VORTEX_BIN } from './process.ts';
import { testPostgres } from './stores.ts';

/**
 * Many merchants on one PostgreSQL, the production shape: every tenant has its own lexoffice account
 * and its own Cel.ro account (one simulator of each per tenant, in this process, over real HTTP), the
 * web server (API links for order pushes, lexoffice webhooks) runs here, and the work is done by
 * `vortex worker` processes that the caller starts, kills and restarts. Used by the scale-out bench
 * and the soak.
 */
export interface FleetOptions {
  readonly tenants: number;
  readonly articles: number;
  /** 'production': lexoffice 2 req/s per key (burst 2) paced by Vortex's defaults; 'lifted': no limit. */
  readonly limits: 'production' | 'lifted';
  /** Cel.ro answer latency (ms); its 10-connection cap per account always applies. */
  readonly celroLatencyMs?: number;
  /** On-hand units per SKU (default 1,000,000: orders never run out). */
  readonly onHand?: (i: number) => number;
}

export interface FleetTenant {
  readonly id: string;
  readonly lex: LexofficeSim;
  readonly cel: CelroSim;
  readonly skus: string[];
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
}

export async function startFleet(o: FleetOptions) {
  const db: Db & { url: string } = await testPostgres();
  const ctx = await testContext(db);
  const fx: FxSim = await startFxSim();
  await importFeedUrl(db, fx.bnr10DaysUrl, 'BNR');
  const web: FastifyInstance = await buildServer({ db, log: ctx.log }, webModules(ctx));
  await web.listen({ port: 0, host: '127.0.0.1' });
  const webUrl = `http://127.0.0.1:${(web.server.address() as { port: number }).port}`;
  const linked = { ...ctx, config: { ...ctx.config, publicUrl: webUrl } };
  const repo = new TenantRepository(db, ctx.box);
  const ledger = new StockLedger(db);
  const tenants: FleetTenant[] = [];
  for (let i = 0; i < o.tenants; i++) {
    const id = `t${String(i + 1).padStart(2, '0')}`;
    const lifted = o.limits === 'lifted';
    // Its own API key: Vortex keeps one rate-limit bucket per key, as lexoffice does.
    const lex = await startLexofficeSim({ port: 0, apiKey: `sim-lexoffice-key-${id}`, seed: 'demo', articles: o.articles, rateLimit: lifted ? { ratePerSecond: 100_000, burst: 100_000 } : { ratePerSecond: 2, burst: 2 } });
    const cel = await startCelroSim({ port: 0, approvalDelayMs: 0, latencyMs: o.celroLatencyMs ?? 0 });
    await onboardTenant(db, ctx.box, { id, name: `Shop ${id}`, settings: { sync: { debounceSeconds: 0 } } }, 'fleet', { catalog: demoCatalogRules() });
    await repo.setConnection(id, 'lexoffice', { credentials: { apiKey: lex.apiKey }, baseUrl: lex.url, settings: { webhookPublicKey: lex.publicKeyPem, ...(lifted ? { ratePerSecond: 5000, burst: 50 } : {}) } }, 'fleet');
    await repo.setConnection(id, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: cel.url }, 'fleet');
    const skus = [...lex.state().articles.values()]
      .map((a) => a as unknown as { articleNumber: string | null; type: string; archived: boolean })
      .filter((a) => a.articleNumber && !a.archived && a.type === 'PRODUCT')
      .map((a) => a.articleNumber!);
    await ledger.setOnHand(id, skus.map((sku, k) => ({ sku, onHand: o.onHand ? o.onHand(k) : 1_000_000 })), { reason: 'fleet stock', author: 'fleet', source: 'fleet' });
    await ensureCelroApiLink(linked, id);
    await ensureLexofficeSubscriptions(linked, id);
    tenants.push({ id, lex, cel, skus });
  }
  await db.query('DELETE FROM sync_requests');
  const workerEnv = { DATABASE_URL: db.url, VORTEX_SECRET_KEY: ctx.secretKey, VORTEX_FX_DAILY: 'none', LOG_LEVEL: 'warn' };
  const workers = new Set<WorkerProcess>();

  return {
    db,
    ctx,
    ledger,
    tenants,
    webUrl,
    workers,
    /** Start a `vortex worker` and resolve once it works jobs. Its output is kept only until then. */
    startWorker(extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [VORTEX_BIN, 'worker'], { env: { ...process.env, ...workerEnv, LOG_LEVEL: 'info', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        const onData = (c: Buffer) => {
          out += c.toString();
          if (!/vortex running/.test(out)) return;
          out = '';
          child.stdout.off('data', onData);
          child.stderr.off('data', onData);
          child.stdout.resume();
          child.stderr.resume();
          const w = { child, pid: child.pid! };
          workers.add(w);
          child.once('exit', () => workers.delete(w));
          resolve(w);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`vortex worker exited (${code}) before it was ready: ${out.slice(-2000)}`)));
      });
    },
    /** Seconds from placing each order (`tenant/orderId` → ms) to its lexoffice document, for the orders placed. */
    async documentLatencies(placedAt: ReadonlyMap<string, number>): Promise<number[]> {
      const created = await db.query<{ tenant_id: string; channel_order_id: string; at: Date }>(
        "SELECT o.tenant_id, o.channel_order_id, min(e.at) AS at FROM order_events e JOIN channel_orders o ON o.id = e.order_id WHERE e.to_state = 'document_created' GROUP BY o.tenant_id, o.channel_order_id",
      );
      return created.flatMap((c) => {
        const at = placedAt.get(`${c.tenant_id}/${c.channel_order_id}`);
        return at === undefined ? [] : [(c.at.getTime() - at) / 1000];
      });
    },
    async killWorker(w: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      w.child.kill(signal);
      await exited(w.child);
    },
    /** Place an order on a tenant's Cel.ro; it is pushed to the tenant's API link. Returns its id, or null when Cel.ro refused it (no stock). */
    async placeOrder(t: FleetTenant, lines: ReadonlyArray<{ model: string; quantity: number }>): Promise<string | null> {
      try {
        const r = await t.cel.placeOrder({ lines: [...lines], payment: 'cod' });
        return String(r.order.id_comanda);
      } catch (e) {
        if (/stoc insuficient|nu exista|inactiv/i.test((e as Error).message)) return null;
        throw e;
      }
    },
    async close(): Promise<void> {
      for (const w of [...workers]) {
        w.child.kill('SIGKILL');
        await exited(w.child);
      }
      await web.close();
      await ctx.stop();
      await Promise.all(tenants.flatMap((t) => [t.lex.close(), t.cel.close()]));
      await fx.close();
      await db.close();
    },
  };
}

export type Fleet = Awaited<ReturnType<typeof startFleet>>;
