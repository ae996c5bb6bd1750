import type { Command } from 'commander';
import { sleep } from '../../core/clock.ts';
import { ValidationError } from '../../core/errors.ts';
import { loadConfig } from '../../platform/config.ts';
import type { RequestProgress } from '../../sync/follow-request.ts';
import { apiClient } from '../api-client.ts';

/**
 * `vortex sync`: ask the running Vortex (through its API) for an on-demand run, then follow the run
 * that takes the request and print its progress and outcome. Going through the API works in every
 * mode, including the embedded database that only the running process may open.
 * Exit: 0 succeeded, 2 partial (some items failed), 1 failed or not finished in time.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('request an on-demand sync of a tenant from the running Vortex and follow it to the end')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--what <what>', 'catalog | stock | all | reconcile', 'all')
    .option('--url <url>', 'base URL of the running Vortex (default http://127.0.0.1:$PORT)')
    .option('--no-wait', 'return as soon as the request is stored')
    .option('--timeout <seconds>', 'how long to follow the run', '900')
    .action(async (opts: { tenant: string; what: string; url?: string; wait: boolean; timeout: string }) => {
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new ValidationError(`--timeout must be a positive number of seconds, got ${opts.timeout}`);
      const api = apiClient(loadConfig(), opts.url);
      const tenant = encodeURIComponent(opts.tenant);
      const asked = await api<{ requested: string[]; queued: boolean; requestId: number }>('POST', `/api/tenants/${tenant}/sync`, { what: opts.what });
      console.log(`requested ${asked.requested.join(' + ')} for ${opts.tenant} (request ${asked.requestId}${asked.queued ? '' : ', joined the run already queued'})`);
      if (!opts.wait) return;

      const deadline = Date.now() + timeout * 1000;
      let shown = '';
      for (;;) {
        const p = await api<RequestProgress>('GET', `/api/tenants/${tenant}/sync-requests/${asked.requestId}`);
        const line = describe(p);
        if (line !== shown) console.log(line);
        shown = line;
        if (p.state === 'done' && p.run) {
          process.exitCode = p.run.status === 'succeeded' ? 0 : 2;
          return;
        }
        if (p.state === 'retrying' && p.run && p.run.status === 'failed') {
          process.exitCode = 1;
          return;
        }
        if (Date.now() > deadline) {
          console.log(`still ${p.state} after ${timeout} s; it goes on in Vortex (GET /api/tenants/${opts.tenant}/runs)`);
          process.exitCode = 1;
          return;
        }
        await sleep(1000);
      }
    });
}

/** One line per change of state or counts. */
export function describe(p: RequestProgress): string {
  const counts = p.run
    ? Object.entries(p.run.counts)
        .map(([step, c]) => `${step} ${Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ')}`)
        .join('; ')
    : '';
  switch (p.state) {
    case 'queued':
      return 'queued: waiting for a worker';
    case 'running':
      return `run ${p.run!.id} running${counts ? `: ${counts}` : ''}`;
    case 'done':
      return `run ${p.run!.id} ${p.run!.status}${counts ? `: ${counts}` : ''}${p.run!.status === 'partial' ? ' (failed items: GET /api/tenants/<id>/failures)' : ''}`;
    case 'retrying':
      return `run ${p.run!.id} ${p.run!.status}${p.run!.error ? `: ${p.run!.error}` : ''}; the request stays pending and Vortex runs it again`;
    default:
      return 'the request is no longer pending and no run record covers it (removed by retention?)';
  }
}
