/**
 * Site sheets in both account layouts: one Account column, or one column per segment (NCES preset).
 * The same lines and positions read the same in both; findings land on the segment's own cell.
 */
import { compileChart } from '../../../core/accounts';
import { chargesOf, readLines, readPositions } from '../../../core/budget/lines';
import { readBenefits, readJobTypes, staffingOf } from '../../../core/budget/staffing';
import type { CellValue, Grid } from '../../../core/cells';
import { loadPreset } from '../../../core/presets';
import { rowsOfKind, SITE_HEADER, siteHeader } from '../../../core/workbook/layout';

const validator = compileChart(loadPreset('nces'), 2027);
const SEGMENTS = ['Fund', 'Function', 'Object', 'Program', 'Site'];
const packages = readBenefits([
  ['Package', 'Benefit', 'Rate', 'Amount per FTE'],
  ['CERT', 'Retirement', '10%', null],
]).rows;
const staffing = staffingOf(
  readJobTypes(
    [
      ['Code', 'Title', 'Average salary', 'Benefits package'],
      ['TCH', 'Teacher', 60000, 'CERT'],
    ],
    packages,
  ).rows,
  packages,
);

type Field = (typeof SITE_HEADER)[number];
const row = (o: Partial<Record<Field, CellValue>>): CellValue[] => SITE_HEADER.map((h) => o[h] ?? null);

/** The one-column grid turned into the per-segment layout: the Account string split into its segments. */
function perSegment(grid: Grid): CellValue[][] {
  const at = SITE_HEADER.indexOf('Account');
  return grid.map((r, i) => {
    if (i === 0) return siteHeader(SEGMENTS);
    const account = r[at];
    const parts = typeof account === 'string' ? account.split('-') : SEGMENTS.map(() => null);
    return [...r.slice(0, at), ...parts, ...r.slice(at + 1)];
  });
}

function read(grid: Grid): {
  lines: ReturnType<typeof readLines>;
  positions: ReturnType<typeof readPositions>;
} {
  const options = { sheet: 'Lincoln', fteStep: 100 };
  return {
    lines: readLines(rowsOfKind(grid, 'line'), validator, options),
    positions: readPositions(rowsOfKind(grid, 'position'), validator, staffing, options),
  };
}

const ledgerOf = (r: ReturnType<typeof read>): unknown[] =>
  chargesOf('001', r.lines.rows, r.positions.rows).map(({ where, ...rest }) => {
    void where;
    return rest;
  });

const CASES: { name: string; rows: CellValue[][] }[] = [
  {
    name: 'plain lines',
    rows: [
      row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Supplies', Amount: 3500 }),
      row({ Type: 'Line', Account: '100-2220-640-100-001', Quantity: 10, 'Unit cost': 27.5 }),
    ],
  },
  {
    name: 'a position on one account',
    rows: [row({ Type: 'Position', 'Job type': 'TCH', FTE: 1, Account: '100-1000-111-100-001' })],
  },
  {
    name: 'a position split across two accounts, and a line',
    rows: [
      row({
        Type: 'Position',
        'Job type': 'TCH',
        Employee: 'Ortiz',
        FTE: 0.5,
        Account: '100-1000-111-100-001',
        Percent: 0.6,
        'Account 2': '100-2120-111-100-001',
        'Percent 2': 0.4,
      }),
      row({ Type: 'Line', Account: '100-1000-610-100-001', Amount: 12.34 }),
    ],
  },
];

describe('site sheets: one Account column or one column per segment', () => {
  test.each(CASES)('$name: the same ledger in both layouts', ({ rows }) => {
    const one = read([[...SITE_HEADER], ...rows]);
    const split = read(perSegment([[...SITE_HEADER], ...rows]));
    expect(one.lines.diagnostics).toEqual([]);
    expect(one.positions.diagnostics).toEqual([]);
    expect(split.lines.diagnostics).toEqual([]);
    expect(split.positions.diagnostics).toEqual([]);
    expect(ledgerOf(one).length).toBeGreaterThan(0);
    expect(ledgerOf(split)).toEqual(ledgerOf(one));
  });

  test('a line or position cell points at the first segment cell; split pieces keep their Account 2 cell', () => {
    const r = read(perSegment([[...SITE_HEADER], ...(CASES[2]?.rows ?? [])]));
    expect(r.lines.rows[0]?.where).toEqual({ sheet: 'Lincoln', cell: 'B3' });
    expect(r.positions.rows[0]?.split.map((p) => p.where.cell)).toEqual([
      'B2',
      'S2', // Account 2: column O of SITE_HEADER, four columns to the right
    ]);
  });

  test.each([
    ['an unknown object code', { Object: '641' }, 'BL104', 'D2', 'fatal'],
    ['an unknown function', { Function: '1234' }, 'BL104', 'C2', 'fatal'],
    ['an unknown program', { Program: '555' }, 'BL104', 'E2', 'fatal'],
    ['a blank program', { Program: null }, 'BL001', 'E2', 'fatal'],
    ['a function too short', { Function: '100' }, 'BL102', 'C2', 'fatal'],
    ['a site code whose zeros the spreadsheet dropped', { Site: 1 }, 'BL006', 'F2', 'warning'],
  ] as const)('%s: the finding is on that segment cell', (_, change, code, cell, severity) => {
    const values: Record<string, CellValue> = {
      Fund: '100',
      Function: '1000',
      Object: '610',
      Program: '100',
      Site: '001',
      ...change,
    };
    const header = siteHeader(SEGMENTS);
    const line = header.map((h) =>
      h === 'Type' ? 'Line' : h === 'Amount' ? 50 : h in values ? (values[h] ?? null) : null,
    );
    const r = readLines([header, line], validator, { sheet: 'Lincoln' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code, cell, sheet: 'Lincoln', severity })]);
    if (severity === 'warning') {
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0]?.account).toBe('100-1000-610-100-001');
      expect(line[header.indexOf('Site')]).toBe(1); // the cell itself is not changed
    } else expect(r.rows).toEqual([]);
  });

  test('a cross-segment rule is reported on the segment the rule names', () => {
    const header = siteHeader(SEGMENTS);
    const position = header.map(
      (h) =>
        (
          ({
            Type: 'Position',
            'Job type': 'TCH',
            FTE: 1,
            Fund: '100',
            Function: '5000',
            Object: '111',
            Program: '100',
            Site: '001',
          }) as Record<string, CellValue>
        )[h] ?? null,
    );
    const r = readPositions([header, position], validator, staffing, { sheet: 'Lincoln' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL201', cell: 'C2' })]);
  });

  test('a row with every segment blank gets one blank-account finding, on the first segment', () => {
    const header = siteHeader(SEGMENTS);
    const line = header.map((h) => (h === 'Type' ? 'Line' : h === 'Amount' ? 10 : null));
    const r = readLines([header, line], validator, { sheet: 'Lincoln' });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL001', cell: 'B2' })]);
  });

  test('a header with some segment columns but not all names the missing ones', () => {
    const header = ['Type', 'Fund', 'Function', 'Object', 'Description', 'Amount'];
    const r = readLines([header, ['Line', '100', '1000', '610', 'x', 5]], validator, { sheet: 'Lincoln' });
    expect(r.rows).toEqual([]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL306', sheet: 'Lincoln', cell: 'A1' })]);
    expect(r.diagnostics[0]?.message).toContain('Program, Site');
  });

  test('segment headers are matched by synonym, in any order', () => {
    const header = ['Amount', 'Site Code', 'Obj', 'Fund', 'Prog', 'Func', 'Type'];
    const r = readLines([header, [25, '001', '610', '100', '100', '1000', 'Line']], validator, {
      sheet: 'Lincoln',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.rows[0]?.account).toBe('100-1000-610-100-001');
  });

  test('the one-column layout is read as before: no Account column is BL306 on Account', () => {
    const r = readLines(
      [
        ['Type', 'Description', 'Amount'],
        ['Line', 'x', 5],
      ],
      validator,
      { sheet: 'S' },
    );
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'BL306', message: expect.stringContaining('"Account"') }),
    ]);
  });
});
