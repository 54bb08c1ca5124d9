/**
 * `bench proposals-rank <n> proposals/s`: 2,000 NCES proposals, a five-criterion rubric and three
 * reviewers' scores (30,000 rows) read from their grids, checked (accounts through the chart
 * validator), scored, ranked and cut at a funding line, with the product's own functions.
 */
import {
  compileChart,
  fundingLine,
  headerOf,
  loadPreset,
  PROPOSALS_TABLE,
  readProposals,
  readRubric,
  readScores,
  rowOf,
  scoreProposals,
  type CellValue,
} from '../core';
import { bestRate, report, rng } from './util';

const PROPOSALS = 2000;
const CRITERIA = ['Impact', 'Alignment', 'Cost per student', 'Urgency', 'Equity'];
const REVIEWERS = ['r1@district.org', 'r2@district.org', 'r3@district.org'];

export default function (): void {
  const v = compileChart(loadPreset('nces'), 2027);
  const r = rng(2027);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const proposals: CellValue[][] = [headerOf(PROPOSALS_TABLE)];
  const scores: CellValue[][] = [['Proposal', 'Reviewer', 'Criterion', 'Score']];
  for (let i = 0; i < PROPOSALS; i++) {
    const id = `P-${i + 1}`;
    const oneTime = r() < 0.4;
    const amount = 1000 * (5 + Math.floor(r() * 300));
    proposals.push(
      rowOf(PROPOSALS_TABLE, {
        id,
        type: r() < 0.2 ? 'Reduction' : 'Addition',
        recurrence: oneTime ? 'One-time' : 'Recurring',
        account: `100-${pick(['1000', '2120', '2700', '2660'])}-${pick(['111', '610', '730', '510'])}-100-${String(1 + (i % 60)).padStart(3, '0')}`,
        year1: amount,
        year2: oneTime ? null : amount,
        year3: oneTime ? null : amount,
        status: 'Submitted',
      }),
    );
    for (const reviewer of REVIEWERS)
      for (const c of CRITERIA) scores.push([id, reviewer, c, 1 + Math.floor(r() * 5)]);
  }
  const rubricGrid = [['Criterion', 'Weight'], ...CRITERIA.map((c, i) => [c, i + 1])];
  let fits = 0;
  const rate = bestRate(PROPOSALS, () => {
    const p = readProposals(proposals, { validator: v, sites: new Set() });
    const rubric = readRubric(rubricGrid);
    const s = readScores(scores, { proposals: p.ids, criteria: rubric.rows });
    fits = fundingLine(scoreProposals(p.rows, rubric.rows, s.rows), 50_000_000_00).fits.length;
  });
  if (fits === 0) throw new Error('proposals bench: nothing fit');
  report('proposals-rank', Math.round(rate), 'proposals/s');
}
