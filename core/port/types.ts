/**
 * The workbook port: the one narrow interface between the core and every host (Excel, Google Sheets,
 * .xlsx files, memory). Every user action is one `read` (one host round trip) and one `write` (one
 * round trip); operations in core/operations compute between the two and never call a host.
 */
import type { BudgetState, SiteBudget } from '../approval/workflow';
import type { CellValue } from '../cells';
import type { Diagnostic, Severity } from '../diagnostics';

export type { BudgetState, SiteBudget };

/** Who is using the workbook. `verified`: the host proved it (Office SSO, Google session). */
export interface PortUser {
  readonly email: string;
  readonly name?: string;
  readonly verified: boolean;
}

/**
 * What Budgetline keeps in the document besides its sheets (Excel: settings or a custom XML part;
 * Sheets: DocumentProperties; .xlsx: a hidden sheet): each site's workflow state and the last hash
 * of the audit chain, so that a hand edit of the Audit sheet is detected.
 */
export interface DocumentState {
  readonly version: 1;
  /** Workflow state by site code. A site missing here is a draft. */
  readonly sites: Readonly<Record<string, SiteBudget>>;
  /** Hash of the last audit entry (GENESIS_HASH when there is none). */
  readonly lastAuditHash: string;
}

/** A window of rows of one sheet: the header row plus rows from..to (0-based, inclusive). For live validation. */
export interface RowRequest {
  readonly sheet: string;
  readonly from: number;
  readonly to: number;
}

export interface ReadRequest {
  /** Whole sheets to read, from A1 to the last used cell; 'all' reads every sheet. Missing sheets are skipped. */
  readonly sheets?: readonly string[] | 'all';
  /** Row windows (with their sheet's header row). */
  readonly rows?: readonly RowRequest[];
  /** Include the document state (and the computed-column hashes kept beside it). */
  readonly state?: boolean;
  /** Include the computed-column hashes (Snapshot.computedHashes) without the state: live validation. */
  readonly computedHashes?: boolean;
  /** Include the current user. */
  readonly user?: boolean;
  /** Include the workbook's Excel tables (Snapshot.tables), for an operation that writes tables. */
  readonly tables?: boolean;
}

export interface RowWindow extends RowRequest {
  /** Row 0 of the sheet. */
  readonly header: readonly CellValue[];
  /** Rows from..to; a row past the end of the sheet is empty. */
  readonly values: readonly (readonly CellValue[])[];
}

export interface Snapshot {
  /** Every sheet of the workbook, in tab order. */
  readonly sheetNames: readonly string[];
  /** The sheets asked for, by name: rows from A1, each row as long as the used width. */
  readonly sheets: Readonly<Record<string, readonly (readonly CellValue[])[]>>;
  readonly windows: readonly RowWindow[];
  /** The document state, when asked for (a new document has an empty one). */
  readonly state?: DocumentState;
  /**
   * Why the stored state could not be used (BL820, from decodeDocumentState), when it was asked for
   * and is damaged or foreign; `state` is then the empty state.
   */
  readonly stateDiagnostics?: readonly Diagnostic[];
  /**
   * By site sheet, a short hash of its computed cost columns as Budgetline last wrote them, when
   * the state was asked for (see WriteBatch.computedHashes); empty when none is kept.
   */
  readonly computedHashes?: Readonly<Record<string, string>>;
  /** The current user, when asked for; null when the host cannot tell. */
  readonly user?: PortUser | null;
  /**
   * The audit chain's head as the host keeps it OUTSIDE the document, where the spreadsheet's editors
   * cannot write it (Google Sheets: the add-on's ScriptProperties), when the state was asked for and the
   * host keeps one. Verify checks that the Audit sheet ends there (BL618).
   */
  readonly keptHead?: string;
  /**
   * Cells (A1, by sheet) that hold a formula whose value is the result cached in the file, not one
   * recalculated now: set only by hosts that cannot recalculate (the .xlsx port). Live Excel and
   * Sheets recalculate and leave it out. Each such cell an operation reads gets BL014.
   */
  readonly formulas?: Readonly<Record<string, readonly string[]>>;
  /**
   * Every Excel table of the workbook (sheet, name, A1 range), Budgetline's and the user's, when asked
   * for; hosts without tables (Google Sheets) leave it out. core/port/tables.ts planTable decides with
   * it what a TableSpec does where a table already is.
   */
  readonly tables?: readonly TableSpec[];
  /**
   * The merged cells ("A4:B4", by sheet) of the sheets read, when tables were asked for and the host
   * can tell (Excel from ExcelApi 1.13, .xlsx): no table is made or grown over them (BL827).
   */
  readonly merged?: readonly { readonly sheet: string; readonly range: string }[];
}

/** Values written to a sheet (created when missing), top-left at `at` (default A1). */
export interface SheetWrite {
  readonly sheet: string;
  readonly at?: string;
  readonly values: readonly (readonly CellValue[])[];
  /** Number formats by column of `values` ('#,##0.00', '0.000', '@' for text); null leaves a column as it is. */
  readonly columnFormats?: readonly (string | null)[];
  /** The first row is a header: bold, and frozen when written at A1. */
  readonly header?: boolean;
  /** Replace the sheet's contents: everything outside what is written is cleared. */
  readonly replace?: boolean;
  /**
   * The cells written null lose their number format too, back to the host's General: rows Budgetline
   * added and takes out again (a rejected proposal's rows) leave nothing behind. Without it a cleared
   * cell keeps its format, as a person's formatting must.
   */
  readonly clearFormats?: boolean;
}

/** A mark on a cell Budgetline found wrong: a fill by severity and a note with the finding. */
export interface CellMark {
  readonly sheet: string;
  readonly cell: string;
  readonly severity: Severity;
  readonly note: string;
}

/** Clears Budgetline's marks (fill and note) from rows from..to of a sheet (whole sheet when omitted). */
export interface ClearMarks {
  readonly sheet: string;
  readonly from?: number;
  readonly to?: number;
}

/**
 * A data-validation rule on a range: a dropdown (a list fed from a range of another sheet, or an
 * inline list) or a number rule (a decimal between min and max). A rule only suggests: every host
 * writes it so that any value is still accepted (Excel: no error alert for lists, a Warning alert
 * for numbers; Google Sheets: allow invalid data; .xlsx: no error message for lists, a warning for
 * numbers), because a list of codes holds ranges and masks ("6141-6149", "57XX") as well as codes,
 * and a paste bypasses a rule anyway. Budgetline's validation decides what is valid.
 *
 * `range` is an A1 range on `sheet`, e.g. "B2:B5000"; an open-ended range ("B2:B") runs to the
 * sheet's last row, whatever the host's (.xlsx and Excel: row 1,048,576; Sheets: the sheet's rows).
 * A rule written on a range replaces the one Budgetline wrote there before.
 */
export type Dropdown = ListFromRange | ListOfValues | NumberRule;

interface RuleRange {
  readonly sheet: string;
  readonly range: string;
}

/** A list from a range of another sheet, e.g. { sheet: 'Codes', range: 'B2:B120' } (open-ended allowed). */
export interface ListFromRange extends RuleRange {
  readonly source: { readonly sheet: string; readonly range: string };
}

/** An inline list ("Line", "Position"); hosts limit its length (Excel: 255 characters in all). */
export interface ListOfValues extends RuleRange {
  readonly values: readonly string[];
}

/** A decimal between min and max (inclusive), with at most `decimals` places when given. */
export interface NumberRule extends RuleRange {
  readonly number: { readonly min: number; readonly max: number; readonly decimals?: number };
  /** Shown by the host when a value is outside (e.g. "FTE is between 0 and 1"). */
  readonly message: string;
}

/**
 * A native chart Budgetline owns, over a table it wrote (Excel: Office.js charts; Sheets:
 * EmbeddedChart; .xlsx: a DrawingML chart part added without touching anything else).
 */
export interface ChartSpec {
  readonly sheet: string;
  /** Stable name: writing a chart of the same name on the same sheet replaces it, never adds a second. */
  readonly name: string;
  readonly type: 'pie' | 'column' | 'bar' | 'line';
  readonly title: string;
  /**
   * The data on `sheet`, A1 range with its header row: categories in the first column, one series per
   * further column (series names from the header), e.g. "A4:C44".
   */
  readonly data: string;
  /** Top-left cell of the chart and its size in columns and rows. */
  readonly anchor: { readonly at: string; readonly columns: number; readonly rows: number };
}

/**
 * Print setup of a sheet Budgetline owns. Header and footer text may hold the tokens {page}, {pages},
 * {sheet} and {date}, which each host turns into its own codes (Excel/.xlsx: &P, &N, &A, &D). A host
 * without a print-setup API (Google Sheets) leaves it out and says so where the user prints.
 */
export interface PrintSetup {
  readonly sheet: string;
  readonly orientation: 'portrait' | 'landscape';
  /** Fit every column on one page width (as many pages tall as needed). */
  readonly fitToWidth: boolean;
  /** Rows repeated at the top of each printed page, e.g. "1:4". */
  readonly titleRows?: string;
  readonly header?: { readonly left?: string; readonly center?: string; readonly right?: string };
  readonly footer?: { readonly left?: string; readonly center?: string; readonly right?: string };
}

/**
 * An Excel table over a block Budgetline wrote, its header row first (Excel: worksheet.tables.add;
 * .xlsx: a table part; memory: kept as given; Google Sheets has no table API and leaves it out). Where
 * tables already are, every adapter does what core/port/tables.ts planTable says: Budgetline's own
 * table (its name) at the range's first cell is resized to `range`; a user's table over exactly the
 * same header row and columns is kept as the table (under its name, its rows extended to `range`,
 * never shortened); a user's table that overlaps otherwise is left alone and no table is made (the
 * operation reports BL826); a table elsewhere on the sheet does not stop a new one. A name already
 * used in the workbook gets a suffix (_2, _3 …). Readers find a table by its header row, as before.
 */
export interface TableSpec {
  readonly sheet: string;
  /** Letters, digits and _ , starting with a letter. */
  readonly name: string;
  /** A1 range with the header row and at least one row under it, e.g. "A1:R120". */
  readonly range: string;
}

export interface WriteBatch {
  readonly sheets?: readonly SheetWrite[];
  /** Applied before `marks`. */
  readonly clearMarks?: readonly ClearMarks[];
  readonly marks?: readonly CellMark[];
  readonly dropdowns?: readonly Dropdown[];
  /**
   * Sheets to protect (a site submitted or approved), with the reason shown to users, and who may
   * still edit them where the host keeps a list of editors (Google Sheets): the site's approvers and
   * the CFO (core/approval/permissions.ts lockedSheetEditors). Hosts without per-person protection
   * (Excel, .xlsx) lock the sheet for everyone but Budgetline.
   */
  readonly protect?: readonly {
    readonly sheet: string;
    readonly reason: string;
    readonly editors?: readonly string[];
  }[];
  readonly unprotect?: readonly string[];
  /** The new document state, replacing the old one. */
  readonly state?: DocumentState;
  /**
   * By site sheet, a short hash of its computed cost columns as this write leaves them
   * (core/workbook/site-view.ts), so the next validation can tell a cost whose inputs changed while
   * Budgetline was not running from one typed over. Kept beside the document state, not in it (a
   * validation must not rewrite the approval record): Excel a document setting, Sheets one
   * DocumentProperty per sheet, .xlsx a record of the hidden state sheet. Merged into what is kept:
   * each sheet named replaces its hash ('' removes it); others stay.
   */
  readonly computedHashes?: Readonly<Record<string, string>>;
  /** Excel tables, made or resized after `sheets` (their header rows must be there). */
  readonly tables?: readonly TableSpec[];
  /** Charts, written after `sheets` (their data must be there). */
  readonly charts?: readonly ChartSpec[];
  /** Print setup of sheets written in this batch. */
  readonly print?: readonly PrintSetup[];
}

export interface WorkbookPort {
  /** One round trip: everything the request names. */
  read(request: ReadRequest): Promise<Snapshot>;
  /** One round trip: the whole batch, applied in the order of WriteBatch's fields. */
  write(batch: WriteBatch): Promise<void>;
}
