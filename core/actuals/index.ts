/**
 * Actuals to date: the Actuals table (year-to-date actuals and encumbrances by site and account, as
 * of a date) read, and budget vs actual vs encumbered vs remaining per line (site and account), per
 * site, per fund and for the district. Lines over budget and lines that carry actuals with no budget
 * are flagged. Refunds (negative actuals) are kept as they are and shown. All money integer cents.
 */
import type { LedgerLine } from '../approval/lines';
import { a1, cellText, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, parseMoney, type Cents } from '../money';
import { dataRows, findColumns } from '../tables';
import { ACTUALS_TABLE, specOf } from '../workbook/schema';

export interface ActualRow {
  readonly site: string;
  readonly account: string;
  readonly actualCents: Cents;
  readonly encumberedCents: Cents;
  readonly asOf: string;
}

/** Reads the Actuals table; every cell that cannot be read is a finding naming its cell. */
export function readActuals(grid: Grid, sheet: string): { rows: ActualRow[]; diagnostics: Diagnostic[] } {
  const { columns, diagnostics } = findColumns(
    grid[0] ?? [],
    specOf(ACTUALS_TABLE),
    ACTUALS_TABLE.table,
    sheet,
  );
  if (diagnostics.length) return { rows: [], diagnostics };
  const rows: ActualRow[] = [];
  const money = (
    v: Grid[number][number] | undefined,
    where: { sheet: string; cell: string },
    what: string,
  ): Cents => {
    if (v === null || v === undefined || cellText(v).trim() === '') return 0;
    const m = parseMoney(v, where, what);
    if (m.ok) return m.value;
    diagnostics.push(m.diagnostic);
    return 0;
  };
  for (const { row, index } of dataRows(grid)) {
    const at = (c: number): { sheet: string; cell: string } => ({ sheet, cell: a1(index, c) });
    rows.push({
      site: cellText(row[columns.site] ?? null).trim(),
      account: cellText(row[columns.account] ?? null).trim(),
      actualCents: money(row[columns.actual], at(columns.actual), 'actual'),
      encumberedCents:
        columns.encumbered >= 0 ? money(row[columns.encumbered], at(columns.encumbered), 'encumbered') : 0,
      asOf: columns.asOf >= 0 ? cellText(row[columns.asOf] ?? null).trim() : '',
    });
  }
  return { rows, diagnostics };
}

/** Budget, actual, encumbered and remaining (budget − actual − encumbered), in cents. */
export interface Amounts {
  readonly budgetCents: Cents;
  readonly actualCents: Cents;
  readonly encumberedCents: Cents;
  readonly remainingCents: Cents;
}

export type ActualFlag = 'over budget' | 'no budget' | 'refund';

export interface LineActuals extends Amounts {
  readonly site: string;
  readonly account: string;
  readonly fund: string;
  readonly flags: readonly ActualFlag[];
}

export interface GroupActuals extends Amounts {
  /** The site code, the fund code, or "District". */
  readonly key: string;
}

export interface ActualsReport {
  readonly asOf: string;
  readonly lines: readonly LineActuals[];
  readonly sites: readonly GroupActuals[];
  readonly funds: readonly GroupActuals[];
  readonly district: GroupActuals;
  /** Warnings: lines over budget (BL845) and lines with actuals and no budget (BL846). */
  readonly diagnostics: readonly Diagnostic[];
}

interface Acc {
  budgetCents: number;
  actualCents: number;
  encumberedCents: number;
}

const zero = (): Acc => ({ budgetCents: 0, actualCents: 0, encumberedCents: 0 });
const done = (key: string, a: Acc): GroupActuals => ({
  key,
  ...a,
  remainingCents: a.budgetCents - a.actualCents - a.encumberedCents,
});

/**
 * Budget vs actual: the budget is the site sheets' ledger (one line per site and account, summed);
 * `fundOf` gives an account's fund. A line is over budget when actual + encumbered exceed a positive
 * budget; a line with no budget (none, or zero) that carries actuals or encumbrances is flagged too.
 */
export function budgetVsActual(args: {
  readonly ledger: readonly LedgerLine[];
  readonly actuals: readonly ActualRow[];
  readonly fundOf: (account: string) => string;
  readonly asOf: string;
}): ActualsReport {
  const byLine = new Map<string, Acc & { site: string; account: string }>();
  const get = (site: string, account: string): Acc & { site: string; account: string } => {
    const key = `${site}\u0000${account}`;
    let a = byLine.get(key);
    if (!a) {
      a = { site, account, ...zero() };
      byLine.set(key, a);
    }
    return a;
  };
  for (const l of args.ledger) get(l.site, l.account).budgetCents += l.cents;
  for (const r of args.actuals) {
    const a = get(r.site, r.account);
    a.actualCents += r.actualCents;
    a.encumberedCents += r.encumberedCents;
  }
  const sites = new Map<string, Acc>();
  const funds = new Map<string, Acc>();
  const district = zero();
  const lines: LineActuals[] = [];
  const diagnostics: Diagnostic[] = [];
  const sorted = [...byLine.values()].sort((x, y) =>
    x.site === y.site ? (x.account < y.account ? -1 : 1) : x.site < y.site ? -1 : 1,
  );
  for (const a of sorted) {
    const fund = args.fundOf(a.account);
    for (const acc of [
      sites.get(a.site) ?? sites.set(a.site, zero()).get(a.site),
      funds.get(fund) ?? funds.set(fund, zero()).get(fund),
      district,
    ] as Acc[]) {
      acc.budgetCents += a.budgetCents;
      acc.actualCents += a.actualCents;
      acc.encumberedCents += a.encumberedCents;
    }
    const spent = a.actualCents + a.encumberedCents;
    const flags: ActualFlag[] = [];
    if (a.budgetCents > 0 && spent > a.budgetCents) {
      flags.push('over budget');
      diagnostics.push(
        diag('BL845', {
          site: a.site,
          account: a.account,
          budget: formatCents(a.budgetCents),
          spent: formatCents(spent),
          over: formatCents(spent - a.budgetCents),
        }),
      );
    }
    if (a.budgetCents === 0 && (a.actualCents !== 0 || a.encumberedCents !== 0)) {
      flags.push('no budget');
      diagnostics.push(diag('BL846', { site: a.site, account: a.account, spent: formatCents(spent) }));
    }
    if (a.actualCents < 0) flags.push('refund');
    lines.push({
      site: a.site,
      account: a.account,
      fund,
      budgetCents: a.budgetCents,
      actualCents: a.actualCents,
      encumberedCents: a.encumberedCents,
      remainingCents: a.budgetCents - spent,
      flags,
    });
  }
  const groups = (m: Map<string, Acc>): GroupActuals[] =>
    [...m.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => done(k, v));
  return {
    asOf: args.asOf,
    lines,
    sites: groups(sites),
    funds: groups(funds),
    district: done('District', district),
    diagnostics,
  };
}

/** The fiscal year's first and last days (ISO dates): FY2027 = 2026-07-01 … 2027-06-30. */
export function fiscalYearSpan(fiscalYear: number): { start: string; end: string } {
  return { start: `${fiscalYear - 1}-07-01`, end: `${fiscalYear}-06-30` };
}

/** An ISO date (YYYY-MM-DD) from "2027-03-31" or "3/31/2027"; undefined when it is not a real date. */
export function parseDate(text: string): string | undefined {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [y, m, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
