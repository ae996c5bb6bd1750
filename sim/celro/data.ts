/**
 * Reference data of the simulated Cel.ro account and a deterministic generator of realistic Romanian
 * customers. Status codes are deliberately NOT eMAG's 0–5: clients must read the dictionary.
 */
import { prngFromString } from '../../src/core/prng.ts';

export const ORDER_STATUSES = [
  { id: 1, name: 'Comanda noua' },
  { id: 2, name: 'Comanda confirmata' },
  { id: 3, name: 'Pregatita pentru livrare' },
  { id: 4, name: 'Finalizata' },
  { id: 11, name: 'Anulata' },
  { id: 24, name: 'Stornata' },
] as const;

export const STATUS = { NEW: 1, CONFIRMED: 2, READY: 3, FINISHED: 4, CANCELLED: 11, REVERSED: 24 } as const;

export const CANCEL_REASONS = [
  { id: 61, name: 'Produs indisponibil' },
  { id: 62, name: 'Clientul a renuntat' },
  { id: 65, name: 'Pret afisat gresit' },
  { id: 70, name: 'Alt motiv' },
];

export const PAYMENT_METHODS = [
  { id: 1, name: 'Numerar sau ramburs' },
  { id: 2, name: 'Card online' },
  { id: 3, name: 'Ordin de Plata' },
];

/** [U] order-line statuses (orders/ListProductStatuses); CEL's own test script used 5. */
export const PRODUCT_STATUSES = [
  { id: 0, name: 'In asteptare' },
  { id: 4, name: 'Livrat' },
  { id: 5, name: 'Anulat' },
];

/** Courier accounts configured in CEL (admininfo/getAccountCouriers), in the wiki's exact shape. */
export const ACCOUNT_COURIERS = [
  { id: 124, courier_id: 4, courier_name: 'DPD', name: 'DPD - TEST', epod: 0, awb_format: 'A4', service: '2002', default_orders: 1, status: 1 },
  { id: 125, courier_id: 1, courier_name: 'Fan Courier', name: 'Fan Courier - Standard', epod: 0, awb_format: 'A6', service: 'Standard', default_orders: 0, status: 1 },
];

export const COURIERS = [
  { id: 1, name: 'Fan Courier' },
  { id: 2, name: 'Cargus' },
  { id: 3, name: 'Sameday' },
  { id: 4, name: 'DPD' },
  { id: 5, name: 'GLS' },
];

export const CATEGORIES = [
  { categories_id: 1234, categories_name: 'Lampi de birou', parent_id: 1200 },
  { categories_id: 1200, categories_name: 'Iluminat', parent_id: 0 },
  { categories_id: 441, categories_name: 'Huse telefoane', parent_id: 400 },
  { categories_id: 400, categories_name: 'Accesorii GSM', parent_id: 0 },
  { categories_id: 2310, categories_name: 'Cafea', parent_id: 2300 },
  { categories_id: 2300, categories_name: 'Alimentare', parent_id: 0 },
];

export const CHARACTERISTICS: Record<number, { id: number; name: string; mandatory: 0 | 1; values: string[] }[]> = {
  1234: [
    { id: 501, name: 'Culoare', mandatory: 1, values: ['Alb', 'Negru', 'Argintiu'] },
    { id: 502, name: 'Tip bec', mandatory: 0, values: ['LED', 'Halogen'] },
  ],
  441: [
    { id: 601, name: 'Culoare', mandatory: 1, values: ['Negru', 'Transparent'] },
    { id: 602, name: 'Compatibilitate', mandatory: 1, values: [] },
  ],
  2310: [{ id: 701, name: 'Gramaj', mandatory: 0, values: ['250 g', '500 g', '1 kg'] }],
};

/** Small deterministic PRNG (mulberry32) so `--seed demo` always produces the same people. */
export function rng(seed: string): () => number {
  return prngFromString(seed);
}

const FIRST = ['Andrei', 'Maria', 'Ioana', 'Mihai', 'Elena', 'Alexandru', 'Cristina', 'Gabriel', 'Ana', 'Radu', 'Ștefan', 'Alina'];
const LAST = ['Popescu', 'Ionescu', 'Dumitrescu', 'Stan', 'Georgescu', 'Constantinescu', 'Marin', 'Tudor', 'Munteanu', 'Lungu', 'Diaconu', 'Văduva'];
const PLACES = [
  { judet: 'București', localitate: 'București Sector 1', strada: 'Calea Victoriei', cod: '010063' },
  { judet: 'București', localitate: 'București Sector 3', strada: 'Bd. Unirii', cod: '030823' },
  { judet: 'București', localitate: 'București Sector 6', strada: 'Str. Drumul Taberei', cod: '061357' },
  { judet: 'Cluj', localitate: 'Cluj-Napoca', strada: 'Str. Memorandumului', cod: '400114' },
  { judet: 'Iași', localitate: 'Iași', strada: 'Bd. Ștefan cel Mare și Sfânt', cod: '700064' },
  { judet: 'Timiș', localitate: 'Timișoara', strada: 'Str. Alba Iulia', cod: '300077' },
  { judet: 'Constanța', localitate: 'Constanța', strada: 'Bd. Tomis', cod: '900178' },
  { judet: 'Brașov', localitate: 'Brașov', strada: 'Str. Republicii', cod: '500030' },
  { judet: 'Ilfov', localitate: 'Voluntari', strada: 'Str. Erou Iancu Nicolae', cod: '077190' },
  { judet: 'Prahova', localitate: 'Ploiești', strada: 'Str. Democrației', cod: '100025' },
];
const COMPANIES = ['Alfa Distributie SRL', 'Carpați Tech SRL', 'Dunărea Birotica SA', 'Nova Office Solutions SRL'];

export interface SimAddress {
  nume: string;
  firma: string;
  cui: string;
  reg_com: string;
  telefon: string;
  judet: string;
  localitate: string;
  adresa: string;
  cod_postal: string;
  tara: string;
}

export interface SimCustomer {
  name: string;
  email: string;
  phone: string;
  company: boolean;
  billing: SimAddress;
  delivery: SimAddress;
}

/** A customer: a private person most of the time, a company with CUI and trade-register number otherwise. */
export function makeCustomer(rand: () => number, opts: { company?: boolean } = {}): SimCustomer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const first = pick(FIRST);
  const last = pick(LAST);
  const name = `${first} ${last}`;
  const place = pick(PLACES);
  const phone = `07${Math.floor(20 + rand() * 70)}${String(Math.floor(rand() * 1e6)).padStart(6, '0')}`;
  const company = opts.company ?? rand() < 0.25;
  const firma = company ? pick(COMPANIES) : '';
  const cui = company ? `RO${String(10_000_000 + Math.floor(rand() * 30_000_000))}` : '';
  const regCom = company ? `J${place.judet === 'București' ? '40' : '12'}/${100 + Math.floor(rand() * 9000)}/${2005 + Math.floor(rand() * 19)}` : '';
  const adresa = `${place.strada} nr. ${1 + Math.floor(rand() * 120)}${rand() < 0.5 ? `, bl. ${String.fromCharCode(65 + Math.floor(rand() * 6))}${1 + Math.floor(rand() * 9)}, ap. ${1 + Math.floor(rand() * 60)}` : ''}`;
  const addr: SimAddress = { nume: name, firma, cui, reg_com: regCom, telefon: phone, judet: place.judet, localitate: place.localitate, adresa, cod_postal: place.cod, tara: 'Romania' };
  const ascii = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return { name, email: `${ascii(first)}.${ascii(last)}@example.ro`, phone, company, billing: addr, delivery: { ...addr, firma: '', cui: '', reg_com: '' } };
}

/** 'YYYY-MM-DD HH:MM:SS' in Romanian local time, the form CEL uses in filters and payloads. */
export function celDateTime(d: Date, timeZone = 'Europe/Bucharest'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
