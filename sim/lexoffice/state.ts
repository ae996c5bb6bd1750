/** In-memory state of one simulated lexoffice organisation. JSON-ready records, as the API returns them. */

export interface ArticlePrice {
  netPrice: number;
  grossPrice: number;
  leadingPrice: 'NET' | 'GROSS';
  taxRate: number;
}

export interface Article {
  id: string;
  organizationId: string;
  createdDate: string;
  updatedDate: string;
  archived: boolean;
  title: string;
  description: string | null;
  type: 'PRODUCT' | 'SERVICE';
  articleNumber: string | null;
  gtin: string | null;
  note: string | null;
  unitName: string;
  price: ArticlePrice;
  version: number;
}

export type Json = Record<string, unknown>;

export interface Contact extends Json {
  id: string;
  organizationId: string;
  version: number;
  roles: { customer?: { number: number }; vendor?: { number: number } };
  archived: boolean;
}

export type SalesKind = 'invoice' | 'orderconfirmation' | 'creditnote';

/** A sales voucher (invoice, order confirmation or credit note) as returned by GET, plus simulator bookkeeping. */
export interface SalesVoucher {
  readonly kind: SalesKind;
  readonly created: Date;
  updated: Date;
  doc: Json & { id: string; voucherStatus: string; voucherNumber: string; version: number };
  /** Gross total, for voucherlist/payments. */
  totalGross: number;
  contactId: string | null;
  contactName: string;
  /** Settlements of an invoice: manual payments, or the credit note that paid it off. */
  payments: { postingDate: string; amount: number; type?: 'manualPayment' | 'partPaymentCreditNote' }[];
}

export interface Subscription {
  subscriptionId: string;
  organizationId: string;
  createdDate: string;
  eventType: string;
  callbackUrl: string;
  apiKey: string;
}

export interface Country {
  countryCode: string;
  countryNameDE: string;
  countryNameEN: string;
  taxClassification: 'de' | 'intraCommunity' | 'thirdPartyCountry';
}

export interface Profile extends Json {
  organizationId: string;
}

export class SimState {
  profile: Profile;
  countries: Country[] = [];
  readonly articles = new Map<string, Article>();
  readonly contacts = new Map<string, Contact>();
  readonly vouchers = new Map<string, SalesVoucher>();
  readonly subscriptions = new Map<string, Subscription>();
  /** Rendered document files (`files.documentFileId`) → the voucher they render, for GET /v1/files/{id}. */
  readonly files = new Map<string, string>();
  /** Next consecutive number per voucher type (RE0001, AB0001, GS0001) and per contact role. */
  readonly counters = { invoice: 0, orderconfirmation: 0, creditnote: 0, customer: 10000, vendor: 70000 };

  constructor(profile: Profile) {
    this.profile = profile;
  }

  get organizationId(): string {
    return this.profile.organizationId;
  }

  nextVoucherNumber(kind: SalesKind): string {
    const n = ++this.counters[kind];
    const prefix = { invoice: 'RE', orderconfirmation: 'AB', creditnote: 'GS' }[kind];
    return `${prefix}${String(n).padStart(4, '0')}`;
  }
}
