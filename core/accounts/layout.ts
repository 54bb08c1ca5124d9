/**
 * Where the account is on a sheet: one account-string column, or one column per segment. Headers are
 * matched by name, case-insensitively, ignoring spaces and punctuation, with synonyms.
 */
import type { CellValue, Grid, Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { cellAt, dataRows, normalizeHeader } from '../tables';
import type { AccountCheck, Validator } from './api';
import type { Chart } from './types';

export type AccountLayout =
  | { readonly kind: 'string'; readonly column: number }
  | { readonly kind: 'segments'; readonly columns: readonly number[] };

export const ACCOUNT_HEADERS: readonly string[] = [
  'Account',
  'Account String',
  'Account Code',
  'Account Number',
  'Account No',
  'Acct',
  'Acct No',
  'GL Account',
  'GL Code',
  'Budget Account',
  'Full Account',
  'Account Coding',
];

/** Common names of segments across districts' sheets, by segment key. */
const COMMON_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  fund: ['Fund Code', 'Fnd'],
  function: ['Function Code', 'Func', 'Fn', 'Fctn'],
  object: ['Object Code', 'Obj', 'Object Class'],
  subObject: ['Sub Object', 'Sub-Object', 'SubObj', 'Sub Obj'],
  program: ['Program Code', 'Prog', 'Prgm'],
  programIntent: ['Program Intent Code', 'PIC', 'Prog Intent'],
  site: ['Site Code', 'Location', 'Loc', 'School', 'Building', 'Operational Unit'],
  organization: ['Org', 'Organization Code', 'Campus', 'Campus Code', 'Location'],
  resource: ['Resource Code', 'Res'],
  goal: ['Goal Code'],
  projectYear: ['Project Year', 'PY', 'Proj Year'],
  fiscalYear: ['FY', 'Fiscal Yr', 'Year'],
  local: ['Local Option', 'Local Use', 'Local Code'],
};

/** Every header name a segment may go by, normalised. */
export function segmentHeaderNames(chart: Chart, key: string): string[] {
  const s = chart.segments.find((x) => x.key === key);
  if (!s) return [];
  return [s.name, s.key, ...(s.synonyms ?? []), ...(COMMON_SYNONYMS[s.key] ?? [])].map(normalizeHeader);
}

/**
 * Finds the account columns. An account-string column wins when there is one; otherwise every
 * segment needs its own column, and the missing ones are named.
 */
export function detectAccountLayout(
  header: readonly CellValue[],
  chart: Chart,
  where: { readonly sheet?: string; readonly table?: string } = {},
): { layout?: AccountLayout; diagnostics: Diagnostic[] } {
  const names = header.map(normalizeHeader);
  const accountNames = ACCOUNT_HEADERS.map(normalizeHeader);
  const column = names.findIndex((h) => accountNames.includes(h));
  if (column >= 0) return { layout: { kind: 'string', column }, diagnostics: [] };
  const used = new Set<number>();
  const columns: number[] = [];
  const missing: string[] = [];
  for (const s of chart.segments) {
    const wanted = segmentHeaderNames(chart, s.key);
    let at = -1;
    for (const w of wanted) {
      at = names.findIndex((h, i) => h === w && !used.has(i));
      if (at >= 0) break;
    }
    if (at < 0) missing.push(s.name);
    else used.add(at);
    columns.push(at);
  }
  if (missing.length === 0) return { layout: { kind: 'segments', columns }, diagnostics: [] };
  const table = where.table ?? where.sheet ?? 'lines';
  const column_ =
    missing.length === chart.segments.length
      ? `Account (or one column per segment: ${chart.segments.map((s) => s.name).join(', ')})`
      : missing.join(', ');
  const w: Where = where.sheet ? { sheet: where.sheet, cell: 'A1' } : {};
  return { diagnostics: [diag('BL306', { table, column: column_ }, w)] };
}

export interface AccountRow {
  /** Row index in the grid (0 = header). */
  readonly index: number;
  readonly check: AccountCheck;
}

/**
 * Checks the account of every data row of a table (first row = headers), in either layout.
 * `origin` is where the grid's top-left cell sits on the sheet (default A1).
 */
export function checkAccountTable(
  validator: Validator,
  grid: Grid,
  options: { readonly sheet?: string; readonly origin?: { row: number; column: number } } = {},
): { rows: AccountRow[]; diagnostics: Diagnostic[] } {
  const sheet = options.sheet;
  const origin = options.origin ?? { row: 0, column: 0 };
  const found = detectAccountLayout(grid[0] ?? [], validator.chart, sheet ? { sheet } : {});
  if (!found.layout) return { rows: [], diagnostics: found.diagnostics };
  const layout = found.layout;
  const rows: AccountRow[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (index: number, col: number): Where => {
    const cell = cellAt(index, col, origin);
    return sheet ? { sheet, cell } : { cell };
  };
  for (const { row, index } of dataRows(grid)) {
    const check =
      layout.kind === 'string'
        ? validator.check(row[layout.column], at(index, layout.column))
        : validator.checkSegments(
            layout.columns.map((c) => row[c]),
            layout.columns.map((c) => at(index, c)),
          );
    rows.push({ index, check });
    diagnostics.push(...check.diagnostics);
  }
  return { rows, diagnostics };
}
