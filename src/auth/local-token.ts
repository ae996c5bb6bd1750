import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The machine token for this installation's own CLI. Once panel users exist, the API answers only to a
 * session or a token, from any address; without VORTEX_API_TOKEN the web process writes a random token
 * into the data directory (mode 0600) and the CLI on the same machine reads it from there.
 */
const FILE = 'api-token';

export function localTokenFile(dataDir: string): string {
  return path.join(dataDir, FILE);
}

export function readLocalToken(dataDir: string): string | undefined {
  try {
    const t = readFileSync(localTokenFile(dataDir), 'utf8').trim();
    return t.length >= 32 ? t : undefined;
  } catch {
    return undefined;
  }
}

export function loadOrCreateLocalToken(dataDir: string): string {
  const existing = readLocalToken(dataDir);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(localTokenFile(dataDir), `${token}\n`, { mode: 0o600 });
  return token;
}
