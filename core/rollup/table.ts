import type { CellValue } from '../cells';
import { FORMATS } from '../workbook/schema';

/** A table any host can write: header row, values, and a number format per column. */
export interface ReportTable {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
  /** One per column, from NUMBER_FORMAT. */
  readonly formats: readonly string[];
}

/** Number formats of report columns: text, money, FTE, counts (the workbook's, core/workbook/schema.ts). */
export const NUMBER_FORMAT = FORMATS;
