/**
 * The sidebar's API for the CFO's views (ui/cfo.ts draws them): each function runs one core
 * operation with runOperationSync — one read for a view; one read and one write for a decision or an
 * import by site, under the document lock. Nothing trusts the page: the core checks who is calling
 * (Session, through the port) and refuses what the Roles table does not allow.
 *
 * Import by site from a file the user picked: the sidebar reads and parses the file in the browser
 * and sends its header and records (text) in one google.script.run call. Google documents no size
 * limit for a call's arguments, but a call is one Apps Script execution (6 minutes at most) and its
 * arguments are held in memory whole, so Budgetline takes at most SHEETS_EXTRACT_LIMIT lines per file
 * here (a district's extract of 40 schools is about 12,000); larger files go through the command line.
 * The server checks the limit again.
 */
import { runOperationSync } from '../../core/port/driver';
import type { CellValue } from '../../core/cells';
import type { OperationResult } from '../../core/operations/api';
import { importBySite } from '../../core/operations';
import {
  actualsView,
  adoptView,
  decideView,
  proposalsView,
  proposeView,
  scenariosView,
  type ActualsViewResult,
  type AdoptViewResult,
  type DecideViewResult,
  type ProposalsViewResult,
  type ProposeViewResult,
  type ScenariosViewResult,
} from '../../core/operations/cfo';
import { importReportTable } from '../../core/views/cfo';
import type { ViewTable } from '../../core/views/table';
import { ChainHeadChangedError } from '../../core/approval/head';
import { SheetsPort } from './port';
import { NO_IDENTITY_NOTICE, services_ } from './server';

/** The most lines one picked file may send to the server (see above). */
export const SHEETS_EXTRACT_LIMIT = 50_000;

const BUSY =
  'Someone else is deciding, importing or approving in this workbook right now. Try again in a moment.';

const opts_ = () => ({ now: () => new Date().toISOString() });
const plain_ = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const text_ = (v: unknown): string => (typeof v === 'string' ? v : '');
const refused_ = (summary: string): OperationResult => ({ ok: false, diagnostics: [], summary });
const signedIn_ = (): boolean => Session.getActiveUser().getEmail() !== '';

function locked_<T extends OperationResult>(fn: () => T): T | OperationResult {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(10_000)) return refused_(BUSY);
  try {
    return fn();
  } catch (e) {
    if (e instanceof ChainHeadChangedError) return refused_(e.message);
    throw e;
  } finally {
    lock.releaseLock();
  }
}

const port_ = (): SheetsPort => new SheetsPort(services_(true));

export function getProposals(): ProposalsViewResult {
  return plain_(runOperationSync(port_(), proposalsView, {}, opts_()));
}

export function decideProposal(
  proposal: string,
  decision: string,
  reason: string,
): DecideViewResult | (OperationResult & { view: ProposalsViewResult }) {
  const choice =
    decision === 'accept' || decision === 'reject' || decision === 'defer' ? decision : undefined;
  if (!signedIn_() || !choice)
    return plain_({
      ...refused_(
        !choice ? `"${text_(decision)}" is not a decision.` : `Nothing was decided. ${NO_IDENTITY_NOTICE}`,
      ),
      view: getProposals(),
    });
  const r = locked_(() =>
    runOperationSync(
      port_(),
      decideView,
      { proposal: text_(proposal), decision: choice, reason: text_(reason) },
      opts_(),
    ),
  );
  return plain_('view' in r ? r : { ...r, view: getProposals() });
}

export function proposeProposal(
  proposal: string,
): ProposeViewResult | (OperationResult & { view: ProposalsViewResult }) {
  if (!signedIn_())
    return plain_({ ...refused_(`Nothing was submitted. ${NO_IDENTITY_NOTICE}`), view: getProposals() });
  const r = locked_(() => runOperationSync(port_(), proposeView, { proposal: text_(proposal) }, opts_()));
  return plain_('view' in r ? r : { ...r, view: getProposals() });
}

export function adoptScenario(
  scenario: string,
  reason: string,
): AdoptViewResult | (OperationResult & { view: ScenariosViewResult }) {
  if (!signedIn_())
    return plain_({ ...refused_(`Nothing was adopted. ${NO_IDENTITY_NOTICE}`), view: getScenarios() });
  const r = locked_(() =>
    runOperationSync(port_(), adoptView, { scenario: text_(scenario), reason: text_(reason) }, opts_()),
  );
  return plain_('view' in r ? r : { ...r, view: getScenarios() });
}

export function getScenarios(): ScenariosViewResult {
  return plain_(runOperationSync(port_(), scenariosView, {}, opts_()));
}

export function getActuals(): ActualsViewResult {
  return plain_(runOperationSync(port_(), actualsView, {}, opts_()));
}

const isRow = (r: unknown): r is CellValue[] =>
  Array.isArray(r) &&
  r.every((v) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean');

export function importBySiteRows(
  source: string,
  header: unknown,
  records: unknown,
  replace?: boolean,
): OperationResult & { report?: ViewTable } {
  if (!signedIn_()) return plain_(refused_(`Nothing was imported. ${NO_IDENTITY_NOTICE}`));
  if (!isRow(header) || !Array.isArray(records) || !records.every(isRow))
    return plain_(refused_('Nothing was imported: the file did not arrive as rows of text and numbers.'));
  if (records.length > SHEETS_EXTRACT_LIMIT)
    return plain_(
      refused_(
        `Nothing was imported: ${records.length} lines is more than the ${SHEETS_EXTRACT_LIMIT} the sidebar takes at once. Use the command line (budgetline import <workbook> <extract> --by-site) or split the file.`,
      ),
    );
  const r = locked_(() =>
    runOperationSync(
      port_(),
      importBySite,
      {
        header,
        records,
        source: text_(source) || 'extract',
        ...(replace === true ? { replace: true } : {}),
      },
      opts_(),
    ),
  );
  return plain_('sites' in r && r.sites.length ? { ...r, report: importReportTable(r.sites, r.lines) } : r);
}
