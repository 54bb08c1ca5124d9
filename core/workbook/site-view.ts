/**
 * What a site sheet shows besides what its principal types, written by Budgetline in the same write
 * as validation's marks (validateSites, validateRows, computeAllocations, import):
 *
 * - the Cost (computed) column of the site table (SITE_TABLE.cost): what each row costs, a line's
 *   quantity × unit cost (or its amount), a position's salary and benefits for its FTE, summed over
 *   its funding pieces — the very cents the ledger holds;
 * - the summary block (SITE_SUMMARY_TABLE), right of the table after one blank column: per
 *   allocation the site draws on, allocated / planned / remaining in $ and FTE, then the site total.
 *
 * Values, not formulas: the core's rules (benefit rates and per-FTE amounts by package, average
 * salaries, integer cents, largest-remainder splits) stay in one place, the .xlsx port (which cannot
 * recalculate) writes correct values, and no sheet formula refers to a column a district may move.
 *
 * Neither is ever read as input: `siteTableGrid` blanks the cost column and cuts the summary block
 * off before any reader sees a site sheet. A value typed into the cost column is replaced, with a
 * BL430 finding that names what it was; a column Budgetline would need that holds a user's cells is
 * left alone, with BL431.
 */
import type { AllocationReport } from '../allocations/check';
import { a1, cellText, columnLetter, isBlank, parseA1, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import type { Dropdown, SheetWrite, TableSpec } from '../port/types';
import { normalizeHeader } from '../tables';
import type { SiteSheet } from './read';
import {
  formatsOf,
  headerOf,
  JOB_TYPES_TABLE,
  SHEETS,
  SITE_SUMMARY_TABLE,
  SITE_TABLE,
  type ColumnDecl,
} from './schema';

const COST_NAME = normalizeHeader(SITE_TABLE.columns.cost.header);
const SUMMARY_NAME = normalizeHeader(SITE_SUMMARY_TABLE.columns.source.header);
const COST_HEADER = SITE_TABLE.columns.cost.header;
const SUMMARY_HEADER = headerOf(SITE_SUMMARY_TABLE);
const SUMMARY_WIDTH = SUMMARY_HEADER.length;

/** Where the computed parts are in a site sheet's header (-1 when absent). */
export function computedColumns(header: readonly CellValue[]): { cost: number; summary: number } {
  const names = header.map(normalizeHeader);
  const summary = names.indexOf(SUMMARY_NAME);
  const cost = names.indexOf(COST_NAME);
  return { cost: summary >= 0 && cost > summary ? -1 : cost, summary };
}

/**
 * A site sheet as the readers see it: the summary block (from its first header cell rightwards) cut
 * off and the Cost (computed) column blanked. Columns keep their places, so every cell address holds.
 */
export function siteTableGrid(grid: Grid): Grid {
  const { cost, summary } = computedColumns(grid[0] ?? []);
  if (cost < 0 && summary < 0) return grid;
  return grid.map((row) => {
    const out = summary >= 0 ? row.slice(0, summary) : [...row];
    if (cost >= 0 && cost < out.length) out[cost] = null;
    return out;
  });
}

/** What each priced row costs, by grid row: lines and positions the reader could read (no fatal finding). */
export function rowCosts(sheet: SiteSheet): Map<number, Cents> {
  const out = new Map<number, Cents>();
  const rowOf = (cell: string | undefined): number | undefined => (cell ? parseA1(cell)?.row : undefined);
  for (const l of sheet.lines) {
    const r = rowOf(l.where.cell);
    if (r !== undefined) out.set(r, l.amount);
  }
  for (const p of sheet.positions) {
    const r = rowOf(p.where.cell);
    if (r !== undefined) out.set(r, p.cost.total);
  }
  return out;
}

const lastFilled = (row: readonly CellValue[] | undefined): number => {
  if (!row) return -1;
  for (let c = row.length - 1; c >= 0; c--) if (!isBlank(row[c])) return c;
  return -1;
};

const shown = (v: CellValue): string =>
  typeof v === 'number' ? formatCents(Math.round(v * 100)) : `"${cellText(v)}"`;

/** Whether a cost cell already shows `cents` (a number within half a cent, or blank for none). */
function showsCost(v: CellValue, cents: Cents | undefined): boolean {
  if (cents === undefined) return isBlank(v);
  return typeof v === 'number' && Math.round(v * 100) === cents;
}

export interface SiteViewWrites {
  readonly sheets: SheetWrite[];
  readonly diagnostics: Diagnostic[];
  /** The site sheets' Excel tables (siteViewWrites only). */
  readonly tables?: TableSpec[];
}

/**
 * The Cost (computed) column of one site sheet: every data row (or rows from..to, for live
 * validation, which never adds the column), with BL430 for each cell whose value it replaces. When
 * the sheet has no such column yet, it goes right after the last header cell, provided that column is
 * empty in every row (else BL431 and nothing is written).
 */
export function costColumnWrite(
  sheet: SiteSheet,
  grid: Grid,
  window?: {
    readonly from: number;
    readonly to: number;
    /** The columns edited, when known: an edit that left the cost column alone refreshes it silently. */
    readonly columns?: { readonly from: number; readonly to: number };
  },
): SiteViewWrites & { readonly column: number } {
  const name = sheet.site.sheet;
  const header = grid[0] ?? [];
  const found = computedColumns(header);
  let column = found.cost;
  if (column < 0) {
    if (window) return { sheets: [], diagnostics: [], column: -1 };
    column = lastFilled(found.summary >= 0 ? header.slice(0, Math.max(0, found.summary - 1)) : header) + 1;
    const taken = grid.findIndex((row) => !isBlank(row[column]));
    if (taken >= 0)
      return {
        sheets: [],
        diagnostics: [
          diag(
            'BL431',
            { what: `"${COST_HEADER}" column`, column: columnLetter(column), cell: a1(taken, column) },
            { sheet: name, cell: a1(taken, column) },
          ),
        ],
        column: -1,
      };
  }
  const costs = rowCosts(sheet);
  const table = siteTableGrid(grid);
  // Live validation of an edit that did not touch the cost column: its inputs changed, so its cost did.
  const edited = window?.columns;
  const inputsOnly = edited !== undefined && (column < edited.from || column > edited.to);
  const from = window ? Math.max(1, window.from) : 1;
  const to = window ? window.to : grid.length - 1;
  const diagnostics: Diagnostic[] = [];
  const values: CellValue[][] = window ? [] : [[COST_HEADER]];
  for (let r = from; r <= to; r++) {
    const cents = costs.get(r);
    const old = grid[r]?.[column] ?? null;
    // A row that cannot be priced has its own fatal finding: its cost is cleared without another.
    // A cost on a row with nothing else in it was typed there: it is replaced with a finding.
    const unpriced = cents === undefined && (table[r] ?? []).some((v) => !isBlank(v));
    if (!inputsOnly && !isBlank(old) && !unpriced && !showsCost(old, cents))
      diagnostics.push(
        diag(
          'BL430',
          {
            column: COST_HEADER,
            shown: shown(old),
            now: cents === undefined ? 'nothing (the row has no line or position)' : formatCents(cents),
          },
          { sheet: name, cell: a1(r, column) },
        ),
      );
    values.push([cents === undefined ? null : cents / 100]);
  }
  if (!values.length) return { sheets: [], diagnostics, column };
  return {
    sheets: [
      {
        sheet: name,
        at: a1(window ? from : 0, column),
        values,
        columnFormats: [SITE_TABLE.columns.cost.format],
        ...(window ? {} : { header: true }),
      },
    ],
    diagnostics,
    column,
  };
}

/** The summary block's rows for one site: its allocations, then the site total. */
function summaryRows(site: string, report: AllocationReport | undefined, planned: Cents, fte: number) {
  const rows: CellValue[][] = [];
  const mine = (report?.allocations ?? []).filter((a) => a.allocation.site === site);
  for (const a of mine) {
    const tracked = a.allocation.fte !== undefined;
    // The funding source; its allocation's id too when the site has two allocations of one source.
    const twice = mine.filter((b) => b.allocation.source === a.allocation.source).length > 1;
    const label =
      twice && a.allocation.id ? `${a.allocation.source} (${a.allocation.id})` : a.allocation.source;
    rows.push([
      label,
      a.allocated / 100,
      a.planned / 100,
      a.remaining / 100,
      tracked ? a.fteAllocated / 1000 : null,
      a.ftePlanned / 1000,
      tracked ? a.fteRemaining / 1000 : null,
    ]);
  }
  const total = report?.sites.find((s) => s.site === site);
  const allocated = total?.allocated ?? 0;
  const fteAllocated = total?.fteAllocated ?? 0;
  rows.push([
    'Site total',
    allocated / 100,
    planned / 100,
    (allocated - planned) / 100,
    fteAllocated / 1000,
    fte / 1000,
    (fteAllocated - fte) / 1000,
  ]);
  return rows;
}

/**
 * The summary block of one site sheet, one blank column right of the site table (or where its header
 * already is): the rows Budgetline wrote before (down to the first blank row of the block) are
 * replaced. When the cells it needs hold something of the user's, BL431 and nothing is written.
 */
export function summaryWrite(
  sheet: SiteSheet,
  grid: Grid,
  report: AllocationReport | undefined,
  costColumn: number,
): SiteViewWrites {
  const name = sheet.site.sheet;
  const header = grid[0] ?? [];
  const found = computedColumns(header);
  const column = found.summary >= 0 ? found.summary : Math.max(lastFilled(header), costColumn) + 2;
  const blankRow = (r: number): boolean => {
    const row = grid[r] ?? [];
    for (let c = column; c < column + SUMMARY_WIDTH; c++) if (!isBlank(row[c])) return false;
    return true;
  };
  // The rows Budgetline owns now: its header row and the rows under it down to the first blank row.
  let owned = 0;
  if (found.summary >= 0) {
    owned = 1;
    while (owned < grid.length && !blankRow(owned)) owned++;
  }
  const planned = sheet.ledger.reduce((n, l) => n + l.cents, 0);
  const fte = sheet.ledger.reduce((n, l) => n + (l.fte ?? 0), 0);
  const rows = [SUMMARY_HEADER as CellValue[], ...summaryRows(sheet.site.code, report, planned, fte)];
  // A new or longer block must not cover a cell of the user's (one blank row under it is kept too).
  for (let r = owned; r < Math.min(rows.length + 1, grid.length); r++) {
    const row = grid[r] ?? [];
    for (let c = column; c < column + SUMMARY_WIDTH; c++)
      if (!isBlank(row[c]))
        return {
          sheets: [],
          diagnostics: [
            diag(
              'BL431',
              { what: 'allocated / planned / remaining summary', column: columnLetter(c), cell: a1(r, c) },
              { sheet: name, cell: a1(r, c) },
            ),
          ],
        };
  }
  while (rows.length < owned) rows.push(SUMMARY_HEADER.map(() => null));
  return {
    sheets: [
      {
        sheet: name,
        at: a1(0, column),
        values: rows,
        columnFormats: formatsOf(SITE_SUMMARY_TABLE) ?? [],
        header: true,
      },
    ],
    diagnostics: [],
  };
}

/**
 * Everything computed on the given site sheets: each one's Cost (computed) column and its summary
 * block, with the findings about cells replaced (BL430) or columns without room (BL431).
 */
export function siteViewWrites(
  sheets: readonly SiteSheet[],
  grids: Readonly<Record<string, Grid>>,
  report: AllocationReport | undefined,
): SiteViewWrites {
  const out = { sheets: [] as SheetWrite[], diagnostics: [] as Diagnostic[], tables: [] as TableSpec[] };
  for (const s of sheets) {
    const grid = grids[s.site.sheet];
    if (!grid || !grid.length) continue;
    const cost = costColumnWrite(s, grid);
    const summary = summaryWrite(s, grid, report, cost.column);
    out.sheets.push(...cost.sheets, ...summary.sheets);
    out.diagnostics.push(...cost.diagnostics, ...summary.diagnostics);
    const table = siteTable(s.site.sheet, grid, cost.column);
    if (table) out.tables.push(table);
  }
  return out;
}

/** The normalized names a declared column answers to (its header and synonyms). */
const namesOf = (c: ColumnDecl): string[] => [c.header, ...(c.synonyms ?? [])].map(normalizeHeader);

/** Excel's limit on an inline list: 255 characters, commas included. */
const INLINE_LIMIT = 255;

/**
 * The data-validation rules of a site sheet, over the whole table (row 2 to the sheet's last row):
 * dropdowns for Type (Line, Position), One-time (Yes, No), Job type (the Job Types sheet's Code
 * column) and Benefits package (the packages of the Benefits table, inline), and number rules for
 * FTE (0 to 1) and every Percent column (0% to 100%, held as 0 to 1). Found by header name, so a
 * district's own order keeps them on the right columns; columns the header lacks get none. Like every
 * rule, they only suggest: validation decides (core/port/types.ts Dropdown).
 */
export function siteRules(
  sheet: string,
  header: readonly CellValue[],
  lists: { readonly jobTypes?: Grid; readonly packages?: readonly string[] } = {},
): Dropdown[] {
  const names = header.map(normalizeHeader);
  const { summary } = computedColumns(header);
  const end = summary >= 0 ? summary : names.length;
  const cols = SITE_TABLE.columns;
  const at = (c: ColumnDecl): number => {
    const wanted = namesOf(c);
    const i = names.findIndex((n, k) => k < end && wanted.includes(n));
    return i;
  };
  const range = (i: number): string => `${columnLetter(i)}2:${columnLetter(i)}`;
  const out: Dropdown[] = [];
  const list = (c: ColumnDecl, values: readonly string[]): void => {
    const i = at(c);
    if (i >= 0) out.push({ sheet, range: range(i), values });
  };
  list(cols.type, ['Line', 'Position']);
  list(cols.oneTime, ['Yes', 'No']);
  const job = at(cols.jobType);
  const jobHeader = (lists.jobTypes?.[0] ?? []).map(normalizeHeader);
  const codeAt = jobHeader.findIndex((n) => namesOf(JOB_TYPES_TABLE.columns.code).includes(n));
  if (job >= 0 && codeAt >= 0)
    out.push({
      sheet,
      range: range(job),
      source: { sheet: SHEETS.jobTypes, range: range(codeAt) },
    });
  const packages = [...new Set(lists.packages ?? [])].filter((p) => p && !p.includes(','));
  if (packages.length && packages.join(',').length <= INLINE_LIMIT) list(cols.benefits, packages);
  const fte = at(cols.fte);
  if (fte >= 0)
    out.push({
      sheet,
      range: range(fte),
      number: { min: 0, max: 1 },
      message: 'FTE is the share of one full-time position: a number from 0 to 1, such as 0.5.',
    });
  names.forEach((n, i) => {
    if (i < end && /^(?:percent|pct|share|split|percentage)\d*$/.test(n))
      out.push({
        sheet,
        range: range(i),
        number: { min: 0, max: 1 },
        message: 'The share of the position paid from this account: 0% to 100%.',
      });
  });
  return out;
}

/** An Excel table's name for a sheet: "Site_" or the sheet's name, letters, digits and _ only. */
export function tableName(sheet: string, prefix = ''): string {
  const body = sheet.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = `${prefix}${body}`;
  return /^[A-Za-z_]/.test(name) ? name : `T_${name}`;
}

/**
 * The Excel table over a block whose header row is `header` at A1: columns A to `lastColumn`, rows
 * 1 to `lastRow` (0-based; at least one row under the header). None when a header cell in it is
 * blank or repeated (Excel would rename it, and readers match headers by name).
 */
export function tableOver(
  sheet: string,
  name: string,
  header: readonly CellValue[],
  lastRow: number,
  lastColumn: number = lastFilled(header),
): TableSpec | undefined {
  if (lastColumn < 0) return undefined;
  const names = header.slice(0, lastColumn + 1).map((h) => cellText(h).trim().toLowerCase());
  if (names.some((n) => n === '') || new Set(names).size !== names.length) return undefined;
  return { sheet, name, range: `A1:${a1(Math.max(1, lastRow), lastColumn)}` };
}

/** The Excel table of a site sheet: its table columns (Cost included) and every row with something in them. */
export function siteTable(sheet: string, grid: Grid, costColumn: number): TableSpec | undefined {
  const header = [...(grid[0] ?? [])];
  const { summary } = computedColumns(header);
  const table = summary >= 0 ? header.slice(0, summary) : header;
  if (costColumn >= 0) table[costColumn] = COST_HEADER;
  const last = Math.max(lastFilled(table), costColumn);
  let lastRow = 0;
  const rows = siteTableGrid(grid);
  for (let r = rows.length - 1; r > 0; r--)
    if ((rows[r] ?? []).some((v, c) => c <= last && !isBlank(v))) {
      lastRow = r;
      break;
    }
  return tableOver(sheet, tableName(sheet, 'Site_'), table, lastRow, last);
}
