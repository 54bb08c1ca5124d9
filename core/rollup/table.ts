import type { CellValue } from '../cells';

/** A table any host can write: header row, values, and a number format per column. */
export interface ReportTable {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly CellValue[])[];
  /** One per column, from NUMBER_FORMAT. */
  readonly formats: readonly string[];
}

/** Number formats of report columns: text, money, FTE, counts. */
export const NUMBER_FORMAT = { text: '@', money: '#,##0.00', fte: '0.000', count: '#,##0' } as const;
