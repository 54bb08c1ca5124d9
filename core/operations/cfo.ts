/**
 * The CFO's views in the Excel pane and the Sheets sidebar, each one read and no write: the core's
 * own operations (proposals, scenarios, actualsReport with forecast) run on that one snapshot, and
 * their results worded as tables by core/views/cfo.ts. Who may decide on proposals comes from the
 * one permission predicate (core/approval/permissions), so a host shows the decision buttons only
 * to them — and `decide` checks again.
 */
import { may } from '../approval/permissions';
import { normalizeEmail } from '../approval/roles';
import { readWorkbook } from '../workbook/read';
import {
  actualsBoard,
  proposalsBoard,
  scenarioTables,
  type ActualsBoard,
  type ProposalsBoard,
} from '../views/cfo';
import type { ViewTable } from '../views/table';
import { actualsReport } from './actuals';
import type { Operation, OperationResult, UnapprovedChoice } from './api';
import { actorOf } from './common';
import { forecast } from './forecast';
import {
  decide,
  proposals,
  scenarios,
  type DecideArgs,
  type DecideResult,
  type ProposalsResult,
} from './proposals';
import { parseA1, type CellValue } from '../cells';
import type { SheetWrite, Snapshot } from '../port/types';

export interface ProposalsViewResult extends ProposalsResult {
  readonly board?: ProposalsBoard;
  /** Whether the user may accept, reject or defer proposals (the CFO). */
  readonly canDecide: boolean;
}

export const proposalsView: Operation<{ readonly unapproved?: UnapprovedChoice }, ProposalsViewResult> = {
  name: 'proposalsView',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const r = proposals.run(snap, args, options).result;
    const wb = readWorkbook(snap);
    const who = actorOf(snap.user, options, 'decide on proposals');
    const email = 'actor' in who ? normalizeEmail(who.actor.email) : undefined;
    const canDecide = may(email, 'decide', undefined, wb.roles);
    return {
      result: {
        ...r,
        canDecide,
        ...(r.proposals ? { board: proposalsBoard(r.proposals, r.funding, wb.setup?.fiscalYear) } : {}),
      },
    };
  },
};

export interface DecideViewResult extends DecideResult {
  /** The proposals as they stand after the decision (or as they were, when it was refused). */
  readonly view: ProposalsViewResult;
}

/** The snapshot as it will read once `sheets` are written: cells set where the writes put them. */
function written(snap: Snapshot, sheets: readonly SheetWrite[]): Snapshot {
  const grids = { ...snap.sheets };
  for (const w of sheets) {
    const at = w.at ? parseA1(w.at) : { row: 0, column: 0 };
    if (!at) continue;
    const grid: CellValue[][] = w.replace ? [] : (grids[w.sheet] ?? []).map((r) => [...r]);
    w.values.forEach((row, i) => {
      const target = (grid[at.row + i] ??= []);
      row.forEach((v, j) => {
        while (target.length < at.column + j) target.push(null);
        target[at.column + j] = v;
      });
    });
    grids[w.sheet] = grid;
  }
  return { ...snap, sheets: grids };
}

/**
 * A decision from the pane or the sidebar: `decide` (one read, its one write), and the proposals
 * view as the sheet will read after that write, from the same read — no second round trip.
 */
export const decideView: Operation<DecideArgs, DecideViewResult> = {
  name: 'decideView',
  reads: (args) => decide.reads(args),
  run(snap, args, options) {
    const d = decide.run(snap, args, options);
    const after = d.write ? written(snap, d.write.sheets ?? []) : snap;
    const view = proposalsView.run(after, {}, options).result;
    return { result: { ...d.result, view }, ...(d.write ? { write: d.write } : {}) };
  },
};

export interface ScenariosViewResult extends OperationResult {
  readonly tables?: readonly ViewTable[];
}

export const scenariosView: Operation<{ readonly unapproved?: UnapprovedChoice }, ScenariosViewResult> = {
  name: 'scenariosView',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args, options) {
    const { scenarios: list, ...r } = scenarios.run(snap, args, options).result;
    return { result: { ...r, ...(list ? { tables: scenarioTables(list) } : {}) } };
  },
};

export interface ActualsViewResult extends OperationResult {
  readonly board?: ActualsBoard;
}

export const actualsView: Operation<Record<string, never>, ActualsViewResult> = {
  name: 'actualsView',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args, options) {
    const a = actualsReport.run(snap, args, options).result;
    if (!a.report) return { result: { ok: a.ok, diagnostics: a.diagnostics, summary: a.summary } };
    const f = forecast.run(snap, args, options).result;
    const fy = readWorkbook(snap).setup?.fiscalYear;
    const board = actualsBoard(
      a.report,
      a.siteNames ?? {},
      f.lines
        ? {
            lines: f.lines,
            ...(f.funds ? { funds: f.funds } : {}),
            ...(f.district ? { district: f.district } : {}),
            ...(fy !== undefined ? { fiscalYear: fy } : {}),
          }
        : undefined,
    );
    // The forecast's findings that the report does not already carry (its own refusal, if any).
    const seen = new Set(a.diagnostics.map((d) => `${d.code} ${d.sheet ?? ''} ${d.cell ?? ''} ${d.message}`));
    const more = f.diagnostics.filter(
      (d) => !seen.has(`${d.code} ${d.sheet ?? ''} ${d.cell ?? ''} ${d.message}`),
    );
    return {
      result: {
        ok: true,
        diagnostics: [...a.diagnostics, ...more],
        summary: `${a.summary} ${f.summary}`,
        board,
      },
    };
  },
};
