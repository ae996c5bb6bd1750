import { startCelroSim, type CelroSim } from '../../sim/celro/index.ts';
import { startFxSim, type FxSim } from '../../sim/fx/server.ts';
import { startFanCourierSim, type FanCourierSim } from '../../sim/couriers/fancourier.ts';
import { fulfilmentRobot } from './fulfilment-robot.ts';
import { startLexofficeSim, type LexofficeSim } from '../../sim/lexoffice/index.ts';
import { startApp, type App } from '../app.ts';
import { NotFoundError } from '../core/errors.ts';
import { forgetListings } from '../catalog/offers-repo.ts';
import { importFeedUrl } from '../fx/import.ts';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import { StockLedger } from '../stock/ledger.ts';
import { requestSync } from '../sync/request-sync.ts';
import { ensureLexofficeSubscriptions } from '../sync/webhook-subscriptions.ts';
import { onboardTenant } from '../tenants/onboard.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { demoCatalogRules } from './rules.ts';
import { ensureDemoUsers, type DemoUsers } from './demo-users.ts';

export const DEMO_TENANT = 'demo';
const ACTOR = 'demo';

export interface Demo {
  readonly app: App;
  readonly lexoffice: LexofficeSim;
  readonly celro: CelroSim;
  readonly fx: FxSim;
  readonly fan: FanCourierSim;
  readonly webUrl: string;
  readonly users: DemoUsers;
  stop(): Promise<void>;
}

/**
 * `npm start`: Vortex with everything it talks to, on this machine. The lexoffice and Cel.ro simulators
 * and the rate-feed simulator run in-process with seeded data; a demo tenant is connected to them with
 * the default DE → RO rules (plus brand, category and image, which Cel.ro needs), a seeded stock ledger
 * and webhooks; then the worker and the web server run as in production.
 */
export async function startDemo(config: Config, log: Logger): Promise<Demo> {
  const lexoffice = await startLexofficeSim({ port: config.demo.lexofficePort, seed: 'demo', articles: config.demo.articles });
  const celro = await startCelroSim({ port: config.demo.celroPort, username: 'demo', password: 'demo', approvalDelayMs: 5000 });
  const fx = await startFxSim({ port: config.demo.fxPort });
  const fan = await startFanCourierSim({ port: 0 });
  const webUrl = `http://127.0.0.1:${config.http.port}`;
  let app: App | undefined;
  let users: DemoUsers;
  try {
    app = await startApp(
      {
        ...config,
        publicUrl: config.publicUrl ?? webUrl,
        fx: { ...config.fx, urls: { BNR: fx.bnrUrl, ECB: fx.ecbUrl } },
      },
      ['web', 'worker'],
      log,
    );
    await provision(app, lexoffice, celro, fx, fan);
    users = await ensureDemoUsers(app, DEMO_TENANT, config.demo.adminPassword);
  } catch (e) {
    await app?.stop().catch(() => {});
    await Promise.all([lexoffice.close(), celro.close(), fx.close(), fan.close()]);
    throw e;
  }
  const running = app;
  const robot = fulfilmentRobot(running, fan, DEMO_TENANT, log);
  const everyMs = config.demo.ordersEveryMinutes * 60_000;
  const orders = everyMs > 0 ? setInterval(() => void placeCustomerOrder(celro, log), everyMs) : undefined;
  // The warehouse and the courier move the orders on twice per order interval.
  const fulfil = everyMs > 0 ? setInterval(() => void robot(), everyMs / 2) : undefined;
  orders?.unref();
  fulfil?.unref();
  return {
    app: running,
    lexoffice,
    celro,
    fx,
    fan,
    webUrl,
    users,
    stop: async () => {
      if (orders) clearInterval(orders);
      if (fulfil) clearInterval(fulfil);
      await running.stop();
      await Promise.all([lexoffice.close(), celro.close(), fx.close(), fan.close()]);
    },
  };
}

/**
 * Idempotent: a second `npm start` on the same data directory reuses the tenant, its rules and its
 * ledger, and publishes the catalog again to the new (empty) simulator.
 */
async function provision(app: App, lexoffice: LexofficeSim, celro: CelroSim, fx: FxSim, fan: FanCourierSim): Promise<void> {
  const { db, box, queue } = app;
  const tenants = new TenantRepository(db, box);
  await importFeedUrl(db, fx.bnr10DaysUrl, 'BNR');
  try {
    await tenants.get(DEMO_TENANT);
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    await onboardTenant(db, box, { id: DEMO_TENANT, name: 'Demo Shop GmbH', settings: { sync: { heartbeatMinutes: 5, reconcileMinutes: 15, debounceSeconds: 1 } } }, ACTOR, {
      catalog: demoCatalogRules(),
    });
  }
  // The simulators are new on every start (fresh signing key): refresh the connections each time.
  await tenants.setConnection(DEMO_TENANT, 'lexoffice', { credentials: { apiKey: lexoffice.apiKey }, baseUrl: lexoffice.url, settings: { webhookPublicKey: lexoffice.publicKeyPem } }, ACTOR);
  await tenants.setConnection(DEMO_TENANT, 'celro', { credentials: { username: 'demo', password: 'demo' }, baseUrl: celro.url }, ACTOR);
  await tenants.setConnection(DEMO_TENANT, 'fancourier', { credentials: { clientId: fan.clientId, username: fan.username, password: fan.password }, baseUrl: fan.url }, ACTOR);
  const ledger = new StockLedger(db);
  if ((await ledger.published(DEMO_TENANT)).length === 0) {
    const articles = [...lexoffice.state().articles.values()] as unknown as Array<{ articleNumber: string | null }>;
    const rows = articles.filter((a) => a.articleNumber).map((a, i) => ({ sku: a.articleNumber!, onHand: (i * 37) % 60 }));
    await ledger.setOnHand(DEMO_TENANT, rows, { reason: 'demo seed', author: ACTOR, source: 'demo' });
    await ledger.setPolicy(DEMO_TENANT, null, { bufferKind: 'absolute', bufferValue: '2', floor: 1 });
  }
  // The in-process Cel.ro simulator starts empty on every start: what the last run listed is gone, so
  // list it again (a real Cel.ro account keeps its products; there, reconcile finds any that vanished).
  if (celro.state.products.size === 0) await forgetListings(db, DEMO_TENANT, 'demo restart: the Cel.ro simulator starts empty');
  await ensureLexofficeSubscriptions(app, DEMO_TENANT);
  await requestSync({ db, queue }, DEMO_TENANT, ['catalog', 'stock'], 'demo-start');
}

/**
 * A customer buys on the Cel.ro simulator (VORTEX_DEMO_ORDERS_EVERY_MINUTES): one or two approved
 * products in stock; the simulator then calls Vortex's API link and the order flows into lexoffice.
 */
async function placeCustomerOrder(celro: CelroSim, log: Logger): Promise<void> {
  const inStock = [...celro.state.products.values()].filter((p) => p.approval === 'approved' && p.active === 1 && p.stock > 0);
  if (inStock.length === 0) return;
  const pick = () => inStock[Math.floor(Math.random() * inStock.length)]!.model;
  const models = [...new Set([pick(), ...(Math.random() < 0.3 ? [pick()] : [])])];
  try {
    const r = await celro.placeOrder({ lines: models.map((model) => ({ model, quantity: 1 })), payment: Math.random() < 0.5 ? 'card' : 'cod', company: Math.random() < 0.15 });
    log.info({ order: r.order.id_comanda }, 'demo: a customer ordered on Cel.ro');
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'demo: could not place a customer order');
  }
}
