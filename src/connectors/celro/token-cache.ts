import type { Db } from '../../store/db.ts';

/** Seals the token at rest when Vortex has a secret key (SecretBox from src/tenants satisfies it). */
export interface TokenSealer {
  seal(plaintext: string): string;
  open(envelope: string): string;
}

/**
 * Login tokens per Cel.ro account in the store, so every worker process reuses one token instead of
 * each logging in (CEL documents sharing a token between tools as intended).
 */
export class StoreTokenCache {
  constructor(
    private readonly db: Db,
    private readonly sealer?: TokenSealer,
  ) {}

  async get(accountKey: string): Promise<string | undefined> {
    const row = await this.db.maybeOne<{ token_enc: string }>('SELECT token_enc FROM celro_tokens WHERE account_key = $1', [accountKey]);
    if (!row) return undefined;
    try {
      return this.sealer ? this.sealer.open(row.token_enc) : row.token_enc;
    } catch {
      return undefined; // sealed under another key: log in again and overwrite
    }
  }

  async set(accountKey: string, token: string): Promise<void> {
    const stored = this.sealer ? this.sealer.seal(token) : token;
    await this.db.query(
      `INSERT INTO celro_tokens (account_key, token_enc, obtained_at) VALUES ($1, $2, now())
       ON CONFLICT (account_key) DO UPDATE SET token_enc = EXCLUDED.token_enc, obtained_at = now()`,
      [accountKey, stored],
    );
  }

  async delete(accountKey: string): Promise<void> {
    await this.db.query('DELETE FROM celro_tokens WHERE account_key = $1', [accountKey]);
  }
}
