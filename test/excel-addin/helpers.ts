/** Shared set-up for the Excel add-in's jest tests: the fake installed on globalThis, and inspectors. */
import {
  a1,
  parseA1,
  type CellMark,
  type ChartSpec,
  type Dropdown,
  type PrintSetup,
  type TableSpec,
} from '../../core';
import {
  EXCEL_CHART_TYPE,
  FINDINGS_HEADER,
  FINDINGS_SHEET,
  severityOfFill,
} from '../../excel-addin/src/port';
import { fromHeaderFooterCodes } from '../port/contract';
import {
  installFakeOffice,
  parseAddress,
  rectAddress,
  type FakeOffice,
  type FakeOptions,
} from './fake/fake-office';

export function install(options: FakeOptions = {}): FakeOffice {
  return installFakeOffice(globalThis as unknown as Record<string, unknown>, options);
}

/** Makes a reopened session the global one. */
export function useSession(fake: FakeOffice): FakeOffice {
  const g = globalThis as unknown as Record<string, unknown>;
  g['Excel'] = fake.Excel;
  g['Office'] = fake.Office;
  g['OfficeRuntime'] = fake.OfficeRuntime;
  return fake;
}

/**
 * Budgetline's marks as a user sees them: a fill colour and a note, or, where Excel has no notes
 * (ExcelApi < 1.18), a fill colour and the cell's row on the Findings sheet (which must agree).
 */
export function marksOf(fake: FakeOffice, sheet: string): CellMark[] {
  const out: CellMark[] = [];
  if (fake.book.excelApi >= 18) {
    for (const [cell, note] of Object.entries(fake.notes(sheet))) {
      const severity = severityOfFill(fake.cell(sheet, cell).fill);
      if (severity) out.push({ sheet, cell, severity, note });
    }
    return out;
  }
  const listed = findingsSheetOf(fake).filter((f) => f.sheet === sheet);
  const filled = fake
    .sheetModel(sheet)
    .cells.flatMap((row, r) => row.map((c, col) => ({ fill: c?.fill, r, col })))
    .filter((c) => severityOfFill(c.fill) !== undefined);
  for (const c of filled) {
    const cell = a1(c.r, c.col);
    const severity = severityOfFill(c.fill) as CellMark['severity'];
    const row = listed.find((f) => f.cell === cell);
    if (!row) throw new Error(`${sheet}!${cell} is filled as a finding but not listed on ${FINDINGS_SHEET}`);
    if (row.severity !== severity)
      throw new Error(`${sheet}!${cell}: fill ${severity}, listed ${row.severity}`);
    out.push({ sheet, cell, severity, note: row.note });
  }
  const stale = listed.filter((f) => !out.some((m) => m.cell === f.cell));
  if (stale.length)
    throw new Error(`${FINDINGS_SHEET} lists unmarked cells: ${stale.map((f) => f.cell).join(', ')}`);
  return out;
}

/** The rows of the Findings sheet (none when it does not exist), checked against its header. */
export function findingsSheetOf(
  fake: FakeOffice,
): { sheet: string; cell: string; severity: string; note: string }[] {
  if (!fake.book.sheets.some((s) => s.name === FINDINGS_SHEET)) return [];
  const [header, ...rows] = fake.values(FINDINGS_SHEET);
  if (JSON.stringify(header) !== JSON.stringify(FINDINGS_HEADER))
    throw new Error(`bad header ${String(header)}`);
  return rows
    .filter((r) => r.some((v) => v !== ''))
    .map((r) => ({ sheet: String(r[0]), cell: String(r[1]), severity: String(r[2]), note: String(r[3]) }));
}

/** The fake's dropdowns; `strict` unless the error alert is off or not a Stop alert (Excel's default is Stop). */
/** The Excel tables of the fake workbook, as the contract inspects them. */
export function tablesOf(fake: FakeOffice): TableSpec[] {
  return fake.book.tables.map((t) => ({ sheet: t.sheet.name, name: t.name, range: rectAddress(t.rect) }));
}

export function dropdownsOf(fake: FakeOffice): (Dropdown & { strict: boolean })[] {
  const out: (Dropdown & { strict: boolean })[] = [];
  for (const s of fake.book.sheets)
    for (const v of s.validations) {
      const alert = v.errorAlert as { showAlert?: boolean; style?: string; message?: string } | undefined;
      const strict = alert?.showAlert !== false && (alert?.style ?? 'Stop') === 'Stop';
      const rule = v.rule as {
        list?: { source: string };
        decimal?: { formula1: number; formula2: number };
      };
      if (rule.decimal) {
        const number = { min: Number(rule.decimal.formula1), max: Number(rule.decimal.formula2) };
        out.push({ sheet: s.name, range: v.address, number, message: alert?.message ?? '', strict });
        continue;
      }
      const text = String(rule.list?.source ?? '');
      if (!text.startsWith('=')) {
        out.push({ sheet: s.name, range: v.address, values: text.split(','), strict });
        continue;
      }
      const source = text.slice(1);
      const p = parseAddress(source);
      const range = source.slice(source.lastIndexOf('!') + 1).replace(/\$/g, '');
      out.push({ sheet: s.name, range: v.address, source: { sheet: p.sheet ?? s.name, range }, strict });
    }
  return out;
}

/** The charts on a fake sheet, read back as the port's ChartSpecs (type from Excel's chart type, anchor from setPosition). */
export function chartsOf(fake: FakeOffice, sheet: string): ChartSpec[] {
  const typeOf = Object.fromEntries(Object.entries(EXCEL_CHART_TYPE).map(([k, v]) => [v, k])) as Record<
    string,
    ChartSpec['type']
  >;
  return fake.sheetModel(sheet).charts.map((c) => {
    const start = parseA1(c.start ?? 'A1') ?? { row: 0, column: 0 };
    const end = parseA1(c.end ?? c.start ?? 'A1') ?? start;
    if (c.source.sheet !== sheet)
      throw new Error(`chart ${c.name} draws ${c.source.sheet}, not its own sheet`);
    if (c.seriesBy !== 'Columns') throw new Error(`chart ${c.name}: series by ${c.seriesBy}, not by columns`);
    return {
      sheet,
      name: c.name,
      type: typeOf[c.type] ?? (c.type as ChartSpec['type']),
      title: c.title,
      data: c.source.address,
      anchor: { at: c.start ?? '', columns: end.column - start.column + 1, rows: end.row - start.row + 1 },
    };
  });
}

/** A fake sheet's page layout as a PrintSetup (header codes back into tokens), or null when it is Excel's default. */
export function printOf(fake: FakeOffice, sheet: string): PrintSetup | null {
  const l = fake.sheetModel(sheet).pageLayout;
  const hf = l.defaultForAllPages;
  const fitToWidth = l.zoom.horizontalFitToPages === 1 && l.zoom.verticalFitToPages === 0;
  if (
    l.orientation === 'Portrait' &&
    l.zoom.scale === 100 &&
    l.printTitleRows === null &&
    Object.values(hf).every((v) => v === '')
  )
    return null;
  if (l.headerFooterState !== 'Default')
    throw new Error(`${sheet}: header and footer state ${l.headerFooterState}`);
  const parts = (left: string, center: string, right: string): NonNullable<PrintSetup['header']> => ({
    ...(left ? { left: fromHeaderFooterCodes(left) } : {}),
    ...(center ? { center: fromHeaderFooterCodes(center) } : {}),
    ...(right ? { right: fromHeaderFooterCodes(right) } : {}),
  });
  return {
    sheet,
    orientation: l.orientation === 'Landscape' ? 'landscape' : 'portrait',
    fitToWidth,
    ...(l.printTitleRows ? { titleRows: l.printTitleRows } : {}),
    header: parts(hf.leftHeader, hf.centerHeader, hf.rightHeader),
    footer: parts(hf.leftFooter, hf.centerFooter, hf.rightFooter),
  };
}
