/**
 * A new district workbook from a preset chart: every sheet of the layout with its header row and
 * number formats, the chart filled in, Setup filled in, the other tables empty.
 */
import { chartToTables } from '../accounts/chart-load';
import { detectAccountLayout, segmentHeaderNames } from '../accounts/layout';
import type { Chart, FiscalYear } from '../accounts/types';
import { cellText, type CellValue, type Grid } from '../cells';
import type { Dropdown, PortUser, SheetWrite, WriteBatch } from '../port/types';
import { emptyDocumentState } from '../port/state';
import { loadPreset, type PresetId } from '../presets';
import { cellAt, dataRows, normalizeHeader } from '../tables';
import { siteFormats, siteHeader, siteSheetName, type AccountColumns, SETUP_KEYS } from './layout';
import {
  ALLOCATIONS_TABLE,
  APPROVED_TABLE,
  ASSUMPTIONS_TABLE,
  AUDIT_TABLE,
  BENEFITS_TABLE,
  CATEGORIES_TABLE,
  COMMUNITY_TABLE,
  FORMATS,
  formatsOf,
  FORMULA_TABLE,
  FUND_BALANCES_TABLE,
  headerOf,
  indexOfColumn,
  JOB_TYPES_TABLE,
  PROPOSAL_LINES_TABLE,
  PROPOSALS_TABLE,
  REVENUES_TABLE,
  ROLES_TABLE,
  RUBRIC_TABLE,
  SCENARIOS_TABLE,
  SCORES_TABLE,
  SETUP_TABLE,
  SHEETS,
  SITES_TABLE,
  type TableDecl,
} from './schema';

/** A table written at A1 of its own sheet, replacing what was there, header bold and frozen. */
export function tableWrite(
  sheet: string,
  grid: Grid,
  columnFormats?: readonly (string | null)[],
): SheetWrite {
  return { sheet, values: grid, header: true, replace: true, ...(columnFormats ? { columnFormats } : {}) };
}

/** A declared table on its own sheet: its header, its declared number formats, then `rows`. */
function declaredTableWrite(decl: TableDecl, rows: readonly (readonly CellValue[])[] = []): SheetWrite {
  return tableWrite(decl.sheet, [headerOf(decl), ...rows.map((r) => [...r])], formatsOf(decl));
}

/**
 * A site sheet with its header, number formats and the given rows: SITE_HEADER order, or
 * siteHeader(segmentNames) order when the account is held one column per segment.
 */
export function siteSheetWrite(
  sheet: string,
  rows: readonly (readonly CellValue[])[] = [],
  segmentNames?: readonly string[],
): SheetWrite {
  return tableWrite(sheet, [siteHeader(segmentNames), ...rows], siteFormats(segmentNames));
}

/** How many rows of a site sheet (below the header) get the segment dropdowns. */
const DROPDOWN_ROWS = 1000;

const columnLetters = (column: number): string => cellAt(0, column).replace(/\d+$/, '');

/**
 * Each segment's block of rows in the Codes sheet, as an A1 range of its Code column
 * (segment key → "B2:B67"). Codes are grouped by segment (chartToTables writes them so); a segment
 * whose rows a district scattered, or that lists no codes, has no block.
 */
function codeBlocks(codes: Grid, chart: Chart): Map<string, string> {
  const header = (codes[0] ?? []).map(normalizeHeader);
  const segCol = header.indexOf('segment');
  const codeCol = header.indexOf('code');
  const out = new Map<string, string>();
  if (segCol < 0 || codeCol < 0) return out;
  const names = chart.segments.map((s) => ({
    key: s.key,
    names: new Set([normalizeHeader(s.key), ...segmentHeaderNames(chart, s.key)]),
  }));
  const blocks = new Map<string, { first: number; last: number; count: number }>();
  for (const { row, index } of dataRows(codes)) {
    const n = normalizeHeader(cellText(row[segCol]));
    const key = names.find((x) => x.names.has(n))?.key;
    if (!key) continue;
    const b = blocks.get(key);
    if (!b) blocks.set(key, { first: index, last: index, count: 1 });
    else {
      b.last = index;
      b.count++;
    }
  }
  const letter = columnLetters(codeCol);
  for (const [key, b] of blocks)
    if (b.count === b.last - b.first + 1) out.set(key, `${letter}${b.first + 1}:${letter}${b.last + 1}`);
  return out;
}

/**
 * The dropdowns of a site sheet whose header holds the account one column per segment: one per
 * segment column (rows 2 to DROPDOWN_ROWS + 1), fed from that segment's block of the Codes sheet.
 * None when the header has an Account column. A dropdown only suggests: other values are allowed.
 */
export function segmentDropdowns(
  sheet: string,
  header: readonly CellValue[],
  chart: Chart,
  codes: Grid,
): Dropdown[] {
  const layout = detectAccountLayout(header, chart).layout;
  if (layout?.kind !== 'segments') return [];
  const blocks = codeBlocks(codes, chart);
  const out: Dropdown[] = [];
  chart.segments.forEach((s, i) => {
    const column = layout.columns[i];
    const source = blocks.get(s.key);
    if (column === undefined || column < 0 || !source) return;
    const letter = columnLetters(column);
    out.push({
      sheet,
      range: `${letter}2:${letter}${DROPDOWN_ROWS + 1}`,
      source: { sheet: SHEETS.codes, range: source },
    });
  });
  return out;
}

/** A new site for a new workbook: its code, name and (optional) sheet name. */
export interface NewSite {
  readonly code: string;
  readonly name: string;
  readonly sheet?: string;
}

export interface NewWorkbook {
  readonly chart: Chart;
  readonly fiscalYear: FiscalYear;
  readonly district: string;
  /** Preset id or the district's own chart id (Setup "Chart"). */
  readonly chartId: string;
  /** The first CFO (the user creating the workbook), listed in Roles. */
  readonly cfo?: PortUser | null;
  /** Extra Setup rows (Over-planning, FTE step, ...), as [Setting, Value]. */
  readonly settings?: readonly (readonly [string, CellValue])[];
  /** How site sheets hold the account (Setup "Account columns"); default one column. */
  readonly accountColumns?: AccountColumns;
  /** Sites listed in the Sites table, each with its (empty) site sheet. */
  readonly sites?: readonly NewSite[];
}

/** The chart's first listed fund code (the general fund in every preset), for the reserve policy. */
function generalFundOf(chart: Chart): string {
  return (chart.codes.fund ?? []).find((c) => (c.kind ?? 'code') === 'code')?.code ?? '';
}

/** The sheets of a new district workbook, in tab order. */
function workbookSheets(w: NewWorkbook): SheetWrite[] {
  const t = chartToTables(w.chart);
  const setup: CellValue[][] = [
    [SETUP_KEYS.district, w.district],
    [SETUP_KEYS.fiscalYear, w.fiscalYear],
    [SETUP_KEYS.chart, w.chartId],
    [SETUP_KEYS.chartName, w.chart.name],
    [SETUP_KEYS.delimiter, w.chart.delimiter ?? 'none'],
    [SETUP_KEYS.hierarchical, (w.chart.hierarchical ?? []).join(', ')],
    [SETUP_KEYS.districtId, ''],
    [SETUP_KEYS.overPlanning, 'warning'],
    [SETUP_KEYS.fteStep, 0.1],
    [SETUP_KEYS.salaryIncrease, '0%'],
    [SETUP_KEYS.accountColumns, w.accountColumns ?? 'one'],
    [SETUP_KEYS.reservePolicy, '3%'],
    [SETUP_KEYS.reserveFunds, generalFundOf(w.chart)],
    [SETUP_KEYS.verifiedIdentity, 'no'],
  ];
  for (const [k, v] of w.settings ?? []) {
    const i = setup.findIndex((r) => r[0] === k);
    if (i >= 0) setup[i] = [k, v];
    else setup.push([k, v]);
  }
  const roles: CellValue[][] = w.cfo ? [[w.cfo.email, 'cfo', 'all']] : [];
  const sites = w.sites ?? [];
  const segmentNames = w.accountColumns === 'per segment' ? w.chart.segments.map((s) => s.name) : undefined;
  const { text: TEXT, count: COUNT } = FORMATS;
  // The chart's tables (chartToTables): codes are text, a segment's Length a count.
  const chartTable = (sheet: string, grid: Grid): SheetWrite =>
    tableWrite(
      sheet,
      grid,
      (grid[0] ?? []).map((h) => (h === 'Length' ? COUNT : TEXT)),
    );
  return [
    declaredTableWrite(SETUP_TABLE, setup),
    chartTable(SHEETS.segments, t.segments),
    chartTable(SHEETS.codes, t.codes),
    chartTable(SHEETS.rules, t.rules),
    chartTable(SHEETS.combinations, t.combinations),
    chartTable(SHEETS.classes, t.classes),
    chartTable(SHEETS.explanations, t.explanations),
    declaredTableWrite(
      SITES_TABLE,
      sites.map((x) => [x.code, x.name, x.sheet ?? null]),
    ),
    declaredTableWrite(JOB_TYPES_TABLE),
    declaredTableWrite(BENEFITS_TABLE),
    declaredTableWrite(FORMULA_TABLE),
    declaredTableWrite(ALLOCATIONS_TABLE),
    declaredTableWrite(ROLES_TABLE, roles),
    declaredTableWrite(REVENUES_TABLE),
    declaredTableWrite(FUND_BALANCES_TABLE),
    declaredTableWrite(ASSUMPTIONS_TABLE),
    // Budget-change proposals and scenarios (issue 14): the district edits its category list.
    declaredTableWrite(PROPOSALS_TABLE),
    declaredTableWrite(PROPOSAL_LINES_TABLE),
    declaredTableWrite(CATEGORIES_TABLE, DEFAULT_CATEGORIES),
    declaredTableWrite(RUBRIC_TABLE),
    declaredTableWrite(SCORES_TABLE),
    declaredTableWrite(COMMUNITY_TABLE),
    declaredTableWrite(SCENARIOS_TABLE),
    declaredTableWrite(AUDIT_TABLE),
    declaredTableWrite(APPROVED_TABLE),
    ...sites.map((x) => siteSheetWrite(siteSheetName(x.code, x.name, x.sheet ?? ''), [], segmentNames)),
  ];
}

/** A new workbook's proposal categories: the two kinds, which the district renames or splits. */
const DEFAULT_CATEGORIES: readonly (readonly CellValue[])[] = [
  ['Student-facing', 'student-facing', 'Curriculum, teachers, classroom technology, student support'],
  ['Operational', 'operational', 'Transportation, facilities, security, central office'],
];

/** How many Proposals rows get the Category dropdown. */
const PROPOSAL_ROWS = 500;

/** The Category dropdown of the Proposals sheet, fed from the Proposal Categories list. */
export function categoryDropdown(): Dropdown {
  const column = columnLetters(indexOfColumn(PROPOSALS_TABLE, 'category'));
  return {
    sheet: SHEETS.proposals,
    range: `${column}2:${column}${PROPOSAL_ROWS + 1}`,
    source: { sheet: SHEETS.categories, range: `A2:A${PROPOSAL_ROWS + 1}` },
  };
}

/** The dropdowns of every site sheet among `sheets` (per-segment layout only), fed from their Codes sheet. */
function siteDropdowns(
  sheets: readonly SheetWrite[],
  chart: Chart,
  siteSheets: readonly string[],
): Dropdown[] {
  const codes = sheets.find((w) => w.sheet === SHEETS.codes)?.values ?? [];
  return sheets
    .filter((w) => siteSheets.includes(w.sheet))
    .flatMap((w) => segmentDropdowns(w.sheet, w.values[0] ?? [], chart, codes));
}

/** The one write that creates a district workbook from a preset (document state reset). */
export function createWorkbookBatch(args: {
  readonly preset: PresetId;
  readonly fiscalYear: FiscalYear;
  readonly district: string;
  readonly cfo?: PortUser | null;
  readonly accountColumns?: AccountColumns;
  readonly sites?: readonly NewSite[];
}): WriteBatch {
  const chart = loadPreset(args.preset);
  const sheets = workbookSheets({
    chart,
    fiscalYear: args.fiscalYear,
    district: args.district,
    chartId: args.preset,
    ...(args.cfo !== undefined ? { cfo: args.cfo } : {}),
    ...(args.accountColumns ? { accountColumns: args.accountColumns } : {}),
    ...(args.sites ? { sites: args.sites } : {}),
  });
  const dropdowns = siteDropdowns(
    sheets,
    chart,
    (args.sites ?? []).map((x) => siteSheetName(x.code, x.name, x.sheet ?? '')),
  );
  return { sheets, dropdowns: [...dropdowns, categoryDropdown()], state: emptyDocumentState() };
}
