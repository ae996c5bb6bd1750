import type { Command } from 'commander';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { exitAfter } from '../../platform/shutdown-deadline.ts';

/** `vortex demo` (what `npm start` runs): Vortex plus simulators of everything it talks to. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Vortex with in-process lexoffice, Cel.ro and rate-feed simulators and a connected demo tenant (npm start)')
    .option('-p, --port <port>', 'HTTP port (PORT)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
      const log = createLogger({ level: config.log.level });
      // Loaded when the command runs: the simulators and the app are not needed to print help or refuse a flag.
      const { startDemo, DEMO_TENANT } = await import('../../demo/start-demo.ts');
      const demo = await startDemo(config, log);
      // Listen for the stop signals before saying we run: a SIGTERM right after the banner must stop us
      // gracefully, not kill us (with no listener the default action ends the process at once).
      const stopped = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      // A real article to try a price change on (the seeded catalog's first listable product).
      const sample = ([...demo.lexoffice.state().articles.values()] as unknown as Array<{ id: string; articleNumber: string | null; type: string; archived: boolean }>).find(
        (a) => a.articleNumber && a.type === 'PRODUCT' && !a.archived,
      );
      const lines = [
        '',
        'Vortex demo is running:',
        `  Vortex web + API      ${demo.webUrl}   (health ${demo.webUrl}/healthz, runs ${demo.webUrl}/api/tenants/${DEMO_TENANT}/runs)`,
        `  lexoffice simulator   ${demo.lexoffice.url}/v1/   API key ${demo.lexoffice.apiKey}   admin ${demo.lexoffice.url}/_sim/`,
        `  Cel.ro simulator      ${demo.celro.url}   user demo / password demo   admin ${demo.celro.origin}/_sim/`,
        `  rate feed simulator   ${demo.fx.url}/nbrfxrates.xml`,
        `  FAN Courier simulator ${demo.fan.url}   admin ${demo.fan.url}/_sim/awbs`,
        `  Panel                 ${demo.webUrl}/   operator ${demo.users.operator}, merchant ${demo.users.merchant} (tenant ${DEMO_TENANT})`,
        config.demo.adminPassword
          ? '                        password: the value of VORTEX_ADMIN_PASSWORD'
          : demo.users.password
            ? `                        password ${demo.users.password}   (shown once, not stored in clear: change it after logging in)`
            : '                        password: the one printed at the first start (`vortex user password <email>` sets a new one)',
        `  tenant "${DEMO_TENANT}", data in ${config.store.kind === 'pglite' ? config.store.dataDir : 'DATABASE_URL'}`,
        '',
        `Try: curl -s ${demo.celro.origin}/_sim/products | head -c 600`,
        `     curl -s -X POST ${demo.lexoffice.url}/_sim/articles/${sample?.id ?? '<article id>'}/change   (article ${sample?.articleNumber ?? '?'}: +1.00 EUR; the price reaches Cel.ro in seconds)`,
        `     curl -s ${demo.celro.origin}/_sim/products/${sample?.articleNumber ?? '<sku>'}   (watch it there)`,
        config.demo.ordersEveryMinutes > 0
          ? `Orders: a customer buys every ${config.demo.ordersEveryMinutes} min; each goes into lexoffice, gets its invoice PDF, a FAN Courier AWB and is delivered: npx vortex orders list --tenant ${DEMO_TENANT}`
          : `Orders: place one with curl -s -X POST ${demo.celro.origin}/_sim/orders -d '{"lines":[{"model":"<sku>","quantity":1}]}', then npx vortex orders list --tenant ${DEMO_TENANT}`,
        '',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      log.info({ web: demo.webUrl, lexoffice: demo.lexoffice.url, celro: demo.celro.url }, 'vortex demo running');
      await stopped;
      exitAfter(config.shutdownTimeoutSeconds, log);
      await demo.stop();
    });
}
