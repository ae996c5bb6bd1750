import type { Command } from 'commander';
import { registerLexofficeSim } from '../../../sim/lexoffice/cli.ts';
import { registerCelroSim } from '../../../sim/celro/cli.ts';

/** `vortex sim <api>`: the simulators of the lexoffice and Cel.ro APIs (demo, tests, load tests). */
export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('run an API simulator (lexoffice, celro)');
  registerLexofficeSim(sim);
  registerCelroSim(sim);
}
