/**
 * The district workbook: one layout every host shares. Headers are found by name (with synonyms),
 * so a district may add columns or reorder them; only the sheet names below are fixed.
 *
 *   Setup          Setting | Value: District, Fiscal Year, Chart, Chart name, Delimiter, Hierarchical
 *                  segments, District ID, Over-planning, FTE step, Salary increase, Account columns
 *   Segments, Codes, Rules, Combinations   the chart (see core/accounts loadChartFromTables)
 *   Sites          Site | Name | Sheet | Enrollment | English learners | Special education |
 *                  Low income | Grade band | Title I | Prior year budget
 *                  (Sheet: the site's sheet; blank → the site's name, else its code)
 *   Job Types      Code | Title | Average salary | Benefits package
 *   Benefits       Package | Benefit | Rate | Amount per FTE
 *   Formula        the funding-formula rules (core/allocations readFormulaRules)
 *   Allocations    Allocation | Site | Source | Source type | Amount | FTE | Locked | Fixed segments |
 *                  Allowed objects | Allowed functions | Max share | Rule | Basis
 *                  (rows with a Rule were computed by the Formula; rows without are typed by hand)
 *   Roles          Email | Role | Sites
 *   <one sheet per site>   one table of lines and positions, a Type column telling them apart
 *                  (SITE_HEADER); a blank Type is a position when FTE, Job type, Employee, Position ID
 *                  or Salary is filled, else a line
 *   Audit          AUDIT_COLUMNS (written by Budgetline only)
 *   Approved Lines Site | Content hash | Account | Cents | FTE (thousandths) | Description: the
 *                  lines of each site as approved (document state must stay small)
 *   Master Budget  the consolidation's tables, stacked, each with a title row, a blank row between
 */
import { AUDIT_COLUMNS } from '../approval/audit';
import { cellText, isBlank, type CellValue, type Grid } from '../cells';
import { normalizeHeader } from '../tables';

export const SHEETS = {
  setup: 'Setup',
  segments: 'Segments',
  codes: 'Codes',
  rules: 'Rules',
  combinations: 'Combinations',
  sites: 'Sites',
  jobTypes: 'Job Types',
  benefits: 'Benefits',
  formula: 'Formula',
  allocations: 'Allocations',
  roles: 'Roles',
  audit: 'Audit',
  approved: 'Approved Lines',
  master: 'Master Budget',
} as const;

/** Sheets that are not site sheets (a site's sheet may not take one of these names). */
export const RESERVED_SHEETS: ReadonlySet<string> = new Set(Object.values(SHEETS));

/** The sheets every operation reads to know the district: setup, chart, sites, staffing, roles. */
export const BASE_SHEETS: readonly string[] = [
  SHEETS.setup,
  SHEETS.segments,
  SHEETS.codes,
  SHEETS.rules,
  SHEETS.combinations,
  SHEETS.sites,
  SHEETS.jobTypes,
  SHEETS.benefits,
  SHEETS.roles,
];

export const SETUP_HEADER = ['Setting', 'Value'] as const;

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

export const SITES_HEADER = [
  'Site',
  'Name',
  'Sheet',
  'Enrollment',
  'English learners',
  'Special education',
  'Low income',
  'Grade band',
  'Title I',
  'Prior year budget',
] as const;

export const JOB_TYPES_HEADER = ['Code', 'Title', 'Average salary', 'Benefits package'] as const;
export const BENEFITS_HEADER = ['Package', 'Benefit', 'Rate', 'Amount per FTE'] as const;
export const FORMULA_HEADER = [
  'Rule',
  'Type',
  'Source',
  'Source type',
  'Applies to',
  'Basis',
  'Amount',
  'Weight',
  'FTE',
  'Students per FTE',
  'Rounding',
  'Step',
  'Bands',
  'Job type',
  'Percent',
  'Site',
  'Fixed segments',
  'Allowed objects',
  'Allowed functions',
  'Max share',
  'Locked',
  'Note',
] as const;
export const ALLOCATIONS_HEADER = [
  'Allocation',
  'Site',
  'Source',
  'Source type',
  'Amount',
  'FTE',
  'Locked',
  'Fixed segments',
  'Allowed objects',
  'Allowed functions',
  'Max share',
  'Rule',
  'Basis',
] as const;
export const ROLES_HEADER = ['Email', 'Role', 'Sites'] as const;
export const AUDIT_HEADER: readonly string[] = AUDIT_COLUMNS;
export const APPROVED_HEADER = [
  'Site',
  'Content hash',
  'Account',
  'Cents',
  'FTE (thousandths)',
  'Description',
] as const;

/** One site sheet: lines and positions in one table, told apart by Type. */
export const SITE_HEADER = [
  'Type',
  'Account',
  'Description',
  'Quantity',
  'Unit cost',
  'Amount',
  'One-time',
  'Job type',
  'Employee',
  'Position ID',
  'Salary',
  'Benefits package',
  'FTE',
  'Percent',
  'Account 2',
  'Percent 2',
  'Notes',
] as const;

/** Number formats of the site sheet's columns (SITE_HEADER order). */
export const SITE_FORMATS: readonly (string | null)[] = [
  '@',
  '@',
  '@',
  '#,##0.###',
  '#,##0.00',
  '#,##0.00',
  '@',
  '@',
  '@',
  '@',
  '#,##0.00',
  '@',
  '0.000',
  '0.00%',
  '@',
  '0.00%',
  '@',
];

/**
 * A site sheet's header: SITE_HEADER, with the Account column replaced by one column per segment
 * (the chart's segment names, in order) when `segmentNames` is given.
 */
export function siteHeader(segmentNames?: readonly string[]): string[] {
  if (!segmentNames) return [...SITE_HEADER];
  const i = SITE_HEADER.indexOf('Account');
  return [...SITE_HEADER.slice(0, i), ...segmentNames, ...SITE_HEADER.slice(i + 1)];
}

/** Number formats of siteHeader(segmentNames)'s columns: segment codes are text. */
export function siteFormats(segmentNames?: readonly string[]): (string | null)[] {
  if (!segmentNames) return [...SITE_FORMATS];
  const i = SITE_HEADER.indexOf('Account');
  return [...SITE_FORMATS.slice(0, i), ...segmentNames.map(() => '@'), ...SITE_FORMATS.slice(i + 1)];
}

const POSITION_HINTS = ['fte', 'jobtype', 'job', 'jobcode', 'employee', 'positionid', 'hrid', 'salary'];

export type RowKind = 'line' | 'position' | { readonly unknown: string };

/** Column indexes of a site sheet's header that decide a row's kind. */
export function siteKindColumns(header: readonly CellValue[]): { type: number; hints: number[] } {
  const names = header.map(normalizeHeader);
  return {
    type: names.findIndex((n) => n === 'type' || n === 'rowtype' || n === 'kind'),
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

/** An empty site sheet's rows: the header only. */
export function emptySiteGrid(): CellValue[][] {
  return [[...SITE_HEADER]];
}

/** The rows of `grid` of one kind, others blanked so cell addresses stay right. */
export function rowsOfKind(grid: Grid, kind: 'line' | 'position'): CellValue[][] {
  const header = grid[0] ?? [];
  const cols = siteKindColumns(header);
  return grid.map((row, i) => (i === 0 || rowKind(row, cols) === kind ? [...row] : []));
}
