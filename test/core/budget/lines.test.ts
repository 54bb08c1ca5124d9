import { readLines, readPositions, chargesOf, splitCost } from '../../../core/budget/lines';
import { readBenefits, readJobTypes, staffingOf, costOf } from '../../../core/budget/staffing';
import { acct, grid, tx2027 } from './charts';

const benefitsGrid = grid(
  ['Package', 'Benefit', 'Rate', 'Amount per FTE'],
  ['TEACHER', 'TRS retirement', '8.25%', null],
  ['TEACHER', 'Medicare', 0.0145, null],
  ['TEACHER', 'Health', null, '$6,000.00'],
  ['NONE', 'Nothing', '0%', null],
);
const jobGrid = grid(
  ['Code', 'Title', 'Average salary', 'Benefits'],
  ['TCH', 'Teacher', '$35,000.00', 'NONE'],
  ['TCHB', 'Teacher with benefits', 60000, 'TEACHER'],
  ['CNS', 'Counselor', 70000, 'TEACHER'],
);
const packages = readBenefits(benefitsGrid).rows;
const staffing = staffingOf(readJobTypes(jobGrid, packages).rows, packages);

describe('Benefits and Job Types tables', () => {
  test('reads percentage and flat-per-FTE benefits into packages', () => {
    const r = readBenefits(benefitsGrid);
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.find((p) => p.code === 'TEACHER')?.items).toMatchObject([
      { name: 'TRS retirement', ratePpm: 82_500 },
      { name: 'Medicare', ratePpm: 14_500 },
      { name: 'Health', perFte: 600_000 },
    ]);
  });

  test.each([
    ['both a rate and an amount', ['P', 'X', '1%', 5], 'BL421'],
    ['neither a rate nor an amount', ['P', 'X', null, null], 'BL421'],
    ['a rate without a % sign above 1', ['P', 'X', 8.25, null], 'BL410'],
    ['a spreadsheet error as the amount', ['P', 'X', null, '#REF!'], 'BL402'],
  ])('refuses a benefit with %s', (_, row, code) => {
    const r = readBenefits(grid(['Package', 'Benefit', 'Rate', 'Amount per FTE'], row));
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(r.diagnostics[0]?.sheet).toBe('Benefits');
  });

  test('finds columns by synonym in any order, ignoring extra columns', () => {
    const r = readJobTypes(
      grid(['Comment', 'package', 'AVG SALARY', 'job code'], ['x', 'NONE', 50000, 'AIDE']),
      packages,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows).toMatchObject([
      { code: 'AIDE', title: 'AIDE', averageSalary: 5_000_000, benefits: 'NONE' },
    ]);
  });

  test('names the table and column when a required column is missing', () => {
    const r = readJobTypes(grid(['Code', 'Title', 'Benefits'], ['TCH', 'Teacher', 'NONE']));
    expect(r.diagnostics).toMatchObject([
      { code: 'BL306', message: 'the Job Types table has no "Average salary" column' },
    ]);
    expect(r.rows).toEqual([]);
  });

  test('reports a duplicate job type and an unknown package with their cells', () => {
    const r = readJobTypes(
      grid(
        ['Code', 'Average salary', 'Benefits'],
        ['TCH', 1, 'NONE'],
        ['TCH', 2, 'NONE'],
        ['AIDE', 3, 'TEACHR'],
      ),
      packages,
      { sheet: 'Setup', origin: { row: 4, column: 1 } },
    );
    expect(r.diagnostics).toMatchObject([
      { code: 'BL420', sheet: 'Setup', cell: 'B7' },
      { code: 'BL413', sheet: 'Setup', cell: 'D8', suggestions: ['TEACHER'] },
    ]);
    expect(r.rows.map((j) => j.code)).toEqual(['TCH']);
  });
});

describe('position cost', () => {
  test('is salary × FTE plus percentage and per-FTE benefits, each rounded once', () => {
    const pkg = staffing.packages.get('TEACHER');
    const c = costOf(6_000_000, 500, pkg);
    expect(c.salary).toBe(3_000_000);
    expect(c.benefits).toEqual([
      { name: 'TRS retirement', amount: 247_500 },
      { name: 'Medicare', amount: 43_500 },
      { name: 'Health', amount: 300_000 },
    ]);
    expect(c.total).toBe(3_591_000);
  });

  test('rounds salary × FTE half away from zero', () => {
    expect(costOf(3_333_333, 500).salary).toBe(1_666_667);
    expect(costOf(1, 500).salary).toBe(1);
  });

  test("TEA's example: a $35,000 teacher split 60/40 between program intents 24 and 23 gives 21,000.00 and 14,000.00", () => {
    const r = readPositions(
      grid(
        ['Job type', 'FTE', 'Account', 'Percent', 'Account 2', 'Percent 2'],
        ['TCH', 1, acct('199', '11', '6119', '24'), '60%', acct('199', '11', '6119', '23'), '40%'],
      ),
      tx2027,
      staffing,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0]?.pieces.map((p) => [p.account, p.amount, p.fte])).toEqual([
      ['199-11-6119-7-24-001', 2_100_000, 600],
      ['199-11-6119-7-23-001', 1_400_000, 400],
    ]);
  });

  test('splits salary, benefits and FTE so the pieces sum exactly to the cent', () => {
    const pkg = staffing.packages.get('TEACHER');
    const cost = costOf(5_555_555, 700, pkg);
    const third = 333_333;
    const split = [0, 1, 2].map((i) => ({
      account: `a${i}`,
      segments: [],
      sharePpm: i === 0 ? third + 1 : third,
      where: {},
    }));
    const pieces = splitCost(cost, 700, split);
    expect(pieces.reduce((s, p) => s + p.amount, 0)).toBe(cost.total);
    expect(pieces.reduce((s, p) => s + p.fte, 0)).toBe(700);
  });
});

describe('Positions table', () => {
  const header = [
    'Position',
    'Job type',
    'Employee',
    'Salary',
    'Benefits',
    'FTE',
    'Account',
    '%',
    'Account 2',
    '% 2',
  ];
  const a11 = acct('199', '11', '6119');
  const read = (row: unknown[], step = 100): ReturnType<typeof readPositions> =>
    readPositions(grid(header, row as never[]), tx2027, staffing, { sheet: 'Lincoln', fteStep: step });

  test('prices a named employee at the actual salary with the job type package', () => {
    const r = read(['HR-001', 'TCHB', 'Ana Ruiz', '$50,000', null, 1, a11, null, null, null]);
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0]).toMatchObject({ hrId: 'HR-001', employee: 'Ana Ruiz', salary: 5_000_000, fte: 1000 });
    expect(r.rows[0]?.cost.total).toBe(5_000_000 + 412_500 + 72_500 + 600_000);
  });

  test('a single account with no percentage takes 100%', () => {
    const r = read([null, 'TCH', null, null, null, 0.5, a11, null, null, null]);
    expect(r.rows[0]?.pieces).toMatchObject([{ sharePpm: 1_000_000, amount: 1_750_000, fte: 500 }]);
  });

  test.each([
    ['FTE above 1', [null, 'TCH', null, null, null, 1.5, a11], 'BL408', 'F2'],
    ['FTE of 0', [null, 'TCH', null, null, null, 0, a11], 'BL408', 'F2'],
    ['blank FTE', [null, 'TCH', null, null, null, null, a11], 'BL408', 'F2'],
    ['text FTE', [null, 'TCH', null, null, null, 'half', a11], 'BL408', 'F2'],
    ['FTE off the district step', [null, 'TCH', null, null, null, 0.25, a11], 'BL409', 'F2'],
    ['unknown job type', [null, 'TCHR', null, null, null, 1, a11], 'BL412', 'B2'],
    ['no job type and no salary', ['HR-9', null, 'Ana', null, null, 1, a11], 'BL414', 'A2'],
    ['unknown benefits package', [null, 'TCH', null, null, 'GOLD', 1, a11], 'BL413', 'E2'],
    ['split not totalling 100%', [null, 'TCH', null, null, null, 1, a11, '60%', a11, '30%'], 'BL411', 'H2'],
    ['a bad split percentage', [null, 'TCH', null, null, null, 1, a11, 60, a11, 40], 'BL410', 'H2'],
    ['an invalid account', [null, 'TCH', null, null, null, 1, '199-11-6118-7-11-00'], 'BL102', 'G2'],
    ['text salary', [null, null, 'Ana', 'TBD', 'NONE', 1, a11], 'BL403', 'D2'],
  ])('refuses %s with a finding at its cell', (_, row, code, cell) => {
    const r = read(row);
    expect(r.diagnostics.map((d) => [d.code, d.cell, d.sheet])).toContainEqual([code, cell, 'Lincoln']);
    expect(r.rows).toEqual([]);
  });

  test('warns when a named employee has no benefits at all', () => {
    const r = read(['HR-2', null, 'Ana', 40000, null, 1, a11]);
    expect(r.diagnostics).toMatchObject([{ code: 'BL424', severity: 'warning', cell: 'A2' }]);
    expect(r.rows[0]?.cost.total).toBe(4_000_000);
  });

  test('a Positions table without any Account column is reported', () => {
    const r = readPositions(grid(['Job type', 'FTE'], ['TCH', 1]), tx2027, staffing);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL306', message: 'the Positions table has no "Account" column' },
    ]);
  });
});

describe('Lines table', () => {
  const header = ['Account', 'Description', 'Quantity', 'Unit cost', 'Amount', 'One-time', 'Notes'];
  const a = acct('199', '11', '6399');
  const read = (...rows: unknown[][]): ReturnType<typeof readLines> =>
    readLines(grid(header, ...(rows as never[][])), tx2027, { sheet: 'Lincoln' });

  test('reads quantity × unit cost, a plain amount, the one-time flag and notes', () => {
    const r = read(
      [a, 'Paper', 12, '$4.50', null, null, 'reams'],
      [a, 'Laptops', null, null, '$12,000.00', 'Yes', null],
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows).toMatchObject([
      {
        account: a,
        description: 'Paper',
        quantity: 12_000,
        unitCost: 450,
        amount: 5400,
        oneTime: false,
        notes: 'reams',
      },
      { description: 'Laptops', amount: 1_200_000, oneTime: true },
    ]);
  });

  test('accepts an amount that agrees with quantity × unit cost, and fractional quantities', () => {
    const r = read([a, 'Tutoring hours', 2.5, 40, '$100.00', 'no', null]);
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0]?.amount).toBe(10_000);
  });

  test.each([
    ['an amount that disagrees with quantity × unit cost', [a, 'x', 2, 10, 25], 'BL415', 'E2'],
    ['no amount at all', [a, 'x', null, null, null], 'BL416', 'E2'],
    ['a quantity with no unit cost', [a, 'x', 3, null, null], 'BL401', 'D2'],
    ['a negative quantity', [a, 'x', -3, 5, null], 'BL417', 'C2'],
    ['#N/A as the amount', [a, 'x', null, null, '#N/A'], 'BL402', 'E2'],
    ['text as the amount', [a, 'x', null, null, 'about 500'], 'BL403', 'E2'],
    ['a European amount', [a, 'x', null, null, '1.234,56'], 'BL404', 'E2'],
    ['a bad one-time flag', [a, 'x', null, null, 5, 'maybe'], 'BL418', 'F2'],
    ['an unknown code', [acct('199', '11', '6398'), 'x', null, null, 5], 'BL104', 'A2'],
  ])('refuses %s with a finding at its cell', (_, row, code, cell) => {
    const r = read(row);
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toContainEqual([code, cell]);
    expect(r.rows).toEqual([]);
  });

  test('skips blank rows and keeps good rows next to bad ones', () => {
    const r = read(
      [a, 'ok', null, null, 10],
      [null, null, null, null, null],
      [a, 'bad', null, null, '#REF!'],
    );
    expect(r.rows.map((l) => l.description)).toEqual(['ok']);
    expect(r.diagnostics.map((d) => d.cell)).toEqual(['E4']);
  });

  test('charges: one per line, one per position split piece', () => {
    const lines = read([a, 'ok', null, null, 10]).rows;
    const pos = readPositions(
      grid(
        ['Job type', 'FTE', 'Account', 'Percent', 'Account 2', 'Percent 2'],
        ['TCH', 1, a, '50%', a, '50%'],
      ),
      tx2027,
      staffing,
    ).rows;
    const ch = chargesOf('001', lines, pos);
    expect(ch.map((c) => [c.amount, c.fte])).toEqual([
      [1000, 0],
      [1_750_000, 500],
      [1_750_000, 500],
    ]);
  });
});
