import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { StoreError } from '../core/errors.ts';

/** Who holds a data directory: enough to tell, on the same host, whether that process still lives. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** The process's start time (Linux: clock ticks since boot, /proc/<pid>/stat field 22); null elsewhere. */
  readonly started: string | null;
  readonly since: string;
}

/** The start time of a process, or null when it does not exist (or the platform cannot tell). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Pure: is the recorded owner certainly gone? Only decidable on the same host: the pid is not running,
 * or it runs but started at another time (the pid was reused after the owner died).
 */
export function ownerIsGone(owner: LockOwner, probe: { host: string; alive(pid: number): boolean; startTime(pid: number): string | null }): boolean {
  if (owner.host !== probe.host) return false;
  if (!probe.alive(owner.pid)) return true;
  if (owner.started === null) return false;
  const now = probe.startTime(owner.pid);
  return now !== null && now !== owner.started;
}

const localProbe = { host: os.hostname(), alive, startTime: processStartTime };

/**
 * An exclusive lock on a data directory: a file `<dir>.lock` created atomically with its owner's
 * identity. A lock left by a process that died (SIGKILL, power loss) is taken over at once, because the
 * owner's pid and start time prove it gone — no waiting for a staleness timeout. A live owner, or one
 * on another host (a shared disk), is never displaced.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = `${dataDir}.lock`;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), started: processStartTime(process.pid), since: new Date().toISOString() };
  const mine = JSON.stringify(me);
  const tmp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await fs.link(tmp, lockPath); // atomic: fails if the lock exists
        return async () => {
          // Remove it only if it is still ours.
          const content = await fs.readFile(lockPath, 'utf8').catch(() => null);
          if (content === mine) await fs.unlink(lockPath).catch(() => {});
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const stat = await fs.stat(lockPath).catch(() => null);
      if (!stat) continue; // released meanwhile: try again
      if (stat.isDirectory()) {
        // The lock of an older Vortex (proper-lockfile: a directory whose mtime its owner refreshed every 5 s).
        if (Date.now() - stat.mtimeMs < 15_000) throw inUse(dataDir, lockPath, null);
        await fs.rm(lockPath, { recursive: true, force: true });
        continue;
      }
      const content = await fs.readFile(lockPath, 'utf8').catch(() => null);
      if (content === null) continue;
      const owner = parseOwner(content);
      // A lock file is created whole (link of a written file), so an unreadable one is not a writer's
      // half-done work: it is foreign or corrupt, and taken over once it is not brand new.
      if (owner ? !ownerIsGone(owner, localProbe) : Date.now() - stat.mtimeMs < 5_000) throw inUse(dataDir, lockPath, owner);
      // The owner is gone: move its lock aside atomically (only one taker wins the rename), then check
      // that what was moved is the lock that was judged, not a new owner's.
      const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
      try {
        await fs.rename(lockPath, aside);
      } catch {
        continue;
      }
      const moved = await fs.readFile(aside, 'utf8').catch(() => null);
      if (moved !== content) await fs.link(aside, lockPath).catch(() => {}); // a new owner's: put it back
      await fs.unlink(aside).catch(() => {});
      process.emitWarning(`took over the embedded database lock ${lockPath} from a process that is gone (${owner ? `pid ${owner.pid}` : 'unreadable owner'})`);
    }
    throw new StoreError(`could not lock the embedded database in ${dataDir} (lock ${lockPath}): it kept changing hands`);
  } finally {
    await fs.unlink(tmp).catch(() => {});
  }
}

function inUse(dataDir: string, lockPath: string, owner: LockOwner | null): StoreError {
  const who = owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : '';
  return new StoreError(
    `the embedded database in ${dataDir} is already in use by another Vortex process${who}; lock ${lockPath}. ` +
      'Stop that process, use a different VORTEX_DATA_DIR, or set DATABASE_URL to a PostgreSQL server to run several processes.',
  );
}

function parseOwner(content: string): LockOwner | null {
  try {
    const o = JSON.parse(content) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string') return { pid: o.pid, host: o.host, started: typeof o.started === 'string' ? o.started : null, since: String(o.since ?? '?') };
  } catch {
    // not ours
  }
  return null;
}
