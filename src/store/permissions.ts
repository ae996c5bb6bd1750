import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The embedded database, its lock and the secret key file are the merchant's data and credentials:
 * only the user running Vortex may read them. Directories 0700, files 0600 — for what this process
 * creates from now on (umask 077) and for anything an earlier version left more open.
 */
export async function restrictDataDir(dir: string): Promise<void> {
  process.umask(0o077);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await tighten(dir);
}

/**
 * PGlite's file layer creates its files 0666 whatever the umask; they sit inside the 0700 directory,
 * so no other user can reach them, and this brings them to 0600 (called after open and on close).
 */
export async function tightenFiles(dir: string): Promise<void> {
  await tighten(dir);
}

async function tighten(p: string): Promise<void> {
  const st = await fs.lstat(p).catch(() => null);
  if (!st || st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    if ((st.mode & 0o777) !== 0o700) await fs.chmod(p, 0o700);
    for (const name of await fs.readdir(p)) await tighten(path.join(p, name));
  } else if ((st.mode & 0o077) !== 0) {
    await fs.chmod(p, 0o600);
  }
}
