/**
 * The add-on's server side: menu, triggers, and the functions the sidebar calls. Each is thin —
 * build the synchronous port, run one core operation with runOperationSync (core/port/driver.ts: one
 * read, the pure plan, at most one write), return a plain object.
 *
 * Anyone who can open the spreadsheet can call any top-level function (google.script.run, the
 * script editor, a crafted request), so nothing here trusts the sidebar: who is calling comes from
 * Session on the server, and the core checks the Roles table for every workflow step and every
 * district-wide action (consolidate, export, verify: the CFO only), through its one permission rule. Helpers that
 * must not be callable end with `_` (Apps Script hides those from google.script.run).
 */
import { EXPORT_SHEET, exportSheetWrite, exportWhat, operations, projection } from '../../core/operations';
import { fundView, projectionView, type FundViewRow, type FundViewYear } from '../../core/rollup/fund-view';
import { runOperationSync } from '../../core/port/driver';
import { fundSummaryView, projectionViewTable } from '../../core/views/cfo';
import type { ViewTable } from '../../core/views/table';
import type {
  OperationOptions,
  OperationResult,
  StatusView,
  UnapprovedChoice,
} from '../../core/operations/api';
import { BUILT_IN_FORMATS } from '../../core/export/format';
import type { Diagnostic } from '../../core/diagnostics';
import { ChainHeadChangedError } from '../../core/approval/head';
import { SheetsPort, chainHeadKey, type SheetsServices } from './port';

/** The add-on menu: caption → the top-level function it runs. */
export const MENU: readonly (readonly [string, string])[] = [
  ['Open sidebar', 'showSidebar'],
  ['Validate this site', 'menuValidateSite'],
  ['Consolidate district', 'menuConsolidate'],
  ['Export', 'menuExport'],
  ['Verify approvals', 'menuVerify'],
  ['Board report', 'menuBoardReport'],
  ['New district workbook', 'menuNewWorkbook'],
];

export const NO_IDENTITY_NOTICE =
  'Google did not tell Budgetline who you are — your account is outside the district’s Google Workspace ' +
  'domain, or you have not authorised the add-on. You can look, but you cannot submit, approve, return ' +
  'or consolidate. Sign in with your district account.';

const BUSY =
  'Someone else is submitting, approving or consolidating in this workbook right now. Try again in a moment.';

const PROGRESS_KEY = 'budgetline.progress';

// ---- plumbing (private) ----------------------------------------------------------------------

/** The services a port needs (full: with Session, the advanced Sheets service and the chain head). */
export function services_(full: boolean): SheetsServices {
  const advanced = full && typeof Sheets !== 'undefined' ? Sheets : undefined;
  const spreadsheet = SpreadsheetApp.getActiveSpreadsheet();
  return {
    spreadsheet,
    properties: PropertiesService.getDocumentProperties(),
    ...(full ? { session: Session } : {}),
    ...(advanced ? { sheetsApi: advanced } : {}),
    // The chain head lives in the add-on's ScriptProperties, which editors of the spreadsheet
    // cannot write (README "Where the chain head lives"); not in simple triggers.
    ...(full
      ? {
          chainHead: {
            properties: PropertiesService.getScriptProperties(),
            key: chainHeadKey(spreadsheet.getId()),
          },
        }
      : {}),
    sheetProtection: SpreadsheetApp.ProtectionType.SHEET,
    newDataValidation: () => SpreadsheetApp.newDataValidation(),
    chartTypes: {
      pie: Charts.ChartType.PIE,
      column: Charts.ChartType.COLUMN,
      bar: Charts.ChartType.BAR,
      line: Charts.ChartType.LINE,
    },
  };
}

export function port_(full = true): SheetsPort {
  return new SheetsPort(services_(full));
}

export function options_(progress?: OperationOptions['progress']): OperationOptions {
  return { now: () => new Date().toISOString(), ...(progress ? { progress } : {}) };
}

/** Diagnostics as plain objects (what google.script.run can send). */
export function plain_<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function refused_(summary: string, diagnostics: readonly Diagnostic[] = []): OperationResult {
  return { ok: false, diagnostics, summary };
}

/** Runs fn holding the document lock; a second person gets a clear "busy" instead of a race. */
export function withLock_<T extends OperationResult>(fn: () => T): T | OperationResult {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000)) return refused_(BUSY);
  try {
    return fn();
  } catch (e) {
    // The chain head moved (or was changed outside Budgetline): refused, nothing written.
    if (e instanceof ChainHeadChangedError) return refused_(e.message);
    throw e;
  } finally {
    lock.releaseLock();
  }
}

export function email_(): string {
  return Session.getActiveUser().getEmail();
}

function statusOf_(site?: string): OperationResult & { view: StatusView } {
  return runOperationSync(port_(), operations.status, site ? { site } : {}, options_());
}

function withNotice_(view: StatusView): StatusView {
  if (email_()) return view;
  return { ...view, notice: NO_IDENTITY_NOTICE };
}

function progress_(): OperationOptions['progress'] {
  const cache = CacheService.getDocumentCache();
  let last = -1;
  return (done, total, label) => {
    const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
    if (!cache || (pct < last + 10 && done !== total)) return; // at most ~10 cache writes
    last = pct;
    cache.put(PROGRESS_KEY, JSON.stringify({ done, total, label }), 120);
  };
}

function showSidebarWith_(panel: string): void {
  const html = HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Budgetline');
  if (panel !== 'site') html.append(`<script>window.BUDGETLINE_PANEL=${JSON.stringify(panel)}</script>`);
  SpreadsheetApp.getUi().showSidebar(html);
}

function alert_(r: OperationResult): void {
  const lines = r.diagnostics
    .slice(0, 10)
    .map((d) => `• ${d.sheet ? `${d.sheet}!${d.cell ?? ''} ` : ''}${d.message}`);
  SpreadsheetApp.getUi().alert(
    'Budgetline',
    [r.summary, ...lines].join('\n'),
    SpreadsheetApp.getUi().ButtonSet.OK,
  );
}

// ---- menu and triggers -----------------------------------------------------------------------

export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  // Runs in AuthMode.NONE or LIMITED: only the menu, no other service.
  const menu = SpreadsheetApp.getUi().createAddonMenu();
  for (const [caption, fn] of MENU) menu.addItem(caption, fn);
  menu.addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

/**
 * Live validation (simple trigger: 30 seconds, no services that need authorisation). Re-checks only
 * the edited rows — a typed cell or a paste of thousands of rows (whose event has no value) — with
 * one read and one batched write through the port.
 */
export function onEdit(e?: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (!e || !e.range) return;
  if ((e.authMode as unknown) === ScriptApp.AuthMode.NONE) return;
  const range = e.range;
  const sheet = range.getSheet().getName();
  const from = range.getRow() - 1;
  const to = from + range.getNumRows() - 1;
  // The edited columns too: an edit beside the computed Cost column refreshes it without a finding.
  const columns = { from: range.getColumn() - 1, to: range.getColumn() + range.getNumColumns() - 2 };
  runOperationSync(port_(false), operations.validateRows, { sheet, from, to, columns }, options_());
}

export function showSidebar(): void {
  showSidebarWith_('site');
}

export function menuValidateSite(): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getActiveSheet().getName();
  const s = statusOf_();
  const site = s.view.sites.find((x) => x.sheet === sheet);
  if (!site) {
    SpreadsheetApp.getUi().alert(
      'Budgetline',
      `"${sheet}" is not a site's sheet. Open a site's sheet (see the Sites table) and try again.`,
      SpreadsheetApp.getUi().ButtonSet.OK,
    );
    return;
  }
  alert_(validateSite(site.code).result);
}

export function menuConsolidate(): void {
  showSidebarWith_('consolidate');
}

export function menuExport(): void {
  showSidebarWith_('export');
}

export function menuVerify(): void {
  alert_(verifyApprovals());
}

export function menuNewWorkbook(): void {
  showSidebarWith_('new');
}

// ---- the sidebar's API (every one re-checks the caller) --------------------------------------

export interface StatusReply extends OperationResult {
  readonly view: StatusView;
  readonly formats: readonly { readonly id: string; readonly name: string }[];
  /** Which panel the sidebar should open on. */
  readonly me: string;
}

export function getStatus(site?: string): StatusReply {
  const s = statusOf_(typeof site === 'string' && site ? site : undefined);
  return plain_({
    ok: s.ok,
    diagnostics: s.diagnostics,
    summary: s.summary,
    view: withNotice_(s.view),
    formats: BUILT_IN_FORMATS.map((f) => ({ id: f.id, name: f.name })),
    me: email_(),
  });
}

export interface ActionReply {
  readonly result: OperationResult;
  readonly status: StatusReply;
}

export function act_(site: string, run: () => OperationResult): ActionReply {
  let outcome: OperationResult;
  try {
    outcome = run();
  } catch (e) {
    // A write of the chain's state outside the lock (validate) refused by the chain-head check.
    if (!(e instanceof ChainHeadChangedError)) throw e;
    outcome = refused_(e.message);
  }
  const result = plain_(outcome);
  return { result, status: getStatus(site) };
}

export function text_(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function validateSite(site: string): ActionReply {
  return act_(site, () =>
    runOperationSync(port_(), operations.validateSites, { sites: [text_(site)] }, options_()),
  );
}

export function submitSite(site: string, comment?: string): ActionReply {
  const c = text_(comment);
  return act_(site, () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.submit,
        { site: text_(site), ...(c ? { comment: c } : {}) },
        options_(),
      ),
    ),
  );
}

export function approveSite(site: string, comment?: string): ActionReply {
  const c = text_(comment);
  return act_(site, () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.approve,
        { site: text_(site), ...(c ? { comment: c } : {}) },
        options_(),
      ),
    ),
  );
}

export function returnSite(site: string, comment: string): ActionReply {
  return act_(site, () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.returnBudget,
        { site: text_(site), comment: text_(comment) },
        options_(),
      ),
    ),
  );
}

export function reopenSite(site: string, comment: string): ActionReply {
  return act_(site, () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.reopen,
        { site: text_(site), comment: text_(comment) },
        options_(),
      ),
    ),
  );
}

/** A result with the fund summary (consolidate) or the projection's years, as the core words them. */
export interface FundsReply extends OperationResult {
  fundRows?: FundViewRow[];
  years?: FundViewYear[];
  /** The same, as the tables the sidebar draws (ui/figures). */
  tables?: ViewTable[];
}

export function consolidateDistrict(unapproved?: string): FundsReply {
  const choice: UnapprovedChoice = unapproved === 'include-marked' ? 'include-marked' : 'exclude';
  // The core refuses anyone but the CFO (BL811) or an unknown user (BL803), in its one read.
  if (!email_()) return plain_(refused_(`Could not consolidate the district. ${NO_IDENTITY_NOTICE}`));
  const r = withLock_(() =>
    runOperationSync(port_(), operations.consolidate, { unapproved: choice }, options_(progress_())),
  );
  const funds = 'funds' in r && r.funds ? fundView(r.funds, r.district, r.reservePolicy) : undefined;
  return plain_({ ...r, ...(funds ? { fundRows: funds, tables: [fundSummaryView(funds)] } : {}) });
}

/** The three-year projection (read only). Anyone on the Roles table may look; it writes nothing. */
export function projectDistrict(unapproved?: string): FundsReply {
  const choice: UnapprovedChoice = unapproved === 'exclude' ? 'exclude' : 'include-marked';
  if (!email_()) return plain_(refused_(`Could not project the budget. ${NO_IDENTITY_NOTICE}`));
  const r = runOperationSync(port_(), projection, { unapproved: choice }, options_());
  const years = r.years ? projectionView(r.years, r.reservePolicy) : undefined;
  return plain_({
    ok: r.ok,
    summary: r.summary,
    diagnostics: r.diagnostics,
    ...(years ? { years, tables: [projectionViewTable(years)] } : {}),
  });
}

/** Consolidation progress, for the sidebar's progress bar: { done, total, label } or null. */
export function getProgress(): { done: number; total: number; label: string } | null {
  const v = CacheService.getDocumentCache()?.get(PROGRESS_KEY);
  return v ? (JSON.parse(v) as { done: number; total: number; label: string }) : null;
}

/**
 * Export: the file for the sidebar's download link, and the same file on the "Budgetline Export"
 * sheet (replaced each time), because a sidebar's download may be blocked by the browser: with that
 * sheet active, File › Download › Comma-separated values (or Tab-separated for a fixed-width
 * format) gives the same file. One read (the operation), one write (the sheet).
 */
export function exportBudget(
  format: string,
  what?: string,
): OperationResult & { content?: string; fileName?: string; sheet?: string } {
  if (!email_()) return plain_(refused_(`Could not export the budget. ${NO_IDENTITY_NOTICE}`));
  const port = port_();
  const { rows, ...r } = runOperationSync(
    port,
    operations.exportBudget,
    { format: text_(format), ...exportWhat(text_(what ?? '')) },
    options_(),
  );
  if (!r.ok || !rows) return plain_(r);
  port.writeSync({ sheets: [exportSheetWrite(rows)] });
  return plain_({ ...r, sheet: EXPORT_SHEET });
}

export function verifyApprovals(): OperationResult {
  // The core refuses anyone but the CFO (BL811) or an unknown user (BL803), in its one read.
  if (!email_()) return plain_(refused_(`Could not verify the approvals. ${NO_IDENTITY_NOTICE}`));
  return plain_(runOperationSync(port_(), operations.verify, {}, options_()));
}

/**
 * New district workbook: the core checks the preset, the fiscal year and that no district workbook
 * is here already (BL807); `rebuild` asks to build over it on purpose, which only the CFO may.
 */
export function createDistrictWorkbook(
  preset: string,
  fiscalYear: number,
  district: string,
  rebuild?: boolean,
): OperationResult {
  if (!email_()) return plain_(refused_(`Could not create the workbook. ${NO_IDENTITY_NOTICE}`));
  const args = {
    preset: text_(preset),
    fiscalYear: Number(fiscalYear),
    district: text_(district),
    ...(rebuild === true ? { rebuild: true } : {}),
  };
  return plain_(withLock_(() => runOperationSync(port_(), operations.createWorkbook, args, options_())));
}

/** Selects a finding's cell. Only reads sheet and cell names; no data is returned. */
export function goToCell(sheet: string, cell: string): boolean {
  const sh = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(text_(sheet));
  if (!sh || !/^[A-Z]{1,3}[1-9][0-9]{0,6}$/i.test(text_(cell))) return false;
  sh.getRange(cell).activate();
  return true;
}
