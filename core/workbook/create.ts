/**
 * A new district workbook from a preset chart: every sheet of the layout with its header row and
 * number formats, the chart filled in, Setup filled in, the other tables empty.
 */
import { chartToTables } from '../accounts/chart-load';
import type { Chart, FiscalYear } from '../accounts/types';
import type { CellValue, Grid } from '../cells';
import type { PortUser, SheetWrite, WriteBatch } from '../port/types';
import { emptyDocumentState } from '../port/memory';
import { loadPreset, type PresetId } from '../presets';
import {
  ALLOCATIONS_HEADER,
  APPROVED_HEADER,
  AUDIT_HEADER,
  BENEFITS_HEADER,
  FORMULA_HEADER,
  JOB_TYPES_HEADER,
  ROLES_HEADER,
  SETUP_HEADER,
  SETUP_KEYS,
  SHEETS,
  SITE_FORMATS,
  SITE_HEADER,
  SITES_HEADER,
} from './layout';

const TEXT = '@';
const MONEY = '#,##0.00';
const COUNT = '#,##0';

/** A table written at A1 of its own sheet, replacing what was there, header bold and frozen. */
export function tableWrite(
  sheet: string,
  grid: Grid,
  columnFormats?: readonly (string | null)[],
): SheetWrite {
  return { sheet, values: grid, header: true, replace: true, ...(columnFormats ? { columnFormats } : {}) };
}

/** A site sheet with its header, number formats and the given rows (SITE_HEADER order). */
export function siteSheetWrite(sheet: string, rows: readonly (readonly CellValue[])[] = []): SheetWrite {
  return tableWrite(sheet, [[...SITE_HEADER], ...rows], SITE_FORMATS);
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
}

/** The sheets of a new district workbook, in tab order. */
export function workbookSheets(w: NewWorkbook): SheetWrite[] {
  const t = chartToTables(w.chart);
  const setup: CellValue[][] = [
    [...SETUP_HEADER],
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
  ];
  for (const [k, v] of w.settings ?? []) {
    const i = setup.findIndex((r) => r[0] === k);
    if (i > 0) setup[i] = [k, v];
    else setup.push([k, v]);
  }
  const roles: CellValue[][] = [[...ROLES_HEADER]];
  if (w.cfo) roles.push([w.cfo.email, 'cfo', 'all']);
  return [
    tableWrite(SHEETS.setup, setup, [TEXT, null]),
    tableWrite(SHEETS.segments, t.segments, [TEXT, TEXT, COUNT, TEXT, TEXT, TEXT, TEXT]),
    tableWrite(SHEETS.codes, t.codes, [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT]),
    tableWrite(SHEETS.rules, t.rules, [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT]),
    tableWrite(SHEETS.combinations, t.combinations, [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT]),
    tableWrite(
      SHEETS.sites,
      [[...SITES_HEADER]],
      [TEXT, TEXT, TEXT, COUNT, COUNT, COUNT, COUNT, TEXT, TEXT, MONEY],
    ),
    tableWrite(SHEETS.jobTypes, [[...JOB_TYPES_HEADER]], [TEXT, TEXT, MONEY, TEXT]),
    tableWrite(SHEETS.benefits, [[...BENEFITS_HEADER]], [TEXT, TEXT, '0.00%', MONEY]),
    tableWrite(SHEETS.formula, [[...FORMULA_HEADER]]),
    tableWrite(
      SHEETS.allocations,
      [[...ALLOCATIONS_HEADER]],
      [TEXT, TEXT, TEXT, TEXT, MONEY, '0.000', TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT],
    ),
    tableWrite(SHEETS.roles, roles, [TEXT, TEXT, TEXT]),
    tableWrite(
      SHEETS.audit,
      [[...AUDIT_HEADER]],
      AUDIT_HEADER.map(() => TEXT),
    ),
    tableWrite(SHEETS.approved, [[...APPROVED_HEADER]], [TEXT, TEXT, TEXT, '0', '0', TEXT]),
  ];
}

/** The one write that creates a district workbook from a preset (document state reset). */
export function createWorkbookBatch(args: {
  readonly preset: PresetId;
  readonly fiscalYear: FiscalYear;
  readonly district: string;
  readonly cfo?: PortUser | null;
}): WriteBatch {
  const chart = loadPreset(args.preset);
  return {
    sheets: workbookSheets({
      chart,
      fiscalYear: args.fiscalYear,
      district: args.district,
      chartId: args.preset,
      ...(args.cfo !== undefined ? { cfo: args.cfo } : {}),
    }),
    state: emptyDocumentState(),
  };
}
