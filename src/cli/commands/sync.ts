import type { Command } from 'commander';
import { loadConfig } from '../../platform/config.ts';

/**
 * `vortex sync`: ask the running Vortex (through its API) for an on-demand run. Going through the API
 * works in every mode, including the embedded database that only the running process may open.
 */
export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('request an on-demand sync of a tenant from the running Vortex (queued behind a run in progress)')
    .requiredOption('--tenant <id>', 'tenant id')
    .option('--what <what>', 'catalog | stock | all | reconcile', 'all')
    .option('--url <url>', 'base URL of the running Vortex (default http://127.0.0.1:$PORT)')
    .action(async (opts: { tenant: string; what: string; url?: string }) => {
      const config = loadConfig();
      const base = opts.url ?? `http://127.0.0.1:${config.http.port}`;
      const res = await fetch(`${base}/api/tenants/${encodeURIComponent(opts.tenant)}/sync`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(config.apiToken ? { authorization: `Bearer ${config.apiToken}` } : {}) },
        body: JSON.stringify({ what: opts.what }),
      }).catch((e: unknown) => {
        throw new Error(`cannot reach Vortex at ${base} (is it running?): ${(e as Error).message}`);
      });
      const body = (await res.json().catch(() => ({}))) as { error?: { message: string }; requested?: string[]; queued?: boolean };
      if (!res.ok) throw new Error(`sync request refused (${res.status}): ${body.error?.message ?? 'no details'}`);
      console.log(`requested ${body.requested?.join(' + ')} for ${opts.tenant}${body.queued ? '' : ' (joined the run already queued)'}`);
    });
}
