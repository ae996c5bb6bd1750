// `npm run chaos -- --orders 1000 --kills 100 [--workers 4] [--faults 0.1]`: the order chaos run on
// PostgreSQL (test/helpers/order-chaos.ts) at any size, with a summary table. Needs a PostgreSQL server
// (VORTEX_TEST_DATABASE_URL, default local trust auth). Exit 1 when any order is lost, unfinished or
// has other than exactly one lexoffice document.
import { parseArgs } from 'node:util';
import { numberOption } from './number-option.ts';
import { runOrderChaos } from '../test/helpers/order-chaos.ts';

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '200' }, kills: { type: 'string', default: '20' }, workers: { type: 'string', default: '4' }, faults: { type: 'string', default: '0.1' }, drain: { type: 'string', default: '600' } },
});
const num = numberOption('chaos');
const s = await runOrderChaos({
  orders: num('orders', values.orders, 1, 100_000),
  kills: num('kills', values.kills, 0, 10_000),
  workers: num('workers', values.workers, 1, 32),
  faultRate: num('faults', values.faults, 0, 0.9),
  drainSeconds: num('drain', values.drain, 10, 36_000),
  log: (l) => console.log(`… ${l}`),
});
const ok = s.notFinal.length + s.unknownToVortex.length + s.withoutDocument.length + s.withSeveralDocuments.length + s.invoiceNotAttached.length + s.invoiceSeveral.length === 0;
const list = (xs: readonly string[]) => (xs.length ? `${xs.length} (${xs.slice(0, 10).join(', ')}${xs.length > 10 ? ', …' : ''})` : '0');
console.table({
  'orders placed': s.orders,
  'worker SIGKILLs': s.kills,
  'final states': JSON.stringify(s.states),
  'unknown to Vortex': list(s.unknownToVortex),
  'not final': list(s.notFinal),
  'without a document': list(s.withoutDocument),
  'with several documents': list(s.withSeveralDocuments),
  'invoice PDF not on Cel.ro': list(s.invoiceNotAttached),
  'invoice PDF on Cel.ro more than once': list(s.invoiceSeveral),
  'documents adopted after an unknown outcome': s.adopted,
  'lexoffice calls (faults)': `${s.lexofficeCalls} (${s.lexofficeFaults})`,
  'lexoffice calls per order': s.callsPerOrder.toFixed(2),
  'push → document p50 / p95 (s)': `${s.latencyP50.toFixed(1)} / ${s.latencyP95.toFixed(1)}`,
  'wall time (s)': s.seconds.toFixed(0),
  verdict: ok ? 'every order exactly once' : 'FAILED',
});
process.exit(ok ? 0 : 1);
