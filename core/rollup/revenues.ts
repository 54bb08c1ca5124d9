/**
 * The Revenues and Fund Balances tables, read and checked like budget lines: every problem is a
 * finding naming the sheet and cell, and a row with a fatal finding is left out.
 */
import type { Validator } from '../accounts/api';
import type { Classifier } from '../accounts/classes';
import { matches, parsePattern } from '../accounts/patterns';
import type { CodeEntry } from '../accounts/types';
import { parseMilli, parseYesNo } from '../budget/units';
import { openTable, type TableOptions } from '../budget/table';
import { cellText, isBlank, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, mulDivRound, parseMoney, type Cents } from '../money';
import { FUND_BALANCES_TABLE, REVENUES_TABLE, specOf } from '../workbook/schema';
import type { BeginningBalance, RevenueEstimate } from './funds';

/** The readers' column specs, from the tables' declarations (core/workbook/schema.ts). */
const REVENUE_COLUMNS = specOf(REVENUES_TABLE, [
  'fund',
  'source',
  'description',
  'restricted',
  'prior',
  'basis',
  'rate',
  'count',
  'rule',
  'estimate',
]);
const FUND_BALANCE_COLUMNS = specOf(FUND_BALANCES_TABLE, ['fund', 'beginning']);

export type RevenueBasis = 'typed' | 'enrollment' | 'ada' | 'rule';

/** "rate × enrollment", "Rate x ADA", "Formula rule", "typed" → the basis; undefined when not understood. */
export function readRevenueBasis(text: string): RevenueBasis | undefined {
  const t = text.toLowerCase().replace(/[^a-z]/g, '');
  if (t === '' || t === 'typed' || t === 'manual' || t === 'entered' || t === 'fixed') return 'typed';
  if (t.includes('enrol') || t.includes('students') || t.includes('perpupil')) return 'enrollment';
  if (t.includes('ada') || t.includes('attendance')) return 'ada';
  if (t.includes('rule') || t.includes('formula')) return 'rule';
  return undefined;
}

export interface RevenueContext {
  readonly validator: Pick<Validator, 'lookup' | 'chart'>;
  readonly classes: Classifier;
  /** The Sites table's total enrollment (rate × enrollment with a blank Count). */
  readonly enrollment: number;
  /** What each Formula rule allocates this year, for the "rule" basis (Rule may name several). */
  readonly ruleTotals: ReadonlyMap<string, Cents>;
  readonly fundSegment?: string;
}

/** A fund code as typed; numbers that lost their leading zeros (CA "01" as 1) are padded to the segment length. */
function fundCode(v: CellValue, length: number | undefined): string {
  const t = cellText(v).trim();
  return typeof v === 'number' && length !== undefined && /^\d+$/.test(t) ? t.padStart(length, '0') : t;
}

/** The code-list entry of a revenue source: in the revenue-source list (NCES) or the segment (object). */
function sourceEntry(ctx: RevenueContext, code: string): CodeEntry | undefined {
  const key = ctx.classes.sourceKey;
  if (key === undefined) return undefined;
  if (key !== 'revenueSource') return ctx.validator.lookup(key, code);
  for (const e of ctx.validator.chart.revenueSources ?? []) {
    const p = parsePattern(e.code, undefined, 'alnum', e.kind);
    if ('pattern' in p && matches(p.pattern, code)) return e;
  }
  return undefined;
}

/** The Revenues table: one estimate per row, with how it was worked out. */
export function readRevenues(
  grid: Grid,
  ctx: RevenueContext,
  options: TableOptions = {},
): { rows: RevenueEstimate[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, REVENUE_COLUMNS, 'Revenues', options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: RevenueEstimate[] = [];
  const fundKey = ctx.fundSegment ?? 'fund';
  const fundLength = ctx.validator.chart.segments.find((s) => s.key === fundKey)?.length;
  const sourceKey = ctx.classes.sourceKey;
  const sourceList =
    sourceKey === 'revenueSource' ? 'its revenue-source list' : `${sourceKey ?? 'object'} codes`;
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const at = (k: keyof typeof REVENUE_COLUMNS) => t.where(index, k);
    const fund = fundCode(t.value(row, 'fund'), fundLength);
    if (!ctx.validator.lookup(fundKey, fund)) diagnostics.push(diag('BL723', { fund }, at('fund')));
    const source = t.text(row, 'source');
    const sourceClass = ctx.classes.classOfSource(source);
    const entry = sourceEntry(ctx, source);
    if (!entry || (sourceClass !== 'revenue' && sourceClass !== 'otherSource'))
      diagnostics.push(diag('BL724', { source, list: sourceList }, at('source')));
    const basisText = t.text(row, 'basis');
    const basis = readRevenueBasis(basisText);
    let prior: Cents | undefined;
    if (t.has('prior') && !t.blank(row, 'prior')) {
      const p = parseMoney(t.value(row, 'prior'), at('prior'), 'prior-year actual');
      if (p.ok) prior = p.value;
      else diagnostics.push(p.diagnostic);
    }
    const restricted = parseYesNo(t.value(row, 'restricted'), at('restricted'), 'Restricted');
    if (!restricted.ok) diagnostics.push(restricted.diagnostic);
    let cents: Cents | undefined;
    let explained = 'typed';
    let rateCount: { rateCents: Cents; countMilli: number } | undefined;
    if (basis === undefined)
      diagnostics.push(diag('BL725', { problem: `the basis "${basisText}" is not understood` }, at('basis')));
    else if (basis === 'typed') {
      const e = parseMoney(t.value(row, 'estimate'), at('estimate'), 'estimate');
      if (e.ok) cents = e.value;
      else diagnostics.push(e.diagnostic);
    } else if (basis === 'rule') {
      const rule = t.text(row, 'rule');
      const names = rule
        .split(/[,;]/)
        .map((x) => x.trim())
        .filter(Boolean);
      const missing = names.find((n) => !ctx.ruleTotals.has(n));
      const total =
        names.length && missing === undefined
          ? names.reduce((n, x) => n + (ctx.ruleTotals.get(x) ?? 0), 0)
          : undefined;
      if (total === undefined)
        diagnostics.push(
          diag(
            'BL725',
            {
              problem: rule
                ? `the Formula has no rule "${missing ?? rule}" that allocates to a site`
                : 'the basis is a Formula rule but Rule is blank',
            },
            at('rule'),
          ),
        );
      else {
        cents = total;
        explained = `Formula rule${names.length > 1 ? 's' : ''} ${names.join(', ')}`;
      }
    } else {
      const rate = parseMoney(t.value(row, 'rate'), at('rate'), 'rate');
      if (!rate.ok) diagnostics.push(rate.diagnostic);
      let countMilli: number | undefined;
      if (!t.blank(row, 'count')) {
        const c = parseMilli(t.value(row, 'count'), at('count'), basis === 'ada' ? 'ADA' : 'enrollment');
        if (c.ok) countMilli = c.value;
        else diagnostics.push(c.diagnostic);
      } else if (basis === 'enrollment') countMilli = ctx.enrollment * 1000;
      else
        diagnostics.push(
          diag('BL725', { problem: 'the basis is rate × ADA but Count (the ADA) is blank' }, at('count')),
        );
      if (rate.ok && countMilli !== undefined) {
        cents = mulDivRound(rate.value, countMilli, 1000);
        rateCount = { rateCents: rate.value, countMilli };
        const count = (countMilli / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 });
        explained = `${formatCents(rate.value)} × ${count} ${basis === 'ada' ? 'ADA' : 'enrollment'}`;
      }
    }
    if (cents !== undefined && basis !== 'typed' && !t.blank(row, 'estimate')) {
      const typed = parseMoney(t.value(row, 'estimate'), at('estimate'), 'estimate');
      if (typed.ok && typed.value !== cents)
        diagnostics.push(
          diag('BL726', { typed: formatCents(typed.value), computed: formatCents(cents) }, at('estimate')),
        );
    }
    if (cents === undefined || diagnostics.slice(before).some((d) => d.severity === 'fatal')) continue;
    const description = t.text(row, 'description') || entry?.description || '';
    rows.push({
      fund,
      source,
      class: sourceClass === 'otherSource' ? 'otherSource' : 'revenue',
      cents,
      ...(prior !== undefined ? { priorCents: prior } : {}),
      ...(description ? { description } : {}),
      restricted: restricted.ok && restricted.value,
      basis: explained,
      ...(rateCount ?? {}),
      where: at('estimate'),
    });
  }
  return { rows, diagnostics };
}

/** The Fund Balances table: beginning balance by fund (blank rows are left to the ledger). */
export function readFundBalances(
  grid: Grid,
  validator: Pick<Validator, 'lookup' | 'chart'>,
  options: TableOptions & { readonly fundSegment?: string } = {},
): { balances: Map<string, BeginningBalance>; diagnostics: Diagnostic[] } {
  const t = openTable(grid, FUND_BALANCE_COLUMNS, 'Fund Balances', options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const balances = new Map<string, BeginningBalance>();
  const fundKey = options.fundSegment ?? 'fund';
  const fundLength = validator.chart.segments.find((s) => s.key === fundKey)?.length;
  for (const { row, index } of t.rows) {
    const fund = fundCode(t.value(row, 'fund'), fundLength);
    const where = t.where(index, 'fund');
    if (!validator.lookup(fundKey, fund)) {
      diagnostics.push(diag('BL728', { fund, problem: 'not a fund of the chart' }, where));
      continue;
    }
    if (balances.has(fund)) {
      diagnostics.push(diag('BL728', { fund, problem: 'listed twice' }, where));
      continue;
    }
    if (isBlank(t.value(row, 'beginning'))) continue;
    const m = parseMoney(t.value(row, 'beginning'), t.where(index, 'beginning'), 'beginning balance');
    if (!m.ok) diagnostics.push(m.diagnostic);
    else balances.set(fund, { cents: m.value, where: t.where(index, 'beginning') });
  }
  return { balances, diagnostics };
}
