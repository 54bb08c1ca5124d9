/**
 * The forecast of the rest of the year: each method as a table, the Forecast Methods table read, and
 * the forecast operation with its estimated ending fund balances.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  FORECAST_METHODS_TABLE,
  forecast,
  explainForecast,
  forecastLines,
  gridOf,
  importActuals,
  monthsElapsed,
  operations,
  readForecastRules,
  runOperation,
  type ForecastInput,
  type ForecastRules,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { seedDistrict, SITE_001_ROWS } from '../../fixtures/district';

const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };

const input = (o: Partial<ForecastInput>): ForecastInput => ({
  site: '001',
  account: '100-1000-610-100-001',
  fund: '100',
  object: '610',
  budgetCents: 120_000,
  actualCents: 0,
  encumberedCents: 0,
  ...o,
});

/** Rules from rows of the Forecast Methods table (Applies to, Site, Method, Profile, Amount). */
function rules(rows: (string | number | null)[][]): ForecastRules {
  const grid = gridOf(FORECAST_METHODS_TABLE, ['appliesTo', 'site', 'method', 'profile', 'amount'], rows);
  const r = readForecastRules(grid, SHEETS.forecastMethods, (t) =>
    t.split('-').length === 5 ? t : undefined,
  );
  expect(r.diagnostics).toEqual([]);
  return r.rules;
}

describe('forecastLines', () => {
  it('counts months from July 1, the as-of month by its days', () => {
    expect(monthsElapsed('2027-03-31', 2027).months).toBe(9);
    expect(monthsElapsed('2026-07-15', 2027).months).toBeCloseTo(15 / 31);
    expect(monthsElapsed('2027-06-30', 2027).months).toBe(12);
  });

  it.each([
    {
      what: 'straight-line by default: 9 months of $900 → $300 more, less what is encumbered',
      rules: [],
      line: { actualCents: 90_000, encumberedCents: 10_000 },
      remainder: 20_000,
      forecast: 120_000,
      how: /^straight-line \(the default\): \$900\.00 in 9\.0 of 12 months, \$300\.00 more at that rate, less \$100\.00 encumbered$/,
    },
    {
      what: 'straight-line never forecasts a negative remainder when encumbrances exceed the run rate',
      rules: [],
      line: { actualCents: 90_000, encumberedCents: 50_000 },
      remainder: 0,
      forecast: 140_000,
      how: /^straight-line/,
    },
    {
      what: 'seasonal pay-10 (salaries by pay periods left): 8 of 10 periods (August to March) done by March 31',
      rules: [['1XX', null, 'seasonal', 'pay-10', null]],
      line: { object: '111', actualCents: 800_000, budgetCents: 120_000 },
      remainder: 200_000,
      forecast: 1_000_000,
      how: /^seasonal by pay-10 \(object 1XX\): 20% of the year's weight left/,
    },
    {
      what: 'encumbrance only: nothing beyond the open orders',
      rules: [['600-699', null, 'encumbrance only', null, null]],
      line: { actualCents: 50_000, encumberedCents: 25_000 },
      remainder: 0,
      forecast: 75_000,
      how: /^encumbrance only \(object 600-699\)/,
    },
    {
      what: "typed by the budget owner for one line wins over the object's rule",
      rules: [
        ['600-699', null, 'encumbrance only', null, null],
        ['100-1000-610-100-001', '001', 'typed', null, 1500],
      ],
      line: { actualCents: 50_000, encumberedCents: 25_000 },
      remainder: 75_000,
      forecast: 150_000,
      how: /^typed by the budget owner: \$1,500\.00 for the year$/,
    },
    {
      what: 'a "*" row is the default for lines no other row matches',
      rules: [['*', null, 'encumbrance only', null, null]],
      line: { object: '300', actualCents: 1_000 },
      remainder: 0,
      forecast: 1_000,
      how: /^encumbrance only \(every line\)/,
    },
    // No actuals yet: no run rate, so the line is forecast at its budget by straight-line and seasonal.
    {
      what: 'straight-line, no actuals yet: the budget is still to be spent, less what is encumbered',
      rules: [],
      line: { budgetCents: 120_000, encumberedCents: 20_000 },
      remainder: 100_000,
      forecast: 120_000,
      how: /^no actuals yet, forecast at its budget \(straight-line, the default\): \$1,200\.00 for the year, less \$200\.00 encumbered$/,
    },
    {
      what: 'seasonal, no actuals by March: the budget, not zero',
      rules: [['1XX', null, 'seasonal', 'pay-10', null]],
      line: { object: '111', budgetCents: 6_000_000 },
      remainder: 6_000_000,
      forecast: 6_000_000,
      how: /^no actuals yet, forecast at its budget \(seasonal by pay-10, object 1XX\): \$60,000\.00 for the year/,
    },
    {
      what: 'a reduction line (negative budget) with no actuals is forecast at its budget, not as overspent',
      rules: [],
      line: { budgetCents: -50_000 },
      remainder: -50_000,
      forecast: -50_000,
      how: /^no actuals yet, forecast at its budget/,
    },
    {
      what: 'encumbrance only, as the Forecast Methods table says, even with no actuals',
      rules: [['600-699', null, 'encumbrance only', null, null]],
      line: { budgetCents: 120_000, encumberedCents: 30_000 },
      remainder: 0,
      forecast: 30_000,
      how: /^encumbrance only \(object 600-699\)/,
    },
  ])('$what', ({ rules: rows, line, remainder, forecast: total, how }) => {
    const [f] = forecastLines([input(line)], rules(rows), '2027-03-31', 2027);
    expect(f?.remainderCents).toBe(remainder);
    expect(f?.forecastCents).toBe(total);
    expect(f?.forecastCents).toBe((f?.actualCents ?? 0) + (f?.encumberedCents ?? 0) + remainder);
    expect(f?.varianceCents).toBe((f?.budgetCents ?? 0) - total);
    expect(f && explainForecast(f)).toMatch(how);
  });

  it('reports rows it cannot use, each on its cell', () => {
    const grid = gridOf(
      FORECAST_METHODS_TABLE,
      ['appliesTo', 'site', 'method', 'profile', 'amount'],
      [
        ['610', null, 'guess', null, null],
        ['610', null, 'seasonal', '1,2,3', null],
        ['610', null, 'typed', null, 100],
        ['100-1000-610-100-001', null, 'straight-line', null, null],
      ],
    );
    const r = readForecastRules(grid, SHEETS.forecastMethods, (t) =>
      t.split('-').length === 5 ? t : undefined,
    );
    expect(r.diagnostics.map((d) => `${d.code}@${d.cell ?? ''}`)).toEqual([
      'BL847@C2',
      'BL847@D3',
      'BL847@A4',
      'BL847@B5',
    ]);
  });
});

describe('forecast operation', () => {
  it('forecasts from the Actuals and Forecast Methods tables, with ending fund balances; read-only', async () => {
    const port = new MemoryPort({ user: CFO });
    await runOperation(
      port,
      operations.createWorkbook,
      { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
      options,
    );
    seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' });
    port.setSheet('Lincoln Elementary', [[...SITE_HEADER], ...SITE_001_ROWS.map((r) => [...r])]);
    const imported = await runOperation(
      port,
      importActuals,
      {
        header: ['Account', 'Actual', 'Encumbered'],
        records: [
          ['100-1000-610-100-001', '2700', '100'],
          ['100-1000-111-100-001', '35000', ''],
        ],
        asOf: '2027-03-31',
      },
      options,
    );
    expect(imported.ok).toBe(true);
    port.setSheet(
      SHEETS.forecastMethods,
      gridOf(FORECAST_METHODS_TABLE, ['appliesTo', 'method', 'profile'], [['100-199', 'seasonal', 'pay-10']]),
    );
    port.resetCounts();
    const r = await runOperation(port, forecast, {}, options);
    expect(port.roundTrips).toEqual({ reads: 1, writes: 0 });
    expect(r.ok).toBe(true);
    expect(r.asOf).toBe('2027-03-31');
    const byAccount = new Map(r.lines?.map((l) => [l.account, l]));
    // $2,700 in 9 months → $900 more, less $100 encumbered: $3,600 forecast.
    expect(byAccount.get('100-1000-610-100-001')?.how).toMatch(
      /^straight-line \(the default\): \$2,700\.00 in 9\.0 of 12 months/,
    );
    expect(byAccount.get('100-1000-610-100-001')).toMatchObject({
      method: 'straight-line',
      forecastCents: 360_000,
    });
    // Salaries: $35,000 over 8 of 10 pay periods → $8,750 more.
    expect(byAccount.get('100-1000-111-100-001')).toMatchObject({
      method: 'seasonal',
      forecastCents: 4_375_000,
    });
    expect(r.methods).toEqual({ 'straight-line': 1, seasonal: 1 });
    expect(r.summary).toMatch(
      /^Forecast of FY2027 as of 2027-03-31: 2 lines \(1 seasonal, 1 straight-line\), 1 line forecast over budget\./,
    );
    const fund100 = r.funds?.find((f) => f.fund === '100');
    expect(fund100?.expendituresCents).toBe(
      r.lines?.filter((l) => l.fund === '100').reduce((n, l) => n + l.forecastCents, 0),
    );
    expect(fund100?.endingBalanceCents).toBe(
      (fund100?.beginningBalanceCents ?? 0) + (fund100?.netChangeCents ?? 0),
    );
  });
});
