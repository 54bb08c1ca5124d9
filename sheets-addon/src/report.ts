/**
 * The "Board report" command in Google Sheets (issue 15): the menu item and the sidebar's button
 * (District tab, the CFO) run the core `boardReport` under the document lock — one read, one write
 * of the report sheets and their charts (EmbeddedChart). Apps Script has no print-setup API, so the
 * reply lists, sheet by sheet, the settings the CFO chooses in File › Print or File › Download › PDF
 * (the report's own print setup, in the words of Google Sheets' print dialog).
 */
import { operations } from '../../core/operations';
import type { OperationResult } from '../../core/operations/api';
import type { BoardReportArgs } from '../../core/operations/report';
import { runOperationSync } from '../../core/port/driver';
import type { PrintSetup } from '../../core/port/types';
import { reportBatch } from '../../core/report/sheets';
import { NO_IDENTITY_NOTICE, email_, options_, plain_, port_, refused_, withLock_ } from './server';

/** How to print or save the packet as a PDF from Google Sheets, which no script can set up. */
export const PRINT_HOWTO =
  'Google Sheets cannot set up printing from a script, so choose these settings yourself: open each ' +
  'Report sheet, then File › Download › PDF (or File › Print) with Export: Current sheet, the page ' +
  'orientation and Scale: Fit to width listed below, and under Headers & footers tick Page numbers, ' +
  'Sheet name and Current date.';

/** One line per report sheet: the settings its print setup asks for. */
export function printSteps(print: readonly PrintSetup[]): string[] {
  return print.map(
    (p) =>
      `${p.sheet}: ${p.orientation}${p.fitToWidth ? ', fit to width' : ''}` +
      `${p.titleRows ? `, rows ${p.titleRows.replace(':', '–')} repeated on each page (freeze them and tick Repeat frozen rows)` : ''}`,
  );
}

export interface BoardReportReply extends OperationResult {
  /** The report sheets written, in tab order. */
  readonly sheets?: readonly string[];
  /** How to print them (PRINT_HOWTO), then one line per sheet. */
  readonly printing?: readonly string[];
}

function args_(unapproved?: unknown, status?: unknown): BoardReportArgs {
  return {
    unapproved: unapproved === 'include-marked' ? 'include-marked' : 'exclude',
    status: status === 'proposed' ? { kind: 'proposed' } : { kind: 'draft' },
  };
}

/** The sidebar's button. The core refuses anyone but the CFO (and an unknown user) in its one read. */
export function boardReport(unapproved?: string, status?: string): BoardReportReply {
  if (!email_()) return plain_(refused_(`Could not write the board report. ${NO_IDENTITY_NOTICE}`));
  const r = withLock_(() =>
    runOperationSync(port_(), operations.boardReport, args_(unapproved, status), options_()),
  );
  const report = 'report' in r ? r.report : undefined;
  const sheets = 'sheets' in r ? r.sheets : undefined;
  return plain_({
    ok: r.ok,
    summary: r.summary,
    diagnostics: r.diagnostics,
    ...(sheets ? { sheets } : {}),
    ...(r.ok && report ? { printing: [PRINT_HOWTO, ...printSteps(reportBatch(report).print ?? [])] } : {}),
  });
}

/** The menu item: the report with sites not approved left out, as a draft; the result in an alert. */
export function menuBoardReport(): void {
  const r = boardReport();
  const lines = [
    r.summary,
    ...r.diagnostics
      .filter((d) => d.severity === 'fatal')
      .slice(0, 10)
      .map((d) => `• ${d.message}`),
    ...(r.printing ?? []),
  ];
  const ui = SpreadsheetApp.getUi();
  ui.alert('Budgetline', lines.join('\n'), ui.ButtonSet.OK);
}
