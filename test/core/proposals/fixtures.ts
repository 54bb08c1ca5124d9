/** Proposals, a rubric, three reviewers' scores and community input for an NCES district (site 001). */
import {
  COMMUNITY_TABLE,
  PROPOSALS_TABLE,
  RUBRIC_TABLE,
  SCORES_TABLE,
  SHEETS,
  gridOf,
  headerOf,
  rowOf,
  type CellValue,
  type MemoryPort,
} from '../../../core';

export const PROPOSALS_HEADER = headerOf(PROPOSALS_TABLE);

type Fields = Partial<Record<keyof typeof PROPOSALS_TABLE.columns, CellValue>>;
export const proposalRow = (f: Fields): CellValue[] => rowOf(PROPOSALS_TABLE, f);

export const PROPOSALS: readonly CellValue[][] = [
  proposalRow({
    id: 'P-01',
    title: 'Reading curriculum',
    owner: 'Lincoln Elementary',
    site: '001',
    type: 'Addition',
    category: 'Student-facing',
    recurrence: 'One-time',
    account: '100-1000-610-100-001',
    year1: 100_000,
    status: 'Submitted',
  }),
  proposalRow({
    id: 'P-02',
    title: 'Two more counselors',
    owner: 'Lincoln Elementary',
    site: '001',
    type: 'Addition',
    category: 'Student-facing',
    recurrence: 'Recurring',
    account: '100-1000-111-100-001',
    year1: 120_000,
    year2: 123_600,
    year3: 127_308,
    fte: 2,
    status: 'Under review',
  }),
  proposalRow({
    id: 'P-03',
    title: 'Transportation route',
    owner: 'Transportation',
    type: 'Addition',
    category: 'Operational',
    recurrence: 'Recurring',
    account: '100-2700-610-100-001',
    year1: 90_000,
    year2: 90_000,
    year3: 90_000,
    status: 'Submitted',
  }),
  proposalRow({
    id: 'P-04',
    title: 'Central-office contracts',
    owner: 'Business office',
    type: 'Reduction',
    category: 'Operational',
    recurrence: 'Recurring',
    account: '100-1000-610-100-001',
    year1: 40_000,
    year2: 40_000,
    year3: 40_000,
    status: 'Submitted',
  }),
  proposalRow({
    id: 'P-05',
    title: 'Tablets',
    owner: 'Lincoln Elementary',
    type: 'Addition',
    recurrence: 'One-time',
    account: '100-1000-610-100-001',
    year1: 30_000,
    status: 'Draft',
  }),
  proposalRow({
    id: 'P-06',
    title: 'Closed school garden',
    owner: 'Old Mill',
    site: '009',
    type: 'Addition',
    recurrence: 'One-time',
    account: '100-1000-610-100-001',
    year1: 5_000,
    status: 'Submitted',
  }),
];

export function seedProposals(port: MemoryPort): void {
  port.setSheet(SHEETS.proposals, [[...PROPOSALS_HEADER], ...PROPOSALS]);
  port.setSheet(
    SHEETS.rubric,
    gridOf(
      RUBRIC_TABLE,
      ['criterion', 'weight'],
      [
        ['Impact on students', '60%'],
        ['Urgency', '40%'],
      ],
    ),
  );
  const s = (proposal: string, reviewer: string, impact: number, urgency: number): CellValue[][] => [
    [proposal, reviewer, 'Impact on students', impact],
    [proposal, reviewer, 'Urgency', urgency],
  ];
  port.setSheet(
    SHEETS.scores,
    gridOf(
      SCORES_TABLE,
      ['proposal', 'reviewer', 'criterion', 'score'],
      [
        ...s('P-01', 'rivera', 5, 4),
        ...s('P-01', 'chen', 5, 4),
        ...s('P-02', 'rivera', 4, 5),
        ...s('P-03', 'okafor', 3, 3),
        ...s('P-04', 'chen', 4, 2),
      ],
    ),
  );
  port.setSheet(
    SHEETS.community,
    gridOf(
      COMMUNITY_TABLE,
      ['proposal', 'source', 'support', 'oppose', 'summary'],
      [
        ['P-01', 'Community survey', 130, 10, 'parents want it'],
        ['P-01', 'Board', 10, 2, 'asked for the evidence'],
      ],
    ),
  );
}
