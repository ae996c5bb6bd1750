/**
 * What the catalog and stock steps need from the outside systems, as ports. The connector clients
 * (LexofficeClient, CelroClient) satisfy them structurally; the steps never import a connector.
 */
export interface ArticleSource {
  /** Source articles, and — as QuarantinedArticle — the rows the source could read but not use. */
  iterateArticles(): AsyncIterable<unknown>;
}

const QUARANTINED: unique symbol = Symbol('quarantined article');

/**
 * A source row that cannot be used (malformed, missing what the sync needs). The pull records it as a
 * sync failure with its payload and reason and goes on with the other articles.
 */
export interface QuarantinedArticle {
  readonly [QUARANTINED]: true;
  /** The SKU it would have had (articleNumber, else the id), when the row says. */
  readonly key: string | null;
  readonly raw: unknown;
  readonly reason: string;
  readonly issues: readonly { readonly path: string; readonly message: string }[];
}

export function quarantinedArticle(q: Omit<QuarantinedArticle, typeof QUARANTINED>): QuarantinedArticle {
  return { [QUARANTINED]: true, ...q };
}

export function isQuarantinedArticle(x: unknown): x is QuarantinedArticle {
  return typeof x === 'object' && x !== null && (x as Partial<QuarantinedArticle>)[QUARANTINED] === true;
}

export interface BatchOutcome {
  readonly accepted: readonly string[];
  readonly inserted: readonly string[];
  readonly rejected: readonly { readonly model: string; readonly reason: string }[];
}

export interface ChannelProduct {
  readonly model: string;
  readonly price: string | null;
  readonly stock: number | null;
  readonly active: boolean | null;
  readonly reason: string | null;
}

export interface OfferChannel {
  importProducts(items: readonly Record<string, unknown>[], opts?: { hasTVA?: boolean }): Promise<BatchOutcome>;
  updateStockAndPrice(updates: readonly { model: string; stock?: number; price?: string; active?: boolean; overridePrice?: boolean }[]): Promise<BatchOutcome>;
  readAllProducts(): Promise<readonly ChannelProduct[]>;
  allWaitingProducts(): Promise<readonly ChannelProduct[]>;
  allRejectedProducts(): Promise<readonly ChannelProduct[]>;
  /** Cel.ro's verdict on recently imported models (`import/productImportStatus`): why one is missing. */
  getProductImportStatus(models: readonly string[]): Promise<ReadonlyArray<{ model: string; state: string; reason: string | null }>>;
}
