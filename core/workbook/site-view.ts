/**
 * What a site sheet shows besides what its principal types, written by Budgetline in the same write
 * as validation's marks (validateSites, validateRows, computeAllocations, import):
 *
 * - the Cost (computed) column of the site table (SITE_TABLE.cost): what each row costs, a line's
 *   quantity × unit cost (or its amount), a position's salary and benefits for its FTE, summed over
 *   its funding pieces — the very cents the ledger holds;
 * - the summary block (SITE_SUMMARY_TABLE), right of the table after one blank column: per
 *   allocation the site draws on, allocated / planned / remaining in $ and FTE, then the site total.
 *
 * Values, not formulas: the core's rules (benefit rates and per-FTE amounts by package, average
 * salaries, integer cents, largest-remainder splits) stay in one place, the .xlsx port (which cannot
 * recalculate) writes correct values, and no sheet formula refers to a column a district may move.
 *
 * Neither is ever read as input: `siteTableGrid` blanks the cost column and cuts the summary block
 * off before any reader sees a site sheet. A value typed into the cost column is replaced, with a
 * BL430 finding that names what it was; a column Budgetline would need that holds a user's cells is
 * left alone, with BL431.
 */
import type { AllocationReport } from '../allocations/check';
import { a1, cellText, columnLetter, isBlank, parseA1, type CellValue, type Grid } from '../cells';
import { sha256Hex } from '../approval/hash';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import type { Dropdown, SheetWrite, TableSpec } from '../port/types';
import { normalizeHeader } from '../tables';
import { ACCOUNT_PAIR } from '../budget/lines';
import { numberedColumns } from '../budget/table';
import type { SiteSheet } from './read';
import {
  formatsOf,
  headerOf,
  JOB_TYPES_TABLE,
  SHEETS,
  SITE_SUMMARY_TABLE,
  SITE_TABLE,
  type ColumnDecl,
} from './schema';

const COST_NAME = normalizeHeader(SITE_TABLE.columns.cost.header);
const SUMMARY_NAME = normalizeHeader(SITE_SUMMARY_TABLE.columns.source.header);
const COST_HEADER = SITE_TABLE.columns.cost.header;
const SUMMARY_HEADER = headerOf(SITE_SUMMARY_TABLE);
const SUMMARY_WIDTH = SUMMARY_HEADER.length;
/** "Cost, Account (computed)", "Cost, Account 2 (computed)" … normalised: the pair's number. */
const PIECE_NAME = /^costaccount(\d*)computed$/;

/** The header of the computed cost column of Account / Percent pair `n` (1: Account). */
export function pieceHeader(n: number): string {
  if (n === 1) return SITE_TABLE.columns.costAccount.header;
  if (n === 2) return SITE_TABLE.columns.costAccount2.header;
  return `Cost, Account ${n} (computed)`;
}

/** The header of a computed column: 0 is Cost (computed), n ≥ 1 the cost of pair n. */
const headerOfComputed = (k: number): string => (k === 0 ? COST_HEADER : pieceHeader(k));

/**
 * Where the computed parts are in a site sheet's header: the Cost (computed) column (-1 when absent),
 * each funding piece's cost column by pair number, and the summary block (-1 when absent). Computed
 * columns count only left of the summary block.
 */
export function computedColumns(header: readonly CellValue[]): {
  cost: number;
  pieces: Map<number, number>;
  summary: number;
} {
  const names = header.map(normalizeHeader);
  const summary = names.indexOf(SUMMARY_NAME);
  const inTable = (i: number): boolean => i >= 0 && (summary < 0 || i < summary);
  const cost = names.indexOf(COST_NAME);
  const pieces = new Map<number, number>();
  names.forEach((n, i) => {
    const m = inTable(i) ? PIECE_NAME.exec(n) : null;
    const k = m ? (m[1] ? Number(m[1]) : 1) : 0;
    if (k >= 1 && !pieces.has(k)) pieces.set(k, i);
  });
  return { cost: inTable(cost) ? cost : -1, pieces, summary };
}

/** The computed columns of the site table, by column: 0 for Cost (computed), n for pair n's cost. */
function computedByColumn(header: readonly CellValue[]): Map<number, number> {
  const { cost, pieces } = computedColumns(header);
  const out = new Map<number, number>();
  if (cost >= 0) out.set(cost, 0);
  for (const [k, c] of pieces) out.set(c, k);
  return out;
}

/**
 * A site sheet as the readers see it: the summary block (from its first header cell rightwards) cut
 * off and the computed cost columns blanked. Columns keep their places, so every cell address holds.
 */
export function siteTableGrid(grid: Grid): Grid {
  const { summary } = computedColumns(grid[0] ?? []);
  const blank = [...computedByColumn(grid[0] ?? []).keys()];
  if (!blank.length && summary < 0) return grid;
  return grid.map((row) => {
    const out = summary >= 0 ? row.slice(0, summary) : [...row];
    for (const c of blank) if (c < out.length) out[c] = null;
    return out;
  });
}

/** What each priced row costs, by grid row: lines and positions the reader could read (no fatal finding). */
export function rowCosts(sheet: SiteSheet): Map<number, Cents> {
  const out = new Map<number, Cents>();
  for (const [r, c] of costsByRow(sheet)) out.set(r, c.get(0) as Cents);
  return out;
}

const rowOfCell = (cell: string | undefined): number | undefined => (cell ? parseA1(cell)?.row : undefined);

/**
 * Each priced row's cents by computed column: 0 the row's total, n ≥ 1 what its piece on pair n
 * costs — a position's pieces exactly as the ledger holds them (they sum to the total), a line's
 * amount under pair 1.
 */
export function costsByRow(sheet: SiteSheet): Map<number, Map<number, Cents>> {
  const out = new Map<number, Map<number, Cents>>();
  for (const l of sheet.lines) {
    const r = rowOfCell(l.where.cell);
    if (r !== undefined)
      out.set(
        r,
        new Map([
          [0, l.amount],
          [1, l.amount],
        ]),
      );
  }
  for (const p of sheet.positions) {
    const r = rowOfCell(p.where.cell);
    if (r === undefined) continue;
    const m = new Map<number, Cents>([[0, p.cost.total]]);
    p.pieces.forEach((piece, i) => {
      const k = piece.pair ?? i + 1;
      m.set(k, (m.get(k) ?? 0) + piece.amount);
    });
    out.set(r, m);
  }
  return out;
}

const lastFilled = (row: readonly CellValue[] | undefined): number => {
  if (!row) return -1;
  for (let c = row.length - 1; c >= 0; c--) if (!isBlank(row[c])) return c;
  return -1;
};

const shown = (v: CellValue): string =>
  typeof v === 'number' ? formatCents(Math.round(v * 100)) : `"${cellText(v)}"`;

/** Whether a cost cell already shows `cents` (a number within half a cent, or blank for none). */
function showsCost(v: CellValue, cents: Cents | undefined): boolean {
  if (cents === undefined) return isBlank(v);
  return typeof v === 'number' && Math.round(v * 100) === cents;
}

export interface SiteViewWrites {
  readonly sheets: SheetWrite[];
  readonly diagnostics: Diagnostic[];
  /** The site sheets' Excel tables (siteViewWrites only). */
  readonly tables?: TableSpec[];
}

/** How many rows the summary block at `column` holds: its header row and the rows under it down to a blank one. */
function summaryRowsOwned(grid: Grid, column: number): number {
  if (column < 0) return 0;
  const blankRow = (r: number): boolean => {
    const row = grid[r] ?? [];
    for (let c = column; c < column + SUMMARY_WIDTH; c++) if (!isBlank(row[c])) return false;
    return true;
  };
  let owned = 1;
  while (owned < grid.length && !blankRow(owned)) owned++;
  return owned;
}

/** Whether cell (r, c) is Budgetline's own summary block (which moves right when the table grows). */
function inSummary(grid: Grid, r: number, c: number): boolean {
  const { summary } = computedColumns(grid[0] ?? []);
  return summary >= 0 && c >= summary && c < summary + SUMMARY_WIDTH && r < summaryRowsOwned(grid, summary);
}

/** The first cell of column `c` that holds something of the user's, or -1. */
function takenRow(grid: Grid, c: number): number {
  return grid.findIndex((row, r) => !isBlank(row[c]) && !inSummary(grid, r, c));
}

/** Consecutive runs of the given columns (sorted): [first, last] each. */
function runsOf(columns: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const c of [...columns].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === c - 1) last[1] = c;
    else out.push([c, c]);
  }
  return out;
}

/**
 * The computed cost columns of one site sheet — Cost (computed), and when the header has numbered
 * account pairs (Account 2 …) one "Cost, Account n (computed)" per pair — over every data row (or
 * rows from..to, for live validation, which never adds a column), with BL430 for each cell whose
 * value it replaces. A column the sheet lacks goes right after the last computed column (or the last
 * header cell), provided that column is empty in every row (else BL431 and it is not added).
 * `column` is Cost's column (-1 when it could not be added), `end` the last computed column.
 */
export function costColumnWrite(
  sheet: SiteSheet,
  grid: Grid,
  window?: {
    readonly from: number;
    readonly to: number;
    /** The columns edited, when known: an edit that left the computed columns alone refreshes them silently. */
    readonly columns?: { readonly from: number; readonly to: number };
  },
  stored?: string,
): SiteViewWrites & { readonly column: number; readonly end: number; readonly hash?: string } {
  const name = sheet.site.sheet;
  const header = grid[0] ?? [];
  const found = computedColumns(header);
  const table = found.summary >= 0 ? header.slice(0, found.summary) : [...header];
  const diagnostics: Diagnostic[] = [];
  /** Computed column → its key (0 Cost, n pair n), and the columns added by this write. */
  const columns = computedByColumn(header);
  const added = new Set<number>();
  const noRoom = (what: number, c: number, r: number): void => {
    diagnostics.push(
      diag(
        'BL431',
        { what: `"${headerOfComputed(what)}" column`, column: columnLetter(c), cell: a1(r, c) },
        { sheet: name, cell: a1(r, c) },
      ),
    );
  };
  let column = found.cost;
  if (!window) {
    const own = new Set(columns.keys());
    const userEnd = lastFilled(table.map((v, c) => (own.has(c) ? null : v)));
    if (column < 0) {
      column = Math.max(userEnd, ...own) + 1;
      const taken = takenRow(grid, column);
      if (taken >= 0) {
        noRoom(0, column, taken);
        column = -1;
      } else {
        columns.set(column, 0);
        added.add(column);
      }
    }
    // One cost column per funding piece when the header has numbered pairs (Account 2 …).
    const pairs = numberedColumns(
      table.map((v, c) => (columns.has(c) ? null : v)),
      ACCOUNT_PAIR,
    );
    const wanted = Math.max(1, ...pairs.keys()) > 1 ? [...new Set([1, ...pairs.keys()])] : [];
    const missing = wanted.filter((k) => !found.pieces.has(k)).sort((a, b) => a - b);
    if (column >= 0 && missing.length) {
      const at = Math.max(userEnd, ...columns.keys()) + 1;
      const blocked = missing
        .map((_, i) => [at + i, takenRow(grid, at + i)] as const)
        .find(([, r]) => r >= 0);
      if (blocked) noRoom(missing[blocked[0] - at] as number, blocked[0], blocked[1]);
      else
        missing.forEach((k, i) => {
          columns.set(at + i, k);
          added.add(at + i);
        });
    }
  }
  if (column < 0 && !columns.size)
    return { sheets: [], diagnostics, column: -1, end: -1, ...(window ? {} : { hash: '' }) };
  const costs = costsByRow(sheet);
  const inputs = siteTableGrid(grid);
  // Live validation of an edit that did not touch a computed column: its inputs changed, so its cost did.
  const edited = window?.columns;
  const inputsOnly =
    edited !== undefined && [...columns.keys()].every((c) => c < edited.from || c > edited.to);
  const from = window ? Math.max(1, window.from) : 1;
  const to = window ? window.to : grid.length - 1;
  const sheets: SheetWrite[] = [];
  // What the computed cells held (read) and hold after this write (written), as cell hashes.
  const readCells = new Map<number, string>();
  const writtenCells = new Map<number, string>();
  const note = (m: Map<number, string>, r: number, k: number, v: string): void => {
    m.set(r, `${m.get(r) ?? ''}${k}=${v};`);
  };
  const replaced: Diagnostic[] = [];
  for (const [first, last] of runsOf([...columns.keys()])) {
    const span = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const values: CellValue[][] = window ? [] : [span.map((c) => headerOfComputed(columns.get(c) ?? 0))];
    for (let r = from; r <= to; r++) {
      const priced = costs.get(r);
      // A row that cannot be priced has its own fatal finding: its costs are cleared without another.
      // A cost on a row with nothing else in it was typed there: it is replaced with a finding.
      const unpriced = priced === undefined && (inputs[r] ?? []).some((v) => !isBlank(v));
      const out: CellValue[] = [];
      for (let c = first; c <= last; c++) {
        const k = columns.get(c) ?? 0;
        const cents = priced?.get(k);
        const old = added.has(c) ? null : (grid[r]?.[c] ?? null);
        if (!isBlank(old))
          note(readCells, r, k, typeof old === 'number' ? centsOf(old) : `t:${cellText(old)}`);
        if (cents !== undefined) note(writtenCells, r, k, String(cents));
        if (!inputsOnly && !isBlank(old) && !unpriced && !showsCost(old, cents))
          replaced.push(
            diag(
              'BL430',
              {
                column: headerOfComputed(k),
                shown: shown(old),
                now:
                  cents !== undefined
                    ? formatCents(cents)
                    : priced
                      ? `nothing (the row has no piece on ${k === 1 ? 'Account' : `Account ${k}`})`
                      : 'nothing (the row has no line or position)',
              },
              { sheet: name, cell: a1(r, c) },
            ),
          );
        out.push(cents === undefined ? null : cents / 100);
      }
      values.push(out);
    }
    if (!values.length) continue;
    sheets.push({
      sheet: name,
      at: a1(window ? from : 0, first),
      values,
      columnFormats: values[0]?.map(() => SITE_TABLE.columns.cost.format) ?? [],
      ...(window ? {} : { header: true }),
    });
  }
  const end = Math.max(-1, ...columns.keys());
  const read = sumHash(readCells);
  const written = sumHash(writtenCells);
  if (window) {
    diagnostics.push(...replaced);
    // The kept hash follows an edit of inputs only: the window's computed cells were Budgetline's
    // before (or the hash did not match already, and still does not). A computed cell edited by hand
    // leaves what Budgetline wrote there unknown: the hash is dropped.
    if (stored === undefined || !HASH.test(stored)) return { sheets, diagnostics, column, end };
    const hash = inputsOnly ? hex(modHash(parseInt(stored, 16) - read + written)) : '';
    return { sheets, diagnostics, column, end, hash };
  }
  // The computed cells exactly as Budgetline last wrote them: nothing was typed over, so each cell
  // that differs is out of date (its row changed while live validation was not running).
  if (replaced.length && stored !== undefined && stored === hex(read))
    diagnostics.push(diag('BL432', { count: replaced.length }, { sheet: name }));
  else diagnostics.push(...replaced);
  return { sheets, diagnostics, column, end, hash: hex(written) };
}

/**
 * The hash of a sheet's computed cells, kept beside the document state (WriteBatch.computedHashes):
 * the sum, modulo 2^48, of each row's hash (its number, and each non-blank computed cell's column
 * key and cents), so a window of rows can be taken out and put back (live validation) without
 * reading the whole sheet. Rows are part of it: a cost cell moved is a cell changed. 12 hex digits.
 */
const MOD = 2 ** 48;
const HASH = /^[0-9a-f]{12}$/;
const modHash = (n: number): number => ((n % MOD) + MOD) % MOD;
const hex = (n: number): string => n.toString(16).padStart(12, '0');
const centsOf = (v: number): string => String(Math.round(v * 100));
function sumHash(rows: ReadonlyMap<number, string>): number {
  let sum = 0;
  for (const [r, cells] of rows) sum = modHash(sum + parseInt(sha256Hex(`${r}:${cells}`).slice(0, 12), 16));
  return sum;
}

/** The summary block's rows for one site: its allocations, then the site total. */
function summaryRows(site: string, report: AllocationReport | undefined, planned: Cents, fte: number) {
  const rows: CellValue[][] = [];
  const mine = (report?.allocations ?? []).filter((a) => a.allocation.site === site);
  for (const a of mine) {
    const tracked = a.allocation.fte !== undefined;
    // The funding source; its allocation's id too when the site has two allocations of one source.
    const twice = mine.filter((b) => b.allocation.source === a.allocation.source).length > 1;
    const label =
      twice && a.allocation.id ? `${a.allocation.source} (${a.allocation.id})` : a.allocation.source;
    rows.push([
      label,
      a.allocated / 100,
      a.planned / 100,
      a.remaining / 100,
      tracked ? a.fteAllocated / 1000 : null,
      a.ftePlanned / 1000,
      tracked ? a.fteRemaining / 1000 : null,
    ]);
  }
  const total = report?.sites.find((s) => s.site === site);
  const allocated = total?.allocated ?? 0;
  const fteAllocated = total?.fteAllocated ?? 0;
  rows.push([
    'Site total',
    allocated / 100,
    planned / 100,
    (allocated - planned) / 100,
    fteAllocated / 1000,
    fte / 1000,
    (fteAllocated - fte) / 1000,
  ]);
  return rows;
}

/**
 * The summary block of one site sheet, one blank column right of the site table (or where its header
 * already is, when that is still right of the table): the rows Budgetline wrote before (down to the
 * first blank row of the block) are replaced. When the table grew into it (a new computed column),
 * the block moves right and its old cells are blanked. When the cells it needs hold something of the
 * user's, BL431 and nothing is written there. `end` is the table's last computed column.
 */
export function summaryWrite(
  sheet: SiteSheet,
  grid: Grid,
  report: AllocationReport | undefined,
  end: number,
): SiteViewWrites {
  const name = sheet.site.sheet;
  const header = grid[0] ?? [];
  const found = computedColumns(header);
  const tableEnd = Math.max(lastFilled(found.summary >= 0 ? header.slice(0, found.summary) : header), end);
  const stays = found.summary >= 0 && found.summary > tableEnd + 1;
  const column = stays ? found.summary : tableEnd + 2;
  // The rows Budgetline owns now: its header row and the rows under it down to the first blank row.
  const owned = summaryRowsOwned(grid, found.summary);
  const sheets: SheetWrite[] = [];
  if (found.summary >= 0 && !stays) {
    // The old block's cells right of the table, blanked before the block is written at its new place.
    const from = Math.max(found.summary, tableEnd + 1);
    const width = found.summary + SUMMARY_WIDTH - from;
    if (width > 0)
      sheets.push({
        sheet: name,
        at: a1(0, from),
        values: Array.from({ length: owned }, () => Array.from({ length: width }, () => null)),
      });
  }
  const planned = sheet.ledger.reduce((n, l) => n + l.cents, 0);
  const fte = sheet.ledger.reduce((n, l) => n + (l.fte ?? 0), 0);
  const rows = [SUMMARY_HEADER as CellValue[], ...summaryRows(sheet.site.code, report, planned, fte)];
  // A new or longer block must not cover a cell of the user's (one blank row under it is kept too).
  for (let r = stays ? owned : 0; r < Math.min(rows.length + 1, grid.length); r++) {
    const row = grid[r] ?? [];
    for (let c = column; c < column + SUMMARY_WIDTH; c++)
      if (!isBlank(row[c]) && !inSummary(grid, r, c))
        return {
          sheets,
          diagnostics: [
            diag(
              'BL431',
              { what: 'allocated / planned / remaining summary', column: columnLetter(c), cell: a1(r, c) },
              { sheet: name, cell: a1(r, c) },
            ),
          ],
        };
  }
  if (stays) while (rows.length < owned) rows.push(SUMMARY_HEADER.map(() => null));
  sheets.push({
    sheet: name,
    at: a1(0, column),
    values: rows,
    columnFormats: formatsOf(SITE_SUMMARY_TABLE) ?? [],
    header: true,
  });
  return { sheets, diagnostics: [] };
}

/**
 * Everything computed on the given site sheets: each one's computed cost columns and its summary
 * block, with the findings about cells replaced (BL430) or columns without room (BL431).
 */
export function siteViewWrites(
  sheets: readonly SiteSheet[],
  grids: Readonly<Record<string, Grid>>,
  report: AllocationReport | undefined,
  stored: Readonly<Record<string, string>> = {},
): SiteViewWrites & { readonly hashes: Record<string, string> } {
  const out = {
    sheets: [] as SheetWrite[],
    diagnostics: [] as Diagnostic[],
    tables: [] as TableSpec[],
    hashes: {} as Record<string, string>,
  };
  for (const s of sheets) {
    const grid = grids[s.site.sheet];
    if (!grid || !grid.length) continue;
    const cost = costColumnWrite(s, grid, undefined, stored[s.site.sheet]);
    if (cost.hash !== undefined) out.hashes[s.site.sheet] = cost.hash;
    const summary = summaryWrite(s, grid, report, cost.end);
    // The old summary block is blanked first; the cost columns may take some of its cells.
    out.sheets.push(...summary.sheets.slice(0, -1), ...cost.sheets, ...summary.sheets.slice(-1));
    out.diagnostics.push(...cost.diagnostics, ...summary.diagnostics);
    const table = siteTable(s.site.sheet, grid, cost.sheets);
    if (table) out.tables.push(table);
  }
  return out;
}

/** The normalized names a declared column answers to (its header and synonyms). */
const namesOf = (c: ColumnDecl): string[] => [c.header, ...(c.synonyms ?? [])].map(normalizeHeader);

/** Excel's limit on an inline list: 255 characters, commas included. */
const INLINE_LIMIT = 255;

/**
 * The data-validation rules of a site sheet, over the whole table (row 2 to the sheet's last row):
 * dropdowns for Type (Line, Position), One-time (Yes, No), Job type (the Job Types sheet's Code
 * column) and Benefits package (the packages of the Benefits table, inline), and number rules for
 * FTE (0 to 1) and every Percent column (0% to 100%, held as 0 to 1). Found by header name, so a
 * district's own order keeps them on the right columns; columns the header lacks get none. Like every
 * rule, they only suggest: validation decides (core/port/types.ts Dropdown).
 */
export function siteRules(
  sheet: string,
  header: readonly CellValue[],
  lists: { readonly jobTypes?: Grid; readonly packages?: readonly string[] } = {},
): Dropdown[] {
  const names = header.map(normalizeHeader);
  const { summary } = computedColumns(header);
  const end = summary >= 0 ? summary : names.length;
  const cols = SITE_TABLE.columns;
  const at = (c: ColumnDecl): number => {
    const wanted = namesOf(c);
    const i = names.findIndex((n, k) => k < end && wanted.includes(n));
    return i;
  };
  const range = (i: number): string => `${columnLetter(i)}2:${columnLetter(i)}`;
  const out: Dropdown[] = [];
  const list = (c: ColumnDecl, values: readonly string[]): void => {
    const i = at(c);
    if (i >= 0) out.push({ sheet, range: range(i), values });
  };
  list(cols.type, ['Line', 'Position']);
  list(cols.oneTime, ['Yes', 'No']);
  const job = at(cols.jobType);
  const jobHeader = (lists.jobTypes?.[0] ?? []).map(normalizeHeader);
  const codeAt = jobHeader.findIndex((n) => namesOf(JOB_TYPES_TABLE.columns.code).includes(n));
  if (job >= 0 && codeAt >= 0)
    out.push({
      sheet,
      range: range(job),
      source: { sheet: SHEETS.jobTypes, range: range(codeAt) },
    });
  const packages = [...new Set(lists.packages ?? [])].filter((p) => p && !p.includes(','));
  if (packages.length && packages.join(',').length <= INLINE_LIMIT) list(cols.benefits, packages);
  const fte = at(cols.fte);
  if (fte >= 0)
    out.push({
      sheet,
      range: range(fte),
      number: { min: 0, max: 1 },
      message: 'FTE is the share of one full-time position: a number from 0 to 1, such as 0.5.',
    });
  names.forEach((n, i) => {
    if (i < end && /^(?:percent|pct|share|split|percentage)\d*$/.test(n))
      out.push({
        sheet,
        range: range(i),
        number: { min: 0, max: 1 },
        message: 'The share of the position paid from this account: 0% to 100%.',
      });
  });
  return out;
}

/** An Excel table's name for a sheet: "Site_" or the sheet's name, letters, digits and _ only. */
export function tableName(sheet: string, prefix = ''): string {
  const body = sheet.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = `${prefix}${body}`;
  return /^[A-Za-z_]/.test(name) ? name : `T_${name}`;
}

/**
 * The Excel table over a block whose header row is `header` at A1: columns A to `lastColumn`, rows
 * 1 to `lastRow` (0-based; at least one row under the header). None when a header cell in it is
 * blank or repeated (Excel would rename it, and readers match headers by name).
 */
export function tableOver(
  sheet: string,
  name: string,
  header: readonly CellValue[],
  lastRow: number,
  lastColumn: number = lastFilled(header),
): TableSpec | undefined {
  if (lastColumn < 0) return undefined;
  const names = header.slice(0, lastColumn + 1).map((h) => cellText(h).trim().toLowerCase());
  if (names.some((n) => n === '') || new Set(names).size !== names.length) return undefined;
  return { sheet, name, range: `A1:${a1(Math.max(1, lastRow), lastColumn)}` };
}

/**
 * The Excel table of a site sheet: its table columns (the computed cost columns included, with the
 * headers `written` gives them) and every row with something in them.
 */
export function siteTable(
  sheet: string,
  grid: Grid,
  written: readonly SheetWrite[] = [],
): TableSpec | undefined {
  const header = [...(grid[0] ?? [])];
  const { summary } = computedColumns(header);
  const table = summary >= 0 ? header.slice(0, summary) : header;
  let end = -1;
  for (const w of written) {
    const at = parseA1(w.at ?? 'A1');
    if (!at || at.row !== 0) continue;
    (w.values[0] ?? []).forEach((v, i) => {
      table[at.column + i] = v;
      end = Math.max(end, at.column + i);
    });
  }
  const last = Math.max(lastFilled(table), end);
  let lastRow = 0;
  const rows = siteTableGrid(grid);
  for (let r = rows.length - 1; r > 0; r--)
    if ((rows[r] ?? []).some((v, c) => c <= last && !isBlank(v))) {
      lastRow = r;
      break;
    }
  return tableOver(sheet, tableName(sheet, 'Site_'), table, lastRow, last);
}
