import { type Issue, legacy } from './errors.ts';
import type { Contact, SimState } from './state.ts';
import { contactDisplayName } from './documents.ts';
import { htmlDecode, likeToRegExp } from './util.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const EMAIL_KINDS = ['business', 'office', 'private', 'other'];
const PHONE_KINDS = ['business', 'office', 'mobile', 'private', 'fax', 'other'];

/**
 * Validate a contact body for POST/PUT (research §3.2 write constraints); the contacts endpoint answers
 * in the legacy IssueList shape. Returns the writable part of the record.
 */
export function validateContact(body: unknown, state: SimState): Obj {
  const issues: Issue[] = [];
  const bad = (source: string, i18nKey = 'invalid_value'): void => void issues.push({ source, i18nKey });
  const b = isObj(body) ? body : {};
  const roles = isObj(b.roles) ? b.roles : undefined;
  if (!roles) bad('roles', 'missing_entity');
  else if (!isObj(roles.customer) && !isObj(roles.vendor)) bad('roles', 'missing_entity');
  const hasCompany = b.company !== undefined && b.company !== null;
  const hasPerson = b.person !== undefined && b.person !== null;
  if (hasCompany && hasPerson) bad('company and person');
  if (!hasCompany && !hasPerson) bad('person.lastName', 'missing_entity');
  if (hasCompany) {
    const c = isObj(b.company) ? b.company : {};
    if (typeof c.name !== 'string' || c.name.trim() === '') bad('company.name', 'missing_entity');
    const cps = c.contactPersons;
    if (cps !== undefined && cps !== null) {
      if (!Array.isArray(cps)) bad('company.contactPersons');
      else {
        if (cps.length > 1) bad('company.contactPersons.size');
        cps.forEach((p, i) => {
          if (!isObj(p) || typeof p.lastName !== 'string' || p.lastName === '') bad(`company.contactPersons[${i}].lastName`, 'missing_entity');
          if (isObj(p) && typeof p.salutation === 'string' && p.salutation.length > 25) bad(`company.contactPersons[${i}].salutation`);
        });
      }
    }
  }
  if (hasPerson) {
    const p = isObj(b.person) ? b.person : {};
    if (typeof p.lastName !== 'string' || p.lastName.trim() === '') bad('person.lastName', 'missing_entity');
    if (typeof p.salutation === 'string' && p.salutation.length > 25) bad('person.salutation');
  }
  const addresses = isObj(b.addresses) ? b.addresses : {};
  for (const kind of ['billing', 'shipping']) {
    const list = addresses[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      bad(`addresses.${kind}`);
      continue;
    }
    if (list.length > 1) bad(`addresses.${kind}.size`);
    list.forEach((a) => {
      if (!isObj(a) || typeof a.countryCode !== 'string') bad('countryCode', 'missing_entity');
      else if (!state.countries.some((c) => c.countryCode === a.countryCode)) bad('countryCode', 'countrycode_is_not_valid');
    });
  }
  for (const [field, kinds] of [['emailAddresses', EMAIL_KINDS], ['phoneNumbers', PHONE_KINDS]] as const) {
    const v = b[field];
    if (v === undefined || v === null) continue;
    if (!isObj(v)) {
      bad(field);
      continue;
    }
    for (const [k, list] of Object.entries(v)) {
      if (!kinds.includes(k) || !Array.isArray(list) || !list.every((x) => typeof x === 'string')) bad(`${field}.${k}`);
      else if (list.length > 1) bad(`${field}.${k}.size`);
    }
  }
  if (b.note !== undefined && b.note !== null && (typeof b.note !== 'string' || b.note.length > 1000)) bad('note');
  const xr = b.xRechnung;
  if (xr !== undefined && xr !== null) {
    if (!isObj(xr)) bad('xRechnung');
    else for (const k of ['buyerReference', 'vendorNumberAtCustomer']) if (xr[k] !== undefined && xr[k] !== null && typeof xr[k] !== 'string') bad(`xRechnung.${k}`);
  }
  if (issues.length > 0) throw legacy(406, issues);
  // Fields this simulator does not validate are stored as sent: they stand in for fields of a newer API
  // version (the real service keeps every field it knows). Read-only fields are never taken from a body.
  const rest: Obj = {};
  for (const [k, v] of Object.entries(b)) if (!CONTACT_OWN_KEYS.has(k) && v !== undefined) rest[k] = v;
  const hasAddresses = Array.isArray(addresses.billing) || Array.isArray(addresses.shipping);
  return {
    ...rest,
    ...(hasCompany ? { company: { contactPersons: [], ...(b.company as Obj) } } : {}),
    ...(hasPerson ? { person: b.person } : {}),
    // Optional fields not given are absent on read, not null (live shape dump, research §9 #2).
    ...(hasAddresses ? { addresses: { ...(Array.isArray(addresses.billing) ? { billing: addresses.billing } : {}), ...(Array.isArray(addresses.shipping) ? { shipping: addresses.shipping } : {}) } } : {}),
    ...(isObj(xr) ? { xRechnung: xr } : {}),
    ...(isObj(b.emailAddresses) ? { emailAddresses: b.emailAddresses } : {}),
    ...(isObj(b.phoneNumbers) ? { phoneNumbers: b.phoneNumbers } : {}),
    ...(typeof b.note === 'string' ? { note: b.note } : {}),
  };
}

/** Keys validateContact handles itself (or that are read-only and never taken from a request body). */
const CONTACT_OWN_KEYS = new Set(['id', 'organizationId', 'version', 'roles', 'archived', 'createdDate', 'updatedDate', 'company', 'person', 'addresses', 'xRechnung', 'emailAddresses', 'phoneNumbers', 'note']);

export interface ContactFilter {
  email?: string | undefined;
  name?: string | undefined;
  number?: string | undefined;
  customer?: string | undefined;
  vendor?: string | undefined;
}

/** GET /v1/contacts filters (research §3.3). Refusals come back as legacy IssueList with 400. */
export function filterContacts(state: SimState, f: ContactFilter): Contact[] {
  const issues: Issue[] = [];
  for (const k of ['email', 'name'] as const) {
    const v = f[k];
    if (v !== undefined && (v.length < 3 || v.length > 128)) issues.push({ source: 'size must be between 3 and 128', i18nKey: 'bad_request_error', type: 'bad_request' });
  }
  if (f.number !== undefined && !/^\d+$/.test(f.number)) issues.push({ source: 'number', i18nKey: 'invalid_value' });
  if (issues.length > 0) throw legacy(400, issues);
  const email = f.email === undefined ? undefined : likeToRegExp(htmlDecode(f.email));
  const name = f.name === undefined ? undefined : likeToRegExp(htmlDecode(f.name));
  const out: Contact[] = [];
  for (const c of state.contacts.values()) {
    if (email) {
      const mails = Object.values((c.emailAddresses as Obj | undefined) ?? {}).flat() as string[];
      const persons = ((c.company as Obj | undefined)?.contactPersons as Obj[] | undefined) ?? [];
      for (const p of persons) if (typeof p.emailAddress === 'string') mails.push(p.emailAddress);
      if (!mails.some((m) => email.test(m))) continue;
    }
    if (name && !name.test(contactDisplayName(c))) continue;
    if (f.number !== undefined && c.roles.customer?.number !== Number(f.number) && c.roles.vendor?.number !== Number(f.number)) continue;
    if (f.customer !== undefined && (f.customer === 'true') !== Boolean(c.roles.customer)) continue;
    if (f.vendor !== undefined && (f.vendor === 'true') !== Boolean(c.roles.vendor)) continue;
    out.push(c);
  }
  return out.sort((a, b) => contactDisplayName(a).localeCompare(contactDisplayName(b)));
}
