import { ValidationError } from '../../core/errors.ts';
import type { AddressInput, AmountInput, ContactChanges, ContactInput, CreditNoteInput, SalesVoucherInput } from './inputs.ts';
import type { Contact } from './schemas.ts';

/** Request building (pure): ids, search strings, amounts, dates and the bodies lexoffice expects. */

export function idSegment(id: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new ValidationError(`not a lexoffice id: ${JSON.stringify(id.slice(0, 80))}`, [{ path: 'id', message: 'invalid id' }]);
  return id;
}

/** contacts/voucherlist search strings: `&`, `<`, `>` HTML-encoded before URL encoding (research §1.8). */
export function htmlEncode(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape the SQL-like wildcards of the contacts filter so `_` and `%` match literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\_%]/g, (c) => `\\${c}`);
}

/**
 * A JSON number for an amount, refusing anything that would not survive the trip exactly
 * (more than `maxDecimals` places or more than 15 significant digits).
 */
export function amountNumber(v: AmountInput, field: string, maxDecimals = 4): number {
  const s = typeof v === 'number' ? String(v) : v.trim();
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(s);
  const digits = m ? (m[1] ?? '').replace(/^0+/, '').length + (m[2] ?? '').length : 99;
  if (!m || (m[2] ?? '').length > maxDecimals || digits > 15) {
    throw new ValidationError(`${field}: ${s} is not an amount with at most ${maxDecimals} decimals`, [{ path: field, message: 'invalid amount' }]);
  }
  return Number(s);
}

const LEX_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

/** Format a calendar day as lexoffice wants it: local midnight with an explicit offset, 3 ms digits. */
export function lexofficeDateTime(day: string, offset = '+01:00'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !/^[+-]\d{2}:\d{2}$/.test(offset)) throw new ValidationError(`bad day/offset ${day} ${offset}`, [{ path: 'voucherDate', message: 'invalid' }]);
  return `${day}T00:00:00.000${offset}`;
}

function checkDateTime(v: string | undefined, field: string): void {
  if (v !== undefined && !LEX_DATETIME.test(v)) throw new ValidationError(`${field} must be yyyy-MM-ddTHH:mm:ss.SSSXXX, got ${v}`, [{ path: field, message: 'invalid date-time' }]);
}

function addressBody(a: AddressInput): Record<string, unknown> {
  return { supplement: a.supplement, street: a.street, zip: a.zip, city: a.city, countryCode: a.countryCode };
}

export function contactBody(c: ContactInput, version: number): Record<string, unknown> {
  if ((c.person === undefined) === (c.company === undefined)) {
    throw new ValidationError('a lexoffice contact is either a person or a company', [{ path: 'person|company', message: 'exactly one required' }]);
  }
  const roles = c.roles ?? { customer: true };
  return {
    version,
    roles: { ...(roles.customer ? { customer: {} } : {}), ...(roles.vendor ? { vendor: {} } : {}) },
    ...(c.person ? { person: { ...c.person } } : {}),
    ...(c.company
      ? {
          company: {
            name: c.company.name,
            taxNumber: c.company.taxNumber,
            vatRegistrationId: c.company.vatRegistrationId,
            allowTaxFreeInvoices: c.company.allowTaxFreeInvoices,
            ...(c.company.contactPerson ? { contactPersons: [{ ...c.company.contactPerson, primary: true }] } : {}),
          },
        }
      : {}),
    addresses: {
      ...(c.billingAddress ? { billing: [addressBody(c.billingAddress)] } : {}),
      ...(c.shippingAddress ? { shipping: [addressBody(c.shippingAddress)] } : {}),
    },
    ...(c.email ? { emailAddresses: { [c.email.kind ?? 'private']: [c.email.address] } } : {}),
    ...(c.phone ? { phoneNumbers: { [c.phone.kind ?? 'private']: [c.phone.number] } } : {}),
    ...(c.note !== undefined ? { note: c.note } : {}),
  };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `current` with its `modelled` keys replaced by the defined values of `given`; every other key kept as read. */
function overlay(current: unknown, modelled: readonly string[], given: object): Obj {
  const out: Obj = isObj(current) ? { ...current } : {};
  for (const k of modelled) delete out[k];
  for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  return out;
}

const ADDRESS_KEYS = ['supplement', 'street', 'zip', 'city', 'countryCode'];
const PERSON_KEYS = ['salutation', 'firstName', 'lastName'];
const COMPANY_KEYS = ['name', 'taxNumber', 'vatRegistrationId', 'allowTaxFreeInvoices'];
const CONTACT_PERSON_KEYS = ['salutation', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'primary'];
/** Read-only on a contact: not sent back (live: accepted and ignored, but nothing is gained by echoing them). */
const CONTACT_READ_ONLY = ['id', 'organizationId', 'archived', 'createdDate', 'updatedDate'];

/** PUT body for a contact: the record as read, minus read-only fields, with `changes` laid over it. */
export function contactUpdateBody(current: Contact, c: ContactChanges): Obj {
  if (c.person !== undefined && c.company !== undefined) {
    throw new ValidationError('a lexoffice contact is either a person or a company', [{ path: 'person|company', message: 'at most one' }]);
  }
  const body: Obj = { ...(current as Obj) };
  for (const k of CONTACT_READ_ONLY) delete body[k];
  body.version = current.version;
  if (c.roles) {
    // Keep the role objects as read (they carry the numbers lexoffice assigned).
    body.roles = { ...(c.roles.customer ? { customer: current.roles.customer ?? {} } : {}), ...(c.roles.vendor ? { vendor: current.roles.vendor ?? {} } : {}) };
  }
  if (c.person) {
    body.person = overlay(current.person, PERSON_KEYS, c.person);
    delete body.company;
  }
  if (c.company) {
    const { contactPerson, ...company } = c.company;
    const merged = overlay(current.company, COMPANY_KEYS, company);
    if (contactPerson) merged.contactPersons = [overlay(current.company?.contactPersons?.[0], CONTACT_PERSON_KEYS, { ...contactPerson, primary: true })];
    body.company = merged;
    delete body.person;
  }
  if (c.billingAddress || c.shippingAddress) {
    const addresses: Obj = isObj(current.addresses) ? { ...current.addresses } : {};
    if (c.billingAddress) addresses.billing = [overlay(current.addresses?.billing?.[0], ADDRESS_KEYS, c.billingAddress)];
    if (c.shippingAddress) addresses.shipping = [overlay(current.addresses?.shipping?.[0], ADDRESS_KEYS, c.shippingAddress)];
    body.addresses = addresses;
  }
  if (c.email) body.emailAddresses = { ...(current.emailAddresses ?? {}), [c.email.kind ?? 'private']: [c.email.address] };
  if (c.phone) body.phoneNumbers = { ...(current.phoneNumbers ?? {}), [c.phone.kind ?? 'private']: [c.phone.number] };
  if (c.note !== undefined) body.note = c.note;
  return body;
}

/** Credit notes take no shipping/payment conditions, delivery terms or line discounts (refused before sending). */
export function creditNoteBody(d: CreditNoteInput): Obj {
  d.lineItems.forEach((li, i) => {
    if (li.type !== 'text' && li.discountPercentage !== undefined) {
      throw new ValidationError(`lineItems[${i}].discountPercentage: credit notes have no line discounts`, [{ path: `lineItems[${i}].discountPercentage`, message: 'not allowed on credit notes' }]);
    }
  });
  return salesDocumentBody(d, undefined);
}

export function documentBody(d: SalesVoucherInput): Obj {
  return salesDocumentBody(d, d.shippingConditions);
}

function salesDocumentBody(d: Omit<SalesVoucherInput, 'shippingConditions'> & { readonly paymentConditions?: SalesVoucherInput['paymentConditions']; readonly deliveryTerms?: string }, shipping: SalesVoucherInput['shippingConditions'] | undefined): Obj {
  checkDateTime(d.voucherDate, 'voucherDate');
  checkDateTime(shipping?.shippingDate, 'shippingConditions.shippingDate');
  checkDateTime(shipping?.shippingEndDate, 'shippingConditions.shippingEndDate');
  const gross = d.taxConditions.taxType === 'gross';
  return {
    voucherDate: d.voucherDate,
    ...(d.language ? { language: d.language } : {}),
    address: d.address.contactId !== undefined ? { contactId: d.address.contactId } : { name: d.address.name, ...addressBody(d.address) },
    lineItems: d.lineItems.map((li, i) => {
      if (li.type === 'text') return { type: 'text', name: li.name, description: li.description };
      const f = `lineItems[${i}]`;
      const unit = gross ? li.unitPrice.grossAmount : li.unitPrice.netAmount;
      if (unit === undefined) throw new ValidationError(`${f}.unitPrice.${gross ? 'grossAmount' : 'netAmount'} is required for taxType ${d.taxConditions.taxType}`, [{ path: `${f}.unitPrice`, message: 'missing amount' }]);
      return {
        type: li.type,
        ...(li.id !== undefined ? { id: li.id } : {}),
        name: li.name,
        description: li.description,
        quantity: amountNumber(li.quantity, `${f}.quantity`),
        unitName: li.unitName,
        unitPrice: {
          currency: li.unitPrice.currency,
          [gross ? 'grossAmount' : 'netAmount']: amountNumber(unit, `${f}.unitPrice`),
          taxRatePercentage: amountNumber(li.unitPrice.taxRatePercentage, `${f}.unitPrice.taxRatePercentage`, 2),
        },
        ...(li.discountPercentage !== undefined ? { discountPercentage: amountNumber(li.discountPercentage, `${f}.discountPercentage`, 2) } : {}),
      };
    }),
    totalPrice: {
      currency: d.totalPrice?.currency ?? 'EUR',
      ...(d.totalPrice?.totalDiscountAbsolute !== undefined ? { totalDiscountAbsolute: amountNumber(d.totalPrice.totalDiscountAbsolute, 'totalPrice.totalDiscountAbsolute', 2) } : {}),
      ...(d.totalPrice?.totalDiscountPercentage !== undefined ? { totalDiscountPercentage: amountNumber(d.totalPrice.totalDiscountPercentage, 'totalPrice.totalDiscountPercentage', 2) } : {}),
    },
    taxConditions: { ...d.taxConditions },
    ...(shipping ? { shippingConditions: { ...shipping } } : {}),
    ...(d.paymentConditions
      ? {
          paymentConditions: {
            ...d.paymentConditions,
            ...(d.paymentConditions.paymentDiscountConditions
              ? { paymentDiscountConditions: { ...d.paymentConditions.paymentDiscountConditions, discountPercentage: amountNumber(d.paymentConditions.paymentDiscountConditions.discountPercentage, 'paymentDiscountConditions.discountPercentage', 2) } }
              : {}),
          },
        }
      : {}),
    ...(d.printLayoutId ? { printLayoutId: d.printLayoutId } : {}),
    ...(d.title !== undefined ? { title: d.title } : {}),
    ...(d.introduction !== undefined ? { introduction: d.introduction } : {}),
    ...(d.remark !== undefined ? { remark: d.remark } : {}),
    ...(d.deliveryTerms !== undefined ? { deliveryTerms: d.deliveryTerms } : {}),
  };
}
