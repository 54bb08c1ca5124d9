/**
 * forecast: the current year's forecast per line (core/actuals/forecast.ts) from the budget on the
 * site sheets, the Actuals table and the Forecast Methods table, and the forecast's estimated ending
 * fund balance per fund (core/rollup/funds.ts, revenues as budgeted), reported as the budget year's
 * beginning balance. Read-only: one read, no write.
 */
import { budgetVsActual, readActuals } from '../actuals';
import {
  explainForecast,
  forecastLines,
  readForecastRules,
  type ForecastMethod,
  type LineForecast,
} from '../actuals/forecast';
import { diag, type Diagnostic } from '../diagnostics';
import type { Snapshot } from '../port/types';
import { fundJson, type FundJson } from '../rollup/funds';
import { readWorkbook, siteSheetsOf, type Workbook } from '../workbook/read';
import { SHEETS } from '../workbook/schema';
import type { Operation, OperationResult } from './api';
import { plural, refuse, result } from './common';
import { adoptedFinal, withAmendments, type BudgetBasis } from './final';
import { districtFunds, type DistrictFunds } from './funds';

export interface ForecastResult extends OperationResult {
  readonly asOf?: string;
  /** Each line's forecast, with `how` it was made in a sentence. */
  readonly lines?: readonly (LineForecast & { readonly how: string })[];
  /** Lines per method. */
  readonly methods?: Readonly<Partial<Record<ForecastMethod, number>>>;
  /** Per fund, with the forecast ending balance (= next year's beginning); absent without account classes. */
  readonly funds?: readonly FundJson[];
  readonly district?: FundJson;
  /** After adoption: the budget the forecast is compared with (the final budget, as consolidate's). */
  readonly budget?: BudgetBasis;
}

/** The forecast of a workbook's current year, for `forecast` and for roll-forward's beginning balances. */
export interface ForecastComputation {
  readonly asOf: string;
  readonly lines: readonly LineForecast[];
  readonly methods: Partial<Record<ForecastMethod, number>>;
  /** The fund summary with the forecast as expenditures; absent without account classes. */
  readonly funds?: DistrictFunds;
  /** After adoption: the final budget (adopted lines + applied amendments) the lines are compared with. */
  readonly budget?: BudgetBasis;
  readonly diagnostics: Diagnostic[];
}

/**
 * The forecast of the current year from the Actuals and Forecast Methods tables; `refused` (with its
 * findings) when there are no actuals or a table has a fatal finding.
 */
export function computeForecast(
  wb: Workbook,
  snap: Snapshot,
):
  | ForecastComputation
  | { readonly refused: Diagnostic[]; readonly tables: boolean; readonly untrusted?: true } {
  const validator = wb.validator;
  const fy = wb.setup?.fiscalYear;
  const grid = snap.sheets[SHEETS.actuals];
  if (!validator || fy === undefined || !grid)
    return {
      tables: false,
      refused: grid
        ? wb.diagnostics.filter((d) => d.severity === 'fatal')
        : [
            diag('BL801', {
              sheet: SHEETS.actuals,
              purpose: 'actuals to date: run budgetline actuals first',
            }),
          ],
    };
  const actuals = readActuals(grid, SHEETS.actuals);
  const asOf = actuals.rows.find((r) => r.asOf)?.asOf ?? '';
  // After adoption each line's budget is the final budget's, the Master Budget's (final.ts).
  const adopted = adoptedFinal(snap, wb);
  if (adopted.refused) return { refused: [...adopted.refused], tables: true, untrusted: true };
  const ledger = withAmendments(siteSheetsOf(wb, snap), adopted.final).flatMap((s) => s.ledger);
  const fundAt = validator.indexOf('fund');
  const objectAt = validator.indexOf('object');
  const report = budgetVsActual({
    ledger,
    actuals: actuals.rows,
    fundOf: (a) => (fundAt >= 0 ? (validator.split(a)?.[fundAt] ?? '') : ''),
    asOf,
  });
  const rules = readForecastRules(snap.sheets[SHEETS.forecastMethods], SHEETS.forecastMethods, (text) => {
    const c = validator.check(text);
    return c.ok && c.normalized ? c.normalized : undefined;
  });
  const diagnostics = [...actuals.diagnostics, ...rules.diagnostics];
  if (diagnostics.some((d) => d.severity === 'fatal')) return { refused: diagnostics, tables: true };
  const lines = forecastLines(
    report.lines.map((l) => ({
      ...l,
      object: objectAt >= 0 ? (validator.split(l.account)?.[objectAt] ?? '') : '',
    })),
    rules.rules,
    asOf,
    fy,
  );
  const methods: Partial<Record<ForecastMethod, number>> = {};
  for (const l of lines) methods[l.method] = (methods[l.method] ?? 0) + 1;
  const funds = districtFunds(
    wb,
    snap,
    lines.map((l) => ({ account: l.account, cents: l.forecastCents })),
  );
  if (funds) diagnostics.push(...funds.diagnostics.filter((d) => d.severity === 'fatal'));
  return {
    asOf,
    lines,
    methods,
    ...(funds ? { funds } : {}),
    ...(adopted.final ? { budget: adopted.final.basis } : {}),
    diagnostics,
  };
}

export const forecast: Operation<Record<string, never>, ForecastResult> = {
  name: 'forecast',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap) {
    const wb = readWorkbook(snap);
    const fy = wb.setup?.fiscalYear;
    const f = computeForecast(wb, snap);
    if ('refused' in f)
      return {
        result: refuse(
          f.refused,
          'untrusted' in f
            ? 'No forecast: the adopted budget and its amendments cannot be trusted as they stand (see below).'
            : !f.tables
              ? 'No forecast: the workbook needs its chart, fiscal year and actuals (budgetline actuals <workbook> <extract> --as-of <date>).'
              : 'No forecast: the Actuals or Forecast Methods table has problems to fix.',
        ),
      };
    const { asOf, lines, methods, funds, budget, diagnostics } = f;
    const over = lines.filter((l) => l.varianceCents < 0).length;
    const atBudget = lines.filter((l) => l.basis.atBudget).length;
    return {
      result: {
        ...result(
          true,
          diagnostics,
          `Forecast of FY${fy ?? ''} as of ${asOf}: ${plural(lines.length, 'line')} (${Object.entries(methods)
            .map(([m, n]) => `${n} ${m}`)
            .join(
              ', ',
            )}${atBudget ? `; ${plural(atBudget, 'line')} with no actuals yet forecast at ${atBudget === 1 ? 'its' : 'their'} budget` : ''}), ${plural(over, 'line')} forecast over budget.${funds ? ` Estimated ending fund balances become FY${(fy ?? 0) + 1}'s beginning balances.` : ''}${budget ? ` Compared with the ${budget.text}.` : ''}`,
        ),
        asOf,
        lines: lines.map((l) => ({ ...l, how: explainForecast(l) })),
        methods,
        ...(funds
          ? { funds: funds.summary.funds.map(fundJson), district: fundJson(funds.summary.district) }
          : {}),
        ...(budget ? { budget } : {}),
      },
    };
  },
};
