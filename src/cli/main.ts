import { Command, CommanderError } from 'commander';
import { cliErrorLine } from './error-line.ts';

const program = new Command('vortex')
  .description('Vortex: lexoffice ⇄ Cel.ro integration engine')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

type Register = (program: Command) => void;

/**
 * Each command module, by the top-level commands it registers, in the order `vortex --help` lists them.
 * Loading every module costs seconds (the store, Fastify, pg-boss, the simulators), so a run loads only
 * the module of the command it names; `--help`, no command or a name not in this table loads them all
 * (a module whose command is missing here still works, just without the shortcut).
 */
const MODULES: readonly { readonly commands: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { commands: ['demo'], load: async () => (await import('./commands/demo.ts')).registerDemoCommand },
  { commands: ['start', 'web', 'worker'], load: async () => (await import('./commands/serve.ts')).registerServeCommands },
  { commands: ['migrate'], load: async () => (await import('./commands/migrate.ts')).registerMigrateCommand },
  { commands: ['tenant'], load: async () => (await import('./commands/tenant.ts')).registerTenantCommands },
  { commands: ['user'], load: async () => (await import('./commands/user.ts')).registerUserCommands },
  { commands: ['keygen'], load: async () => (await import('./commands/key.ts')).registerKeyCommands },
  { commands: ['map', 'rules', 'fx'], load: async () => (await import('./commands/mapping.ts')).registerMappingCommands },
  { commands: ['stock'], load: async () => (await import('./commands/stock.ts')).registerStockCommands },
  { commands: ['sync'], load: async () => (await import('./commands/sync.ts')).registerSyncCommand },
  { commands: ['orders'], load: async () => (await import('./commands/orders.ts')).registerOrdersCommand },
  { commands: ['alerts'], load: async () => (await import('./commands/alerts.ts')).registerAlertsCommand },
  { commands: ['sim'], load: async () => (await import('./commands/sim.ts')).registerSimCommands },
];

try {
  const named = process.argv[2];
  const one = MODULES.find((m) => named !== undefined && m.commands.includes(named));
  const registers = await Promise.all((one ? [one] : MODULES).map((m) => m.load()));
  for (const register of registers) register(program);
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  console.error(cliErrorLine(e));
  // The stack only when asked for: LOG_LEVEL=debug (or trace).
  if (/^(debug|trace)$/i.test(process.env.LOG_LEVEL ?? '') && e instanceof Error && e.stack) console.error(e.stack);
  process.exit(1);
}
