import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import { loadConfig } from '../../platform/config.ts';
import { apiClient } from '../api-client.ts';

interface AlertLine {
  id: number;
  tenantId: string;
  kind: string;
  subject: string;
  summary: string;
  state: 'open' | 'resolved';
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  deliveries: Array<{ channel: string; event: string; status: string; lastError: string | null }>;
}

const STATES = ['open', 'resolved', 'all'] as const;

/** One line per alert: when, tenant, kind, summary, and whether its notifications went out. */
function row(a: AlertLine): string {
  const pending = a.deliveries.filter((d) => d.status === 'pending');
  const delivery = a.deliveries.length === 0 ? 'not sent (no destination)' : pending.length ? `${pending.length} delivery pending${pending[0]!.lastError ? `: ${pending[0]!.lastError}` : ''}` : 'sent';
  const when = a.state === 'resolved' ? `resolved ${a.resolvedAt ?? ''}` : `since ${a.firstSeen}`;
  return `${a.tenantId.padEnd(16)} ${a.kind.padEnd(14)} ${a.summary}  (${when}; ${delivery})`;
}

/** `vortex alerts [--tenant id] [--state open|resolved|all]`: alerts through the running Vortex's API. */
export function registerAlertsCommand(program: Command): void {
  program
    .command('alerts')
    .description('open alerts (stalled or disconnected connections, action items) of every tenant or one (through the running Vortex)')
    .option('--tenant <id>', 'only this tenant')
    .option('--state <state>', 'open, resolved or all', 'open')
    .option('--limit <n>', 'at most this many', '100')
    .option('--url <url>', 'base URL of the running Vortex (default http://127.0.0.1:$PORT)')
    .option('--json', 'print JSON')
    .action(async (opts: { tenant?: string; state: string; limit: string; url?: string; json?: boolean }) => {
      if (!(STATES as readonly string[]).includes(opts.state)) throw new ValidationError(`--state must be ${STATES.join(', ')}, got "${opts.state.slice(0, 40)}"`, [{ path: '--state', message: 'unknown' }]);
      const api = apiClient(loadConfig(), opts.url);
      const q = new URLSearchParams({ state: opts.state, limit: opts.limit });
      const path = opts.tenant === undefined ? `/api/alerts?${q}` : `/api/tenants/${encodeURIComponent(opts.tenant)}/alerts?${q}`;
      const out = await api<{ alerts: AlertLine[] }>('GET', path);
      if (opts.json) return console.log(JSON.stringify(out, null, 2));
      if (out.alerts.length === 0) return console.log(opts.state === 'open' ? 'no open alerts' : 'no alerts');
      for (const a of out.alerts) console.log(row(a));
    });
}
