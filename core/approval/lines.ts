/**
 * The minimal budget line approval, rollup and export consume (approval hashes, consolidation,
 * exports).
 *
 * Reading a site sheet (core/workbook/read.ts) maps the richer lines and positions of core/budget
 * onto this shape; keeping it
 * small keeps approval, rollup and export independent of how lines are read from a sheet.
 */
import type { Cents } from '../money';

/** FTE in integer thousandths: 1.0 FTE = 1000, 0.5 FTE = 500, 0.125 FTE = 125. */
export type FteThousandths = number;

export interface LedgerLine {
  /** Site (budget unit) code, e.g. "001" or "LINCOLN". */
  readonly site: string;
  /** The canonical account string (as `Validator.check(...).normalized` gives it). */
  readonly account: string;
  /** Integer cents; negative for credits / reductions. */
  readonly cents: Cents;
  /** Integer thousandths of an FTE (see FteThousandths); absent means 0. */
  readonly fte?: FteThousandths;
  readonly description: string;
  /** Job type of a position line ("Teacher", "Counselor"), for FTE by job type. */
  readonly jobType?: string;
  /** Where the line was read from, for findings. */
  readonly sheet?: string;
  readonly cell?: string;
}
