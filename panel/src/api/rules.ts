import { call, client } from './client.ts';
import type { Direction, RuleVersion } from './types.ts';

/** The rule-set API of a tenant (versions, drafts, validation, preview, activation, rollback). */
export function rulesApi(tenant: string) {
  const id = { id: tenant };
  const v = (versionId: number) => ({ params: { path: { id: tenant, versionId } } });
  return {
    list: async (direction: Direction) => (await call(client.GET('/api/tenants/{id}/rules', { params: { path: id, query: { direction } } }))).versions,
    get: (versionId: number) => call(client.GET('/api/tenants/{id}/rules/{versionId}', v(versionId))),
    /** A draft from the document (an object, or its JSON text: decimals written as numbers are read exactly). */
    create: (direction: Direction, document: Record<string, unknown> | string, note: string) => call(client.POST('/api/tenants/{id}/rules', { params: { path: id }, body: { direction, document, note } })),
    validate: (versionId: number) => call(client.POST('/api/tenants/{id}/rules/{versionId}/validate', v(versionId))),
    preview: (versionId: number) => call(client.POST('/api/tenants/{id}/rules/{versionId}/preview', { ...v(versionId), body: { limit: 1000 } })),
    activate: (versionId: number, reason: string) => call(client.POST('/api/tenants/{id}/rules/{versionId}/activate', { ...v(versionId), body: { reason } })),
    rollback: (direction: Direction, reason: string, to?: number) => call(client.POST('/api/tenants/{id}/rules/rollback', { params: { path: id }, body: { direction, reason, ...(to ? { to } : {}) } })),
    history: async (direction: Direction) => (await call(client.GET('/api/tenants/{id}/rules/history', { params: { path: id, query: { direction } } }))).activations,
    /** The active version with its document (the starting point of an edit). */
    async active(direction: Direction) {
      const a = (await this.list(direction)).find((x: RuleVersion) => x.active);
      return a ? this.get(a.id) : undefined;
    },
    /** Draft → validate → activate: what the onboarding's rule step does in one go. */
    async createAndActivate(direction: Direction, document: Record<string, unknown>, note: string, reason: string) {
      const d = await this.create(direction, document, note);
      await this.validate(d.id);
      await this.activate(d.id, reason);
      return d;
    },
  };
}
