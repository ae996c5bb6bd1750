// What the log sanitiser (secrets by pattern at any depth, sizes bounded) costs per line, next to plain
// pino with no formatter, for an everyday line and for a bad request carrying a 10,000-row payload.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { ValidationError } from '../src/core/errors.ts';
import { createLogger } from '../src/platform/logger.ts';

export const name = 'log sanitiser';

function sink(): { stream: Writable; bytes: () => number } {
  let n = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb();
    },
  });
  return { stream, bytes: () => n };
}

function perLine(lines: number, log: (i: number) => void): number {
  for (let i = 0; i < Math.min(lines, 200); i++) log(i); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lines; i++) log(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / lines;
}

export async function run(): Promise<void> {
  const everyday = (i: number) => ({ tenantId: 'shop', runId: i, counts: { catalog: { read: 300, changed: 2 } }, credentials: { apiKey: 'k' } });
  const payload = Array.from({ length: 10_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: i, note: 'x'.repeat(40) }));
  const error = new ValidationError('bad', [{ path: 'onHand', message: 'must be ≤ 1,000,000,000' }], { body: { password: 'p' } });

  const plainSink = sink();
  const plain = pino({ level: 'info' }, plainSink.stream);
  const sanSink = sink();
  const sanitised = createLogger({ level: 'info', destination: sanSink.stream });

  const rows: Array<[string, number, number]> = [];
  rows.push(['everyday line', perLine(20_000, (i) => plain.info(everyday(i), 'sync run finished')), perLine(20_000, (i) => sanitised.info(everyday(i), 'sync run finished'))]);
  rows.push(['line with an error', perLine(20_000, () => plain.warn({ err: error }, 'request failed')), perLine(20_000, () => sanitised.warn({ err: error }, 'request failed'))]);
  // 50 warm-up lines + 50 measured lines of each.
  const p0 = plainSink.bytes();
  const s0 = sanSink.bytes();
  rows.push(['bad request, 10k-row payload', perLine(50, () => plain.warn({ payload }, 'bad request')), perLine(50, () => sanitised.warn({ payload }, 'bad request'))]);
  for (const [what, a, b] of rows) console.log(`${what.padEnd(30)} plain pino ${a.toFixed(1).padStart(8)} µs/line   sanitised ${b.toFixed(1).padStart(8)} µs/line`);
  console.log(`bytes per 10k-row line: plain ${Math.round((plainSink.bytes() - p0) / 100)}, sanitised ${Math.round((sanSink.bytes() - s0) / 100)}`);
}
