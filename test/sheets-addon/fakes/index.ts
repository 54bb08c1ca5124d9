/** The fakes, and the SheetsPort services built over them (as sheets-addon/src/main.ts builds them over the real ones). */
import type { CellMark, ChartSpec, Dropdown } from '../../../core';
import { a1 } from '../../../core';
import { CELL_PX, MARK_COLORS, type SheetsServices } from '../../../sheets-addon/src/port';
import { CHART_TYPES, FakeEnv, type FakeSpreadsheetApp, type FakeValidationRule } from './apps-script';

export * from './apps-script';

/** SheetsPort's services over a fake environment, as a full (authorised) execution sees them. */
export function servicesOf(
  env: FakeEnv,
  options: { advanced?: boolean; user?: boolean } = {},
): SheetsServices {
  const g = env.globals();
  const app = g['SpreadsheetApp'] as FakeSpreadsheetApp;
  const services = {
    spreadsheet: app.getActiveSpreadsheet(),
    properties: env.documentProperties,
    ...(options.user === false ? {} : { session: g['Session'] }),
    ...(options.advanced ? { sheetsApi: g['Sheets'] } : {}),
    sheetProtection: app.ProtectionType.SHEET,
    newDataValidation: () => app.newDataValidation(),
    chartTypes: {
      pie: CHART_TYPES['PIE'],
      column: CHART_TYPES['COLUMN'],
      bar: CHART_TYPES['BAR'],
      line: CHART_TYPES['LINE'],
    },
  };
  return services as unknown as SheetsServices;
}

const SEVERITY_OF: Record<string, CellMark['severity']> = {
  [MARK_COLORS.fatal]: 'fatal',
  [MARK_COLORS.warning]: 'warning',
};

/** Budgetline's marks on a fake sheet: fill by severity, with the cell's note. */
export function marksOf(env: FakeEnv, sheet: string): CellMark[] {
  const sh = env.spreadsheet.sheets.find((s) => s.name === sheet);
  if (!sh) return [];
  const out: CellMark[] = [];
  for (const [cell, color] of sh.backgrounds) {
    const severity = SEVERITY_OF[color];
    if (severity) out.push({ sheet, cell, severity, note: sh.notes.get(cell) ?? '' });
  }
  return out;
}

/** The fake's dropdowns; `strict` when the rule rejects invalid data. */
export function dropdownsOf(env: FakeEnv): (Dropdown & { strict: boolean })[] {
  const out: (Dropdown & { strict: boolean })[] = [];
  for (const sh of env.spreadsheet.sheets)
    for (const [range, rule] of sh.validations) {
      const r = rule as FakeValidationRule;
      const kind = r.values
        ? { values: [...r.values] }
        : r.number
          ? { number: { ...r.number }, message: r.helpText }
          : { source: { sheet: r.sheet, range: r.source } };
      out.push({ sheet: sh.name, range, ...kind, strict: !r.allowInvalid });
    }
  return out;
}

const TYPE_OF: Record<string, ChartSpec['type']> = { PIE: 'pie', COLUMN: 'column', BAR: 'bar', LINE: 'line' };

/**
 * The charts on a fake sheet as the port's ChartSpecs, with the name Budgetline keeps for each chart
 * id (DocumentProperties); a chart without a name there is someone else's, named "(not Budgetline's)".
 */
export function chartsOf(env: FakeEnv, sheet: string): ChartSpec[] {
  const sh = env.spreadsheet.sheets.find((s) => s.name === sheet);
  if (!sh) return [];
  const ids = JSON.parse(env.documentProperties.data.get('budgetline.charts') ?? '{}') as Record<
    string,
    Record<string, number>
  >;
  const nameOf = new Map(Object.entries(ids[sheet] ?? {}).map(([n, id]) => [id, n]));
  return sh.charts.map((c) => {
    const { spec } = c;
    if (spec.ranges.length !== 1 || spec.ranges[0]?.sheet !== sh)
      throw new Error(`chart ${String(c.id)} does not draw one range of its own sheet`);
    if (spec.numHeaders !== 1)
      throw new Error(`chart ${String(c.id)}: ${spec.numHeaders} header rows, not 1`);
    const p = spec.position ?? { row: 1, col: 1 };
    return {
      sheet,
      name: nameOf.get(c.id ?? -1) ?? '(not Budgetline’s)',
      type: TYPE_OF[spec.type ?? ''] ?? (String(spec.type) as ChartSpec['type']),
      title: String(spec.options['title'] ?? ''),
      data: spec.ranges[0].a1,
      anchor: {
        at: a1(p.row - 1, p.col - 1),
        columns: Number(spec.options['width']) / CELL_PX.width,
        rows: Number(spec.options['height']) / CELL_PX.height,
      },
    };
  });
}
