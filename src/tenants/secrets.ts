import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, SecretError } from '../core/errors.ts';

/**
 * Credentials at rest: AES-256-GCM with a random 96-bit IV per value. The stored envelope is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts); keyId is a short fingerprint of the key so
 * a value sealed under another key is reported as such instead of as "tampered".
 */
export interface SecretBox {
  readonly keyId: string;
  seal(plaintext: string): string;
  open(envelope: string): string;
  sealJson(value: unknown): string;
  openJson<T = unknown>(envelope: string): T;
}

export function createSecretBox(keyBase64: string): SecretBox {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new ConfigError('VORTEX_SECRET_KEY must be 32 bytes, base64-encoded', ['VORTEX_SECRET_KEY']);
  const keyId = createHash('sha256').update(key).digest('base64url').slice(0, 8);

  const seal = (plaintext: string): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`v1.${keyId}`));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  };

  const open = (envelope: string): string => {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretError('encrypted value is malformed (expected a v1 envelope)');
    const [, id, iv, tag, ct] = parts as [string, string, string, string, string];
    if (id !== keyId) throw new SecretError(`encrypted value was sealed with another key (key id ${id}, current ${keyId}); set the VORTEX_SECRET_KEY it was written with`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`v1.${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretError('encrypted value failed authentication: it was tampered with or corrupted');
    }
  };

  return {
    keyId,
    seal,
    open,
    sealJson: (value) => seal(JSON.stringify(value)),
    openJson: <T>(envelope: string) => JSON.parse(open(envelope)) as T,
  };
}

export const KEY_FILE_NAME = 'secret.key';

/**
 * The key for embedded mode when VORTEX_SECRET_KEY is not set: generated once into the data dir with
 * 0600 permissions. `generated` tells the caller to warn (once) that the key lives beside the data.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<{ key: string; generated: boolean; file: string }> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  await fs.mkdir(dataDir, { recursive: true });
  try {
    const key = (await fs.readFile(file, 'utf8')).trim();
    if (Buffer.from(key, 'base64').length !== 32) throw new ConfigError(`key file ${file} does not hold a 32-byte base64 key`);
    return { key, generated: false, file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32).toString('base64');
  try {
    // 'wx': never overwrite a key another process wrote a moment ago — that would orphan its secrets.
    await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return { key, generated: true, file };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyFile(dataDir);
    throw e;
  }
}

/** Resolve the secret key from config: the env key, or (embedded only) the key file. */
export async function resolveSecretKey(opts: {
  envKey: string | undefined;
  storeKind: 'pglite' | 'postgres';
  dataDir: string;
  warn: (msg: string) => void;
}): Promise<string> {
  if (opts.envKey) return opts.envKey;
  if (opts.storeKind === 'postgres') {
    throw new ConfigError(
      'VORTEX_SECRET_KEY is required with DATABASE_URL: every process sharing the database must use the same key (openssl rand -base64 32)',
      ['VORTEX_SECRET_KEY'],
    );
  }
  const { key, generated, file } = await loadOrCreateKeyFile(opts.dataDir);
  if (generated) {
    opts.warn(`VORTEX_SECRET_KEY is not set: generated a key into ${file} (mode 0600). Back it up with the data; without it stored credentials cannot be read.`);
  }
  return key;
}
