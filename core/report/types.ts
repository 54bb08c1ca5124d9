/**
 * The board report (issue 15): the packet a CFO takes to the Board of Education, computed from a
 * district workbook. The model is plain data (integer cents, FTE in thousandths); sheets.ts turns it
 * into report sheets with charts and print setup, and every host writes those.
 */
import type { Cents } from '../money';

/**
 * Where the budget stands with the board: shown on the cover and in every page's header. Adoption
 * (h13's `adopt`) records the board's date and resolution; before it a packet is a draft or proposed.
 */
export type ReportStatus =
  | { readonly kind: 'draft' }
  | { readonly kind: 'proposed' }
  | { readonly kind: 'adopted'; readonly on: string; readonly resolution: string };

/**
 * The original (adopted) budget, by account, so the report shows original vs final vs variance
 * (GASB 34). Amounts are grouped by fund, function and object with the chart, as the final budget is.
 */
export interface OriginalBudget {
  /** When it was adopted (ISO date), for the column heading. */
  readonly adoptedOn?: string;
  readonly lines: readonly { readonly account: string; readonly cents: Cents }[];
}

/** Last year's budget or actuals by account, for prior year vs proposed (e.g. last year's workbook). */
export interface PriorYear {
  /** What the figures are, shown under the table ("FY2026 adopted budget, last-year.xlsx"). */
  readonly label?: string;
  /** The year they are for (checked to be the year before the budget, BL950). */
  readonly fiscalYear?: number;
  readonly lines: readonly { readonly account: string; readonly cents: Cents }[];
}

/** One row of money by a code (a fund, a function, an object class, a site). */
export interface CodeAmount {
  readonly code: string;
  readonly name: string;
  readonly cents: Cents;
  /** The original (adopted) budget's amount, when an original budget was given. */
  readonly originalCents?: Cents;
}

export interface ReportFund {
  readonly fund: string;
  readonly name: string;
  readonly beginningBalanceCents: Cents;
  readonly revenuesCents: Cents;
  readonly expendituresCents: Cents;
  readonly otherSourcesCents: Cents;
  readonly otherUsesCents: Cents;
  readonly netChangeCents: Cents;
  readonly endingBalanceCents: Cents;
  readonly reservePercent: number | null;
}

export interface ReportSite {
  readonly code: string;
  readonly name: string;
  /** approved, or the state it is in when unapproved sites are included (marked). */
  readonly state: string;
  readonly enrollment: number;
  /** Expenditures of the site's lines. */
  readonly expendituresCents: Cents;
  /** Per pupil, in cents (rounded to the cent), or null without enrollment. */
  readonly perPupilCents: Cents | null;
  readonly fte: number;
}

export interface ReportComparisonRow {
  readonly label: string;
  /** Null when the workbook has no prior-year figure for this row. */
  readonly priorCents: Cents | null;
  readonly proposedCents: Cents;
  readonly changeCents: Cents | null;
  /** Change as a % of the prior year (2 decimals), null without a prior year or when it is zero. */
  readonly changePercent: number | null;
}

export interface ReportProposal {
  readonly id: string;
  readonly title: string;
  readonly site: string;
  readonly type: 'addition' | 'reduction';
  readonly recurrence: 'one-time' | 'recurring';
  /** Signed cost in the budget year: positive adds spending, negative is a saving. */
  readonly costCents: Cents;
}

export interface ReportProjectionYear {
  readonly fiscalYear: number;
  readonly funds: readonly ReportFund[];
  readonly district: ReportFund;
}

/** Everything the packet shows, section by section. */
export interface BoardReport {
  readonly cover: {
    readonly district: string;
    readonly fiscalYear: number;
    readonly status: ReportStatus;
    /** "DRAFT", "PROPOSED", "ADOPTED 2026-06-18 (Resolution 2026-14)". */
    readonly statusText: string;
    /** When the report was prepared (options.now). */
    readonly preparedAt: string;
    readonly sitesIncluded: number;
    /** Sites not approved: left out, or included and marked. */
    readonly sitesNotApproved: readonly { code: string; name: string; state: string }[];
    readonly unapproved: 'exclude' | 'include-marked';
  };
  readonly funds: readonly ReportFund[];
  readonly district: ReportFund;
  readonly projection: readonly ReportProjectionYear[];
  readonly byFunction: readonly CodeAmount[];
  readonly byObject: readonly CodeAmount[];
  /** Expenditures by fund, with the original budget's when given (original vs final by fund). */
  readonly byFund: readonly CodeAmount[];
  /**
   * Revenues by fund (the fund summary's: the Revenues table and revenue lines), with the original
   * budget's when given (original vs final for revenues, never added to expenditures).
   */
  readonly revenuesByFund: readonly CodeAmount[];
  /** The segment names the tables use ("Function", "Object"), from the chart. */
  readonly functionLabel: string;
  readonly objectLabel: string;
  readonly sites: readonly ReportSite[];
  readonly fteByJob: readonly {
    readonly job: string;
    readonly title: string;
    readonly fte: number;
    readonly cents: Cents;
  }[];
  readonly comparison: {
    readonly rows: readonly ReportComparisonRow[];
    /** Why some prior-year figures are missing, said on the page instead of inventing them. */
    readonly notes: readonly string[];
  };
  readonly proposals: readonly ReportProposal[];
  /** The original budget's total expenditures, when one was given (original vs final vs variance). */
  readonly original?: {
    readonly adoptedOn?: string;
    readonly expendituresCents: Cents;
    /** The original budget's revenues (the Revenues table with the original revenue lines). */
    readonly revenuesCents: Cents;
  };
  /** Totals the report must agree with: the consolidation's, to the cent. */
  readonly totals: {
    readonly expendituresCents: Cents;
    readonly revenuesCents: Cents;
    readonly fte: number;
  };
}
