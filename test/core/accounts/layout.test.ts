import { checkAccountTable, detectAccountLayout, type CellValue } from '../../../core';
import { texasLike, texasValidator } from '../../fixtures/charts';

describe('finding the account columns', () => {
  it.each([['Account'], ['account string'], ['ACCT'], ['GL Account'], ['Account No.']])(
    'finds one account-string column headed %p',
    (h) => {
      expect(detectAccountLayout(['Description', h, 'Amount'], texasLike).layout).toEqual({
        kind: 'string',
        column: 1,
      });
    },
  );

  it('finds one column per segment, by name, synonym or key, in any order', () => {
    const header = ['Amount', 'Local', 'PIC', 'fiscal yr', 'Org', 'Sub Object', 'OBJ', 'func', 'Fund Code'];
    expect(detectAccountLayout(header, texasLike).layout).toEqual({
      kind: 'segments',
      columns: [8, 7, 6, 5, 4, 3, 2, 1],
    });
  });

  it('names the missing segment columns', () => {
    const r = detectAccountLayout(['Fund', 'Function', 'Object'], texasLike, { sheet: 'Lincoln' });
    expect(r.layout).toBeUndefined();
    expect(r.diagnostics[0]?.message).toBe(
      'the Lincoln table has no "Sub-Object, Organization, Fiscal Year, Program Intent, Local" column',
    );
  });

  it('asks for an account column when there is neither layout', () => {
    const r = detectAccountLayout(['Description', 'Amount'], texasLike, { sheet: 'Lincoln' });
    expect(r.diagnostics[0]?.message).toContain('no "Account (or one column per segment: Fund, Function');
  });
});

describe('checking a table of lines', () => {
  const v = texasValidator();

  it('checks every row, with cell addresses offset by where the table sits, skipping blank rows', () => {
    const grid: CellValue[][] = [
      ['Description', 'Account', 'Amount'],
      ['Teacher', '199-11-6119-00-001-7-11-000', 100],
      [null, null, null],
      ['Supplies', '199-11-6118-00-001-7-11-000', 5],
    ];
    const r = checkAccountTable(v, grid, { sheet: 'Lincoln Elementary', origin: { row: 10, column: 1 } });
    expect(r.rows.map((x) => [x.index, x.check.ok])).toEqual([
      [1, true],
      [3, false],
    ]);
    expect(r.diagnostics).toMatchObject([{ code: 'BL104', sheet: 'Lincoln Elementary', cell: 'C14' }]);
  });

  it('checks the per-segment layout with each finding on its own cell', () => {
    const grid: CellValue[][] = [
      ['Fund', 'Function', 'Object', 'Sub-Object', 'Organization', 'Fiscal Year', 'Program Intent', 'Local'],
      ['199', '11', '6119', '00', 1, '7', '11', '000'],
    ];
    const r = checkAccountTable(v, grid, { sheet: 'Lincoln' });
    expect(r.rows[0]?.check.normalized).toBe('199-11-6119-00-001-7-11-000');
    expect(r.diagnostics).toMatchObject([{ code: 'BL006', cell: 'E2', severity: 'warning' }]);
  });
});
