/**
 * The CFO's views in the task pane (ui/cfo.ts draws them): each button runs one core operation
 * through the pane's ExcelPort — one read for a view, one read and one write for a decision or an
 * import by site. The pane reads CSV and .xlsx extracts (exceljs, loaded only when an .xlsx is picked).
 */
import {
  actualsView,
  adoptView,
  decideView,
  proposeView,
  importBySite,
  importReportTable,
  proposalsView,
  runOperation,
  scenariosView,
  type CellValue,
} from '../../core';
import { mountCfoViews, type CfoBackend } from '../../ui/cfo';
import { runtime, options, showError } from './app';

/** The most lines one picked extract may hold in the pane: the CLI's limit for one extract. */
export const PANE_EXTRACT_LIMIT = 400_000;

/** An .xlsx extract's first sheet, as cell values (numbers stay numbers, dates as ISO text). */
async function readXlsx(bytes: ArrayBuffer): Promise<CellValue[][]> {
  const { default: ExcelJS } = await import(/* webpackChunkName: "exceljs" */ 'exceljs');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const grid: CellValue[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: CellValue[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(cellValue(row.getCell(c).value));
    grid[n - 1] = values;
  });
  for (let i = 0; i < grid.length; i++) grid[i] ??= [];
  return grid;
}

function cellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('result' in o) return cellValue(o.result);
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (typeof o.text === 'string') return o.text;
    if (typeof o.error === 'string') return o.error;
  }
  return String(v);
}

const backend: CfoBackend = {
  proposals: () => runOperation(runtime.port, proposalsView, {}, options()),
  decide: (proposal, decision, reason) =>
    runOperation(runtime.port, decideView, { proposal, decision, reason }, options()),
  propose: (proposal) => runOperation(runtime.port, proposeView, { proposal }, options()),
  scenarios: () => runOperation(runtime.port, scenariosView, {}, options()),
  adopt: (scenario, reason) => runOperation(runtime.port, adoptView, { scenario, reason }, options()),
  actuals: () => runOperation(runtime.port, actualsView, {}, options()),
  importBySite: async (extract, replace) => {
    const r = await runOperation(
      runtime.port,
      importBySite,
      {
        header: extract.header,
        records: extract.records,
        source: extract.source,
        ...(replace ? { replace: true } : {}),
      },
      options(),
    );
    return { ...r, ...(r.sites.length ? { report: importReportTable(r.sites, r.lines) } : {}) };
  },
};

export function mountPaneCfoViews(root: HTMLElement): void {
  mountCfoViews(root, backend, {
    prefix: 'cfo',
    buttonClass: 'bl-button',
    tableClass: 'bl-table',
    maxRecords: PANE_EXTRACT_LIMIT,
    readXlsx,
    fileNote:
      'The file is read here, in the pane, and imported all or nothing: every problem is listed with its row, and nothing is written until the whole file is right. At most 400,000 lines.',
    onError: showError,
  });
}
