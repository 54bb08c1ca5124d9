/**
 * What every adapter of the workbook port needs and would otherwise write for itself: trimming a
 * read grid to its used range, building a row window, telling whether a marked row falls inside a
 * clearMarks range, and writing sheet references in formulas (quoted names, absolute ranges).
 * The genesis hash of an empty document state is GENESIS_HASH (core/approval/audit), used through
 * emptyDocumentState and decodeDocumentState (./state).
 */
import type { CellValue } from '../cells';
import type { ClearMarks, RowRequest, RowWindow } from './types';

/** Only null, undefined and '' are blank: a cell holding a space is used. */
export function isBlankCell(v: CellValue | undefined): boolean {
  return v === null || v === undefined || v === '';
}

/** A row cut or padded (with null) to `width` cells; blanks become null. */
export function padRow(row: readonly (CellValue | undefined)[], width: number): CellValue[] {
  const out = new Array<CellValue>(Math.max(0, width));
  for (let c = 0; c < out.length; c++) {
    const v = row[c];
    out[c] = isBlankCell(v) ? null : (v as CellValue);
  }
  return out;
}

/**
 * A grid as the port reads it: from A1 to the last used cell, every row as long as the used width,
 * blanks as null (trailing blank rows and columns dropped).
 */
export function trimGrid(rows: readonly (readonly (CellValue | undefined)[] | undefined)[]): CellValue[][] {
  let height = rows.length;
  while (height > 0 && (rows[height - 1] ?? []).every(isBlankCell)) height--;
  let width = 0;
  for (let r = 0; r < height; r++) {
    const row = rows[r] ?? [];
    for (let c = row.length - 1; c >= width; c--)
      if (!isBlankCell(row[c])) {
        width = c + 1;
        break;
      }
  }
  const out = new Array<CellValue[]>(height);
  for (let r = 0; r < height; r++) out[r] = padRow(rows[r] ?? [], width);
  return out;
}

/**
 * The window a RowRequest asks for: row 0 as the header and rows from..to, each `width` cells long;
 * `rowAt` gives a row of the sheet (undefined past its end, which reads as a blank row).
 */
export function rowWindow(
  request: RowRequest,
  width: number,
  rowAt: (row: number) => readonly (CellValue | undefined)[] | undefined,
): RowWindow {
  const values: CellValue[][] = [];
  for (let r = Math.max(0, request.from); r <= request.to; r++) values.push(padRow(rowAt(r) ?? [], width));
  return {
    sheet: request.sheet,
    from: request.from,
    to: request.to,
    header: padRow(rowAt(0) ?? [], width),
    values,
  };
}

/** Whether a mark on `row` (0-based) is cleared by `clear` (rows from..to; the whole sheet when omitted). */
export function insideClear(row: number, clear: Pick<ClearMarks, 'from' | 'to'>): boolean {
  return (clear.from === undefined || row >= clear.from) && (clear.to === undefined || row <= clear.to);
}

/** A sheet name as a formula or A1 reference writes it: quoted ('Site 1', 'O''Brien') unless plain. */
export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** "B2:B120" → "$B$2:$B$120" (a reference that stays put when copied). */
export function absoluteRange(range: string): string {
  return range
    .split(':')
    .map((p) => p.replace(/^\$?([A-Za-z]+)\$?(\d+)$/, '$$$1$$$2'))
    .join(':');
}

/** The last row a host's sheet can have (.xlsx and Excel). */
export const MAX_SHEET_ROWS = 1_048_576;

/**
 * A rule's range with an open end ("B2:B") closed at `lastRow` (1-based), for hosts that need a
 * closed range; a closed range is returned as it is (upper case, no $).
 */
export function closeRange(range: string, lastRow: number = MAX_SHEET_ROWS): string {
  const r = range.replace(/\$/g, '').toUpperCase();
  const m = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})$/.exec(r);
  return m ? `${m[1]}${m[2]}:${m[3]}${Math.max(Number(m[2]), lastRow)}` : r;
}

/** `wanted`, or `wanted_2`, `wanted_3` … : the first not in `taken` (compared case-insensitively, as Excel does). */
export function uniqueTableName(wanted: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  if (!used.has(wanted.toLowerCase())) return wanted;
  let n = 2;
  while (used.has(`${wanted}_${n}`.toLowerCase())) n++;
  return `${wanted}_${n}`;
}

/** Whether a table named `name` is the one Budgetline asked for as `wanted` (its name, or with a suffix). */
export function isOwnTable(name: string, wanted: string): boolean {
  const n = name.toLowerCase();
  const w = wanted.toLowerCase();
  return n === w || new RegExp(`^${w.replace(/[^a-z0-9_]/g, '')}_\\d+$`).test(n);
}

/** The first cell of an A1 range, upper case without $ ("a1:r20" → "A1"). */
export function firstCell(range: string): string {
  return (range.split(':')[0] ?? '').replace(/\$/g, '').toUpperCase();
}
