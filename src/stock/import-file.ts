import { ValidationError, type ValidationIssue } from '../core/errors.ts';
import { quantityProblem, skuProblem } from './bounds.ts';

export interface OnHandRow {
  readonly sku: string;
  readonly onHand: number;
}

/**
 * Parse a stock file: CSV with a header naming `sku` and `quantity` (or `on_hand`/`qty`; `,` or `;`
 * separated, quotes allowed) or JSON (`[{ "sku": …, "quantity": … }]`). Every bad row is reported with
 * its line; if any row is bad nothing is imported.
 */
export function parseStockFile(text: string, format: 'csv' | 'json'): OnHandRow[] {
  const issues: ValidationIssue[] = [];
  const rows: OnHandRow[] = [];
  const seen = new Map<string, string>();
  const take = (where: string, sku: unknown, qty: unknown) => {
    const s = typeof sku === 'string' ? sku.trim() : typeof sku === 'number' ? String(sku) : '';
    if (!s) return issues.push({ path: where, message: 'missing sku' });
    const badSku = skuProblem(s);
    if (badSku) return issues.push({ path: where, message: badSku });
    const qText = typeof qty === 'number' ? String(qty) : typeof qty === 'string' ? qty.trim() : '';
    if (!/^\d+$/.test(qText)) return issues.push({ path: where, message: `quantity for ${s} must be a whole number ≥ 0, got ${JSON.stringify(qty ?? null).slice(0, 40)}` });
    const badQty = quantityProblem(Number(qText));
    if (badQty) return issues.push({ path: where, message: `${s}: ${badQty}, got ${qText.slice(0, 40)}` });
    const prev = seen.get(s);
    if (prev) return issues.push({ path: where, message: `sku ${s} appears twice (first at ${prev})` });
    seen.set(s, where);
    rows.push({ sku: s, onHand: Number(qText) });
  };

  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(`stock file is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(data)) throw new ValidationError('stock JSON must be an array of { sku, quantity }');
    data.forEach((item, i) => {
      const o = (item ?? {}) as Record<string, unknown>;
      take(`[${i}]`, o.sku, o.quantity ?? o.onHand ?? o.on_hand ?? o.qty);
    });
  } else {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = lines[0] ?? '';
    const sep = header.includes(';') && !header.includes(',') ? ';' : ',';
    const cols = splitCsvLine(header, sep).map((c) => c.trim().toLowerCase());
    const skuCol = cols.indexOf('sku');
    const qtyCol = cols.findIndex((c) => ['quantity', 'on_hand', 'onhand', 'qty', 'stock'].includes(c));
    if (skuCol < 0 || qtyCol < 0) throw new ValidationError(`stock CSV header must name "sku" and "quantity" columns; found: ${cols.join(', ') || '(empty)'}`);
    lines.slice(1).forEach((line, i) => {
      if (!line.trim()) return;
      const f = splitCsvLine(line, sep);
      take(`line ${i + 2}`, f[skuCol], f[qtyCol]);
    });
  }
  if (issues.length) throw new ValidationError(`stock file rejected, nothing imported: ${issues.length} bad row(s): ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  return rows;
}

function splitCsvLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
