import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';

export function registerKeyCommands(program: Command): void {
  program
    .command('keygen')
    .description('print a new random VORTEX_SECRET_KEY (32 bytes, base64)')
    .action(() => {
      console.log(randomBytes(32).toString('base64'));
    });
}
