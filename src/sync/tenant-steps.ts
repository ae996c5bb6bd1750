import type { AppContext } from '../context.ts';
import { type ArticleSource, type OfferChannel, quarantinedArticle } from '../catalog/ports.ts';
import { publishOffers } from '../catalog/publish-offers.ts';
import { pullArticles } from '../catalog/pull-articles.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import { StockLedger } from '../stock/ledger.ts';
import { pushStock } from '../stock/push-stock.ts';
import { reconcile } from '../stock/reconcile.ts';
import { TenantRepository } from '../tenants/tenants.ts';
import { celroClientFor, lexofficeClientFor } from './clients.ts';
import type { RunLog } from './run-log.ts';
import type { SyncSteps } from './run-sync.ts';
import { catalogSettings, celroConnectionSettingsSchema, lexofficeConnectionSettingsSchema } from './schedule.ts';

/**
 * Build a tenant's sync steps from its connections: the lexoffice client reads articles, the Cel.ro
 * client receives offers; both count their calls into the run log.
 */
export function tenantSteps(ctx: AppContext, engine: MappingEngine): (tenantId: string) => Promise<SyncSteps> {
  const tenants = new TenantRepository(ctx.db, ctx.box);
  const ledger = new StockLedger(ctx.db);
  return async (tenantId) => {
    const tenant = await tenants.get(tenantId);
    const lex = await tenants.getConnection(tenantId, 'lexoffice');
    const cel = await tenants.getConnection(tenantId, 'celro');
    // A bad setting fails the run with its name, before any call. Batches go to Cel.ro side by side up
    // to the connection's budget, while the next lexoffice pages are still arriving.
    const lanes = celroConnectionSettingsSchema.parse(cel.settings).maxInFlight;
    lexofficeConnectionSettingsSchema.parse(lex.settings); // likewise for lexoffice
    const settings = catalogSettings(tenant.settings);

    const articles = (run: RunLog, signal: AbortSignal): ArticleSource => {
      // Catalog pages are background work: order imports on the same key take the next slot.
      const client = lexofficeClientFor(ctx, lex, 'background');
      return {
        async *iterateArticles() {
          for (let page = 0; ; page++) {
            signal.throwIfAborted(); // checkpoint: stored pages stay stored, the next run reads again
            run.apiCall('lexoffice', 'GET /v1/articles');
            const p = await client.listArticles({ page, size: 250 });
            yield* p.content;
            // Rows that did not parse are quarantined per article; the rest of the page goes on.
            for (const r of p.rejected) yield quarantinedArticle({ key: r.articleNumber ?? r.id, raw: r.raw, reason: r.reason, issues: r.issues });
            if (p.last || p.content.length + p.rejected.length === 0) return;
          }
        },
      };
    };
    const channel = (run: RunLog): OfferChannel => celroClientFor(ctx, cel, (info) => run.apiCall('celro', info.route));

    return {
      catalog: async (s) => {
        const deps = { engine, channel: channel(s.run), ledger, settings, lanes };
        // Publish each stored batch while the next pages are fetched (the pull waits on lexoffice's
        // rate limit); then one pass for whatever is left (archived by absence, earlier failures).
        let publishing: Promise<void> = Promise.resolve();
        let failed: unknown;
        const onStored = (skus: readonly string[]) => {
          publishing = publishing.then(() => publishOffers(s, deps, skus)).catch((e: unknown) => void (failed ??= e));
        };
        try {
          await pullArticles(s, articles(s.run, s.signal), onStored);
        } finally {
          await publishing;
        }
        if (failed) throw failed;
        await publishOffers(s, deps);
      },
      stock: (s) => pushStock(s, { channel: channel(s.run), ledger, lanes }),
      reconcile: (s) => reconcile(s, { channel: channel(s.run), ledger }),
    };
  };
}
