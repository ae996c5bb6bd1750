import type { CurrencyCode } from './currency.ts';
import type { Money } from './money.ts';

/**
 * Canonical types: what Vortex means by a product, an offer, an order — independent of how lexoffice
 * or Cel.ro spell them. Connectors map into and out of these; plain readonly data, no behaviour.
 */

export type TenantId = string;
export type Sku = string;

/** Where a record came from, so every value can be traced back to its source system. */
export interface SourceRef {
  readonly system: 'lexoffice' | 'celro' | 'vortex' | 'import';
  readonly id: string;
  readonly version?: number;
}

export interface Product {
  readonly sku: Sku;
  readonly title: string;
  readonly description?: string;
  readonly gtin?: string;
  readonly unitName?: string;
  readonly kind: 'product' | 'service';
  /** Net price in the source currency (lexoffice: EUR). */
  readonly netPrice?: Money;
  readonly grossPrice?: Money;
  /** VAT rate in percent as a decimal string, e.g. "19". */
  readonly taxRatePercent: string;
  readonly archived: boolean;
  readonly source: SourceRef;
  readonly updatedAt?: string;
}

/** What Vortex wants a marketplace to show for one SKU. */
export interface Offer {
  readonly sku: Sku;
  readonly title: string;
  readonly description?: string;
  readonly brand?: string;
  readonly categoryId?: string;
  readonly gtin?: string;
  /** Price the buyer pays, VAT included, in the marketplace currency (Cel.ro: RON). */
  readonly priceGross: Money;
  readonly vatPercent: string;
  readonly quantity: number;
  readonly active: boolean;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface StockLevel {
  readonly sku: Sku;
  readonly onHand: number;
  readonly reserved: number;
  readonly updatedAt: string;
}

export interface Address {
  readonly name: string;
  readonly company?: string;
  readonly street: string;
  readonly supplement?: string;
  readonly zip?: string;
  readonly city: string;
  /** County (județ) or Bucharest sector where the country uses one. */
  readonly region?: string;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
  readonly phone?: string;
}

export interface Customer {
  readonly kind: 'person' | 'company';
  readonly name: string;
  readonly email?: string;
  readonly phone?: string;
  /** Company tax id (Romanian CUI/CIF, EU VAT id). */
  readonly vatId?: string;
  readonly registrationNumber?: string;
  readonly billingAddress: Address;
  readonly shippingAddress?: Address;
}

export interface OrderLine {
  readonly lineId: string;
  readonly sku: Sku | null;
  readonly title: string;
  readonly quantity: string;
  /** Unit price as the channel reports it, VAT included. */
  readonly unitPriceGross: Money;
  readonly lineTotalGross: Money;
  readonly vatPercent: string | null;
  readonly kind: 'item' | 'shipping' | 'voucher' | 'fee';
}

export type PaymentMethod = 'cash_on_delivery' | 'card' | 'bank_transfer' | 'other';

export interface Order {
  readonly channel: 'celro';
  readonly channelOrderId: string;
  readonly placedAt: string;
  readonly currency: CurrencyCode;
  readonly status: string;
  readonly customer: Customer;
  readonly lines: readonly OrderLine[];
  readonly totalGross: Money;
  readonly paymentMethod: PaymentMethod;
  readonly notes?: string;
}
