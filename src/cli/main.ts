import { Command, CommanderError } from 'commander';
import { cliErrorLine } from './error-line.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerTenantCommands } from './commands/tenant.ts';
import { registerSimCommands } from './commands/sim.ts';
import { registerKeyCommands } from './commands/key.ts';
import { registerMappingCommands } from './commands/mapping.ts';
import { registerStockCommands } from './commands/stock.ts';
import { registerSyncCommand } from './commands/sync.ts';
import { registerOrdersCommand } from './commands/orders.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerUserCommands } from './commands/user.ts';

const program = new Command('vortex')
  .description('Vortex: lexoffice ⇄ Cel.ro integration engine')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerDemoCommand(program);
registerServeCommands(program);
registerMigrateCommand(program);
registerTenantCommands(program);
registerUserCommands(program);
registerKeyCommands(program);
registerMappingCommands(program);
registerStockCommands(program);
registerSyncCommand(program);
registerOrdersCommand(program);
registerSimCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  console.error(cliErrorLine(e));
  // The stack only when asked for: LOG_LEVEL=debug (or trace).
  if (/^(debug|trace)$/i.test(process.env.LOG_LEVEL ?? '') && e instanceof Error && e.stack) console.error(e.stack);
  process.exit(1);
}
