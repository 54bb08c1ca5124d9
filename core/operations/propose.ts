/**
 * A budget owner's proposal on its way to leadership, and a scenario adopted into the budget, as
 * operations (one read, at most one write each):
 *
 * - `propose`: a budget owner submits a draft row of the Proposals sheet (step 'submit'), or adds a
 *   new proposal and submits it in one step (`add`); leadership takes a submitted proposal under
 *   review (step 'review'). Who may: core/approval/permissions (`propose`: a builder of the
 *   proposal's site, or the CFO; `review`: the CFO). The row is checked like every Proposals row
 *   first; one write holds the Status cell (or the new row), one audit row on the same hash chain as
 *   the budgets (site "Proposal <ID>", action propose or review) and the new last hash, or nothing.
 * - `adoptScenario`: the CFO adopts a named scenario of the Scenarios sheet into the budget (see
 *   adopt.ts).
 */
import { makeEntry, verifyAuditLog } from '../approval/audit';
import { refusalsFor } from '../approval/permissions';
import { receiptForEntry } from '../approval/receipts';
import { sha256Hex } from '../approval/hash';
import { normalizeEmail } from '../approval/roles';
import { newSiteBudget } from '../approval/workflow';
import { a1, cellText, parseA1, type CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState, SheetWrite, WriteBatch } from '../port/types';
import { parseMoney } from '../money';
import { scaledDecimal } from '../budget/units';
import { readProposals, readStatus, type Proposal, type ProposalStatus } from '../proposals';
import { findColumns } from '../tables';
import { readWorkbook } from '../workbook/read';
import { formatsFor, formatsOf, headerOf, PROPOSALS_TABLE, SHEETS, type ColumnKey } from '../workbook/schema';
import type { Operation, OperationResult, Receipted } from './api';
import { actorOf, auditWrite, cfoOf, refuse, result } from './common';
import { proposalContent } from './proposals';
import { proposalContext, siteOfLine } from './proposal-budget';
import { chainOf, storedStateOf } from './trust';

/** A Proposals column by its key (PROPOSALS_TABLE). */
export type ProposalField = ColumnKey<typeof PROPOSALS_TABLE>;

export interface ProposeArgs {
  /** The proposal's ID (an existing draft row, or the new row's ID with `add`). */
  readonly proposal: string;
  /**
   * 'submit' (default): the owner submits a draft (draft → submitted). 'review': leadership takes a
   * submitted proposal under review (submitted → under review).
   */
  readonly step?: 'submit' | 'review';
  /**
   * A new proposal, added to the Proposals sheet and submitted in one step: its cells by column key
   * (as typed: "Addition", "Recurring", 120000 …). Its ID is `proposal`; its Status is set to
   * submitted. Refused when the ID is already on the sheet.
   */
  readonly add?: Readonly<Partial<Record<ProposalField, CellValue>>>;
  /** A note for the audit row. */
  readonly comment?: string;
}

export interface ProposeResult extends OperationResult, Receipted {
  /** The proposal's status after the step (absent when refused). */
  readonly status?: ProposalStatus;
}

/** Amounts and FTE given as text ("12,500", "2") are written as numbers, as a person would type them. */
function typedValue(k: ProposalField, v: CellValue): CellValue {
  if (typeof v !== 'string') return v;
  if (k === 'year1' || k === 'year2' || k === 'year3') {
    const m = parseMoney(v, {}, 'amount');
    return m.ok ? m.value / 100 : v;
  }
  if (k === 'fte') {
    const f = scaledDecimal(v, 3);
    return 'problem' in f ? v : f.value / 1000;
  }
  return v;
}

const STEP_TO: Readonly<Record<'submit' | 'review', { from: ProposalStatus; to: ProposalStatus }>> = {
  submit: { from: 'draft', to: 'submitted' },
  review: { from: 'submitted', to: 'under review' },
};

export const propose: Operation<ProposeArgs, ProposeResult> = {
  name: 'propose',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const step = args.step ?? 'submit';
    const { from, to } = STEP_TO[step];
    const id = args.proposal.trim();
    const wb = readWorkbook(snap);
    const verb = step === 'submit' ? 'submitted' : 'taken under review';
    const notDone = `Proposal ${id || '(no ID)'} was not ${verb}`;
    const who =
      step === 'review'
        ? cfoOf(wb, snap.user, options, 'review')
        : actorOf(snap.user, options, 'submit a budget-change proposal');
    if ('refused' in who) return { result: refuse([who.refused], `${notDone}: ${who.refused.message}.`) };
    if (snap.stateDiagnostics?.length)
      return {
        result: refuse(
          snap.stateDiagnostics,
          `${notDone}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
        ),
      };
    if (!id)
      return {
        result: refuse([diag('BL901', { id, problem: 'the ID is blank' })], `${notDone}: it needs an ID.`),
      };
    if (args.add && step !== 'submit')
      return {
        result: refuse(
          [diag('BL911', { id, step: verb, status: 'new' })],
          `${notDone}: a new proposal is submitted first.`,
        ),
      };

    // The Proposals sheet as it would be after the step.
    const existing = snap.sheets[SHEETS.proposals];
    const header: CellValue[] =
      existing && existing.length > 0 ? [...(existing[0] ?? [])] : headerOf(PROPOSALS_TABLE);
    const found = findColumns(header, PROPOSALS_TABLE.columns, PROPOSALS_TABLE.table, SHEETS.proposals);
    if (found.diagnostics.length)
      return { result: refuse(found.diagnostics, `${notDone}: the Proposals sheet lacks a column.`) };
    const col = found.columns;
    const grid: CellValue[][] = existing && existing.length > 0 ? existing.map((r) => [...r]) : [header];
    const same = (r: readonly CellValue[]): boolean =>
      cellText(r[col.id]).trim().toUpperCase() === id.toUpperCase();
    let index = grid.findIndex((r, i) => i > 0 && same(r));
    if (args.add) {
      if (index > 0)
        return {
          result: refuse(
            [diag('BL912', { id }, { sheet: SHEETS.proposals, cell: a1(index, col.id) })],
            `${notDone}: the ID is taken.`,
          ),
        };
      const row: CellValue[] = header.map(() => null);
      const missing: Diagnostic[] = [];
      for (const [k, v] of Object.entries(args.add) as [ProposalField, CellValue][]) {
        const c = col[k];
        if (v === undefined || v === null || cellText(v).trim() === '') continue;
        // Nothing typed is dropped: a value for a column the sheet does not have refuses the step.
        if (c === undefined || c < 0)
          missing.push(
            diag(
              'BL306',
              { table: PROPOSALS_TABLE.table, column: PROPOSALS_TABLE.columns[k].header },
              { sheet: SHEETS.proposals, cell: 'A1' },
            ),
          );
        else row[c] = typedValue(k, v);
      }
      if (missing.length)
        return {
          result: refuse(missing, `${notDone}: the Proposals sheet lacks a column for what was given.`),
        };
      row[col.id] = id;
      row[col.status] = from;
      // After the last row with anything in it.
      let last = grid.length - 1;
      while (last > 0 && (grid[last] ?? []).every((v) => v === null || cellText(v).trim() === '')) last--;
      index = last + 1;
      grid[index] = row;
    }
    const row = grid[index];
    if (index < 0 || !row) {
      const known = grid
        .slice(1)
        .map((r) => cellText(r[col.id]).trim())
        .filter(Boolean);
      return {
        result: refuse([diag('BL908', { id, known })], `${notDone}: there is no proposal ${id}.`),
      };
    }
    const where = { sheet: SHEETS.proposals };
    const current = readStatus(cellText(row[col.status]));
    if (current !== from)
      return {
        result: refuse(
          [
            diag(
              'BL911',
              { id, step: verb, status: current ?? cellText(row[col.status]) },
              { ...where, cell: a1(index, col.status) },
            ),
          ],
          `${notDone}.`,
        ),
      };
    row[col.status] = to;
    if (!wb.validator)
      return { result: refuse(wb.diagnostics, `${notDone}: the chart of accounts cannot be read.`) };
    const read = readProposals(grid, proposalContext(wb, snap, wb.validator));
    const onRow = read.diagnostics.filter((d) => d.cell !== undefined && parseA1(d.cell)?.row === index);
    const proposal: Proposal | undefined = read.rows.find((p) => p.row === index);
    const fatal = onRow.filter((d) => d.severity === 'fatal');
    if (!proposal || fatal.length) return { result: refuse(fatal, `${notDone}: fix its row first.`) };

    // Within the owner's role (reviewing is the CFO's, checked above).
    // Within the owner's role: every site the proposal's lines go to (reviewing is the CFO's, checked above).
    if (step === 'submit') {
      const validator = wb.validator;
      const sites = new Set(proposal.lines.map((l) => siteOfLine(l, wb, validator)));
      const refused = [...sites].flatMap((site) =>
        refusalsFor(who.actor.email, 'propose', newSiteBudget(site), wb.roles),
      );
      if (refused.length) return { result: refuse(refused, `${notDone}: ${refused[0]?.message ?? ''}.`) };
    }

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
          `${notDone}: the audit log cannot be trusted, so nothing is added to it. Run verify.`,
        ),
      };
    const isCfo = wb.roles.assignments.some(
      (a) => a.role === 'cfo' && a.email === normalizeEmail(who.actor.email),
    );
    const at = options.now();
    const entry = makeEntry({
      at,
      site: `Proposal ${proposal.id}`,
      action: step === 'submit' ? 'propose' : 'review',
      actor: normalizeEmail(who.actor.email),
      role: step === 'review' || isCfo ? 'cfo' : 'builder',
      identity: who.actor.identity,
      contentHash: sha256Hex(proposalContent(proposal)),
      comment: args.comment?.trim() ? `${to}: ${args.comment.trim()}` : to,
      prevHash: chain.head,
    });
    const sheets: SheetWrite[] = [];
    if (!existing || existing.length === 0)
      sheets.push({
        sheet: SHEETS.proposals,
        values: [header, row],
        header: true,
        columnFormats: formatsOf(PROPOSALS_TABLE) ?? [],
      });
    else if (args.add)
      sheets.push({
        sheet: SHEETS.proposals,
        at: `A${index + 1}`,
        values: [row],
        columnFormats: formatsFor(PROPOSALS_TABLE, header),
      });
    else
      sheets.push({
        sheet: SHEETS.proposals,
        at: a1(index, col.status),
        values: [[to]],
        columnFormats: ['@'],
      });
    sheets.push(auditWrite(snap, [entry]));
    const state: DocumentState = {
      version: 1,
      sites: Object.fromEntries(chain.replay.sites),
      lastAuditHash: entry.hash,
    };
    const write: WriteBatch = { sheets, state };
    const warnings: Diagnostic[] = [...who.diagnostics, ...onRow];
    return {
      result: {
        ...result(
          true,
          warnings,
          `Proposal ${proposal.id}${proposal.title ? ` (${proposal.title})` : ''} ${verb} by ${entry.actor}.`,
        ),
        status: to,
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write,
    };
  },
};

export interface AdoptScenarioArgs {
  /** The scenario's name as the Scenarios sheet spells it (case and spacing are not significant). */
  readonly scenario: string;
  /** Why it is adopted (required: the board reads it). */
  readonly reason: string;
}

export interface AdoptScenarioResult extends OperationResult, Receipted {
  /** What the adoption wrote to the base: one sentence per change. */
  readonly applied?: readonly string[];
}
