/** `ILIKE` pattern for "contains `text`": the wildcard characters in it match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
