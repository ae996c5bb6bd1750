/**
 * The import state machine of one channel order (pure). Each state is committed before the next step
 * starts, so a crash resumes at the step it stopped:
 *
 *   received → mapped | quarantined
 *   mapped → contact_ensured
 *   contact_ensured → document_pending   (the intent is persisted before the POST)
 *   document_pending → document_created | needs_review (several candidates) | quarantined (406)
 *   document_created → acknowledged
 *   any state before a finished import → cancelled; quarantined/needs_review → replayed.
 */
export const ORDER_STATES = [
  'received',
  'mapped',
  'quarantined',
  'contact_ensured',
  'document_pending',
  'document_created',
  'acknowledged',
  'cancelled',
  'needs_review',
] as const;

export type OrderState = (typeof ORDER_STATES)[number];

/** States where the import stops and waits: done, or for a person (replay after a fix). */
export const RESTING_STATES: readonly OrderState[] = ['acknowledged', 'cancelled', 'quarantined', 'needs_review'];

/** Why an order is quarantined (the merchant fixes the cause, then replays by reason). */
export const QUARANTINE_REASONS = ['unknown_sku', 'rule_error', 'missing_rate', 'lexoffice_refused', 'bad_payload'] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

const NEXT: Readonly<Record<OrderState, readonly OrderState[]>> = {
  received: ['mapped', 'quarantined', 'cancelled'],
  mapped: ['contact_ensured', 'quarantined', 'cancelled', 'received'],
  contact_ensured: ['document_pending', 'quarantined', 'cancelled', 'received'],
  // From pending only through the document's resolution: created (or adopted), refused, ambiguous.
  document_pending: ['document_created', 'needs_review', 'quarantined'],
  document_created: ['acknowledged', 'cancelled'],
  acknowledged: ['cancelled'],
  quarantined: ['received', 'cancelled'],
  // A replay of an ambiguous document goes back to resolving the same intent (never a blind re-create).
  needs_review: ['document_pending', 'document_created', 'cancelled'],
  cancelled: [],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OrderState,
    readonly to: OrderState,
  ) {
    super(`order state ${from} → ${to} is not a legal transition`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(from: OrderState, to: OrderState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

export function isResting(state: OrderState): boolean {
  return RESTING_STATES.includes(state);
}

/**
 * Where a replay starts: a quarantined order is read and mapped again from scratch; an order waiting
 * for review goes back to resolving its document intent (search by marker, never a blind re-create).
 * Other states are not replayable (null).
 */
export function replayTarget(state: OrderState): OrderState | null {
  if (state === 'quarantined') return 'received';
  if (state === 'needs_review') return 'document_pending';
  return null;
}

/** What cancelling an order in this state means (pure decision; the use case executes it). */
export type CancellationPlan =
  | { readonly kind: 'before-document' }
  | { readonly kind: 'resolve-first' }
  | { readonly kind: 'draft'; readonly action: string }
  | { readonly kind: 'credit-note' }
  | { readonly kind: 'action-item'; readonly action: string }
  | { readonly kind: 'already-cancelled' };

export function planCancellation(
  state: OrderState,
  doc: { readonly type: string | null; readonly status: string | null; readonly number: string | null },
  settings: { readonly creditNoteOnCancel: boolean },
): CancellationPlan {
  if (state === 'cancelled') return { kind: 'already-cancelled' };
  if (state === 'document_pending' || state === 'needs_review') return { kind: 'resolve-first' };
  if (state !== 'document_created' && state !== 'acknowledged') return { kind: 'before-document' };
  const what = `${doc.type === 'orderconfirmation' ? 'order confirmation' : 'invoice'} ${doc.number ?? ''}`.trim();
  if (doc.status === 'draft') {
    // lexoffice has no API to delete or void a draft: flag it so a person discards it.
    return { kind: 'draft', action: `the order was cancelled on Cel.ro: discard the draft ${what} in lexoffice` };
  }
  if (doc.type === 'invoice' && settings.creditNoteOnCancel) return { kind: 'credit-note' };
  if (doc.type === 'invoice') return { kind: 'action-item', action: `the order was cancelled on Cel.ro after ${what} was finalized: issue a credit note in lexoffice (or enable creditNoteOnCancel)` };
  return { kind: 'action-item', action: `the order was cancelled on Cel.ro after ${what} was finalized: cancel it in lexoffice` };
}
