/**
 * import <workbook> <file.csv> --sheet <site> [--map "Account=GL Acct,..."] [--replace]: lines from a
 * CSV (last year's ERP budget) into a site's sheet, then the site is validated so every problem shows.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { operations, runOperation } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { mapCsv, parseMapping } from '../import-csv';
import { printResult, type GlobalOptions } from '../output';

export async function importCommand(
  file: string,
  csv: string,
  opts: { sheet: string; map?: string; replace?: boolean; delimiter?: string },
  global: GlobalOptions,
): Promise<number> {
  const mapping = opts.map !== undefined ? parseMapping(opts.map) : undefined;
  let text: string;
  try {
    text = await readFile(csv, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read ${csv}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: false,
      delimiter: opts.delimiter ?? ',',
    }) as string[][];
  } catch (e) {
    throw new UsageError(`${csv} cannot be read as CSV: ${(e as Error).message}`);
  }
  const mapped = mapCsv(records, csv, mapping);

  const { options, done } = operationOptions(global);
  // The core finds the site, refuses a locked one, splits accounts and validates: one read, one write.
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.importLines,
      { site: opts.sheet, rows: mapped.rows, source: csv, ...(opts.replace ? { replace: true } : {}) },
      options,
    ),
  );
  done();
  return printResult('import', r, global, {
    json: {
      file,
      csv,
      ...(r.sheet !== undefined ? { sheet: r.sheet } : {}),
      imported: r.imported ?? 0,
      mapping: mapped.mapping.map((m) => ({ column: m.target, from: m.source })),
    },
  });
}
