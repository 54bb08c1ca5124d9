/**
 * Known cost changes at roll-forward (core/rollforward/cost-changes.ts): the table's checks (each
 * finding on its own cell), each kind of change, the stated order, and exact cents.
 */
import { readLines, readPositions } from '../../../core/budget/lines';
import { costOf, readBenefits, readJobTypes, staffingOf } from '../../../core/budget/staffing';
import { splitCost } from '../../../core/budget/lines';
import { rng } from '../../../cli/demo/generate';
import { rollForward } from '../../../core/rollforward';
import {
  applyCostChanges,
  orderChanges,
  readCostChanges,
  type CostChange,
} from '../../../core/rollforward/cost-changes';
import { COST_CHANGES_TABLE, gridOf, type ColumnKey } from '../../../core/workbook/schema';
import type { CellValue } from '../../../core/cells';
import { acct, grid, tx2027, tx2028 } from '../budget/charts';

const packages = readBenefits(
  grid(
    ['Package', 'Benefit', 'Rate', 'Amount per FTE'],
    ['CERT', 'Retirement', '10%', null],
    ['CERT', 'Health', null, 10_000],
    ['CLASS', 'Retirement', '8%', null],
  ),
).rows;
const jobs = readJobTypes(
  grid(
    ['Code', 'Title', 'Average salary', 'Benefits', 'Bargaining unit'],
    ['TCH', 'Teacher', 50_000, 'CERT', 'CTA'],
    ['AIDE', 'Aide', 30_000, 'CLASS', 'CSEA'],
  ),
  packages,
);
const staffing = staffingOf(jobs.rows, packages);
const sites = [
  { code: '001', name: 'Lincoln Elementary', sheet: 'Lincoln' },
  { code: '002', name: 'Roosevelt Middle', sheet: 'Roosevelt' },
];
const ctx = { validator: tx2028, staffing, sites };

const lines = readLines(
  grid(
    ['Account', 'Description', 'Amount', 'One-time', 'Notes'],
    [acct('199', '11', '6399'), 'Supplies', 1000, 'no', null],
    [acct('199', '11', '6411'), 'Bus contract', 1234.57, 'no', 'Acme Transit, route 4'],
    [acct('199', '11', '6499'), 'Copier lease', 3333.33, 'no', null],
    [acct('199', '13', '6499'), 'Printer toner', 1666.67, 'no', null],
    [acct('199', '11', '6399'), 'Laptops', 20000, 'yes', null],
    [acct('199', '11', '6411'), 'Field trips', 5000, 'no', null],
  ),
  tx2027,
  { sheet: 'Lincoln' },
);
const positions = readPositions(
  grid(
    ['Job type', 'Employee', 'Salary', 'FTE', 'Account', 'Percent', 'Account 2', 'Percent 2'],
    ['TCH', 'Ana', 40000, 1, acct('199', '11', '6119', '24'), '60%', acct('199', '11', '6119', '23'), '40%'],
    ['TCH', null, null, 0.5, acct('199', '11', '6119'), null, null, null],
    ['AIDE', null, null, 1, acct('199', '11', '6129'), null, null, null],
  ),
  tx2027,
  staffing,
  { sheet: 'Lincoln' },
);

type Key = ColumnKey<typeof COST_CHANGES_TABLE>;
const KEYS: Key[] = [
  'id',
  'change',
  'description',
  'year',
  'appliesTo',
  'percent',
  'amount',
  'sites',
  'fund',
];
const table = (...rows: CellValue[][]): CellValue[][] => gridOf(COST_CHANGES_TABLE, KEYS, rows);

describe('the Cost Changes table', () => {
  test('the inputs are clean', () => {
    expect([...jobs.diagnostics, ...lines.diagnostics, ...positions.diagnostics]).toEqual([]);
  });

  test('reads each kind, with job types reached through their bargaining unit', () => {
    const r = readCostChanges(
      table(
        ['CC-1', 'Raise', 'CTA agreement year 2', 'FY2028', 'CTA', '3%', null, null, null],
        ['CC-2', 'step and column', 'Step movement', 2028, 'TCH', null, 1000, null, null],
        ['CC-3', 'Benefit rate', 'Retirement rate', '2027-28', 'CERT/Retirement', '1%', null, null, null],
        ['CC-4', 'benefit', 'Health premiums', 2028, 'Health', 0.05, null, '001', '199'],
        ['CC-5', 'contract', 'Acme renewal', 2028, 'vendor: Acme', '4%', null, null, null],
        ['CC-6', 'Contract', 'Copiers', 2028, '6499, 6411-6411', null, 100, null, null],
        [
          'CC-7',
          'One-time ends',
          'Field trips grant ends',
          2028,
          'vendor: field trip',
          null,
          null,
          null,
          null,
        ],
      ),
      ctx,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.map((c) => [c.id, c.kind, c.fiscalYear, c.percent, c.amount])).toEqual([
      ['CC-1', 'raise', 2028, 30_000, undefined],
      ['CC-2', 'step and column', 2028, undefined, 100_000],
      ['CC-3', 'benefit rate', 2028, 10_000, undefined],
      ['CC-4', 'benefit rate', 2028, 50_000, undefined],
      ['CC-5', 'contract', 2028, 40_000, undefined],
      ['CC-6', 'contract', 2028, undefined, 10_000],
      ['CC-7', 'one-time ends', 2028, undefined, undefined],
    ]);
    expect(r.changes[0]?.jobTypes).toEqual(new Set(['TCH']));
    expect(r.changes[3]).toMatchObject({
      sites: new Set(['001']),
      fund: '199',
      where: { sheet: 'Cost Changes', cell: 'A5' },
    });
  });

  test('each bad cell is its own finding, with the cell and what to do', () => {
    const r = readCostChanges(
      table(
        ['CC-1', 'bonus', 'Signing bonus', 2028, 'TCH', '1%', null, null, null],
        ['CC-2', 'raise', '', 2028, 'CTAA', '3%', null, null, null],
        ['CC-3', 'raise', 'Too much', 2028, 'TCH', '40%', null, null, null],
        ['CC-4', 'benefit rate', 'Dental', 2028, 'Helth', '1%', null, null, null],
        ['CC-5', 'contract', 'Buses', 2028, '6398', '2%', null, null, null],
        ['CC-6', 'contract', 'Both', 2028, '6411', '2%', 50, null, null],
        ['CC-6', 'raise', 'Repeated ID', 'next year', 'CSEA', '2%', null, 'Hoover', '198'],
        ['CC-8', 'benefit rate', 'Health by amount on a rate', 2028, 'Retirement', null, 100, null, null],
        ['CC-9', 'one-time ends', 'Ends', 2028, '', null, null, null, null],
      ),
      ctx,
    );
    const found = r.diagnostics.map((d) => `${d.code} ${d.cell ?? ''}`);
    expect(found).toEqual([
      'BL850 B2',
      'BL851 C3',
      'BL853 E3',
      'BL856 F4',
      'BL854 E5',
      'BL855 E6',
      'BL857 G7',
      'BL860 A8',
      'BL852 D8',
      'BL858 H8',
      'BL859 I8',
      'BL857 G9',
      'BL851 E10',
    ]);
    expect(r.changes).toEqual([]);
    const byCode = (code: string): string => r.diagnostics.find((d) => d.code === code)?.message ?? '(none)';
    expect(byCode('BL853')).toBe(
      'cost change CC-2 applies to "CTAA", which is neither a job type nor a bargaining unit of the Job Types table',
    );
    expect(r.diagnostics.find((d) => d.code === 'BL853')?.suggestions).toEqual(['CTA']);
    expect(byCode('BL856')).toBe('cost change CC-3: 40% is outside -10% to 25% for a raise');
    expect(r.diagnostics.find((d) => d.code === 'BL854')?.suggestions).toEqual(['Health']);
    expect(byCode('BL855')).toMatch(/^cost change CC-5 applies to "6398": 6398 is not an object code/);
    expect(byCode('BL860')).toBe('the cost change ID CC-6 is already used at Cost Changes!A7');
  });
});

describe('applying the changes at roll-forward', () => {
  const rolled = rollForward(
    { lines: lines.rows, positions: positions.rows, staffing },
    { next: tx2028, salaryIncrease: 0 },
  );
  const known = readCostChanges(
    table(
      // Out of order on purpose: contracts first, the future raise in the middle.
      ['CC-5', 'contract', 'Acme renewal', 2028, 'vendor: Acme', '4%', null, null, null],
      ['CC-6', 'Contract', 'Copier and toner', 2028, '6499', null, 100, null, null],
      ['CC-8', 'raise', 'CTA year 3', 2029, 'CTA', '2%', null, null, null],
      ['CC-1', 'Raise', 'CTA agreement year 2', 2028, 'CTA', '3%', null, null, null],
      ['CC-4', 'benefit rate', 'Health premiums', 2028, 'Health', '5%', null, null, null],
      ['CC-3', 'Benefit rate', 'Retirement rate', 2028, 'CERT/Retirement', '1%', null, null, null],
      ['CC-2', 'step and column', 'Step movement', 2028, 'TCH', null, 1000, null, null],
      ['CC-7', 'One-time ends', 'Field trips grant ends', 2028, 'vendor: field trip', null, null, null, null],
      ['CC-0', 'raise', 'Last year', 2027, 'CTA', '2%', null, null, null],
      ['CC-9', 'raise', 'CSEA in Title I', 2028, 'CSEA', '2%', null, null, '211'],
    ),
    ctx,
  );
  const r = applyCostChanges(
    [{ site: '001', lines: rolled.lines, positions: rolled.positions }],
    known.changes,
    { fiscalYear: 2028, validator: tx2028, staffing: rolled.staffing },
  );
  const site = r.sites[0];
  const change = (id: string, account: string): number | undefined =>
    site?.changeLines.find((l) => l.change === id && l.account === account)?.amount;

  test('the stated order: one-time ends, raise, step and column, benefit rate, contract; table order within', () => {
    expect(known.diagnostics).toEqual([]);
    expect(orderChanges(known.changes).map((c: CostChange) => c.id)).toEqual([
      'CC-7',
      'CC-8',
      'CC-1',
      'CC-0',
      'CC-9',
      'CC-2',
      'CC-4',
      'CC-3',
      'CC-5',
      'CC-6',
    ]);
    // Only next year's changes apply; an earlier year's is a warning, a change that reaches nothing too.
    expect(r.applied.map((a) => a.change.id)).toEqual([
      'CC-7',
      'CC-1',
      'CC-9',
      'CC-2',
      'CC-4',
      'CC-3',
      'CC-5',
      'CC-6',
    ]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.cell ?? ''}`)).toEqual([
      'BL861 warning A10',
      'BL862 warning A11',
    ]);
  });

  test('a raise, step, and benefit changes re-price each position once per change, split exactly across its funding', () => {
    // Ana: $40,000 × 1.0 FTE, 60% / 40%. Raise 3% → $41,200: +$1,320.00 (salary and 10% retirement).
    const a24 = acct('199', '11', '6119', '24').replace('-7-', '-8-');
    const a23 = acct('199', '11', '6119', '23').replace('-7-', '-8-');
    const a11 = acct('199', '11', '6119').replace('-7-', '-8-');
    expect(change('CC-1', a24)).toBe(79_200);
    expect(change('CC-1', a23)).toBe(52_800);
    // The half-time teacher at the $50,000 average: raise 3% → +$825.00.
    expect(change('CC-1', a11)).toBe(82_500);
    // Step +$1,000 per FTE: Ana +$1,100.00 (with retirement), the half-time teacher +$550.00.
    expect((change('CC-2', a24) ?? 0) + (change('CC-2', a23) ?? 0)).toBe(110_000);
    expect(change('CC-2', a11)).toBe(55_000);
    // Retirement 10% → 11% on the raised salaries: $42,200 × 1% and $26,250 × 1%.
    expect((change('CC-3', a24) ?? 0) + (change('CC-3', a23) ?? 0)).toBe(42_200);
    expect(change('CC-3', a11)).toBe(26_250);
    // Health $10,000 → $10,500 per FTE.
    expect((change('CC-4', a24) ?? 0) + (change('CC-4', a23) ?? 0)).toBe(50_000);
    expect(change('CC-4', a11)).toBe(25_000);
    // The aide (CSEA, CLASS: no health item, not a teacher) is unchanged.
    const a29 = acct('199', '11', '6129').replace('-7-', '-8-');
    expect(site?.changeLines.filter((l) => l.account === a29)).toEqual([]);
  });

  test('this year plus every change line equals next year priced with every change, to the cent', () => {
    const ana = rolled.positions[0];
    // Ana priced directly: $42,200 salary, 11% retirement, $10,500 health.
    const direct = 4_220_000 + 464_200 + 1_050_000;
    const lines = site?.changeLines.filter(
      (l) => l.account.endsWith('-24-001') || l.account.endsWith('-23-001'),
    );
    expect((ana?.cost.total ?? 0) + (lines ?? []).reduce((n, l) => n + l.amount, 0)).toBe(direct);
  });

  test('contracts: a % of each matching line rounded once; an amount split across the lines by largest remainder', () => {
    const bus = acct('199', '11', '6411').replace('-7-', '-8-');
    expect(change('CC-5', bus)).toBe(4_938); // 4% of $1,234.57 = $49.3828
    const copier = acct('199', '11', '6499').replace('-7-', '-8-');
    const toner = acct('199', '13', '6499').replace('-7-', '-8-');
    expect([change('CC-6', copier), change('CC-6', toner)]).toEqual([6_667, 3_333]);
  });

  test('one-time lines drop off; the lines typed are carried as they were, the changes are their own lines', () => {
    expect(rolled.dropped.map((l) => l.description)).toEqual(['Laptops']);
    expect(site?.dropped.map((d) => [d.line.description, d.change])).toEqual([['Field trips', 'CC-7']]);
    expect(site?.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Supplies', 100_000],
      ['Bus contract', 123_457],
      ['Copier lease', 333_333],
      ['Printer toner', 166_667],
    ]);
    expect(site?.changeLines.find((l) => l.change === 'CC-5')).toMatchObject({
      description: 'CC-5: Acme renewal',
      notes: 'Cost change CC-5 (Cost Changes!A2), FY2028: contract +4% on vendor: Acme',
    });
    expect(site?.effects.map((e) => [e.change, e.what, e.cents])).toEqual([
      ['CC-7', '1 line ends ($5,000.00)', -500_000],
      ['CC-1', 'raise +3% on CTA: 2 positions', 214_500],
      ['CC-2', 'step and column +$1,000.00 per FTE on TCH: 2 positions', 165_000],
      ['CC-4', 'benefit rate +5% on Health: 2 positions', 75_000],
      ['CC-3', 'benefit rate +1% on CERT/Retirement: 2 positions', 68_450],
      ['CC-5', 'contract +4% on vendor: Acme: 1 line', 4_938],
      ['CC-6', 'contract +$100.00 for the year on 6499: 2 lines', 10_000],
    ]);
  });

  test('scope: a change limited to other sites or another fund reaches nothing', () => {
    const scoped = readCostChanges(
      table(['CC-1', 'raise', 'Roosevelt only', 2028, '*', '3%', null, 'Roosevelt Middle', null]),
      ctx,
    );
    const out = applyCostChanges(
      [{ site: '001', lines: rolled.lines, positions: rolled.positions }],
      scoped.changes,
      { fiscalYear: 2028, validator: tx2028, staffing: rolled.staffing },
    );
    expect(scoped.changes[0]?.sites).toEqual(new Set(['002']));
    expect(out.sites[0]?.changeLines).toEqual([]);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['BL862']);
  });
});

describe('exact cents over many positions', () => {
  test('this year plus the change lines equals every position priced directly with all changes, per account', () => {
    const r = rng(17);
    const rows: CellValue[][] = [];
    for (let i = 0; i < 300; i++) {
      const pieces = 1 + (i % 3);
      const shares = pieces === 1 ? [null] : pieces === 2 ? ['33%', '67%'] : ['33.3%', '33.3%', '33.4%'];
      const accounts = [
        acct('199', '11', '6119', '24'),
        acct('199', '11', '6119', '23'),
        acct('211', '11', '6119', '11'),
      ];
      rows.push([
        i % 4 === 0 ? 'AIDE' : 'TCH',
        i % 2 === 0 ? Math.round(30_000 + r() * 50_000 * 100) / 100 : null,
        [0.3, 0.5, 0.7, 1][i % 4],
        accounts[0] ?? null,
        shares[0] ?? null,
        pieces > 1 ? (accounts[1] ?? null) : null,
        pieces > 1 ? (shares[1] ?? null) : null,
        pieces > 2 ? (accounts[2] ?? null) : null,
        pieces > 2 ? (shares[2] ?? null) : null,
      ]);
    }
    const read = readPositions(
      grid(
        [
          'Job type',
          'Salary',
          'FTE',
          'Account',
          'Percent',
          'Account 2',
          'Percent 2',
          'Account 3',
          'Percent 3',
        ],
        ...rows,
      ),
      tx2027,
      staffing,
      { sheet: 'Lincoln' },
    );
    expect(read.diagnostics).toEqual([]);
    const rolled = rollForward(
      { lines: [], positions: read.rows, staffing },
      { next: tx2028, salaryIncrease: 0 },
    );
    const changes = readCostChanges(
      table(
        ['CC-1', 'raise', 'Everyone', 2028, '*', '2.37%', null, null, null],
        ['CC-2', 'step and column', 'Steps', 2028, 'TCH', '1.13%', null, null, null],
        ['CC-3', 'step and column', 'Columns', 2028, 'CTA', null, 333.33, null, null],
        ['CC-4', 'benefit rate', 'Retirement', 2028, 'Retirement', '0.77%', null, null, null],
        ['CC-5', 'benefit rate', 'Health', 2028, 'CERT/Health', null, 123.45, null, null],
      ),
      ctx,
    );
    expect(changes.diagnostics).toEqual([]);
    const out = applyCostChanges([{ site: '001', lines: [], positions: rolled.positions }], changes.changes, {
      fiscalYear: 2028,
      validator: tx2028,
      staffing: rolled.staffing,
    });
    // Price each position directly with every change, and split it as roll-forward splits a position.
    const expected = new Map<string, number>();
    for (const p of rolled.positions) {
      const job = staffing.jobTypes.get(p.jobType ?? '');
      let salary = p.salary ?? job?.averageSalary ?? 0;
      salary = Math.round((salary * 1_023_700) / 1_000_000);
      if (p.jobType === 'TCH') salary = Math.round((salary * 1_011_300) / 1_000_000) + 33_333;
      const pkg = staffing.packages.get(job?.benefits ?? '');
      const items = (pkg?.items ?? []).map((it) =>
        it.ratePpm !== undefined
          ? { ...it, ratePpm: it.ratePpm + 7_700 }
          : pkg?.code === 'CERT' && it.name === 'Health'
            ? { ...it, perFte: (it.perFte ?? 0) + 12_345 }
            : it,
      );
      const final = splitCost(costOf(salary, p.fte, { code: pkg?.code ?? '', items }), p.fte, p.split);
      p.pieces.forEach((piece, i) => {
        const d = (final[i]?.amount ?? 0) - piece.amount;
        expected.set(piece.account, (expected.get(piece.account) ?? 0) + d);
      });
    }
    const got = new Map<string, number>();
    for (const l of out.sites[0]?.changeLines ?? []) got.set(l.account, (got.get(l.account) ?? 0) + l.amount);
    expect([...got].sort()).toEqual([...expected].filter(([, v]) => v !== 0).sort());
  });
});
