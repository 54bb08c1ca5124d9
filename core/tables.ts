/**
 * Reading spreadsheet tables by header name: headers are matched case-insensitively, ignoring spaces
 * and punctuation, with synonyms, so a district may reorder columns or add its own.
 */
import { a1, cellText, type CellValue, type Grid } from './cells';
import { diag, type Diagnostic } from './diagnostics';

export interface ColumnSpec {
  /** The canonical header, used in messages ("From FY"). */
  readonly header: string;
  readonly synonyms?: readonly string[];
  readonly required?: boolean;
}

/** "From FY" → "fromfy"; "Program-Intent" → "programintent". */
export function normalizeHeader(h: CellValue): string {
  return cellText(h)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/**
 * Finds the columns of `spec` in `header`. Returns the column index per key (-1 when absent) and a
 * BL306 finding for each missing required column.
 */
export function findColumns<K extends string>(
  header: readonly CellValue[],
  spec: Readonly<Record<K, ColumnSpec>>,
  table: string,
  sheet?: string,
): { columns: Record<K, number>; diagnostics: Diagnostic[] } {
  const names = header.map(normalizeHeader);
  const columns = {} as Record<K, number>;
  const diagnostics: Diagnostic[] = [];
  for (const key of Object.keys(spec) as K[]) {
    const s = spec[key];
    const wanted = [s.header, ...(s.synonyms ?? [])].map(normalizeHeader);
    let at = -1;
    for (const w of wanted) {
      at = names.indexOf(w);
      if (at >= 0) break;
    }
    columns[key] = at;
    if (at < 0 && s.required)
      diagnostics.push(diag('BL306', { table, column: s.header }, sheet ? { sheet, cell: 'A1' } : {}));
  }
  return { columns, diagnostics };
}

/** The data rows of a grid (after the header), skipping rows that are entirely blank, with their grid row index. */
export function dataRows(grid: Grid): { row: readonly CellValue[]; index: number }[] {
  const out: { row: readonly CellValue[]; index: number }[] = [];
  for (let r = 1; r < grid.length; r++) {
    const row = grid[r] as readonly CellValue[];
    if (row.some((v) => v !== null && v !== undefined && cellText(v).trim() !== ''))
      out.push({ row, index: r });
  }
  return out;
}

/** The cell address of column `col` in grid row `index`, offset by where the table starts. */
export function cellAt(
  index: number,
  col: number,
  origin: { row: number; column: number } = { row: 0, column: 0 },
): string {
  return a1(origin.row + index, origin.column + col);
}
