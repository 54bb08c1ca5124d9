import fc from 'fast-check';
import { checkCharges, compileAllocations } from '../../../core/allocations/check';
import { readAllocations } from '../../../core/allocations/tables';
import type { Allocation } from '../../../core/allocations/types';
import type { Charge } from '../../../core/budget/lines';
import { grid, texas, tx2027 } from '../budget/charts';

const keys = tx2027.keys;
const segs = texas.segments;
const HEADER = [
  'Allocation',
  'Site',
  'Source',
  'Source type',
  'Amount',
  'FTE',
  'Locked',
  'Fixed segments',
  'Allowed objects',
  'Allowed functions',
  'Max share',
];

function allocations(...rows: unknown[][]): Allocation[] {
  const r = readAllocations(grid(HEADER, ...(rows as never[][])), segs, { sheet: 'Allocations' });
  expect(r.diagnostics).toEqual([]);
  return r.rows;
}

function charge(site: string, account: string, amount: number, fte = 0, cell = 'A2'): Charge {
  return { site, account, segments: account.split('-'), amount, fte, where: { sheet: site, cell } };
}

const base = allocations(
  ['L-GEN', '001', 'General', 'local', '$100,000.00', 2, 'no', 'fund=199', null, null, null],
  [
    'L-T1',
    '001',
    'Title I',
    'federal',
    '$50,000.00',
    1,
    'no',
    'fund=211; programIntent=24',
    '6100-6399, 6411',
    '11, 13',
    'administration: function 21-23 <= 10%',
  ],
  ['W-GEN', '002', 'General', 'local', '$10.00', null, 'yes', 'fund=199', null, null, null],
);

function run(
  charges: Charge[],
  allocs = base,
  overPlanning: 'warning' | 'fatal' = 'warning',
): ReturnType<typeof checkCharges> {
  const c = compileAllocations(allocs, keys, { overPlanning });
  expect(c.diagnostics).toEqual([]);
  return checkCharges(c.index, charges);
}

describe('allocated / planned / remaining', () => {
  test('per allocation and per site, in dollars and FTE', () => {
    const r = run([
      charge('001', '199-11-6119-7-11-001', 6_000_000, 1000),
      charge('001', '211-11-6119-7-24-001', 2_000_000, 500),
      charge('001', '199-11-6399-7-11-001', 1_000_000),
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(
      r.allocations.map((s) => [
        s.allocation.id,
        s.allocated,
        s.planned,
        s.remaining,
        s.fteAllocated,
        s.ftePlanned,
        s.fteRemaining,
      ]),
    ).toEqual([
      ['L-GEN', 10_000_000, 7_000_000, 3_000_000, 2000, 1000, 1000],
      ['L-T1', 5_000_000, 2_000_000, 3_000_000, 1000, 500, 500],
      ['W-GEN', 1000, 0, 1000, 0, 0, 0],
    ]);
    expect(r.sites).toEqual([
      {
        site: '001',
        allocated: 15_000_000,
        planned: 9_000_000,
        remaining: 6_000_000,
        fteAllocated: 3000,
        ftePlanned: 1500,
        fteRemaining: 1500,
        unallocated: 0,
      },
      {
        site: '002',
        allocated: 1000,
        planned: 0,
        remaining: 1000,
        fteAllocated: 0,
        ftePlanned: 0,
        fteRemaining: 0,
        unallocated: 0,
      },
    ]);
  });
});

describe('allocation checks', () => {
  test('over-planning is a warning by default, shown as negative remaining', () => {
    const r = run([charge('001', '199-11-6399-7-11-001', 10_000_001)]);
    expect(r.allocations[0]?.remaining).toBe(-1);
    expect(r.diagnostics).toMatchObject([
      {
        code: 'BL501',
        severity: 'warning',
        message: 'L-GEN: planned $100,000.01 is $0.01 more than the $100,000.00 allocated',
      },
    ]);
  });

  test("over-planning is a blocking error where the district's settings say so", () => {
    const r = run([charge('001', '199-11-6399-7-11-001', 10_000_001)], base, 'fatal');
    expect(r.diagnostics).toMatchObject([{ code: 'BL501', severity: 'fatal' }]);
  });

  test('over-planning a locked allocation always blocks', () => {
    const r = run([charge('002', '199-11-6399-7-11-002', 1001)]);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL501', severity: 'fatal', sheet: 'Allocations', cell: 'A4' },
    ]);
  });

  test('over-planning FTE', () => {
    const r = run([charge('001', '211-11-6119-7-24-001', 100, 1500)]);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL502', message: 'L-T1: planned 1.5 FTE is 0.5 FTE more than the 1.0 FTE allocated' },
    ]);
  });

  test('a line charged to no allocation of its site is a finding at its cell', () => {
    const r = run([
      charge('001', '255-11-6399-7-11-001', 500, 0, 'C9'),
      charge('003', '199-11-6399-7-11-003', 700),
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL503', '001', 'C9'],
      ['BL503', '003', 'A2'],
    ]);
    expect(r.sites.find((s) => s.site === '001')).toMatchObject({ planned: 500, unallocated: 500 });
    expect(r.sites.find((s) => s.site === '003')).toMatchObject({
      allocated: 0,
      planned: 700,
      remaining: -700,
    });
  });

  test('a line matching two allocations equally is a finding and goes to the first by id', () => {
    const allocs = allocations(
      ['B', '001', 'Grant B', 'federal', 100, null, null, 'programIntent=24', null, null, null],
      ['A', '001', 'Grant A', 'federal', 100, null, null, 'fund=211', null, null, null],
    );
    const r = run([charge('001', '211-11-6399-7-24-001', 50)], allocs);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL504', message: expect.stringContaining('it is charged to A') },
    ]);
    expect(r.allocations.map((s) => s.planned)).toEqual([50, 0]);
  });

  test('the most specific allocation wins without a finding', () => {
    const allocs = allocations(
      ['GEN', '001', 'General', 'local', 100, null, null, 'fund=211', null, null, null],
      [
        'T1-24',
        '001',
        'Title I 24',
        'federal',
        100,
        null,
        null,
        'fund=211; programIntent=24',
        null,
        null,
        null,
      ],
    );
    const r = run([charge('001', '211-11-6399-7-24-001', 50)], allocs);
    expect(r.diagnostics).toEqual([]);
    expect(r.allocations.map((s) => [s.allocation.id, s.planned])).toEqual([
      ['GEN', 0],
      ['T1-24', 50],
    ]);
  });

  test('two allocations of a site that fix the same segments are refused', () => {
    const allocs = allocations(
      ['A', '001', 'General', 'local', 100, null, null, 'fund=199', null, null, null],
      ['B', '001', 'Other', 'local', 100, null, null, 'fund 199', null, null, null],
    );
    expect(compileAllocations(allocs, keys).diagnostics).toMatchObject([
      { code: 'BL517', message: expect.stringContaining('A and B of 001') },
    ]);
  });
});

describe('allocation restrictions', () => {
  test.each([
    ['an object outside the allowed ranges', '211-11-6499-7-24-001', 'object', '"6499"'],
    ['a function not allowed', '211-31-6399-7-24-001', 'function', '"31"'],
  ])('refuses %s', (_, account, segment, code) => {
    const r = run([charge('001', account, 100)]);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL505', segment, severity: 'fatal', message: expect.stringContaining(code) },
    ]);
  });

  test('accepts codes inside the allowed ranges and lists', () => {
    const r = run([charge('001', '211-13-6411-7-24-001', 100), charge('001', '211-11-6119-7-24-001', 100)]);
    expect(r.diagnostics).toEqual([]);
  });

  test('a maximum share for a class of codes: administration ≤ 10% of the allocation', () => {
    const allocs = allocations([
      'T1',
      '001',
      'Title I',
      'federal',
      '$10.00',
      null,
      null,
      'fund=211',
      null,
      null,
      'administration: function 21-23 <= 10%',
    ]);
    expect(run([charge('001', '211-21-6399-7-24-001', 100)], allocs).diagnostics).toEqual([]);
    const r = run(
      [charge('001', '211-21-6399-7-24-001', 60), charge('001', '211-23-6399-7-24-001', 41)],
      allocs,
    );
    expect(r.diagnostics).toMatchObject([
      {
        code: 'BL506',
        message: 'T1: administration is $1.01, 10.1% of the allocation; at most 10% is allowed',
      },
    ]);
  });

  test.each([
    ['Fixed segments', 'fund=21', 'BL507'],
    ['Fixed segments', 'colour=red', 'BL507'],
    ['Allowed objects', '61', 'BL508'],
    ['Allowed functions', '99-11', 'BL508'],
    ['Max share', 'admin: function 21-23 at most ten', 'BL508'],
    ['Max share', 'admin: shoe 21 <= 10%', 'BL508'],
  ])('refuses an unreadable %s %p', (column, text, code) => {
    const row = ['X', '001', 'S', 'local', 1, null, null, null, null, null, null];
    row[HEADER.indexOf(column)] = text;
    const r = readAllocations(grid(HEADER, row as never[]), segs);
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      [code, `${String.fromCharCode(65 + HEADER.indexOf(column))}2`],
    ]);
    expect(r.rows).toEqual([]);
  });

  test('refuses allocations for sites the Sites table does not have', () => {
    const r = readAllocations(grid(HEADER, ['X', '009', 'S', 'local', 1] as never[]), segs, {
      sites: ['001', '002'],
    });
    expect(r.diagnostics).toMatchObject([{ code: 'BL509', cell: 'B2', suggestions: ['001', '002'] }]);
  });
});

describe('properties', () => {
  const account = fc.record({
    site: fc.constantFrom('001', '002', '003'),
    fund: fc.constantFrom('199', '211', '255'),
    fn: fc.constantFrom('11', '21', '31'),
    obj: fc.constantFrom('6119', '6399', '6499'),
    pi: fc.constantFrom('11', '24'),
    amount: fc.integer({ min: -1e6, max: 1e8 }),
    fte: fc.integer({ min: 0, max: 1000 }),
  });
  const charges = fc
    .array(account, { maxLength: 40 })
    .map((xs) =>
      xs.map((x, i) =>
        charge(x.site, `${x.fund}-${x.fn}-${x.obj}-7-${x.pi}-${x.site}`, x.amount, x.fte, `A${i + 2}`),
      ),
    );

  test('results do not depend on the order of lines or allocations', () => {
    fc.assert(
      fc.property(charges, fc.integer(), (cs, seed) => {
        const shuffle = <T>(xs: T[]): T[] =>
          xs
            .map((x, i) => [((i + 1) * (seed | 1) * 2654435761) % 1000, x] as const)
            .sort((a, b) => a[0] - b[0])
            .map((p) => p[1]);
        expect(run(shuffle(cs), shuffle([...base]))).toEqual(run(cs));
      }),
      { numRuns: 100 },
    );
  });

  test('planned per site always equals the sum of its lines, to the cent', () => {
    fc.assert(
      fc.property(charges, (cs) => {
        const r = run(cs);
        for (const s of r.sites)
          expect(s.planned).toBe(cs.filter((c) => c.site === s.site).reduce((a, c) => a + c.amount, 0));
        expect(
          r.allocations.reduce((a, s) => a + s.planned, 0) + r.sites.reduce((a, s) => a + s.unallocated, 0),
        ).toBe(cs.reduce((a, c) => a + c.amount, 0));
      }),
      { numRuns: 100 },
    );
  });
});
