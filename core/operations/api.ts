/**
 * The operations every host offers, written once against the workbook port. Each is one
 * `port.read` (one host round trip), a pure computation in the core, and one `port.write`.
 * Hosts (Excel task pane and ribbon, Sheets menu and sidebar, the command line) only gather the
 * arguments, call one of these, and show the result.
 */
import type { Receipt } from '../approval/receipts';
import type { Diagnostic } from '../diagnostics';
import type { BudgetState, PortUser, WorkbookPort } from '../port/types';
import type { NewSite } from '../workbook/create';
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
  readonly preset: 'nces' | 'texas' | 'california';
  readonly fiscalYear: number;
  readonly district: string;
  /**
   * How site sheets hold the account (Setup "Account columns"): 'one' Account column (default), or
   * 'per segment' (one column per segment of the chart, each with a dropdown of its codes).
   */
  readonly accountColumns?: AccountColumns;
  /** Sites to list in the Sites table, each with its empty site sheet (default none). */
  readonly sites?: readonly NewSite[];
}

export type UnapprovedChoice = 'exclude' | 'include-marked';

/** The operations, as hosts call them. Implementations live beside this file. */
export interface Operations {
  createWorkbook(
    port: WorkbookPort,
    args: CreateWorkbookArgs,
    options: OperationOptions,
  ): Promise<OperationResult>;
  /** What the pane shows (one read, no write). */
  status(
    port: WorkbookPort,
    args: { site?: string },
    options: OperationOptions,
  ): Promise<OperationResult & { readonly view: StatusView }>;
  /** Validates whole site sheets (all sites when `sites` is omitted), marks invalid cells, clears fixed ones. */
  validateSites(
    port: WorkbookPort,
    args: { sites?: readonly string[] },
    options: OperationOptions,
  ): Promise<OperationResult>;
  /** Live validation: re-checks rows from..to (0-based) of one sheet after an edit or a paste. */
  validateRows(
    port: WorkbookPort,
    args: { sheet: string; from: number; to: number },
    options: OperationOptions,
  ): Promise<OperationResult>;
  computeAllocations(
    port: WorkbookPort,
    args: Record<string, never>,
    options: OperationOptions,
  ): Promise<OperationResult>;
  submit(
    port: WorkbookPort,
    args: { site: string; comment?: string },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted>;
  approve(
    port: WorkbookPort,
    args: { site: string; comment?: string },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted>;
  returnBudget(
    port: WorkbookPort,
    args: { site: string; comment: string },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted>;
  reopen(
    port: WorkbookPort,
    args: { site: string; comment: string },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted>;
  consolidate(
    port: WorkbookPort,
    args: { unapproved: UnapprovedChoice },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted>;
  exportBudget(
    port: WorkbookPort,
    args: { format: string },
    options: OperationOptions,
  ): Promise<OperationResult & Receipted & { readonly content?: string; readonly fileName?: string }>;
  /** `receipts`: receipts kept outside the workbook, to detect a rewritten or truncated chain. */
  verify(
    port: WorkbookPort,
    args: { receipts?: readonly Receipt[] },
    options: OperationOptions,
  ): Promise<OperationResult>;
  /**
   * Next year's workbook. Reads `port` once and never writes it; writes next year's workbook to
   * `target` in one write. Without `target`: a dry run (findings and summary only).
   * `salaryIncrease` is a percentage (3 = 3%); default the Setup sheet's "Salary increase".
   */
  rollForward(
    port: WorkbookPort,
    args: { salaryIncrease?: number; target?: WorkbookPort },
    options: OperationOptions,
  ): Promise<OperationResult & { readonly fiscalYear?: number }>;
}
