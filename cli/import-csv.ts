/**
 * Bringing last year's ERP budget in: the lines of a CSV export, mapped column by column onto a site
 * sheet (SITE_HEADER). `--map "Account=GL Acct,Amount=FY25 Budget,Description=Desc"` names, for each
 * site-sheet column, the CSV column it comes from; without --map, CSV columns whose header already
 * matches a site-sheet column (Account, Description, Amount, ...) are taken as they are.
 *
 * Values are carried over, never corrected silently: account strings and other text stay text
 * (leading zeros kept); amounts, quantities and FTE become numbers only when they read as one
 * ("$58,400.00", "(1,200.00)"); anything else is kept as typed, and validation reports it.
 */
import { parseMoney, SITE_HEADER, type CellValue } from '../core';
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

export interface MappedCsv {
  /** Rows in SITE_HEADER order. */
  readonly rows: CellValue[][];
  readonly mapping: readonly ColumnMapping[];
  /** Blank CSV rows left out. */
  readonly blankRows: number;
}

/**
 * Maps a parsed CSV (first row = headers) onto site-sheet rows. Throws UsageError (naming the file)
 * when a mapped header is missing, or when no Account column can be found.
 */
export function mapCsv(
  grid: readonly (readonly string[])[],
  file: string,
  mapping?: readonly ColumnMapping[],
): MappedCsv {
  const header = (grid[0] ?? []).map((h) => h.trim());
  if (header.length === 0) throw new UsageError(`${file} is empty: no header row`);
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
    return { target: m.target, index: i };
  });
  if (!columns.some((c) => c.target === 'Account'))
    throw new UsageError(
      `${file}: no Account column; name the CSV column holding account strings, e.g. --map "Account=GL Acct,Amount=FY25 Budget,Description=Desc" (its columns are: ${header.join(', ')})`,
    );
  const typed = columns.some((c) => c.target === 'Type');
  const staffing = columns.some((c) =>
    ['FTE', 'Job type', 'Employee', 'Position ID', 'Salary'].includes(c.target),
  );
  const rows: CellValue[][] = [];
  let blankRows = 0;
  for (const record of grid.slice(1)) {
    if (record.every((v) => v.trim() === '')) {
      blankRows++;
      continue;
    }
    const out: CellValue[] = SITE_HEADER.map(() => null);
    for (const c of columns) out[SITE_HEADER.indexOf(c.target)] = convert(c.target, record[c.index] ?? '');
    // Without a Type or any staffing column, every imported row is a line.
    if (!typed && !staffing) out[SITE_HEADER.indexOf('Type')] = 'Line';
    rows.push(out);
  }
  return { rows, mapping: used, blankRows };
}
