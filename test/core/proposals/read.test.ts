/** The proposal tables read with a finding on each bad cell; weighted scores, ranks and the funding line. */
import {
  compileChart,
  fundingLine,
  loadPreset,
  readProposals,
  readRubric,
  readScenarios,
  readScores,
  scoreProposals,
  SHEETS,
  type CellValue,
} from '../../../core';
import { PROPOSALS, PROPOSALS_HEADER, proposalRow } from './fixtures';

const nces = compileChart(loadPreset('nces'), 2027);
const ctx = { validator: nces, sites: new Set(['001']) };
const read = (...rows: CellValue[][]) => readProposals([[...PROPOSALS_HEADER], ...rows], ctx);
const col = (header: string): string => String.fromCharCode(65 + PROPOSALS_HEADER.indexOf(header as never));
const base = {
  id: 'X-1',
  type: 'Addition',
  recurrence: 'Recurring',
  account: '100-1000-610-100-001',
  year1: 1000,
  year2: 1000,
  year3: 1000,
  status: 'Submitted',
} as const;

describe('readProposals', () => {
  test('the demo rows are read whole, amounts in cents and FTE in thousandths', () => {
    const r = read(...PROPOSALS);
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    expect(r.rows.map((p) => p.id)).toEqual(['P-01', 'P-02', 'P-03', 'P-04', 'P-05', 'P-06']);
    expect(r.rows[1]).toMatchObject({
      amounts: [120_000_00, 123_600_00, 127_308_00],
      fte: 2000,
      status: 'under review',
    });
    // A submitted proposal whose site is gone is a warning until it is accepted.
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'BL905', severity: 'warning', cell: `${col('Site')}7` }),
    ]);
  });

  test.each([
    ['an invalid account', { account: '100-1000-6X0-100-001' }, 'Account', /^BL1/],
    [
      'a one-time proposal with a later amount',
      { recurrence: 'One-time', year3: 0, year2: 500 },
      'Year 2',
      /^BL902$/,
    ],
    ['a recurring proposal without a year-3 amount', { year3: null }, 'Year 3', /^BL902$/],
    ['a decision without a reason', { status: 'Deferred' }, 'Decision reason', /^BL904$/],
    [
      'an accepted proposal whose site is gone',
      { status: 'Accepted', reason: 'ok', site: '777' },
      'Site',
      /^BL905$/,
    ],
    ['a Type that is neither', { type: 'Maybe' }, 'Type', /^BL901$/],
    ['a negative amount', { year1: -5 }, 'Budget year', /^BL901$/],
  ] as const)('%s: a fatal finding on its own cell, and the row left out', (_what, change, header, code) => {
    const r = read(proposalRow({ ...base, ...change }));
    const fatal = r.diagnostics.filter((d) => d.severity === 'fatal');
    expect(fatal.length).toBeGreaterThan(0);
    for (const d of fatal) {
      expect(d.code).toMatch(code);
      expect(d).toMatchObject({ sheet: SHEETS.proposals, cell: `${col(header)}2` });
    }
    expect(r.rows).toEqual([]);
  });

  test('a duplicate ID is a finding on the second', () => {
    const r = read(proposalRow(base), proposalRow(base));
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL901', cell: 'A3' })]);
    expect(r.rows).toHaveLength(1);
  });
});

describe('scores, rank and the funding line', () => {
  const rubric = readRubric([
    ['Criterion', 'Weight'],
    ['Impact', 3],
    ['Equity', 1],
  ]);
  const proposals = read(
    proposalRow({ ...base, id: 'A', year1: 600, year2: 600, year3: 600 }),
    proposalRow({ ...base, id: 'B', year1: 500, year2: 500, year3: 500 }),
    proposalRow({ ...base, id: 'C', type: 'Reduction', year1: 200, year2: 200, year3: 200 }),
    proposalRow({ ...base, id: 'D', year1: 100, year2: 100, year3: 100 }),
    proposalRow({ ...base, id: 'E', status: 'Rejected', reason: 'no' }),
  ).rows;
  const scores = readScores(
    [
      ['Proposal', 'Reviewer', 'Criterion', 'Score'],
      ['A', 'r1', 'Impact', 5],
      ['A', 'r2', 'Impact', 4],
      ['A', 'r1', 'Equity', 1],
      ['B', 'r1', 'Impact', 3],
      ['B', 'r1', 'Equity', 5],
      ['C', 'r1', 'Impact', 2],
      ['D', 'r1', 'Impact', 1],
      ['E', 'r1', 'Impact', 5],
      ['A', 'r1', 'Urgency', 3],
      ['B', 'r2', 'Impact', 0],
    ],
    { proposals: new Set(['A', 'B', 'C', 'D', 'E']), criteria: rubric.rows },
  );

  test('each bad score row is a finding on its cell', () => {
    expect(scores.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL906', 'C10'],
      ['BL903', 'D11'],
    ]);
  });

  test('weighted means by criterion; rejected and unscored proposals are not ranked', () => {
    const s = scoreProposals(proposals, rubric.rows, scores.rows);
    // A: (3 × 4.5 + 1 × 1) / 4 = 3.625; B: (3 × 3 + 5) / 4 = 3.5; C: 2 over Impact only; D: 1.
    expect(s.map((x) => [x.proposal.id, x.score, x.rank ?? null])).toEqual([
      ['A', 3.63, 1],
      ['B', 3.5, 2],
      ['C', 2, 3],
      ['D', 1, 4],
      ['E', 5, null],
    ]);
    expect(s[2]?.unscored).toEqual(['Equity']);
    // $1,000 available: A fits ($600), B does not ($500 > $400): B, and everything after it, is below.
    expect(fundingLine(s, 1000_00)).toEqual({
      availableCents: 1000_00,
      fits: ['A'],
      below: ['B', 'C', 'D'],
      costCents: 600_00,
      leftCents: 400_00,
      reasons: {
        A: 'fits: $400.00 left in the budget year',
        B: 'does not fit: it costs $500.00, $400.00 is left',
        C: 'below the line: ranked after B, which does not fit',
        D: 'below the line: ranked after B, which does not fit',
      },
    });
    // $1,100: A and B fit; the reduction C frees $200, so D fits too.
    expect(fundingLine(s, 1100_00)).toMatchObject({ fits: ['A', 'B', 'C', 'D'], leftCents: 100_00 });
  });

  test('a rubric weight that is not positive, and a criterion listed twice, are findings on their cells', () => {
    const r = readRubric([
      ['Criterion', 'Weight'],
      ['Impact', 0],
      ['Impact', 2],
    ]);
    // The second row repeats the criterion: a finding too, not a silent replacement.
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL906', 'B2'],
      ['BL906', 'A3'],
    ]);
    expect(r.rows).toEqual([]);
  });
});

describe('readScenarios', () => {
  test('changes grouped by scenario; each bad one is a finding on its cell', () => {
    const r = readScenarios(
      [
        ['Scenario', 'Change', 'Fund', 'Applies to', 'Value'],
        ['A', 'Salary increase', null, '111-199', '2%'],
        ['A', 'Accepted proposals', null, null, 'on'],
        ['B', 'Funding-rate change', '100', null, '-1.5%'],
        ['B', 'One-time cut', null, '100-1000-610-100-001', 1000],
        ['C', 'Salary increase', null, null, '2%'],
        ['C', 'One-time cut', null, '100-1000-6X0-100-001', 10],
        ['C', 'Accepted proposals', null, 'ZZ', 'on'],
      ],
      { validator: nces, proposals: new Set(['P-01']) },
    );
    expect(r.diagnostics.map((d) => d.cell)).toEqual(['D6', 'D7', 'D8']);
    const [a, b] = r.rows;
    expect(a?.assumptions.map((x) => [x.year, x.kind, x.ppm])).toEqual([
      [1, 'salary', 20_000],
      [2, 'salary', 20_000],
    ]);
    expect(a?.proposals).toEqual({ on: true, ids: [] });
    expect(b?.assumptions.map((x) => [x.kind, x.fund, x.ppm])).toEqual([
      ['cola', '100', -15_000],
      ['cola', '100', -15_000],
    ]);
    expect(b?.cuts).toEqual([expect.objectContaining({ account: '100-1000-610-100-001', cents: 1000_00 })]);
  });
});
