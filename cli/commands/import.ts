/**
 * import <workbook> <file.csv> --sheet <site> [--map "Account=GL Acct,..."] [--replace]: lines from a
 * CSV (last year's ERP budget) into a site's sheet, then the site is validated so every problem shows.
 */
import { operations, runOperation } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { describeEncoding, parseMapping, readCsvFile, type CsvEncoding } from '../import-csv';
import { printResult, type GlobalOptions } from '../output';

export async function importCommand(
  file: string,
  csv: string,
  opts: { sheet: string; map?: string; replace?: boolean; delimiter?: string; encoding?: string },
  global: GlobalOptions,
): Promise<number> {
  const mapping = opts.map !== undefined ? parseMapping(opts.map) : undefined;
  const mapped = await readCsvFile(csv, {
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
    ...(opts.encoding !== undefined ? { encoding: opts.encoding as CsvEncoding } : {}),
    ...(mapping ? { mapping } : {}),
  });

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
    lines: [`Read ${csv} as ${describeEncoding(mapped.encoding)}.`],
    json: {
      encoding: mapped.encoding,
      file,
      csv,
      ...(r.sheet !== undefined ? { sheet: r.sheet } : {}),
      imported: r.imported ?? 0,
      mapping: mapped.mapping.map((m) => ({ column: m.target, from: m.source })),
    },
  });
}
