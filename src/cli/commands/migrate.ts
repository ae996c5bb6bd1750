import type { Command } from 'commander';
import { loadConfig } from '../../platform/config.ts';
import { migrate } from '../../store/migrate.ts';
import { openStore } from '../../store/open.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations and exit (safe to run from several processes at once)')
    .action(async () => {
      const config = loadConfig();
      const db = await openStore(config.store, 'vortex-migrate');
      try {
        const { applied } = await migrate(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await db.close();
      }
    });
}
