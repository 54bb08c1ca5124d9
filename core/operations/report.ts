/**
 * boardReport: the board packet (issue 15) as report sheets Budgetline owns ("Report – Cover",
 * "Report – Funds", …), with native charts and print setup. One read (every sheet, the state, the
 * user), one write that replaces the report sheets and never touches any other sheet.
 */
import type { BoardReport, OriginalBudget, ReportStatus } from '../report/types';
import type { Operation, OperationResult, Receipted, UnapprovedChoice } from './api';

export interface BoardReportArgs {
  /** DRAFT, PROPOSED or ADOPTED with its date and resolution (default draft). */
  readonly status?: ReportStatus;
  /** The original (adopted) budget, for original vs final vs variance. */
  readonly original?: OriginalBudget;
  /**
   * Sites not approved: 'exclude' (default: the packet shows exactly what was approved) or
   * 'include-marked' (their lines counted, each such site marked on the cover and in the sites table).
   */
  readonly unapproved?: UnapprovedChoice;
}

export interface BoardReportResult extends OperationResult, Receipted {
  /** The report's model (absent when refused). */
  readonly report?: BoardReport;
  /** The report sheets written, in tab order. */
  readonly sheets?: readonly string[];
}

export const boardReport: Operation<BoardReportArgs, BoardReportResult> = {
  name: 'boardReport',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run: () => ({ result: { ok: false, diagnostics: [], summary: 'The board report is being built.' } }),
};
