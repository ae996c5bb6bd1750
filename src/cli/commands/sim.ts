import type { Command } from 'commander';
import { registerLexofficeSim } from '../../../sim/lexoffice/cli.ts';
import { registerCelroSim } from '../../../sim/celro/cli.ts';
import { registerCourierSims } from '../../../sim/couriers/cli.ts';

/** `vortex sim <api>`: the simulators of the lexoffice, Cel.ro and courier APIs (demo, tests, load tests). */
export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('run an API simulator (lexoffice, celro, fancourier, sameday)');
  registerLexofficeSim(sim);
  registerCelroSim(sim);
  registerCourierSims(sim);
}
