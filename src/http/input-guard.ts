import type { ValidationIssue } from '../core/errors.ts';

/** JSON nested deeper than this is no configuration or stock file anyone writes by hand or by tool. */
export const MAX_INPUT_DEPTH = 32;

/**
 * What no route can store, whatever its schema says: text with NUL characters (PostgreSQL `text` and
 * `jsonb` refuse them, which would surface as a database error naming no field) and absurd nesting.
 * Pure; returns an issue per problem (at most 5), with the path where it is.
 */
export function unstorableInput(value: unknown, where: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (issues.length >= 5) return;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) issues.push({ path, message: 'must not contain NUL characters (\\u0000)' });
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (depth > MAX_INPUT_DEPTH) {
      issues.push({ path, message: `nested deeper than ${MAX_INPUT_DEPTH} levels` });
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && issues.length < 5; i++) walk(v[i], `${path}.${i}`, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k.includes('\u0000')) issues.push({ path, message: 'a key must not contain NUL characters (\\u0000)' });
      walk(x, `${path}.${k}`, depth + 1);
    }
  };
  walk(value, where, 0);
  // "body.onHand" reads better as "onHand"; params and query keep their prefix.
  return issues.map((i) => ({ ...i, path: i.path.replace(/^body\.?/, '') || '(root)' }));
}
