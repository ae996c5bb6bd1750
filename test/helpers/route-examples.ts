import { defaultRuleSet } from '../../src/mapping/defaults.ts';

/**
 * A valid request for every route the web server has (bad-input-fields.test.ts spoils them one part at a
 * time; tenant-isolation.test.ts replays them as another tenant's merchant). A new route fails
 * bad-input-fields.test.ts until it is listed here. Tenant-scoped examples use tenant id "shop".
 */
export interface Example {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** The route authenticates the caller before it reads fields (webhooks): refusals need not name them. */
  readonly opaque?: boolean;
  /** The route is about the caller's own panel session: sent with a fresh session (cookie + CSRF token), not the API token. */
  readonly session?: boolean;
}

export const TOKEN = 'bad-input-test-token-0123456789';
export const USER = { email: 'ops@example.com', password: 'correct horse battery staple' };

export const SKU = 'SKU-1';
/** A valid request per route; the cases below spoil one part of it at a time. */
export const EXAMPLES: Record<string, Example> = {
  'GET /healthz': {},
  'GET /readyz': {},
  'POST /api/auth/login': { body: USER },
  'GET /api/auth/me': { session: true },
  'POST /api/auth/logout': { session: true },
  'POST /api/auth/logout-all': { session: true },
  'POST /api/auth/password': { session: true, body: { currentPassword: USER.password, newPassword: USER.password } },
  'GET /api/users': {},
  'POST /api/users': { body: { email: 'new@example.com', role: 'merchant', password: 'a long enough password', tenants: ['shop'] } },
  'GET /api/tenants/:id/users': {},
  'GET /api/tenants': {},
  'POST /api/tenants': { body: { id: 'fresh', name: 'Fresh SRL', settings: { sync: { heartbeatMinutes: 5 } } } },
  'GET /api/tenants/:id': {},
  'PUT /api/tenants/:id/connections/:system': { params: { system: 'celro' }, body: { credentials: { username: 'u', password: 'p' }, baseUrl: 'http://127.0.0.1:9/', settings: {}, enabled: true } },
  'GET /api/tenants/:id/audit': { query: { limit: '10' } },
  'GET /api/tenants/:id/stock': { query: { limit: '10', after: 'A', q: 'SKU' } },
  'PUT /api/tenants/:id/stock/:sku': { params: { sku: SKU }, body: { onHand: 5, reason: 'count' } },
  'POST /api/tenants/:id/stock/:sku/adjust': { params: { sku: SKU }, body: { delta: 1, reason: 'found one' } },
  'POST /api/tenants/:id/stock/import': { body: [{ sku: SKU, quantity: 3 }] },
  'PUT /api/tenants/:id/stock-policy': { body: { bufferKind: 'absolute', bufferValue: '1', floor: 0, cap: 10 } },
  'PUT /api/tenants/:id/stock-policy/:sku': { params: { sku: SKU }, body: { bufferKind: 'percent', bufferValue: '10', floor: 1, cap: 50 } },
  'POST /api/tenants/:id/sync': { body: { what: 'stock' } },
  'GET /api/tenants/:id/sync-requests/:requestId': { params: { requestId: '1' } },
  'GET /api/tenants/:id/runs': { query: { limit: '5' } },
  'GET /api/tenants/:id/failures': { query: { limit: '5' } },
  'GET /api/tenants/:id/offers': { query: { state: 'held', limit: '10', after: 'A', q: 'lamp' } },
  'POST /api/tenants/:id/offers/:sku/approve-price': { params: { sku: SKU } },
  'GET /api/tenants/:id/payments': { query: { orderId: '12345', limit: '10' } },
  'POST /api/tenants/:id/shipments': { body: { orderId: '12345', courier: 'manual', awbNumber: 'AWB-1', courierName: 'Cargus', weightKg: '1.5', parcels: 1 } },
  'POST /api/tenants/:id/shipments/import': { body: [{ order: '12345', courier: 'Cargus', awb: 'AWB-1' }] },
  'GET /api/tenants/:id/shipments': { query: { orderId: '12345' } },
  'POST /api/tenants/:id/shipments/track': {},
  'GET /api/tenants/:id/orders': { query: { state: 'quarantined', q: 'Popescu', limit: '10' } },
  'GET /api/tenants/:id/orders/:orderId': { params: { orderId: '12345' } },
  'POST /api/tenants/:id/orders/:orderId/replay': { params: { orderId: '12345' } },
  'POST /api/tenants/:id/orders/replay': { query: { reason: 'unknown_sku' } },
  'POST /api/tenants/:id/orders/poll': {},
  'POST /api/tenants/:id/orders/fetch': { body: { orderIds: ['12345'] } },
  'GET /api/tenants/:id/orders/push-link': {},
  'PUT /api/tenants/:id/orders/:orderId/invoice': { params: { orderId: '12345' }, body: { series: 'FCT', number: '1001', pdfBase64: Buffer.from('%PDF-1.4 minimal').toString('base64') } },
  'POST /api/tenants/:id/orders/:orderId/invoice/retry': { params: { orderId: '12345' } },
  'GET /metrics': {},
  'POST /webhooks/payments/:tenantId': { body: { orderId: '12345', status: 'paid', amount: '149.90', currency: 'RON', provider: 'netopia', reference: 'p-1', occurredAt: '2026-12-04T10:00:00+02:00' }, opaque: true },
  'GET /webhooks/celro/:tenantId/:secret': { params: { secret: 'not-the-secret' }, query: { type: '1', value: '{"list":[12345]}' }, opaque: true },
  'POST /webhooks/celro/:tenantId/:secret': { params: { secret: 'not-the-secret' }, query: { type: '1', value: '{"list":[12345]}' }, opaque: true },
  'POST /webhooks/lexoffice/:tenantId': { body: { organizationId: 'o', eventType: 'article.changed', resourceId: 'r', eventDate: '2026-12-04T10:00:00.000+01:00' }, opaque: true },
  'GET /api/docs': {},
  'GET /api/docs/json': {},
  'GET /api/docs/yaml': {},
  'GET /api/docs/static/index.html': {},
  // The panel (src/http/panel.ts): its files, and index.html for its client-side routes.
  'GET /': {},
  'GET /*': {},
  'GET /api/docs/static/swagger-initializer.js': {},
  'GET /api/docs/static/*': {},
  'POST /api/tenants/:id/connections/:system/test': { params: { system: 'payments' } },
  'GET /api/tenants/:id/stock/:sku/ledger': { params: { sku: SKU }, query: { limit: '10' } },
  'GET /api/tenants/:id/stock-policy': {},
  'GET /api/tenants/:id/offers/:sku': { params: { sku: SKU } },
  'GET /api/tenants/:id/rules': { query: { direction: 'catalog' } },
  'GET /api/tenants/:id/rules/history': { query: { direction: 'catalog' } },
  'GET /api/tenants/:id/rules/:versionId': { params: { versionId: '1' } },
  'POST /api/tenants/:id/rules': { body: { direction: 'catalog', document: defaultRuleSet('catalog'), note: 'first' } },
  'POST /api/tenants/:id/rules/:versionId/validate': { params: { versionId: '1' } },
  'POST /api/tenants/:id/rules/:versionId/preview': { params: { versionId: '1' }, body: { date: '2026-12-04', limit: 10, status: ['changed'] } },
  'POST /api/tenants/:id/rules/:versionId/activate': { params: { versionId: '999' }, body: { reason: 'new prices' } },
  'GET /api/tenants/:id/dashboard': {},
  'GET /api/alerts': { query: { state: 'all', limit: '10' } },
  'GET /api/tenants/:id/alerts': { query: { state: 'open', limit: '10' } },
  'POST /api/tenants/:id/rules/rollback': { body: { direction: 'catalog', reason: 'back', to: 999 } },
};


/** The route's URL with its parameters filled in (unnamed ones: "shop" for tenants, "x" otherwise). */
export function urlOf(route: string, params: Record<string, string>, query: Record<string, string> = {}): string {
  const path = route.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? (name === 'id' || name === 'tenantId' ? 'shop' : 'x'));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${path}?${qs}` : path;
}

