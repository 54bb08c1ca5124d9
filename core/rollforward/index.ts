/**
 * Roll-forward: next year's budget from this year's.
 *
 * Lines are copied except one-time lines (returned in `dropped`); positions get the salary increase
 * (actual salaries and job types' average salaries, each rounded once to the cent, half away from
 * zero) and are re-priced; the fiscal-year segment moves to the next year where the chart has one;
 * every account is re-validated against next year's codes. An account that is not valid next year
 * (a retired code) is a finding (BL422) and the line is kept: never a silent drop.
 */
import type { Where } from '../cells';
import type { Validator } from '../accounts/api';
import { diag, type Diagnostic } from '../diagnostics';
import { mulDivRound } from '../money';
import type { BudgetLine, Position, SplitPiece } from '../budget/lines';
import { splitCost } from '../budget/lines';
import { costOf, type JobType, type Staffing } from '../budget/staffing';
import { PPM, type Ppm } from '../budget/units';
import { fiscalYearLabel } from '../accounts/chart-load';

export interface RollForwardInput {
  readonly lines: readonly BudgetLine[];
  readonly positions: readonly Position[];
  readonly staffing: Staffing;
}

export interface RollForwardOptions {
  /** Next year's compiled chart (compileChart(chart, fiscalYear + 1)). */
  readonly next: Validator;
  /** Salary increase, parts per million (30_000 = 3%). */
  readonly salaryIncrease: Ppm;
}

export interface RollForwardResult {
  readonly lines: BudgetLine[];
  readonly positions: Position[];
  readonly jobTypes: JobType[];
  readonly staffing: Staffing;
  /** One-time lines not carried forward. */
  readonly dropped: BudgetLine[];
  readonly diagnostics: Diagnostic[];
}

/** Moves an account's fiscal-year segment to `next`'s year and checks it there. */
export function moveAccount(
  segments: readonly string[],
  next: Validator,
  where: Where,
): { account: string; segments: string[]; diagnostics: Diagnostic[] } {
  const segs = [...segments];
  const fy = next.chart.segments.findIndex((s) => s.role === 'fiscalYear');
  if (fy >= 0) {
    const len = (next.chart.segments[fy] as { length: number }).length;
    segs[fy] = String(next.fiscalYear).slice(-len).padStart(len, '0');
  }
  const account = next.format(segs);
  const check = next.check(account, where);
  const fatal = check.diagnostics.filter((d) => d.severity === 'fatal');
  const diagnostics: Diagnostic[] = [];
  if (fatal.length)
    diagnostics.push(
      diag(
        'BL422',
        {
          account,
          fiscalYear: fiscalYearLabel(next.fiscalYear),
          problem: fatal.map((d) => d.message).join('; '),
        },
        {
          ...where,
          value: account,
          ...(fatal[0]?.segment ? { segment: fatal[0].segment } : {}),
          ...(fatal[0]?.span ? { span: fatal[0].span } : {}),
        },
      ),
    );
  return { account, segments: segs, diagnostics };
}

const raise = (cents: number, ppm: Ppm): number => mulDivRound(cents, PPM + ppm, PPM);

export function rollForward(input: RollForwardInput, options: RollForwardOptions): RollForwardResult {
  const { next, salaryIncrease } = options;
  const diagnostics: Diagnostic[] = [];
  const lines: BudgetLine[] = [];
  const dropped: BudgetLine[] = [];
  for (const l of input.lines) {
    if (l.oneTime) {
      dropped.push(l);
      continue;
    }
    const m = moveAccount(l.segments, next, l.where);
    diagnostics.push(...m.diagnostics);
    lines.push({ ...l, account: m.account, segments: m.segments });
  }
  const jobTypes: JobType[] = [...input.staffing.jobTypes.values()].map((j) => ({
    ...j,
    averageSalary: raise(j.averageSalary, salaryIncrease),
  }));
  const staffing: Staffing = {
    jobTypes: new Map(jobTypes.map((j) => [j.code, j])),
    packages: input.staffing.packages,
  };
  const positions: Position[] = [];
  for (const p of input.positions) {
    const split: SplitPiece[] = p.split.map((s) => {
      const m = moveAccount(s.segments, next, s.where);
      diagnostics.push(...m.diagnostics);
      return { ...s, account: m.account, segments: m.segments };
    });
    const salary = p.salary !== undefined ? raise(p.salary, salaryIncrease) : undefined;
    const job = p.jobType !== undefined ? staffing.jobTypes.get(p.jobType) : undefined;
    const annual = salary ?? job?.averageSalary ?? 0;
    const pkgCode = p.benefitsPackage ?? job?.benefits;
    const cost = costOf(annual, p.fte, pkgCode !== undefined ? staffing.packages.get(pkgCode) : undefined);
    const { salary: _old, ...rest } = p;
    positions.push({
      ...rest,
      ...(salary !== undefined ? { salary } : {}),
      split,
      cost,
      pieces: splitCost(cost, p.fte, split),
    });
  }
  return { lines, positions, jobTypes, staffing, dropped, diagnostics };
}
export * from './cost-changes';
