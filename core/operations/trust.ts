/**
 * Approvals you can trust, from a snapshot: what verify, consolidate, export and the workflow steps
 * share. Pure (a Snapshot in, findings out), so it serves every host and every operation shape.
 *
 *  - the audit chain read from the Audit sheet and replayed: each site's workflow state comes from it
 *    (the stored document state is only a cache, compared with it by verify);
 *  - verify of the whole workbook (core/approval/verify-district);
 *  - the gate of consolidate and export: an approved site's lines are used only when its content is
 *    exactly what its approval records, and nothing is used while verification has a fatal finding.
 */
import { GENESIS_HASH, type AuditEntry } from '../approval/audit';
import { copyMatches, readApprovedLines } from '../approval/approved-lines';
import {
  adoptedRevenuesOf,
  appliedAmendments,
  checkAdoptedRevenues,
  checkAdoptedSheet,
  readAmendments,
  replayBoard,
} from '../approval/board';
import { contentHash, type ContentLine } from '../approval/hash';
import type { Receipt } from '../approval/receipts';
import { chainBudget, replayChain, type Replay } from '../approval/replay';
import { verifyDistrict, type DistrictVerification, type StoredState } from '../approval/verify-district';
import type { VerifySiteInput } from '../approval/verify';
import { changedSinceSubmission, type SiteBudget } from '../approval/workflow';
import { checkCellText, checkFormulaCells } from '../cell-limits';
import type { Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { exactTotal, formatBigCents } from '../money';
import type { Snapshot } from '../port/types';
import { SHEETS } from '../workbook/layout';
import { districtFunds } from './funds';
import {
  contentLines,
  readAuditLog,
  readSiteSheet,
  type SiteEntry,
  type SiteSheet,
  type Workbook,
} from '../workbook/read';

/** The sheets a district workbook cannot be verified without. */
export const REQUIRED_SHEETS: readonly string[] = [
  SHEETS.setup,
  SHEETS.segments,
  SHEETS.codes,
  SHEETS.sites,
  SHEETS.roles,
  SHEETS.audit,
  SHEETS.approved,
];

/** The sheets that tell a district workbook from any other spreadsheet. */
const DISTRICT_MARKS: readonly string[] = [
  SHEETS.setup,
  SHEETS.sites,
  SHEETS.audit,
  SHEETS.roles,
  SHEETS.codes,
];

/** False when a workbook has none of a district workbook's own sheets (verify exits 2 on it). */
export function looksLikeDistrictWorkbook(snap: Snapshot): boolean {
  return DISTRICT_MARKS.some((s) => snap.sheetNames.includes(s) || snap.sheets[s] !== undefined);
}

export function missingSheets(snap: Snapshot): string[] {
  return REQUIRED_SHEETS.filter((s) => snap.sheets[s] === undefined && !snap.sheetNames.includes(s));
}

/** The audit chain of a snapshot, and each site's state replayed from it. */
export interface Chain {
  readonly log: readonly AuditEntry[];
  /** Findings of reading the Audit sheet (rows that cannot be read, columns missing). */
  readonly findings: readonly Diagnostic[];
  readonly replay: Replay;
  /** The chain's last hash (GENESIS_HASH when it is empty): where the next entry links. */
  readonly head: string;
}

export function chainOf(snap: Snapshot, wb?: Workbook): Chain {
  const audit = readAuditLog(snap.sheets[SHEETS.audit]);
  const replay = replayChain(audit.entries, wb ? { roles: wb.roles } : {});
  return {
    log: audit.entries,
    findings: audit.diagnostics,
    replay,
    head: audit.entries[audit.entries.length - 1]?.hash ?? GENESIS_HASH,
  };
}

/** A site's state by the chain. */
export function siteState(chain: Chain, site: string): SiteBudget {
  return chainBudget(chain.replay, site);
}

/**
 * The state of the stored document state: damaged when the host reported it cannot be read
 * (`stateDiagnostics`, BL820); missing when it is empty (no site, no last hash) — a host cannot tell
 * an absent state from an empty one.
 */
export function storedStateOf(snap: Snapshot): StoredState {
  const damaged = (snap as { stateDiagnostics?: readonly Diagnostic[] }).stateDiagnostics ?? [];
  if (damaged.length) return { kind: 'damaged', problem: damaged.map((d) => d.message).join('; ') };
  const s = snap.state;
  if (!s || (Object.keys(s.sites).length === 0 && s.lastAuditHash === GENESIS_HASH))
    return { kind: 'missing' };
  return { kind: 'present', sites: s.sites, lastAuditHash: s.lastAuditHash };
}

/** Cell findings a site sheet's own cells carry: text too long (BL013), formula results maybe stale (BL014). */
export function cellFindings(snap: Snapshot, sheet: string, grid: Grid | undefined): Diagnostic[] {
  if (!grid) return [];
  return [...checkCellText(grid, sheet), ...checkFormulaCells(grid, sheet, snap.formulas?.[sheet] ?? [])];
}

/** A site's sheet read with its cell findings, and its lines as approval hashes them. */
export function siteContent(
  snap: Snapshot,
  wb: Workbook,
  site: SiteEntry,
): { sheet: SiteSheet; input: VerifySiteInput; findings: Diagnostic[] } {
  const grid = snap.sheets[site.sheet];
  const sheet = readSiteSheet(wb, site, grid);
  const findings = [...sheet.diagnostics, ...cellFindings(snap, site.sheet, grid)];
  const lines: ContentLine[] = contentLines(sheet.ledger);
  return { sheet, findings, input: { site: site.code, lines, findings } };
}

/**
 * The copy of a site's lines kept at submission (the Submitted Lines sheet), only when its rows are
 * exactly what the submit entry's content hash records; else undefined.
 */
export function submittedCopy(
  snap: Snapshot,
  site: string,
  submittedHash: string | undefined,
): readonly ContentLine[] | undefined {
  if (submittedHash === undefined) return undefined;
  const copy = readApprovedLines(snap.sheets[SHEETS.submitted]).get(site);
  return copy && copyMatches(copy, submittedHash) ? copy.lines : undefined;
}

/**
 * A submitted site's changes since its submission, as approve would refuse them (BL635, BL636 per
 * line): shown before the approver presses Approve. Nothing for a site not submitted or unchanged.
 */
export function changesSinceSubmission(
  snap: Snapshot,
  budget: SiteBudget,
  lines: readonly ContentLine[],
): Diagnostic[] {
  if (budget.state !== 'submitted' || budget.submittedHash === undefined) return [];
  const hash = contentHash(lines);
  if (hash === budget.submittedHash) return [];
  return changedSinceSubmission(budget, hash, lines, submittedCopy(snap, budget.site, budget.submittedHash));
}

/** Everything verify checks, for a snapshot read with every sheet and the state. */
export function verifySnapshot(
  snap: Snapshot,
  wb: Workbook,
  options: { receipts?: readonly Receipt[] } = {},
): DistrictVerification {
  const missing = missingSheets(snap);
  const audit = readAuditLog(snap.sheets[SHEETS.audit]);
  // Without the district's own tables the sites' lines cannot be read: the missing sheets are named
  // once (BL628), never as one finding per line.
  const readable = missing.length === 0 && wb.validator !== undefined;
  const problem =
    missing.length === 0 && !wb.validator
      ? `the chart of accounts cannot be read (${wb.diagnostics.length} finding${wb.diagnostics.length === 1 ? '' : 's'}; run validate)`
      : undefined;
  const contents = readable ? wb.sites.map((s) => siteContent(snap, wb, s).input) : [];
  const approvedGrid = snap.sheets[SHEETS.approved];
  const v = verifyDistrict({
    log: audit.entries,
    logFindings: audit.diagnostics,
    state: storedStateOf(snap),
    missingSheets: missing,
    sites: wb.sites.map((s) => s.code),
    contents,
    ...(problem ? { contentProblem: problem } : {}),
    ...(approvedGrid ? { approvedLines: readApprovedLines(approvedGrid) } : {}),
    roles: wb.roles,
    ...(options.receipts ? { receipts: options.receipts } : {}),
    ...(snap.keptHead !== undefined ? { keptHead: snap.keptHead } : {}),
  });
  // Cells whose value may not be what the file shows now (formula results saved last time).
  const stale = contents.flatMap((c) => (c.findings ?? []).filter((f) => f.code === 'BL014'));
  const board = readable ? boardFindings(snap, wb, audit.entries) : [];
  const extra = [...stale, ...board];
  if (!extra.length) return v;
  const fatal = board.some((d) => d.severity === 'fatal');
  return {
    ...v,
    diagnostics: [...v.diagnostics, ...extra],
    ...(fatal ? { status: 'problems' as const } : {}),
  };
}

/**
 * The board's steps replayed (BL656, BL651); once adopted, the Adopted Budget sheet against the hash
 * its adoption recorded (a changed cell named, BL644, when Approved Lines still holds what was
 * adopted; else BL645), the Revenues table against the adopted revenues (BL666, BL667), and each approved or applied amendment's row against its approval (BL653).
 */
function boardFindings(snap: Snapshot, wb: Workbook, log: readonly AuditEntry[]): Diagnostic[] {
  const board = replayBoard(log);
  const out: Diagnostic[] = [...board.diagnostics];
  if (!board.adoption) return out;
  const copies = snap.sheets[SHEETS.approved] ? readApprovedLines(snap.sheets[SHEETS.approved]) : undefined;
  const expected = copies
    ? [...copies.values()].flatMap((c) => c.lines.map((l) => ({ ...l, site: c.site })))
    : undefined;
  out.push(
    ...checkAdoptedSheet(
      snap.sheets[SHEETS.adopted],
      board.adoption,
      expected,
      snap.sheets[SHEETS.adoptedRevenues],
    ),
  );
  // The revenues the board adopted (BLAD2): the Revenues table must still give exactly them (BL666).
  const revenues = adoptedRevenuesOf(
    snap.sheets[SHEETS.adopted],
    snap.sheets[SHEETS.adoptedRevenues],
    board.adoption,
  );
  if (revenues) out.push(...checkAdoptedRevenues(revenues, districtFunds(wb, snap, [])?.revenues ?? []));
  const rows = readAmendments(
    snap.sheets[SHEETS.amendments],
    wb.validator,
    wb.sites.map((s) => s.code),
  ).rows;
  out.push(
    ...appliedAmendments(
      board,
      rows,
      wb.sites.map((s) => s.code),
    ).diagnostics,
  );
  return out;
}

/**
 * The gate of consolidate and export: the sites whose approval can be trusted and whose lines are
 * exactly what was approved, or the refusal listing every difference (nothing is written then).
 * Unreadable content, a broken chain, a stored state that disagrees with the chain: all refuse.
 */
export function approvalGate(
  snap: Snapshot,
  wb: Workbook,
):
  | {
      ok: true;
      approved: readonly string[];
      warnings: readonly Diagnostic[];
      verification: DistrictVerification;
    }
  | { ok: false; diagnostics: readonly Diagnostic[]; verification: DistrictVerification } {
  const verification = verifySnapshot(snap, wb);
  const fatal = verification.diagnostics.filter((d) => d.severity === 'fatal');
  if (fatal.length) return { ok: false, diagnostics: verification.diagnostics, verification };
  return {
    ok: true,
    approved: verification.approvedSites,
    warnings: verification.diagnostics.filter((d) => d.code !== 'BL627'),
    verification,
  };
}

/**
 * BL634 when some total of these cents could not be carried exactly as a number: every partial total
 * (a site, an account, a fund) lies between the sum of the negative amounts and the sum of the
 * positive ones, so both are checked, not only the grand total (which credits may bring back in range).
 */
export function totalFinding(what: string, cents: Iterable<number>): Diagnostic | undefined {
  const plus: number[] = [];
  const minus: number[] = [];
  for (const c of cents) (c < 0 ? minus : plus).push(c);
  for (const part of [plus, minus]) {
    const t = exactTotal(part);
    if (!t.safe) return diag('BL634', { what, total: formatBigCents(t.total) });
  }
  return undefined;
}
