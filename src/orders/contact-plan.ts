import type { Address, Customer } from '../core/types.ts';

/**
 * A Cel.ro buyer as a lexoffice contact and as a one-time document address (pure). Romanian specifics
 * (research/domain.md §6): lexoffice has no region field, so the county (județ) or the Bucharest sector
 * goes into `supplement`; Cel.ro writes Bucharest as county "Sector N" or city "București Sector N", both
 * become city "București" + supplement "Sector N". A company with a VAT-registered CUI ("RO" + digits)
 * gets it as `vatRegistrationId`; a bare CUI (not VAT-registered) is only its tax number.
 */
export interface ContactAddress {
  readonly supplement?: string;
  readonly street?: string;
  readonly zip?: string;
  readonly city?: string;
  readonly countryCode: string;
}

export interface ContactDraft {
  readonly person?: { readonly firstName?: string; readonly lastName: string };
  readonly company?: {
    readonly name: string;
    readonly vatRegistrationId?: string;
    readonly taxNumber?: string;
    readonly contactPerson?: { readonly firstName?: string; readonly lastName: string; readonly emailAddress?: string; readonly phoneNumber?: string };
  };
  readonly billingAddress: ContactAddress;
  readonly shippingAddress?: ContactAddress;
  readonly email?: { readonly kind: 'business' | 'private'; readonly address: string };
  readonly phone?: { readonly kind: 'business' | 'mobile'; readonly number: string };
  readonly note: string;
}

const strip = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** "RO12345678" → VAT-registered; "12345678" → CUI only. Spaces and case are tolerated. */
export function vatRegistration(vatId: string | undefined): { vatRegistrationId?: string; taxNumber?: string } {
  const v = (vatId ?? '').replace(/\s+/g, '').toUpperCase();
  if (/^RO\d{2,10}$/.test(v)) return { vatRegistrationId: v };
  if (/^\d{2,10}$/.test(v)) return { taxNumber: v };
  return v ? { taxNumber: v } : {};
}

/** True when the buyer is a VAT-registered Romanian company (an intra-community supply, reverse charge). */
export function isVatRegisteredBusiness(c: Customer): boolean {
  return c.kind === 'company' && vatRegistration(c.vatId).vatRegistrationId !== undefined;
}

/** CUI control digit (domain.md §6.1): key 753217532 over the body left-padded to 9 digits. */
export function cuiValid(cui: string): boolean {
  const digits = cui.replace(/^RO/i, '').trim();
  if (!/^\d{2,10}$/.test(digits)) return false;
  const body = digits.slice(0, -1).padStart(9, '0');
  const key = '753217532';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * Number(key[i]);
  const control = ((sum * 10) % 11) % 10;
  return control === Number(digits.at(-1));
}

/** Romanian county/sector → (city, supplement) for lexoffice, which has no region field. */
export function romanianPlace(a: Address): { city: string; supplement?: string } {
  const sector = /sector(?:ul)?\s*([1-6])\b/i.exec(strip(`${a.region ?? ''} ${a.city}`));
  if (sector) return { city: 'București', supplement: `Sector ${sector[1]}` };
  const county = (a.region ?? '').trim();
  const city = a.city.trim();
  if (!county || strip(county).toLowerCase() === strip(city).toLowerCase()) return { city };
  return { city, supplement: `Jud. ${county}` };
}

export function contactAddress(a: Address): ContactAddress {
  const place = a.countryCode === 'RO' ? romanianPlace(a) : { city: a.city, ...(a.region ? { supplement: a.region } : {}) };
  return {
    ...(place.supplement ? { supplement: place.supplement } : {}),
    ...(a.street ? { street: a.street } : {}),
    ...(a.zip ? { zip: a.zip } : {}),
    ...(place.city ? { city: place.city } : {}),
    countryCode: a.countryCode || 'RO',
  };
}

export function splitName(name: string): { firstName?: string; lastName: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { lastName: parts[0] ?? '—' };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1)! };
}

export function contactDraft(c: Customer, orderId: string): ContactDraft {
  const billing = contactAddress(c.billingAddress);
  const shipping = c.shippingAddress ? contactAddress(c.shippingAddress) : undefined;
  const note = `Cel.ro buyer (first order ${orderId}), created by Vortex`;
  if (c.kind === 'company') {
    const person = c.billingAddress.name && c.billingAddress.name !== c.name ? splitName(c.billingAddress.name) : undefined;
    return {
      company: {
        name: c.name,
        ...vatRegistration(c.vatId),
        ...(person ? { contactPerson: { ...person, ...(c.email ? { emailAddress: c.email } : {}), ...(c.phone ? { phoneNumber: c.phone } : {}) } } : {}),
      },
      billingAddress: billing,
      ...(shipping ? { shippingAddress: shipping } : {}),
      ...(c.email ? { email: { kind: 'business', address: c.email } } : {}),
      ...(c.phone ? { phone: { kind: 'business', number: c.phone } } : {}),
      note,
    };
  }
  return {
    person: splitName(c.name),
    billingAddress: billing,
    ...(shipping ? { shippingAddress: shipping } : {}),
    ...(c.email ? { email: { kind: 'private', address: c.email } } : {}),
    ...(c.phone ? { phone: { kind: 'mobile', number: c.phone } } : {}),
    note,
  };
}

/** The buyer as a one-time document address (setting `contact: "address-only"`). */
export function oneTimeAddress(c: Customer): ContactAddress & { readonly name: string } {
  return { name: c.name || c.billingAddress.name || '—', ...contactAddress(c.billingAddress) };
}
