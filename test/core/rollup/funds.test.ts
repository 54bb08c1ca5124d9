import fc from 'fast-check';
import {
  compileChart,
  compileClasses,
  consolidate,
  fundSummary,
  loadPreset,
  readFundBalances,
  readRevenues,
  readRevenueBasis,
  type CellValue,
  type Diagnostic,
  type LedgerLine,
  type ReportTable,
  type Validator,
} from '../../../core';

const CA = compileChart(loadPreset('california'), 2022);
const TX = compileChart(loadPreset('texas'), 2027);
const NCES = compileChart(loadPreset('nces'), 2027);

// California: fund(2) resource(4) projectYear(1) goal(4) function(4) object(4)
const ca = (fund: string, fn: string, obj: string, resource = '0000'): string =>
  `${fund}${resource}0${'0000'}${fn}${obj}`;
// Texas: fund-function-object-subObject-organization-fiscalYear-programIntent-local
const tx = (fund: string, fn: string, obj: string, pic = '11'): string =>
  `${fund}-${fn}-${obj}-00-001-7-${pic}-000`;

const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);
const table = (ts: readonly ReportTable[], name: string): ReportTable => {
  const t = ts.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};
const lines = (xs: [string, number][]) => xs.map(([account, cents]) => ({ account, cents }));

function summaryOf(v: Validator, ledger: { account: string; cents: number }[], extra = {}) {
  return fundSummary({ accounts: v, chart: v.chart, ledger, label: 'FY2027', ...extra });
}

describe('fund summary: the fund-balance identity', () => {
  // A California general fund that obeys the identity:
  // 1,000,000 + 20,000 (audit adjustment) + 5,000,000 + 100,000 (transfer in) + 0 (contributions
  // 300,000 and −300,000 between resources) − 4,000,000 − 250,000 (other outgo) − 200,000 (transfer out)
  // = 1,670,000; the reserve is 1,670,000 / 4,250,000 = 39.29% of expenditures.
  const ledger = lines([
    [ca('01', '0000', '9791'), 1_000_000_00],
    [ca('01', '0000', '9793'), 20_000_00],
    [ca('01', '0000', '8011'), 3_000_000_00],
    [ca('01', '0000', '8290'), 2_000_000_00],
    [ca('01', '0000', '8919'), 100_000_00],
    [ca('01', '0000', '8980'), -300_000_00],
    [ca('01', '0000', '8980', '3010'), 300_000_00],
    [ca('01', '1000', '1100'), 2_500_000_00],
    [ca('01', '1000', '1100'), 500_000_00], // two lines on one account are summed
    [ca('01', '1000', '3101'), 600_000_00],
    [ca('01', '2700', '4300'), 400_000_00],
    [ca('01', '9200', '7438'), 250_000_00],
    [ca('01', '0000', '7619'), 200_000_00],
    [ca('01', '0000', '9110'), 9_999_999_00], // balance sheet: not in the operating statement
    [ca('01', '0000', '979Z'), 1_670_000_00],
  ]);

  test('California: every class in its place, the computed ending balance equals 979Z', () => {
    const s = summaryOf(CA, ledger);
    expect(s.diagnostics).toEqual([]);
    expect(s.funds).toHaveLength(1);
    expect(s.funds[0]).toMatchObject({
      fund: '01',
      name: 'General Fund/County School Service Fund',
      revenuesCents: 5_000_000_00,
      otherSourcesCents: 100_000_00,
      contributionsCents: 0,
      expendituresCents: 4_250_000_00,
      otherUsesCents: 200_000_00,
      netChangeCents: 650_000_00,
      beginningBalanceCents: 1_000_000_00,
      adjustmentsCents: 20_000_00,
      endingBalanceCents: 1_670_000_00,
      recordedEndingCents: 1_670_000_00,
      beginningFrom: 'ledger',
      reservePercent: 39.29,
    });
    expect(s.funds[0]?.expendituresByClass.map((c) => [c.code, c.name, c.cents])).toEqual([
      ['1000', 'objects 1000–1999', 3_000_000_00],
      ['3000', 'objects 3000–3999', 600_000_00],
      ['4000', 'objects 4000–4999', 400_000_00],
      ['7000', 'objects 7000–7999', 250_000_00],
    ]);
  });

  test('a ledger whose 979Z is a cent off is a finding naming the fund and the amount', () => {
    const off = ledger.map((l) => (l.account.endsWith('979Z') ? { ...l, cents: l.cents + 1 } : l));
    const s = summaryOf(CA, off);
    const d = s.diagnostics.filter((x) => x.code === 'BL722');
    expect(d).toHaveLength(1); // the fund (the district's ending line is the funds' added up)
    expect(d[0]?.severity).toBe('fatal');
    expect(d[0]?.message).toContain('fund 01 (General Fund/County School Service Fund)');
    expect(d[0]?.message).toContain('by -$0.01');
  });

  test('the Fund summary table never adds revenues to expenditures', () => {
    const t = table(summaryOf(CA, ledger).tables, 'Fund summary');
    expect(t.header).toEqual([
      'Fund',
      'Name',
      'Revenues',
      'Other sources',
      'Contributions',
      'Expenditures',
      'Other uses',
      'Net change',
      'Beginning balance',
      'Adjustments',
      'Ending balance',
      'Ending balance in ledger',
      'Reserve % of expenditures',
    ]);
    expect(t.rows.at(-1)?.slice(0, 2)).toEqual(['District', 'All funds']);
  });
});

describe('fund summary: typed beginning balances, revenue estimates, reserve policy, deficit spending', () => {
  const ledger = lines([
    [tx('199', '11', '6119'), 9_000_000_00],
    [tx('199', '11', '6141'), 1_000_000_00],
    [tx('199', '00', '8911', '00'), 500_000_00],
    [tx('211', '11', '6119'), 800_000_00],
  ]);
  const revenues = [
    { fund: '199', source: '5711', class: 'revenue' as const, cents: 6_000_000_00 },
    { fund: '199', source: '5812', class: 'revenue' as const, cents: 4_000_000_00 },
    { fund: '211', source: '5929', class: 'revenue' as const, cents: 800_000_00 },
    { fund: '211', source: '7915', class: 'otherSource' as const, cents: 0 },
  ];
  const beginning = new Map([['199', { cents: 1_200_000_00 }]]);

  test('per fund and for the district, with the reserve against the policy', () => {
    const s = summaryOf(TX, ledger, {
      revenues,
      beginning,
      policy: { minimumPpm: 100_000, funds: ['199'] },
    });
    const gf = s.funds.find((f) => f.fund === '199');
    expect(gf).toMatchObject({
      revenuesCents: 10_000_000_00,
      expendituresCents: 10_000_000_00,
      otherUsesCents: 500_000_00,
      netChangeCents: -500_000_00,
      beginningBalanceCents: 1_200_000_00,
      beginningFrom: 'typed',
      endingBalanceCents: 700_000_00,
      reservePercent: 7,
    });
    expect(s.district).toMatchObject({
      fund: 'District',
      revenuesCents: 10_800_000_00,
      expendituresCents: 10_800_000_00,
      endingBalanceCents: 700_000_00,
      reservePercent: 6.48,
    });
    // 10% of 10,000,000 is 1,000,000: short by 300,000; the district: 1,080,000 − 700,000.
    const d = s.diagnostics.map((x) => [x.code, x.severity, x.message]);
    expect(d).toEqual([
      ['BL721', 'warning', expect.stringContaining('fund 199 (General Fund) spends $500,000.00 more')],
      ['BL720', 'warning', expect.stringContaining('short by $300,000.00')],
      ['BL721', 'warning', expect.stringContaining('the district (all funds)')],
      ['BL720', 'warning', expect.stringContaining('short by $380,000.00')],
    ]);
    expect(d[1]?.[2]).toContain('7% of expenditures, below the reserve policy of 10%');
  });

  test('no policy, no reserve findings; a fund in balance, no deficit finding', () => {
    const s = summaryOf(TX, lines([[tx('211', '11', '6119'), 800_000_00]]), { revenues: revenues.slice(2) });
    expect(s.diagnostics).toEqual([]);
    expect(s.funds.map((f) => [f.fund, f.netChangeCents, f.endingBalanceCents])).toEqual([['211', 0, 0]]);
  });

  test('accounts no Classes row matches are counted in a warning, not silently dropped', () => {
    const s = summaryOf(TX, lines([[tx('199', '00', '7100', '00'), 123_45]]));
    expect(codes(s.diagnostics)).toEqual(['BL727']);
    expect(s.diagnostics[0]?.message).toContain('$123.45');
  });
});

describe('the Revenues table', () => {
  const header: CellValue[] = [
    'Fund',
    'Source',
    'Description',
    'Restricted',
    'Prior year actual',
    'Basis',
    'Rate',
    'Count',
    'Rule',
    'Estimate',
  ];
  const ctx = (v: Validator) => ({
    validator: v,
    classes: compileClasses(v.chart),
    enrollment: 24_902,
    ruleTotals: new Map([['TITLE-I', 1_929_300_00]]),
  });

  test('NCES: revenue sources from their own list; typed, rate × enrollment, rate × ADA and Formula-rule bases', () => {
    const r = readRevenues(
      [
        header,
        ['100', '1100', '', 'No', 31_000_000, 'typed', null, null, null, 32_500_000],
        ['100', '3100', 'State aid', 'No', 180_000_000, 'rate × enrollment', 7450, null, null, null],
        ['100', '3100', 'State aid (ADA)', 'No', null, 'rate x ADA', '7,450.00', 23_456.5, null, null],
        ['210', '4500', 'Title I', 'Yes', null, 'Formula rule', null, null, 'TITLE-I', null],
        ['100', '5200', 'Transfer in', 'No', null, '', null, null, null, 1000],
      ],
      ctx(NCES),
      { sheet: 'Revenues' },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.map((x) => [x.fund, x.source, x.class, x.cents, x.basis, x.restricted])).toEqual([
      ['100', '1100', 'revenue', 32_500_000_00, 'typed', false],
      ['100', '3100', 'revenue', 185_519_900_00, '$7,450.00 × 24,902 enrollment', false],
      ['100', '3100', 'revenue', 174_750_925_00, '$7,450.00 × 23,456.5 ADA', false],
      ['210', '4500', 'revenue', 1_929_300_00, 'Formula rule TITLE-I', true],
      ['100', '5200', 'otherSource', 1000_00, 'typed', false],
    ]);
    expect(r.rows[0]?.description).toBe('Taxes Levied/Assessed by the School District');
    expect(r.rows[0]?.priorCents).toBe(31_000_000_00);
    expect(r.rows[1]).toMatchObject({ rateCents: 7450_00, countMilli: 24_902_000 });
  });

  test('every problem is a finding on its cell, and the row is left out', () => {
    const r = readRevenues(
      [
        header,
        ['012', '1100', '', '', null, 'typed', null, null, null, 5],
        ['100', '110', 'an object, not a source', '', null, 'typed', null, null, null, 5],
        ['100', '3100', '', '', null, 'by feel', null, null, null, 5],
        ['100', '3100', '', '', null, 'rate × ADA', 100, null, null, null],
        ['100', '3100', '', '', null, 'rule', null, null, 'NO-RULE', null],
        ['100', '3100', '', '', null, 'typed', null, null, null, null],
        ['100', '3100', '', 'perhaps', null, 'rate × enrollment', 10, 100, null, 999],
      ],
      ctx(NCES),
      { sheet: 'Revenues' },
    );
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL723', 'A2'],
      ['BL724', 'B3'],
      ['BL725', 'F4'],
      ['BL725', 'H5'],
      ['BL725', 'I6'],
      ['BL401', 'J7'],
      ['BL418', 'D8'],
      ['BL726', 'J8'],
    ]);
    expect(r.rows).toEqual([]);
  });

  test('California: object codes are the sources; a fund typed as the number 1 is fund 01', () => {
    const r = readRevenues(
      [
        header,
        [1, '8011', '', '', null, 'typed', null, null, null, 100],
        ['01', '1100', '', '', null, '', null, null, null, 1],
      ],
      ctx(CA),
    );
    expect(r.rows.map((x) => [x.fund, x.source, x.description])).toEqual([
      ['01', '8011', 'LCFF State Aid - Current Year'],
    ]);
    expect(codes(r.diagnostics)).toEqual(['BL724']);
  });

  test('basis names', () => {
    expect(
      ['', 'Typed', 'Rate × Enrollment', 'rate x ADA', 'Formula rule', 'guess'].map(readRevenueBasis),
    ).toEqual(['typed', 'typed', 'enrollment', 'ada', 'rule', undefined]);
  });
});

describe('the Fund Balances table', () => {
  test('typed balances by fund; blank rows left to the ledger; unknown and repeated funds are findings', () => {
    const r = readFundBalances(
      [
        ['Fund', 'Name', 'Beginning balance'],
        ['199', 'General', '1,200,000.00'],
        ['211', 'Title I', null],
        ['199', 'again', 5],
        ['999', 'nope', 5],
        ['240', 'Food', 'lots'],
      ],
      TX,
      { sheet: 'Fund Balances' },
    );
    expect([...r.balances].map(([f, b]) => [f, b.cents])).toEqual([['199', 1_200_000_00]]);
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL728', 'A4'],
      ['BL728', 'A5'],
      ['BL403', 'C6'],
    ]);
  });
});

describe('control totals compare like with like', () => {
  test('per class: revenues with revenues, expenditures with expenditures; no total across classes', () => {
    const l: LedgerLine[] = [
      { site: 'A', account: tx('199', '11', '6119'), cents: 100_00, description: '' },
      { site: 'A', account: tx('199', '00', '5711', '00'), cents: 40_00, description: '' },
      { site: 'B', account: tx('199', '11', '6399'), cents: 7_00, description: '' },
    ];
    const c = consolidate(
      l,
      [
        { site: 'A', state: 'approved' },
        { site: 'B', state: 'approved' },
      ],
      { accounts: TX, unapproved: 'exclude' },
    );
    expect(c.control.byClass).toEqual([
      { class: 'revenue', label: 'Revenue', masterCents: 40_00, sitesCents: 40_00 },
      { class: 'expenditure', label: 'Expenditure', masterCents: 107_00, sitesCents: 107_00 },
    ]);
    expect(table(c.tables, 'Control totals').rows).toEqual([
      ['Revenue', 40, 40, 'agree'],
      ['Expenditure', 107, 107, 'agree'],
      ['Result', null, null, 'Totals agree'],
    ]);
  });
});

describe('the fund-balance identity holds for any ledger (property)', () => {
  test('ending = beginning + adjustments + revenues + sources + contributions − expenditures − uses; district = Σ funds', () => {
    const objects = ['9791', '9793', '8011', '8590', '8919', '8980', '1100', '4300', '7438', '7619', '9110'];
    const entry = fc.record({
      fund: fc.constantFrom('01', '13', '21'),
      object: fc.constantFrom(...objects),
      cents: fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
        const s = summaryOf(
          CA,
          entries.map((e) => ({
            account: ca(e.fund, e.object < '8000' ? '1000' : '0000', e.object),
            cents: e.cents,
          })),
        );
        for (const f of s.funds)
          expect(f.endingBalanceCents).toBe(
            f.beginningBalanceCents +
              f.adjustmentsCents +
              f.revenuesCents +
              f.otherSourcesCents +
              f.contributionsCents -
              f.expendituresCents -
              f.otherUsesCents,
          );
        for (const k of [
          'revenuesCents',
          'expendituresCents',
          'endingBalanceCents',
          'netChangeCents',
        ] as const)
          expect(s.district[k]).toBe(s.funds.reduce((n, f) => n + f[k], 0));
        expect(s.diagnostics.filter((d) => d.code === 'BL727')).toEqual([]);
        // Balance-sheet lines (9110 cash) change no figure of the operating statement.
        const without = summaryOf(
          CA,
          entries
            .filter((e) => e.object !== '9110')
            .map((e) => ({
              account: ca(e.fund, e.object < '8000' ? '1000' : '0000', e.object),
              cents: e.cents,
            })),
        );
        expect(without.funds.map((f) => [f.fund, f.endingBalanceCents])).toEqual(
          s.funds
            .filter((f) => without.funds.some((w) => w.fund === f.fund))
            .map((f) => [f.fund, f.endingBalanceCents]),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('the Master Budget never adds revenues to expenditures', () => {
  test('segment, site × fund, per-pupil tables cover expenditures; the comparison totals each class', () => {
    const l: LedgerLine[] = [
      { site: 'A', account: tx('199', '11', '6119'), cents: 100_00, description: '' },
      { site: 'A', account: tx('199', '00', '5711', '00'), cents: 40_00, description: '' },
      { site: 'B', account: tx('211', '11', '6399'), cents: 7_00, description: '' },
    ];
    const c = consolidate(
      l,
      [
        { site: 'A', state: 'approved', enrollment: 10 },
        { site: 'B', state: 'approved', enrollment: 7 },
      ],
      {
        accounts: TX,
        unapproved: 'exclude',
        priorYear: [
          { account: tx('199', '11', '6119'), cents: 90_00 },
          { account: tx('199', '00', '5711', '00'), cents: 50_00 },
        ],
      },
    );
    const fundRows = table(c.tables, 'Totals by Fund (expenditures)').rows;
    expect(fundRows.find((r) => r[0] === '199')?.[3]).toBe(100);
    expect(fundRows.find((r) => r[0] === '211')?.[3]).toBe(7);
    // the revenue line's object is not in the expenditure tables
    expect(table(c.tables, 'Totals by Object (expenditures)').rows.map((r) => r[0])).not.toContain('5711');
    expect(table(c.tables, 'Totals by Object (expenditures)').rows.map((r) => r[0])).toContain('6119');
    expect(table(c.tables, 'Site × Fund (expenditures)').rows).toEqual([
      ['A', '', 'approved', 100, 0, 100],
      ['B', '', 'approved', 0, 7, 7],
      ['Total', '', '', 100, 7, 107],
    ]);
    expect(table(c.tables, 'Per pupil (expenditures)').rows.at(-1)).toEqual([
      'District',
      '',
      17,
      107,
      107 / 17,
    ]);
    expect(table(c.tables, 'Comparison').rows.slice(-2)).toEqual([
      ['Total revenue', 50, null, 40, -10, null],
      ['Total expenditure', 90, null, 107, 17, null],
    ]);
  });
});
