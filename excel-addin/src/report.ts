/**
 * The "Board report" command (issue 15), from the ribbon and from the pane's District section (the
 * CFO): one core operation, `boardReport`, which reads the workbook once and writes the report
 * sheets, their native charts and their print setup in one write (ExcelPort: one sync). Printing
 * stays Excel's own: the pane says how to print the report sheets or save them as PDF.
 */
import {
  operations,
  runOperation,
  type BoardReportArgs,
  type BoardReportResult,
  type ReportStatus,
} from '../../core';
import { act, options, runtime } from './app';

/** How the CFO prints the packet or saves it as a PDF, once the report sheets are written. */
export const PRINT_HELP =
  'To print the packet or save it as a PDF: click the "Report – Cover" tab, Shift-click the last ' +
  'Report tab, then File › Print (Print Active Sheets) or File › Save As › PDF. Each sheet is already ' +
  'set up: orientation, fit to one page wide, title rows, and the district, status and page x of y ' +
  'in the header and footer.';

function choice(id: string): string | undefined {
  const el = document.getElementById(id) as HTMLSelectElement | null;
  return el?.value;
}

/** What the pane's selects ask for: sites not approved, and the status shown (draft or proposed). */
export function boardReportArgs(): BoardReportArgs {
  const status: ReportStatus =
    choice('report-status') === 'proposed' ? { kind: 'proposed' } : { kind: 'draft' };
  const unapproved = choice('unapproved') === 'include-marked' ? 'include-marked' : 'exclude';
  return { status, unapproved };
}

/** The report written: one read, one write through the runtime's port. */
export function runBoardReport(): Promise<BoardReportResult> {
  return runOperation(runtime.port, operations.boardReport, boardReportArgs(), options());
}

/** After a report: which sheets were written, and how to print them. */
export function showBoardReport(r: BoardReportResult): void {
  const done = document.getElementById('board-report-done');
  if (!done) return;
  done.hidden = !r.ok;
  if (r.ok) done.textContent = `Written: ${(r.sheets ?? []).join(', ')}. ${PRINT_HELP}`;
}

/** The pane's button. */
export function wireBoardReport(): void {
  document.getElementById('board-report')?.addEventListener('click', () => {
    void act(async () => {
      const r = await runBoardReport();
      showBoardReport(r);
      return r;
    });
  });
}
