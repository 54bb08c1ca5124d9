/**
 * Validation and status: validateSites (whole sheets), validateRows (live, a window of rows), status.
 */
import { boardView } from './board';
import { amendmentRefusals, may } from '../approval/permissions';
import { isListed, normalizeEmail } from '../approval/roles';
import type { CellValue, Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { ReadRequest, Snapshot } from '../port/types';
import { tableFindings } from '../port/tables';
import { BASE_SHEETS, SHEETS } from '../workbook/layout';
import { contentLines, readSiteSheet, readWorkbook, siteSheetsOf } from '../workbook/read';
import { referenceTables, segmentDropdowns } from '../workbook/create';
import { costColumnWrite, siteRules, siteViewWrites } from '../workbook/site-view';
import { cellFindings, chainOf, changesSinceSubmission, looksLikeDistrictWorkbook, siteState } from './trust';
import { findSiteEntry } from './sites';
import type { AllocationView, LiveRows, Operation, StatusResult, StatusView } from './api';
import { actorOf, checkAllocations, clearSheets, marksOf, plural, refuse, result } from './common';

const WHOLE: ReadRequest = { sheets: 'all', state: true, tables: true };

/** The sheets validation cannot do without: the settings, the chart and the sites. */
const VALIDATION_SHEETS: readonly string[] = [SHEETS.setup, SHEETS.segments, SHEETS.codes, SHEETS.sites];

export const validateSites: Operation<{ sites?: readonly string[] }> = {
  name: 'validateSites',
  reads: () => WHOLE,
  run(snap, args, options) {
    // Without the district's own tables every line would be misread and every earlier mark wiped:
    // the missing sheets are named once and nothing is written.
    const missing = VALIDATION_SHEETS.filter((s) => !snap.sheetNames.includes(s));
    if (missing.length && !looksLikeDistrictWorkbook(snap))
      return {
        result: refuse(
          readWorkbook(snap).diagnostics,
          'Nothing was validated: this is not a district workbook.',
        ),
      };
    if (missing.length) {
      const detail = `the ${missing.join(', ')} sheet${missing.length === 1 ? ' is' : 's are'} missing`;
      return {
        result: refuse(
          [diag('BL628', { detail })],
          'Nothing was validated and no mark was changed: restore the missing sheets first.',
        ),
      };
    }
    const wb = readWorkbook(snap);
    const found = (args.sites ?? []).map((c) => findSiteEntry(wb, c));
    const unknown = found.flatMap((f) => ('refused' in f ? [f.refused] : []));
    if (unknown.length)
      return {
        result: refuse(unknown, 'Nothing was validated: a site asked for is not in the Sites table.'),
      };
    const wanted = args.sites ? found.flatMap((f) => ('site' in f ? [f.site.code] : [])) : undefined;
    const sheets = siteSheetsOf(wb, snap, wanted);
    const diagnostics: Diagnostic[] = [...wb.diagnostics];
    sheets.forEach((s, i) => {
      options.progress?.(i, sheets.length, s.site.name || s.site.code);
      for (const d of s.diagnostics) diagnostics.push(d);
      // Text too long for a cell (BL013) and formula results that may be stale (BL014), as submit sees them.
      for (const d of cellFindings(snap, s.site.sheet, snap.sheets[s.site.sheet])) diagnostics.push(d);
    });
    const report = checkAllocations(wb, snap, sheets, true);
    // One by one: push(...xs) overflows the stack past ~120,000 findings (a large import by site).
    if (report) for (const d of report.diagnostics) diagnostics.push(d);
    // Each sheet's Cost (computed) column and allocated / planned / remaining, in the same write.
    // The hash kept of each sheet's computed cells tells a stale cost (BL432) from one typed over (BL430).
    const view = siteViewWrites(sheets, snap.sheets, report, snap.computedHashes);
    for (const d of view.diagnostics) diagnostics.push(d);
    // The whole table's dropdowns and number rules (and per segment, each segment's codes).
    const lists = { packages: [...wb.staffing.packages.keys()], ...jobTypesGrid(snap) };
    const dropdowns = sheets.flatMap((s) => {
      const header = snap.sheets[s.site.sheet]?.[0];
      if (!header) return [];
      const segments = wb.validator
        ? segmentDropdowns(s.site.sheet, header, wb.validator.chart, snap.sheets[SHEETS.codes] ?? [])
        : [];
      return [...siteRules(s.site.sheet, header, lists), ...segments];
    });
    // A user's Excel table in the way of a site's or a reference table's: said once per sheet (BL826).
    const tables = [...referenceTables(snap.sheets), ...(view.tables ?? [])];
    for (const d of tableFindings(tables, snap.tables, snap.merged)) diagnostics.push(d);
    options.progress?.(sheets.length, sheets.length, 'done');
    const marked = [...BASE_SHEETS, SHEETS.allocations, ...sheets.map((s) => s.site.sheet)].filter((n) =>
      snap.sheetNames.includes(n),
    );
    const fatal = diagnostics.filter((d) => d.severity === 'fatal').length;
    const warnings = diagnostics.length - fatal;
    return {
      result: result(
        true,
        diagnostics,
        diagnostics.length
          ? `${plural(sheets.length, 'site')} checked: ${plural(fatal, 'problem')} to fix, ${plural(warnings, 'warning')}.`
          : `${plural(sheets.length, 'site')} checked: no problems found.`,
      ),
      // A formula's maybe-stale result (BL014) is reported, not marked: the cell is not wrong, and a
      // fill on every formula cell would bury the findings that are.
      write: {
        ...(view.sheets.length ? { sheets: view.sheets } : {}),
        ...(Object.keys(view.hashes).length ? { computedHashes: view.hashes } : {}),
        clearMarks: clearSheets(marked),
        marks: marksOf(diagnostics.filter((d) => d.code !== 'BL014')),
        ...(dropdowns.length ? { dropdowns } : {}),
        tables,
      },
    };
  },
};

/** The Job Types sheet, when there is one (the Job type dropdown's source). */
function jobTypesGrid(snap: Snapshot): { jobTypes?: Grid } {
  const g = snap.sheets[SHEETS.jobTypes];
  return g ? { jobTypes: g } : {};
}

/** Rows 1.. of the sheet: the header row is never checked as a line. */
function rowSpan(args: { from: number; to: number }): { from: number; to: number } {
  const from = Math.max(1, args.from);
  return { from, to: Math.max(from, args.to) };
}

export const validateRows: Operation<LiveRows> = {
  name: 'validateRows',
  reads: (args) => ({
    sheets: BASE_SHEETS,
    rows: [{ sheet: args.sheet, ...rowSpan(args) }],
    computedHashes: true,
  }),
  run(snap, args) {
    const { from, to } = rowSpan(args);
    const wb = readWorkbook(snap);
    const site = wb.sites.find((s) => s.sheet === args.sheet);
    const w = snap.windows[0];
    if (!site || !w)
      return { result: result(true, [], `${args.sheet} is not a site sheet: nothing to check.`) };
    const grid: CellValue[][] = [[...w.header]];
    w.values.forEach((row, i) => (grid[w.from + i] = [...row]));
    for (let r = 0; r < grid.length; r++) grid[r] ??= [];
    const s = readSiteSheet(wb, site, grid);
    // The edited rows' Cost (computed) cells (the summary needs the whole sheet: validateSites).
    // The computed cells of the edited rows, and the hash kept of them moved along (or dropped).
    const cost = costColumnWrite(
      s,
      grid,
      { from, to, ...(args.columns ? { columns: args.columns } : {}) },
      snap.computedHashes?.[args.sheet],
    );
    const diagnostics = [...s.diagnostics, ...cost.diagnostics].filter((d) => d.sheet === args.sheet);
    const chartBroken = wb.validator ? [] : wb.diagnostics.filter((d) => d.severity === 'fatal');
    const n = diagnostics.length;
    return {
      result: result(
        true,
        [...chartBroken, ...diagnostics],
        n ? `${plural(n, 'finding')} in rows ${from + 1}–${to + 1}.` : `Rows ${from + 1}–${to + 1} are fine.`,
      ),
      write: {
        ...(cost.sheets.length ? { sheets: cost.sheets } : {}),
        ...(cost.hash !== undefined ? { computedHashes: { [args.sheet]: cost.hash } } : {}),
        clearMarks: [{ sheet: args.sheet, from, to }],
        marks: marksOf(diagnostics),
      },
    };
  },
};

export const status: Operation<{ site?: string }, StatusResult> = {
  name: 'status',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const user = snap.user ?? null;
    const who = actorOf(user, options, 'see the budget');
    const email = 'actor' in who ? normalizeEmail(who.actor.email) : undefined;
    const notice = !email
      ? 'Budgetline cannot tell who you are; sign in or choose your name.'
      : !isListed(wb.roles, email)
        ? `${email} is not in the Roles table; ask the budget office to add you.`
        : undefined;
    // Each site's state comes from the audit chain (the stored state is only a cache of it).
    const chain = chainOf(snap, wb);
    const sites = wb.sites.map((s) => ({
      code: s.code,
      name: s.name,
      sheet: s.sheet,
      state: siteState(chain, s.code).state,
    }));
    const canConsolidate = may(email, 'consolidate', undefined, wb.roles);
    // The board's vote and the amendments (after adoption no site step is possible).
    const board = boardView(snap, wb);
    const adopted = board.state === 'adopted';
    const diagnostics: Diagnostic[] = [...wb.diagnostics];
    let site: StatusView['site'];
    if (args.site !== undefined) {
      const found = findSiteEntry(wb, args.site);
      if ('refused' in found) diagnostics.push(found.refused);
      else {
        const entry = found.site;
        const sheet = readSiteSheet(wb, entry, snap.sheets[entry.sheet]);
        const report = checkAllocations(wb, snap, [sheet]);
        const budget = siteState(chain, entry.code);
        // The buttons: what the permission predicate allows now. A returned budget is submitted in one
        // step that reopens it first (revise, then submit), as the submit operation does.
        const can = (action: 'submit' | 'approve' | 'return' | 'reopen'): boolean =>
          !adopted &&
          (action === 'submit' && budget.state === 'returned'
            ? may(email, 'revise', budget, wb.roles) &&
              may(email, 'submit', { ...budget, state: 'draft' }, wb.roles)
            : may(email, action, budget, wb.roles));
        const allocations: AllocationView[] = (report?.allocations ?? []).map((a) => ({
          label: a.allocation.id,
          allocatedCents: a.allocated,
          plannedCents: a.planned,
          remainingCents: a.remaining,
          allocatedFte: a.fteAllocated,
          plannedFte: a.ftePlanned,
          remainingFte: a.fteRemaining,
          fteTracked: a.allocation.fte !== undefined,
          // FTE is over only where the allocation gives FTE; a dollars-only allocation does not track it.
          over: a.remaining < 0 || (a.allocation.fte !== undefined && a.fteRemaining < 0),
        }));
        const total = report?.sites.find((x) => x.site === entry.code);
        const planned = sheet.ledger.reduce((n, l) => n + l.cents, 0);
        const plannedFte = sheet.ledger.reduce((n, l) => n + (l.fte ?? 0), 0);
        allocations.push({
          label: 'Site total',
          allocatedCents: total?.allocated ?? 0,
          plannedCents: planned,
          remainingCents: (total?.allocated ?? 0) - planned,
          allocatedFte: total?.fteAllocated ?? 0,
          plannedFte,
          remainingFte: (total?.fteAllocated ?? 0) - plannedFte,
          fteTracked: allocations.some((a) => a.fteTracked),
          over:
            ((total?.allocated ?? 0) - planned < 0 && (total?.allocated ?? 0) > 0) ||
            (allocations.some((a) => a.fteTracked) && (total?.fteAllocated ?? 0) - plannedFte < 0),
        });
        // What approve would refuse: the site changed since it was submitted (BL635, BL636). The
        // Approve button is not offered then; the findings say why and that return is the way on.
        const changed = changesSinceSubmission(snap, budget, contentLines(sheet.ledger));
        site = {
          code: entry.code,
          state: budget.state,
          can: {
            submit: can('submit'),
            approve: can('approve') && !changed.some((d) => d.code === 'BL635'),
            return: can('return'),
            reopen: can('reopen'),
          },
          allocations,
          findings: [...sheet.diagnostics, ...(report?.diagnostics ?? []), ...changed],
        };
      }
    }
    const view: StatusView = {
      user,
      ...(notice ? { notice } : {}),
      people: [...new Set(wb.roles.assignments.map((a) => a.email))],
      sites,
      ...(site ? { site } : {}),
      canConsolidate,
      board,
      canAdopt: may(email, 'adopt', undefined, wb.roles),
      amendSites:
        email && board.state === 'adopted'
          ? sites
              .map((s) => s.code)
              .filter((code) => !amendmentRefusals(email, 'draft', { id: '', site: code }, wb.roles).length)
          : [],
    };
    return {
      result: {
        ...result(
          true,
          diagnostics,
          `${plural(sites.length, 'site')}${site ? `; ${site.code} is ${site.state}` : ''}${board.adopted ? `; ADOPTED ${board.adopted.date} (resolution ${board.adopted.resolution})` : board.state === 'revision' ? '; NOT ADOPTED, in revision' : ''}${board.amendments.length ? `; ${plural(board.amendments.length, 'amendment')}` : ''}.`,
        ),
        view,
      },
    };
  },
};
