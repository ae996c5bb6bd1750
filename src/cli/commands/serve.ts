import type { Command } from 'commander';
import type { Role } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger, redactUrl } from '../../platform/logger.ts';
import { exitAfter } from '../../platform/shutdown-deadline.ts';

/** `vortex start | web | worker`: run Vortex until SIGINT/SIGTERM, then shut down gracefully. */
export function registerServeCommands(program: Command): void {
  const serve = (roles: Role[]) => async (opts: { port?: string }) => {
    const config = loadConfig(opts.port ? { ...process.env, PORT: opts.port } : process.env);
    const log = createLogger({ level: config.log.level });
    if (config.store.kind === 'pglite' && !(roles.includes('web') && roles.includes('worker'))) {
      log.warn('the embedded database allows one process: use `vortex start`, or DATABASE_URL to run web and workers apart');
    }
    const { startApp } = await import('../../app.ts'); // loaded when it runs: help and flag refusals stay fast
    const app = await startApp(config, roles, log);
    const where = config.store.kind === 'postgres' ? redactUrl(config.store.url) : config.store.dataDir;
    const addr = app.web ? `http://${config.http.host}:${String((app.web.server.address() as { port: number }).port)}` : undefined;
    // Listen for the stop signals before saying we run (a SIGTERM right after must stop us gracefully).
    const stopped = new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info({ signal }, 'shutting down');
        exitAfter(config.shutdownTimeoutSeconds, log);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    log.info({ roles, store: config.store.kind, where, web: addr }, 'vortex running');
    await stopped;
    await app.stop();
    log.info('stopped');
  };
  program.command('start').description('web server + worker in one process (the embedded-database default)').option('-p, --port <port>', 'HTTP port (PORT)').action(serve(['web', 'worker']));
  program.command('web').description('HTTP server only (API, webhooks, panel); needs DATABASE_URL to run beside workers').option('-p, --port <port>', 'HTTP port (PORT)').action(serve(['web']));
  program.command('worker').description('job worker only; run several against one DATABASE_URL to share the work').action(serve(['worker']));
}
