import type { CelroSim } from '../../sim/celro/index.ts';
import { startCelroSim } from '../../sim/celro/index.ts';
import { startFxSim, type FxSim } from '../../sim/fx/server.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { demoCatalogRules } from '../../src/demo/rules.ts';
import { importFeedUrl } from '../../src/fx/import.ts';
import { MappingEngine } from '../../src/mapping/engine.ts';
import { StockLedger } from '../../src/stock/ledger.ts';
import { addSyncRequest, type SyncWhat } from '../../src/sync/requests.ts';
import { runSync, type RunOutcome } from '../../src/sync/run-sync.ts';
import { tenantSteps } from '../../src/sync/tenant-steps.ts';
import { onboardTenant } from '../../src/tenants/onboard.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import type { StoreVariant } from './stores.ts';
import { testContext } from './app.ts';
import { buildServer } from '../../src/http/server.ts';
import { webModules } from '../../src/http/modules.ts';
import { ensureLexofficeSubscriptions } from '../../src/sync/webhook-subscriptions.ts';

export const TENANT = 'shop';

/**
 * A complete world for end-to-end tests: both API simulators and the FX feed simulator over real HTTP,
 * a real store, a tenant onboarded with the demo rules and connected to the simulators, and a stock
 * ledger seeded for every article.
 */
export async function startWorld(variant: StoreVariant, opts: { articles?: number; env?: Record<string, string>; celroSettings?: Record<string, unknown> } = {}) {
  const lex: LexofficeSim = await startLexofficeSim({ port: 0, seed: 'demo', articles: opts.articles ?? 60, rateLimit: { ratePerSecond: 50, burst: 50 } });
  const cel: CelroSim = await startCelroSim({ port: 0, approvalDelayMs: 0 });
  const fx: FxSim = await startFxSim();
  const db = await variant.open();
  const ctx = await testContext(db, opts.env ?? {});
  await importFeedUrl(db, fx.bnr10DaysUrl, 'BNR');
  await onboardTenant(db, ctx.box, { id: TENANT, name: 'Shop SRL', settings: { sync: { debounceSeconds: 0 } } }, 'test', { catalog: demoCatalogRules() });
  const tenants = new TenantRepository(db, ctx.box);
  await tenants.setConnection(TENANT, 'lexoffice', { credentials: { apiKey: lex.apiKey }, baseUrl: lex.url, settings: { webhookPublicKey: lex.publicKeyPem } }, 'test');
  await tenants.setConnection(TENANT, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: cel.url, ...(opts.celroSettings ? { settings: opts.celroSettings } : {}) }, 'test');
  const ledger = new StockLedger(db);
  const articles = [...lex.state().articles.values()] as unknown as Array<{ id: string; articleNumber: string | null; type: string; archived: boolean }>;
  await ledger.setOnHand(
    TENANT,
    articles.filter((a) => a.articleNumber).map((a, i) => ({ sku: a.articleNumber!, onHand: (i * 7) % 25 })),
    { reason: 'seed', author: 'test', source: 'test' },
  );
  await db.query('DELETE FROM sync_requests');
  const engine = new MappingEngine(db);
  const steps = tenantSteps(ctx, engine);
  // The web server (API, webhooks, metrics: every module `vortex web` runs) on an ephemeral port, subscribed to the lexoffice simulator's events.
  const web = await buildServer({ db, log: ctx.log }, webModules(ctx));
  await web.listen({ port: 0, host: '127.0.0.1' });
  const webUrl = `http://127.0.0.1:${(web.server.address() as { port: number }).port}`;
  await ensureLexofficeSubscriptions({ ...ctx, config: { ...ctx.config, publicUrl: webUrl } }, TENANT);

  let released = false;
  return {
    lex,
    cel,
    fx,
    webUrl,
    secretKey: ctx.secretKey,
    db,
    ctx,
    ledger,
    engine,
    articles,
    /** Run one sync in-process (what a worker does for one job). */
    async sync(what: readonly SyncWhat[], trigger = 'test'): Promise<RunOutcome> {
      await addSyncRequest(db, TENANT, what, trigger);
      return runSync({ db, log: ctx.log, steps }, TENANT);
    },
    celWrites(): number {
      return cel.log.filter((e) => /importer|updateStockAndPrice|updateStatus/.test(e.path)).length;
    },
    /** Close the web server, queue and store but keep the simulators: a Vortex process takes the store over. */
    async releaseStore(): Promise<void> {
      if (released) return;
      released = true;
      await web.close();
      await ctx.stop();
      await db.close();
    },
    async close(): Promise<void> {
      await this.releaseStore();
      await Promise.all([lex.close(), cel.close(), fx.close()]);
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;
