/**
 * import <workbook> <file.csv> --sheet <site> [--map "Account=GL Acct,..."] [--replace]: lines from a
 * CSV (last year's ERP budget) into a site's sheet, then the site is validated so every problem shows.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import {
  cellText,
  detectAccountLayout,
  operations,
  readWorkbook,
  segmentDropdowns,
  SHEETS,
  SITE_FORMATS,
  SITE_HEADER,
  siteSheetWrite,
  type CellValue,
  type Chart,
  type Grid,
  type SheetWrite,
  type Validator,
  type WriteBatch,
} from '../../core';
import { normalizeHeader } from '../../core/tables';
import { openWorkbook, operationOptions } from '../context';
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

  const port = await openWorkbook(file);
  const snap = await port.read({
    sheets: [
      ...new Set([
        SHEETS.setup,
        SHEETS.segments,
        SHEETS.codes,
        SHEETS.rules,
        SHEETS.combinations,
        SHEETS.classes,
        SHEETS.explanations,
        SHEETS.sites,
        opts.sheet,
      ]),
    ],
    state: true,
  });
  const wb = readWorkbook(snap);
  const wanted = opts.sheet.trim().toLowerCase();
  const site = wb.sites.find(
    (s) =>
      s.code.toLowerCase() === wanted || s.sheet.toLowerCase() === wanted || s.name.toLowerCase() === wanted,
  );
  if (!site)
    throw new UsageError(
      `${file}: there is no site "${opts.sheet}" in the Sites table${
        wb.sites.length
          ? ` (sites: ${wb.sites
              .map((s) => `${s.code} ${s.name}`)
              .slice(0, 12)
              .join(', ')}${wb.sites.length > 12 ? ', …' : ''})`
          : '; add it to the Sites sheet first'
      }`,
    );
  const state = wb.state.sites[site.code]?.state ?? 'draft';
  if (state === 'submitted' || state === 'approved')
    throw new UsageError(
      `${file}: ${site.name || site.code} is ${state}; nothing was imported. Return or reopen it first (budgetline return|reopen).`,
    );
  const existing: Grid | undefined = (await port.read({ sheets: [site.sheet] })).sheets[site.sheet];
  const keep = !opts.replace && existing && existing.length > 1;
  // One column per segment: the sheet's own header says so, or (a new sheet) Setup "Account columns".
  const chart = wb.validator?.chart;
  const existingHeader = existing?.[0];
  const perSegment =
    chart !== undefined &&
    wb.validator !== undefined &&
    (existingHeader && existingHeader.some((h) => cellText(h).trim() !== '')
      ? detectAccountLayout(existingHeader, chart).layout?.kind === 'segments'
      : wb.setup?.accountColumns === 'per segment');
  if (perSegment && chart && wb.validator) {
    const segmentNames = chart.segments.map((s) => s.name);
    const header =
      keep && existingHeader
        ? existingHeader
        : (siteSheetWrite(site.sheet, [], segmentNames).values[0] ?? []);
    const rows = mapped.rows.map((r) => toSegmentRow(r, header, chart, wb.validator as Validator));
    const write: SheetWrite = keep
      ? {
          sheet: site.sheet,
          at: `A${existing.length + 1}`,
          values: rows,
          columnFormats: formatsFor(header, chart),
        }
      : siteSheetWrite(site.sheet, rows, segmentNames);
    const batch: WriteBatch = {
      sheets: [write],
      ...(keep
        ? {}
        : { dropdowns: segmentDropdowns(site.sheet, header, chart, snap.sheets[SHEETS.codes] ?? []) }),
    };
    await port.write(batch);
  } else
    await port.write({
      sheets: [
        keep
          ? {
              sheet: site.sheet,
              at: `A${existing.length + 1}`,
              values: mapped.rows,
              columnFormats: SITE_FORMATS,
            }
          : siteSheetWrite(site.sheet, mapped.rows),
      ],
    });
  const { options, done } = operationOptions(global);
  const r = await operations.validateSites(port, { sites: [site.code] }, options);
  done();
  const summary = `Imported ${mapped.rows.length} line${mapped.rows.length === 1 ? '' : 's'} from ${csv} into "${site.sheet}" (${keep ? 'after the lines already there' : 'replacing its lines'}). ${r.summary}`;
  return printResult('import', { ...r, summary }, global, {
    json: {
      file,
      csv,
      sheet: site.sheet,
      imported: mapped.rows.length,
      mapping: mapped.mapping.map((m) => ({ column: m.target, from: m.source })),
    },
  });
}

/**
 * A row in SITE_HEADER order (the CSV's Account a whole string) for a sheet that holds the account one
 * column per segment: the string is split into its segments; a string that cannot be split goes whole
 * into the first segment's cell, where validation reports it, so nothing is lost.
 */
function toSegmentRow(
  row: readonly CellValue[],
  header: readonly CellValue[],
  chart: Chart,
  validator: Validator,
): CellValue[] {
  const layout = detectAccountLayout(header, chart).layout;
  const columns = layout?.kind === 'segments' ? layout.columns : [];
  const account = row[SITE_HEADER.indexOf('Account')];
  const text = cellText(account).trim();
  const parts = text ? validator.split(text) : undefined;
  return header.map((h, c) => {
    const i = columns.indexOf(c);
    if (i >= 0) return parts ? (parts[i] ?? null) : i === 0 && text ? (account ?? null) : null;
    const k = SITE_HEADER.findIndex((x) => normalizeHeader(x) === normalizeHeader(h));
    return k >= 0 ? (row[k] ?? null) : null;
  });
}

/** Number formats for rows appended under `header`: segment codes as text, other columns as SITE_FORMATS. */
function formatsFor(header: readonly CellValue[], chart: Chart): (string | null)[] {
  const layout = detectAccountLayout(header, chart).layout;
  const columns = layout?.kind === 'segments' ? layout.columns : [];
  return header.map((h, c) => {
    if (columns.includes(c)) return '@';
    const k = SITE_HEADER.findIndex((x) => normalizeHeader(x) === normalizeHeader(h));
    return k >= 0 ? (SITE_FORMATS[k] ?? null) : null;
  });
}
