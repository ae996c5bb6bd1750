import { createHash, randomBytes } from 'node:crypto';
import { Decimal } from '../../src/core/decimal.ts';
import { SimCatalog } from './catalog.ts';
import { COURIERS, STATUS, makeCustomer, rng } from './data.ts';
import { SimError, defaultAccount, type SimAccount, type SimAwb, type SimInvoice, type SimLine, type SimMessage, type SimOrder } from './model.ts';

// The model types live in model.ts and the catalogue in catalog.ts; importers of state.ts keep working.
export * from './model.ts';

/** The simulated seller account: the catalogue (SimCatalog) plus orders, AWBs, invoices, account settings and messages. */
export class SimState extends SimCatalog {
  orders = new Map<number, SimOrder>();
  awbs: SimAwb[] = [];
  invoices: SimInvoice[] = [];
  account: SimAccount = defaultAccount();
  messages: SimMessage[] = [];
  nextOrderId = 2004301;
  nextLineId = 987001;
  rand: () => number = rng('demo');

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
