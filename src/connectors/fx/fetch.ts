import { UpstreamError, ValidationError } from '../../core/errors.ts';
import type { FxSource } from './feeds.ts';

/** Published feed locations (research/domain.md §1.1–1.2). BNR moved to curs.bnr.ro on 2026-08-04. */
export const DEFAULT_FEED_URLS: Readonly<Record<FxSource, string>> = {
  BNR: 'https://curs.bnr.ro/nbrfxrates.xml',
  ECB: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml',
};

/**
 * GET one feed. The only place Vortex fetches exchange rates over HTTP. A non-2xx answer or a network
 * failure is an UpstreamError (retryable); a body that is not XML is refused by the parser afterwards.
 */
export async function fetchFeed(url: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`FX feed URL "${url}" is not a URL`, [{ path: 'url', message: 'invalid URL' }]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ValidationError(`FX feed URL must be http(s), got ${parsed.protocol}`, [{ path: 'url', message: 'unsupported scheme' }]);
  }
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 30_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(parsed, { signal, headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1', 'user-agent': 'vortex-fx/0.1' } });
  } catch (e) {
    throw new UpstreamError(`FX feed ${parsed.origin}${parsed.pathname} unreachable: ${(e as Error).message}`, undefined, { url: parsed.toString() }, e);
  }
  const body = await res.text();
  if (!res.ok) throw new UpstreamError(`FX feed ${parsed.origin}${parsed.pathname} answered HTTP ${res.status}`, res.status, { url: parsed.toString(), body: body.slice(0, 300) });
  return body;
}
