/**
 * verify, for the whole district workbook: everything that can be checked from the file (and from
 * receipts kept outside it), all findings at once. Consolidate and export take the same verdict:
 * an approved site's lines are used only when the whole verification has no fatal finding.
 *
 *  - required sheets present, and the stored state present and readable: anything missing or
 *    damaged is named in one finding (BL628);
 *  - the chain (BL616-618), and against receipts (BL629-630) when given;
 *  - each site's state replayed from the chain (BL626), with segregation of duties (BL624, BL625);
 *    the stored state compared with it (BL620);
 *  - each approved site still in Sites (BL623), and its content against its approval entry
 *    (BL612-615, BL619, BL621);
 *  - Approved Lines against the approval hashes (BL622);
 *  - self-declared steps counted and listed (BL633);
 *  - an empty chain with no state is "no approvals recorded" (BL627), never intact.
 */
import { diag, type Diagnostic } from '../diagnostics';
import { GENESIS_HASH, verifyAuditLog, type AuditEntry } from './audit';
import { checkApprovedLines, type ApprovedCopy } from './approved-lines';
import { canonicalSorted, sha256Hex, sortedLines, type ContentLine } from './hash';
import { checkReceipts, type Receipt } from './receipts';
import { compareStoredState, replayChain, type Replay } from './replay';
import type { RolesTable } from './roles';
import { checkApprovedSite, type SiteVerification, type VerifySiteInput } from './verify';
import type { SiteBudget } from './workflow';

export type StoredState =
  | {
      readonly kind: 'present';
      readonly sites: Readonly<Record<string, SiteBudget>>;
      readonly lastAuditHash: string;
    }
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged'; readonly problem: string };

export interface DistrictVerifyInput {
  readonly log: readonly AuditEntry[];
  /** Findings of reading the Audit sheet (rows that cannot be read, missing columns). */
  readonly logFindings?: readonly Diagnostic[];
  readonly state: StoredState;
  /** Required sheets the workbook does not have. */
  readonly missingSheets?: readonly string[];
  /** The site codes of the Sites table. */
  readonly sites: readonly string[];
  /** The current content of sites (with the findings of reading their sheets). */
  readonly contents: readonly VerifySiteInput[];
  /** The Approved Lines sheet, read; undefined when the sheet is missing. */
  readonly approvedLines?: ReadonlyMap<string, ApprovedCopy>;
  readonly roles?: RolesTable;
  /** Receipts kept outside the file, when the caller has them. */
  readonly receipts?: readonly Receipt[];
  /**
   * Why the sites' lines cannot be read (the chart cannot be loaded), when they cannot: approved
   * sites are then not compared line by line (this, or the missing sheets, is the finding), and none
   * is exportable.
   */
  readonly contentProblem?: string;
  /** The chain head kept outside the document by the host (Snapshot.keptHead), when it keeps one. */
  readonly keptHead?: string;
}

export interface DistrictVerification {
  /** intact: no finding worse than a warning and at least one entry; no approvals recorded: empty chain. */
  readonly status: 'intact' | 'no approvals recorded' | 'problems';
  readonly diagnostics: readonly Diagnostic[];
  readonly replay: Replay;
  readonly sites: readonly SiteVerification[];
  /** Approved sites (by the chain) whose content is exactly what was approved. */
  readonly approvedSites: readonly string[];
  /** How many steps of the chain were taken by a self-declared user. */
  readonly selfDeclared: number;
}

const list = (xs: readonly string[]): string =>
  xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

export function verifyDistrict(input: DistrictVerifyInput): DistrictVerification {
  const diagnostics: Diagnostic[] = [];
  const { log, state } = input;
  const hasCopies = (input.approvedLines?.size ?? 0) > 0;

  // Missing or damaged parts: one finding naming them all.
  const parts: string[] = [];
  const missing = input.missingSheets ?? [];
  if (missing.length)
    parts.push(
      `the ${missing.length === 1 ? 'sheet' : 'sheets'} ${list(missing.map((s) => `"${s}"`))} ${missing.length === 1 ? 'is' : 'are'} missing`,
    );
  if (input.contentProblem) parts.push(input.contentProblem);
  if (state.kind === 'damaged') parts.push(`the stored workflow state cannot be read (${state.problem})`);
  if (state.kind === 'missing' && (log.length > 0 || hasCopies))
    parts.push(
      `the stored workflow state is missing, while ${log.length > 0 ? `the audit log has ${log.length} entr${log.length === 1 ? 'y' : 'ies'}` : 'Approved Lines holds approved copies'}`,
    );
  if (parts.length) diagnostics.push(diag('BL628', { detail: parts.join('; ') }));

  const empty = log.length === 0 && (input.logFindings ?? []).length === 0;
  const noState =
    state.kind === 'missing' || (state.kind === 'present' && Object.keys(state.sites).length === 0);
  if (empty && noState && !hasCopies) diagnostics.push(diag('BL627', {}));

  diagnostics.push(...(input.logFindings ?? []));
  const chainFindings = verifyAuditLog(log, state.kind === 'present' ? state.lastAuditHash : undefined);
  diagnostics.push(...chainFindings);
  // The head kept where editors cannot write it: an Audit sheet and stored state rolled back together
  // agree with each other, but not with it.
  const head = log.length ? (log[log.length - 1] as AuditEntry).hash : GENESIS_HASH;
  if (
    input.keptHead !== undefined &&
    input.keptHead !== head &&
    !chainFindings.some((d) => d.code === 'BL618')
  )
    diagnostics.push(diag('BL618', { count: log.length }));
  if (input.receipts) diagnostics.push(...checkReceipts(log, input.receipts));

  const replay = replayChain(log, input.roles ? { roles: input.roles } : {});
  diagnostics.push(...replay.diagnostics);
  if (state.kind === 'present') diagnostics.push(...compareStoredState(replay, state.sites));

  const inSites = new Set(input.sites);
  const contents = new Map(input.contents.map((c) => [c.site, c]));
  const sites: SiteVerification[] = [];
  const approvedSites: string[] = [];
  const known = new Map<string, readonly ContentLine[]>();
  const readable = !input.contentProblem && missing.length === 0;
  for (const [site, a] of replay.approvals) {
    if (!readable) continue;
    if (!inSites.has(site)) {
      diagnostics.push(diag('BL623', { site, date: a.entry.at.slice(0, 10) }));
      continue;
    }
    const content = contents.get(site);
    const copy = input.approvedLines?.get(site);
    const lines = content?.lines ?? [];
    const sorted = sortedLines(lines);
    const hash = sha256Hex(canonicalSorted(sorted));
    if (hash === a.entry.contentHash) known.set(site, sorted);
    const v = checkApprovedSite(
      {
        site,
        lines,
        hash,
        ...(copy ? { approvedCopy: copy.lines } : {}),
        findings: content?.findings ?? [],
      },
      a.entry,
    );
    sites.push(v);
    diagnostics.push(...v.diagnostics);
    if (!v.changed && !replay.untrusted.has(site)) approvedSites.push(site);
  }
  if (input.approvedLines)
    diagnostics.push(...checkApprovedLines(input.approvedLines, replay.approvals, known));
  else if (replay.approvals.size > 0 && !missing.length)
    diagnostics.push(
      diag('BL628', {
        detail: `the sheet "Approved Lines" is missing, while ${replay.approvals.size} site(s) are approved`,
      }),
    );

  if (replay.selfDeclared.length)
    diagnostics.push(
      diag('BL633', {
        steps: replay.selfDeclared.map(
          (s) => `entry ${s.position} ${s.entry.site} ${s.entry.action} by ${s.entry.actor}`,
        ),
      }),
    );

  const fatal = diagnostics.some((d) => d.severity === 'fatal');
  return {
    status: fatal ? 'problems' : log.length === 0 ? 'no approvals recorded' : 'intact',
    diagnostics,
    replay,
    sites,
    approvedSites,
    selfDeclared: replay.selfDeclared.length,
  };
}
