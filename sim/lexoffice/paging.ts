/** Spring-style page objects as lexoffice returns them (research §1.7). */
export interface PageSort {
  readonly property: string;
  readonly direction: 'ASC' | 'DESC';
}

export interface Page<T> {
  content: T[];
  first: boolean;
  last: boolean;
  totalPages: number;
  totalElements: number;
  numberOfElements: number;
  size: number;
  number: number;
  sort: { direction: string; property: string; ignoreCase: boolean; nullHandling: string; ascending: boolean }[];
}

export function pageOf<T>(all: readonly T[], page: number, size: number, sort: PageSort, cap = Infinity): Page<T> {
  const totalElements = Math.min(all.length, cap);
  const content = all.slice(page * size, Math.min((page + 1) * size, totalElements));
  const totalPages = Math.ceil(totalElements / size);
  return {
    content,
    first: page === 0,
    last: page >= totalPages - 1,
    totalPages,
    totalElements,
    numberOfElements: content.length,
    size,
    number: page,
    sort: [{ direction: sort.direction, property: sort.property, ignoreCase: false, nullHandling: 'NATIVE', ascending: sort.direction === 'ASC' }],
  };
}

/** `page`/`size` query values: out-of-range or non-numeric values silently fall back to defaults (LIVE). */
export function pageParams(q: Record<string, string | undefined>, maxSize: number, defaultSize = 25): { page: number; size: number } {
  const p = Number(q.page);
  const s = Number(q.size);
  return {
    page: Number.isInteger(p) && p >= 0 ? p : 0,
    size: Number.isInteger(s) && s >= 1 && s <= maxSize ? s : defaultSize,
  };
}
