import * as account from './api/account.ts';
import * as fulfilment from './api/fulfilment.ts';
import type { CelroAwbStatus } from './api/fulfilment.ts';
import * as orders from './api/orders.ts';
import type { OrderListFilter, OrderSummary, OrdersSince } from './api/orders.ts';
import * as products from './api/products.ts';
import type { BatchResult, CelroImportItem, CelroImportStatus, CelroProduct, StockPriceUpdate } from './api/products.ts';
import { MAX_PAGE, type Page } from './api/shape.ts';
import { CelroTransport } from './api/transport.ts';
import type { CelroOrder, CelroStatus, StatusMeaning } from './orders.ts';

// The client is split by API area (api/transport.ts: auth, tokens, the connection cap; api/account.ts,
// api/products.ts, api/orders.ts, api/fulfilment.ts: one function per call). This facade keeps the one
// object the rest of Vortex holds, so call sites stay `client.getOrder(…)`.
export { CELRO_DEFAULT_BASE_URL, type CelroClientOptions } from './api/transport.ts';
export type { Page } from './api/shape.ts';
export type { BatchResult, CelroImportItem, CelroImportStatus, CelroProduct, StockPriceUpdate } from './api/products.ts';
export type { CreatedFilterForm, DateWindow, OrderListFilter, OrderSummary, OrdersSince } from './api/orders.ts';
export type { CelroAwbStatus } from './api/fulfilment.ts';

/**
 * The Cel.ro seller API client: the transport (see CelroTransport) plus every modelled call, each
 * delegated to its API area. The status dictionary is fetched once per client and cached here.
 */
export class CelroClient extends CelroTransport {
  private statuses: Promise<CelroStatus[]> | undefined;

  // ---------------------------------------------------------------- account

  getCouriers(): Promise<{ id: string; name: string; raw: unknown }[]> {
    return account.getCouriers(this);
  }

  getAccountInformation(): Promise<Record<string, unknown>> {
    return account.getAccountInformation(this);
  }

  getAccountCouriers(): Promise<{ id: string; courierId: string; courierName: string; name: string; active: boolean; raw: Record<string, unknown> }[]> {
    return account.getAccountCouriers(this);
  }

  updateAccountInformation(fields: Readonly<Record<string, string>>): Promise<unknown> {
    return account.updateAccountInformation(this, fields);
  }

  setApiLink(template: string): Promise<unknown> {
    return account.setApiLink(this, template);
  }

  // ---------------------------------------------------------------- products

  getSupplierCategories(): Promise<Record<string, unknown>[]> {
    return products.getSupplierCategories(this);
  }

  getCategoryCharacteristics(categoryId: number | string): Promise<Record<string, unknown>[]> {
    return products.getCategoryCharacteristics(this, categoryId);
  }

  listMandatoryCharacteristics(categoryId: number | string): Promise<Record<string, unknown>[]> {
    return products.listMandatoryCharacteristics(this, categoryId);
  }

  importProducts(items: readonly CelroImportItem[], opts: { hasTVA?: boolean } = {}): Promise<BatchResult> {
    return products.importProducts(this, items, opts);
  }

  updateStockAndPrice(updates: readonly StockPriceUpdate[]): Promise<BatchResult> {
    return products.updateStockAndPrice(this, updates);
  }

  updateStatus(model: string, active: boolean): Promise<unknown> {
    return products.updateStatus(this, model, active);
  }

  readProducts(q: { start?: number; limit?: number; models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<Page<CelroProduct>> {
    return products.readProducts(this, q);
  }

  readAllProducts(q: { models?: readonly string[]; status?: readonly (0 | 1)[]; categories?: readonly (number | string)[]; search?: string } = {}): Promise<CelroProduct[]> {
    return products.readAllProducts(this, q);
  }

  getWaitingProducts(start = 0): Promise<Page<CelroProduct>> {
    return products.getWaitingProducts(this, start);
  }

  getRejectedProducts(start = 0): Promise<Page<CelroProduct>> {
    return products.getRejectedProducts(this, start);
  }

  allWaitingProducts(): Promise<CelroProduct[]> {
    return products.allWaitingProducts(this);
  }

  allRejectedProducts(): Promise<CelroProduct[]> {
    return products.allRejectedProducts(this);
  }

  getProductImportStatus(models: readonly string[] = []): Promise<CelroImportStatus[]> {
    return products.getProductImportStatus(this, models);
  }

  // ---------------------------------------------------------------- orders

  orderFilters(filter: OrderListFilter = {}): Record<string, unknown> {
    return orders.orderFilters(this, filter);
  }

  getOrders(filter: OrderListFilter = {}, start = 0, limit = MAX_PAGE): Promise<Page<OrderSummary>> {
    return orders.getOrders(this, filter, start, limit);
  }

  listOrders(filter: OrderListFilter = {}): Promise<OrderSummary[]> {
    return orders.listOrders(this, filter);
  }

  listOrdersSince(cursor: number | string, opts: { pageSize?: number } = {}): Promise<OrdersSince> {
    return orders.listOrdersSince(this, cursor, opts);
  }

  getOrder(orderId: number | string, opts: { originalDelivery?: boolean } = {}): Promise<CelroOrder> {
    return orders.getOrder(this, orderId, opts);
  }

  getOrderStatusList(): Promise<CelroStatus[]> {
    return orders.getOrderStatusList(this);
  }

  listStatuses(): Promise<CelroStatus[]> {
    return orders.listStatuses(this);
  }

  getCancellingStatuses(): Promise<Record<string, unknown>[]> {
    return orders.getCancellingStatuses(this);
  }

  confirmOrder(orderId: number | string): Promise<unknown> {
    return orders.confirmOrder(this, orderId);
  }

  cancelOrder(orderId: number | string, why: { reasonId?: number; remarks?: string }): Promise<unknown> {
    return orders.cancelOrder(this, orderId, why);
  }

  // ---------------------------------------------------------------- fulfilment

  setReadyForDelivery(orderId: number | string): Promise<unknown> {
    return fulfilment.setReadyForDelivery(this, orderId);
  }

  finishOrder(orderId: number | string): Promise<unknown> {
    return fulfilment.finishOrder(this, orderId);
  }

  registerAwb(orderId: number | string, courierId: number | string, awbNumber: string): Promise<unknown> {
    return fulfilment.registerAwb(this, orderId, courierId, awbNumber);
  }

  getOrderAwbs(orderId: number | string): Promise<Record<string, unknown>[]> {
    return fulfilment.getOrderAwbs(this, orderId);
  }

  addOrderInvoice(inv: { orderId: number | string; series: string; number: string; pdf: Uint8Array; providerId?: number }): Promise<unknown> {
    return fulfilment.addOrderInvoice(this, inv);
  }

  getOrderEmail(orderId: number | string): Promise<string | null> {
    return fulfilment.getOrderEmail(this, orderId);
  }

  deleteOrderInvoice(orderId: number | string, series: string, number: string): Promise<unknown> {
    return fulfilment.deleteOrderInvoice(this, orderId, series, number);
  }

  getOrderInvoices(orderId: number | string): Promise<Record<string, unknown>[]> {
    return fulfilment.getOrderInvoices(this, orderId);
  }

  removeInvoice(orderId: number | string): Promise<unknown> {
    return fulfilment.removeInvoice(this, orderId);
  }

  statusAwb(orderId: number | string): Promise<CelroAwbStatus[]> {
    return fulfilment.statusAwb(this, orderId);
  }

  checkPaymentForOrder(orderId: number | string): Promise<boolean | null> {
    return fulfilment.checkPaymentForOrder(this, orderId);
  }

  addOrderObservations(orderId: number | string, text: string): Promise<unknown> {
    return fulfilment.addOrderObservations(this, orderId, text);
  }

  /** The status dictionary (getOrderStatusList, falling back to ListStatuses), fetched once per client. */
  statusDictionary(): Promise<CelroStatus[]> {
    this.statuses ??= orders.fetchStatusDictionary(this).catch((e: unknown) => {
      this.statuses = undefined;
      throw e;
    });
    return this.statuses;
  }

  /** Meaning of a status id by the dictionary (overrides first); 'unknown' when the id is not in it. */
  async statusMeaning(statusId: string | number | null): Promise<StatusMeaning> {
    if (statusId === null) return 'unknown';
    const id = String(statusId);
    if (this.opts.statusMeanings?.[id]) return this.opts.statusMeanings[id];
    return (await this.statusDictionary()).find((s) => s.id === id)?.meaning ?? 'unknown';
  }
}
