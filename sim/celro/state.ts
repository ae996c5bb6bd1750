import { createHash, randomBytes } from 'node:crypto';
import { Decimal } from '../../src/core/decimal.ts';
import { CATEGORIES, CHARACTERISTICS, COURIERS, STATUS, celDateTime, makeCustomer, rng, type SimCustomer } from './data.ts';

/** The simulated seller account: catalogue, orders, AWBs, invoices, account settings. Pure state + rules. */

export type Approval = 'waiting' | 'approved' | 'rejected';

export interface SimProduct {
  model: string;
  name: string;
  description: string;
  brand: string;
  categoryId: number;
  price: string;
  priceIncludesVat: boolean;
  currency: string;
  stock: number;
  active: 0 | 1;
  images: string[];
  charact: unknown;
  processingDays: string;
  oldPrice: string;
  extra: Record<string, unknown>;
  approval: Approval;
  reason: string;
  submittedAt: number;
  addedAt: Date;
  modifiedAt: Date;
}

export interface SimLine {
  lineId: number;
  model: string;
  name: string;
  quantity: number;
  unitPrice: string;
  vat: string;
}

export interface SimAwb {
  awbId: string;
  ordersId: number;
  courierId: number;
  courierName: string;
  awbNumber: string;
  at: Date;
}

export interface SimInvoice {
  ordersId: number;
  series: string;
  number: string;
  providerId: string;
  size: number;
  sha256: string;
  bytes: Buffer;
  at: Date;
}

export interface SimOrder {
  id: number;
  status: number;
  placedAt: Date;
  lastChanged: Date;
  customer: SimCustomer;
  payment: string;
  paid: 0 | 1;
  lines: SimLine[];
  shipping: string;
  vouchers: { cod: string; valoare: string }[];
  notes: string;
  cancel?: { motiv?: number; observatii?: string };
  history: { status: number; at: Date }[];
}

/**
 * The seller account as `admininfo/getAccountInformation` shows it. Field names are those
 * `admininfo/updateAccountInformation` takes (research §3.6); the read shape itself is [U].
 */
export interface SimAccount {
  fullName: string;
  cif: string;
  reg: { j1: string; j2: string; j3: string; j4: string };
  iban: string;
  bankName: string;
  telephone: string;
  person: string;
  hqAddress: string;
  county: string;
  city: string;
  description: string;
  apiLink: string;
  timpProcesareImplicit: string;
}

export const ACCOUNT_FIELDS = ['fullName', 'cif', 'iban', 'bankName', 'telephone', 'person', 'hqAddress', 'county', 'city', 'description', 'apiLink', 'timpProcesareImplicit'] as const;

export function defaultAccount(): SimAccount {
  return {
    fullName: 'Vortex Demo SRL',
    cif: 'RO40123456',
    reg: { j1: 'J40', j2: '1234', j3: '2020', j4: '' },
    iban: 'RO49AAAA1B31007593840000',
    bankName: 'Banca Transilvania',
    telephone: '0212345678',
    person: 'Ion Popescu',
    hqAddress: 'Str. Exemplu nr. 1',
    county: 'București',
    city: 'București Sector 1',
    description: '',
    apiLink: '',
    timpProcesareImplicit: '2',
  };
}

/** A message of the seller to the customer about an order (email/sendOrderCustomEmail). */
export interface SimMessage {
  id: number;
  ordersId: number;
  subject: string;
  body: string;
  from: 'seller' | 'client';
  at: Date;
}

export class SimError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface Rules {
  approvalDelayMs: number;
  approvalPriceLimit: string;
  priceGuardPercent: number;
  priceGuardOnStockAndPrice: boolean;
  readyRequiresAwb: boolean;
  vatPercent: string;
  timeZone: string;
}

/** [U] currency ids of the read responses (`moneda` is an id there, a code on import). */
const CURRENCY_IDS: Record<string, number> = { RON: 1, EUR: 2, USD: 3 };

/** Characteristics keyed by id, each a list of values, as the wiki shows them in read responses. */
function charactById(categoryId: number, charact: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (typeof charact !== 'object' || charact === null) return out;
  for (const [k, v] of Object.entries(charact as Record<string, unknown>)) {
    const name = k.replace(/:$/, '');
    const id = CHARACTERISTICS[categoryId]?.find((c) => c.name === name || String(c.id) === name)?.id ?? name;
    const values = typeof v === 'object' && v !== null ? Object.values(v as Record<string, unknown>) : [v];
    out[String(id)] = values.map(String);
  }
  return out;
}

/** Importer fields kept only to be shown back in product lists. */
const EXTRA_FIELDS = ['garantie', 'garantie_pj', 'products_weight', 'import_code'] as const;

export class SimState {
  products = new Map<string, SimProduct>();
  orders = new Map<number, SimOrder>();
  awbs: SimAwb[] = [];
  invoices: SimInvoice[] = [];
  account: SimAccount = defaultAccount();
  messages: SimMessage[] = [];
  /** The last import/importer call, for import/productImportStatus without `products`. */
  lastImport: { models: string[]; errors: Record<string, string> } | null = null;
  nextOrderId = 2004301;
  nextLineId = 987001;
  rand: () => number = rng('demo');

  constructor(
    readonly rules: Rules,
    private readonly now: () => number = Date.now,
  ) {}

  reset(seed: string): void {
    this.products.clear();
    this.orders.clear();
    this.awbs = [];
    this.invoices = [];
    this.account = defaultAccount();
    this.messages = [];
    this.lastImport = null;
    this.nextOrderId = 2004301;
    this.nextLineId = 987001;
    this.rand = rng(seed || 'demo');
    if (seed === 'sample') this.seedSample();
  }

  /** 60 approved products and a few orders in several states: enough to page past 50. */
  private seedSample(): void {
    const t = new Date(this.now() - 86_400_000);
    for (let i = 1; i <= 60; i++) {
      const model = `SAMPLE-${String(i).padStart(3, '0')}`;
      this.products.set(model, {
        model,
        name: `Produs exemplu ${i}`,
        description: 'Produs generat de simulator',
        brand: 'Vortex',
        categoryId: 1234,
        price: new Decimal('19.99').plus(i).toFixed(2),
        priceIncludesVat: true,
        currency: 'RON',
        stock: 10 + i,
        active: 1,
        images: [`https://example.invalid/sample-${i}.jpg`],
        charact: {},
        processingDays: '1',
        oldPrice: '',
        extra: {},
        approval: 'approved',
        reason: '',
        submittedAt: t.getTime(),
        addedAt: t,
        modifiedAt: t,
      });
    }
    for (let i = 0; i < 5; i++) {
      const o = this.placeOrder({ lines: [{ model: `SAMPLE-00${i + 1}`, quantity: 1 + (i % 2) }], payment: i % 2 === 0 ? 'cod' : 'card' });
      if (i >= 1) this.transition(o.id, 'confirm');
      if (i === 4) this.transition(o.id, 'cancel');
    }
  }

  /** Settle approvals whose delay has passed (CEL test accounts: price ≤ 5000 approved, above rejected). */
  settle(force = false): void {
    const now = this.now();
    for (const p of this.products.values()) {
      if (p.approval !== 'waiting' || (!force && now - p.submittedAt < this.rules.approvalDelayMs)) continue;
      if (new Decimal(p.price).lte(this.rules.approvalPriceLimit)) {
        p.approval = 'approved';
        p.reason = '';
      } else {
        p.approval = 'rejected';
        p.reason = `Produs respins: pretul depaseste ${this.rules.approvalPriceLimit} lei (regula conturilor de test)`;
      }
      p.modifiedAt = new Date(now);
    }
  }

  private guardPrice(p: SimProduct, newPrice: string, override: boolean): void {
    if (override || p.approval !== 'approved') return;
    const old = new Decimal(p.price);
    if (old.isZero()) return;
    const change = new Decimal(newPrice).minus(old).abs().div(old).times(100);
    if (change.gt(this.rules.priceGuardPercent)) {
      throw new SimError(
        `Pretul produsului ${p.model} difera cu mai mult de ${this.rules.priceGuardPercent}% fata de pretul actual (${old.toFixed(2)} -> ${newPrice}). Trimiteti overridePrice=1 pentru a confirma.`,
      );
    }
  }

  /** import/importer, one item: full form creates (waiting for approval), short form changes. */
  importItem(raw: Record<string, unknown>, topHasTva: boolean): 'inserted' | 'updated' {
    const s = (k: string): string | undefined => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : undefined);
    const model = s('products_model');
    if (!model) throw new SimError('Campul products_model este obligatoriu');
    const price = s('pretf');
    const stock = s('stoc');
    if (price === undefined && stock === undefined) throw new SimError(`Produsul ${model}: trimiteti cel putin pretf sau stoc`);
    if (price !== undefined && !/^\d+(\.\d+)?$/.test(price)) throw new SimError(`Produsul ${model}: pretf invalid (${price})`);
    if (stock !== undefined && !/^\d+$/.test(stock)) throw new SimError(`Produsul ${model}: stoc invalid (${stock})`);
    const override = s('overridePrice') === '1';
    const hasTva = topHasTva || s('hasTVA') === '1';
    const now = new Date(this.now());
    const existing = this.products.get(model);
    const brand = s('manufacturers_name') ?? s('manufacturer');
    const images: string[] = [];
    const main = s('products_image');
    if (main) images.push(main);
    const imgList = raw.image;
    if (imgList && typeof imgList === 'object') {
      for (const v of Object.values(imgList as Record<string, unknown>)) {
        const url = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).url : v;
        if (typeof url === 'string' && url) images.push(url);
      }
    }
    if (!existing) {
      const missing = [
        ['products_name', s('products_name')],
        ['manufacturers_name', brand],
        ['categories_id', s('categories_id')],
        ['products_image', images[0]],
      ]
        .filter(([, v]) => !v)
        .map(([k]) => k);
      if (missing.length) throw new SimError(`Produs nou ${model}: lipsesc campurile obligatorii ${missing.join(', ')}`);
      const categoryId = Number(s('categories_id'));
      if (!CATEGORIES.some((c) => c.categories_id === categoryId)) throw new SimError(`Produs nou ${model}: categoria ${categoryId} nu este permisa`);
      if (price === undefined) throw new SimError(`Produs nou ${model}: pretf este obligatoriu`);
      this.products.set(model, {
        model,
        name: s('products_name')!,
        description: s('products_description') ?? '',
        brand: brand!,
        categoryId,
        price: new Decimal(price).toFixed(2),
        priceIncludesVat: hasTva,
        currency: s('moneda') ?? 'RON',
        stock: stock === undefined ? 0 : Number(stock),
        active: s('status') === '0' ? 0 : 1,
        images,
        charact: raw.charact ?? raw.caracteristici ?? {},
        processingDays: s('procesare_in') ?? '',
        oldPrice: s('pret_vechi') ?? '',
        extra: Object.fromEntries(EXTRA_FIELDS.filter((k) => s(k) !== undefined).map((k) => [k, s(k)])),
        approval: 'waiting',
        reason: '',
        submittedAt: now.getTime(),
        addedAt: now,
        modifiedAt: now,
      });
      return 'inserted';
    }
    if (price !== undefined) this.guardPrice(existing, price, override);
    // A product still waiting or rejected is replaced by what is sent and goes back to the queue.
    if (existing.approval !== 'approved') {
      existing.approval = 'waiting';
      existing.reason = '';
      existing.submittedAt = now.getTime();
    }
    if (price !== undefined) existing.price = new Decimal(price).toFixed(2);
    if (stock !== undefined) existing.stock = Number(stock);
    if (s('products_name')) existing.name = s('products_name')!;
    if (s('products_description') !== undefined) existing.description = s('products_description')!;
    if (brand) existing.brand = brand;
    if (s('categories_id')) existing.categoryId = Number(s('categories_id'));
    if (images.length) existing.images = images;
    if (s('status') !== undefined) existing.active = s('status') === '0' ? 0 : 1;
    if (s('procesare_in') !== undefined) existing.processingDays = s('procesare_in')!;
    if (s('pret_vechi') !== undefined) existing.oldPrice = s('pret_vechi')!;
    if (raw.charact ?? raw.caracteristici) existing.charact = raw.charact ?? raw.caracteristici;
    for (const k of EXTRA_FIELDS) if (s(k) !== undefined) existing.extra[k] = s(k);
    existing.priceIncludesVat = hasTva || (raw.hasTVA === undefined && !topHasTva && existing.priceIncludesVat);
    existing.modifiedAt = now;
    return 'updated';
  }

  /** products/updateStockAndPrice, one item (JSON values: numbers or strings). */
  updateStockAndPrice(raw: Record<string, unknown>): void {
    const str = (k: string): string | undefined => (raw[k] === undefined || raw[k] === null ? undefined : String(raw[k]).trim());
    const model = str('products_model');
    if (!model) throw new SimError('Campul products_model este obligatoriu');
    const p = this.products.get(model);
    if (!p) throw new SimError(`Produsul ${model} nu exista in contul dumneavoastra`);
    const price = str('pretf');
    const stock = str('stoc');
    if (price !== undefined && !/^\d+(\.\d+)?$/.test(price)) throw new SimError(`Produsul ${model}: pretf invalid (${price})`);
    if (stock !== undefined && !/^\d+$/.test(stock)) throw new SimError(`Produsul ${model}: stoc invalid (${stock})`);
    if (price !== undefined && this.rules.priceGuardOnStockAndPrice) this.guardPrice(p, price, str('overridePrice') === '1');
    if (price !== undefined) p.price = new Decimal(price).toFixed(2);
    if (stock !== undefined) p.stock = Number(stock);
    if (str('status') !== undefined) p.active = str('status') === '0' ? 0 : 1;
    if (str('pret_vechi') !== undefined) p.oldPrice = str('pret_vechi')!;
    if (str('procesare_in') !== undefined) p.processingDays = str('procesare_in')!;
    p.modifiedAt = new Date(this.now());
  }

  productView(p: SimProduct): Record<string, unknown> {
    return {
      products_model: p.model,
      products_name: p.name,
      products_description: p.description,
      manufacturers_name: p.brand,
      categories_id: p.categoryId,
      pretf: p.price,
      hasTVA: p.priceIncludesVat ? 1 : 0,
      moneda: p.currency,
      stoc: p.stock,
      status: p.active,
      products_image: p.images[0] ?? '',
      image: p.images.slice(1).map((url, i) => ({ id: i + 1, url })),
      procesare_in: p.processingDays,
      pret_vechi: p.oldPrice,
      live: p.approval === 'approved' && p.active === 1 ? 1 : 0,
      products_date_added: celDateTime(p.addedAt, this.rules.timeZone),
      products_last_modified: celDateTime(p.modifiedAt, this.rules.timeZone),
    };
  }

  /**
   * A product as the list endpoints return it. The keys are those the wiki documents for
   * getRejectedProducts/getWaitingProducts (research §4.5): description base64-encoded, `charact`
   * keyed by characteristic id, `moneda` as an id. Value types are [U]; prices are JSON numbers
   * (the `_id` key suggests a document store).
   */
  productRecord(p: SimProduct): Record<string, unknown> {
    const n = (k: string, d = 0): number => (p.extra[k] === undefined ? d : Number(p.extra[k]));
    const hash = createHash('sha1').update(p.model).digest('hex');
    const gross = new Decimal(p.price);
    const factor = new Decimal(this.rules.vatPercent).div(100).plus(1);
    const old = p.oldPrice ? new Decimal(p.oldPrice) : new Decimal(0);
    return {
      _id: hash.slice(0, 24),
      categories_id: p.categoryId,
      charact: charactById(p.categoryId, p.charact),
      family_id: 0,
      fid: 0,
      garantie: n('garantie', 24),
      garantie_pj: n('garantie_pj', 12),
      image: p.images.slice(1).map((url, i) => ({ id: i + 1, url })),
      live: p.approval === 'approved' && p.active === 1 ? 1 : 0,
      manufacturers_id: 1000 + (parseInt(createHash('sha1').update(p.brand).digest('hex').slice(0, 6), 16) % 9000),
      moneda: CURRENCY_IDS[p.currency] ?? 1,
      motiv: p.reason,
      pret_vechi: old.toNumber(),
      pret_vechi_fara_tva: old.div(factor).toDecimalPlaces(2).toNumber(),
      pretf: gross.toNumber(),
      pretlei: (p.priceIncludesVat ? gross : gross.times(factor)).toDecimalPlaces(2).toNumber(),
      procesare_in: p.processingDays === '' ? 0 : Number(p.processingDays),
      products_date_added: celDateTime(p.addedAt, this.rules.timeZone),
      products_date_updated: celDateTime(p.modifiedAt, this.rules.timeZone),
      products_description: Buffer.from(p.description).toString('base64'),
      products_image: p.images[0] ?? '',
      products_model: p.model,
      products_name: p.name,
      products_price: (p.priceIncludesVat ? gross.div(factor) : gross).toDecimalPlaces(2).toNumber(),
      products_weight: n('products_weight', 0),
      refused: p.approval === 'rejected' ? 1 : 0,
      status: p.active,
      stoc: p.stock,
      vendor_ext_id: typeof p.extra.import_code === 'string' ? p.extra.import_code : '',
      vizualizat: 0,
    };
  }

  placeOrder(input: {
    lines: { model: string; quantity: number }[];
    payment?: 'cod' | 'card';
    company?: boolean;
    shipping?: string;
    voucher?: { code: string; value: string };
    notes?: string;
  }): SimOrder {
    if (!input.lines.length) throw new SimError('comanda fara produse');
    const lines: SimLine[] = [];
    for (const l of input.lines) {
      const p = this.products.get(l.model);
      if (!p) throw new SimError(`produsul ${l.model} nu exista`);
      if (p.approval !== 'approved' || p.active !== 1) throw new SimError(`produsul ${l.model} nu este activ pe site`);
      if (!Number.isInteger(l.quantity) || l.quantity < 1) throw new SimError(`cantitate invalida pentru ${l.model}`);
      if (p.stock < l.quantity) throw new SimError(`stoc insuficient pentru ${l.model} (${p.stock})`);
    }
    const vatFactor = new Decimal(this.rules.vatPercent).div(100).plus(1);
    for (const l of input.lines) {
      const p = this.products.get(l.model)!;
      p.stock -= l.quantity;
      p.modifiedAt = new Date(this.now());
      const gross = p.priceIncludesVat ? new Decimal(p.price) : new Decimal(p.price).times(vatFactor);
      lines.push({ lineId: this.nextLineId++, model: p.model, name: p.name, quantity: l.quantity, unitPrice: gross.toFixed(2), vat: this.rules.vatPercent });
    }
    const now = new Date(this.now());
    const order: SimOrder = {
      id: this.nextOrderId++,
      status: STATUS.NEW,
      placedAt: now,
      lastChanged: now,
      customer: makeCustomer(this.rand, input.company === undefined ? {} : { company: input.company }),
      payment: input.payment === 'card' ? 'Card online' : 'Numerar sau ramburs',
      paid: input.payment === 'card' ? 1 : 0,
      lines,
      shipping: new Decimal(input.shipping ?? '19.99').toFixed(2),
      vouchers: input.voucher ? [{ cod: input.voucher.code, valoare: new Decimal(input.voucher.value).abs().toFixed(2) }] : [],
      notes: input.notes ?? '',
      history: [{ status: STATUS.NEW, at: now }],
    };
    this.orders.set(order.id, order);
    return order;
  }

  orderTotal(o: SimOrder): Decimal {
    let t = new Decimal(o.shipping);
    for (const l of o.lines) t = t.plus(new Decimal(l.unitPrice).times(l.quantity));
    for (const v of o.vouchers) t = t.minus(v.valoare);
    return t;
  }

  getOrder(id: number): SimOrder {
    const o = this.orders.get(id);
    if (!o) throw new SimError(`Comanda ${id} nu exista`);
    return o;
  }

  transition(id: number, action: 'confirm' | 'cancel' | 'ready' | 'finish', cancel?: { motiv?: number; observatii?: string }): SimOrder {
    const o = this.getOrder(id);
    const allowed: Record<typeof action, { from: number[]; to: number; verb: string }> = {
      confirm: { from: [STATUS.NEW], to: STATUS.CONFIRMED, verb: 'confirmata' },
      cancel: { from: [STATUS.NEW, STATUS.CONFIRMED, STATUS.READY], to: STATUS.CANCELLED, verb: 'anulata' },
      ready: { from: [STATUS.CONFIRMED], to: STATUS.READY, verb: 'marcata ca pregatita pentru livrare' },
      finish: { from: [STATUS.READY], to: STATUS.FINISHED, verb: 'finalizata' },
    };
    const rule = allowed[action];
    if (!rule.from.includes(o.status)) {
      throw new SimError(`Comanda ${id} nu poate fi ${rule.verb} din starea curenta (${o.status})`);
    }
    if (action === 'ready' && this.rules.readyRequiresAwb && !this.awbs.some((a) => a.ordersId === id)) {
      throw new SimError(`Comanda ${id} nu are AWB`);
    }
    if (action === 'cancel') {
      o.cancel = cancel ?? {};
      for (const l of o.lines) {
        const p = this.products.get(l.model);
        if (p) p.stock += l.quantity;
      }
    }
    o.status = rule.to;
    o.lastChanged = new Date(this.now());
    o.history.push({ status: rule.to, at: o.lastChanged });
    return o;
  }

  registerAwb(ordersId: number, courierId: number, awbNumber: string): SimAwb {
    const o = this.getOrder(ordersId);
    if (o.status === STATUS.CANCELLED || o.status === STATUS.REVERSED) throw new SimError(`Comanda ${ordersId} este anulata`);
    const courier = COURIERS.find((c) => c.id === courierId);
    if (!courier) throw new SimError(`Curierul ${courierId} nu exista`);
    if (!/^[A-Za-z0-9-]{5,40}$/.test(awbNumber)) throw new SimError(`Numar AWB invalid: ${awbNumber}`);
    if (this.awbs.some((a) => a.ordersId === ordersId && a.awbNumber === awbNumber)) throw new SimError(`AWB-ul ${awbNumber} este deja asociat comenzii ${ordersId}`);
    const awb: SimAwb = { awbId: randomBytes(16).toString('hex'), ordersId, courierId, courierName: courier.name, awbNumber, at: new Date(this.now()) };
    this.awbs.push(awb);
    o.lastChanged = awb.at;
    return awb;
  }

  deleteInvoice(ordersId: number, series: string, number: string): void {
    const o = this.getOrder(ordersId);
    const i = this.invoices.findIndex((x) => x.ordersId === ordersId && x.series === series && x.number === number);
    if (i === -1) throw new SimError(`Factura ${series} ${number} nu exista pentru comanda ${ordersId}`);
    this.invoices.splice(i, 1);
    o.lastChanged = new Date(this.now());
  }

  /** Deprecated orders/removeInvoice: the legacy API knew one invoice per order, so every record goes [U]. */
  removeInvoices(ordersId: number): number {
    const o = this.getOrder(ordersId);
    const before = this.invoices.length;
    this.invoices = this.invoices.filter((x) => x.ordersId !== ordersId);
    const removed = before - this.invoices.length;
    if (removed === 0) throw new SimError(`Comanda ${ordersId} nu are factura incarcata`);
    o.lastChanged = new Date(this.now());
    return removed;
  }

  /** orders/addOrderObservations: appended to the remarks getOrder shows as `observatii_cmd` [U]. */
  addObservations(ordersId: number, text: string): SimOrder {
    const o = this.getOrder(ordersId);
    const t = text.trim();
    if (t.length === 0) throw new SimError('Observatiile nu pot fi goale');
    if (t.length > 1000) throw new SimError('Observatiile pot avea maxim 1000 de caractere');
    o.notes = o.notes ? `${o.notes}\n${t}` : t;
    o.lastChanged = new Date(this.now());
    return o;
  }

  addInvoice(ordersId: number, series: string, number: string, providerId: string, bytes: Buffer | undefined): SimInvoice {
    const o = this.getOrder(ordersId);
    if (providerId === '0' || providerId === '') {
      if (!series || !number) throw new SimError('Seria si numarul facturii sunt obligatorii');
      if (!bytes || bytes.length === 0) throw new SimError('Fisierul facturii lipseste');
    }
    if (bytes && bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new SimError('Fisierul incarcat nu este un PDF valid');
    if (o.status === STATUS.CANCELLED) throw new SimError(`Comanda ${ordersId} este anulata`);
    if (this.invoices.some((i) => i.ordersId === ordersId && i.series === series && i.number === number)) {
      throw new SimError(`Factura ${series} ${number} este deja incarcata pentru comanda ${ordersId}`);
    }
    const b = bytes ?? Buffer.alloc(0);
    const inv: SimInvoice = { ordersId, series, number, providerId: providerId || '0', size: b.length, sha256: createHash('sha256').update(b).digest('hex'), bytes: b, at: new Date(this.now()) };
    this.invoices.push(inv);
    o.lastChanged = inv.at;
    return inv;
  }
}
