/**
 * Bringing last year's ERP budget in: the lines of a CSV export, mapped column by column onto a site
 * sheet (SITE_HEADER). `--map "Account=GL Acct,Amount=FY25 Budget,Description=Desc"` names, for each
 * site-sheet column, the CSV column it comes from; without --map, CSV columns whose header already
 * matches a site-sheet column (Account, Description, Amount, ...) are taken as they are.
 *
 * Values are carried over, never corrected silently: account strings and other text stay text
 * (leading zeros kept); amounts, quantities and FTE become numbers only when they read as one
 * ("$58,400.00", "(1,200.00)"); anything else is kept as typed, and validation reports it.
 *
 * The file is streamed (read, decoded and parsed a chunk at a time; only the mapped rows are kept), in
 * the encoding its byte-order mark names, else UTF-16 when every other byte is zero, else UTF-8 when
 * every byte sequence is UTF-8, else
 * Windows-1252 (what Excel on Windows writes for "CSV"), or the one --encoding names. A file of more
 * than IMPORT_ROW_LIMIT rows is refused as soon as the reading gets there, before anything is written.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { parseMoney, SITE_HEADER, type CellValue } from '../core';
import { bomEncoding, CSV_ENCODINGS, utf16WithoutBom, type CsvEncoding } from '../core/encoding';
import { normalizeHeader } from '../core/tables';
import { UsageError } from './errors';

type SiteColumn = (typeof SITE_HEADER)[number];

const NUMERIC: ReadonlySet<SiteColumn> = new Set<SiteColumn>(['Quantity', 'FTE']);
const MONEY: ReadonlySet<SiteColumn> = new Set<SiteColumn>(['Unit cost', 'Amount', 'Salary']);
const PERCENT: ReadonlySet<SiteColumn> = new Set<SiteColumn>(['Percent', 'Percent 2']);

export interface ColumnMapping {
  readonly target: SiteColumn;
  readonly source: string;
}

function siteColumn(name: string): SiteColumn | undefined {
  const n = normalizeHeader(name);
  return SITE_HEADER.find((h) => normalizeHeader(h) === n);
}

/** Parses `Account=GL Acct,Amount=FY25 Budget`. Throws UsageError for anything it cannot use. */
export function parseMapping(text: string): ColumnMapping[] {
  const out: ColumnMapping[] = [];
  for (const part of text.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq < 0)
      throw new UsageError(
        `--map: "${part.trim()}" is not Column=CSV header (e.g. --map "Account=GL Acct,Amount=FY25 Budget")`,
      );
    const targetName = part.slice(0, eq).trim();
    const source = part.slice(eq + 1).trim();
    const target = siteColumn(targetName);
    if (!target)
      throw new UsageError(
        `--map: "${targetName}" is not a site-sheet column; the columns are ${SITE_HEADER.join(', ')}`,
      );
    if (!source) throw new UsageError(`--map: no CSV header given for ${target}`);
    if (out.some((m) => m.target === target)) throw new UsageError(`--map: ${target} is mapped twice`);
    out.push({ target, source });
  }
  if (out.length === 0) throw new UsageError('--map is empty');
  return out;
}

function convert(target: SiteColumn, raw: string): CellValue {
  const v = raw.trim();
  if (v === '') return null;
  if (MONEY.has(target)) {
    const m = parseMoney(v, {}, target.toLowerCase());
    return m.ok ? m.value / 100 : raw;
  }
  if (NUMERIC.has(target)) return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : raw;
  if (PERCENT.has(target)) {
    const p = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(v);
    if (p) return Number(p[1]) / 100;
    return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : raw;
  }
  return raw;
}

/**
 * The most rows one import brings into a site sheet. A site's budget is a few hundred to a few
 * thousand lines. The limit keeps an import's memory within 1,500 MB: the workbook, the new rows and
 * their validation are held whole while the .xlsx is written (measured on the 40-school demo workbook
 * with the in-place .xlsx writer: 40,000 rows 435 MB, 100,000 rows 853 MB, 150,000 rows 1,251 MB at
 * peak). A larger file is refused while it is read, before anything is written. Documented in the README ("Importing a CSV").
 */
export const IMPORT_ROW_LIMIT = 150_000;

export { CSV_ENCODINGS, bomEncoding, utf16WithoutBom, type CsvEncoding };

const LABEL: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
};

/** Which encoding was used, and why. */
export interface CsvEncodingUsed {
  readonly encoding: CsvEncoding;
  /** The file starts with a byte-order mark. */
  readonly bom: boolean;
  /** How it was chosen: the byte-order mark, the --encoding option, or the bytes themselves. */
  readonly from: 'byte-order mark' | 'option' | 'content';
}

/** "UTF-8 (with a byte-order mark)", "Windows-1252 (detected: the file is not valid UTF-8)". */
export function describeEncoding(e: CsvEncodingUsed): string {
  const why =
    e.from === 'byte-order mark'
      ? 'from its byte-order mark'
      : e.from === 'option'
        ? 'as --encoding says'
        : e.encoding === 'utf-8'
          ? 'detected'
          : e.encoding === 'windows-1252'
            ? 'detected: the file is not valid UTF-8'
            : 'detected: no byte-order mark, a zero in every other byte';
  return `${LABEL[e.encoding]}${e.bom && e.from !== 'byte-order mark' ? ' with a byte-order mark' : ''} (${why})`;
}

function cannotRead(file: string, e: unknown): UsageError {
  const code = (e as NodeJS.ErrnoException).code;
  return new UsageError(
    `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`,
  );
}

/** Resolves when `stream` takes more input again, or is gone. */
function drained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** Whether the whole file is valid UTF-8, read a chunk at a time. */
async function isUtf8File(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') return false;
    throw cannotRead(file, e);
  }
}

/** Chooses the encoding: the byte-order mark, else --encoding, else UTF-8 if valid, else Windows-1252. */
export async function chooseEncoding(file: string, option?: CsvEncoding): Promise<CsvEncodingUsed> {
  let head = new Uint8Array(4096);
  try {
    const fh = await open(file, 'r');
    try {
      head = head.subarray(0, (await fh.read(head, 0, head.length, 0)).bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw cannotRead(file, e);
  }
  const bom = bomEncoding(head);
  if (option !== undefined) {
    if (bom && bom !== option)
      throw new UsageError(
        `${file} starts with a ${LABEL[bom]} byte-order mark, but --encoding says ${option}; leave --encoding out to read it as ${LABEL[bom]}`,
      );
    return { encoding: option, bom: bom !== undefined, from: 'option' };
  }
  if (bom) return { encoding: bom, bom: true, from: 'byte-order mark' };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bom: false, from: 'content' };
  return { encoding: (await isUtf8File(file)) ? 'utf-8' : 'windows-1252', bom: false, from: 'content' };
}

export interface CsvFileOptions {
  readonly delimiter?: string;
  readonly encoding?: CsvEncoding;
  readonly mapping?: readonly ColumnMapping[];
  /** Refuse a file with more rows than this (IMPORT_ROW_LIMIT by default). */
  readonly maxRows?: number;
}

/**
 * Streams a CSV file's records (header row first) to `onRecord`: decode, parse, hand on each record as
 * it comes. `onRecord` returns false to stop (it has thrown a UsageError or found enough). Throws
 * UsageError naming the file for anything it cannot read (missing, not CSV, not in the encoding).
 */
async function streamCsv(
  file: string,
  options: CsvFileOptions,
  onRecord: (record: string[], index: number) => void,
): Promise<CsvEncodingUsed> {
  const used = await chooseEncoding(file, options.encoding);
  const decoder = new TextDecoder(used.encoding, { fatal: true });
  const source = createReadStream(file);
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: false,
    delimiter: options.delimiter ?? ',',
  });
  let failure: UsageError | undefined;
  const stop = (e: UsageError): void => {
    failure ??= e;
    source.destroy();
    parser.destroy();
  };
  source.on('error', (e) => stop(cannotRead(file, e)));
  // Decode here (csv-parse knows no Windows-1252 or UTF-16BE) and hand the parser text.
  const feed = (async () => {
    let offset = 0;
    try {
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        let text: string;
        try {
          text = decoder.decode(bytes, { stream: true });
        } catch {
          throw new UsageError(
            `${file} is not valid ${LABEL[used.encoding]} (in the bytes from offset ${offset}); name its encoding with --encoding (${CSV_ENCODINGS.join(', ')})`,
          );
        }
        offset += bytes.length;
        if (parser.destroyed) break;
        if (!parser.write(text)) await drained(parser);
      }
      if (parser.destroyed) return;
      const rest = decoder.decode();
      if (rest) parser.write(rest);
      parser.end();
    } catch (e) {
      stop(e instanceof UsageError ? e : cannotRead(file, e));
    }
  })();
  let index = 0;
  try {
    for await (const record of parser) onRecord(record as string[], index++);
  } catch (e) {
    // onRecord's UsageError (a header the mapping cannot use, too many rows), or csv-parse's own error.
    stop(
      e instanceof UsageError ? e : new UsageError(`${file} cannot be read as CSV: ${(e as Error).message}`),
    );
  }
  await feed;
  if (failure) throw failure;
  if (index === 0) throw new UsageError(`${file} is empty: no header row`);
  return used;
}

/**
 * Reads a CSV file as site-sheet rows, streaming: decode, parse, map each record as it comes. Throws
 * UsageError naming the file for anything it cannot use (missing, not CSV, not in the encoding, a
 * mapped header missing, too many rows).
 */
export async function readCsvFile(
  file: string,
  options: CsvFileOptions = {},
): Promise<MappedCsv & { readonly encoding: CsvEncodingUsed }> {
  const limit = options.maxRows ?? IMPORT_ROW_LIMIT;
  let map: ((record: readonly string[]) => CellValue[] | undefined) | undefined;
  let mappingUsed: readonly ColumnMapping[] = [];
  const rows: CellValue[][] = [];
  let blankRows = 0;
  const used = await streamCsv(file, options, (record) => {
    if (map === undefined) {
      const m = csvMapper(record, file, options.mapping);
      map = m.map;
      mappingUsed = m.mapping;
      return;
    }
    const row = map(record);
    if (row === undefined) blankRows++;
    else if (rows.push(row) > limit)
      throw new UsageError(
        `${file} has more than ${limit.toLocaleString('en-US')} rows; Budgetline imports at most ${limit.toLocaleString('en-US')} lines into one site sheet at a time. Nothing was imported: split the file (e.g. by site) and import each part.`,
      );
  });
  if (map === undefined) throw new UsageError(`${file} is empty: no header row`);
  return { rows, mapping: mappingUsed, blankRows, encoding: used };
}

/**
 * The most rows one import by site reads: a district's whole extract (1,000 sites of a few hundred
 * lines each). Larger files are refused while they are read, before anything is written.
 */
export const BY_SITE_ROW_LIMIT = 400_000;

/**
 * Reads a CSV file's header and records as text, unconverted (the core checks and converts them:
 * importBySite, actuals), streaming. Blank records are kept so that record i is row i + 2 of the file.
 */
export async function readCsvRecords(
  file: string,
  options: Omit<CsvFileOptions, 'mapping'> = {},
): Promise<{ header: string[]; records: string[][]; encoding: CsvEncodingUsed }> {
  const limit = options.maxRows ?? BY_SITE_ROW_LIMIT;
  let header: string[] | undefined;
  const records: string[][] = [];
  const used = await streamCsv(file, options, (record) => {
    if (header === undefined) {
      header = record;
      return;
    }
    if (records.push(record) > limit)
      throw new UsageError(
        `${file} has more than ${limit.toLocaleString('en-US')} rows; Budgetline reads at most ${limit.toLocaleString('en-US')} in one extract. Nothing was imported: split the file and import each part.`,
      );
  });
  if (header === undefined || header.every((h) => h.trim() === ''))
    throw new UsageError(`${file} is empty: no header row`);
  return { header, records, encoding: used };
}

export interface MappedCsv {
  /** Rows in SITE_HEADER order. */
  readonly rows: CellValue[][];
  readonly mapping: readonly ColumnMapping[];
  /** Blank CSV rows left out. */
  readonly blankRows: number;
}

/**
 * The mapping of a CSV's header row onto site-sheet columns, and a function that maps each further
 * record (undefined for a blank one). Throws UsageError (naming the file) when a mapped header is
 * missing, or when no Account column can be found.
 */
export function csvMapper(
  headerRow: readonly string[],
  file: string,
  mapping?: readonly ColumnMapping[],
): { mapping: readonly ColumnMapping[]; map: (record: readonly string[]) => CellValue[] | undefined } {
  const header = headerRow.map((h) => h.trim());
  if (header.length === 0 || header.every((h) => h === ''))
    throw new UsageError(`${file} is empty: no header row`);
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const n = normalizeHeader(h);
    if (!byName.has(n)) byName.set(n, i);
  });
  const used: ColumnMapping[] = mapping
    ? [...mapping]
    : header.flatMap((h) => {
        const t = siteColumn(h);
        return t ? [{ target: t, source: h }] : [];
      });
  const columns = used.map((m) => {
    const i = byName.get(normalizeHeader(m.source));
    if (i === undefined)
      throw new UsageError(
        `${file} has no column "${m.source}" (for ${m.target}); its columns are: ${header.join(', ')}`,
      );
    return { target: SITE_HEADER.indexOf(m.target), convert: m.target, index: i };
  });
  if (!used.some((c) => c.target === 'Account'))
    throw new UsageError(
      `${file}: no Account column; name the CSV column holding account strings, e.g. --map "Account=GL Acct,Amount=FY25 Budget,Description=Desc" (its columns are: ${header.join(', ')})`,
    );
  const typed = used.some((c) => c.target === 'Type');
  const staffing = used.some((c) =>
    ['FTE', 'Job type', 'Employee', 'Position ID', 'Salary'].includes(c.target),
  );
  const typeColumn = SITE_HEADER.indexOf('Type');
  return {
    mapping: used,
    map: (record) => {
      if (record.every((v) => v.trim() === '')) return undefined;
      const out: CellValue[] = SITE_HEADER.map(() => null);
      for (const c of columns) out[c.target] = convert(c.convert, record[c.index] ?? '');
      // Without a Type or any staffing column, every imported row is a line.
      if (!typed && !staffing) out[typeColumn] = 'Line';
      return out;
    },
  };
}

/** Maps a parsed CSV held in memory (first row = headers) onto site-sheet rows; see csvMapper. */
export function mapCsv(
  grid: readonly (readonly string[])[],
  file: string,
  mapping?: readonly ColumnMapping[],
): MappedCsv {
  const { mapping: used, map } = csvMapper(grid[0] ?? [], file, mapping);
  const rows: CellValue[][] = [];
  let blankRows = 0;
  for (const record of grid.slice(1)) {
    const row = map(record);
    if (row === undefined) blankRows++;
    else rows.push(row);
  }
  return { rows, mapping: used, blankRows };
}
