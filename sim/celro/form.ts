/**
 * PHP `$_POST` semantics for application/x-www-form-urlencoded bodies: `a[b][0][c]=v` builds nested
 * structures, `a[]=v` appends, the last duplicate wins. Arrays are returned as plain objects keyed by
 * string; `asList` turns one back into a list when its keys are 0..n-1 (what PHP code treats as a list).
 */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export function parsePhpForm(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const first = rawKey.indexOf('[');
    const base = first === -1 ? rawKey : rawKey.slice(0, first);
    if (base === '') continue;
    const path: string[] = [base];
    if (first !== -1) {
      const re = /\[([^\]]*)\]/gy;
      re.lastIndex = first;
      let m: RegExpExecArray | null;
      while ((m = re.exec(rawKey)) !== null) path.push(m[1] ?? '');
    }
    let node: FormObject = root;
    for (let i = 0; i < path.length; i++) {
      let key = path[i]!;
      if (key === '') key = String(nextIndex(node));
      if (i === path.length - 1) {
        node[key] = value;
      } else {
        const child = node[key];
        if (typeof child === 'object') node = child;
        else {
          const fresh: FormObject = {};
          node[key] = fresh;
          node = fresh;
        }
      }
    }
  }
  return root;
}

function nextIndex(o: FormObject): number {
  let max = -1;
  for (const k of Object.keys(o)) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
  return max + 1;
}

/** The values of a PHP "list" (keys 0..n-1, any order); undefined when it is not one. */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'object' || v === null) return undefined;
  const keys = Object.keys(v);
  if (!keys.every((k) => /^\d+$/.test(k))) return undefined;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => (v as Record<string, unknown>)[k]);
}
