/**
 * The common shape of every table reader in this area: a Grid (first row = headers) in, typed rows
 * and every finding out. Built on core/tables.ts (header matching with synonyms).
 */
import { cellText, compareText, isBlank, type CellValue, type Grid, type Where } from '../cells';
import type { Diagnostic } from '../diagnostics';
import { cellAt, dataRows, findColumns, normalizeHeader, type ColumnSpec } from '../tables';

export interface TableOptions {
  /** The sheet the table is on (defaults to the table's name). */
  readonly sheet?: string;
  /** Where the table's header cell A sits on the sheet, zero-based (defaults to A1). */
  readonly origin?: { readonly row: number; readonly column: number };
}

export interface TableResult<T> {
  readonly rows: T[];
  readonly diagnostics: Diagnostic[];
}

export interface OpenTable<K extends string> {
  /** False when a required column is missing (its finding is in `diagnostics`). */
  readonly ok: boolean;
  readonly sheet: string;
  readonly header: readonly CellValue[];
  readonly columns: Record<K, number>;
  readonly rows: { row: readonly CellValue[]; index: number }[];
  readonly diagnostics: Diagnostic[];
  has(key: K): boolean;
  value(row: readonly CellValue[], key: K): CellValue;
  text(row: readonly CellValue[], key: K): string;
  blank(row: readonly CellValue[], key: K): boolean;
  where(index: number, key: K): Where;
  whereCol(index: number, column: number): Where;
}

export function openTable<K extends string>(
  grid: Grid,
  spec: Readonly<Record<K, ColumnSpec>>,
  table: string,
  options: TableOptions = {},
): OpenTable<K> {
  const sheet = options.sheet ?? table;
  const origin = options.origin ?? { row: 0, column: 0 };
  const header = grid[0] ?? [];
  const found = findColumns(header, spec, table, sheet);
  const diagnostics: Diagnostic[] = found.diagnostics.map((d) => ({
    ...d,
    sheet,
    cell: cellAt(0, 0, origin),
  }));
  const columns = found.columns;
  const value = (row: readonly CellValue[], key: K): CellValue => {
    const c = columns[key];
    return c >= 0 ? row[c] : undefined;
  };
  return {
    ok: diagnostics.length === 0,
    sheet,
    header,
    columns,
    rows: diagnostics.length === 0 ? dataRows(grid) : [],
    diagnostics,
    has: (key) => columns[key] >= 0,
    value,
    text: (row, key) => cellText(value(row, key)).trim(),
    blank: (row, key) => isBlank(value(row, key)),
    where: (index, key) => ({ sheet, cell: cellAt(index, Math.max(0, columns[key]), origin) }),
    whereCol: (index, column) => ({ sheet, cell: cellAt(index, column, origin) }),
  };
}

/** Header columns whose normalised name matches `re` (e.g. /^account(\d*)$/), with the captured number (1 when absent). */
export function numberedColumns(header: readonly CellValue[], re: RegExp): Map<number, number> {
  const out = new Map<number, number>();
  header.forEach((h, col) => {
    const m = re.exec(normalizeHeader(cellText(h).replace(/%/g, 'percent')));
    if (!m) return;
    const n = m[1] ? Number(m[1]) : 1;
    if (!out.has(n)) out.set(n, col);
  });
  return out;
}

/** Closest keys to `wanted` for "did you mean" (same prefix or small edit distance), best first. */
export function similarNames(wanted: string, known: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: [number, string][] = [];
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase());
    if (d <= Math.max(1, Math.floor(k.length / 3))) scored.push([d, k]);
  }
  scored.sort((a, b) => a[0] - b[0] || compareText(a[1], b[1]));
  return scored.slice(0, max).map((x) => x[1]);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** First-seen key bookkeeping for "listed twice" findings. */
export function firstSeen(): { check(key: string, where: Where): Where | undefined } {
  const seen = new Map<string, Where>();
  return {
    check(key, where) {
      const f = seen.get(key);
      if (f) return f;
      seen.set(key, where);
      return undefined;
    },
  };
}
