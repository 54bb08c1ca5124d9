import { readLines, readPositions } from '../../../core/budget/lines';
import { readBenefits, readJobTypes, staffingOf } from '../../../core/budget/staffing';
import { moveAccount, rollForward } from '../../../core/rollforward';
import { acct, grid, tx2027, tx2028 } from '../budget/charts';
import { compileChart } from '../../../core/accounts';
import type { Chart } from '../../../core/accounts';

const packages = readBenefits(grid(['Package', 'Benefit', 'Rate'], ['B', 'Retirement', '10%'])).rows;
const staffing = staffingOf(
  readJobTypes(grid(['Code', 'Average salary', 'Benefits'], ['TCH', 50000, 'B']), packages).rows,
  packages,
);

const lines = readLines(
  grid(
    ['Account', 'Description', 'Amount', 'One-time'],
    [acct('199', '11', '6399'), 'Supplies', 1000, 'no'],
    [acct('199', '11', '6399'), 'Laptops', 20000, 'yes'],
    [acct('199', '11', '6118'), 'Retired object', 300, null],
  ),
  tx2027,
  { sheet: 'Lincoln' },
);
const positions = readPositions(
  grid(
    ['Job type', 'Employee', 'Salary', 'FTE', 'Account', 'Percent', 'Account 2', 'Percent 2'],
    ['TCH', 'Ana', 40000, 1, acct('199', '11', '6119', '24'), '60%', acct('199', '11', '6119', '23'), '40%'],
    ['TCH', null, null, 0.5, acct('199', '11', '6119'), null, null, null],
  ),
  tx2027,
  staffing,
  { sheet: 'Lincoln' },
);

describe('roll-forward', () => {
  test('the inputs are clean this year', () => {
    expect([...lines.diagnostics, ...positions.diagnostics]).toEqual([]);
  });

  const r = rollForward(
    { lines: lines.rows, positions: positions.rows, staffing },
    { next: tx2028, salaryIncrease: 30_000 },
  );

  test('drops one-time lines and copies the rest', () => {
    expect(r.dropped.map((l) => l.description)).toEqual(['Laptops']);
    expect(r.lines.map((l) => [l.description, l.amount])).toEqual([
      ['Supplies', 100_000],
      ['Retired object', 30_000],
    ]);
  });

  test('moves the fiscal-year segment to the next year', () => {
    expect(r.lines[0]?.account).toBe('199-11-6399-8-11-001');
    expect(r.positions[0]?.split.map((s) => s.account)).toEqual([
      '199-11-6119-8-24-001',
      '199-11-6119-8-23-001',
    ]);
  });

  test('a code retired next year becomes a finding at its cell, and the line is kept', () => {
    expect(r.diagnostics).toMatchObject([
      {
        code: 'BL422',
        severity: 'fatal',
        sheet: 'Lincoln',
        cell: 'A4',
        segment: 'object',
        message: expect.stringMatching(
          /^the account 199-11-6118-8-11-001 was carried forward, but it is not valid in FY2028: .*6118/,
        ),
      },
    ]);
    expect(r.lines.map((l) => l.account)).toContain('199-11-6118-8-11-001');
  });

  test('applies the salary increase to actual salaries and job-type averages, and re-prices', () => {
    expect(r.positions[0]).toMatchObject({
      salary: 4_120_000,
      cost: { salary: 4_120_000, benefitsTotal: 412_000, total: 4_532_000 },
    });
    expect(r.positions[0]?.pieces.map((p) => p.amount)).toEqual([2_719_200, 1_812_800]);
    expect(r.jobTypes).toMatchObject([{ code: 'TCH', averageSalary: 5_150_000 }]);
    expect(r.positions[1]?.cost.total).toBe(2_575_000 + 257_500);
    expect(r.positions[1]?.salary).toBeUndefined();
  });

  test('rounds the increase to the cent, half away from zero', () => {
    const one = rollForward(
      {
        lines: [],
        positions: [],
        staffing: staffingOf([{ code: 'X', title: 'X', averageSalary: 3_333_333, benefits: 'B' }], packages),
      },
      { next: tx2028, salaryIncrease: 25_000 },
    );
    expect(one.jobTypes[0]?.averageSalary).toBe(3_416_666); // 3,416,666.325
  });

  test('a chart without a fiscal-year segment keeps the account as it is', () => {
    const nces: Chart = {
      id: 'n',
      name: 'NCES (mini)',
      delimiter: '-',
      segments: [
        { key: 'fund', name: 'Fund', length: 3, chars: 'digits' },
        { key: 'object', name: 'Object', length: 3, chars: 'digits' },
      ],
      codes: {
        fund: [{ code: '100', description: 'General' }],
        object: [{ code: '610', description: 'Supplies' }],
      },
      rules: [],
      combinations: [],
    };
    expect(moveAccount(['100', '610'], compileChart(nces, 2028), {})).toEqual({
      account: '100-610',
      segments: ['100', '610'],
      diagnostics: [],
    });
  });
});
