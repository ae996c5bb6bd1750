/**
 * The answers the panel reads, named: each is taken from the generated schema (schema.d.ts), so a
 * change of a route's answer on the server shows here as a compile error after `npm run gen:api`.
 */
import type { paths } from './schema';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
/** The JSON of a route's success answer (200, else 201/202). */
type Ok<Op> = Op extends { responses: infer R } ? (200 extends keyof R ? Json<R[200]> : 201 extends keyof R ? Json<R[201]> : 202 extends keyof R ? Json<R[202]> : never) : never;
type Get<P extends keyof paths> = Ok<paths[P]['get']>;
type Post<P extends keyof paths> = Ok<paths[P]['post']>;

export type Role = 'operator' | 'merchant';
export type Dashboard = Get<'/api/tenants/{id}/dashboard'>;
export type Alert = Get<'/api/tenants/{id}/alerts'>['alerts'][number];
export type DashboardRun = Dashboard['runs'][number];
export type ConnectionHealth = Dashboard['connections'][number];
export type TenantList = Get<'/api/tenants'>;
export type Tenant = Get<'/api/tenants/{id}'>;
export type SyncProgress = Get<'/api/tenants/{id}/sync-requests/{requestId}'>;
export type Offer = Get<'/api/tenants/{id}/offers'>['offers'][number];
export type OfferDetail = Get<'/api/tenants/{id}/offers/{sku}'>;
export type OrderList = Get<'/api/tenants/{id}/orders'>;
export type OrderView = OrderList['orders'][number];
export type OrderDetail = Get<'/api/tenants/{id}/orders/{orderId}'>;
export type StockList = Get<'/api/tenants/{id}/stock'>;
export type StockRow = StockList['items'][number];
export type StockPolicy = StockRow['policy'];
export type Ledger = Get<'/api/tenants/{id}/stock/{sku}/ledger'>;
export type AuditEntry = Get<'/api/tenants/{id}/audit'>['entries'][number];
export type Direction = 'catalog' | 'order';
export type RuleVersion = Get<'/api/tenants/{id}/rules'>['versions'][number];
export type RuleVersionWithDocument = Get<'/api/tenants/{id}/rules/{versionId}'>;
export type Activation = Get<'/api/tenants/{id}/rules/history'>['activations'][number];
export type PreviewReport = Post<'/api/tenants/{id}/rules/{versionId}/preview'>;
export type ConnectionTest = Post<'/api/tenants/{id}/connections/{system}/test'>;
export type StockImportResult = Post<'/api/tenants/{id}/stock/import'>;

/** Who is logged in, with the session's CSRF token (POST /api/auth/login, GET /api/auth/me). */
export type Session = Post<'/api/auth/login'>;
export type User = Session['user'];
export type TenantUser = Get<'/api/tenants/{id}/users'>['users'][number];
