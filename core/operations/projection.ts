/**
 * projection: the budget year and the two years after it, per fund, from the district workbook's
 * lines, Revenues, Fund Balances and Assumptions tables. A plan with one read and no write (the host
 * shows the tables, the command line prints them or --json).
 */
import { compileClasses } from '../accounts/classes';
import type { Validator } from '../accounts/api';
import type { Cents } from '../money';
import { budgetOf, readWorkbook, siteSheetsOf, type Workbook } from '../workbook/read';
import { diag, type Diagnostic } from '../diagnostics';
import type { Snapshot } from '../port/types';
import { consolidate as rollUp } from '../rollup/consolidate';
import { fundJson, type FundJson, type ReservePolicy } from '../rollup/funds';
import { project, readAssumptions, type Assumption, type ProjectionChange } from '../rollup/projection';
import type { ReportTable } from '../rollup/table';
import { SHEETS } from '../workbook/layout';
import { proposalEffects, type Proposal } from '../proposals';
import { acceptedInBudget, addsPosition } from './proposal-budget';
import type { Operation, OperationResult, UnapprovedChoice } from './api';
import { plural, refuse, result } from './common';
import { adoptedFinal, withAmendments, type BudgetBasis } from './final';
import { districtFunds, type DistrictFunds } from './funds';

export interface ProjectionYearJson {
  readonly fiscalYear: number;
  readonly funds: readonly FundJson[];
  readonly district: FundJson;
}

export interface ProjectionResult extends OperationResult {
  readonly years?: readonly ProjectionYearJson[];
  readonly changes?: readonly ProjectionChange[];
  readonly tables?: readonly ReportTable[];
  /** The Setup reserve policy each year was checked against, when there is one. */
  readonly reservePolicy?: ReservePolicy;
  /** After adoption: which budget the budget year is (the final budget, as consolidate's). */
  readonly budget?: BudgetBasis;
}

export const projection: Operation<{ readonly unapproved?: UnapprovedChoice }, ProjectionResult> = {
  name: 'projection',
  reads: () => ({ sheets: 'all', state: true }),
  run: (snap, args) => ({ result: projectionOf(snap, args) }),
};

/** What a projection starts from: the budget year's ledger, its fund summary and the Assumptions rows. */
export interface ProjectionBase {
  readonly wb: Workbook;
  readonly validator: Validator;
  readonly fiscalYear: number;
  /** The consolidated lines by account, with the part marked one-time and the FTE (thousandths). */
  readonly ledger: readonly { account: string; cents: Cents; fte: number; oneTimeCents?: Cents }[];
  readonly funds: DistrictFunds;
  readonly assumptions: readonly Assumption[];
  /**
   * Accepted proposals whose lines are in the ledger (on included sites' sheets): their budget-year
   * amounts are in `ledger`, and a recurring one's later amounts are in `assumptions`.
   */
  readonly inBudget: readonly Proposal[];
  /** After adoption: the budget year is the final budget (adopted lines + applied amendments). */
  readonly budget?: BudgetBasis;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The base of the projection (and of scenarios): the consolidated ledger, the fund summary and the
 * Assumptions rows, or a refusal when the workbook cannot give one.
 */
export function projectionBase(
  snap: Snapshot,
  unapproved: UnapprovedChoice,
  what = 'projection',
): ProjectionBase | { refused: OperationResult } {
  const wb = readWorkbook(snap);
  const validator = wb.validator;
  if (!validator || !wb.setup)
    return { refused: refuse(wb.diagnostics, `No ${what}: the chart of accounts cannot be read.`) };
  if (!validator.chart.classes?.length)
    return {
      refused: refuse(
        [
          diag('BL729', {
            problem: 'the chart has no Classes table, so revenues and expenditures cannot be told apart',
          }),
        ],
        `No ${what}: the chart says nothing about which codes are revenues and expenditures.`,
      ),
    };
  // After adoption the budget year is the final budget, the Master Budget's (final.ts).
  const adopted = adoptedFinal(snap, wb);
  if (adopted.refused)
    return {
      refused: refuse(
        adopted.refused,
        `No ${what}: the adopted budget and its amendments cannot be trusted as they stand (see below).`,
      ),
    };
  const sheets = withAmendments(siteSheetsOf(wb, snap), adopted.final);
  const c = rollUp(
    sheets.flatMap((s) => s.ledger),
    wb.sites.map((s) => ({ site: s.code, name: s.name, state: budgetOf(wb.state, s.code).state })),
    { accounts: validator, unapproved },
  );
  // The budget year's one-time lines, by account (they drop off in the first projected year).
  const included = new Set(
    unapproved === 'exclude'
      ? wb.sites.filter((s) => budgetOf(wb.state, s.code).state === 'approved').map((s) => s.code)
      : wb.sites.map((s) => s.code),
  );
  const oneTime = new Map<string, number>();
  for (const s of sheets)
    if (included.has(s.site.code))
      for (const l of s.lines)
        if (l.oneTime) oneTime.set(l.account, (oneTime.get(l.account) ?? 0) + l.amount);
  // Accepted proposals in the budget: their lines hold the budget year's amounts; the staff they add
  // or cut on a Line (a line carries no FTE) is counted on its account here. Staff that went in as a
  // Position row (addsPosition) is in the ledger already, cost and FTE: counted once.
  const inBudget = acceptedInBudget(wb, snap, validator, included);
  const proposalFte = new Map<string, number>();
  for (const p of inBudget)
    for (const l of p.lines)
      if (!addsPosition(p, l))
        proposalFte.set(
          l.account,
          (proposalFte.get(l.account) ?? 0) + (p.type === 'reduction' ? -l.fte : l.fte),
        );
  const ledger = [...c.byAccount].map(([account, a]) => ({
    account,
    cents: a.cents,
    fte: a.fte + (proposalFte.get(account) ?? 0),
    ...(oneTime.has(account) ? { oneTimeCents: oneTime.get(account) as number } : {}),
  }));
  const funds = districtFunds(wb, snap, ledger);
  if (!funds) return { refused: refuse(wb.diagnostics, `No ${what}: the chart has no account classes.`) };
  const grid = snap.sheets[SHEETS.assumptions];
  const assumptions = grid
    ? readAssumptions(grid, { fiscalYear: wb.setup.fiscalYear, validator }, { sheet: SHEETS.assumptions })
    : { rows: [], diagnostics: [] };
  // Accepted proposals in the budget: a recurring one's amounts in the years after (its lines hold
  // the budget year's).
  const later = proposalEffects(inBudget, validator).assumptions;
  const diagnostics: Diagnostic[] = [...funds.diagnostics, ...assumptions.diagnostics];
  if (diagnostics.some((d) => d.severity === 'fatal'))
    return {
      refused: refuse(diagnostics, `No ${what}: fix the Revenues, Fund Balances or Assumptions rows named.`),
    };
  return {
    wb,
    validator,
    fiscalYear: wb.setup.fiscalYear,
    ledger,
    funds,
    assumptions: [...assumptions.rows, ...later],
    inBudget,
    ...(adopted.final ? { budget: adopted.final.basis } : {}),
    diagnostics,
  };
}

function projectionOf(snap: Snapshot, args: { readonly unapproved?: UnapprovedChoice }): ProjectionResult {
  const base = projectionBase(snap, args.unapproved ?? 'include-marked');
  if ('refused' in base) return base.refused;
  const { wb, validator, ledger, funds, assumptions } = base;
  const diagnostics: Diagnostic[] = [...base.diagnostics];
  const p = project({
    fiscalYear: base.fiscalYear,
    base: funds.summary,
    accounts: validator,
    chart: validator.chart,
    classes: compileClasses(validator.chart),
    ledger,
    revenues: funds.revenues,
    assumptions,
    ...(wb.setup?.reservePolicy ? { policy: wb.setup.reservePolicy } : {}),
  });
  diagnostics.push(...funds.summary.diagnostics, ...p.diagnostics);
  const last = p.years[p.years.length - 1];
  const deficits = (last?.funds ?? []).filter((f) => f.netChangeCents < 0).map((f) => f.fund);
  return {
    ...result(
      true,
      diagnostics,
      `Projection FY${base.fiscalYear}–FY${last?.fiscalYear ?? base.fiscalYear}: ${plural(last?.funds.length ?? 0, 'fund')}, ${plural(assumptions.length, 'assumption')} applied, ${plural(p.changes.length, 'change')} explained${deficits.length ? `; deficit spending in FY${last?.fiscalYear}: fund ${deficits.join(', ')}` : ''}.${base.budget ? ` Budget year: the ${base.budget.text}.` : ''}`,
    ),
    years: p.years.map((y) => ({
      fiscalYear: y.fiscalYear,
      funds: y.funds.map(fundJson),
      district: fundJson(y.district),
    })),
    changes: p.changes,
    tables: [...funds.summary.tables, ...p.tables],
    ...(wb.setup?.reservePolicy ? { reservePolicy: wb.setup.reservePolicy } : {}),
    ...(base.budget ? { budget: base.budget } : {}),
  };
}
