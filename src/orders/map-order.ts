import { parseCelroOrder, toCanonicalOrder, type StatusMeaning } from '../connectors/celro/orders.ts';
import { errorMessage, NotFoundError } from '../core/errors.ts';
import type { Order } from '../core/types.ts';
import type { MappingEngine } from '../mapping/engine.ts';
import { orderLineInput } from '../mapping/inputs.ts';
import type { Queryable } from '../store/db.ts';
import { contactDraft, oneTimeAddress, type ContactAddress, type ContactDraft } from './contact-plan.ts';
import type { QuarantineReason } from './transitions.ts';
import { DEFAULT_DOCUMENT_RULES, planVoucher, type ResolvedArticle, type VoucherPlan } from './voucher-plan.ts';

/** What the mapping step stores on the order: everything the later steps need, so they never re-map. */
export interface MappedOrder {
  readonly voucher: VoucherPlan;
  readonly contact: ContactDraft;
  readonly address: ContactAddress & { readonly name: string };
  readonly email: string | null;
  readonly reservations: ReadonlyArray<{ sku: string; quantity: number }>;
}

export type MapResult =
  | { readonly ok: true; readonly mapped: MappedOrder; readonly ruleVersionId: number | null; readonly issues: readonly string[] }
  | { readonly ok: false; readonly code: QuarantineReason; readonly message: string; readonly issues: readonly string[] };

/** The canonical order from a stored raw payload (throws a ValidationError for an unusable payload). */
export function canonicalOrder(raw: unknown, channelOrderId: string, meaning: StatusMeaning, email?: string | null): { order: Order; issues: readonly string[] } {
  const parsed = parseCelroOrder(raw, channelOrderId);
  // The buyer's e-mail comes from orders/getOrderEmail when getOrder has none.
  const withEmail = !parsed.email && email ? { ...parsed, email } : parsed;
  return { order: toCanonicalOrder(withEmail, () => meaning), issues: parsed.issues };
}

/** Units an order takes from stock: its item lines with a SKU and a whole positive quantity, per SKU. */
export function reservationsOf(order: Order): Array<{ sku: string; quantity: number }> {
  const per = new Map<string, number>();
  for (const l of order.lines) {
    const q = Number(l.quantity);
    if (l.kind !== 'item' || !l.sku || !Number.isInteger(q) || q <= 0) continue;
    per.set(l.sku, (per.get(l.sku) ?? 0) + q);
  }
  return [...per].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Map one stored order with the tenant's active order rule set: parse, evaluate every line, resolve
 * item lines to lexoffice articles from the stored catalog, plan the voucher. Everything that stops the
 * import comes back as a quarantine reason with a message a merchant can act on.
 */
export async function mapOrder(deps: { db: Queryable; engine: MappingEngine }, tenantId: string, raw: unknown, channelOrderId: string, meaning: StatusMeaning, email?: string | null): Promise<MapResult> {
  let order: Order;
  let issues: readonly string[];
  try {
    ({ order, issues } = canonicalOrder(raw, channelOrderId, meaning, email));
  } catch (e) {
    return { ok: false, code: 'bad_payload', message: `the order cannot be read: ${errorMessage(e)}`, issues: [] };
  }
  const fatal = issues.filter((i) => /no products list|no billing address|no unit price|no quantity|no date/.test(i));
  if (order.lines.length === 0) return { ok: false, code: 'bad_payload', message: 'the order has no lines', issues };
  if (fatal.length) return { ok: false, code: 'bad_payload', message: `the order payload lacks what a document needs: ${fatal.join('; ')}`, issues };

  let act: Awaited<ReturnType<MappingEngine['active']>>;
  let results;
  try {
    act = await deps.engine.active(tenantId, 'order');
    results = await deps.engine.evaluateMany(tenantId, 'order', order.lines.map((l) => orderLineInput(order, l)));
  } catch (e) {
    if (e instanceof NotFoundError) return { ok: false, code: 'rule_error', message: errorMessage(e), issues };
    throw e;
  }
  const failed = results.map((r, i) => ({ r, i })).filter((x) => !x.r.ok);
  if (failed.length) {
    const first = failed[0]!;
    const err = first.r.ok ? null : first.r.error;
    const missingRate = failed.some((x) => !x.r.ok && x.r.error.op === 'fx');
    const line = order.lines[first.i]!;
    return {
      ok: false,
      code: missingRate ? 'missing_rate' : 'rule_error',
      message: `line ${first.i + 1} (${line.sku ?? line.title}), field ${err?.field}: ${err?.message}${failed.length > 1 ? ` (and ${failed.length - 1} more line(s))` : ''}`,
      issues,
    };
  }

  // Item lines → lexoffice articles: the rule's `article` field names the article number (null = custom line).
  const articles = new Map<string, ResolvedArticle | null>();
  const unknown: string[] = [];
  for (const [i, line] of order.lines.entries()) {
    if (line.kind !== 'item') continue;
    const r = results[i]!;
    const number = r.ok ? r.fields.article : undefined;
    if (number === null || number === undefined || number === '') {
      articles.set(line.lineId, null);
      continue;
    }
    const row = await deps.db.maybeOne<{ source_id: string | null; kind: string | null; archived: boolean }>(
      "SELECT source_id, product->>'kind' AS kind, archived FROM catalog_products WHERE tenant_id = $1 AND sku = $2",
      [tenantId, String(number)],
    );
    if (!row?.source_id) unknown.push(line.sku ?? String(number));
    else articles.set(line.lineId, { id: row.source_id, type: row.kind === 'service' ? 'service' : 'material' });
  }
  if (unknown.length) {
    return { ok: false, code: 'unknown_sku', message: `no lexoffice article for SKU ${unknown.join(', ')}: add it in lexoffice (and let the catalog sync read it) or map it in the order rule set's sku-to-article lookup`, issues };
  }
  const document = act.compiled.document.document ?? DEFAULT_DOCUMENT_RULES;
  const planned = planVoucher({ order, results: results.map((r) => (r.ok ? { fields: r.fields, fx: r.lineage.fx } : { fields: {}, fx: [] })), articles, document });
  if (!planned.ok) return { ok: false, code: planned.code, message: planned.message, issues };
  return {
    ok: true,
    ruleVersionId: act.versionId,
    issues,
    mapped: {
      voucher: planned.plan,
      contact: contactDraft(order.customer, order.channelOrderId),
      address: oneTimeAddress(order.customer),
      email: order.customer.email?.trim() || null,
      reservations: reservationsOf(order),
    },
  };
}
