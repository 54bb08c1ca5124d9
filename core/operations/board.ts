/**
 * The board's vote and amendments as operations (issue 15), on the audit chain like approvals
 * (core/approval/board.ts), each one read and at most one write:
 *
 * - `adopt` (the CFO, after the board's vote: date and resolution): refused unless every site is
 *   approved and the approval gate passes; writes the Adopted Budget sheet (the original budget,
 *   protected), one audit entry holding its hash, and the state.
 * - `notAdopted` (the CFO): the board did not adopt; one audit entry with the board's comment. The
 *   sites are reopened with `reopenSites` (core/operations/workflow.ts).
 * - `amend`: add (a drafted row, audited), approve (the site's approver or the CFO, never who drafted
 *   it, with the resolution) or apply (the CFO) one amendment. A finding on the amendment's own cell
 *   refuses the step and nothing is written.
 * - `budgetColumns(snapshot)` (pure, for reports): original, final (original + applied amendments)
 *   and variance by site, fund, function and object, revenues never added to expenditures.
 */
import { ACCOUNT_CLASSES, compileClasses } from '../accounts/classes';
import type { AccountClass } from '../accounts/types';
import { makeEntry, verifyAuditLog, type AuditEntry } from '../approval/audit';
import {
  adoptedHash,
  adoptedHashWithRevenues,
  adoptedLinesOf,
  adoptedRevenueRows,
  adoptedSheetRows,
  amendmentHash,
  amendmentSite,
  appliedAmendments,
  DISTRICT_SITE,
  readAmendments,
  replayBoard,
  resolutionComment,
  voteComment,
  type AdoptedLine,
  type AdoptedRevenue,
  type AmendmentState,
  type BoardReplay,
  type BoardState,
} from '../approval/board';
import { amendmentRefusals } from '../approval/permissions';
import { receiptForEntry } from '../approval/receipts';
import { hasRole, normalizeEmail } from '../approval/roles';
import { identityRefusal, type Actor } from '../approval/workflow';
import type { CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import type { DocumentState, SheetWrite, Snapshot, WriteBatch } from '../port/types';
import {
  AMENDMENTS_TABLE,
  formatsOf,
  headerOf,
  ADOPTED_REVENUES_TABLE,
  ADOPTED_TABLE,
  SHEETS,
} from '../workbook/schema';
import { findColumns } from '../tables';
import { readWorkbook, type Workbook } from '../workbook/read';
import type { Operation, OperationResult, Receipted } from './api';
import { actorOf, auditWrite, cfoOf, plural, refuse, result } from './common';
import { districtFunds } from './funds';
import {
  approvalGate,
  chainOf,
  siteContent,
  siteState,
  storedStateOf,
  totalFinding,
  type Chain,
} from './trust';

export interface BoardResult extends OperationResult, Receipted {
  /** Where the budget stands after the step. */
  readonly board?: BoardView;
}

/** Where the budget stands with the board, for status, panes and reports. */
export interface BoardView {
  readonly state: BoardState;
  /** ADOPTED: the board's vote date (YYYY-MM-DD) and resolution. */
  readonly adopted?: { readonly date: string; readonly resolution: string; readonly hash: string };
  /** Not adopted: the board's comment. */
  readonly comment?: string;
  readonly amendments: readonly {
    readonly id: string;
    readonly site: string;
    readonly state: AmendmentState;
    readonly reason: string;
    readonly resolution: string;
  }[];
}

const WHOLE = { sheets: 'all', state: true, user: true } as const;

const PROTECT_ADOPTED =
  'The budget as the board adopted it (the original budget): change it through amendments.';

/** The chain, verified (a chain that does not verify is not extended), and the board replayed from it. */
function boardChain(
  snap: Snapshot,
  wb: Workbook,
): { chain: Chain; board: BoardReplay; broken: readonly Diagnostic[] } {
  const chain = chainOf(snap, wb);
  const stored = storedStateOf(snap);
  const broken = [
    ...chain.findings,
    ...verifyAuditLog(chain.log, stored.kind === 'present' ? stored.lastAuditHash : undefined),
  ];
  return { chain, board: chain.replay.board, broken };
}

/** The board view of a snapshot (the chain decides; the Amendments table gives reasons). */
export function boardView(snap: Snapshot, wb: Workbook = readWorkbook(snap)): BoardView {
  const board = replayBoard(chainOf(snap, wb).log);
  const rows = readAmendments(
    snap.sheets[SHEETS.amendments],
    wb.validator,
    wb.sites.map((s) => s.code),
  ).rows;
  const amendments = rows.map((r) => {
    const rec = board.amendments.get(r.id);
    return {
      id: r.id,
      site: r.site,
      state: rec?.state ?? 'drafted',
      reason: r.reason,
      resolution: rec?.resolution ?? r.resolution,
    };
  });
  return {
    state: board.state,
    ...(board.adoption
      ? {
          adopted: {
            date: board.adoption.date,
            resolution: board.adoption.resolution,
            hash: board.adoption.hash,
          },
        }
      : {}),
    ...(board.state === 'revision' && board.revision ? { comment: board.revision.comment } : {}),
    amendments,
  };
}

function stateAfter(chain: Chain, last: AuditEntry): DocumentState {
  return { version: 1, sites: Object.fromEntries(chain.replay.sites), lastAuditHash: last.hash };
}

/** Every site's lines as its approval hashed them, tagged with the site (Sites order). */
function approvedLines(snap: Snapshot, wb: Workbook, codes: readonly string[]): AdoptedLine[] {
  return wb.sites
    .filter((s) => codes.includes(s.code))
    .flatMap((s) => siteContent(snap, wb, s).input.lines.map((l) => ({ ...l, site: s.code })));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** A district-wide board step's common checks: the CFO, verified identity if required, readable state and chain. */
function boardStep(
  snap: Snapshot,
  wb: Workbook,
  options: Parameters<Operation<unknown>['run']>[2],
  nothing: string,
):
  | { ok: true; actor: Actor; warnings: Diagnostic[]; chain: Chain; board: BoardReplay }
  | { ok: false; refused: OperationResult } {
  const cfo = cfoOf(wb, snap.user, options, 'adopt');
  if ('refused' in cfo)
    return { ok: false, refused: refuse([cfo.refused], `${nothing}: ${cfo.refused.message}.`) };
  const identity = identityRefusal(cfo.actor, 'adopt', wb.setup?.settings.verifiedIdentity);
  if (identity) return { ok: false, refused: refuse([identity], `${nothing}: ${identity.message}.`) };
  if (snap.stateDiagnostics?.length)
    return {
      ok: false,
      refused: refuse(
        snap.stateDiagnostics,
        `${nothing}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
      ),
    };
  if (!wb.validator)
    return {
      ok: false,
      refused: refuse(wb.diagnostics, `${nothing}: the chart of accounts cannot be read.`),
    };
  const { chain, board, broken } = boardChain(snap, wb);
  if (broken.length)
    return {
      ok: false,
      refused: refuse(
        broken,
        `${nothing}: the audit log cannot be trusted, so no step is added to it. Run verify.`,
      ),
    };
  return { ok: true, actor: cfo.actor, warnings: cfo.diagnostics, chain, board };
}

/**
 * The adopted lines' totals by account class, in words ("expenditures $71,950.50; other financing
 * uses $70.00"): revenues are never added to expenditures. Without Classes in the chart, one total
 * said to be of every line.
 */
export function classTotals(
  wb: Workbook,
  lines: readonly { readonly account: string; readonly cents: Cents }[],
): string {
  const v = wb.validator;
  if (!v?.chart.classes?.length)
    return `total of all lines ${formatCents(lines.reduce((t, l) => t + l.cents, 0))}; the chart has no account classes to tell revenues from expenditures`;
  const classes = compileClasses(v.chart);
  const sums = new Map<AccountClass | 'unclassified', Cents>();
  for (const l of lines) {
    const parts = v.split(l.account);
    const c = (parts && classes.classify(parts)) || 'unclassified';
    sums.set(c, (sums.get(c) ?? 0) + l.cents);
  }
  const word: Record<AccountClass | 'unclassified', string> = {
    revenue: 'revenues',
    otherSource: 'other financing sources',
    contribution: 'contributions',
    expenditure: 'expenditures',
    otherUse: 'other financing uses',
    beginningBalance: 'beginning balances',
    balanceAdjustment: 'balance adjustments',
    endingBalance: 'ending balances',
    balanceSheet: 'balance sheet accounts',
    unclassified: 'not classified',
  };
  const order: (AccountClass | 'unclassified')[] = [...ACCOUNT_CLASSES, 'unclassified'];
  const parts = order.filter((c) => sums.has(c)).map((c) => `${word[c]} ${formatCents(sums.get(c) ?? 0)}`);
  if (!sums.has('revenue')) parts.unshift("revenues: none on the sites' lines");
  return parts.join('; ');
}

/**
 * Records the board's adoption: the approved budget frozen as the original budget on the Adopted
 * Budget sheet (protected) and its hash in the audit chain.
 */
export const adopt: Operation<{ date: string; resolution: string }, BoardResult> = {
  name: 'adopt',
  reads: () => WHOLE,
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const nothing = 'The budget was not adopted';
    const s = boardStep(snap, wb, options, nothing);
    if (!s.ok) return { result: s.refused };
    const { chain, board } = s;
    const problems: Diagnostic[] = [];
    const date = args.date.trim();
    const resolution = args.resolution.trim();
    if (!isDate(date)) problems.push(diag('BL642', { shown: args.date }));
    if (!resolution) problems.push(diag('BL643', { what: 'Adopting the budget' }));
    if (board.adoption)
      problems.push(diag('BL641', { date: board.adoption.date, resolution: board.adoption.resolution }));
    // What was approved is exactly what is adopted: every site approved, its lines as approved.
    const gate = approvalGate(snap, wb);
    if (!gate.ok) problems.push(...gate.diagnostics.filter((d) => d.severity === 'fatal'));
    else
      for (const site of wb.sites) {
        if (gate.approved.includes(site.code)) continue;
        const st = siteState(chain, site.code).state;
        problems.push(
          diag('BL640', {
            site: site.name ? `${site.code} (${site.name})` : site.code,
            state: st === 'approved' ? 'approved but not to be trusted (run verify)' : st,
          }),
        );
      }
    // The revenues are adopted with the lines (frozen on the Adopted Revenues sheet, in the hash):
    // each Revenues row as computed now; a row that cannot be read would be left out, so refuses.
    const funds = districtFunds(wb, snap, []);
    problems.push(...(funds?.diagnostics ?? []).filter((d) => d.severity === 'fatal'));
    if (problems.length)
      return {
        result: refuse(
          problems,
          `${nothing}: ${problems.length === 1 ? 'one reason' : `${problems.length} reasons`} below.`,
        ),
      };
    const revenues: AdoptedRevenue[] = (funds?.revenues ?? []).map((r) => ({
      fund: r.fund,
      source: r.source,
      basis: r.basis ?? '',
      cents: r.cents,
      cell: r.where?.cell ?? '',
    }));
    const lines = approvedLines(snap, wb, gate.ok ? gate.approved : []);
    const tooLarge = totalFinding(
      'adopted budget',
      lines.map((l) => l.cents),
    );
    if (tooLarge) return { result: refuse([tooLarge], `${nothing}: the total cannot be carried exactly.`) };
    const hash = adoptedHashWithRevenues(lines, revenues);
    const entry = makeEntry({
      at: options.now(),
      site: DISTRICT_SITE,
      action: 'adopt',
      actor: normalizeEmail(s.actor.email),
      role: 'cfo',
      identity: s.actor.identity,
      contentHash: hash,
      comment: voteComment(date, resolution),
      prevHash: chain.head,
    });
    const write: WriteBatch = {
      sheets: [
        {
          sheet: SHEETS.adopted,
          values: adoptedSheetRows(lines),
          header: true,
          replace: true,
          columnFormats: formatsOf(ADOPTED_TABLE) ?? [],
        },
        ...(revenues.length
          ? [
              {
                sheet: SHEETS.adoptedRevenues,
                values: adoptedRevenueRows(revenues),
                header: true,
                replace: true,
                columnFormats: formatsOf(ADOPTED_REVENUES_TABLE) ?? [],
              },
            ]
          : []),
        auditWrite(snap, [entry]),
      ],
      protect: [
        { sheet: SHEETS.adopted, reason: PROTECT_ADOPTED },
        ...(revenues.length ? [{ sheet: SHEETS.adoptedRevenues, reason: PROTECT_ADOPTED }] : []),
      ],
      state: stateAfter(chain, entry),
    };
    const byClass = classTotals(wb, lines);
    return {
      result: {
        ...result(
          true,
          [...s.warnings, ...(gate.ok ? gate.warnings : [])],
          `ADOPTED on ${date} (resolution ${resolution}): ${plural(wb.sites.length, 'site')}, ${plural(lines.length, 'line')} (${byClass}), frozen on the "${SHEETS.adopted}" sheet as the original budget${revenues.length ? `, ${plural(revenues.length, 'revenue')} on the "${SHEETS.adoptedRevenues}" sheet` : ''}.`,
        ),
        board: { state: 'adopted', adopted: { date, resolution, hash }, amendments: [] },
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write,
    };
  },
};

/** The board did not adopt the budget: back to revision with the board's comment (audited). */
export const notAdopted: Operation<{ comment: string }, BoardResult> = {
  name: 'notAdopted',
  reads: () => WHOLE,
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const nothing = 'Nothing was recorded';
    const s = boardStep(snap, wb, options, nothing);
    if (!s.ok) return { result: s.refused };
    const { chain, board } = s;
    const comment = args.comment.trim();
    const problems: Diagnostic[] = [];
    if (!comment) problems.push(diag('BL658', { what: 'A budget the board did not adopt' }));
    if (board.adoption)
      problems.push(diag('BL641', { date: board.adoption.date, resolution: board.adoption.resolution }));
    if (problems.length) return { result: refuse(problems, `${nothing}: see below.`) };
    const approved = wb.sites.filter((x) => siteState(chain, x.code).state === 'approved').map((x) => x.code);
    const entry = makeEntry({
      at: options.now(),
      site: DISTRICT_SITE,
      action: 'not-adopted',
      actor: normalizeEmail(s.actor.email),
      role: 'cfo',
      identity: s.actor.identity,
      // What the board had before it: the approved sites' lines.
      contentHash: adoptedHash(approvedLines(snap, wb, approved)),
      comment,
      prevHash: chain.head,
    });
    return {
      result: {
        ...result(
          true,
          s.warnings,
          `NOT ADOPTED: the budget returns to revision. Board's comment: ${comment}. Reopen sites with "reopen --all" or "reopen --sites".`,
        ),
        board: { state: 'revision', comment, amendments: [] },
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write: { sheets: [auditWrite(snap, [entry])], state: stateAfter(chain, entry) },
    };
  },
};

export type AmendArgs =
  | { readonly step: 'approve'; readonly id: string; readonly resolution?: string }
  | { readonly step: 'apply'; readonly id: string }
  | {
      readonly step: 'add';
      readonly id: string;
      readonly site: string;
      readonly accounts: readonly string[];
      /** Signed amounts as typed ("-1,500.00"), one per account. */
      readonly amounts: readonly string[];
      readonly reason: string;
      readonly resolution?: string;
    };

export interface AmendResult extends OperationResult, Receipted {
  readonly state?: AmendmentState;
}

const DONE: Readonly<Record<AmendArgs['step'], string>> = {
  add: 'added',
  approve: 'approved',
  apply: 'applied',
};

/** One amendment's step: add (drafted), approve or apply. All or nothing; audited with a receipt. */
export const amend: Operation<AmendArgs, AmendResult> = {
  name: 'amend',
  reads: () => WHOLE,
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const id = args.id.trim();
    const nothing = `Amendment ${id} was not ${DONE[args.step]}`;
    const who = actorOf(snap.user, options, `${args.step} amendment ${id}`);
    if ('refused' in who)
      return { result: refuse([who.refused], `${nothing}: Budgetline cannot tell who you are.`) };
    const identity = identityRefusal(who.actor, 'amend', wb.setup?.settings.verifiedIdentity);
    if (identity && args.step !== 'add')
      return { result: refuse([identity], `${nothing}: ${identity.message}.`) };
    if (snap.stateDiagnostics?.length)
      return {
        result: refuse(
          snap.stateDiagnostics,
          `${nothing}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
        ),
      };
    if (!wb.validator)
      return { result: refuse(wb.diagnostics, `${nothing}: the chart of accounts cannot be read.`) };
    const { chain, board, broken } = boardChain(snap, wb);
    if (broken.length)
      return {
        result: refuse(
          broken,
          `${nothing}: the audit log cannot be trusted, so no step is added to it. Run verify.`,
        ),
      };
    if (board.state !== 'adopted')
      return { result: refuse([diag('BL652', { action: 'amend' })], `${nothing}.`) };
    const actor = normalizeEmail(who.actor.email);
    const sites = wb.sites.map((s) => s.code);
    let grid = snap.sheets[SHEETS.amendments];
    let added: CellValue[] | undefined;
    if (args.step === 'add') {
      // The row as the user would type it, checked like every row.
      const header = grid?.[0]?.length ? grid[0] : headerOf(AMENDMENTS_TABLE);
      // Columns found by name with synonyms, as the table is read: a district's own order or names hold.
      const col = findColumns(
        header,
        AMENDMENTS_TABLE.columns,
        AMENDMENTS_TABLE.table,
        SHEETS.amendments,
      ).columns;
      const values: Partial<Record<keyof typeof col, CellValue>> = {
        id,
        site: args.site,
        accounts: args.accounts.join('; '),
        amounts: args.amounts.join('; '),
        reason: args.reason,
        resolution: args.resolution ?? '',
        status: 'drafted',
        draftedBy: actor,
      };
      const row: CellValue[] = header.map(() => null);
      for (const [k, v] of Object.entries(values) as [keyof typeof col, CellValue][])
        if (col[k] >= 0) row[col[k]] = v;
      added = row;
      grid = [...(grid?.length ? grid : [header]), added];
    }
    const table = readAmendments(grid, wb.validator, sites);
    if (!grid || (table.rows.length === 0 && table.diagnostics.length))
      return {
        result: refuse(
          grid ? table.diagnostics : [diag('BL654', { id, known: [] })],
          `${nothing}: the workbook has no readable "${SHEETS.amendments}" table.`,
        ),
      };
    const index = added ? grid.length - 1 : undefined;
    const row =
      index !== undefined
        ? table.rows.find((r) => r.row === index)
        : table.rows.find((r) => r.id.toUpperCase() === id.toUpperCase());
    if (!row) {
      const onNew =
        index !== undefined
          ? table.diagnostics.filter((d) => d.cell && Number(/\d+/.exec(d.cell)?.[0]) === index + 1)
          : [];
      return {
        result: refuse(
          onNew.length
            ? onNew
            : [
                diag('BL654', {
                  id,
                  known: table.rows.map((r) => r.id),
                }),
              ],
          `${nothing}.`,
        ),
      };
    }
    const rec = board.amendments.get(row.id);
    const where = (k: keyof typeof row.cells) => ({
      sheet: SHEETS.amendments,
      ...(row.cells[k] ? { cell: row.cells[k] } : {}),
    });
    const problems: Diagnostic[] = [...row.diagnostics.filter((d) => d.severity === 'fatal')];
    let resolution = row.resolution;
    if (args.step === 'add') {
      problems.push(...amendmentRefusals(actor, 'draft', row, wb.roles));
      if (rec) problems.push(diag('BL647', { id, detail: 'the ID was already used' }, where('id')));
    } else if (args.step === 'approve') {
      problems.push(
        ...amendmentRefusals(
          actor,
          'approve',
          { ...row, ...(rec?.draftedBy ? { draftedBy: rec.draftedBy } : {}) },
          wb.roles,
        ),
      );
      if (rec?.state === 'applied')
        problems.push(diag('BL649', { id: row.id, at: rec.appliedAt ?? '' }, where('status')));
      else if (rec && rec.state !== 'drafted')
        problems.push(diag('BL650', { id: row.id, action: 'approved', state: rec.state }, where('status')));
      resolution = args.resolution?.trim() || row.resolution;
      if (!resolution)
        problems.push(diag('BL643', { what: `Approving amendment ${row.id}` }, where('resolution')));
    } else {
      problems.push(...amendmentRefusals(actor, 'apply', row, wb.roles));
      if (rec?.state === 'applied')
        problems.push(diag('BL649', { id: row.id, at: rec.appliedAt ?? '' }, where('status')));
      else if (rec?.state !== 'approved')
        problems.push(
          diag('BL650', { id: row.id, action: 'applied', state: rec?.state ?? 'drafted' }, where('status')),
        );
      else if (rec.hash !== amendmentHash(row)) problems.push(diag('BL653', { id: row.id }, where('id')));
    }
    if (problems.length)
      return {
        result: {
          ...refuse(
            problems,
            `${nothing}: ${problems.length === 1 ? 'one reason' : `${problems.length} reasons`} below.`,
          ),
          ...(rec ? { state: rec.state } : {}),
        },
      };
    const at = options.now();
    const role =
      args.step === 'apply' || hasRole(wb.roles, actor, 'cfo', row.site)
        ? 'cfo'
        : args.step === 'approve'
          ? 'approver'
          : 'builder';
    const entry = makeEntry({
      at,
      site: amendmentSite(row.id),
      action: args.step === 'add' ? 'amend-draft' : args.step === 'approve' ? 'amend-approve' : 'amend-apply',
      actor,
      role,
      identity: who.actor.identity,
      contentHash: amendmentHash(row),
      comment: args.step === 'approve' ? resolutionComment(resolution) : row.reason,
      prevHash: chain.head,
    });
    const cell = (k: keyof typeof row.cells, value: CellValue): SheetWrite[] =>
      row.cells[k]
        ? [{ sheet: SHEETS.amendments, at: row.cells[k], values: [[value]], columnFormats: ['@'] }]
        : [];
    const sheets: SheetWrite[] =
      args.step === 'add'
        ? [
            snap.sheets[SHEETS.amendments]?.length
              ? {
                  sheet: SHEETS.amendments,
                  at: `A${row.row + 1}`,
                  values: [added ?? []],
                  columnFormats: formatsOf(AMENDMENTS_TABLE) ?? [],
                }
              : {
                  sheet: SHEETS.amendments,
                  values: [headerOf(AMENDMENTS_TABLE), added ?? []],
                  header: true,
                  columnFormats: formatsOf(AMENDMENTS_TABLE) ?? [],
                },
          ]
        : args.step === 'approve'
          ? [
              ...cell('status', 'approved'),
              ...cell('resolution', resolution),
              ...cell('approvedBy', actor),
              ...cell('approvedAt', at),
            ]
          : [...cell('status', 'applied'), ...cell('appliedAt', at)];
    const state: AmendmentState =
      args.step === 'add' ? 'drafted' : args.step === 'approve' ? 'approved' : 'applied';
    const change = row.lines
      .map((l) => `${l.account} ${l.cents >= 0 ? '+' : ''}${formatCents(l.cents)}`)
      .join(', ');
    return {
      result: {
        ...result(
          true,
          who.diagnostics,
          `Amendment ${row.id} (${row.site}: ${change}) ${state} by ${actor}${args.step === 'approve' ? `, resolution ${resolution}` : ''}.`,
        ),
        state,
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write: { sheets: [...sheets, auditWrite(snap, [entry])], state: stateAfter(chain, entry) },
    };
  },
};

// ---- original vs final, for reports ---------------------------------------------------------------

export type ColumnsClass = AccountClass | 'unclassified';

export interface ColumnsRow {
  /** The site code, or the fund / function / object code. */
  readonly key: string;
  /** Revenues, expenditures, ...: never added together. */
  readonly class: ColumnsClass;
  readonly originalCents: Cents;
  readonly finalCents: Cents;
  readonly varianceCents: Cents;
}

export interface BudgetColumns {
  /** The adoption, when the board adopted the budget; without it every table is empty. */
  readonly adopted?: { readonly date: string; readonly resolution: string };
  /** The applied amendments the final budget includes, in the order the chain first names them. */
  readonly applied: readonly string[];
  readonly bySite: readonly ColumnsRow[];
  readonly byFund: readonly ColumnsRow[];
  readonly byFunction: readonly ColumnsRow[];
  readonly byObject: readonly ColumnsRow[];
  /** One total per class. */
  readonly totals: readonly ColumnsRow[];
  /** Amendments changed after approval (BL653), left out of the final budget. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The original budget (the Adopted Budget sheet, as adopted), the final budget (original plus the
 * applied amendments whose rows are still what was approved) and the variance, by site, fund,
 * function and object, each row within one account class. Pure: a snapshot of every sheet in.
 */
export function budgetColumns(snap: Snapshot): BudgetColumns {
  const wb = readWorkbook(snap);
  const board = replayBoard(chainOf(snap, wb).log);
  const empty: BudgetColumns = {
    applied: [],
    bySite: [],
    byFund: [],
    byFunction: [],
    byObject: [],
    totals: [],
    diagnostics: [],
  };
  if (!board.adoption || !wb.validator) return empty;
  const v = wb.validator;
  const table = readAmendments(
    snap.sheets[SHEETS.amendments],
    v,
    wb.sites.map((s) => s.code),
  );
  const { applied, diagnostics } = appliedAmendments(board, table.rows);
  const classes = v.chart.classes?.length ? compileClasses(v.chart) : undefined;
  const seg = (key: string): number => v.indexOf(key);
  const [fund, fn, object] = [seg('fund'), seg('function'), seg('object')];
  type Acc = { original: number; final: number };
  const maps = {
    site: new Map<string, Acc>(),
    fund: new Map<string, Acc>(),
    function: new Map<string, Acc>(),
    object: new Map<string, Acc>(),
    total: new Map<string, Acc>(),
  };
  const add = (site: string, account: string, original: number, final: number): void => {
    const parts = v.split(account) ?? [];
    const cls: ColumnsClass = (classes?.classify(parts) ?? 'unclassified') as ColumnsClass;
    const keys: Record<keyof typeof maps, string> = {
      site,
      fund: parts[fund] ?? '',
      function: parts[fn] ?? '',
      object: parts[object] ?? '',
      total: '',
    };
    for (const k of Object.keys(maps) as (keyof typeof maps)[]) {
      const m = maps[k];
      const key = `${cls}\u0000${keys[k]}`;
      const a = m.get(key) ?? { original: 0, final: 0 };
      a.original += original;
      a.final += final;
      m.set(key, a);
    }
  };
  for (const l of adoptedLinesOf(snap.sheets[SHEETS.adopted])) add(l.site, l.account, l.cents, l.cents);
  for (const a of applied) for (const l of a.lines) add(a.site, l.account, 0, l.cents);
  const rows = (m: Map<string, Acc>): ColumnsRow[] =>
    [...m]
      .map(([k, a]) => {
        const [cls, key] = k.split('\u0000') as [ColumnsClass, string];
        return {
          key,
          class: cls,
          originalCents: a.original,
          finalCents: a.final,
          varianceCents: a.final - a.original,
        };
      })
      .sort((a, b) =>
        a.class < b.class ? -1 : a.class > b.class ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
      );
  return {
    adopted: { date: board.adoption.date, resolution: board.adoption.resolution },
    applied: applied.map((a) => a.id),
    bySite: rows(maps.site),
    byFund: rows(maps.fund),
    byFunction: rows(maps.function),
    byObject: rows(maps.object),
    totals: rows(maps.total),
    diagnostics,
  };
}

// ---- for the board report (core/report) -------------------------------------------------------------

/** Where the budget stands, as the board report's cover says it. */
export type BoardStatus =
  | { readonly kind: 'draft' }
  | { readonly kind: 'proposed' }
  | { readonly kind: 'adopted'; readonly on: string; readonly resolution: string };

export interface BoardReportFeed {
  /** adopted (the board's date and resolution); proposed when every site is approved; else draft. */
  readonly status: BoardStatus;
  /** The original (adopted) budget's lines by account, when adopted (the Adopted Budget sheet). */
  readonly original?: {
    readonly adoptedOn: string;
    readonly lines: readonly { readonly account: string; readonly cents: Cents }[];
  };
  /** The applied amendments' lines by account: final = the approved lines + these. */
  readonly amendments: readonly { readonly site: string; readonly account: string; readonly cents: Cents }[];
  /** Original, final and variance by site, fund, function and object (budgetColumns). */
  readonly columns: BudgetColumns;
}

/**
 * What the board report needs from the board's steps, from the chain: the status for the cover, the
 * original budget and the applied amendments (final = original + amendments), and budgetColumns.
 */
export function boardReportFeed(snap: Snapshot): BoardReportFeed {
  const wb = readWorkbook(snap);
  const chain = chainOf(snap, wb);
  const board = replayBoard(chain.log);
  const columns = budgetColumns(snap);
  if (!board.adoption) {
    const all = wb.sites.length > 0 && wb.sites.every((s) => siteState(chain, s.code).state === 'approved');
    return { status: { kind: all ? 'proposed' : 'draft' }, amendments: [], columns };
  }
  const table = readAmendments(
    snap.sheets[SHEETS.amendments],
    wb.validator,
    wb.sites.map((s) => s.code),
  );
  const { applied } = appliedAmendments(board, table.rows);
  return {
    status: { kind: 'adopted', on: board.adoption.date, resolution: board.adoption.resolution },
    original: {
      adoptedOn: board.adoption.date,
      lines: adoptedLinesOf(snap.sheets[SHEETS.adopted]).map((l) => ({ account: l.account, cents: l.cents })),
    },
    amendments: applied.flatMap((a) =>
      a.lines.map((l) => ({ site: a.site, account: l.account, cents: l.cents })),
    ),
    columns,
  };
}
