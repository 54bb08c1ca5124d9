/**
 * A file the user picked (<input type=file>), read in the browser into the header and records that
 * importBySite takes — the same shape the CLI's `import --by-site` reads from disk. CSV is decoded by
 * the core's encoding rule (core/encoding.ts: byte-order mark, UTF-16, UTF-8, else Windows-1252) and
 * parsed with csv-parse; values stay text, so the core checks and converts them exactly as for the CLI.
 * An .xlsx is read by the host's `readXlsx` (the pane has one; the sidebar takes CSV only).
 */
import { parse } from 'csv-parse/browser/esm/sync';
import type { CellValue } from '../core/cells';
import { extractEncoding } from '../core/encoding';

export interface PickedExtract {
  readonly source: string;
  readonly header: CellValue[];
  readonly records: CellValue[][];
  /** How the text was decoded ("utf-8 (byte-order mark)"); absent for .xlsx. */
  readonly encoding?: string;
}

/** Thrown for a file that cannot be read at all (not CSV, empty, too large): nothing was sent or written. */
export class ExtractError extends Error {}

export type XlsxReader = (bytes: ArrayBuffer) => Promise<CellValue[][]>;

function decode(bytes: Uint8Array): { text: string; encoding: string } {
  const chosen = extractEncoding(bytes.subarray(0, 4096), () => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      return true;
    } catch {
      return false;
    }
  });
  // TextDecoder drops the byte-order mark itself.
  return {
    text: new TextDecoder(chosen.encoding).decode(bytes),
    encoding: `${chosen.encoding} (${chosen.from})`,
  };
}

/** Reads the picked file; `maxRecords` refuses a larger one before anything is sent or written. */
export async function readPickedFile(
  file: File,
  options: { readonly maxRecords: number; readonly readXlsx?: XlsxReader },
): Promise<PickedExtract> {
  const bytes = await file.arrayBuffer();
  let grid: CellValue[][];
  let encoding: string | undefined;
  if (/\.xlsx$/i.test(file.name)) {
    if (!options.readXlsx)
      throw new ExtractError(
        `${file.name}: this host reads CSV files only. Save the extract as CSV (UTF-8) and pick it again.`,
      );
    grid = await options.readXlsx(bytes);
  } else {
    const decoded = decode(new Uint8Array(bytes));
    encoding = decoded.encoding;
    try {
      grid = parse(decoded.text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
    } catch (e) {
      throw new ExtractError(`${file.name} cannot be read as CSV: ${(e as Error).message}`);
    }
  }
  const [header, ...records] = grid;
  if (!header || header.every((h) => h === null || String(h).trim() === ''))
    throw new ExtractError(`${file.name} is empty: it has no header row.`);
  if (records.length > options.maxRecords)
    throw new ExtractError(
      `${file.name} has ${records.length.toLocaleString('en-US')} lines; here at most ${options.maxRecords.toLocaleString('en-US')} are imported at once. Nothing was imported: use the command line (budgetline import <workbook> <extract> --by-site), or split the file.`,
    );
  return { source: file.name, header, records, ...(encoding ? { encoding } : {}) };
}
