/**
 * Verification: has an approved site changed since approval, and is the audit log intact?
 */
import { diag, placeOf, type Diagnostic } from '../diagnostics';
import { formatCents } from '../money';
import { verifyAuditLog, type AuditEntry } from './audit';
import { canonicalLine, compareContentLines, contentHash, type ContentLine } from './hash';

export interface LineDiff {
  readonly added: readonly ContentLine[];
  readonly removed: readonly ContentLine[];
  /** Lines of the same account whose amount, FTE or description changed. */
  readonly changed: readonly { readonly before: ContentLine; readonly after: ContentLine }[];
}

/** 1500 → "1.500". */
function fteText(fte: number): string {
  const a = Math.abs(fte);
  return `${fte < 0 ? '-' : ''}${Math.floor(a / 1000)}.${String(a % 1000).padStart(3, '0')}`;
}

/** A line as people read it in a finding: `199-11-6119-00-001-X-11-000 $1,200.00 1.000 FTE "Teacher"`. */
export function describeLine(l: ContentLine): string {
  const fte = l.fte ? ` ${fteText(l.fte)} FTE` : '';
  return `${l.account} ${formatCents(l.cents)}${fte} ${JSON.stringify(l.description)}`;
}

/**
 * Line-level difference between two sets of lines, independent of row order. Identical lines
 * match first (as a multiset); what is left is paired by account (and description, when one
 * matches; else in canonical order) into changed lines; the rest are added or removed.
 */
export function diffLines(before: readonly ContentLine[], after: readonly ContentLine[]): LineDiff {
  const pending = new Map<string, number>();
  for (const l of before) {
    const k = canonicalLine(l);
    pending.set(k, (pending.get(k) ?? 0) + 1);
  }
  const onlyAfter: ContentLine[] = [];
  for (const l of after) {
    const k = canonicalLine(l);
    const n = pending.get(k) ?? 0;
    if (n > 0) pending.set(k, n - 1);
    else onlyAfter.push(l);
  }
  const onlyBefore: ContentLine[] = [];
  const seen = new Map<string, number>();
  for (const l of [...before].sort(compareContentLines)) {
    const k = canonicalLine(l);
    const used = seen.get(k) ?? 0;
    seen.set(k, used + 1);
    if (used < (pending.get(k) ?? 0)) onlyBefore.push(l);
  }
  onlyAfter.sort(compareContentLines);
  const byAccount = (ls: ContentLine[]): Map<string, ContentLine[]> => {
    const m = new Map<string, ContentLine[]>();
    for (const l of ls) {
      const g = m.get(l.account);
      if (g) g.push(l);
      else m.set(l.account, [l]);
    }
    return m;
  };
  const b = byAccount(onlyBefore);
  const a = byAccount(onlyAfter);
  const added: ContentLine[] = [];
  const removed: ContentLine[] = [];
  const changed: { before: ContentLine; after: ContentLine }[] = [];
  const accounts = [...new Set([...b.keys(), ...a.keys()])].sort();
  for (const acct of accounts) {
    const bs = [...(b.get(acct) ?? [])];
    const as = [...(a.get(acct) ?? [])];
    // A line of the same account and description is the same line changed; the rest pair in order.
    for (let i = 0; i < bs.length; i++) {
      const j = as.findIndex((x) => x.description === (bs[i] as ContentLine).description);
      if (j < 0) continue;
      changed.push({ before: bs[i] as ContentLine, after: as[j] as ContentLine });
      bs.splice(i--, 1);
      as.splice(j, 1);
    }
    const n = Math.min(bs.length, as.length);
    for (let i = 0; i < n; i++) changed.push({ before: bs[i] as ContentLine, after: as[i] as ContentLine });
    removed.push(...bs.slice(n));
    added.push(...as.slice(n));
  }
  return { added, removed, changed };
}

/** The approval a site currently stands on: its last approve entry, unless a reopen came after. */
export function currentApproval(log: readonly AuditEntry[], site: string): AuditEntry | undefined {
  let approval: AuditEntry | undefined;
  for (const e of log) {
    if (e.site !== site) continue;
    if (e.action === 'approve') approval = e;
    else approval = undefined; // any later step (reopen) leaves the approved state
  }
  return approval;
}

export interface VerifySiteInput {
  readonly site: string;
  /** The site's lines as they are now. */
  readonly lines: readonly ContentLine[];
  /** The approved copy the host stored at approval (storeApprovedCopy), for a line-level diff. */
  readonly approvedCopy?: readonly ContentLine[];
  /**
   * The findings of reading the site's sheet. Fatal ones mean a line is not in `lines` (it cannot be
   * read or its account is no longer valid): on an approved site each is a difference (BL621).
   */
  readonly findings?: readonly Diagnostic[];
  /** contentHash(lines), when the caller has computed it already. */
  readonly hash?: string;
}

export interface SiteVerification {
  readonly site: string;
  readonly approved: boolean;
  readonly changed: boolean;
  /** Present when the site changed and a trustworthy approved copy was given. */
  readonly diff?: LineDiff;
  readonly diagnostics: readonly Diagnostic[];
}

/** The sheet and cell a line was read from, when it carries them. */
export function lineWhere(l: ContentLine): { sheet?: string; cell?: string } {
  const w = l as { sheet?: unknown; cell?: unknown };
  return {
    ...(typeof w.sheet === 'string' ? { sheet: w.sheet } : {}),
    ...(typeof w.cell === 'string' ? { cell: w.cell } : {}),
  };
}

/**
 * Is an approved site's content exactly what its approval entry records? When not, every difference
 * by site and cell: changed, added and removed lines (from the approved copy, when it can be trusted)
 * and every line of the sheet that is no longer valid.
 */
export function checkApprovedSite(input: VerifySiteInput, approval: AuditEntry): SiteVerification {
  const { site } = input;
  const invalid = (input.findings ?? []).filter((f) => f.severity === 'fatal');
  const sameHash = (input.hash ?? contentHash(input.lines)) === approval.contentHash;
  if (sameHash && invalid.length === 0) return { site, approved: true, changed: false, diagnostics: [] };
  const head = { site, date: approval.at.slice(0, 10), approver: approval.actor };
  const invalidFindings = invalid.map((f) =>
    diag(
      'BL621',
      { site, place: placeOf(f), code: f.code, finding: f.message },
      {
        ...(f.sheet !== undefined ? { sheet: f.sheet } : {}),
        ...(f.cell !== undefined ? { cell: f.cell } : {}),
      },
    ),
  );
  const notValid = invalid.length
    ? `${invalid.length} line${invalid.length === 1 ? '' : 's'} no longer valid`
    : '';
  const withInvalid = (detail: string): string => [detail, notValid].filter(Boolean).join('; ');
  if (sameHash)
    return {
      site,
      approved: true,
      changed: true,
      diagnostics: [diag('BL612', { ...head, detail: notValid }), ...invalidFindings],
    };
  if (!input.approvedCopy)
    return {
      site,
      approved: true,
      changed: true,
      diagnostics: [
        diag('BL612', { ...head, detail: withInvalid('no approved copy is available to show the lines') }),
        ...invalidFindings,
      ],
    };
  if (contentHash(input.approvedCopy) !== approval.contentHash)
    return {
      site,
      approved: true,
      changed: true,
      diagnostics: [
        diag('BL612', {
          ...head,
          detail: withInvalid('the approved copy cannot be trusted to show the lines'),
        }),
        diag('BL619', { site }),
        ...invalidFindings,
      ],
    };
  const diff = diffLines(input.approvedCopy, input.lines);
  const n = diff.added.length + diff.removed.length + diff.changed.length;
  const diagnostics: Diagnostic[] = [
    diag('BL612', { ...head, detail: withInvalid(`${n} line${n === 1 ? '' : 's'} differ`) }),
  ];
  for (const c of diff.changed)
    diagnostics.push(
      diag(
        'BL615',
        { site, before: describeLine(c.before), after: describeLine(c.after) },
        lineWhere(c.after),
      ),
    );
  for (const l of diff.removed) diagnostics.push(diag('BL614', { site, line: describeLine(l) }));
  for (const l of diff.added) diagnostics.push(diag('BL613', { site, line: describeLine(l) }, lineWhere(l)));
  diagnostics.push(...invalidFindings);
  return { site, approved: true, changed: true, diff, diagnostics };
}

/** Checks one site against the approval recorded in `log`. Sites not approved have nothing to verify. */
export function verifySite(input: VerifySiteInput, log: readonly AuditEntry[]): SiteVerification {
  const approval = currentApproval(log, input.site);
  if (!approval) return { site: input.site, approved: false, changed: false, diagnostics: [] };
  return checkApprovedSite(input, approval);
}

/** Verifies the audit chain and every given site; all findings at once. */
export function verifyAll(input: {
  readonly log: readonly AuditEntry[];
  readonly lastHash?: string;
  readonly sites: readonly VerifySiteInput[];
}): { diagnostics: Diagnostic[]; sites: SiteVerification[] } {
  const diagnostics = verifyAuditLog(input.log, input.lastHash);
  const sites = input.sites.map((s) => verifySite(s, input.log));
  for (const s of sites) diagnostics.push(...s.diagnostics);
  return { diagnostics, sites };
}
