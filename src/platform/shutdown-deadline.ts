import type { Logger } from './logger.ts';

/**
 * The documented shutdown bound: once a stop signal arrived, the process is gone within `seconds`, even
 * if something hangs (a stuck HTTP call, a driver that never closes). Whatever was cut short is safe to
 * cut: a sync run left open is closed as abandoned by the next worker, and its requests stay pending.
 */
export function exitAfter(seconds: number, log: Logger): void {
  const t = setTimeout(() => {
    log.error({ seconds }, 'shutdown did not finish in time; exiting now');
    process.exit(1);
  }, seconds * 1000);
  t.unref();
}
