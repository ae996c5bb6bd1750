import { Command, CommanderError } from 'commander';
import { ConfigError, isVortexError } from '../core/errors.ts';
import { registerServeCommands } from './commands/serve.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerTenantCommands } from './commands/tenant.ts';
import { registerSimCommands } from './commands/sim.ts';
import { registerKeyCommands } from './commands/key.ts';
import { registerMappingCommands } from './commands/mapping.ts';
import { registerStockCommands } from './commands/stock.ts';
import { registerSyncCommand } from './commands/sync.ts';
import { registerDemoCommand } from './commands/demo.ts';

const program = new Command('vortex')
  .description('Vortex: lexoffice ⇄ Cel.ro integration engine')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerDemoCommand(program);
registerServeCommands(program);
registerMigrateCommand(program);
registerTenantCommands(program);
registerKeyCommands(program);
registerMappingCommands(program);
registerStockCommands(program);
registerSyncCommand(program);
registerSimCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  // Known errors print one clear line (plus the variables for config errors); unknown ones the stack.
  if (e instanceof ConfigError || isVortexError(e)) console.error(`vortex: ${e.message}`);
  else console.error(e);
  process.exit(1);
}
