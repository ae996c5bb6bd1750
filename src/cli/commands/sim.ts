import type { Command } from 'commander';

/** `vortex sim <api>`: the simulators of the lexoffice and Cel.ro APIs (demo, tests, load tests). */
export function registerSimCommands(program: Command): void {
  program.command('sim').description('run an API simulator (lexoffice, celro)');
}
