import type { Command } from 'commander';

/** `vortex sim celro …` — registered by the Cel.ro simulator (issue 4). */
export function registerCelroSim(_sim: Command): void {}
