/** What callers hand the lexoffice client (Vortex's own shapes, validated and turned into request bodies in bodies.ts). */

/** Decimal amount as Vortex holds it (string) or an already-safe number; sent as a JSON number. */
export type AmountInput = string | number;

export interface AddressInput {
  readonly supplement?: string;
  readonly street?: string;
  readonly zip?: string;
  readonly city?: string;
  /** ISO 3166 alpha-2 or an extended code such as ES_CN (see /v1/countries). */
  readonly countryCode: string;
}

export interface ContactInput {
  /** Default: customer only. Numbers are assigned by lexoffice. */
  readonly roles?: { readonly customer?: boolean; readonly vendor?: boolean };
  readonly person?: { readonly salutation?: string; readonly firstName?: string; readonly lastName: string };
  readonly company?: {
    readonly name: string;
    readonly taxNumber?: string;
    readonly vatRegistrationId?: string;
    readonly allowTaxFreeInvoices?: boolean;
    readonly contactPerson?: { readonly salutation?: string; readonly firstName?: string; readonly lastName: string; readonly emailAddress?: string; readonly phoneNumber?: string };
  };
  readonly billingAddress?: AddressInput;
  readonly shippingAddress?: AddressInput;
  /** At most one address per kind is writable. */
  readonly email?: { readonly kind?: 'business' | 'office' | 'private' | 'other'; readonly address: string };
  readonly phone?: { readonly kind?: 'business' | 'office' | 'mobile' | 'private' | 'fax' | 'other'; readonly number: string };
  readonly note?: string;
}

/**
 * What `updateContact` changes, laid over the contact as last read. Whatever is left out is sent back as
 * it was read; a given object replaces only the sub-fields Vortex models (fields it does not model —
 * `xRechnung`, anything lexoffice adds later — always go back unchanged, since a PUT replaces the record).
 */
export type ContactChanges = Partial<ContactInput>;

export interface ContactFilter {
  /** Substring, SQL-like wildcards; ≥ 3 chars. Use findContactsByEmail for an exact match. */
  readonly email?: string;
  readonly name?: string;
  readonly number?: number;
  readonly customer?: boolean;
  readonly vendor?: boolean;
  readonly page?: number;
  readonly size?: number;
}

export type LineItemInput =
  | {
      readonly type: 'custom' | 'material' | 'service';
      /** Article id; required for material and service. */
      readonly id?: string;
      readonly name: string;
      readonly description?: string;
      readonly quantity: AmountInput;
      readonly unitName: string;
      /** netAmount for taxType ≠ gross, grossAmount for gross. Only EUR exists. */
      readonly unitPrice: { readonly currency: 'EUR'; readonly netAmount?: AmountInput; readonly grossAmount?: AmountInput; readonly taxRatePercentage: AmountInput };
      readonly discountPercentage?: AmountInput;
    }
  | { readonly type: 'text'; readonly name: string; readonly description?: string };

export interface SalesVoucherInput {
  /** yyyy-MM-ddTHH:mm:ss.SSSXXX — see lexofficeDateTime(). */
  readonly voucherDate: string;
  readonly language?: 'de' | 'en';
  readonly address: { readonly contactId: string } | (AddressInput & { readonly name: string; readonly contactId?: undefined });
  readonly lineItems: readonly LineItemInput[];
  readonly totalPrice?: { readonly currency: 'EUR'; readonly totalDiscountAbsolute?: AmountInput; readonly totalDiscountPercentage?: AmountInput };
  readonly taxConditions: { readonly taxType: string; readonly taxSubType?: 'distanceSales' | 'electronicServices'; readonly taxTypeNote?: string };
  readonly shippingConditions: { readonly shippingType: 'service' | 'serviceperiod' | 'delivery' | 'deliveryperiod' | 'none'; readonly shippingDate?: string; readonly shippingEndDate?: string };
  readonly paymentConditions?: { readonly paymentTermLabel?: string; readonly paymentTermDuration?: number; readonly paymentDiscountConditions?: { readonly discountPercentage: AmountInput; readonly discountRange: number } };
  readonly printLayoutId?: string;
  readonly title?: string;
  readonly introduction?: string;
  readonly remark?: string;
  /** Order confirmations only. */
  readonly deliveryTerms?: string;
}

/** A credit note: like an invoice, without shipping/payment conditions, delivery terms or line discounts (research §4.7). */
export type CreditNoteInput = Omit<SalesVoucherInput, 'shippingConditions' | 'paymentConditions' | 'deliveryTerms'>;

export interface CreateDocumentOptions {
  /** true = open (numbered, immutable); false/omitted = draft. */
  readonly finalize?: boolean;
  readonly precedingSalesVoucherId?: string;
}

export interface VoucherlistFilter {
  readonly voucherType: readonly string[] | 'any';
  readonly voucherStatus: readonly string[] | 'any';
  readonly archived?: boolean;
  readonly contactId?: string;
  /** yyyy-MM-dd, a full day in CET/CEST. */
  readonly voucherDateFrom?: string;
  readonly voucherDateTo?: string;
  readonly createdDateFrom?: string;
  readonly createdDateTo?: string;
  readonly updatedDateFrom?: string;
  readonly updatedDateTo?: string;
  readonly voucherNumber?: string;
  readonly page?: number;
  readonly size?: number;
  /** Sort by voucher date (the only sort measured live); the property name comes from the client option `voucherlistSortProperty`. */
  readonly sortDirection?: 'ASC' | 'DESC';
  /** Raw `sort` value, sent as given (wins over `sortDirection`). */
  readonly sort?: string;
}

export interface ArticleFilter {
  readonly articleNumber?: string;
  readonly gtin?: string;
  readonly type?: 'PRODUCT' | 'SERVICE';
  readonly page?: number;
  readonly size?: number;
}
