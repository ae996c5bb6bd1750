import { errorMessage } from '../core/errors.ts';

/**
 * What the CLI prints for a failure: one line, `vortex: <what went wrong>`, never a stack trace
 * (LOG_LEVEL=debug adds it). A validation error's first issues are part of its message already;
 * a system error keeps its code (ENOENT …) and the path it was about.
 */
export function cliErrorLine(e: unknown): string {
  const msg = errorMessage(e).split('\n').map((l) => l.trim()).filter(Boolean).join(' · ');
  return `vortex: ${msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg}`;
}
