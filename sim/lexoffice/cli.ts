import type { Command } from 'commander';
import type { FaultRule } from './faults.ts';
import { DEFAULT_SIM_KEY, startLexofficeSim } from './server.ts';

interface Opts {
  port: string;
  host: string;
  apiKey: string[];
  seed: string;
  articles: string;
  rate: string;
  burst: string;
  retryAfter?: string;
  fault429?: string;
  fault500?: string;
  faultSlow?: string;
  slowMs: string;
  fault504AfterCommit?: string;
  contactVersionConflict: string;
  voucherNumberMatch: string;
  voucherlistSort: string;
  articlesMinSize: string;
  requireHttps?: boolean;
}

function rate(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new Error(`${flag} must be a probability between 0 and 1`);
  return n;
}

/** `vortex sim lexoffice …`: serve the simulated lexoffice API until interrupted. */
export function registerLexofficeSim(sim: Command): void {
  sim
    .command('lexoffice')
    .description('run the lexoffice (Lexware Office) API simulator on 127.0.0.1 — API under /v1/, admin under /_sim/')
    .option('--port <port>', 'port (0 = any free port)', '4010')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--api-key <key>', `accepted API key; repeat for several (default ${DEFAULT_SIM_KEY})`, (v: string, acc: string[]) => [...acc, v], [])
    .option('--seed <seed>', 'demo (realistic catalog) or empty', 'demo')
    .option('--articles <n>', 'articles in the demo catalog', '40')
    .option('--rate <perSecond>', 'rate limit per API key, requests per second', '2')
    .option('--burst <n>', 'token bucket size (undocumented upstream)', '2')
    .option('--retry-after <seconds>', 'send Retry-After on 429 (undocumented upstream; default: no header)')
    .option('--fault-429 <rate>', 'probability of an extra 429 per request')
    .option('--fault-500 <rate>', 'probability of a 500 (call not performed)')
    .option('--fault-slow <rate>', 'probability of a slow answer')
    .option('--slow-ms <ms>', 'delay of a slow answer', '3000')
    .option('--fault-504-after-commit <rate>', 'probability that a write is committed and then answered 504')
    .option('--contact-version-conflict <status>', 'status for a stale contact version: 406 (live) or 409', '406')
    .option('--voucher-number-match <mode>', 'voucherlist voucherNumber filter: exact or substring', 'exact')
    .option('--voucherlist-sort <mode>', 'accepted voucherlist sorts: live (voucherDate only) or doc', 'live')
    .option('--articles-min-size <n>', 'smallest page size /v1/articles accepts', '1')
    .option('--require-https', 'refuse http:// callback URLs like the real service')
    .action(async (o: Opts) => {
      const faults: FaultRule[] = [];
      const r429 = rate(o.fault429, '--fault-429');
      const r500 = rate(o.fault500, '--fault-500');
      const rSlow = rate(o.faultSlow, '--fault-slow');
      const r504 = rate(o.fault504AfterCommit, '--fault-504-after-commit');
      if (rSlow) faults.push({ kind: 'slow', rate: rSlow, delayMs: Number(o.slowMs) });
      if (r429) faults.push({ kind: 'rate-limit', rate: r429 });
      if (r500) faults.push({ kind: 'server-error', rate: r500 });
      if (r504) faults.push({ kind: 'timeout-after-commit', rate: r504, method: 'POST' });
      const s = await startLexofficeSim({
        port: Number(o.port),
        host: o.host,
        apiKeys: o.apiKey.length > 0 ? o.apiKey : [DEFAULT_SIM_KEY],
        seed: o.seed === 'empty' ? 'empty' : 'demo',
        articles: Number(o.articles),
        rateLimit: { ratePerSecond: Number(o.rate), burst: Number(o.burst), retryAfterSeconds: o.retryAfter === undefined ? null : Number(o.retryAfter) },
        faults,
        behaviour: {
          contactVersionConflict: o.contactVersionConflict === '409' ? 409 : 406,
          voucherNumberMatch: o.voucherNumberMatch === 'substring' ? 'substring' : 'exact',
          voucherlistSort: o.voucherlistSort === 'doc' ? 'doc' : 'live',
          articlesMinSize: Number(o.articlesMinSize),
          requireHttpsCallbacks: o.requireHttps === true,
        },
      });
      console.log(`lexoffice simulator on ${s.url}/v1/ (admin ${s.url}/_sim/) — ${s.state().articles.size} articles, ${faults.length} fault rule(s)`);
      const stop = async (): Promise<void> => {
        await s.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
