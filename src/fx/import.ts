import { fetchFeed } from '../connectors/fx/fetch.ts';
import { parseFeed, type FxSource, type ParsedFeed } from '../connectors/fx/feeds.ts';
import type { Queryable } from '../store/db.ts';
import { FxRateRepository, type StoreResult } from './repository.ts';

export interface ImportResult extends StoreResult {
  readonly source: FxSource;
  readonly origin: string;
  readonly days: readonly string[];
  readonly rates: number;
}

/** Parse a feed text and append its rates. The parser refuses the whole file on any malformed rate. */
export async function importFeedText(db: Queryable, xml: string, origin: string, source?: FxSource): Promise<ImportResult> {
  const feed: ParsedFeed = parseFeed(xml, source);
  const res = await new FxRateRepository(db).store(feed.rates, origin);
  const days = [...new Set(feed.rates.map((r) => r.date))].sort();
  return { ...res, source: feed.source, origin, days, rates: feed.rates.length };
}

/** Fetch a feed from its URL (connectors/fx is the only HTTP client for rates) and import it. */
export async function importFeedUrl(db: Queryable, url: string, source: FxSource, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ImportResult> {
  const xml = await fetchFeed(url, opts);
  return importFeedText(db, xml, url, source);
}
