/**
 * The district workbook: one layout every host shares. Headers are found by name (with synonyms),
 * so a district may add columns or reorder them; only the sheet names (SHEETS) are fixed. Each
 * table's columns are declared once, in schema.ts; headers and formats are derived from them.
 *
 *   Setup          Setting | Value, one row per SETUP_KEYS entry
 *   Segments, Codes, Rules, Combinations, Classes, Explanations   the chart (see core/accounts
 *                  loadChartFromTables): Classes says which codes are revenue, expenditure, ...;
 *                  Explanations keeps exceptions to rules with their reasons
 *   Sites, Job Types, Benefits, Formula, Allocations, Roles, Revenues, Fund Balances, Assumptions
 *                  the district's tables (schema.ts); a site's sheet is its Sheet column, else its
 *                  name, else its code
 *   <one sheet per site>   one table of lines and positions (SITE_TABLE), a Type column telling
 *                  them apart; a blank Type is a position when FTE, Job type, Employee, Position ID
 *                  or Salary is filled, else a line
 *   Audit          AUDIT_TABLE (written by Budgetline only)
 *   Approved Lines APPROVED_TABLE: the lines of each site as approved (document state must stay small)
 *   Submitted Lines SUBMITTED_TABLE: the lines of each site as submitted (written by submit; approve
 *                  names what changed since)
 *   Master Budget  the consolidation's tables, stacked, each with a title row, a blank row between
 */
import { cellText, isBlank, type CellValue, type Grid } from '../cells';
import { normalizeHeader } from '../tables';
import {
  FORMATS,
  formatsOf,
  FUND_BALANCES_TABLE,
  headerOf,
  indexOfColumn,
  REVENUES_TABLE,
  SETUP_TABLE,
  SHEETS,
  SITE_TABLE,
  type HeaderName,
} from './schema';

export { SHEETS } from './schema';

/** The sheets every operation reads to know the district: setup, chart, sites, staffing, roles. */
export const BASE_SHEETS: readonly string[] = [
  SHEETS.setup,
  SHEETS.segments,
  SHEETS.codes,
  SHEETS.rules,
  SHEETS.combinations,
  SHEETS.classes,
  SHEETS.explanations,
  SHEETS.sites,
  SHEETS.jobTypes,
  SHEETS.benefits,
  SHEETS.roles,
];

export const SETUP_HEADER: readonly string[] = headerOf(SETUP_TABLE);

/** Setup rows, in the order a new workbook lists them. */
export const SETUP_KEYS = {
  district: 'District',
  fiscalYear: 'Fiscal Year',
  chart: 'Chart',
  chartName: 'Chart name',
  delimiter: 'Delimiter',
  hierarchical: 'Hierarchical segments',
  districtId: 'District ID',
  overPlanning: 'Over-planning',
  fteStep: 'FTE step',
  salaryIncrease: 'Salary increase',
  accountColumns: 'Account columns',
  reservePolicy: 'Reserve policy',
  reserveFunds: 'Reserve funds',
  /** yes: a self-declared user cannot approve, reopen, consolidate or export. */
  verifiedIdentity: 'Approvals need verified identity',
} as const;

/**
 * How new site sheets hold the account (Setup "Account columns"): `one` Account column with the
 * whole string (the default), or `per segment`: one column per segment of the chart.
 * Reading never depends on it: each sheet's layout is found from its header.
 */
export type AccountColumns = 'one' | 'per segment';

/** Reads a Setup "Account columns" value; blank is `one`; undefined when not understood. */
export function parseAccountColumns(value: CellValue): AccountColumns | undefined {
  const n = normalizeHeader(value);
  if (['', 'one', '1', 'onecolumn', 'single', 'string', 'accountstring'].includes(n)) return 'one';
  if (['persegment', 'segments', 'segment', 'onepersegment', 'onecolumnpersegment', 'split'].includes(n))
    return 'per segment';
  return undefined;
}

/** Headers and formats of the fund tables, derived from their declarations (schema.ts). */
export const REVENUES_HEADER: readonly string[] = headerOf(REVENUES_TABLE);
export const REVENUES_FORMATS: readonly (string | null)[] = formatsOf(REVENUES_TABLE) ?? [];
export const FUND_BALANCES_HEADER: readonly string[] = headerOf(FUND_BALANCES_TABLE);

/** One site sheet: lines and positions in one table, told apart by Type. */
export const SITE_HEADER: readonly HeaderName<typeof SITE_TABLE>[] = headerOf(SITE_TABLE);

/** Where the Account column is in SITE_HEADER; one column per segment takes its place. */
const ACCOUNT_AT = indexOfColumn(SITE_TABLE, 'account');

/**
 * A site sheet's header: SITE_HEADER, with the Account column replaced by one column per segment
 * (the chart's segment names, in order) when `segmentNames` is given.
 */
export function siteHeader(segmentNames?: readonly string[]): string[] {
  if (!segmentNames) return [...SITE_HEADER];
  return [...SITE_HEADER.slice(0, ACCOUNT_AT), ...segmentNames, ...SITE_HEADER.slice(ACCOUNT_AT + 1)];
}

/** Number formats of the site sheet's columns (SITE_HEADER order). */
export const SITE_FORMATS: readonly (string | null)[] = formatsOf(SITE_TABLE) ?? [];

/** Number formats of siteHeader(segmentNames)'s columns: segment codes are text. */
export function siteFormats(segmentNames?: readonly string[]): (string | null)[] {
  if (!segmentNames) return [...SITE_FORMATS];
  const text = segmentNames.map(() => FORMATS.text);
  return [...SITE_FORMATS.slice(0, ACCOUNT_AT), ...text, ...SITE_FORMATS.slice(ACCOUNT_AT + 1)];
}

const TYPE_NAMES = [SITE_TABLE.columns.type.header, ...(SITE_TABLE.columns.type.synonyms ?? [])].map(
  normalizeHeader,
);
const POSITION_HINTS = ['fte', 'jobtype', 'job', 'jobcode', 'employee', 'positionid', 'hrid', 'salary'];

export type RowKind = 'line' | 'position' | { readonly unknown: string };

/** Column indexes of a site sheet's header that decide a row's kind. */
export function siteKindColumns(header: readonly CellValue[]): { type: number; hints: number[] } {
  const names = header.map(normalizeHeader);
  return {
    type: names.findIndex((n) => TYPE_NAMES.includes(n)),
    hints: names.flatMap((n, i) => (POSITION_HINTS.includes(n) ? [i] : [])),
  };
}

/** Whether a site-sheet row is a line or a position. */
export function rowKind(row: readonly CellValue[], cols: { type: number; hints: number[] }): RowKind {
  const t = cols.type >= 0 ? cellText(row[cols.type]).trim().toLowerCase() : '';
  if (t === 'line' || t === 'lines' || t === 'l' || t === 'item') return 'line';
  if (t === 'position' || t === 'positions' || t === 'p' || t === 'staff') return 'position';
  if (t) return { unknown: cellText(row[cols.type]).trim() };
  return cols.hints.some((c) => !isBlank(row[c])) ? 'position' : 'line';
}

/**
 * The site's sheet name: the Sheet column, else the site's name, else its code; characters a sheet
 * name cannot hold ([ ] : * ? / \) are dropped and the name cut to 31 characters.
 */
export function siteSheetName(code: string, name: string, sheet: string): string {
  const raw = sheet.trim() || name.trim() || code.trim();
  return raw.replace(/[[\]:*?/\\]/g, '').slice(0, 31);
}

/** The rows of `grid` of one kind, others blanked so cell addresses stay right. */
export function rowsOfKind(grid: Grid, kind: 'line' | 'position'): CellValue[][] {
  const header = grid[0] ?? [];
  const cols = siteKindColumns(header);
  return grid.map((row, i) => (i === 0 || rowKind(row, cols) === kind ? [...row] : []));
}
