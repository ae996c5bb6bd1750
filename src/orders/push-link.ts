import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { SecretBox } from '../tenants/secrets.ts';

const hash = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The tenant's Cel.ro push secret (the last path segment of its API link): created once, random,
 * stored sealed (to show the link again) and hashed (to check a call without opening the seal).
 */
export async function pushSecret(db: Db, box: SecretBox, tenantId: string): Promise<string> {
  const row = await db.maybeOne<{ push_secret_sealed: string | null }>('SELECT push_secret_sealed FROM order_intake WHERE tenant_id = $1', [tenantId]);
  if (row?.push_secret_sealed) return box.open(row.push_secret_sealed);
  const secret = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO order_intake (tenant_id, push_secret_hash, push_secret_sealed) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id) DO UPDATE SET push_secret_hash = $2, push_secret_sealed = $3, updated_at = now() WHERE order_intake.push_secret_sealed IS NULL`,
    [tenantId, hash(secret), box.seal(secret)],
  );
  const sealed = (await db.one<{ push_secret_sealed: string }>('SELECT push_secret_sealed FROM order_intake WHERE tenant_id = $1', [tenantId])).push_secret_sealed;
  return box.open(sealed);
}

/** The API link template Cel.ro calls: `$1$` = alert type, `$2$` = alert value (JSON). */
export function pushLinkTemplate(publicUrl: string, tenantId: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/celro/${encodeURIComponent(tenantId)}/${secret}?type=$1$&value=$2$`;
}

/** Does this secret belong to this tenant? (constant-time; false for an unknown tenant.) */
export async function pushSecretMatches(db: Db, tenantId: string, secret: string): Promise<boolean> {
  if (secret.length > 200) return false;
  const row = await db.maybeOne<{ push_secret_hash: string | null }>('SELECT push_secret_hash FROM order_intake WHERE tenant_id = $1', [tenantId]);
  if (!row?.push_secret_hash) return false;
  const a = Buffer.from(row.push_secret_hash, 'hex');
  const b = Buffer.from(hash(secret), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
