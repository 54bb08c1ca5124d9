/**
 * The Proposals, Rubric, Scores and Community Input tables, read like the other tables: every
 * problem is a finding on its own cell (sheet and cell), and a row with a fatal finding is left out
 * of the scores and the funding line, never corrected silently.
 */
import type { Validator } from '../accounts/api';
import { openTable, type TableOptions } from '../budget/table';
import { parseCount, scaledDecimal, type MilliFte } from '../budget/units';
import { cellText, isBlank, type Where } from '../cells';
import type { CellValue, Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { parseMoney, type Cents } from '../money';
import { normalizeHeader } from '../tables';
import {
  CATEGORIES_TABLE,
  COMMUNITY_TABLE,
  PROPOSAL_LINES_TABLE,
  PROPOSALS_TABLE,
  RUBRIC_TABLE,
  SCORES_TABLE,
  SHEETS,
  specOf,
} from '../workbook/schema';

export type ProposalType = 'addition' | 'reduction';
export type Recurrence = 'one-time' | 'recurring';
export type ProposalStatus = 'draft' | 'submitted' | 'under review' | 'accepted' | 'rejected' | 'deferred';
export type Decision = 'accepted' | 'rejected' | 'deferred';

export const STATUSES: readonly ProposalStatus[] = [
  'draft',
  'submitted',
  'under review',
  'accepted',
  'rejected',
  'deferred',
];

/** The scale every criterion is scored on. */
export const SCALE = { low: 1, high: 5 } as const;

/** One account a proposal adds to or cuts (the Proposals row's own, or a Proposal Lines row). */
export interface ProposalLine {
  /** The site whose sheet it goes to when accepted: the line's Site, else the proposal's ('' none). */
  readonly site: string;
  /** The canonical account string. */
  readonly account: string;
  /** Amounts as typed (positive), for the budget year and the two after it. */
  readonly amounts: readonly [Cents, Cents, Cents];
  readonly fte: MilliFte;
  readonly description: string;
  /** The job type of the staff it adds ('' none): accepted, an addition with one becomes a Position row. */
  readonly jobType: string;
  /** The funding source whose allocation to the site it adds to or cuts ('' none): accepted, an Allocations row too. */
  readonly source: string;
  /** Where it was typed: the Proposals sheet (the row's Account cell) or Proposal Lines. */
  readonly sheet: string;
  readonly cell: string;
  /** The cells of its Budget year and Funding source (for findings about them). */
  readonly cells: { readonly year1: string; readonly source: string };
}

export interface Proposal {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  /** The site whose lines it changes; blank: district-wide. */
  readonly site: string;
  readonly type: ProposalType;
  readonly category: string;
  readonly goal: string;
  readonly recurrence: Recurrence;
  /** The first line's account (the row's own Account when it has one). */
  readonly account: string;
  /** The lines' amounts added up (positive, as typed), for the budget year and the two after it. */
  readonly amounts: readonly [Cents, Cents, Cents];
  /** The lines' FTE added up. */
  readonly fte: MilliFte;
  /** Every account it adds or cuts: the row's own Account first, then its Proposal Lines rows. */
  readonly lines: readonly ProposalLine[];
  readonly impact: string;
  readonly evidence: string;
  readonly status: ProposalStatus;
  readonly reason: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** Its row on the Proposals sheet (0-based, the header is row 0). */
  readonly row: number;
}

/** A proposal's signed effect on spending in year i (0: the budget year): a reduction is negative. */
export function signedCents(p: Pick<Proposal, 'type' | 'amounts'>, year: 0 | 1 | 2): Cents {
  const c = p.amounts[year];
  return p.type === 'reduction' ? -c : c;
}

const PROPOSAL_COLUMNS = specOf(PROPOSALS_TABLE);
const RUBRIC_COLUMNS = specOf(RUBRIC_TABLE);
const SCORE_COLUMNS = specOf(SCORES_TABLE);
const COMMUNITY_COLUMNS = specOf(COMMUNITY_TABLE);
const LINE_COLUMNS = specOf(PROPOSAL_LINES_TABLE);
const CATEGORY_COLUMNS = specOf(CATEGORIES_TABLE);

const key = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

export function readProposalType(text: string): ProposalType | undefined {
  const t = key(text);
  if (/^(addition|add|increase|new|expansion)/.test(t)) return 'addition';
  if (/^(reduction|reduce|cut|decrease|saving)/.test(t)) return 'reduction';
  return undefined;
}

export function readRecurrence(text: string): Recurrence | undefined {
  const t = key(text);
  if (/^(onetime|once|nonrecurring)$/.test(t)) return 'one-time';
  if (/^(recurring|ongoing|annual|continuing)$/.test(t)) return 'recurring';
  return undefined;
}

export function readStatus(text: string): ProposalStatus | undefined {
  const t = key(text);
  if (t === '') return 'draft';
  return STATUSES.find((s) => key(s) === t) ?? (t === 'inreview' ? 'under review' : undefined);
}

export interface ProposalContext {
  readonly validator: Pick<Validator, 'check'>;
  /** The Sites table's codes. */
  readonly sites: ReadonlySet<string>;
  /** The Proposal Lines sheet, when the workbook has one. */
  readonly lines?: Grid;
  /** The Proposal Categories sheet, when the workbook has one: a Category must be one of its rows. */
  readonly categories?: Grid;
  /** The Job Types table's codes, when it can be read: a line's Job type must be one of them. */
  readonly jobTypes?: ReadonlySet<string>;
}

export type CategoryKind = 'student-facing' | 'operational';

export interface Category {
  readonly name: string;
  readonly kind: CategoryKind;
  readonly description: string;
}

export function readCategoryKind(text: string): CategoryKind | undefined {
  const t = key(text);
  if (/^(studentfacing|student|instructional|classroom)/.test(t)) return 'student-facing';
  if (/^(operational|operations|operating|noninstructional)/.test(t)) return 'operational';
  return undefined;
}

/** The Proposal Categories table: each category once, student-facing or operational (BL917 otherwise). */
export function readCategories(
  grid: Grid,
  options: TableOptions = { sheet: SHEETS.categories },
): { rows: Category[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, CATEGORY_COLUMNS, CATEGORIES_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: Category[] = [];
  const seen = new Set<string>();
  for (const { row, index } of t.rows) {
    const name = t.text(row, 'category');
    const problem = (k: keyof typeof CATEGORY_COLUMNS, p: string): void => {
      diagnostics.push(diag('BL917', { problem: p }, t.where(index, k)));
    };
    if (!name) {
      problem('category', 'a category has no name');
      continue;
    }
    if (seen.has(normalizeHeader(name))) {
      problem('category', `"${name}" is listed twice`);
      continue;
    }
    seen.add(normalizeHeader(name));
    const kindText = t.text(row, 'kind');
    const kind = readCategoryKind(kindText);
    if (!kind) {
      problem('kind', `the Kind "${kindText}" of "${name}" is neither student-facing nor operational`);
      continue;
    }
    rows.push({ name, kind, description: t.has('description') ? t.text(row, 'description') : '' });
  }
  return { rows, diagnostics };
}

interface LineDraft {
  readonly site: string;
  readonly account: string | undefined;
  readonly amounts: Cents[];
  readonly unreadable: boolean[];
  readonly fte: MilliFte;
  readonly description: string;
  readonly jobType: string;
  readonly source: string;
  readonly sheet: string;
  readonly cells: {
    readonly account: Where;
    readonly years: readonly Where[];
    readonly jobType: Where;
    readonly fte: Where;
    readonly source: Where;
  };
}

interface AmountCell {
  readonly blank: boolean;
  readonly value: CellValue;
  readonly at: Where;
}

/** Amounts of the three years from their cells: findings for a blank budget year, a non-amount, a negative. */
function readAmounts(
  cells: readonly AmountCell[],
  problem: (i: number, p: string) => void,
  diagnostics: Diagnostic[],
): { amounts: Cents[]; unreadable: boolean[] } {
  const amounts: Cents[] = [];
  const unreadable: boolean[] = [];
  cells.forEach((c, i) => {
    if (c.blank) {
      if (i === 0) problem(0, 'the budget-year amount is blank');
      unreadable.push(i === 0);
      amounts.push(0);
      return;
    }
    const m = parseMoney(c.value, c.at, 'amount');
    if (!m.ok) diagnostics.push(m.diagnostic);
    else if (m.value < 0)
      problem(
        i,
        'the amount is negative: type it as a positive number, the Type says whether it adds or cuts',
      );
    unreadable.push(!m.ok || m.value < 0);
    amounts.push(m.ok && m.value >= 0 ? m.value : 0);
  });
  return { amounts, unreadable };
}

function readFte(v: CellValue, problem: (p: string) => void): MilliFte {
  if (isBlank(v)) return 0;
  const f = scaledDecimal(v, 3);
  if ('problem' in f || f.value < 0) {
    problem(`the FTE "${cellText(v).trim()}" is not a number of positions, 0 or more (e.g. 2 or 0.5)`);
    return 0;
  }
  return f.value;
}

const YEARS = ['year1', 'year2', 'year3'] as const;

/** BL921 when a line's Job type cannot make a position: not a job type of the table, or no FTE. */
function jobTypeFindings(
  id: string,
  jobType: string,
  fte: MilliFte,
  ctx: ProposalContext,
  jobCell: Where,
  fteCell: Where,
  diagnostics: Diagnostic[],
): void {
  if (!jobType) return;
  if (ctx.jobTypes && !ctx.jobTypes.has(jobType))
    diagnostics.push(
      diag(
        'BL921',
        {
          id,
          problem: `the job type ${jobType} is not on the Job Types sheet${ctx.jobTypes.size ? ` (${[...ctx.jobTypes].slice(0, 8).join(', ')})` : ''}`,
        },
        jobCell,
      ),
    );
  else if (fte <= 0)
    diagnostics.push(
      diag(
        'BL921',
        { id, problem: `the job type ${jobType} has no FTE: how many positions does it add?` },
        fteCell,
      ),
    );
}

/** The Proposal Lines table, by proposal ID (upper case); a row naming no proposal on the sheet is BL913. */
function readLineDrafts(
  grid: Grid,
  ctx: ProposalContext,
  ids: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): Map<string, { draft: LineDraft; fatal: boolean }[]> {
  const t = openTable(grid, LINE_COLUMNS, PROPOSAL_LINES_TABLE.table, { sheet: SHEETS.proposalLines });
  diagnostics.push(...t.diagnostics);
  const out = new Map<string, { draft: LineDraft; fatal: boolean }[]>();
  if (!t.ok) return out;
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const at = (k: keyof typeof LINE_COLUMNS): Where => t.where(index, k);
    const id = t.text(row, 'proposal');
    if (!ids.has(id.toUpperCase())) {
      diagnostics.push(diag('BL913', { id }, at('proposal')));
      continue;
    }
    const check = ctx.validator.check(t.value(row, 'account'), at('account'));
    diagnostics.push(...check.diagnostics);
    const cells = YEARS.map((k) => (t.has(k) ? at(k) : at('year1')));
    const { amounts, unreadable } = readAmounts(
      YEARS.map((k, i) => ({
        blank: !t.has(k) || t.blank(row, k),
        value: t.has(k) ? t.value(row, k) : null,
        at: cells[i] ?? at('year1'),
      })),
      (i, p) => diagnostics.push(diag('BL901', { id, problem: p }, cells[i] ?? at('year1'))),
      diagnostics,
    );
    const fte = readFte(t.has('fte') ? t.value(row, 'fte') : null, (p) =>
      diagnostics.push(diag('BL901', { id, problem: p }, at('fte'))),
    );
    const site = t.has('site') ? t.text(row, 'site') : '';
    if (site && !ctx.sites.has(site))
      diagnostics.push(diag('BL905', { id, site }, { ...at('site'), severity: 'warning' }));
    const jobType = t.has('jobType') ? t.text(row, 'jobType') : '';
    jobTypeFindings(id, jobType, fte, ctx, at('jobType'), at('fte'), diagnostics);
    const list = out.get(id.toUpperCase()) ?? [];
    list.push({
      draft: {
        site,
        account: check.normalized,
        amounts,
        unreadable,
        fte,
        description: t.has('description') ? t.text(row, 'description') : '',
        jobType,
        source: t.has('source') ? t.text(row, 'source') : '',
        sheet: SHEETS.proposalLines,
        cells: {
          account: at('account'),
          years: cells,
          jobType: t.has('jobType') ? at('jobType') : at('account'),
          fte: t.has('fte') ? at('fte') : at('account'),
          source: t.has('source') ? at('source') : at('account'),
        },
      },
      fatal: diagnostics.slice(before).some((d) => d.severity === 'fatal') || !check.normalized,
    });
    out.set(id.toUpperCase(), list);
  }
  return out;
}

/** The Proposals table. Rows with a fatal finding are left out of `rows`; `ids` holds every ID typed (upper case). */
export function readProposals(
  grid: Grid,
  ctx: ProposalContext,
  options: TableOptions = { sheet: SHEETS.proposals },
): { rows: Proposal[]; ids: Set<string>; diagnostics: Diagnostic[] } {
  const t = openTable(grid, PROPOSAL_COLUMNS, PROPOSALS_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: Proposal[] = [];
  const seen = new Set<string>();
  const allIds = new Set(t.rows.map(({ row }) => t.text(row, 'id').toUpperCase()).filter(Boolean));
  const drafts: ReturnType<typeof readLineDrafts> = ctx.lines
    ? readLineDrafts(ctx.lines, ctx, allIds, diagnostics)
    : new Map();
  const categoryRead = ctx.categories ? readCategories(ctx.categories) : undefined;
  if (categoryRead) diagnostics.push(...categoryRead.diagnostics);
  const categories =
    categoryRead && categoryRead.rows.length
      ? new Map(categoryRead.rows.map((c) => [normalizeHeader(c.name), c.name]))
      : undefined;
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const at = (k: keyof typeof PROPOSAL_COLUMNS): Where => t.where(index, k);
    const id = t.text(row, 'id');
    const problem = (k: keyof typeof PROPOSAL_COLUMNS, p: string): void => {
      diagnostics.push(diag('BL901', { id, problem: p }, at(k)));
    };
    if (!id) problem('id', 'the ID is blank');
    else if (seen.has(id.toUpperCase())) problem('id', `the ID ${id} is used by an earlier row`);
    if (id) seen.add(id.toUpperCase());
    const typeText = t.text(row, 'type');
    const type = readProposalType(typeText);
    if (!type) problem('type', `the Type "${typeText}" is neither addition nor reduction`);
    const recurrenceText = t.text(row, 'recurrence');
    const recurrence = readRecurrence(recurrenceText);
    if (!recurrence) problem('recurrence', `"${recurrenceText}" is neither one-time nor recurring`);
    const hasAccount = t.has('account') && !t.blank(row, 'account');
    const more = drafts.get(id.toUpperCase()) ?? [];
    const lineDrafts: LineDraft[] = [];
    let linesFatal = more.some((m) => m.fatal);
    if (hasAccount || more.length === 0) {
      const lineBefore = diagnostics.length;
      const check = ctx.validator.check(t.has('account') ? t.value(row, 'account') : null, at('account'));
      if (!hasAccount)
        problem(
          'account',
          `the proposal has no account: type it in Account, or list its lines on the ${SHEETS.proposalLines} sheet`,
        );
      else diagnostics.push(...check.diagnostics);
      const cells = YEARS.map((k) => (t.has(k) ? at(k) : at('account')));
      const { amounts, unreadable } = readAmounts(
        YEARS.map((k, i) => ({
          blank: !t.has(k) || t.blank(row, k),
          value: t.has(k) ? t.value(row, k) : null,
          at: cells[i] ?? at('account'),
        })),
        (i, p) => diagnostics.push(diag('BL901', { id, problem: p }, cells[i] ?? at('account'))),
        diagnostics,
      );
      const fte = readFte(t.has('fte') ? t.value(row, 'fte') : null, (p) => problem('fte', p));
      const jobType = t.has('jobType') ? t.text(row, 'jobType') : '';
      jobTypeFindings(id, jobType, fte, ctx, at('jobType'), at('fte'), diagnostics);
      lineDrafts.push({
        site: '',
        account: check.normalized,
        amounts,
        unreadable,
        fte,
        description: '',
        jobType,
        source: t.has('source') ? t.text(row, 'source') : '',
        sheet: SHEETS.proposals,
        cells: {
          account: at('account'),
          years: cells,
          jobType: t.has('jobType') ? at('jobType') : at('account'),
          fte: t.has('fte') ? at('fte') : at('account'),
          source: t.has('source') ? at('source') : at('account'),
        },
      });
      if (diagnostics.slice(lineBefore).some((d) => d.severity === 'fatal') || !check.normalized)
        linesFatal = true;
    }
    lineDrafts.push(...more.map((m) => m.draft));
    // A reduction cuts money, never a person: a position someone typed is not removed by a decision.
    if (type === 'reduction')
      for (const l of lineDrafts)
        if (l.jobType)
          diagnostics.push(
            diag(
              'BL921',
              {
                id,
                problem: `a reduction cannot add staff, yet its line on ${l.account ?? 'its account'} names the job type ${l.jobType}`,
              },
              l.cells.jobType,
            ),
          );
    // Each line's amounts must match the proposal's Recurrence, on the line's own cells.
    for (const l of lineDrafts) {
      if (recurrence === 'one-time')
        for (const i of [1, 2] as const)
          if ((l.amounts[i] ?? 0) !== 0)
            diagnostics.push(
              diag(
                'BL902',
                { id, recurrence, problem: `it has an amount in year ${i + 1}` },
                l.cells.years[i] ?? l.cells.account,
              ),
            );
      if (recurrence === 'recurring')
        for (const i of [0, 1, 2] as const)
          if ((l.amounts[i] ?? 0) === 0 && !l.unreadable[i])
            diagnostics.push(
              diag(
                'BL902',
                {
                  id,
                  recurrence,
                  problem: `it has no amount in ${i === 0 ? 'the budget year' : `year ${i + 1}`}`,
                },
                l.cells.years[i] ?? l.cells.account,
              ),
            );
    }
    const category = t.has('category') ? t.text(row, 'category') : '';
    if (categories && category && !categories.has(normalizeHeader(category)))
      diagnostics.push(diag('BL916', { id, category, known: [...categories.values()] }, at('category')));
    const statusText = t.text(row, 'status');
    const status = readStatus(statusText);
    if (!status) problem('status', `the Status "${statusText}" is not one of ${STATUSES.join(', ')}`);
    const reason = t.text(row, 'reason');
    if ((status === 'accepted' || status === 'rejected' || status === 'deferred') && !reason)
      diagnostics.push(diag('BL904', { id, decision: status }, at('reason')));
    const site = t.has('site') ? t.text(row, 'site') : '';
    if (site && !ctx.sites.has(site))
      diagnostics.push(
        diag(
          'BL905',
          { id, site },
          { ...at('site'), ...(status === 'accepted' ? {} : { severity: 'warning' }) },
        ),
      );
    const fatal = diagnostics.slice(before).some((d) => d.severity === 'fatal');
    if (fatal || linesFatal || !type || !recurrence || !status) continue;
    const text = (k: keyof typeof PROPOSAL_COLUMNS): string => (t.has(k) ? t.text(row, k) : '');
    const title = text('title');
    const lines: ProposalLine[] = lineDrafts.map((l) => ({
      site: l.site || site,
      account: l.account ?? '',
      amounts: [l.amounts[0] ?? 0, l.amounts[1] ?? 0, l.amounts[2] ?? 0],
      fte: l.fte,
      description: l.description || title,
      jobType: l.jobType,
      source: l.source,
      sheet: l.sheet,
      cell: l.cells.account.cell ?? '',
      cells: { year1: l.cells.years[0]?.cell ?? '', source: l.cells.source.cell ?? '' },
    }));
    const total = (i: 0 | 1 | 2): Cents => lines.reduce((n, l) => n + l.amounts[i], 0);
    rows.push({
      id,
      title,
      owner: text('owner'),
      site,
      type,
      category: text('category'),
      goal: text('goal'),
      recurrence,
      account: lines[0]?.account ?? '',
      amounts: [total(0), total(1), total(2)],
      fte: lines.reduce((n, l) => n + l.fte, 0),
      lines,
      impact: text('impact'),
      evidence: text('evidence'),
      status,
      reason,
      decidedBy: text('decidedBy'),
      decidedAt: text('decidedAt'),
      row: index,
    });
  }
  return { rows, ids: seen, diagnostics };
}

export interface Criterion {
  readonly name: string;
  /** Relative weight in thousandths (30% and 0.3 and 30 are the same share when all are typed alike). */
  readonly weightMilli: number;
  readonly description: string;
}

/** The Rubric table. */
export function readRubric(
  grid: Grid,
  options: TableOptions = { sheet: SHEETS.rubric },
): { rows: Criterion[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, RUBRIC_COLUMNS, RUBRIC_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: Criterion[] = [];
  const seen = new Set<string>();
  for (const { row, index } of t.rows) {
    const name = t.text(row, 'criterion');
    const problem = (k: keyof typeof RUBRIC_COLUMNS, p: string): void => {
      diagnostics.push(diag('BL906', { table: 'Rubric', problem: p }, t.where(index, k)));
    };
    if (!name) {
      problem('criterion', 'a criterion has no name');
      continue;
    }
    if (seen.has(normalizeHeader(name))) {
      problem('criterion', `the criterion "${name}" is listed twice`);
      continue;
    }
    seen.add(normalizeHeader(name));
    const raw = t.value(row, 'weight');
    const text = cellText(raw).trim();
    const w = scaledDecimal(typeof raw === 'string' ? text.replace(/%$/, '') : raw, 3);
    if ('problem' in w || w.value <= 0) {
      problem('weight', `the weight "${text}" of "${name}" is not a positive number`);
      continue;
    }
    rows.push({
      name,
      weightMilli: w.value,
      description: t.has('description') ? t.text(row, 'description') : '',
    });
  }
  return { rows, diagnostics };
}

export interface Score {
  readonly proposal: string;
  readonly reviewer: string;
  readonly criterion: string;
  readonly score: number;
}

/** The Scores table, checked against the proposals' IDs and the rubric's criteria. */
export function readScores(
  grid: Grid,
  ctx: { readonly proposals: ReadonlySet<string>; readonly criteria: readonly Criterion[] },
  options: TableOptions = { sheet: SHEETS.scores },
): { rows: Score[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, SCORE_COLUMNS, SCORES_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: Score[] = [];
  const byName = new Map(ctx.criteria.map((c) => [normalizeHeader(c.name), c.name]));
  const seen = new Set<string>();
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const problem = (k: keyof typeof SCORE_COLUMNS, p: string): void => {
      diagnostics.push(diag('BL906', { table: 'Scores', problem: p }, t.where(index, k)));
    };
    const proposal = t.text(row, 'proposal');
    if (!ctx.proposals.has(proposal.toUpperCase()))
      problem('proposal', `"${proposal}" is not a proposal ID on the Proposals sheet`);
    const reviewer = t.text(row, 'reviewer');
    if (!reviewer) problem('reviewer', 'the reviewer is blank');
    const criterionText = t.text(row, 'criterion');
    const criterion = byName.get(normalizeHeader(criterionText));
    if (!criterion) problem('criterion', `"${criterionText}" is not a criterion of the Rubric`);
    const raw = t.value(row, 'score');
    const n = typeof raw === 'number' ? raw : isBlank(raw) ? NaN : Number(cellText(raw).trim());
    if (!Number.isInteger(n) || n < SCALE.low || n > SCALE.high)
      diagnostics.push(diag('BL903', { shown: cellText(raw).trim(), ...SCALE }, t.where(index, 'score')));
    const k = `${proposal.toUpperCase()}\t${reviewer.toLowerCase()}\t${criterion ?? ''}`;
    if (diagnostics.length === before && seen.has(k))
      problem('score', `${reviewer} scored ${proposal} on "${criterion ?? ''}" twice`);
    seen.add(k);
    if (diagnostics.length > before || !criterion) continue;
    rows.push({ proposal: proposal.toUpperCase(), reviewer, criterion, score: n });
  }
  return { rows, diagnostics };
}

export interface CommunityInput {
  readonly proposal: string;
  readonly source: string;
  readonly support: number;
  readonly oppose: number;
  readonly summary: string;
  readonly link: string;
}

/** The Community Input table. */
export function readCommunityInput(
  grid: Grid,
  ctx: { readonly proposals: ReadonlySet<string> },
  options: TableOptions = { sheet: SHEETS.community },
): { rows: CommunityInput[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, COMMUNITY_COLUMNS, COMMUNITY_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: CommunityInput[] = [];
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const proposal = t.text(row, 'proposal');
    if (!ctx.proposals.has(proposal.toUpperCase()))
      diagnostics.push(
        diag(
          'BL906',
          { table: 'Community Input', problem: `"${proposal}" is not a proposal ID on the Proposals sheet` },
          t.where(index, 'proposal'),
        ),
      );
    const count = (k: 'support' | 'oppose'): number => {
      if (!t.has(k) || t.blank(row, k)) return 0;
      const c = parseCount(t.value(row, k), t.where(index, k), k);
      if (c.ok) return c.value;
      diagnostics.push(c.diagnostic);
      return 0;
    };
    const support = count('support');
    const oppose = count('oppose');
    if (diagnostics.length > before) continue;
    const text = (k: keyof typeof COMMUNITY_COLUMNS): string => (t.has(k) ? t.text(row, k) : '');
    rows.push({
      proposal: proposal.toUpperCase(),
      source: text('source'),
      support,
      oppose,
      summary: text('summary'),
      link: text('link'),
    });
  }
  return { rows, diagnostics };
}
