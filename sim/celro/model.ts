import type { SimCustomer } from './data.ts';

/** The data model of the simulated seller account (catalogue, orders, AWBs, invoices, account settings) and its rules. */

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
