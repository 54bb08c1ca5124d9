/**
 * Prioritisation: each proposal's weighted score from the reviewers' scores and the rubric, its rank,
 * and the funding line (which proposals fit in rank order in the money available, and what is left).
 */
import { compareText } from '../cells';
import { formatCents, type Cents } from '../money';
import { signedCents, type CommunityInput, type Criterion, type Proposal, type Score } from './read';

export interface ScoredProposal {
  readonly proposal: Proposal;
  /**
   * The weighted score on the 1–5 scale, to two decimals: each criterion's mean over its reviewers,
   * weighted by the rubric; null when nobody scored it.
   */
  readonly score: number | null;
  /** Criteria of the rubric nobody scored for this proposal (the score is over the others). */
  readonly unscored: readonly string[];
  readonly reviewers: number;
  /** 1 = first; undefined for drafts, rejected and unscored proposals. */
  readonly rank?: number;
  readonly community: {
    readonly support: number;
    readonly oppose: number;
    readonly inputs: readonly CommunityInput[];
  };
}

/** Statuses that compete for the money (a draft is not submitted yet; a rejected one is out). */
const RANKED = new Set(['submitted', 'under review', 'accepted', 'deferred']);

export function scoreProposals(
  proposals: readonly Proposal[],
  rubric: readonly Criterion[],
  scores: readonly Score[],
  community: readonly CommunityInput[] = [],
): ScoredProposal[] {
  const byProposal = new Map<string, Score[]>();
  for (const s of scores) {
    const list = byProposal.get(s.proposal);
    if (list) list.push(s);
    else byProposal.set(s.proposal, [s]);
  }
  const inputsOf = new Map<string, CommunityInput[]>();
  for (const x of community) {
    const list = inputsOf.get(x.proposal);
    if (list) list.push(x);
    else inputsOf.set(x.proposal, [x]);
  }
  const scored = proposals.map((p) => {
    const mine = byProposal.get(p.id.toUpperCase()) ?? [];
    let weighted = 0;
    let weights = 0;
    const unscored: string[] = [];
    for (const c of rubric) {
      const cs = mine.filter((s) => s.criterion === c.name);
      if (!cs.length) {
        unscored.push(c.name);
        continue;
      }
      weighted += (c.weightMilli * cs.reduce((n, s) => n + s.score, 0)) / cs.length;
      weights += c.weightMilli;
    }
    const inputs = inputsOf.get(p.id.toUpperCase()) ?? [];
    return {
      proposal: p,
      score: weights > 0 ? Math.round((100 * weighted) / weights) / 100 : null,
      unscored,
      reviewers: new Set(mine.map((s) => s.reviewer.toLowerCase())).size,
      community: {
        support: inputs.reduce((n, x) => n + x.support, 0),
        oppose: inputs.reduce((n, x) => n + x.oppose, 0),
        inputs,
      },
    };
  });
  const ranked = scored
    .filter((s) => s.score !== null && RANKED.has(s.proposal.status))
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || compareText(a.proposal.id, b.proposal.id));
  const rankOf = new Map(ranked.map((s, i) => [s, i + 1]));
  return scored.map((s) => (rankOf.has(s) ? { ...s, rank: rankOf.get(s) as number } : s));
}

export interface FundingLine {
  /**
   * The money available: the reserve-policy funds' lowest margin above their reserve minimum over the
   * budget year and the two after it (without a policy, the district's lowest ending balance).
   */
  readonly availableCents: Cents;
  /** The ranked proposals above the line, in rank order. */
  readonly fits: readonly string[];
  /** The ranked proposals below it: the first that did not fit and every one after it. */
  readonly below: readonly string[];
  /** The budget-year cost of the proposals above the line (reductions count as savings). */
  readonly costCents: Cents;
  /** What is left above the reserve minimum in the tightest year once those above the line are in. */
  readonly leftCents: Cents;
  /** Why each ranked proposal is where it is, by ID. */
  readonly reasons: Readonly<Record<string, string>>;
}

/**
 * What the proposals `chosen` leave: the lowest margin above the reserve minimum over the projected
 * years and funds (negative: short), and where it is, in words.
 */
export interface Headroom {
  readonly cents: Cents;
  /** "fund 100 in FY2029" */
  readonly where: string;
}

/**
 * The funding line: ranked proposals in rank order join the budget while every reserve-policy fund
 * stays at or above its reserve minimum in every projected year (`headroom` projects the budget with
 * a set of proposals); the first that would take a fund below it, and every proposal after it, are
 * below the line. Proposals already in the budget (`inBudget`, accepted and applied) are above it
 * and in the base already. Without `headroom`, the budget-year cost is taken from `availableCents`.
 */
export function fundingLine(
  scored: readonly ScoredProposal[],
  availableCents: Cents,
  headroom?: (chosen: readonly Proposal[]) => Headroom,
  inBudget: ReadonlySet<string> = new Set(),
): FundingLine {
  const ranked = scored.filter((s) => s.rank !== undefined).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const fits: string[] = [];
  const below: string[] = [];
  const reasons: Record<string, string> = {};
  const chosen: Proposal[] = [];
  let left = availableCents;
  let cost = 0;
  let stopper = '';
  for (const s of ranked) {
    const p = s.proposal;
    if (inBudget.has(p.id.toUpperCase())) {
      fits.push(p.id);
      cost += signedCents(p, 0);
      reasons[p.id] = 'accepted: its lines are in the budget already';
      continue;
    }
    if (below.length) {
      below.push(p.id);
      reasons[p.id] = `below the line: ranked after ${stopper}, which does not fit`;
      continue;
    }
    if (headroom) {
      const h = headroom([...chosen, p]);
      if (h.cents >= 0) {
        chosen.push(p);
        fits.push(p.id);
        cost += signedCents(p, 0);
        left = h.cents;
        reasons[p.id] =
          `fits: ${formatCents(h.cents)} left above the reserve minimum at the tightest (${h.where})`;
      } else {
        below.push(p.id);
        stopper = p.id;
        reasons[p.id] =
          `does not fit: ${h.where} would end ${formatCents(-h.cents)} below the reserve minimum`;
      }
      continue;
    }
    const c = signedCents(p, 0);
    if (c <= left) {
      fits.push(p.id);
      left -= c;
      cost += c;
      reasons[p.id] = `fits: ${formatCents(left)} left in the budget year`;
    } else {
      below.push(p.id);
      stopper = p.id;
      reasons[p.id] = `does not fit: it costs ${formatCents(c)}, ${formatCents(left)} is left`;
    }
  }
  return { availableCents, fits, below, costCents: cost, leftCents: left, reasons };
}
