import type { Command } from 'commander';

/** `vortex map`, `vortex rules …`, `vortex fx …` — registered by the mapping engine (issue 5). */
export function registerMappingCommands(_program: Command): void {}
