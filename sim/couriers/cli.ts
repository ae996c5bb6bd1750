import type { Command } from 'commander';
import { startFanCourierSim } from './fancourier.ts';
import { startSamedaySim } from './sameday.ts';

const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`expected a port number, got ${v}`);
  return n;
};

function untilSignal(close: () => Promise<void>): void {
  const stop = (): void => void close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `vortex sim fancourier | sameday`: the courier API simulators (admin under /_sim/: awbs, advance, faults). */
export function registerCourierSims(sim: Command): void {
  sim
    .command('fancourier')
    .description('run the FAN Courier API v2 simulator (login, intern-awb, reports/awb/tracking)')
    .option('--port <port>', 'port (0 = any free port)', port, 4040)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      const s = await startFanCourierSim({ port: o.port, host: o.host, ...(process.env.FANCOURIER_SIM_PASSWORD ? { password: process.env.FANCOURIER_SIM_PASSWORD } : {}) });
      console.log(`FAN Courier simulator: ${s.url}  clientId ${s.clientId}  user ${s.username}  admin ${s.url}/_sim/awbs`);
      untilSignal(() => s.close());
    });
  sim
    .command('sameday')
    .description('run the Sameday API simulator (api/authenticate, api/awb, api/client/awb/{awb}/status)')
    .option('--port <port>', 'port (0 = any free port)', port, 4050)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .action(async (o: { port: number; host: string }) => {
      const s = await startSamedaySim({ port: o.port, host: o.host, ...(process.env.SAMEDAY_SIM_PASSWORD ? { password: process.env.SAMEDAY_SIM_PASSWORD } : {}) });
      console.log(`Sameday simulator: ${s.url}  user ${s.username}  pickup point ${s.pickupPoint}  admin ${s.url}/_sim/awbs`);
      untilSignal(() => s.close());
    });
}
