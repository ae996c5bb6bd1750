import type { Command } from 'commander';
import { startCelroSim, type FaultKind, type FaultRule, type TokenSignal } from './server.ts';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got ${v}`);
  return n;
};

/** `--fault kind[:match[:times]]`, e.g. `--fault http500:orders/getOrders:3` or `--fault slow:*:0`. */
function parseFault(v: string, prev: FaultRule[]): FaultRule[] {
  const [kind, match, times] = v.split(':');
  const kinds: FaultKind[] = ['http500', 'http503', 'http429', 'error', 'slow', 'expire-token', 'non-json', 'missing-fields', 'reset'];
  if (!kinds.includes(kind as FaultKind)) throw new Error(`unknown fault ${kind}; one of ${kinds.join(', ')}`);
  return [...prev, { kind: kind as FaultKind, ...(match ? { match } : {}), ...(times ? { times: int(times) } : {}) }];
}

function sortDir(v: string): 'asc' | 'desc' {
  if (v !== 'asc' && v !== 'desc') throw new Error(`expected asc or desc, got ${v}`);
  return v;
}

/** `vortex sim celro …`: the Cel.ro seller API simulator. */
export function registerCelroSim(sim: Command): void {
  sim
    .command('celro')
    .description('run the Cel.ro marketplace API simulator on 127.0.0.1 (API under /market_api/, admin under /_sim/)')
    .option('--port <port>', 'port (0 = any free port)', int, 4020)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--username <u>', 'seller account username', 'demo')
    .option('--password <p>', 'seller account password (default demo; prefer CELRO_SIM_PASSWORD)')
    .option('--seed <seed>', 'demo (reference data) | sample (+60 products, 5 orders) | any word (empty, RNG seed)', 'demo')
    .option('--token-ttl-ms <ms>', 'login token lifetime', int, 3_600_000)
    .option('--token-signal <s>', 'how an expired token is answered: http400 | tokenStatus0 | error302', 'http400')
    .option('--max-connections <n>', 'simultaneous requests per account before refusing (HTTP 429)', int, 10)
    .option('--latency-ms <ms>', 'added to every API response', int, 0)
    .option('--approval-delay-ms <ms>', 'time before a new product is approved (≤ 5000 lei) or rejected', int, 0)
    .option('--price-guard-percent <p>', 'price changes above this need overridePrice=1', int, 10)
    .option('--min-order-inclusive', 'getOrders lists the order whose id equals min_order too (undocumented; default: strictly greater)', false)
    .option('--min-order-sort <dir>', 'getOrders sort with min_order: asc (documented) | desc', sortDir, 'asc')
    .option('--fault <spec>', 'inject a fault: kind[:method/action[:times]] (repeatable)', parseFault, [] as FaultRule[])
    .action(async (o: Record<string, unknown>) => {
      const s = await startCelroSim({
        port: o.port as number,
        host: o.host as string,
        username: o.username as string,
        password: (o.password as string | undefined) ?? process.env.CELRO_SIM_PASSWORD ?? 'demo',
        seed: o.seed as string,
        tokenTtlMs: o.tokenTtlMs as number,
        tokenSignal: o.tokenSignal as TokenSignal,
        maxConnections: o.maxConnections as number,
        latencyMs: o.latencyMs as number,
        approvalDelayMs: o.approvalDelayMs as number,
        priceGuardPercent: o.priceGuardPercent as number,
        minOrderInclusive: o.minOrderInclusive === true,
        minOrderSort: o.minOrderSort as 'asc' | 'desc',
        faults: o.fault as FaultRule[],
      });
      console.log(`Cel.ro simulator: API ${s.url}  admin ${s.origin}/_sim/  account ${o.username as string}`);
      const stop = (): void => {
        void s.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
