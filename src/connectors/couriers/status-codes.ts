import { withoutDiacritics, type TrackingState } from '../../core/shipping.ts';

/**
 * Courier status codes → the canonical tracking state. Pure. Codes confirmed in research/domain.md §3
 * are listed; anything else falls back to the wording of the courier's label (Romanian), and failing
 * that to `in_transit` — a parcel the courier reports on is moving, and the merchant still sees the
 * verbatim label and code on the order.
 */

const FAN: Readonly<Record<string, TrackingState>> = {
  C0: 'picked_up', // Expediție ridicată
  C1: 'in_transit', // preluată spre livrare
  S1: 'out_for_delivery', // în livrare
  S2: 'delivered', // Livrat
  S3: 'in_transit', // avizat: a notice was left, delivery will be tried again
  S4: 'address_problem',
  S5: 'address_problem',
  S10: 'address_problem',
  S19: 'address_problem',
  S20: 'address_problem',
  S6: 'refused', // refuz primire
  S7: 'refused', // refuz plată transport
  S15: 'refused', // refuz predare ramburs
  S16: 'returned', // retur la termen
  S9: 'in_transit', // redirecționat
  S12: 'in_transit', // contactat; livrare ulterioară
};

const SAMEDAY: Readonly<Record<string, TrackingState>> = {
  '1': 'created', // AWB emis / comanda curier primită
  '33': 'out_for_delivery', // în livrare la curier
  '9': 'delivered', // livrată cu succes
};

/** Romanian wording, without diacritics, matched on the label when the code is not known. */
const BY_WORDING: ReadonlyArray<[RegExp, TrackingState]> = [
  [/\b(in livrare|spre livrare la destinatar)\b/, 'out_for_delivery'],
  [/\blivrat[ae]?\b|\blivrata cu succes\b/, 'delivered'],
  [/\brefuz/, 'refused'],
  [/\bretur/, 'returned'],
  [/\b(anulat|anulare)\b/, 'cancelled'],
  [/\badresa (incompleta|gresita)|\bdestinatar (absent|negasit)|\bnecontactabil/, 'address_problem'],
  [/\b(ridicat|preluat de la expeditor)\b/, 'picked_up'],
  [/\b(awb emis|inregistrat)\b/, 'created'],
];

function byWording(label: string): TrackingState | undefined {
  const text = withoutDiacritics(label).toLowerCase();
  return BY_WORDING.find(([re]) => re.test(text))?.[1];
}

export function fanCourierState(code: string, label: string): TrackingState {
  return FAN[code.toUpperCase()] ?? (/^H\d+$/i.test(code) ? 'in_transit' : (byWording(label) ?? 'in_transit'));
}

export function samedayState(statusId: string | number, label: string): TrackingState {
  return SAMEDAY[String(statusId)] ?? byWording(label) ?? 'in_transit';
}
