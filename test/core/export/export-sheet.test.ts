/**
 * The export as a table (ExportResult.rows) and the Export sheet made from it: writing the rows back
 * as the format writes records gives the file byte for byte, for every built-in format, so a sheet
 * saved as CSV (or text, fixed width) is the same file as the download.
 */
import { BUILT_IN_FORMATS, csvField, exportLines } from '../../../core/export';
import { EXPORT_SHEET, exportSheetWrite } from '../../../core/operations';
import { sacsValidator, texasValidator } from '../../fixtures/charts';
import { SACS_LINES, TX_LINES } from './lines';

const TX = { validator: texasValidator(), fiscalYear: 2027, params: { districtId: '101912' } };
const SACS = { validator: sacsValidator(), fiscalYear: 2022 };

describe('the export as rows', () => {
  it.each(BUILT_IN_FORMATS.map((f) => [f.id, f] as const))('%s: the rows are the file', (_id, format) => {
    const sacs = format.id === 'ca-sacs-gl';
    const r = exportLines(format, sacs ? SACS_LINES : TX_LINES, sacs ? SACS : TX);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const delimiter = format.delimiter ?? ',';
    const rebuilt = r.rows
      .map((row) =>
        format.kind === 'csv' ? row.map((f) => csvField(f, delimiter)).join(delimiter) : row.join(''),
      )
      .map((line) => `${line}${format.lineEnd ?? '\r\n'}`)
      .join('');
    expect(rebuilt).toBe(r.content);
    if (format.kind === 'fixed') expect(r.rows.every((row) => row.length === 1)).toBe(true);
    else
      expect(r.rows[0]).toEqual(
        format.header === false ? expect.anything() : format.columns.map((c) => c.header),
      );
  });

  it('puts them on the Budgetline Export sheet as text, replacing what was there, rows made even', () => {
    const w = exportSheetWrite([['Fund', 'Amount'], ['001', '12.50'], ['only one']]);
    expect(w).toEqual({
      sheet: EXPORT_SHEET,
      values: [
        ['Fund', 'Amount'],
        ['001', '12.50'],
        ['only one', ''],
      ],
      columnFormats: ['@', '@'],
      replace: true,
    });
    expect(EXPORT_SHEET).toBe('Budgetline Export');
  });
});
