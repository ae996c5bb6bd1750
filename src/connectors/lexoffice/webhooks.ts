import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AuthError, ValidationError } from '../../core/errors.ts';
import { type WebhookPayload, webhookPayloadSchema } from './schemas.ts';

export const SIGNATURE_HEADER = 'x-lxo-signature';

/** The public key lexoffice signs callbacks with (PEM); configurable, the simulator has its own. */
export function loadWebhookKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch (e) {
    throw new ValidationError('lexoffice webhook public key is not a valid PEM public key', [{ path: 'publicKey', message: (e as Error).message }]);
  }
}

/**
 * True when `signatureB64` (X-Lxo-Signature) is a valid RSASSA-PKCS1-v1_5 / SHA-512 signature of the
 * raw body bytes — exactly as received, before any JSON parsing (re-serialising could change bytes).
 */
export function verifyWebhookSignature(rawBody: Buffer | string, signatureB64: string | undefined | null, key: KeyObject | string): boolean {
  if (!signatureB64 || !/^[A-Za-z0-9+/=\s]+$/.test(signatureB64)) return false;
  const k = typeof key === 'string' ? loadWebhookKey(key) : key;
  try {
    return verify('sha512', Buffer.from(rawBody), k, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Verify and parse one callback. Unsigned or forged → AuthError (answer 401; lexoffice retries 401, so
 * a real delivery with a rotated key is not lost). Signed but malformed → ValidationError. If
 * `organizationId` is given, a callback for another organisation is refused too.
 */
export function parseWebhook(rawBody: Buffer | string, signatureB64: string | undefined | null, key: KeyObject | string, organizationId?: string): WebhookPayload {
  if (!signatureB64) throw new AuthError('lexoffice webhook without X-Lxo-Signature');
  if (!verifyWebhookSignature(rawBody, signatureB64, key)) throw new AuthError('lexoffice webhook signature does not verify');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new ValidationError('lexoffice webhook body is not JSON', [{ path: '', message: 'invalid JSON' }], { body: Buffer.from(rawBody).toString('utf8').slice(0, 2000) });
  }
  const r = webhookPayloadSchema.safeParse(json);
  if (!r.success) {
    throw new ValidationError('lexoffice webhook payload has an unexpected shape', r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })), { body: json });
  }
  if (organizationId !== undefined && r.data.organizationId !== organizationId) {
    throw new AuthError('lexoffice webhook for another organisation', { organizationId: r.data.organizationId });
  }
  return r.data;
}
