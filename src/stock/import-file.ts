import { ValidationError, type ValidationIssue } from '../core/errors.ts';
import { quantityProblem, skuProblem } from './bounds.ts';

export interface OnHandRow {
  readonly sku: string;
  readonly onHand: number;
}

/** Rows checked between two yields to the event loop (a 100k-row file must not stall the server). */
const SLICE = 5000;

/**
 * Parse a stock file: CSV with a header naming `sku` and `quantity` (or `on_hand`/`qty`; `,` or `;`
 * separated, quotes allowed) or JSON (`[{ "sku": …, "quantity": … }]`, as text or already parsed). Every
 * bad row is reported with its line; if any row is bad nothing is imported. Works in slices, yielding
 * to the event loop between them.
 */
export async function parseStockFile(input: string | unknown[], format: 'csv' | 'json'): Promise<OnHandRow[]> {
  const rows = new RowCollector();
  if (format === 'json') {
    let data: unknown = input;
    if (typeof input === 'string') {
      try {
        data = JSON.parse(input);
      } catch (e) {
        throw new ValidationError(`stock file is not valid JSON: ${(e as Error).message}`);
      }
    }
    if (!Array.isArray(data)) throw new ValidationError('stock JSON must be an array of { sku, quantity }');
    for (let i = 0; i < data.length; i++) {
      const o = (data[i] ?? {}) as Record<string, unknown>;
      rows.take(`[${i}]`, o.sku, o.quantity ?? o.onHand ?? o.on_hand ?? o.qty);
      if (i % SLICE === SLICE - 1) await breathe();
    }
    return rows.result();
  }
  if (typeof input !== 'string') throw new ValidationError('a stock CSV must be text');
  const lines = input.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0] ?? '';
  const sep = header.includes(';') && !header.includes(',') ? ';' : ',';
  const cols = splitCsvLine(header, sep).map((c) => c.trim().toLowerCase());
  const skuCol = cols.indexOf('sku');
  const qtyCol = cols.findIndex((c) => ['quantity', 'on_hand', 'onhand', 'qty', 'stock'].includes(c));
  if (skuCol < 0 || qtyCol < 0) throw new ValidationError(`stock CSV header must name "sku" and "quantity" columns; found: ${cols.join(', ') || '(empty)'}`);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim()) {
      const f = splitCsvLine(line, sep);
      rows.take(`line ${i + 1}`, f[skuCol], f[qtyCol]);
    }
    if (i % SLICE === 0) await breathe();
  }
  return rows.result();
}

/** Checks each row (bounds, duplicates) and collects the good ones and the problems. */
class RowCollector {
  private readonly issues: ValidationIssue[] = [];
  private readonly rows: OnHandRow[] = [];
  private readonly seen = new Map<string, string>();

  take(where: string, sku: unknown, qty: unknown): void {
    const s = typeof sku === 'string' ? sku.trim() : typeof sku === 'number' ? String(sku) : '';
    if (!s) return void this.issues.push({ path: where, message: 'missing sku' });
    const badSku = skuProblem(s);
    if (badSku) return void this.issues.push({ path: where, message: badSku });
    const qText = typeof qty === 'number' ? String(qty) : typeof qty === 'string' ? qty.trim() : '';
    if (!/^\d+$/.test(qText)) return void this.issues.push({ path: where, message: `quantity for ${s} must be a whole number ≥ 0, got ${JSON.stringify(qty ?? null).slice(0, 40)}` });
    const badQty = quantityProblem(Number(qText));
    if (badQty) return void this.issues.push({ path: where, message: `${s}: ${badQty}, got ${qText.slice(0, 40)}` });
    const prev = this.seen.get(s);
    if (prev) return void this.issues.push({ path: where, message: `sku ${s} appears twice (first at ${prev})` });
    this.seen.set(s, where);
    this.rows.push({ sku: s, onHand: Number(qText) });
  }

  result(): OnHandRow[] {
    const issues = this.issues;
    if (issues.length) throw new ValidationError(`stock file rejected, nothing imported: ${issues.length} bad row(s): ${issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues.slice(0, 1000));
    return this.rows;
  }
}

function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function splitCsvLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
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
