/**
 * import <workbook> <file.csv> --sheet <site> [--map "Account=GL Acct,..."] [--encoding …] [--replace]:
 * lines from a CSV (last year's ERP budget) into a site's sheet, then the site is validated so every
 * problem shows. The CSV is read (decoded, parsed, mapped) by ../import-csv before the workbook opens.
 *
 * import <workbook> <extract.csv> --by-site [--site-column Org]: one extract holding every site's lines
 * into each site's sheet, all or nothing (core importBySite): one file read, one workbook write.
 */
import { basename } from 'node:path';
import { operations, runOperation, type CellValue } from '../../core';
import { XlsxPort } from '../xlsx-port';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { describeEncoding, parseMapping, readCsvFile, readCsvRecords, type CsvEncoding } from '../import-csv';
import { printResult, type GlobalOptions } from '../output';

export async function importCommand(
  file: string,
  csv: string,
  opts: ImportOptions,
  global: GlobalOptions,
): Promise<number> {
  if (opts.bySite) {
    if (opts.sheet !== undefined)
      throw new UsageError('import: give either --sheet <site> or --by-site, not both');
    return importBySiteCommand(file, csv, opts, global);
  }
  if (opts.sheet === undefined)
    throw new UsageError(
      'import: name the site with --sheet <site>, or use --by-site for an extract holding every site',
    );
  if (opts.siteColumn !== undefined) throw new UsageError('import: --site-column goes with --by-site');
  const mapping = opts.map !== undefined ? parseMapping(opts.map) : undefined;
  const mapped = await readCsvFile(csv, {
    ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
    ...(opts.encoding !== undefined ? { encoding: opts.encoding as CsvEncoding } : {}),
    ...(mapping ? { mapping } : {}),
  });

  const { options, done } = operationOptions(global);
  // The core finds the site, refuses a locked one, splits accounts and validates: one read, one write.
  const site = opts.sheet;
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.importLines,
      { site, rows: mapped.rows, source: csv, ...(opts.replace ? { replace: true } : {}) },
      options,
    ),
  );
  done();
  return printResult('import', r, global, {
    lines: [`Read ${csv} as ${describeEncoding(mapped.encoding)}.`],
    json: {
      file,
      csv,
      encoding: mapped.encoding,
      ...(r.sheet !== undefined ? { sheet: r.sheet } : {}),
      imported: r.imported ?? 0,
      mapping: mapped.mapping.map((m) => ({ column: m.target, from: m.source })),
    },
  });
}

export interface ImportOptions {
  sheet?: string;
  bySite?: boolean;
  siteColumn?: string;
  map?: string;
  replace?: boolean;
  delimiter?: string;
  encoding?: string;
}

async function importBySiteCommand(
  file: string,
  csv: string,
  opts: ImportOptions,
  global: GlobalOptions,
): Promise<number> {
  const mapping = opts.map !== undefined ? parseMapping(opts.map) : undefined;
  const extract = /\.xlsx$/i.test(csv)
    ? await readXlsxExtract(csv)
    : await readCsvRecords(csv, {
        ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
        ...(opts.encoding !== undefined ? { encoding: opts.encoding as CsvEncoding } : {}),
      });
  const { options, done } = operationOptions(global);
  // The core finds each line's site, checks the whole file and writes every site at once, or nothing.
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.importBySite,
      {
        header: extract.header,
        records: extract.records,
        source: basename(csv),
        ...(opts.siteColumn !== undefined ? { siteColumn: opts.siteColumn } : {}),
        ...(mapping ? { mapping } : {}),
        ...(opts.replace ? { replace: true } : {}),
      },
      options,
    ),
  );
  done();
  return printResult('import', r, global, {
    lines: [
      `Read ${csv}${extract.encoding ? ` as ${describeEncoding(extract.encoding)}` : ''}: ${r.lines} line${r.lines === 1 ? '' : 's'}.`,
      ...r.sites.map(
        (s) =>
          `  ${s.code} ${s.sheet}: ${s.imported} line${s.imported === 1 ? '' : 's'} ${s.appended ? 'added after the lines there' : 'replacing its lines'}`,
      ),
    ],
    json: {
      ...(extract.encoding ? { encoding: extract.encoding } : {}),
      file,
      csv,
      lines: r.lines,
      sites: r.sites,
    },
  });
}

/** An .xlsx extract: its first sheet, header row first; numbers stay numbers. Read only. */
async function readXlsxExtract(
  file: string,
): Promise<{ header: CellValue[]; records: CellValue[][]; encoding?: undefined }> {
  const port = await XlsxPort.open(file, { readOnly: true });
  const first = port.sheetNames()[0];
  const snap = await port.read({ sheets: first !== undefined ? [first] : [] });
  const grid = first !== undefined ? (snap.sheets[first] ?? []) : [];
  const [header, ...records] = grid.map((r) => [...r]);
  if (!header || header.every((h) => h === null || String(h).trim() === ''))
    throw new UsageError(`${file} is empty: its first sheet has no header row`);
  return { header, records };
}
