import { defaultRuleSet } from '../mapping/defaults.ts';
import type { Direction } from '../mapping/schema.ts';
import { RuleSetRepository } from '../mapping/versions.ts';
import type { Db } from '../store/db.ts';
import type { SecretBox } from './secrets.ts';
import { TenantRepository, type Tenant } from './tenants.ts';

/**
 * Create a tenant ready to sync: the tenant itself plus active catalog and order rule sets (the shipped
 * DE → RO defaults unless others are given), each created, validated and activated as audited steps.
 * The merchant then edits copies of them (brands, categories, images) without a deploy.
 */
export async function onboardTenant(
  db: Db,
  box: SecretBox,
  input: { id: string; name: string; settings?: Record<string, unknown> },
  actor: string,
  rules: Partial<Record<Direction, unknown>> = {},
): Promise<Tenant> {
  const tenant = await new TenantRepository(db, box).create(input, actor);
  const repo = new RuleSetRepository(db);
  for (const direction of ['catalog', 'order'] as const) {
    const draft = await repo.createDraft(tenant.id, direction, rules[direction] ?? defaultRuleSet(direction), { actor, note: 'rule set at onboarding' });
    await repo.validate(tenant.id, draft.id, actor);
    await repo.activate(tenant.id, draft.id, { actor, reason: 'initial rule set at onboarding' });
  }
  return tenant;
}
