/**
 * `bench forecast <n> lines/s`: the forecast of the rest of the year (core forecastLines) over
 * 1,000,000 lines with actuals and encumbrances, every method in use: line rules (typed), object
 * rules (seasonal pay-10 for salaries, encumbrance only for capital outlay), straight-line by default.
 * Each line's explanation is built as part of the work.
 */
import {
  FORECAST_METHODS_TABLE,
  SHEETS,
  forecastLines,
  gridOf,
  readForecastRules,
  type ForecastInput,
} from '../core';
import { bestRate, report, rng } from './util';

const LINES = 1_000_000;

export default function (): void {
  const r = rng(2027);
  const objects = ['111', '112', '211', '610', '640', '730', '320', '411'];
  const lines: ForecastInput[] = Array.from({ length: LINES }, (_, i) => {
    const object = objects[i % objects.length] as string;
    const site = String(1 + (i % 1000)).padStart(3, '0');
    const budget = Math.floor(r() * 10_000_000);
    return {
      site,
      account: `100-1000-${object}-100-${site}`,
      fund: i % 5 === 0 ? '210' : '100',
      object,
      budgetCents: budget,
      actualCents: Math.floor(budget * 0.7 * r()) - (i % 97 === 0 ? 5_000 : 0),
      encumberedCents: Math.floor(budget * 0.1 * r()),
    };
  });
  const typed = Array.from({ length: 1_000 }, (_, k) => [
    `100-1000-610-100-${String(1 + k).padStart(3, '0')}`,
    String(1 + k).padStart(3, '0'),
    'typed',
    null,
    1234.5,
  ]);
  const grid = gridOf(
    FORECAST_METHODS_TABLE,
    ['appliesTo', 'site', 'method', 'profile', 'amount'],
    [
      ...typed,
      ['1XX', null, 'seasonal', 'pay-10', null],
      ['700-799', null, 'encumbrance only', null, null],
      ['6XX', null, 'seasonal', 'utilities', null],
    ],
  );
  const rules = readForecastRules(grid, SHEETS.forecastMethods, (t) =>
    t.split('-').length === 5 ? t : undefined,
  );
  if (rules.diagnostics.length) throw new Error('forecast rules went wrong');
  let out: ReturnType<typeof forecastLines> = [];
  const rate = bestRate(lines.length, () => {
    out = forecastLines(lines, rules.rules, '2027-03-31', 2027);
  });
  const methods = new Set(out.map((l) => l.method));
  if (out.length !== LINES || methods.size !== 4) throw new Error('forecast went wrong');
  report('forecast', rate, 'lines/s');
}
