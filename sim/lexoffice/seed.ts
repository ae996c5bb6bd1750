import { Decimal } from '../../src/core/decimal.ts';
import type { Article, Contact, Country, Profile } from './state.ts';
import { SimState } from './state.ts';
import { gtinCheckDigit, lexTime, num, prng, seededUuid } from './util.ts';

/** Fixed identities of the demo organisation (same every run). */
export const DEMO_ORG_ID = 'aa93e8a8-2aa3-470b-b914-caad8a255dd8';
export const DEMO_CONNECTION_ID = '3dea098a-fae5-4458-a85c-f97965966c25';

export function demoProfile(): Profile {
  return {
    organizationId: DEMO_ORG_ID,
    companyName: 'Vortex Demo Handels GmbH',
    created: {
      userId: '1aea5501-3f3e-403d-8492-2dad03016289',
      userName: 'Frau Erika Musterfrau',
      userEmail: 'erika.musterfrau@vortex-demo.de',
      date: '2017-01-03T13:15:45.000+01:00',
    },
    connectionId: DEMO_CONNECTION_ID,
    features: ['cashbox'],
    businessFeatures: ['INVOICING', 'INVOICING_PRO', 'BOOKKEEPING'],
    subscriptionStatus: 'active',
    taxType: 'net',
    distanceSalesPrinciple: 'DESTINATION',
    smallBusiness: false,
  };
}

/** A representative slice of /v1/countries (the live list has 257 entries), incl. the extended codes. */
export const COUNTRIES: readonly Country[] = [
  ['DE', 'Deutschland', 'Germany', 'de'],
  ['AT', 'Österreich', 'Austria', 'intraCommunity'],
  ['BE', 'Belgien', 'Belgium', 'intraCommunity'],
  ['BG', 'Bulgarien', 'Bulgaria', 'intraCommunity'],
  ['CZ', 'Tschechien', 'Czechia', 'intraCommunity'],
  ['DK', 'Dänemark', 'Denmark', 'intraCommunity'],
  ['ES', 'Spanien', 'Spain', 'intraCommunity'],
  ['ES_CN', 'Kanarische Inseln', 'Canary Islands', 'thirdPartyCountry'],
  ['FR', 'Frankreich', 'France', 'intraCommunity'],
  ['GR', 'Griechenland', 'Greece', 'intraCommunity'],
  ['GR_69', 'Berg Athos', 'Mount Athos', 'thirdPartyCountry'],
  ['HU', 'Ungarn', 'Hungary', 'intraCommunity'],
  ['IT', 'Italien', 'Italy', 'intraCommunity'],
  ['NL', 'Niederlande', 'Netherlands', 'intraCommunity'],
  ['PL', 'Polen', 'Poland', 'intraCommunity'],
  ['RO', 'Rumänien', 'Romania', 'intraCommunity'],
  ['SK', 'Slowakei', 'Slovakia', 'intraCommunity'],
  ['CH', 'Schweiz', 'Switzerland', 'thirdPartyCountry'],
  ['GB', 'Vereinigtes Königreich', 'United Kingdom', 'thirdPartyCountry'],
  ['MD', 'Moldau', 'Moldova', 'thirdPartyCountry'],
  ['US', 'Vereinigte Staaten von Amerika', 'United States', 'thirdPartyCountry'],
].map(([countryCode, countryNameDE, countryNameEN, taxClassification]) => ({
  countryCode: countryCode as string,
  countryNameDE: countryNameDE as string,
  countryNameEN: countryNameEN as string,
  taxClassification: taxClassification as Country['taxClassification'],
}));

const PRODUCTS: readonly [string, string, number][] = [
  ['Espressomaschine', 'Stück', 19],
  ['Wasserkocher', 'Stück', 19],
  ['Kopfhörer', 'Stück', 19],
  ['Bluetooth-Lautsprecher', 'Stück', 19],
  ['Rucksack', 'Stück', 19],
  ['Trinkflasche', 'Stück', 19],
  ['Kochbuch', 'Stück', 7],
  ['Kaffeebohnen 1 kg', 'Packung', 7],
  ['Bio-Tee', 'Packung', 7],
  ['Olivenöl 0,5 l', 'Flasche', 7],
  ['Schreibtischlampe', 'Stück', 19],
  ['USB-C Ladegerät', 'Stück', 19],
  ['Yogamatte', 'Stück', 19],
  ['Solarmodul 400 W', 'Stück', 0],
];
const VARIANTS = ['Classic', 'Pro', 'Mini', 'Max', 'Eco', 'Premium', 'Travel', 'Home'];
const COLOURS = ['schwarz', 'weiß', 'rot', 'blau', 'grün', 'grau'];
const SERVICES: readonly [string, string][] = [
  ['Montage vor Ort', 'Stunde'],
  ['Geschenkverpackung', 'pauschal'],
  ['Express-Versand', 'pauschal'],
  ['Garantieverlängerung 2 Jahre', 'Stück'],
];

/**
 * A realistic, deterministic demo catalog: mostly products (19 % / 7 % / 0 %), some services, article
 * numbers, valid GTIN-13 for products, ~5 % archived, net- and gross-led prices.
 */
export function demoArticles(count: number, organizationId: string, now: Date): Article[] {
  const rand = prng(20261127);
  const out: Article[] = [];
  // Fixed creation times (one every 37 minutes from 2026-01-05), never later than now.
  const base = Math.min(Date.UTC(2026, 0, 5, 8, 0, 0), now.getTime() - count * 37 * 60_000);
  for (let i = 0; i < count; i++) {
    const isService = i % 10 === 9;
    const id = seededUuid(rand);
    const created = new Date(base + i * 37 * 60_000);
    let title: string;
    let unitName: string;
    let taxRate: number;
    if (isService) {
      const [t, u] = SERVICES[Math.floor(rand() * SERVICES.length)] as [string, string];
      title = `${t} ${i + 1}`;
      unitName = u;
      taxRate = 19;
    } else {
      const [t, u, r] = PRODUCTS[Math.floor(rand() * PRODUCTS.length)] as [string, string, number];
      title = `${t} ${VARIANTS[Math.floor(rand() * VARIANTS.length)]} ${COLOURS[Math.floor(rand() * COLOURS.length)]}`;
      unitName = u;
      taxRate = r;
    }
    const cents = 199 + Math.floor(rand() * 49_800);
    const leadingPrice = rand() < 0.7 ? 'NET' : 'GROSS';
    const lead = new Decimal(cents).div(100);
    const factor = new Decimal(100 + taxRate).div(100);
    const price =
      leadingPrice === 'NET'
        ? { netPrice: num(lead), grossPrice: num(lead.times(factor)), leadingPrice, taxRate }
        : { netPrice: num(lead.div(factor)), grossPrice: num(lead), leadingPrice, taxRate };
    const gtinBody = `400${String(1_000_000_000 + i * 7919).slice(-9)}`;
    out.push({
      id,
      organizationId,
      createdDate: lexTime(created),
      updatedDate: lexTime(created),
      archived: i % 20 === 13,
      title,
      description: isService ? null : `${title} — Demo-Artikel ${i + 1}`,
      type: isService ? 'SERVICE' : 'PRODUCT',
      articleNumber: `VX-${isService ? 'S' : 'P'}-${String(i + 1).padStart(5, '0')}`,
      gtin: isService ? null : gtinBody + gtinCheckDigit(gtinBody),
      note: null,
      unitName,
      price: price as Article['price'],
      version: 1,
    });
  }
  return out;
}

function demoContacts(organizationId: string, now: Date, state: SimState): Contact[] {
  const mk = (id: string, body: Record<string, unknown>): Contact => ({
    id,
    organizationId,
    version: 1,
    roles: { customer: { number: ++state.counters.customer } },
    ...body,
    archived: false,
    createdDate: lexTime(now),
    updatedDate: lexTime(now),
  }) as Contact;
  return [
    mk('e9066f04-8cc7-4616-93f8-ac9ecc8479c8', {
      person: { salutation: 'Frau', firstName: 'Inge', lastName: 'Musterfrau' },
      addresses: { billing: [{ street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' }] },
      emailAddresses: { private: ['inge@example.org'] },
    }),
    mk('4d43ad14-671d-4e0c-8d4b-2fd8cc117eff', {
      company: { name: 'Testfirma SRL', vatRegistrationId: 'RO12345678', allowTaxFreeInvoices: true, contactPersons: [] },
      addresses: { billing: [{ street: 'Str. Victoriei 10', zip: '010061', city: 'București', countryCode: 'RO' }] },
      emailAddresses: { business: ['office@testfirma.ro'] },
    }),
  ];
}

/** Fill `state` with the demo organisation: profile, countries, `articles` articles and two contacts. */
export function seedDemo(state: SimState, articles: number, now: Date): void {
  state.profile = demoProfile();
  state.countries = [...COUNTRIES];
  for (const a of demoArticles(articles, state.organizationId, now)) state.articles.set(a.id, a);
  for (const c of demoContacts(state.organizationId, now, state)) state.contacts.set(c.id, c);
}

/** An empty organisation: profile and countries only (master data always exists in a real account). */
export function emptyState(): SimState {
  const s = new SimState(demoProfile());
  s.countries = [...COUNTRIES];
  return s;
}
