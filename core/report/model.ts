/**
 * The board report's model, computed from a consolidation that went through the approval gate (see
 * core/operations/report.ts): pure, integer cents throughout. Revenues are never added to
 * expenditures: the function, object, site and per-pupil figures are expenditures only (the chart's
 * Classes), revenues appear in the fund summary and the prior-year comparison on their own rows.
 */
import type { Validator } from '../accounts/api';
import type { Classifier } from '../accounts/classes';
import type { AccountClass } from '../accounts/types';
import type { LedgerLine } from '../approval/lines';
import type { Cents } from '../money';
import type { Proposal } from '../proposals/read';
import { signedCents } from '../proposals/read';
import type { FundFigures, FundSummary, RevenueEstimate } from '../rollup/funds';
import type { ProjectionYear } from '../rollup/projection';
import { ancestors } from '../rollup/tree';
import type {
  BoardReport,
  CodeAmount,
  OriginalBudget,
  PriorYear,
  ReportComparisonRow,
  ReportFund,
  ReportSite,
  ReportStatus,
} from './types';

export interface ReportSiteInput {
  readonly code: string;
  readonly name: string;
  /** approved, or the chain's state of a site that is not. */
  readonly state: string;
  readonly enrollment: number;
  /** Whether its lines are in the consolidation (approved, or unapproved and included, marked). */
  readonly included: boolean;
  readonly ledger: readonly LedgerLine[];
}

export interface ReportInput {
  readonly district: string;
  readonly fiscalYear: number;
  readonly status: ReportStatus;
  readonly preparedAt: string;
  readonly unapproved: 'exclude' | 'include-marked';
  readonly accounts: Pick<Validator, 'keys' | 'split' | 'lookup' | 'chart'>;
  readonly classes: Classifier;
  readonly sites: readonly ReportSiteInput[];
  /** The consolidation's district totals by account (the gated ledger). */
  readonly byAccount: ReadonlyMap<string, { readonly cents: Cents; readonly fte: number }>;
  readonly funds: FundSummary;
  /** The budget year and the two projected years. */
  readonly projection: readonly ProjectionYear[];
  readonly revenues: readonly RevenueEstimate[];
  /** Job type code → title (the Job Types table). */
  readonly jobTitles: ReadonlyMap<string, string>;
  readonly proposals: readonly Proposal[];
  /** Segments whose codes form a hierarchy: their tables show the top-level codes. */
  readonly hierarchical: readonly string[];
  readonly original?: OriginalBudget;
  /** Last year's figures by account, when the host has them (another workbook, the ERP). */
  readonly priorYear?: PriorYear;
}

export function statusText(s: ReportStatus): string {
  if (s.kind === 'adopted')
    return `ADOPTED ${s.on}${s.resolution.trim() ? ` (Resolution ${s.resolution.trim()})` : ''}`;
  return s.kind === 'proposed' ? 'PROPOSED' : 'DRAFT';
}

function reportFund(f: FundFigures): ReportFund {
  return {
    fund: f.fund,
    name: f.name,
    beginningBalanceCents: f.beginningBalanceCents,
    revenuesCents: f.revenuesCents,
    expendituresCents: f.expendituresCents,
    otherSourcesCents: f.otherSourcesCents,
    otherUsesCents: f.otherUsesCents,
    netChangeCents: f.netChangeCents,
    endingBalanceCents: f.endingBalanceCents,
    reservePercent: f.reservePercent,
  };
}

/** Change as a % of `prior` (2 decimals), null when there is no prior or it is zero. */
export function percentChange(prior: Cents | null, now: Cents): number | null {
  if (prior === null || prior === 0) return null;
  return Math.round(((now - prior) / Math.abs(prior)) * 10000) / 100;
}

/** Per pupil, rounded half away from zero to the cent; null without pupils. */
export function perPupil(cents: Cents, pupils: number): Cents | null {
  if (!(pupils > 0)) return null;
  const q = cents / pupils;
  return Math.sign(q) * Math.round(Math.abs(q));
}

/**
 * Totals by one segment's code (its top-level code when the segment is hierarchical), of one account
 * class (expenditures unless told).
 */
function bySegment(
  input: ReportInput,
  key: string,
  lines: Iterable<{ readonly account: string; readonly cents: Cents }>,
  cls: AccountClass = 'expenditure',
): Map<string, Cents> {
  const k = input.accounts.keys.indexOf(key);
  const out = new Map<string, Cents>();
  if (k < 0) return out;
  const hierarchical = input.hierarchical.includes(key);
  for (const l of lines) {
    const segs = input.accounts.split(l.account);
    if (!segs || input.classes.classify(segs) !== cls) continue;
    const code = segs[k] ?? '';
    const top = hierarchical ? (ancestors(code).pop() ?? code) : code;
    out.set(top, (out.get(top) ?? 0) + l.cents);
  }
  return out;
}

function codeAmounts(
  input: ReportInput,
  key: string,
  final: ReadonlyMap<string, Cents>,
  original: ReadonlyMap<string, Cents> | undefined,
): CodeAmount[] {
  const codes = [...new Set([...final.keys(), ...(original?.keys() ?? [])])].sort();
  return codes.map((code) => ({
    code,
    name: input.accounts.lookup(key, code)?.description ?? '',
    cents: final.get(code) ?? 0,
    ...(original ? { originalCents: original.get(code) ?? 0 } : {}),
  }));
}

function segmentLabel(input: ReportInput, key: string): string {
  return input.accounts.chart.segments.find((s) => s.key === key)?.name ?? key;
}

function isExpenditure(input: ReportInput, account: string): boolean {
  const segs = input.accounts.split(account);
  return segs !== undefined && input.classes.classify(segs) === 'expenditure';
}

/**
 * Revenues by fund, original and final: the final is the fund summary's (the Revenues table's
 * estimates plus revenue lines of the sites and amendments); the original the same with the original
 * budget's revenue lines in place of the final ones (the Revenues table is not amended).
 */
function revenuesByFund(
  input: ReportInput,
  ledger: readonly { readonly account: string; readonly cents: Cents }[],
  original: OriginalBudget['lines'] | undefined,
): CodeAmount[] {
  const finalLines = bySegment(input, 'fund', ledger, 'revenue');
  const originalLines = original ? bySegment(input, 'fund', original, 'revenue') : undefined;
  return input.funds.funds
    .filter((f) => f.revenuesCents !== 0 || (originalLines?.get(f.fund) ?? 0) !== 0)
    .map((f) => ({
      code: f.fund,
      name: f.name,
      cents: f.revenuesCents,
      ...(originalLines
        ? {
            originalCents: f.revenuesCents - (finalLines.get(f.fund) ?? 0) + (originalLines.get(f.fund) ?? 0),
          }
        : {}),
    }));
}

/** The board report, section by section. */
export function buildBoardReport(input: ReportInput): BoardReport {
  const ledger = [...input.byAccount].map(([account, a]) => ({ account, cents: a.cents }));
  const original = input.original?.lines;
  const byFunction = codeAmounts(
    input,
    'function',
    bySegment(input, 'function', ledger),
    original ? bySegment(input, 'function', original) : undefined,
  );
  const byFund = codeAmounts(
    input,
    'fund',
    bySegment(input, 'fund', ledger),
    original ? bySegment(input, 'fund', original) : undefined,
  );
  const revenues = revenuesByFund(input, ledger, original);
  const byObject = codeAmounts(
    input,
    'object',
    bySegment(input, 'object', ledger),
    original ? bySegment(input, 'object', original) : undefined,
  );

  const sites: ReportSite[] = input.sites
    .filter((s) => s.included)
    .map((s) => {
      let cents = 0;
      let fte = 0;
      for (const l of s.ledger)
        if (isExpenditure(input, l.account)) {
          cents += l.cents;
          fte += l.fte ?? 0;
        }
      return {
        code: s.code,
        name: s.name,
        state: s.state,
        enrollment: s.enrollment,
        expendituresCents: cents,
        perPupilCents: perPupil(cents, s.enrollment),
        fte,
      };
    });

  const jobs = new Map<string, { fte: number; cents: Cents }>();
  for (const s of input.sites)
    if (s.included)
      for (const l of s.ledger)
        if (l.jobType !== undefined && (l.fte ?? 0) !== 0) {
          const j = jobs.get(l.jobType) ?? { fte: 0, cents: 0 };
          j.fte += l.fte ?? 0;
          j.cents += l.cents;
          jobs.set(l.jobType, j);
        }
  const fteByJob = [...jobs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([job, j]) => ({ job, title: input.jobTitles.get(job) ?? '', fte: j.fte, cents: j.cents }));

  const comparison = compare(input, byFunction);
  const district = reportFund(input.funds.district);
  const totalFte = [...input.byAccount].reduce(
    (n, [acct, a]) => n + (isExpenditure(input, acct) ? a.fte : 0),
    0,
  );
  return {
    cover: {
      district: input.district,
      fiscalYear: input.fiscalYear,
      status: input.status,
      statusText: statusText(input.status),
      preparedAt: input.preparedAt,
      sitesIncluded: sites.length,
      sitesNotApproved: input.sites
        .filter((s) => s.state !== 'approved')
        .map((s) => ({ code: s.code, name: s.name, state: s.state })),
      unapproved: input.unapproved,
    },
    funds: input.funds.funds.map(reportFund),
    district,
    projection: input.projection.map((y) => ({
      fiscalYear: y.fiscalYear,
      funds: y.funds.map(reportFund),
      district: reportFund(y.district),
    })),
    byFunction,
    byObject,
    byFund,
    revenuesByFund: revenues,
    functionLabel: segmentLabel(input, 'function'),
    objectLabel: segmentLabel(input, 'object'),
    sites,
    fteByJob,
    comparison,
    proposals: input.proposals
      .filter((p) => p.status === 'accepted')
      .map((p) => ({
        id: p.id,
        title: p.title,
        site: p.site,
        type: p.type,
        recurrence: p.recurrence,
        costCents: signedCents(p, 0),
      })),
    ...(original
      ? {
          original: {
            ...(input.original?.adoptedOn ? { adoptedOn: input.original.adoptedOn } : {}),
            expendituresCents: original.reduce(
              (n, l) => n + (isExpenditure(input, l.account) ? l.cents : 0),
              0,
            ),
            revenuesCents: revenues.reduce((n, f) => n + (f.originalCents ?? 0), 0),
          },
        }
      : {}),
    totals: {
      expendituresCents: district.expendituresCents,
      revenuesCents: district.revenuesCents,
      fte: totalFte,
    },
  };
}

/**
 * Prior year vs proposed vs change. Expenditures by function against last year's figures when the
 * host gives them (`priorYear`, by account); a district workbook keeps none of its own (the Sites
 * table's "Prior year budget" is the base of funding rules, not a site's spending, so it is not used
 * here). Revenues against the Revenues table's "Prior year actual" (roll-forward carries each
 * estimate there). A total only when every row of it has a prior-year figure; what the workbook does
 * not hold is said, never made up.
 */
function compare(input: ReportInput, byFunction: readonly CodeAmount[]): BoardReport['comparison'] {
  const rows: ReportComparisonRow[] = [];
  const notes: string[] = [];
  const row = (label: string, prior: Cents | null, now: Cents): ReportComparisonRow => ({
    label,
    priorCents: prior,
    proposedCents: now,
    changeCents: prior === null ? null : now - prior,
    changePercent: percentChange(prior, now),
  });
  const expenditures = input.funds.district.expendituresCents;
  const fn = segmentLabel(input, 'function').toLowerCase();
  if (input.priorYear) {
    const prior = bySegment(input, 'function', input.priorYear.lines);
    const codes = [...new Set([...byFunction.map((f) => f.code), ...prior.keys()])].sort();
    for (const code of codes) {
      const name = input.accounts.lookup('function', code)?.description ?? '';
      rows.push(
        row(
          `Expenditures, ${fn} ${code}${name ? ` ${name}` : ''}`,
          prior.get(code) ?? 0,
          byFunction.find((f) => f.code === code)?.cents ?? 0,
        ),
      );
    }
    const priorTotal = input.priorYear.lines.reduce(
      (n, l) => n + (isExpenditure(input, l.account) ? l.cents : 0),
      0,
    );
    rows.push(row('Total expenditures', priorTotal, expenditures));
    if (input.priorYear.label) notes.push(`Prior year: ${input.priorYear.label}.`);
  } else {
    rows.push(row('Total expenditures', null, expenditures));
    notes.push(
      "Prior year not available for expenditures: the district workbook keeps no prior-year expenditures (the Sites table's \"Prior year budget\" is the base of funding rules, not spending); the command line's --prior names last year's workbook.",
    );
  }
  const revenues = input.revenues.filter((r) => r.class === 'revenue');
  for (const r of revenues)
    rows.push(row(`Revenue: ${r.description || r.source} (fund ${r.fund})`, r.priorCents ?? null, r.cents));
  const revPriors = revenues.filter((r) => r.priorCents !== undefined);
  const allRevPriors = revenues.length > 0 && revPriors.length === revenues.length;
  if (revenues.length)
    rows.push(
      row(
        'Total revenues (Revenues table)',
        allRevPriors ? revPriors.reduce((n, r) => n + (r.priorCents ?? 0), 0) : null,
        revenues.reduce((n, r) => n + r.cents, 0),
      ),
    );
  if (!revenues.length) notes.push('No revenue estimates: the Revenues table is empty or missing.');
  else if (!allRevPriors)
    notes.push(
      revPriors.length === 0
        ? 'Prior year not available for revenues: the Revenues table has no "Prior year actual" figures.'
        : `Prior year total of revenues not available: ${revenues.length - revPriors.length} of ${revenues.length} revenue rows have no "Prior year actual".`,
    );
  return { rows, notes };
}
