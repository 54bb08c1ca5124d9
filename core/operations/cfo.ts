/**
 * The CFO's views in the Excel pane and the Sheets sidebar, each one read and no write: the core's
 * own operations (proposals, scenarios, actualsReport with forecast) run on that one snapshot, and
 * their results worded as tables by core/views/cfo.ts. Who may decide on proposals comes from the
 * one permission predicate (core/approval/permissions), so a host shows the decision buttons only
 * to them — and `decide` checks again.
 */
import { may } from '../approval/permissions';
import { newSiteBudget } from '../approval/workflow';
import { adoptScenario } from './adopt';
import { propose, type AdoptScenarioArgs, type AdoptScenarioResult, type ProposeResult } from './propose';
import { normalizeEmail } from '../approval/roles';
import { readWorkbook } from '../workbook/read';
import { SHEETS } from '../workbook/schema';
import { readProposals } from '../proposals';
import { proposalContext, siteOfLine } from './proposal-budget';
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
  /** The drafts the user may submit (`propose`: the site's budget owner, or the CFO), as "ID — title". */
  readonly proposable: readonly { readonly id: string; readonly label: string }[];
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
    // A draft the user may submit: within their role for every site its lines go to (as propose checks).
    const grid = snap.sheets[SHEETS.proposals];
    const validator = wb.validator;
    const drafts =
      grid && validator
        ? readProposals(grid, proposalContext(wb, snap, validator)).rows.filter((p) => p.status === 'draft')
        : [];
    const proposable = drafts
      .filter((p) => {
        const sites = new Set(
          p.lines.map((l) => siteOfLine(l, wb, validator as NonNullable<typeof validator>)),
        );
        return [...sites].every((site) => may(email, 'propose', newSiteBudget(site), wb.roles));
      })
      .map((p) => ({ id: p.id, label: p.title ? `${p.id} — ${p.title}` : p.id }));
    return {
      result: {
        ...r,
        canDecide,
        proposable,
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
 * A step (`decide`, `propose`, `adoptScenario`: one read, its one write) followed by a view as the
 * workbook will read after that write, computed from the same read — no second round trip.
 */
function thenView<A, R extends OperationResult, V extends OperationResult>(
  name: string,
  step: Operation<A, R>,
  view: Operation<Record<string, never>, V>,
): Operation<A, R & { readonly view: V }> {
  return {
    name,
    reads: (args) => ({ ...step.reads(args), sheets: 'all', state: true, user: true }),
    run(snap, args, options) {
      const d = step.run(snap, args, options);
      const after = d.write ? written(snap, d.write.sheets ?? []) : snap;
      const v = view.run(after, {}, options).result;
      return { result: { ...d.result, view: v }, ...(d.write ? { write: d.write } : {}) };
    },
  };
}

export interface ScenariosViewResult extends OperationResult {
  readonly tables?: readonly ViewTable[];
  /** Whether the user may adopt a scenario into the budget (the CFO). */
  readonly canAdopt: boolean;
  /** The scenarios of the Scenarios sheet (not the base), by name. */
  readonly names: readonly string[];
}

export const scenariosView: Operation<{ readonly unapproved?: UnapprovedChoice }, ScenariosViewResult> = {
  name: 'scenariosView',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const { scenarios: list, ...r } = scenarios.run(snap, args, options).result;
    const wb = readWorkbook(snap);
    const who = actorOf(snap.user, options, 'adopt a scenario');
    const email = 'actor' in who ? normalizeEmail(who.actor.email) : undefined;
    return {
      result: {
        ...r,
        canAdopt: may(email, 'adopt-scenario', undefined, wb.roles),
        names: (list ?? []).slice(1).map((s) => s.name),
        ...(list ? { tables: scenarioTables(list) } : {}),
      },
    };
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

/** A decision from the pane or the sidebar, then the proposals as they stand after it. */
export const decideView: Operation<DecideArgs, DecideViewResult> = thenView(
  'decideView',
  decide,
  proposalsView,
);

/** A budget owner submits a draft proposal (`propose`), then the proposals as they stand after it. */
export const proposeView = thenView('proposeView', propose, proposalsView);
export type ProposeViewResult = ProposeResult & { readonly view: ProposalsViewResult };

/** The CFO adopts a scenario into the budget (`adoptScenario`), then the scenarios compared again. */
export const adoptView = thenView<AdoptScenarioArgs, AdoptScenarioResult, ScenariosViewResult>(
  'adoptView',
  adoptScenario,
  scenariosView,
);
export type AdoptViewResult = AdoptScenarioResult & { readonly view: ScenariosViewResult };
