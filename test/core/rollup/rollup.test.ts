import fc from 'fast-check';
import type { LedgerLine } from '../../../core/approval';
import { exportLines, GENERIC_CSV } from '../../../core/export';
import {
  adoptBudget,
  ancestors,
  consolidate,
  parentCode,
  type ConsolidateOptions,
  type ReportTable,
  type SiteInfo,
} from '../../../core/rollup';
import { sacsValidator, texasValidator } from '../../fixtures/charts';

const SACS = sacsValidator();
const OPTS: ConsolidateOptions = { accounts: SACS, unapproved: 'exclude' };

// fund(2) resource(4) projectYear(1) goal(4) function(4) object(4)
const acct = (fund: string, fn: string, obj: string): string => `${fund}000000000${fn}${obj}`;

const SITES: SiteInfo[] = [
  { site: 'LIN', name: 'Lincoln', state: 'approved', enrollment: 400 },
  { site: 'WAS', name: 'Washington', state: 'approved', enrollment: 100 },
  { site: 'ADM', name: 'District office', state: 'submitted' },
];

const LINES: LedgerLine[] = [
  {
    site: 'LIN',
    account: acct('01', '1000', '1100'),
    cents: 5_000_000,
    fte: 1000,
    jobType: 'Teacher',
    description: 'T',
  },
  { site: 'LIN', account: acct('01', '2110', '1300'), cents: 100_000, description: 'attendance' },
  { site: 'LIN', account: acct('01', '2100', '4300'), cents: 20_000, description: 'supplies' },
  { site: 'LIN', account: acct('13', '1000', '4300'), cents: 7_000, description: 'cafeteria' },
  {
    site: 'WAS',
    account: acct('01', '1000', '1100'),
    cents: 2_500_000,
    fte: 500,
    jobType: 'Teacher',
    description: 'T',
  },
  {
    site: 'WAS',
    account: acct('01', '2700', '1300'),
    cents: 9_000_000,
    fte: 1000,
    jobType: 'Principal',
    description: 'P',
  },
  { site: 'ADM', account: acct('01', '2000', '4300'), cents: 300_000, description: 'office' },
];

function table(tables: readonly ReportTable[], name: string): ReportTable {
  const t = tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}: ${tables.map((x) => x.name).join(', ')}`);
  return t;
}

describe('account tree by trailing zeros', () => {
  it.each([
    ['2110', '2100'],
    ['2100', '2000'],
    ['2000', undefined],
    ['1300', '1000'],
    ['979Z', '9790'],
    ['0000', undefined],
    ['0110', '0100'],
    ['0100', undefined],
    ['11', '10'],
    ['10', undefined],
  ])('parent of %s is %s', (code, parent) => {
    expect(parentCode(code)).toBe(parent);
  });

  it('lists ancestors nearest first', () => {
    expect(ancestors('2213')).toEqual(['2210', '2200', '2000']);
  });
});

describe('hierarchy rollups', () => {
  it('keeps each node’s own total and its total with children (2110 → 2100 → 2000)', () => {
    const r = consolidate(LINES, SITES, { ...OPTS, unapproved: 'include-marked' });
    const t = table(r.tables, 'Totals by Function');
    expect(t.header).toEqual([
      'Function',
      'Description',
      'Level',
      'Own total',
      'Total with children',
      'Own FTE',
      'FTE with children',
    ]);
    expect(t.rows.map((row) => [row[0], row[2], row[3], row[4]])).toEqual([
      ['1000', 0, 75_070, 75_070],
      ['2000', 0, 3_000, 94_200],
      ['2100', 1, 200, 1_200],
      ['2110', 2, 1_000, 1_000],
      ['2700', 1, 90_000, 90_000],
    ]);
    expect(t.rows[2]?.[1]).toBe('Instructional Supervision and Administration');
  });

  it('keeps non-hierarchical segments flat', () => {
    const r = consolidate(LINES, SITES, OPTS);
    expect(table(r.tables, 'Totals by Fund').rows.map((row) => [row[0], row[2], row[3], row[4]])).toEqual([
      ['01', 0, 166_200, 166_200],
      ['13', 0, 70, 70],
    ]);
  });

  const arbLines = fc.array(
    fc.record({
      site: fc.constantFrom('LIN', 'WAS', 'ADM'),
      account: fc
        .tuple(
          fc.constantFrom('01', '13'),
          fc.constantFrom('1000', '2000', '2100', '2110', '2120', '2700', '3100'),
          fc.constantFrom('1100', '1300', '4300', '4310'),
        )
        .map(([f, fn, o]) => acct(f, fn, o)),
      cents: fc.integer({ min: -1_000_000, max: 10_000_000 }),
      fte: fc.integer({ min: 0, max: 1000 }),
      description: fc.constant('x'),
    }),
    { maxLength: 40 },
  );

  it('sums every tree to the master total, and every node to its own plus its children', () => {
    fc.assert(
      fc.property(arbLines, (lines) => {
        const r = consolidate(lines, SITES, { ...OPTS, unapproved: 'include-marked' });
        expect(r.diagnostics.filter((d) => d.code !== 'BL713')).toEqual([]);
        for (const [, tree] of r.trees) {
          const top = tree.filter((n) => n.level === 0).reduce((s, n) => s + n.totalCents, 0);
          expect(top).toBe(r.control.masterCents);
          for (const n of tree) {
            const children = tree.filter((c) => c.level === n.level + 1 && parentCode(c.code) === n.code);
            expect(n.totalCents).toBe(n.ownCents + children.reduce((s, c) => s + c.totalCents, 0));
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('does not depend on the order of the lines', () => {
    fc.assert(
      fc.property(
        arbLines.chain((ls) =>
          fc.tuple(fc.constant(ls), fc.shuffledSubarray(ls, { minLength: ls.length, maxLength: ls.length })),
        ),
        ([a, b]) => {
          const ra = consolidate(a, SITES, OPTS);
          const rb = consolidate(b, SITES, OPTS);
          expect(rb.tables).toEqual(ra.tables);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('control totals', () => {
  it('agree: master = sum of sites = exported lines', () => {
    const tx = texasValidator();
    const lines: LedgerLine[] = [
      { site: '001', account: '199-11-6119-00-001-7-11-000', cents: 123_456, description: 'a' },
      { site: '002', account: '211-11-6119-00-002-7-24-000', cents: -5, description: 'b' },
    ];
    const sites: SiteInfo[] = [
      { site: '001', state: 'approved' },
      { site: '002', state: 'approved' },
    ];
    const exported = exportLines(GENERIC_CSV, lines, { validator: tx, fiscalYear: 2027 });
    if (!exported.ok) throw new Error('export refused');
    const r = consolidate(lines, sites, {
      accounts: tx,
      unapproved: 'exclude',
      exportedCents: exported.totalCents,
    });
    expect(r.control).toEqual({
      masterCents: 123_451,
      sitesCents: 123_451,
      exportedCents: 123_451,
      agree: true,
    });
    expect(r.diagnostics).toEqual([]);
    expect(table(r.tables, 'Control totals').rows).toEqual([
      ['Master budget total', 1234.51],
      ['Sum of site totals', 1234.51],
      ['Exported lines total', 1234.51],
      ['Result', 'Totals agree'],
    ]);
  });

  it('flags an export total that disagrees', () => {
    const r = consolidate(LINES, SITES, { ...OPTS, exportedCents: 1 });
    expect(r.control.agree).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('BL711');
    expect(table(r.tables, 'Control totals').rows[3]).toEqual(['Result', 'TOTALS DISAGREE']);
  });

  it('still reconciles with an account that cannot be split, totalled separately', () => {
    const lines = [...LINES, { site: 'LIN', account: 'bad', cents: 42, description: '?' }];
    const r = consolidate(lines, SITES, OPTS);
    expect(r.control.agree).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL712', 'BL715']);
    expect(table(r.tables, 'Totals by Object').rows.find((row) => row[0] === '(invalid account)')?.[3]).toBe(
      0.42,
    );
  });

  it('reports lines of a site not in the list and still counts them', () => {
    const lines = [
      ...LINES,
      { site: 'ZZZ', account: acct('01', '1000', '1100'), cents: 100, description: '?' },
    ];
    const r = consolidate(lines, SITES, OPTS);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL714', 'BL712']);
    expect(r.control.agree).toBe(true);
  });
});

describe('unapproved sites', () => {
  it('are listed and left out when the CFO excludes them', () => {
    const r = consolidate(LINES, SITES, OPTS);
    expect(r.unapprovedSites).toEqual(['ADM']);
    expect(r.diagnostics.map((d) => d.message)).toEqual(['1 site is not approved and left out: ADM']);
    expect(r.control.masterCents).toBe(16_627_000);
    expect(table(r.tables, 'Unapproved sites').rows).toEqual([
      ['ADM', 'District office', 'submitted', 'left out'],
    ]);
  });

  it('are included and marked when the CFO includes them', () => {
    const r = consolidate(LINES, SITES, { ...OPTS, unapproved: 'include-marked' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL713']);
    expect(r.control.masterCents).toBe(16_927_000);
    const m = table(r.tables, 'Site × Fund');
    expect(m.rows.find((row) => row[0] === 'ADM')?.[2]).toBe('unapproved');
  });
});

describe('master budget tables', () => {
  const r = consolidate(LINES, SITES, OPTS);

  it('site × fund matrix with row and column totals', () => {
    const m = table(r.tables, 'Site × Fund');
    expect(m.header).toEqual(['Site', 'Name', 'Status', '01', '13', 'Total']);
    expect(m.rows).toEqual([
      ['LIN', 'Lincoln', 'approved', 51_200, 70, 51_270],
      ['WAS', 'Washington', 'approved', 115_000, 0, 115_000],
      ['Total', '', '', 166_200, 70, 166_270],
    ]);
    expect(m.formats).toEqual(['@', '@', '@', '#,##0.00', '#,##0.00', '#,##0.00']);
  });

  it('FTE by job type', () => {
    expect(table(r.tables, 'FTE by job type').rows).toEqual([
      ['Principal', 1, 90_000],
      ['Teacher', 1.5, 75_000],
    ]);
  });

  it('per-pupil amounts by site and for the district', () => {
    expect(table(r.tables, 'Per pupil').rows).toEqual([
      ['LIN', 'Lincoln', 400, 51_270, 128.175],
      ['WAS', 'Washington', 100, 115_000, 1150],
      ['District', '', 500, 166_270, 332.54],
    ]);
  });

  it('every table is a rectangle with a format per column', () => {
    for (const t of r.tables) {
      expect(t.formats).toHaveLength(t.header.length);
      for (const row of t.rows) expect(row).toHaveLength(t.header.length);
    }
  });
});

describe('prior year and adopted budget', () => {
  const A = acct('01', '1000', '1100');
  const prior = [{ account: A, cents: 7_000_000 }];
  const adopted = { recordedAt: '2026-06-20T18:00:00Z', lines: [{ account: A, cents: 7_400_000 }] };

  it('compares current figures with the prior year and the adopted budget', () => {
    const r = consolidate(LINES, SITES, { ...OPTS, priorYear: prior, adopted });
    const c = table(r.tables, 'Comparison');
    expect(c.rows.find((row) => row[0] === A)).toEqual([A, 70_000, 74_000, 75_000, 5_000, 1_000]);
    expect(c.rows[c.rows.length - 1]).toEqual(['Total', 70_000, 74_000, 166_270, 96_270, 92_270]);
  });

  it('records the adopted budget once and never overwrites it', () => {
    const first = adoptBudget(undefined, consolidate(LINES, SITES, OPTS), '2026-06-20T18:00:00Z');
    expect(first.diagnostics).toEqual([]);
    expect(first.adopted.lines.reduce((s, l) => s + l.cents, 0)).toBe(16_627_000);
    const changed = consolidate(
      [...LINES, { site: 'LIN', account: A, cents: 1, description: 'later' }],
      SITES,
      OPTS,
    );
    const again = adoptBudget(first.adopted, changed, '2026-09-01T00:00:00Z');
    expect(again.adopted).toBe(first.adopted);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['BL716']);
  });

  it('never changes the adopted figures it is given', () => {
    const frozen = Object.freeze({
      ...adopted,
      lines: Object.freeze(adopted.lines.map((l) => Object.freeze({ ...l }))),
    });
    const r = consolidate(LINES, SITES, { ...OPTS, adopted: frozen });
    expect(table(r.tables, 'Comparison').rows.find((row) => row[0] === A)?.[2]).toBe(74_000);
    expect(frozen.lines[0]?.cents).toBe(7_400_000);
  });
});
