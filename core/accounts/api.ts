/**
 * The contract of a compiled chart: what the rest of the core uses to read and check account
 * strings. `compileChart(chart, fiscalYear)` (validate.ts) returns a Validator.
 */
import type { CellValue, Where } from '../cells';
import type { Diagnostic } from '../diagnostics';
import type { Chart, CodeEntry, FiscalYear } from './types';

export interface AccountCheck {
  /** The text as read from the cell (numbers and dates rendered as the cell shows them). */
  readonly raw: string;
  /** The canonical account string (delimiters, leading zeros), when it could be split into segments. */
  readonly normalized?: string;
  /** Segment codes in chart order, when it could be split into segments. */
  readonly segments?: readonly string[];
  /** Every finding, all at once. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when no finding is fatal. */
  readonly ok: boolean;
}

export interface Validator {
  readonly chart: Chart;
  readonly fiscalYear: FiscalYear;
  /** Segment keys in chart order. */
  readonly keys: readonly string[];
  /** Index of a segment key in `keys`, or -1. */
  indexOf(key: string): number;
  /** Checks one account-string cell. Never throws. */
  check(value: CellValue, where?: Where): AccountCheck;
  /**
   * Checks an account held one segment per column. `values` in chart order; `where[i]` is the
   * cell of segment i. Never throws.
   */
  checkSegments(values: readonly CellValue[], where?: readonly Where[], sheet?: string): AccountCheck;
  /** Segment codes (chart order) → canonical account string. */
  format(segments: readonly string[]): string;
  /** Splits a canonical account string into segment codes without checking codes; undefined if malformed. */
  split(account: string): string[] | undefined;
  /** The code-list entry a segment code matches in this fiscal year, if any. */
  lookup(key: string, code: string): CodeEntry | undefined;
  /** The closest valid codes of a segment for a wrong one, best first. */
  suggest(key: string, code: string, max?: number): string[];
}
