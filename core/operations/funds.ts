/**
 * The fund summary of a district workbook: the consolidated lines with the Revenues and Fund
 * Balances tables and the Setup reserve policy (shared by consolidate and projection).
 */
import { compileClasses } from '../accounts/classes';
import { computeAllocations as runFormula, readFormulaRules } from '../allocations/formulas';
import type { Grid } from '../cells';
import type { Diagnostic } from '../diagnostics';
import type { Cents } from '../money';
import type { Snapshot } from '../port/types';
import { fundSummary, type FundSummary, type RevenueEstimate } from '../rollup/funds';
import { readFundBalances, readRevenues } from '../rollup/revenues';
import { SHEETS } from '../workbook/layout';
import type { Workbook } from '../workbook/read';

/** What each Formula rule allocates to the sites this year (the Formula run over the Sites). */
function ruleTotals(wb: Workbook, formula: Grid | undefined): Map<string, Cents> {
  const totals = new Map<string, Cents>();
  if (!formula || !wb.validator) return totals;
  const sites = wb.sites.map((s) => s.site);
  const rules = readFormulaRules(formula, sites, wb.validator.chart.segments, {
    sheet: SHEETS.formula,
    fteStep: wb.setup?.settings.fteStep ?? 1,
  });
  for (const a of runFormula(sites, rules.rows, wb.staffing).allocations)
    for (const l of a.rules) totals.set(l.rule, (totals.get(l.rule) ?? 0) + l.amount);
  return totals;
}

export interface DistrictFunds {
  readonly summary: FundSummary;
  readonly revenues: readonly RevenueEstimate[];
  /** Findings of the Revenues and Fund Balances tables. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The fund summary of the consolidated ledger; undefined when the chart has no classes. */
export function districtFunds(
  wb: Workbook,
  snap: Snapshot,
  ledger: Iterable<{ readonly account: string; readonly cents: Cents }>,
): DistrictFunds | undefined {
  const validator = wb.validator;
  if (!validator || !validator.chart.classes?.length) return undefined;
  const classes = compileClasses(validator.chart);
  const diagnostics: Diagnostic[] = [];
  const revenueGrid = snap.sheets[SHEETS.revenues];
  const revenues = revenueGrid
    ? readRevenues(
        revenueGrid,
        {
          validator,
          classes,
          enrollment: wb.sites.reduce((n, s) => n + s.site.enrollment, 0),
          ruleTotals: ruleTotals(wb, snap.sheets[SHEETS.formula]),
        },
        { sheet: SHEETS.revenues },
      )
    : { rows: [], diagnostics: [] };
  diagnostics.push(...revenues.diagnostics);
  const balanceGrid = snap.sheets[SHEETS.fundBalances];
  const balances = balanceGrid
    ? readFundBalances(balanceGrid, validator, { sheet: SHEETS.fundBalances })
    : { balances: new Map(), diagnostics: [] };
  diagnostics.push(...balances.diagnostics);
  const summary = fundSummary({
    accounts: validator,
    chart: validator.chart,
    classes,
    ledger,
    revenues: revenues.rows,
    beginning: balances.balances,
    ...(wb.setup?.reservePolicy ? { policy: wb.setup.reservePolicy } : {}),
    ...(wb.setup ? { label: `FY${wb.setup.fiscalYear}` } : {}),
  });
  return { summary, revenues: revenues.rows, diagnostics };
}
