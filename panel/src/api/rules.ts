import { api, enc, qs } from './client.ts';
import type { Direction, PreviewReport, RuleVersion } from './types.ts';

/** The rule-set API of a tenant (versions, drafts, validation, preview, activation, rollback). */
export function rulesApi(tenant: string) {
  const base = `/tenants/${enc(tenant)}/rules`;
  return {
    async list(direction: Direction): Promise<RuleVersion[]> {
      const r = await api.get<{ versions?: RuleVersion[] } | RuleVersion[]>(`${base}${qs({ direction })}`);
      return Array.isArray(r) ? r : (r.versions ?? []);
    },
    async get(id: number): Promise<RuleVersion & { document: unknown }> {
      const r = await api.get<(RuleVersion & { document: unknown }) | { version: RuleVersion; document: unknown }>(`${base}/${id}`);
      return 'version' in r && typeof r.version === 'object' ? { ...r.version, document: r.document } : (r as RuleVersion & { document: unknown });
    },
    async create(direction: Direction, document: unknown, note: string): Promise<RuleVersion> {
      const r = await api.post<RuleVersion | { version: RuleVersion }>(base, { direction, document, note });
      return 'version' in r && typeof r.version === 'object' ? r.version : (r as RuleVersion);
    },
    validate: (id: number) => api.post<unknown>(`${base}/${id}/validate`),
    preview: (id: number) => api.post<PreviewReport>(`${base}/${id}/preview`),
    activate: (id: number, reason: string) => api.post<unknown>(`${base}/${id}/activate`, { reason }),
    rollback: (direction: Direction, reason: string, to?: number) => api.post<unknown>(`${base}/rollback`, { direction, reason, ...(to ? { to } : {}) }),
    async history(direction: Direction): Promise<Array<Record<string, unknown>>> {
      const r = await api.get<{ history?: Array<Record<string, unknown>>; activations?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>>(`${base}/history${qs({ direction })}`);
      return Array.isArray(r) ? r : (r.history ?? r.activations ?? []);
    },
    /** The active version with its document (the starting point of an edit). */
    async active(direction: Direction): Promise<(RuleVersion & { document: unknown }) | undefined> {
      const v = (await this.list(direction)).find((x) => x.active);
      return v ? this.get(v.id) : undefined;
    },
    /** Draft → validate → activate: what the onboarding's rule step does in one go. */
    async createAndActivate(direction: Direction, document: unknown, note: string, reason: string): Promise<RuleVersion> {
      const v = await this.create(direction, document, note);
      await this.validate(v.id);
      await this.activate(v.id, reason);
      return v;
    },
  };
}
