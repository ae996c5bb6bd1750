import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CATALOG_RULES, DEFAULT_ORDER_RULES } from '../../src/mapping/defaults.ts';
import { RuleSetRepository } from '../../src/mapping/versions.ts';
import type { Db } from '../../src/store/db.ts';
import { createSecretBox } from '../../src/tenants/secrets.ts';
import { TenantRepository } from '../../src/tenants/tenants.ts';
import { testPglite } from '../helpers/stores.ts';

describe('a tenant’s rule set must be usable, not only well-formed', () => {
  let db: Db;
  let repo: RuleSetRepository;
  before(async () => {
    db = await testPglite();
    await new TenantRepository(db, createSecretBox(randomBytes(32).toString('base64'))).create({ id: 'shop', name: 'Shop' }, 'test');
    repo = new RuleSetRepository(db);
  });
  after(async () => db?.close());

  const catalog = () => structuredClone(DEFAULT_CATALOG_RULES) as unknown as { fields: Record<string, Record<string, unknown>> };

  it('refuses a catalog rule set without products_model, naming the field and why', async () => {
    const doc = catalog();
    delete doc.fields.products_model;
    await assert.rejects(repo.createDraft('shop', 'catalog', doc, { actor: 't' }), (e: Error & { issues?: Array<{ path: string; message: string }> }) => {
      assert.deepEqual(e.issues?.map((i) => i.path), ['$.fields']);
      assert.match(e.message, /must produce "products_model": Cel.ro cannot take the result without it/);
      return true;
    });
  });

  it('refuses a path the inputs do not have (a typo would map to nothing, silently), anywhere it is read', async () => {
    const doc = catalog();
    doc.fields.products_name = { from: 'product.titel' };
    doc.fields.extra = { from: 'article.price.netPrice', pipeline: [{ op: 'multiply', byFrom: 'product.netPrice.amont' }] };
    await assert.rejects(repo.createDraft('shop', 'catalog', doc, { actor: 't' }), (e: Error & { issues?: Array<{ path: string; message: string }> }) => {
      assert.deepEqual(e.issues?.map((i) => i.path), ['$.fields.products_name.from', '$.fields.extra.pipeline[0].byFrom']);
      assert.match(e.message, /"product.titel" reads "titel", which product does not have \(it has: sku, title/);
      return true;
    });
  });

  it('accepts the default rule sets of both directions', async () => {
    await repo.createDraft('shop', 'catalog', DEFAULT_CATALOG_RULES, { actor: 't' });
    const order = await repo.createDraft('shop', 'order', DEFAULT_ORDER_RULES, { actor: 't' });
    assert.equal((await repo.validate('shop', order.id, 't')).status, 'validated');
  });
});
