/**
 * The operations every host offers, written once as pure plans. An operation never calls a host:
 * `reads(args)` names what it needs (one ReadRequest, one host round trip), and `run(snapshot, args,
 * options)` computes, synchronously, the result and the write batch (at most one round trip).
 * A host's driver (core/port/driver.ts: `runOperation` for Excel, .xlsx and memory,
 * `runOperationSync` for Apps Script) reads, runs and writes. Hosts (Excel task pane and ribbon,
 * Sheets menu and sidebar, the command line) only gather the arguments, call a driver, and show the
 * result.
 */
import type { Receipt } from '../approval/receipts';
import type { CellValue } from '../cells';
import type { Diagnostic } from '../diagnostics';
import type { Cents } from '../money';
import type { SiteChangeEffect } from '../rollforward/cost-changes';
import type { ClassControl } from '../rollup/consolidate';
import type { FundJson, ReservePolicy } from '../rollup/funds';
import type { BudgetState, PortUser, ReadRequest, Snapshot, WriteBatch } from '../port/types';
import type { NewSite } from '../workbook/create';
import type { ImportBySiteArgs, ImportBySiteResult } from './import-by-site';
import type { AmendArgs, AmendResult, BoardResult, BoardView } from './board';
import type { BoardReportArgs, BoardReportResult } from './report';
import type { BudgetBasis, ReconciliationRow } from './final';
import type { AccountColumns } from '../workbook/layout';

export interface OperationOptions {
  /** The host's clock, ISO-8601 UTC ("2026-11-28T09:30:00.000Z"). The core reads no clock itself. */
  readonly now: () => string;
  /** Called as long work advances (consolidation, validation of many sites). */
  readonly progress?: (done: number, total: number, label: string) => void;
  /**
   * Who acts when the host cannot tell from the port (the command line's --as, a name picked from the
   * Roles table in Excel without single sign-on): recorded as self-declared.
   */
  readonly actAs?: PortUser;
}

export interface OperationResult {
  /** False when the operation refused or any finding is fatal. */
  readonly ok: boolean;
  /** Every finding, all at once, each with its sheet and cell. */
  readonly diagnostics: readonly Diagnostic[];
  /** One or two sentences for the user: "Lincoln Elementary submitted for approval." */
  readonly summary: string;
}

/** Steps that change the approvals' record or use it (workflow steps, consolidate, export) return receipts. */
export interface Receipted {
  /** Keep them outside the workbook: verify checks the chain against them. */
  readonly receipts?: readonly Receipt[];
}

/** What a task pane or sidebar shows: sites, the user's rights, one site's money and findings. */
export interface StatusView {
  readonly user: PortUser | null;
  /** Why the user has no rights, when they have none ("you are not in the Roles table"). */
  readonly notice?: string;
  /** Everyone in the Roles table: the names a host without single sign-on offers to pick from. */
  readonly people: readonly string[];
  readonly sites: readonly {
    readonly code: string;
    readonly name: string;
    readonly sheet: string;
    readonly state: BudgetState;
  }[];
  /** The chosen site, when one was asked for. */
  readonly site?: {
    readonly code: string;
    readonly state: BudgetState;
    /** What the current user may do to this site now (the buttons to show). */
    readonly can: {
      readonly submit: boolean;
      readonly approve: boolean;
      readonly return: boolean;
      readonly reopen: boolean;
    };
    /** Allocated / planned / remaining per allocation (funding source), and the site total last. */
    readonly allocations: readonly AllocationView[];
    readonly findings: readonly Diagnostic[];
  };
  /** District-wide rights (CFO). */
  readonly canConsolidate: boolean;
  /** Where the budget stands with the board: adopted (date, resolution) or not, and the amendments. */
  readonly board?: BoardView;
  /** Whether the user may record the board's vote, reopen sites in bulk and apply amendments (the CFO). */
  readonly canAdopt?: boolean;
  /** After adoption: the sites the user may draft an amendment for (a builder, an approver or the CFO). */
  readonly amendSites?: readonly string[];
}

export interface AllocationView {
  /** "Title I (fund 210, program 200)" or "Site total". */
  readonly label: string;
  readonly allocatedCents: number;
  readonly plannedCents: number;
  readonly remainingCents: number;
  /** FTE in thousandths (1000 = 1.0 FTE). */
  readonly allocatedFte: number;
  readonly plannedFte: number;
  readonly remainingFte: number;
  /** Whether the allocation gives FTE; a dollars-only allocation does not limit FTE (show planned FTE only). */
  readonly fteTracked: boolean;
  /** Remaining below zero, in dollars, or in FTE where FTE is tracked. */
  readonly over: boolean;
}

export interface CreateWorkbookArgs {
  /** A chart preset id ('nces', 'texas', 'california'); anything else is refused (BL823). */
  readonly preset: string;
  /** The fiscal year by its ending year (2027 = July 2026 – June 2027); 2000–2100, else BL822. */
  readonly fiscalYear: number;
  readonly district: string;
  /**
   * Build the district workbook over the one already in this document (its tables replaced, its
   * approvals reset). Only the CFO of the existing Roles table may; without it an existing district
   * workbook is refused (BL807).
   */
  readonly rebuild?: boolean;
  /**
   * How site sheets hold the account (Setup "Account columns"): 'one' Account column (default), or
   * 'per segment' (one column per segment of the chart, each with a dropdown of its codes).
   */
  readonly accountColumns?: AccountColumns;
  /** Sites to list in the Sites table, each with its empty site sheet (default none). */
  readonly sites?: readonly NewSite[];
}

export type UnapprovedChoice = 'exclude' | 'include-marked';

/** What `run` gives: the result, and the one write the host applies (none when omitted). */
export interface Outcome<R extends OperationResult = OperationResult> {
  readonly result: R;
  readonly write?: WriteBatch;
}

/** One operation as a plan: what to read, and a pure, synchronous computation from what was read. */
export interface Operation<A, R extends OperationResult = OperationResult> {
  /** The operation's name, for messages and logs ("submit"). */
  readonly name: string;
  /** The one read the operation needs. */
  reads(args: A): ReadRequest;
  /** The result and the write batch, from the snapshot of `reads(args)`. No I/O, no clock but options.now. */
  run(snapshot: Snapshot, args: A, options: OperationOptions): Outcome<R>;
}

/** The operations, as hosts run them (through a driver). Implementations live beside this file. */
/**
 * The rows (0-based, inclusive) live validation re-checks, and the columns that were edited when the
 * host knows them: an edit that did not touch the Cost (computed) column refreshes its cells
 * silently, one that did (or an unknown one) is told what was replaced (BL430).
 */
export interface LiveRows {
  readonly sheet: string;
  readonly from: number;
  readonly to: number;
  readonly columns?: { readonly from: number; readonly to: number };
}

export interface Operations {
  readonly createWorkbook: Operation<CreateWorkbookArgs>;
  /** What the pane shows (one read, no write). */
  readonly status: Operation<{ site?: string }, StatusResult>;
  /** Validates whole site sheets (all sites when `sites` is omitted), marks invalid cells, clears fixed ones. */
  readonly validateSites: Operation<{ sites?: readonly string[] }>;
  /** Live validation: re-checks rows from..to (0-based) of one sheet after an edit or a paste. */
  readonly validateRows: Operation<LiveRows>;
  readonly computeAllocations: Operation<Record<string, never>>;
  readonly submit: Operation<{ site: string; comment?: string }, WorkflowResult>;
  readonly approve: Operation<{ site: string; comment?: string }, WorkflowResult>;
  readonly returnBudget: Operation<{ site: string; comment: string }, WorkflowResult>;
  readonly reopen: Operation<{ site: string; comment: string }, WorkflowResult>;
  readonly consolidate: Operation<{ unapproved: UnapprovedChoice }, ConsolidateResult>;
  /**
   * The approved sites' lines in an export format; after adoption the FINAL budget (the adopted lines
   * and the applied amendments, final.ts). `amendments`: only the applied amendments' lines, as signed
   * changes ('all', or the IDs named), for an accounting system that already loaded the adopted budget.
   */
  readonly exportBudget: Operation<{ format: string; amendments?: 'all' | readonly string[] }, ExportResult>;
  /**
   * Checks the audit chain and every approved site against its approval (the CFO only).
   * `receipts`: receipts kept outside the workbook, to detect a rewritten or truncated chain.
   */
  readonly verify: Operation<{ receipts?: readonly Receipt[] }, VerifyResult>;
  /**
   * Next year's workbook. Reads this workbook once and never writes it: the result carries next
   * year's workbook as one write batch (`next`) for the host to write to a new document.
   * `salaryIncrease` is a percentage (3 = 3%); default the Setup sheet's "Salary increase".
   */
  readonly rollForward: Operation<{ salaryIncrease?: number }, RollForwardResult>;
  /** Lines (rows in SITE_HEADER order, mapped by the host) into one site's sheet, then that site validated. */
  readonly importLines: Operation<ImportArgs, ImportResult>;
  /** One extract holding every site's lines into each site's sheet, all or nothing (import-by-site.ts). */
  readonly importBySite: Operation<ImportBySiteArgs, ImportBySiteResult>;
  /** The board's adoption: the approved budget frozen as the original budget (board.ts). */
  readonly adopt: Operation<{ date: string; resolution: string }, BoardResult>;
  /** The board did not adopt: back to revision with its comment. */
  readonly notAdopted: Operation<{ comment: string }, BoardResult>;
  /** Reopens approved sites in bulk (the CFO, with a comment). */
  readonly reopenSites: Operation<{ sites: 'all' | readonly string[]; comment: string }, WorkflowResult>;
  /** One amendment's step: add, approve, apply. */
  readonly amend: Operation<AmendArgs, AmendResult>;
  /** The board report sheets (cover, funds, projection, …) with charts and print setup (report.ts). */
  readonly boardReport: Operation<BoardReportArgs, BoardReportResult>;
}

export interface ImportArgs {
  /** The site: its code, sheet name or name. */
  readonly site: string;
  /** Rows in SITE_HEADER order, without a header row. */
  readonly rows: readonly (readonly CellValue[])[];
  /** Replace the sheet's lines (default: add them after the lines already there). */
  readonly replace?: boolean;
  /** Where the rows came from, for the summary ("erp.csv"). */
  readonly source?: string;
}

export interface ImportResult extends OperationResult {
  /** The site's sheet the lines went to (absent when refused). */
  readonly sheet?: string;
  readonly imported?: number;
  /** Whether the lines were added after those already there (false: the sheet was replaced). */
  readonly appended?: boolean;
}

export interface StatusResult extends OperationResult {
  readonly view: StatusView;
}

/** A message for someone the host may e-mail or show (the workflow's notify effects). */
export interface Notification {
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

export interface WorkflowResult extends OperationResult, Receipted {
  /** The site's state after the step (unchanged when refused). */
  readonly state?: BudgetState;
  readonly notifications?: readonly Notification[];
}

export interface ConsolidateResult extends OperationResult, Receipted {
  readonly control?: {
    masterCents: number;
    sitesCents: number;
    agree: boolean;
    /** Per account class (revenues with revenues, expenditures with expenditures). */
    byClass?: readonly ClassControl[];
  };
  /** Per fund, then the district (all funds); absent when the chart has no account classes. */
  readonly funds?: readonly FundJson[];
  readonly district?: FundJson;
  /** The Setup reserve policy the funds were checked against, when there is one. */
  readonly reservePolicy?: ReservePolicy;
  /** Once adopted: which budget the Master Budget is (original, or final as of amendment X). */
  readonly budget?: BudgetBasis;
  /** Once adopted: original + Σ amendments = final, per account class and fund (checked). */
  readonly reconciliation?: readonly ReconciliationRow[];
}

export interface ExportResult extends OperationResult, Receipted {
  readonly content?: string;
  readonly fileName?: string;
  /** The file as a table (core/export: fields of each record), for a host that writes it to a sheet. */
  readonly rows?: readonly (readonly string[])[];
  /** Once adopted: which budget the file carries (original, or final as of amendment X). */
  readonly budget?: BudgetBasis;
  /** Once adopted, a whole-budget export: original + Σ amendments = the file, per class and fund. */
  readonly reconciliation?: readonly ReconciliationRow[];
  /** `amendments`: the amendments whose changes the file carries, in the order applied. */
  readonly amendments?: readonly string[];
}

export interface VerifyResult extends OperationResult {
  /** intact, no approvals recorded, or problems (core/approval/verify-district). */
  readonly status?: 'intact' | 'no approvals recorded' | 'problems';
}

/** One site in a roll-forward: what was carried, what dropped off and what each cost change did. */
export interface RollForwardSite {
  readonly site: string;
  readonly name: string;
  readonly sheet: string;
  /** Lines and positions carried forward (the change lines not counted). */
  readonly carried: number;
  /** Lines that do not carry forward, and why (marked One-time, or a one-time-ends change). */
  readonly dropped: readonly { account: string; description: string; cents: Cents; why: string }[];
  /** Each cost change's effect at this site, in the order applied. */
  readonly changes: readonly SiteChangeEffect[];
  /** The change lines written to the site's sheet, and their total. */
  readonly changeLines: number;
  readonly changeCents: Cents;
}

export interface RollForwardResult extends OperationResult {
  readonly fiscalYear?: number;
  /** Per site, for `roll-forward --explain` and `--json` (absent when refused). */
  readonly sites?: readonly RollForwardSite[];
  /** The cost changes effective next year, in the order applied, with their district total. */
  readonly costChanges?: readonly {
    id: string;
    kind: string;
    description: string;
    cents: Cents;
    matched: number;
  }[];
  /** Next year's beginning balance per fund, and what it came from. */
  readonly beginningBalances?: readonly { fund: string; name: string; cents: Cents; basis: string }[];
  /** Next year's workbook, one batch for a new, empty document (absent when refused). */
  readonly next?: WriteBatch;
}
