import fc from 'fast-check';
import {
  compileChart,
  compileClasses,
  fundSummary,
  loadPreset,
  project,
  readAssumptionKind,
  readAssumptions,
  type Assumption,
  type CellValue,
  type RevenueEstimate,
} from '../../../core';

const NCES = compileChart(loadPreset('nces'), 2027);
const classes = compileClasses(NCES.chart);
const a = (fund: string, fn: string, obj: string): string => `${fund}-${fn}-${obj}-100-001`;

const LEDGER = [
  { account: a('100', '1000', '111'), cents: 1_000_000_00 },
  { account: a('100', '1000', '230'), cents: 200_000_00 },
  { account: a('100', '1000', '610'), cents: 100_000_00, oneTimeCents: 20_000_00 },
];
const REVENUES: RevenueEstimate[] = [
  {
    fund: '100',
    source: '3100',
    class: 'revenue',
    cents: 1_000_000_00,
    rateCents: 5_000_00,
    countMilli: 200_000,
  },
  { fund: '100', source: '1100', class: 'revenue', cents: 300_000_00 },
];
const POLICY = { minimumPpm: 30_000, funds: ['100'] };

const GRID: CellValue[][] = [
  ['Year', 'Assumption', 'Fund', 'Applies to', 'Value', 'Notes'],
  [null, 'Enrollment change', null, null, '-2%', 'declining births'],
  [1, 'COLA', null, null, '3%', null],
  ['FY2029', 'COLA', null, null, '2%', null],
  [null, 'Step and column', '100', '110-199', '1.5%', null],
  [1, 'Salary increase', null, '110-199', '2%', 'negotiated'],
  [1, 'Benefit rate change', null, '200-299', '5%', 'health premiums'],
  [2, 'Contract change', '100', '340', 50_000, 'new transportation contract'],
];

function run(assumptions: readonly Assumption[]) {
  const base = fundSummary({
    accounts: NCES,
    chart: NCES.chart,
    classes,
    ledger: LEDGER,
    revenues: REVENUES,
    beginning: new Map([['100', { cents: 100_000_00 }]]),
    policy: POLICY,
    label: 'FY2027',
  });
  return project({
    fiscalYear: 2027,
    base,
    accounts: NCES,
    chart: NCES.chart,
    classes,
    ledger: LEDGER,
    revenues: REVENUES,
    assumptions,
    policy: POLICY,
  });
}

describe('the Assumptions table', () => {
  test('reads each row for its year(s): blank = both projected years, 1 / 2, or the fiscal year', () => {
    const r = readAssumptions(GRID, { fiscalYear: 2027, validator: NCES }, { sheet: 'Assumptions' });
    expect(r.diagnostics).toEqual([]);
    expect(
      r.rows.map((x) => [x.year, x.kind, x.fund ?? '', x.appliesTo.join(','), x.ppm ?? x.cents]),
    ).toEqual([
      [1, 'enrollment', '', '', -20_000],
      [2, 'enrollment', '', '', -20_000],
      [1, 'cola', '', '', 30_000],
      [2, 'cola', '', '', 20_000],
      [1, 'step', '100', '110-199', 15_000],
      [2, 'step', '100', '110-199', 15_000],
      [1, 'salary', '', '110-199', 20_000],
      [1, 'benefit', '', '200-299', 50_000],
      [2, 'contract', '100', '340', 50_000_00],
    ]);
  });

  test('every problem is a finding on its cell', () => {
    const r = readAssumptions(
      [
        GRID[0] as CellValue[],
        [3, 'COLA', null, null, '1%'],
        [1, 'Weather', null, null, '1%'],
        [1, 'Step and column', null, null, '1%'],
        [1, 'Salary increase', '012', '110-199', '1%'],
        [1, 'Contract change', null, null, 'lots'],
        [1, 'COLA', null, null, '150'],
      ],
      { fiscalYear: 2027, validator: NCES },
      { sheet: 'Assumptions' },
    );
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL729', 'A2'],
      ['BL729', 'B3'],
      ['BL729', 'D4'],
      ['BL729', 'C5'],
      ['BL403', 'E6'],
      ['BL410', 'E7'],
    ]);
    expect(r.rows).toEqual([]);
  });

  test('California: a fund typed as the number 1 is fund 01', () => {
    const CA = compileChart(loadPreset('california'), 2022);
    const r = readAssumptions([GRID[0] as CellValue[], [1, 'COLA', 1, null, '2%']], {
      fiscalYear: 2022,
      validator: CA,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0]?.fund).toBe('01');
  });

  test('assumption names', () => {
    expect(
      [
        'enrollment change',
        'COLA',
        'Step & column',
        'salary increase',
        'benefit rates',
        'one-time',
        'contract change',
        'x',
      ].map(readAssumptionKind),
    ).toEqual(['enrollment', 'cola', 'step', 'salary', 'benefit', 'oneTime', 'contract', undefined]);
  });
});

describe('the multi-year projection', () => {
  const assumptions = readAssumptions(GRID, { fiscalYear: 2027, validator: NCES }).rows;
  const p = run(assumptions);
  const fund = (i: number) => p.years[i]?.funds[0];

  test('the budget year and two more; each ending balance is the next beginning balance', () => {
    expect(p.years.map((y) => y.fiscalYear)).toEqual([2027, 2028, 2029]);
    expect(
      p.years.map((y) => [
        fund(p.years.indexOf(y))?.beginningBalanceCents,
        fund(p.years.indexOf(y))?.endingBalanceCents,
      ]),
    ).toEqual([
      [100_000_00, 100_000_00],
      [100_000_00, 76_750_00],
      [76_750_00, -12_433_26],
    ]);
  });

  test('FY2028: enrollment −2% and COLA 3% on state aid; one-time supplies drop; payroll 1.5% + 2%; benefits follow and +5%', () => {
    expect(fund(1)).toMatchObject({
      revenuesCents: 1_309_400_00, // 5,150 × 196 + 300,000
      expendituresCents: 1_332_650_00, // 1,035,300 + 217,350 + 80,000
      netChangeCents: -23_250_00,
      reservePercent: 5.76,
    });
    const moved = p.changes.filter((c) => c.fiscalYear === 2028).map((c) => [c.assumption, c.cents]);
    expect(moved).toEqual([
      ['Enrollment change', -20_000_00],
      ['COLA (funding rate change)', 29_400_00],
      ['One-time item drops off', 20_000_00],
      ['Step and column', -15_000_00],
      ['Salary increase', -20_300_00],
      ['Benefits follow payroll', -7_000_00],
      ['Benefit rate change', -10_350_00],
    ]);
    // Every change of the year explains the whole movement of the net change.
    const base = fund(0)?.netChangeCents ?? 0;
    expect(base + p.changes.filter((c) => c.fiscalYear === 2028).reduce((n, c) => n + c.cents, 0)).toBe(
      fund(1)?.netChangeCents,
    );
  });

  test('FY2029: the fund deficit-spends into a negative balance, and says so', () => {
    expect(fund(2)).toMatchObject({
      revenuesCents: 1_308_996_24,
      expendituresCents: 1_398_179_50,
      netChangeCents: -89_183_26,
      reservePercent: -0.89,
    });
    const y2 = p.changes.filter((c) => c.fiscalYear === 2029);
    expect(y2.reduce((n, c) => n + c.cents, fund(1)?.netChangeCents ?? 0)).toBe(fund(2)?.netChangeCents);
    expect(y2.find((c) => c.assumption === 'Contract change')?.text).toBe(
      'Contract change $50,000.00 on 340: new transportation contract',
    );
    // FY2028's 5.76% meets the 3% policy; FY2029's −0.89% does not.
    expect(p.diagnostics.map((d) => [d.code, d.message.slice(0, 41)])).toEqual([
      ['BL721', 'fund 100 (General Fund) spends $23,250.00'],
      ['BL721', 'fund 100 (General Fund) spends $89,183.26'],
      ['BL720', 'fund 100 (General Fund): the projected en'],
    ]);
    expect(p.diagnostics[2]?.message).toContain('in FY2029 is -0.89% of expenditures');
  });

  test('no assumptions: flat years, one-time lines still drop', () => {
    const flat = run([]);
    expect(flat.years.map((y) => y.funds[0]?.expendituresCents)).toEqual([
      1_300_000_00, 1_280_000_00, 1_280_000_00,
    ]);
    expect(flat.changes.map((c) => c.assumption)).toEqual(['One-time item drops off']);
  });

  test('the report tables: the years per fund, and what moved', () => {
    expect(p.tables.map((t) => [t.name, t.rows.length])).toEqual([
      ['Multi-year projection', 6],
      ['What moved each year', p.changes.length],
    ]);
  });
});

describe('the projection explains every number (property)', () => {
  test('each year: net change = last net change + its changes; ending = beginning + net; beginning = last ending', () => {
    const pct = fc.integer({ min: -50_000, max: 80_000 });
    const row = fc.record({
      year: fc.constantFrom(1, 2),
      kind: fc.constantFrom('enrollment', 'cola', 'step', 'salary', 'benefit', 'oneTime', 'contract'),
      fund: fc.constantFrom(undefined, '100'),
      ppm: pct,
      cents: fc.integer({ min: 0, max: 100_000_00 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const assumptions: Assumption[] = rows.map((r) => {
          const percent = ['enrollment', 'cola', 'step', 'salary', 'benefit'].includes(r.kind);
          const appliesTo =
            r.kind === 'step' || r.kind === 'salary'
              ? ['110-199']
              : r.kind === 'benefit'
                ? ['200-299']
                : r.kind === 'oneTime'
                  ? ['610']
                  : r.kind === 'contract'
                    ? ['340']
                    : [];
          return {
            year: r.year,
            kind: r.kind as Assumption['kind'],
            ...(r.fund ? { fund: r.fund } : {}),
            appliesTo,
            ...(percent ? { ppm: r.ppm } : { cents: r.cents }),
          };
        });
        const p = run(assumptions);
        for (let i = 1; i < p.years.length; i++) {
          const prev = p.years[i - 1]?.funds[0];
          const cur = p.years[i]?.funds[0];
          const moved = p.changes
            .filter((c) => c.fiscalYear === p.years[i]?.fiscalYear)
            .reduce((n, c) => n + c.cents, 0);
          expect(cur?.netChangeCents).toBe((prev?.netChangeCents ?? 0) + moved);
          expect(cur?.beginningBalanceCents).toBe(prev?.endingBalanceCents);
          expect(cur?.endingBalanceCents).toBe(
            (cur?.beginningBalanceCents ?? 0) + (cur?.netChangeCents ?? 0),
          );
          for (const k of ['revenuesCents', 'expendituresCents', 'endingBalanceCents'] as const)
            expect(Number.isSafeInteger(cur?.[k])).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
