/**
 * boardReport: the board packet (issue 15) as report sheets Budgetline owns ("Report – Cover",
 * "Report – Funds", …), with native charts and print setup. One read (every sheet, the state, the
 * user), one write that replaces the report sheets and never touches any other sheet.
 *
 * The packet shows exactly what was approved: like consolidate, it goes through the approval gate
 * (trust.ts) — an approved site counts only when its lines are exactly what its approval records, and
 * nothing is written while verification has a fatal finding. Sites not approved are left out by
 * default and named on the cover; with `unapproved: 'include-marked'` their lines count and each is
 * marked NOT APPROVED on the cover and the Sites page. Only the CFO prepares the packet (the
 * district-wide "consolidate" right: the packet is a consolidation).
 */
import { compileClasses } from '../accounts/classes';
import { identityRefusal, type SiteBudget } from '../approval/workflow';
import { diag, type Diagnostic } from '../diagnostics';
import { readProposals, type Proposal } from '../proposals/read';
import { consolidate as rollUp } from '../rollup/consolidate';
import { project, readAssumptions } from '../rollup/projection';
import { buildBoardReport, statusText } from '../report/model';
import { checkPriorYear } from '../report/prior';
import { REPORT_SHEETS, reportBatch } from '../report/sheets';
import type { BoardReport, OriginalBudget, PriorYear, ReportStatus } from '../report/types';
import { SHEETS } from '../workbook/layout';
import { siteSheetsOf, readWorkbook } from '../workbook/read';
import type { Operation, OperationResult, Receipted, UnapprovedChoice } from './api';
import { cfoOf, plural, refuse, result } from './common';
import { boardReportFeed } from './board';
import { finalBudget, withAmendments } from './final';
import { districtFunds } from './funds';
import { approvalGate, chainOf, siteState, totalFinding } from './trust';

export { REPORT_SHEETS };

export interface BoardReportArgs {
  /** DRAFT, PROPOSED or ADOPTED with its date and resolution (default draft). */
  readonly status?: ReportStatus;
  /** The original (adopted) budget, for original vs final vs variance. */
  readonly original?: OriginalBudget;
  /** Last year's figures by account (the district workbook keeps none), for prior year vs proposed. */
  readonly priorYear?: PriorYear;
  /**
   * Sites not approved: 'exclude' (default: the packet shows exactly what was approved) or
   * 'include-marked' (their lines counted, each such site marked on the cover and in the sites table).
   */
  readonly unapproved?: UnapprovedChoice;
}

export interface BoardReportResult extends OperationResult, Receipted {
  /** The report's model (absent when refused). */
  readonly report?: BoardReport;
  /** The report sheets written, in tab order. */
  readonly sheets?: readonly string[];
}

export const boardReport: Operation<BoardReportArgs, BoardReportResult> = {
  name: 'boardReport',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const none = 'No board report was written';
    const wb = readWorkbook(snap);
    const cfo = cfoOf(wb, snap.user, options, 'consolidate');
    if ('refused' in cfo) return { result: refuse([cfo.refused], `${none}: ${cfo.refused.message}.`) };
    const identity = identityRefusal(cfo.actor, 'consolidate', wb.setup?.settings.verifiedIdentity);
    if (identity) return { result: refuse([identity], `${none}: ${identity.message}.`) };
    const validator = wb.validator;
    if (!validator || !wb.setup)
      return { result: refuse(wb.diagnostics, `${none}: the chart of accounts cannot be read.`) };
    if (!validator.chart.classes?.length)
      return {
        result: refuse(
          [
            diag('BL729', {
              problem: 'the chart has no Classes table, so revenues and expenditures cannot be told apart',
            }),
          ],
          `${none}: the chart says nothing about which codes are revenues and expenditures.`,
        ),
      };
    // The report replaces its sheets: a site whose sheet has a report sheet's name (BL812) would be lost.
    const reportNames = new Set(Object.values(REPORT_SHEETS).map((n) => n.toLowerCase()));
    const clash = wb.sites.filter((s) => reportNames.has(s.sheet.toLowerCase())).map((s) => s.code);
    if (clash.length)
      return {
        result: refuse(
          wb.diagnostics.filter((d) => d.code === 'BL812'),
          `${none}: the sheet of site ${clash.join(', ')} has the name of a report sheet; give the site another sheet in the Sites table.`,
        ),
      };
    const wrongYear = args.priorYear && checkPriorYear(args.priorYear, wb.setup.fiscalYear);
    if (wrongYear) return { result: refuse([wrongYear], `${none}: ${wrongYear.message}.`) };
    const gate = approvalGate(snap, wb);
    if (!gate.ok)
      return {
        result: refuse(
          gate.diagnostics,
          `${none}: the approvals cannot be trusted as they stand (${plural(gate.diagnostics.filter((d) => d.severity === 'fatal').length, 'problem')} below).`,
        ),
      };
    const unapproved = args.unapproved ?? 'exclude';
    const chain = chainOf(snap, wb);
    const stateOf = (code: string): SiteBudget['state'] => {
      if (gate.approved.includes(code)) return 'approved';
      const st = siteState(chain, code).state;
      return st === 'approved' ? 'submitted' : st;
    };
    // The board's steps, from the chain (board.ts): once adopted, the cover says ADOPTED with the
    // board's date and resolution, the original budget is the Adopted Budget sheet, and the final
    // budget is the approved lines plus the applied amendments.
    const feed = boardReportFeed(snap);
    if (args.status?.kind === 'adopted' && feed.status.kind !== 'adopted') {
      const refused = diag('BL652', { action: 'report as adopted' });
      return { result: refuse([refused], `${none}: ${refused.message}.`) };
    }
    // The same final budget as consolidate's: an applied amendment that cannot be carried (BL665)
    // refuses the packet rather than leave its change out.
    const final = finalBudget(snap, wb, gate.verification.replay.board, gate.approved);
    const uncarried = (final?.diagnostics ?? []).filter((d) => d.severity === 'fatal');
    if (uncarried.length)
      return { result: refuse(uncarried, `${none}: an applied amendment cannot be carried.`) };
    // Every page, the projection's too, is of that final budget (the one rule, final.ts).
    const sheets = withAmendments(siteSheetsOf(wb, snap), final);
    const ledger = sheets.flatMap((s) => s.ledger);
    const tooLarge = totalFinding(
      'district budget',
      ledger.map((l) => l.cents),
    );
    if (tooLarge) return { result: refuse([tooLarge], `${none}: the total cannot be carried exactly.`) };
    // The same consolidation as consolidate's: the report's totals are the Master Budget's.
    const c = rollUp(
      ledger,
      wb.sites.map((s) => ({
        site: s.code,
        name: s.name,
        state: stateOf(s.code),
        enrollment: s.site.enrollment,
      })),
      { accounts: validator, unapproved, hierarchical: wb.setup.hierarchical },
    );
    const byAccount = [...c.byAccount].map(([account, a]) => ({ account, cents: a.cents }));
    const funds = districtFunds(wb, snap, byAccount);
    if (!funds) return { result: refuse(wb.diagnostics, `${none}: the chart has no account classes.`) };
    const included = new Set(
      wb.sites
        .filter((s) => unapproved === 'include-marked' || stateOf(s.code) === 'approved')
        .map((s) => s.code),
    );
    // The three-year projection over the same (gated) ledger, one-time lines dropping off.
    const oneTime = new Map<string, number>();
    for (const s of sheets)
      if (included.has(s.site.code))
        for (const l of s.lines)
          if (l.oneTime) oneTime.set(l.account, (oneTime.get(l.account) ?? 0) + l.amount);
    const assumptionGrid = snap.sheets[SHEETS.assumptions];
    const assumptions = assumptionGrid
      ? readAssumptions(
          assumptionGrid,
          { fiscalYear: wb.setup.fiscalYear, validator },
          { sheet: SHEETS.assumptions },
        )
      : { rows: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [
      ...gate.warnings,
      ...c.diagnostics,
      ...funds.diagnostics,
      ...funds.summary.diagnostics,
      ...assumptions.diagnostics,
    ];
    if (diagnostics.some((d) => d.severity === 'fatal'))
      return {
        result: refuse(diagnostics, `${none}: fix the Revenues, Fund Balances or Assumptions rows named.`),
      };
    const classes = compileClasses(validator.chart);
    const p = project({
      fiscalYear: wb.setup.fiscalYear,
      base: funds.summary,
      accounts: validator,
      chart: validator.chart,
      classes,
      ledger: [...c.byAccount].map(([account, a]) => ({
        account,
        cents: a.cents,
        ...(oneTime.has(account) ? { oneTimeCents: oneTime.get(account) as number } : {}),
      })),
      revenues: funds.revenues,
      assumptions: assumptions.rows,
      ...(wb.setup.reservePolicy ? { policy: wb.setup.reservePolicy } : {}),
    });
    diagnostics.push(...p.diagnostics);
    const proposalGrid = snap.sheets[SHEETS.proposals];
    let proposals: Proposal[] = [];
    if (proposalGrid) {
      const read = readProposals(proposalGrid, { validator, sites: new Set(wb.sites.map((s) => s.code)) });
      proposals = read.rows;
      diagnostics.push(...read.diagnostics);
      // A proposal row that cannot be read would be missing from the packet: nothing is written.
      if (read.diagnostics.some((d) => d.severity === 'fatal'))
        return {
          result: refuse(
            diagnostics,
            `${none}: fix the Proposals rows named (the packet lists every accepted proposal).`,
          ),
        };
    }
    const status: ReportStatus =
      feed.status.kind === 'adopted' ? feed.status : (args.status ?? { kind: 'draft' });
    const original = feed.original ?? args.original;
    const report = buildBoardReport({
      district: wb.setup.district,
      fiscalYear: wb.setup.fiscalYear,
      status,
      preparedAt: options.now(),
      unapproved,
      accounts: validator,
      classes,
      sites: sheets.map((s) => ({
        code: s.site.code,
        name: s.site.name,
        state: stateOf(s.site.code),
        enrollment: s.site.site.enrollment,
        included: included.has(s.site.code),
        ledger: s.ledger,
      })),
      byAccount: c.byAccount,
      funds: funds.summary,
      projection: p.years,
      revenues: funds.revenues,
      jobTitles: new Map([...wb.staffing.jobTypes].map(([code, j]) => [code, j.title])),
      proposals,
      hierarchical: wb.setup.hierarchical,
      ...(original ? { original } : {}),
      ...(args.priorYear ? { priorYear: args.priorYear } : {}),
    });
    const write = reportBatch(report);
    const names = Object.values(REPORT_SHEETS);
    const left = report.cover.sitesNotApproved.length;
    return {
      result: {
        ...result(
          true,
          diagnostics,
          `Board report written (${statusText(status)}): ${plural(names.length, 'sheet')}, ${plural(report.sites.length, 'site')}${left ? `, ${plural(left, 'site')} not approved ${unapproved === 'exclude' ? 'left out' : 'included, marked'}` : ''}.`,
        ),
        report,
        sheets: names,
      },
      write,
    };
  },
};
