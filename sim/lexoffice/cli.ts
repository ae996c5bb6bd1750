import type { Command } from 'commander';

/** `vortex sim lexoffice …` — registered by the lexoffice simulator (issue 3). */
export function registerLexofficeSim(_sim: Command): void {}
