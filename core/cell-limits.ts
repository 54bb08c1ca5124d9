/**
 * What a spreadsheet cell can hold, checked on the cell itself.
 *
 *  - Excel and Google Sheets keep at most 32,767 characters in a cell (Excel's specification limit):
 *    a longer text read from a file (an .xlsx written by another program, a CSV) is a finding on its
 *    cell (BL013) and is never copied on; text Budgetline writes (notes, marks) is cut to fit.
 *  - A formula cell in a file that was not recalculated holds the result saved last time: the host
 *    says which cells hold formulas (Snapshot.formulas) when it cannot recalculate, and each one the
 *    operation reads gets a warning (BL014).
 */
import { a1, cellText, parseA1, type Grid } from './cells';
import { diag, type Diagnostic } from './diagnostics';

/** The most characters a cell holds (Excel and Google Sheets). */
export const CELL_TEXT_LIMIT = 32_767;

const CUT_MARK = ' …';

/** Text Budgetline writes into a cell or note, cut to fit (ending " …" when cut). */
export function fitCellText(text: string): string {
  if (text.length <= CELL_TEXT_LIMIT) return text;
  let end = CELL_TEXT_LIMIT - CUT_MARK.length;
  // Never cut a surrogate pair in half.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end) + CUT_MARK;
}

/** BL013 for every text cell of `grid` over the limit (rows and columns 0-based → A1). */
export function checkCellText(grid: Grid, sheet: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  grid.forEach((row, r) =>
    row.forEach((v, c) => {
      if (typeof v === 'string' && v.length > CELL_TEXT_LIMIT)
        out.push(diag('BL013', { length: v.length }, { sheet, cell: a1(r, c) }));
    }),
  );
  return out;
}

/**
 * BL014 (warning) for each formula cell of `grid` whose cached result may be stale: `formulaCells`
 * are the A1 addresses the host reported; cells outside the grid or blank are skipped.
 */
export function checkFormulaCells(grid: Grid, sheet: string, formulaCells: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ref of formulaCells) {
    const at = parseA1(ref);
    if (!at) continue;
    const v = grid[at.row]?.[at.column];
    if (v === null || v === undefined) continue;
    out.push(diag('BL014', { shown: cellText(v) }, { sheet, cell: a1(at.row, at.column) }));
  }
  return out;
}
