/**
 * The chart of accounts as data.
 *
 * A chart is ordered segments, a delimiter (or none: California's 19-character string), the valid
 * codes of each segment (exact codes, ranges such as 6100-6699, masks such as 5XXX) with their
 * fiscal-year validity, and cross-segment rules. Charts come from JSON (the presets) or from the
 * Segments / Codes / Rules tables of a district's workbook.
 */
import type { Severity } from '../diagnostics';

/** Fiscal years are written as their ending year: FY2027 = July 2026 – June 2027. */
export type FiscalYear = number;

export type CharSet = 'digits' | 'letters' | 'alnum';

export interface SegmentDef {
  /** Stable key used in rules and code tables: lower case, e.g. "object", "programIntent". */
  readonly key: string;
  /** Display name, e.g. "Object". */
  readonly name: string;
  readonly length: number;
  readonly chars: CharSet;
  /** Other header names this segment goes by ("Obj", "Object Code"). */
  readonly synonyms?: readonly string[];
  /**
   * "fiscalYear": the segment holds the last digit(s) of the fiscal year (Texas); it is checked
   * against the budget's year rather than a code list.
   */
  readonly role?: 'fiscalYear';
  readonly description?: string;
}

/** One row of a segment's code list. `code` is exact unless `kind` says range or mask. */
export interface CodeEntry {
  readonly code: string;
  readonly description: string;
  /** exact code (default), an inclusive range "6100-6699" (low/high), or a mask "5XXX" (X = any digit, ? = any character). */
  readonly kind?: 'code' | 'range' | 'mask';
  readonly active?: boolean;
  readonly fromFY?: FiscalYear;
  readonly toFY?: FiscalYear;
}

/** A condition over an account's segments. Text form: `object in 6100-6699 and function != 00`. */
export type Condition =
  | { readonly seg: string; readonly op: 'eq' | 'ne'; readonly value: string }
  | { readonly seg: string; readonly op: 'in' | 'notIn'; readonly values: readonly string[] }
  | { readonly and: readonly Condition[] }
  | { readonly or: readonly Condition[] }
  | { readonly not: Condition };

/**
 * A rule's severity as the district set it: a rule can be lowered from fatal to warning, or switched
 * off (kept in the table, not checked).
 */
export type RuleSeverity = Severity | 'off';

/** When `when` holds, `then` must hold; otherwise the rule is broken. */
export interface Rule {
  readonly id: string;
  readonly severity: RuleSeverity;
  readonly when?: Condition;
  readonly then: Condition;
  readonly message: string;
  readonly fromFY?: FiscalYear;
  readonly toFY?: FiscalYear;
}

/**
 * A pairwise valid-combination grid (California's Function×Object style): for an account whose
 * segment `a` matches some row's `a` pattern, its segment `b` must match the `b` pattern of one of
 * those rows. Patterns are codes, ranges or masks, as in the code lists.
 */
export interface CombinationTable {
  readonly id: string;
  readonly severity: RuleSeverity;
  readonly a: string;
  readonly b: string;
  readonly allowed: readonly (readonly [string, string])[];
  readonly message: string;
}

/**
 * What an account is, for the fund summary: the fund-balance identity per fund is
 * beginning balance + adjustments + revenues + other sources + contributions − expenditures − other
 * uses = ending balance. Balance-sheet accounts (assets, liabilities, fund-balance components) are
 * outside the operating statement.
 */
export type AccountClass =
  | 'revenue'
  | 'expenditure'
  | 'otherSource'
  | 'otherUse'
  | 'contribution'
  | 'beginningBalance'
  | 'balanceAdjustment'
  | 'endingBalance'
  | 'balanceSheet';

/**
 * One row of the chart's Classes table: codes of one segment (or of the revenue-source list) that are
 * of one class. Rows are tried in order; the first match wins.
 */
export interface ClassRow {
  readonly class: AccountClass;
  /** A segment key, or "revenueSource" for the chart's revenue-source list (NCES). */
  readonly segment: string;
  /** Codes, ranges and masks ("8010-8799", "57XX"). */
  readonly codes: readonly string[];
  readonly description?: string;
}

/**
 * An exception the district keeps, with its reason (CDE's technical-review explanation): a finding
 * of rule `ruleId` on `target` is reported as an explained warning instead.
 */
export interface Explanation {
  readonly ruleId: string;
  /** An account string, a cell ("Lincoln Elementary!B12"), or "*" for every account. */
  readonly target: string;
  readonly explanation: string;
}

export interface Chart {
  readonly id: string;
  readonly name: string;
  /** "-" for Texas and NCES; null for California's undelimited string. */
  readonly delimiter: string | null;
  readonly segments: readonly SegmentDef[];
  /** Code lists by segment key. A segment with no list (e.g. site) accepts any well-formed code. */
  readonly codes: Readonly<Record<string, readonly CodeEntry[]>>;
  readonly rules: readonly Rule[];
  readonly combinations: readonly CombinationTable[];
  /** Default fiscal year for this chart's examples and validation. */
  readonly defaultFiscalYear?: FiscalYear;
  /**
   * Segments whose codes form a hierarchy by trailing zeros (2110 → 2100 → 2000), for rollups.
   */
  readonly hierarchical?: readonly string[];
  readonly source?: string;
  /** Which codes are revenue, expenditure, ... (the Classes table). */
  readonly classes?: readonly ClassRow[];
  /**
   * Revenue-source codes kept as their own list, not a segment (NCES: 1100 taxes, 3100 state
   * unrestricted grants-in-aid, ...): the Revenues sheet's sources. Charts whose revenues are
   * object codes (Texas, California) have none.
   */
  readonly revenueSources?: readonly CodeEntry[];
  /** Findings the district keeps, with their reasons. */
  readonly explanations?: readonly Explanation[];
}
