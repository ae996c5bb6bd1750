import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.ts';
import { checkNewTenant, TenantRepository } from '../../tenants/tenants.ts';
import { onboardTenant } from '../../tenants/onboard.ts';
import { cliActor, withStore } from '../context.ts';

const ACTOR = cliActor();

export function registerTenantCommands(program: Command): void {
  const tenant = program.command('tenant').description('manage tenants (merchants) and their connections');

  tenant
    .command('add <id>')
    .description('create a tenant (with the default DE → RO rule sets active)')
    .requiredOption('--name <name>', 'display name')
    .action(async (id: string, opts: { name: string }) => {
      checkNewTenant({ id, name: opts.name });
      await withStore(async ({ db, box }) => {
        const t = await onboardTenant(db, box, { id, name: opts.name }, ACTOR);
        console.log(`tenant ${t.id} created with the default DE → RO rule sets active`);
      });
    });

  tenant
    .command('list')
    .description('list tenants and their connections (never the credentials)')
    .action(async () => {
      await withStore(async ({ db, box }) => {
        const repo = new TenantRepository(db, box);
        for (const t of await repo.list()) {
          const conns = await repo.listConnections(t.id);
          console.log(`${t.id}\t${t.status}\t${t.name}\t${conns.map((c) => `${c.system}${c.enabled ? '' : '(off)'}`).join(',') || '-'}`);
        }
      });
    });

  tenant
    .command('connect-lexoffice <id>')
    .description('store the tenant’s lexoffice API key (read from LEXOFFICE_API_KEY so it stays out of shell history)')
    .option('--base-url <url>', 'API base URL (default https://api.lexware.io)')
    .action(async (id: string, opts: { baseUrl?: string }) => {
      const apiKey = requireEnv('LEXOFFICE_API_KEY');
      const baseUrl = baseUrlOption(opts.baseUrl);
      await withStore(async ({ db, box }) => {
        await new TenantRepository(db, box).setConnection(id, 'lexoffice', { credentials: { apiKey }, baseUrl }, ACTOR);
        console.log(`lexoffice connection stored for ${id}`);
      });
    });

  tenant
    .command('connect-celro <id>')
    .description('store the tenant’s Cel.ro account (CELRO_USERNAME, CELRO_PASSWORD from the environment)')
    .option('--base-url <url>', 'API base URL (default https://api-mp.cel.ro/market_api/)')
    .action(async (id: string, opts: { baseUrl?: string }) => {
      const username = requireEnv('CELRO_USERNAME');
      const password = requireEnv('CELRO_PASSWORD');
      const baseUrl = baseUrlOption(opts.baseUrl);
      await withStore(async ({ db, box }) => {
        await new TenantRepository(db, box).setConnection(id, 'celro', { credentials: { username, password }, baseUrl }, ACTOR);
        console.log(`Cel.ro connection stored for ${id}`);
      });
    });
}

/** An http(s) base URL, or null for the connector's default. */
function baseUrlOption(v: string | undefined): string | null {
  if (v === undefined) return null;
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    ok = false;
  }
  if (!ok || v.length > 2000) throw new ValidationError(`--base-url must be an http(s) URL, got ${JSON.stringify(v.slice(0, 80))}`, [{ path: '--base-url', message: 'http(s) URL' }]);
  return v;
}

function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}
