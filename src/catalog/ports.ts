/**
 * What the catalog and stock steps need from the outside systems, as ports. The connector clients
 * (LexofficeClient, CelroClient) satisfy them structurally; the steps never import a connector.
 */
export interface ArticleSource {
  iterateArticles(): AsyncIterable<unknown>;
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
}
