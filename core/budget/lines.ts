/**
 * Budget lines and positions on a site sheet, and the charges they make against allocations.
 *
 * - A line (non-personnel): account string, description, quantity × unit cost or a plain amount,
 *   one-time flag, notes.
 * - A position: a job type (priced at its average salary) or a named employee with an actual salary;
 *   FTE in the district's steps; optional HR position id; funding split across account strings by
 *   percentage (must total 100%), the cost split by largest remainder so the pieces sum to the cent.
 *
 * Rows with a fatal finding are reported and left out of `rows`, so no total is built on bad input.
 */
import { cellText, type CellValue, type Grid, type Where } from '../cells';
import type { AccountCheck, Validator } from '../accounts/api';
import { detectAccountLayout, segmentHeaderNames } from '../accounts/layout';
import { diag, hasFatal, type Diagnostic } from '../diagnostics';
import { cellAt, normalizeHeader } from '../tables';
import { formatCents, mulDivRound, parseMoney, splitLargestRemainder, type Cents } from '../money';
import { SITE_TABLE, specOf } from '../workbook/schema';
import { costOf, unknownJobType, unknownPackage, type CostBreakdown, type Staffing } from './staffing';
import { numberedColumns, openTable, type TableOptions, type TableResult } from './table';
import {
  FTE_SCALE,
  formatMilli,
  formatPpm,
  parseFte,
  parseMilli,
  parsePercent,
  parseYesNo,
  PPM,
  type Milli,
  type MilliFte,
  type Ppm,
} from './units';

export interface BudgetLine {
  readonly kind: 'line';
  /** The account string, canonical form. */
  readonly account: string;
  /** Segment codes in chart order. */
  readonly segments: readonly string[];
  readonly description: string;
  readonly quantity?: Milli;
  readonly unitCost?: Cents;
  readonly amount: Cents;
  readonly oneTime: boolean;
  readonly notes: string;
  /** The account cell. */
  readonly where: Where;
}

export interface SplitPiece {
  readonly account: string;
  readonly segments: readonly string[];
  readonly sharePpm: Ppm;
  readonly where: Where;
  /** Which Account / Percent pair of the row it came from: 1 for Account, 2 for Account 2 … */
  readonly pair?: number;
}

export interface PositionPiece extends SplitPiece {
  readonly salary: Cents;
  readonly benefits: Cents;
  readonly amount: Cents;
  readonly fte: MilliFte;
}

export interface Position {
  readonly kind: 'position';
  readonly hrId?: string;
  readonly jobType?: string;
  readonly employee?: string;
  /** The employee's actual annual salary; absent when priced at the job type's average. */
  readonly salary?: Cents;
  /** A benefits package named on the row, overriding the job type's. */
  readonly benefitsPackage?: string;
  readonly fte: MilliFte;
  readonly split: readonly SplitPiece[];
  readonly notes: string;
  readonly cost: CostBreakdown;
  readonly pieces: readonly PositionPiece[];
  /** The first cell of the row (the HR id or job type cell). */
  readonly where: Where;
}

export interface SiteOptions extends TableOptions {
  /** The district's FTE step in thousandths (100 = 0.1). Default 1 (any thousandth). */
  readonly fteStep?: MilliFte;
}

/** The site-sheet columns a line reads (core/workbook/schema.ts SITE_TABLE). */
const LINE_KEYS = ['account', 'description', 'quantity', 'unitCost', 'amount', 'oneTime', 'notes'] as const;
const LINE_COLUMNS = specOf(SITE_TABLE, LINE_KEYS, ['account']);

/** LINE_COLUMNS when the account is held one column per segment (no Account column). */
const SEGMENT_LINE_COLUMNS = specOf(SITE_TABLE, LINE_KEYS, []);

/**
 * Where a site sheet holds the account: `segments` (column indexes in chart order) when there is no
 * account-string column and every segment has its own column (core/accounts/layout.ts
 * detectAccountLayout); otherwise the one Account column. `missing`: the header names some segments
 * but not all, and has no Account column (BL306 naming the missing segments).
 */
function siteAccountColumns(
  header: readonly CellValue[],
  validator: Validator,
  table: string,
  at: Where,
): { readonly segments?: readonly number[]; readonly missing?: Diagnostic } {
  const found = detectAccountLayout(header, validator.chart, { table });
  if (found.layout?.kind === 'segments') return { segments: found.layout.columns };
  if (found.layout) return {};
  const names = header.map(normalizeHeader);
  const named = validator.chart.segments.some((s) =>
    segmentHeaderNames(validator.chart, s.key).some((n) => names.includes(n)),
  );
  const first = found.diagnostics[0];
  return named && first ? { missing: { ...first, ...at } } : {};
}

/**
 * The account of one row held one column per segment, checked segment by segment: each finding is on
 * its segment's cell. A row whose segment cells are all blank gets one "blank account" finding on the
 * first segment's cell.
 */
function checkSegmentCells(
  validator: Validator,
  row: readonly CellValue[],
  columns: readonly number[],
  whereCol: (column: number) => Where,
): { check: AccountCheck; where: Where } {
  const where = whereCol(columns[0] ?? 0);
  if (columns.every((c) => cellText(row[c]).trim() === ''))
    return { check: validator.check(null, where), where };
  return {
    check: validator.checkSegments(
      columns.map((c) => row[c]),
      columns.map((c) => whereCol(c)),
    ),
    where,
  };
}

/**
 * The Lines table of a site sheet. Accounts are checked with `validator`; all findings are returned.
 * The account is one Account column, or one column per segment of the chart (headers matched by name,
 * with synonyms): then each segment's finding is on that segment's cell.
 */
export function readLines(
  grid: Grid,
  validator: Validator,
  options: SiteOptions = {},
): TableResult<BudgetLine> {
  const header = grid[0] ?? [];
  const layout = siteAccountColumns(header, validator, 'Lines', {
    sheet: options.sheet ?? 'Lines',
    cell: cellAtOrigin(options),
  });
  if (layout.missing) return { rows: [], diagnostics: [layout.missing] };
  const segmentCols = layout.segments;
  const t = openTable(grid, segmentCols ? SEGMENT_LINE_COLUMNS : LINE_COLUMNS, 'Lines', options);
  const diagnostics = [...t.diagnostics];
  if (t.ok && !t.has('amount') && !(t.has('quantity') && t.has('unitCost')))
    diagnostics.push(
      diag(
        'BL306',
        { table: 'Lines', column: SITE_TABLE.columns.amount.header },
        { sheet: t.sheet, cell: t.whereCol(0, 0).cell ?? 'A1' },
      ),
    );
  if (diagnostics.length) return { rows: [], diagnostics };
  const rows: BudgetLine[] = [];
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const { check: acc, where } = segmentCols
      ? checkSegmentCells(validator, row, segmentCols, (c) => t.whereCol(index, c))
      : {
          check: validator.check(t.value(row, 'account'), t.where(index, 'account')),
          where: t.where(index, 'account'),
        };
    diagnostics.push(...acc.diagnostics);
    const oneTime = parseYesNo(t.value(row, 'oneTime'), t.where(index, 'oneTime'), 'one-time flag');
    if (!oneTime.ok) diagnostics.push(oneTime.diagnostic);

    const qBlank = t.blank(row, 'quantity');
    const uBlank = t.blank(row, 'unitCost');
    const aBlank = t.blank(row, 'amount');
    let amount: Cents | undefined;
    let quantity: Milli | undefined;
    let unitCost: Cents | undefined;
    if (qBlank && uBlank && aBlank)
      diagnostics.push(diag('BL416', {}, t.where(index, t.has('amount') ? 'amount' : 'quantity')));
    if (!qBlank || !uBlank) {
      const q = parseMilli(t.value(row, 'quantity'), t.where(index, 'quantity'), 'quantity');
      const u = parseMoney(t.value(row, 'unitCost'), t.where(index, 'unitCost'), 'unit cost');
      if (!q.ok) diagnostics.push(q.diagnostic);
      if (!u.ok) diagnostics.push(u.diagnostic);
      if (q.ok && u.ok) {
        quantity = q.value;
        unitCost = u.value;
        amount = mulDivRound(u.value, q.value, FTE_SCALE);
      }
    }
    if (!aBlank) {
      const a = parseMoney(t.value(row, 'amount'), t.where(index, 'amount'), 'amount');
      if (!a.ok) diagnostics.push(a.diagnostic);
      else if (amount !== undefined && quantity !== undefined && unitCost !== undefined && a.value !== amount)
        diagnostics.push(
          diag(
            'BL415',
            {
              amount: formatCents(a.value),
              quantity: formatMilli(quantity),
              unitCost: formatCents(unitCost),
              product: formatCents(amount),
            },
            t.where(index, 'amount'),
          ),
        );
      else amount = a.value;
    }
    if (hasFatal(diagnostics.slice(before))) continue;
    if (amount === undefined || !acc.normalized || !acc.segments || !oneTime.ok) continue;
    rows.push({
      kind: 'line',
      account: acc.normalized,
      segments: acc.segments,
      description: t.text(row, 'description'),
      ...(quantity !== undefined ? { quantity } : {}),
      ...(unitCost !== undefined ? { unitCost } : {}),
      amount,
      oneTime: oneTime.value,
      notes: t.text(row, 'notes'),
      where,
    });
  }
  return { rows, diagnostics };
}

/** The table's top-left cell on its sheet (A1 unless the table has an origin). */
function cellAtOrigin(options: TableOptions): string {
  const o = options.origin;
  return o ? cellAt(0, 0, o) : 'A1';
}

/** A position's numbered account columns (Account, Account 2 …), by normalised header: the pair's number. */
export const ACCOUNT_PAIR = /^(?:account|accountstring|account#?)(\d*)$/;

/** The site-sheet columns a position reads; its Account / Percent pairs are found by number. */
const POSITION_COLUMNS = specOf(
  SITE_TABLE,
  ['hrId', 'jobType', 'employee', 'salary', 'benefits', 'fte', 'notes'],
  ['fte'],
);

/**
 * Splits a position's cost across its account strings by largest remainder: salary and benefits are
 * split separately (each summing exactly), FTE likewise in thousandths. Ties go to the earlier account.
 */
export function splitCost(cost: CostBreakdown, fte: MilliFte, split: readonly SplitPiece[]): PositionPiece[] {
  const shares = split.map((s) => s.sharePpm);
  const keys = split.map((_, i) => String(i).padStart(6, '0'));
  const sal = splitLargestRemainder(cost.salary, shares, keys);
  const ben = splitLargestRemainder(cost.benefitsTotal, shares, keys);
  const ftes = splitLargestRemainder(fte, shares, keys);
  return split.map((s, i) => {
    const salary = sal[i] as number;
    const benefits = ben[i] as number;
    return { ...s, salary, benefits, amount: salary + benefits, fte: ftes[i] as number };
  });
}

/**
 * The Positions table of a site sheet. Columns (core/workbook/schema.ts SITE_TABLE): Position ID,
 * Job type, Employee, Salary, Benefits package, FTE, then Account / Percent pairs (Account, Percent,
 * Account 2, Percent 2, ...; or the segment columns for the first account), Notes. A single account
 * with no percentage takes 100%.
 */
export function readPositions(
  grid: Grid,
  validator: Validator,
  staffing: Staffing,
  options: SiteOptions = {},
): TableResult<Position> {
  const layout = siteAccountColumns(grid[0] ?? [], validator, 'Positions', {
    sheet: options.sheet ?? 'Positions',
    cell: cellAtOrigin(options),
  });
  if (layout.missing) return { rows: [], diagnostics: [layout.missing] };
  const segmentCols = layout.segments;
  const t = openTable(grid, POSITION_COLUMNS, 'Positions', options);
  const diagnostics = [...t.diagnostics];
  const accounts = numberedColumns(t.header, ACCOUNT_PAIR);
  const percents = numberedColumns(t.header, /^(?:percent|pct|share|split|percentage)(\d*)$/);
  // Per segment: the first piece's account is in the segment columns; "Account 2", ... hold the others.
  if (segmentCols) accounts.delete(1);
  if (t.ok && accounts.size === 0 && !segmentCols)
    diagnostics.push(
      diag(
        'BL306',
        { table: 'Positions', column: SITE_TABLE.columns.account.header },
        { sheet: t.sheet, cell: t.whereCol(0, 0).cell ?? 'A1' },
      ),
    );
  if (t.ok && !t.has('jobType') && !t.has('salary'))
    diagnostics.push(
      diag(
        'BL306',
        { table: 'Positions', column: SITE_TABLE.columns.jobType.header },
        { sheet: t.sheet, cell: t.whereCol(0, 0).cell ?? 'A1' },
      ),
    );
  if (diagnostics.length) return { rows: [], diagnostics };
  const pairs = [...(segmentCols ? [1] : []), ...accounts.keys()].sort((a, b) => a - b);
  const rows: Position[] = [];
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const cell = (col: number | undefined): CellValue => (col === undefined ? undefined : row[col]);
    const jobCode = t.text(row, 'jobType');
    const employee = t.text(row, 'employee');
    const hrId = t.text(row, 'hrId');
    const pkgCode = t.text(row, 'benefits');
    const rowWhere = t.where(index, t.has('hrId') ? 'hrId' : 'jobType');
    const fte = parseFte(t.value(row, 'fte'), t.where(index, 'fte'), options.fteStep ?? 1);
    if (!fte.ok) diagnostics.push(fte.diagnostic);

    // Salary: the employee's actual salary, or the job type's average.
    const job = jobCode ? staffing.jobTypes.get(jobCode) : undefined;
    if (jobCode && !job) diagnostics.push(unknownJobType(jobCode, staffing, t.where(index, 'jobType')));
    let salary: Cents | undefined;
    if (!t.blank(row, 'salary')) {
      const s = parseMoney(t.value(row, 'salary'), t.where(index, 'salary'), 'salary');
      if (s.ok) salary = s.value;
      else diagnostics.push(s.diagnostic);
    } else if (!jobCode) diagnostics.push(diag('BL414', {}, rowWhere));
    const packageCode = pkgCode || job?.benefits;
    const pkg = packageCode ? staffing.packages.get(packageCode) : undefined;
    if (pkgCode && !pkg) diagnostics.push(unknownPackage(pkgCode, staffing, t.where(index, 'benefits')));
    if (!packageCode && salary !== undefined && !jobCode)
      diagnostics.push(diag('BL424', { employee: employee || hrId || 'the position' }, rowWhere));

    // Split funding.
    const split: SplitPiece[] = [];
    const bySegments = (n: number): readonly number[] | undefined => (n === 1 ? segmentCols : undefined);
    const filled = (n: number): boolean => {
      const segs = bySegments(n);
      return segs
        ? segs.some((c) => cellText(cell(c)).trim() !== '')
        : cellText(cell(accounts.get(n))).trim() !== '';
    };
    const checkPiece = (n: number): { check: AccountCheck; where: Where } => {
      const segs = bySegments(n);
      if (segs) return checkSegmentCells(validator, row, segs, (c) => t.whereCol(index, c));
      const aCol = accounts.get(n) as number;
      const where = t.whereCol(index, aCol);
      return { check: validator.check(cell(aCol), where), where };
    };
    const single = pairs.filter(filled);
    let total = 0;
    let splitOk = true;
    for (const n of single) {
      const pCol = percents.get(n);
      const { check: acc, where } = checkPiece(n);
      diagnostics.push(...acc.diagnostics);
      let share: Ppm | undefined;
      if (single.length === 1 && (pCol === undefined || cellText(cell(pCol)).trim() === '')) share = PPM;
      else {
        const p = parsePercent(
          cell(pCol),
          pCol === undefined ? where : t.whereCol(index, pCol),
          'funding percentage',
        );
        if (p.ok) share = p.value;
        else diagnostics.push(p.diagnostic);
      }
      if (share === undefined || !acc.ok || !acc.normalized || !acc.segments) {
        splitOk = false;
        continue;
      }
      total += share;
      split.push({ account: acc.normalized, segments: acc.segments, sharePpm: share, where, pair: n });
    }
    if (single.length === 0) {
      diagnostics.push(...checkPiece(pairs[0] as number).check.diagnostics);
      splitOk = false;
    } else if (splitOk && total !== PPM) {
      const pCol = percents.get(single[0] as number);
      diagnostics.push(
        diag('BL411', { total: formatPpm(total) }, pCol === undefined ? rowWhere : t.whereCol(index, pCol)),
      );
    }

    if (hasFatal(diagnostics.slice(before)) || !fte.ok) continue;
    const annual = salary ?? job?.averageSalary;
    if (annual === undefined) continue;
    const cost = costOf(annual, fte.value, pkg);
    rows.push({
      kind: 'position',
      ...(hrId ? { hrId } : {}),
      ...(jobCode ? { jobType: jobCode } : {}),
      ...(employee ? { employee } : {}),
      ...(salary !== undefined ? { salary } : {}),
      ...(pkgCode ? { benefitsPackage: pkgCode } : {}),
      fte: fte.value,
      split,
      notes: t.text(row, 'notes'),
      cost,
      pieces: splitCost(cost, fte.value, split),
      where: rowWhere,
    });
  }
  return { rows, diagnostics };
}

/** One amount charged to one account string at a site: what allocations are checked against. */
export interface Charge {
  readonly site: string;
  readonly account: string;
  readonly segments: readonly string[];
  readonly amount: Cents;
  readonly fte: MilliFte;
  readonly where?: Where;
}

/** The charges a site's lines and positions make (one per line, one per position split piece). */
export function chargesOf(
  site: string,
  lines: readonly BudgetLine[],
  positions: readonly Position[],
): Charge[] {
  const out: Charge[] = [];
  for (const l of lines)
    out.push({ site, account: l.account, segments: l.segments, amount: l.amount, fte: 0, where: l.where });
  for (const p of positions)
    for (const piece of p.pieces)
      out.push({
        site,
        account: piece.account,
        segments: piece.segments,
        amount: piece.amount,
        fte: piece.fte,
        where: piece.where,
      });
  return out;
}
