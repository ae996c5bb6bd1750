import { generatePassword } from '../auth/passwords.ts';
import { UserRepository } from '../auth/users-repo.ts';
import type { App } from '../app.ts';
import { TenantRepository } from '../tenants/tenants.ts';

export const DEMO_OPERATOR = 'operator@vortex.local';
export const DEMO_MERCHANT = 'merchant@demo-shop.local';

/** Who can log in to the demo panel; the password only when it was made now (shown once, stored hashed). */
export interface DemoUsers {
  readonly operator: string;
  readonly merchant: string;
  readonly password: string | undefined;
  readonly created: boolean;
}

/**
 * The first start creates an operator and a merchant of the demo tenant. Their password is
 * VORTEX_ADMIN_PASSWORD, or a random one printed once (and to be changed at first login); later starts
 * keep the users and their passwords.
 */
export async function ensureDemoUsers(app: App, tenantId: string, adminPassword: string | undefined): Promise<DemoUsers> {
  const users = new UserRepository(app.db);
  if ((await users.count()) > 0) return { operator: DEMO_OPERATOR, merchant: DEMO_MERCHANT, password: undefined, created: false };
  const password = adminPassword ?? generatePassword();
  const mustChangePassword = adminPassword === undefined;
  await users.create({ email: DEMO_OPERATOR, password, role: 'operator', mustChangePassword }, 'demo');
  await users.create({ email: DEMO_MERCHANT, password, role: 'merchant', tenants: [tenantId], mustChangePassword }, 'demo');
  const tenants = new TenantRepository(app.db, app.box);
  await tenants.audit(null, 'demo', 'user.created', DEMO_OPERATOR, { role: 'operator' });
  await tenants.audit(tenantId, 'demo', 'user.added', DEMO_MERCHANT, { role: 'merchant' });
  return { operator: DEMO_OPERATOR, merchant: DEMO_MERCHANT, password, created: true };
}
