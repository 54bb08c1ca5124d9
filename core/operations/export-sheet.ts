/**
 * Where an export goes when the host cannot hand the user a file (Excel on the Mac and iPad, a
 * Google Sheets sidebar, a pane whose downloads are blocked): a sheet Budgetline owns, replaced at
 * each export, holding the file as a table — each record's fields in columns (CSV) or each line in
 * column A (fixed width), all as text, so a user's "Save a copy as CSV / text" gives the same file.
 */
import type { SheetWrite } from '../port/types';

export const EXPORT_SHEET = 'Budgetline Export';

/** The write that puts an export's rows (ExportResult.rows) on the Export sheet, replacing it. */
export function exportSheetWrite(rows: readonly (readonly string[])[]): SheetWrite {
  const width = Math.max(1, ...rows.map((r) => r.length));
  return {
    sheet: EXPORT_SHEET,
    values: rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')),
    columnFormats: Array.from({ length: width }, () => '@'),
    replace: true,
  };
}

/**
 * What the add-ins' "What to export" choice asks of the export operation: the budget (before
 * adoption the approved one, after it the final one), or only the applied amendments as signed
 * changes, for an accounting system that already loaded the adopted budget (export --amendments).
 */
export function exportWhat(choice: string | undefined): { readonly amendments?: 'all' } {
  return choice === 'amendments' ? { amendments: 'all' } : {};
}
