/**
 * Budget-change proposals and scenarios as operations (one read, at most one write):
 *
 * - `proposals` (read-only): every proposal with its status, weighted score, rank, community input
 *   and where it falls against the funding line (the money the fund summary leaves above the
 *   reserve policy's minimum).
 * - `decide`: leadership (the CFO, through core/approval/permissions) accepts, rejects or defers a
 *   proposal with a reason. One write: the proposal's Status, Decision reason, Decided by and
 *   Decided at cells, one audit row on the Audit sheet chained to the last, and the new last hash in
 *   document state, or nothing at all.
 * - `scenarios` (read-only): the base and each named scenario of the Scenarios table, per fund for
 *   the budget year and the two after it (core/rollup/projection), with FTE and per-pupil spending.
 *   The base is never changed.
 */
import type { Validator } from '../accounts/api';
import { compileClasses } from '../accounts/classes';
import { makeEntry, verifyAuditLog } from '../approval/audit';
import { receiptForEntry } from '../approval/receipts';
import { escapeField, sha256Hex } from '../approval/hash';
import { normalizeEmail } from '../approval/roles';
import { a1, cellText, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { mulDivRound, type Cents } from '../money';
import type { DocumentState, SheetWrite, Snapshot, WriteBatch } from '../port/types';
import {
  fundingLine,
  proposalEffects,
  type Headroom,
  readCommunityInput,
  readProposals,
  readRubric,
  readScenarios,
  readScores,
  readStatus,
  scoreProposals,
  type FundingLine,
  type Proposal,
  type ProposalStatus,
  type ScoredProposal,
} from '../proposals';
import type { FundFigures, FundSummary, ReservePolicy } from '../rollup/funds';
import { fundJson, type FundJson } from '../rollup/funds';
import { project, type Assumption } from '../rollup/projection';
import { parseA1 } from '../cells';
import { readWorkbook, type Workbook } from '../workbook/read';
import { PROPOSALS_TABLE, SHEETS } from '../workbook/schema';
import { findColumns } from '../tables';
import type { Operation, OperationResult, Receipted, UnapprovedChoice } from './api';
import { auditWrite, cfoOf, plural, refuse, result } from './common';
import { districtFunds } from './funds';
import { chainOf, storedStateOf } from './trust';
import type { BudgetBasis } from './final';
import { projectionBase } from './projection';
import { marksAfter, planAcceptance, planRemoval, proposalContext } from './proposal-budget';

export interface ProposalView {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly site: string;
  readonly type: Proposal['type'];
  readonly category: string;
  readonly goal: string;
  readonly recurrence: Proposal['recurrence'];
  readonly account: string;
  /** Amounts as typed for the budget year and the two after it (a reduction cuts them). */
  readonly amountsCents: readonly [Cents, Cents, Cents];
  readonly fte: number;
  readonly status: ProposalStatus;
  readonly reason: string;
  readonly score: number | null;
  readonly rank?: number;
  readonly reviewers: number;
  readonly unscored: readonly string[];
  readonly community: {
    readonly support: number;
    readonly oppose: number;
    readonly summaries: readonly string[];
  };
  /** Every account it adds or cuts (its row's own, then its Proposal Lines rows), amounts as typed. */
  readonly lines: readonly {
    readonly site: string;
    readonly account: string;
    readonly amountsCents: readonly [Cents, Cents, Cents];
    readonly fte: number;
    readonly description: string;
    /** The job type of the staff it adds (accepted: Position rows), when given. */
    readonly jobType?: string;
    /** The funding source whose allocation it changes (accepted: an Allocations row), when given. */
    readonly source?: string;
  }[];
  /** Against the funding line: above (fits), below, or not ranked. */
  readonly funding: 'above' | 'below' | 'unranked';
  /** Why it is where it is against the funding line, in words. */
  readonly fundingReason: string;
}

export interface ProposalsResult extends OperationResult {
  readonly proposals?: readonly ProposalView[];
  readonly funding?: FundingLine;
}

interface ProposalBook {
  readonly proposals: readonly Proposal[];
  readonly ids: ReadonlySet<string>;
  readonly scored: readonly ScoredProposal[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The Proposals, Rubric, Scores and Community Input sheets, read and scored. */
function readProposalBook(wb: Workbook, snap: Snapshot, grid: Grid): ProposalBook | undefined {
  if (!wb.validator) return undefined;
  const p = readProposals(grid, proposalContext(wb, snap, wb.validator));
  const diagnostics: Diagnostic[] = [...p.diagnostics];
  const rubricGrid = snap.sheets[SHEETS.rubric];
  const rubric = rubricGrid ? readRubric(rubricGrid) : { rows: [], diagnostics: [] };
  diagnostics.push(...rubric.diagnostics);
  const scoreGrid = snap.sheets[SHEETS.scores];
  const scores = scoreGrid
    ? readScores(scoreGrid, { proposals: p.ids, criteria: rubric.rows })
    : { rows: [], diagnostics: [] };
  diagnostics.push(...scores.diagnostics);
  const communityGrid = snap.sheets[SHEETS.community];
  const community = communityGrid
    ? readCommunityInput(communityGrid, { proposals: p.ids })
    : { rows: [], diagnostics: [] };
  diagnostics.push(...community.diagnostics);
  return {
    proposals: p.rows,
    ids: p.ids,
    scored: scoreProposals(p.rows, rubric.rows, scores.rows, community.rows),
    diagnostics,
  };
}

/**
 * The money available for proposals: the ending balance above the reserve policy's minimum (its %
 * of expenditures) in the funds the policy names (the general fund: restricted funds' balances are
 * not free to spend), or the district's ending balance without a policy.
 */
export function moneyAvailable(summary: Pick<FundSummary, 'funds' | 'district' | 'policy'>): Cents {
  const policy = summary.policy;
  if (!policy || policy.funds.length === 0) return summary.district.endingBalanceCents;
  return summary.funds
    .filter((f) => policy.funds.includes(f.fund))
    .reduce(
      (n, f) => n + f.endingBalanceCents - mulDivRound(policy.minimumPpm, f.expendituresCents, 1_000_000),
      0,
    );
}

function viewOf(s: ScoredProposal, line: FundingLine | undefined): ProposalView {
  const p = s.proposal;
  return {
    id: p.id,
    title: p.title,
    owner: p.owner,
    site: p.site,
    type: p.type,
    category: p.category,
    goal: p.goal,
    recurrence: p.recurrence,
    account: p.account,
    amountsCents: p.amounts,
    fte: p.fte / 1000,
    status: p.status,
    reason: p.reason,
    score: s.score,
    ...(s.rank !== undefined ? { rank: s.rank } : {}),
    reviewers: s.reviewers,
    unscored: s.unscored,
    community: {
      support: s.community.support,
      oppose: s.community.oppose,
      summaries: s.community.inputs.map((x) => [x.source, x.summary, x.link].filter(Boolean).join(': ')),
    },
    lines: p.lines.map((l) => ({
      site: l.site,
      account: l.account,
      amountsCents: l.amounts,
      fte: l.fte / 1000,
      description: l.description,
      ...(l.jobType ? { jobType: l.jobType } : {}),
      ...(l.source ? { source: l.source } : {}),
    })),
    funding: line?.fits.includes(p.id) ? 'above' : line?.below.includes(p.id) ? 'below' : 'unranked',
    fundingReason:
      line?.reasons[p.id] ??
      (p.status === 'draft'
        ? 'not ranked: a draft, not submitted yet'
        : p.status === 'rejected'
          ? 'not ranked: rejected'
          : s.score === null
            ? 'not ranked: nobody has scored it yet'
            : line
              ? 'not ranked'
              : 'no funding line: the fund summary cannot be made'),
  };
}

const missingSheet = (): Diagnostic =>
  diag('BL801', { sheet: SHEETS.proposals, purpose: 'budget-change proposals' });

export const proposals: Operation<{ readonly unapproved?: UnapprovedChoice }, ProposalsResult> = {
  name: 'proposals',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args) {
    const wb = readWorkbook(snap);
    const grid = snap.sheets[SHEETS.proposals];
    if (!grid)
      return { result: refuse([missingSheet()], 'No proposals: the workbook has no Proposals sheet.') };
    const book = readProposalBook(wb, snap, grid);
    if (!book)
      return { result: refuse(wb.diagnostics, 'No proposals: the chart of accounts cannot be read.') };
    const base = projectionBase(snap, args.unapproved ?? 'include-marked', 'funding line');
    const diagnostics = [...book.diagnostics];
    let line: FundingLine | undefined;
    if ('refused' in base) diagnostics.push(...base.refused.diagnostics);
    else {
      // The line over the budget year and the two after it: a proposal fits only if every
      // reserve-policy fund stays at or above its minimum in every projected year.
      const headroom = headroomOf(base, snap);
      line = fundingLine(
        book.scored,
        headroom([]).cents,
        headroom,
        new Set(base.inBudget.map((p) => p.id.toUpperCase())),
      );
    }
    const views = book.scored
      .map((s) => viewOf(s, line))
      .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
    return {
      result: {
        ...result(
          true,
          diagnostics,
          `${plural(views.length, 'proposal')}, ${views.filter((v) => v.rank !== undefined).length} ranked${line ? `; ${plural(line.fits.length, 'proposal')} above the funding line, ${plural(line.below.length, 'proposal')} below` : ''}.`,
        ),
        proposals: views,
        ...(line ? { funding: line } : {}),
      },
    };
  },
};

export type DecisionChoice = 'accept' | 'reject' | 'defer';

const DECIDED: Readonly<Record<DecisionChoice, ProposalStatus>> = {
  accept: 'accepted',
  reject: 'rejected',
  defer: 'deferred',
};

/** What each status may become by a decision. */
const MAY_BECOME: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  draft: [],
  submitted: ['accepted', 'rejected', 'deferred'],
  'under review': ['accepted', 'rejected', 'deferred'],
  deferred: ['accepted', 'rejected'],
  accepted: ['rejected', 'deferred'],
  rejected: [],
};

export interface DecideArgs {
  readonly proposal: string;
  readonly decision: DecisionChoice;
  readonly reason: string;
}

export interface DecideResult extends OperationResult, Receipted {
  readonly status?: ProposalStatus;
}

/** The text a proposal's audit rows hash: what exactly was submitted or decided on. */
export function proposalContent(p: Proposal): string {
  return [
    p.id,
    p.site,
    p.type,
    p.recurrence,
    // A line's Job type and Funding source change what accepting it writes: hashed when given (a
    // proposal without them hashes as it did before they existed).
    ...p.lines.flatMap((l) => [
      l.site,
      l.account,
      ...l.amounts.map(String),
      String(l.fte),
      ...(l.jobType || l.source ? [l.jobType, l.source] : []),
    ]),
    p.title,
  ]
    .map(escapeField)
    .join('\t');
}

export const decide: Operation<DecideArgs, DecideResult> = {
  name: 'decide',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const status = DECIDED[args.decision];
    const cfo = cfoOf(wb, snap.user, options, 'decide');
    if ('refused' in cfo)
      return {
        result: refuse([cfo.refused], `Proposal ${args.proposal} was not ${status}: ${cfo.refused.message}.`),
      };
    if (snap.stateDiagnostics?.length)
      return {
        result: refuse(
          snap.stateDiagnostics,
          `Proposal ${args.proposal} was not ${status}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
        ),
      };
    const grid = snap.sheets[SHEETS.proposals];
    if (!grid)
      return {
        result: refuse([missingSheet()], `Nothing was decided: the workbook has no Proposals sheet.`),
      };
    const found = findColumns(
      grid[0] ?? [],
      PROPOSALS_TABLE.columns,
      PROPOSALS_TABLE.table,
      SHEETS.proposals,
    );
    if (found.diagnostics.length)
      return {
        result: refuse(found.diagnostics, 'Nothing was decided: the Proposals sheet lacks a column.'),
      };
    const col = found.columns;
    const id = args.proposal.trim();
    const index = grid.findIndex(
      (r, i) => i > 0 && cellText(r[col.id]).trim().toUpperCase() === id.toUpperCase(),
    );
    const row = grid[index];
    if (index < 0 || !row) {
      const known = grid
        .slice(1)
        .map((r) => cellText(r[col.id]).trim())
        .filter(Boolean);
      return {
        result: refuse([diag('BL908', { id, known })], `Nothing was decided: there is no proposal ${id}.`),
      };
    }
    const reasonCell = a1(index, col.reason);
    const where = { sheet: SHEETS.proposals };
    if (!args.reason.trim())
      return {
        result: refuse(
          [diag('BL904', { id, decision: status }, { ...where, cell: reasonCell })],
          `Proposal ${id} was not ${status}: a decision needs a reason.`,
        ),
      };
    const current = readStatus(cellText(row[col.status]));
    if (!current || !MAY_BECOME[current].includes(status))
      return {
        result: refuse(
          [
            diag(
              'BL907',
              { id, decision: status, status: current ?? cellText(row[col.status]) },
              { ...where, cell: a1(index, col.status) },
            ),
          ],
          `Proposal ${id} was not ${status}.`,
        ),
      };
    if (!wb.validator)
      return { result: refuse(wb.diagnostics, 'Nothing was decided: the chart of accounts cannot be read.') };
    // The row as it would be decided, checked like every row: nothing is written if it would be wrong.
    const decided = grid.map((r, i) => {
      if (i !== index) return r;
      const copy: CellValue[] = [...r];
      copy[col.status] = status;
      copy[col.reason] = args.reason.trim();
      return copy;
    });
    const read = readProposals(decided, proposalContext(wb, snap, wb.validator));
    const onRow = read.diagnostics.filter(
      (d) => d.sheet === SHEETS.proposals && d.cell !== undefined && parseA1(d.cell)?.row === index,
    );
    const proposal = read.rows.find((p) => p.row === index);
    if (!proposal || onRow.some((d) => d.severity === 'fatal'))
      return {
        result: refuse(
          [
            ...onRow.filter((d) => d.severity === 'fatal'),
            // Its lines on the Proposal Lines sheet, when they are what keeps it out.
            ...(proposal
              ? []
              : read.diagnostics.filter((d) => d.sheet === SHEETS.proposalLines && d.severity === 'fatal')),
          ],
          `Proposal ${id} was not ${status}: fix its row first.`,
        ),
      };
    // The chain, not the stored state, says where the next entry links; a chain that does not
    // verify is not extended (as for workflow steps).
    const chain = chainOf(snap, wb);
    const stored = storedStateOf(snap);
    const broken = [
      ...chain.findings,
      ...verifyAuditLog(chain.log, stored.kind === 'present' ? stored.lastAuditHash : undefined),
    ];
    if (broken.length)
      return {
        result: refuse(
          broken,
          `Proposal ${id} was not ${status}: the audit log cannot be trusted, so no decision is added to it. Run verify.`,
        ),
      };
    // Accepted: its lines go into the sites' sheets; accepted before and now rejected or deferred:
    // exactly its lines leave again. All in this write, or the decision is refused.
    const change =
      status === 'accepted'
        ? planAcceptance(proposal, wb, snap, chain, wb.validator)
        : current === 'accepted'
          ? planRemoval(proposal.id, wb, snap, chain)
          : undefined;
    if (change && 'refused' in change)
      return {
        result: refuse(
          change.refused,
          `Proposal ${id} was not ${status}: ${status === 'accepted' ? 'its lines cannot go into the budget' : 'its lines cannot leave the budget'} now; nothing was changed.`,
        ),
      };
    const record = change?.record ?? [];
    const at = options.now();
    const entry = makeEntry({
      at,
      site: `Proposal ${proposal.id}`,
      action: 'decide',
      actor: normalizeEmail(cfo.actor.email),
      role: 'cfo',
      identity: cfo.actor.identity,
      contentHash: sha256Hex(proposalContent(proposal)),
      // The entry records what the decision did to the budget.
      comment: `${status}: ${args.reason.trim()}${record.length ? ` [${record.join('; ')}]` : ''}`,
      prevHash: chain.head,
    });
    const cell = (column: number, value: CellValue): SheetWrite => ({
      sheet: SHEETS.proposals,
      at: a1(index, column),
      values: [[value]],
      columnFormats: ['@'],
    });
    const sheets: SheetWrite[] = [
      cell(col.status, status),
      cell(col.reason, args.reason.trim()),
      ...(col.decidedBy >= 0 ? [cell(col.decidedBy, entry.actor)] : []),
      ...(col.decidedAt >= 0 ? [cell(col.decidedAt, at)] : []),
      auditWrite(snap, [entry]),
    ];
    // The cache is rewritten from the chain, with this entry as its head.
    const state: DocumentState = {
      version: 1,
      sites: Object.fromEntries(chain.replay.sites),
      lastAuditHash: entry.hash,
    };
    sheets.push(...(change?.sheets ?? []));
    // Lines in or out: every site validated as it will be, its marks in this write.
    const write: WriteBatch = {
      sheets,
      ...(change?.sheets.length ? marksAfter(snap, change.sheets, options) : {}),
      state,
    };
    return {
      result: {
        ...result(
          true,
          [...cfo.diagnostics, ...onRow, ...(change?.diagnostics ?? [])],
          `Proposal ${proposal.id}${proposal.title ? ` (${proposal.title})` : ''} ${status} by ${entry.actor}: ${args.reason.trim()}${record.length ? `. ${record.join('; ')}.` : ''}`,
        ),
        status,
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write,
    };
  },
};

export interface ScenarioFundJson extends FundJson {
  /** FTE in the fund's lines (positions), to three decimals. */
  readonly fte: number;
  /** Expenditures per student (enrollment), in cents; null without enrollment. */
  readonly perPupilCents: number | null;
}

export interface ScenarioYearJson {
  readonly fiscalYear: number;
  readonly enrollment: number;
  readonly funds: readonly ScenarioFundJson[];
  readonly district: ScenarioFundJson;
}

export interface ScenarioJson {
  readonly name: string;
  /** The proposals the scenario adds to the base (IDs). */
  readonly proposals: readonly string[];
  /** Accepted proposals already in the base that the scenario takes out (Accepted proposals off). */
  readonly removed: readonly string[];
  readonly years: readonly ScenarioYearJson[];
}

export interface ScenariosResult extends OperationResult {
  readonly scenarios?: readonly ScenarioJson[];
  /** After adoption: which budget the base's budget year is (the final budget, as consolidate's). */
  readonly budget?: BudgetBasis;
}

type LedgerEntry = { account: string; cents: Cents; fte: number; oneTimeCents?: Cents };

type Base = Exclude<ReturnType<typeof projectionBase>, { refused: OperationResult }>;

/**
 * The base ledger with proposals added (`chosen`) or taken out (`removed`, accepted ones in the base)
 * and a scenario's cuts, projected with the base's assumptions and the scenario's.
 */
function projectWith(
  base: Base,
  snap: Snapshot,
  chosen: readonly Proposal[],
  removed: readonly Proposal[],
  extra: {
    assumptions: readonly Assumption[];
    cuts: readonly { account: string; cents: Cents }[];
  },
): { p: ReturnType<typeof project>; ledger: LedgerEntry[] } | { diagnostics: readonly Diagnostic[] } {
  const { wb, validator } = base;
  // Taking an accepted proposal out is adding its opposite.
  const opposite = removed.map((p) => ({
    ...p,
    type: p.type === 'reduction' ? ('addition' as const) : ('reduction' as const),
  }));
  const effects = proposalEffects([...chosen, ...opposite], validator);
  const ledger: LedgerEntry[] = [
    ...base.ledger.map((l) => ({ ...l })),
    ...effects.ledger,
    ...extra.cuts.map((c) => ({ account: c.account, cents: -c.cents, fte: 0, oneTimeCents: -c.cents })),
  ];
  const funds = districtFunds(wb, snap, ledger);
  if (!funds) return { diagnostics: wb.diagnostics };
  const assumptions = [...base.assumptions, ...effects.assumptions, ...extra.assumptions];
  const p = project({
    fiscalYear: base.fiscalYear,
    base: funds.summary,
    accounts: validator,
    chart: validator.chart,
    classes: compileClasses(validator.chart),
    ledger,
    revenues: funds.revenues,
    assumptions,
    ...(wb.setup?.reservePolicy ? { policy: wb.setup.reservePolicy } : {}),
  });
  return { p, ledger };
}

/**
 * The funding line's test of a set of proposals: the lowest margin above the reserve minimum of the
 * policy's funds (each fund, every year of the projection), or of the district's ending balance
 * without a policy.
 */
function headroomOf(base: Base, snap: Snapshot): (chosen: readonly Proposal[]) => Headroom {
  const policy = base.wb.setup?.reservePolicy;
  return (chosen) => {
    const r = projectWith(base, snap, chosen, [], { assumptions: [], cuts: [] });
    if ('diagnostics' in r) return { cents: -1, where: 'the projection cannot be made' };
    return lowestMargin(r.p.years, policy);
  };
}

/** The lowest margin above the reserve minimum over the years (each policy fund, or the district). */
export function lowestMargin(
  years: readonly { fiscalYear: number; funds: readonly FundFigures[]; district: FundFigures }[],
  policy: ReservePolicy | undefined,
): Headroom {
  let worst: Headroom | undefined;
  for (const y of years) {
    const checked =
      policy && policy.funds.length
        ? y.funds.filter((f) => policy.funds.includes(f.fund))
        : [{ ...y.district, fund: 'the district' }];
    for (const f of checked) {
      const minimum = policy ? mulDivRound(policy.minimumPpm, f.expendituresCents, 1_000_000) : 0;
      const cents = f.endingBalanceCents - minimum;
      if (!worst || cents < worst.cents)
        worst = {
          cents,
          where: `${f.fund === 'the district' ? 'the district' : `fund ${f.fund}`} in FY${y.fiscalYear}`,
        };
    }
  }
  return worst ?? { cents: 0, where: 'no year' };
}

/** One scenario's figures: the base ledger with the scenario's lines, projected with its assumptions. */
function runScenario(
  base: Exclude<ReturnType<typeof projectionBase>, { refused: OperationResult }>,
  snap: Snapshot,
  name: string,
  chosen: readonly Proposal[],
  removed: readonly Proposal[],
  extra: {
    assumptions: readonly Assumption[];
    cuts: readonly { account: string; cents: Cents }[];
    enrollmentPpm: number;
  },
): ScenarioJson | { diagnostics: readonly Diagnostic[] } {
  const { wb, validator } = base;
  const projected = projectWith(base, snap, chosen, removed, extra);
  if ('diagnostics' in projected) return projected;
  const { p, ledger } = projected;
  const fteByFund = fteOf(validator, ledger, chosen);
  const enrollment0 = wb.sites.reduce((n, s) => n + s.site.enrollment, 0);
  let factor = 1;
  const years = p.years.map((y, k) => {
    if (k > 0) {
      const ppm =
        extra.enrollmentPpm +
        base.assumptions
          .filter((a) => a.kind === 'enrollment' && a.year === k && a.fund === undefined)
          .reduce((n, a) => n + (a.ppm ?? 0), 0);
      factor *= 1 + ppm / 1_000_000;
    }
    // Compounded on the exact figure, rounded once to whole students.
    const enrollment = Math.round(enrollment0 * factor);
    const figures = (f: FundFigures, fte: number): ScenarioFundJson => ({
      ...fundJson(f),
      fte: fte / 1000,
      perPupilCents: enrollment > 0 ? Math.round(f.expendituresCents / enrollment) : null,
    });
    const year = Math.min(k, 2);
    return {
      fiscalYear: y.fiscalYear,
      enrollment,
      funds: y.funds.map((f) => figures(f, fteByFund(f.fund, year))),
      district: figures(y.district, fteByFund(undefined, year)),
    };
  });
  return { name, proposals: chosen.map((c) => c.id), removed: removed.map((c) => c.id), years };
}

/** FTE by fund and year: the lines' FTE, less one-time proposals after the budget year. */
function fteOf(
  validator: Validator,
  ledger: readonly LedgerEntry[],
  chosen: readonly Proposal[],
): (fund: string | undefined, year: number) => number {
  const fi = validator.keys.indexOf('fund');
  const fundOf = (account: string): string => validator.split(account)?.[fi] ?? '';
  const total = new Map<string, number>();
  for (const l of ledger) total.set(fundOf(l.account), (total.get(fundOf(l.account)) ?? 0) + l.fte);
  const oneTime = new Map<string, number>();
  for (const p of chosen)
    if (p.recurrence === 'one-time')
      for (const l of p.lines) {
        const f = fundOf(l.account);
        oneTime.set(f, (oneTime.get(f) ?? 0) + (p.type === 'reduction' ? -l.fte : l.fte));
      }
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((n, x) => n + x, 0);
  return (fund, year) => {
    const all = fund === undefined ? sum(total) : (total.get(fund) ?? 0);
    const drop = year === 0 ? 0 : fund === undefined ? sum(oneTime) : (oneTime.get(fund) ?? 0);
    return all - drop;
  };
}

export const scenarios: Operation<{ readonly unapproved?: UnapprovedChoice }, ScenariosResult> = {
  name: 'scenarios',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args) {
    const base = projectionBase(snap, args.unapproved ?? 'include-marked', 'scenarios');
    if ('refused' in base) return { result: base.refused };
    const { wb, validator } = base;
    const diagnostics: Diagnostic[] = [...base.diagnostics];
    const proposalGrid = snap.sheets[SHEETS.proposals];
    const book = proposalGrid ? readProposalBook(wb, snap, proposalGrid) : undefined;
    const rows = book?.proposals ?? [];
    const scenarioGrid = snap.sheets[SHEETS.scenarios];
    if (!scenarioGrid)
      return {
        result: refuse(
          [diag('BL801', { sheet: SHEETS.scenarios, purpose: 'what-if scenarios' })],
          'No scenarios: the workbook has no Scenarios sheet.',
        ),
      };
    const read = readScenarios(scenarioGrid, {
      validator,
      proposals: book?.ids ?? new Set<string>(),
    });
    diagnostics.push(...read.diagnostics);
    if (read.diagnostics.some((d) => d.severity === 'fatal'))
      return { result: refuse(diagnostics, 'No scenarios compared: fix the Scenarios rows named.') };
    const out: ScenarioJson[] = [];
    const all = [{ name: 'Base', assumptions: [], cuts: [], enrollmentPpm: 0 } as const, ...read.rows];
    for (const s of all) {
      // Accepted proposals whose lines are in the sites' sheets are in the base already: "on" adds
      // only the others, "off" takes those out.
      const on = 'proposals' in s ? s.proposals : undefined;
      const inBase = new Set(base.inBudget.map((p) => p.id.toUpperCase()));
      const chosen = !on?.on
        ? []
        : (on.ids.length
            ? rows.filter((p) => on.ids.includes(p.id.toUpperCase()) && p.status !== 'rejected')
            : rows.filter((p) => p.status === 'accepted')
          ).filter((p) => !inBase.has(p.id.toUpperCase()));
      const removed = on && !on.on ? base.inBudget : [];
      const r = runScenario(base, snap, s.name, chosen, removed, s);
      if ('diagnostics' in r)
        return { result: refuse(r.diagnostics, 'No scenarios: the chart has no account classes.') };
      out.push(r);
    }
    return {
      result: {
        ...result(
          true,
          diagnostics,
          `${plural(read.rows.length, 'scenario')} compared with the base, FY${base.fiscalYear}–FY${base.fiscalYear + 2}.${base.budget ? ` Base budget year: the ${base.budget.text}.` : ''}`,
        ),
        scenarios: out,
        ...(base.budget ? { budget: base.budget } : {}),
      },
    };
  },
};
