/**
 * What a host hands the core for one spreadsheet cell, and A1 addressing.
 *
 * Hosts pass cell values as they read them: Excel's `values` and Apps Script's `getValues()` give
 * strings, numbers, booleans and (Apps Script) Date objects; a .xlsx reader may give Date objects
 * too. Spreadsheet errors (#REF!, #N/A, ...) arrive as strings and are recognised here.
 */

export type CellValue = string | number | boolean | Date | null | undefined;

/** A 2-D block of cell values, first index = row. */
export type Grid = readonly (readonly CellValue[])[];

/** Where a value came from; both parts optional (a value typed at a prompt has neither). */
export interface Where {
  readonly sheet?: string;
  readonly cell?: string;
}

const SPREADSHEET_ERRORS: ReadonlySet<string> = new Set([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#GETTING_DATA',
  '#SPILL!',
  '#CALC!',
  '#FIELD!',
  '#BLOCKED!',
  '#CONNECT!',
  '#BUSY!',
  '#UNKNOWN!',
  '#ERROR!',
  '#PYTHON!',
]);

/** The spreadsheet error a cell holds ("#REF!"), or undefined. */
export function spreadsheetError(value: CellValue): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toUpperCase();
  return SPREADSHEET_ERRORS.has(t) ? t : undefined;
}

/** True for an empty cell: null, undefined, or a string of only white space. */
export function isBlank(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "AA" → 26. Returns -1 for text that is not a column. */
function columnIndex(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return -1;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Zero-based row and column → "C14". */
export function a1(row: number, column: number): string {
  return `${columnLetter(column)}${row + 1}`;
}

/** "C14" → { row: 13, column: 2 }, or undefined for anything else. */
export function parseA1(ref: string): { row: number; column: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$/.exec(ref.trim());
  if (!m) return undefined;
  return { row: Number(m[2]) - 1, column: columnIndex(m[1] as string) };
}

/** The text a cell shows for a value, for messages ("" for blank). */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString().slice(0, 10);
  return String(value);
}

/** Code-unit comparison (the same in every JavaScript host, unlike localeCompare). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
