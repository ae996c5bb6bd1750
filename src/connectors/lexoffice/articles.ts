import type { ValidationIssue } from '../../core/errors.ts';
import { type Article, type Page, articleSchema } from './schemas.ts';

/** An article row that cannot be used (the rest of its page can): kept with its payload for quarantine. */
export interface RejectedArticle {
  readonly raw: unknown;
  readonly id: string | null;
  readonly articleNumber: string | null;
  readonly reason: string;
  readonly issues: readonly ValidationIssue[];
}

export interface ArticlePage extends Page<Article> {
  /** Rows of this page that did not parse; `content` holds the others. */
  readonly rejected: readonly RejectedArticle[];
}

/** One article row: the parsed article, or why it cannot be used (with the raw row, for quarantine). */
export function parseArticle(raw: unknown): { article: Article } | { rejected: RejectedArticle } {
  const r = articleSchema.safeParse(raw);
  if (r.success) return { article: r.data };
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.') || '$', message: i.message }));
  return {
    rejected: {
      raw,
      id: typeof o.id === 'string' ? o.id : null,
      articleNumber: typeof o.articleNumber === 'string' ? o.articleNumber : null,
      reason: `lexoffice article not usable: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  };
}
