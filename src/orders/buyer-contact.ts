import type { ContactInput } from '../connectors/lexoffice/client.ts';
import { UpstreamError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import type { ContactDraft } from './contact-plan.ts';
import { ORDER_LEASE_SECONDS } from './orders-repo.ts';
import type { OrderBooks } from './ports.ts';

/** Another worker is creating this buyer's contact right now: retry shortly (never create a second one). */
export class BuyerBusyError extends UpstreamError {
  constructor(key: string) {
    super(`the lexoffice contact of buyer ${key} is being created by another worker; retrying`, undefined, { key });
  }
}

export function contactInput(d: ContactDraft): ContactInput {
  return {
    roles: { customer: true },
    ...(d.person ? { person: d.person } : {}),
    ...(d.company ? { company: d.company } : {}),
    billingAddress: d.billingAddress,
    ...(d.shippingAddress ? { shippingAddress: d.shippingAddress } : {}),
    ...(d.email ? { email: d.email } : {}),
    ...(d.phone ? { phone: d.phone } : {}),
    note: d.note,
  };
}

/**
 * The buyer's lexoffice contact, found or created exactly once per tenant and buyer key (the e-mail,
 * else the company's CUI). A row per buyer holds the contact id once known, and a short lease while one
 * worker looks it up or creates it, so two orders of one buyer (in any processes) never create two
 * contacts. lexoffice is searched by e-mail before any create, so a create whose answer was lost (a
 * 504 that may have succeeded) is found on the retry instead of repeated.
 */
export async function ensureBuyerContact(
  deps: { db: Db; books: OrderBooks; worker: string; onCall: (call: string, outcome: string) => Promise<void> },
  tenantId: string,
  buyer: { key: string; email: string | null; draft: ContactDraft },
): Promise<{ contactId: string; how: 'known' | 'found' | 'created' }> {
  const key = buyer.key.trim().toLowerCase();
  await deps.db.query('INSERT INTO buyer_contacts (tenant_id, email_key) VALUES ($1, $2) ON CONFLICT DO NOTHING', [tenantId, key]);
  const held = await deps.db.maybeOne<{ contact_id: string | null }>(
    `UPDATE buyer_contacts SET lease_owner = CASE WHEN contact_id IS NULL THEN $3 ELSE lease_owner END,
            lease_until = CASE WHEN contact_id IS NULL THEN now() + make_interval(secs => $4) ELSE lease_until END
     WHERE tenant_id = $1 AND email_key = $2
       AND (contact_id IS NOT NULL OR lease_owner IS NULL OR lease_owner = $3 OR lease_until < now())
     RETURNING contact_id`,
    [tenantId, key, deps.worker, ORDER_LEASE_SECONDS],
  );
  if (!held) throw new BuyerBusyError(key);
  if (held.contact_id) return { contactId: held.contact_id, how: 'known' };
  let contactId: string | undefined;
  let how: 'found' | 'created' = 'found';
  if (buyer.email) {
    const found = await deps.books.findContactsByEmail(buyer.email);
    await deps.onCall('GET /v1/contacts?email=', `${found.length} found`);
    contactId = found[0]?.id;
  }
  if (!contactId) {
    try {
      contactId = (await deps.books.createContact(contactInput(buyer.draft))).id;
      await deps.onCall('POST /v1/contacts', `created ${contactId}`);
      how = 'created';
    } catch (e) {
      await deps.onCall('POST /v1/contacts', `failed: ${(e as Error).message}`);
      throw e;
    }
  }
  await deps.db.query('UPDATE buyer_contacts SET contact_id = $3, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE tenant_id = $1 AND email_key = $2', [tenantId, key, contactId]);
  return { contactId, how };
}
