/**
 * The approval workflow: submit, approve, return, reopen. Each is one read of the whole workbook,
 * core/approval's transition, and one write holding the new state, the audit row(s), protection,
 * and the copy of the site's lines on the Submitted Lines sheet (submit) or the Approved Lines sheet
 * (approve). Approve compares the site with what was submitted and refuses when it changed (BL635).
 */
import { verifyAuditLog, type AuditAction, type AuditEntry } from '../approval/audit';
import { receiptForEntry, type Receipt } from '../approval/receipts';
import { compareContentLines, type ContentLine } from '../approval/hash';
import { TRANSITIONS, transition, type HostEffect, type SiteBudget } from '../approval/workflow';
import { lockedSheetEditors } from '../approval/permissions';
import type { CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState, SheetWrite, WriteBatch, Snapshot } from '../port/types';
import {
  APPROVED_TABLE,
  formatsOf,
  headerOf,
  SHEETS,
  SUBMITTED_TABLE,
  type TableDecl,
} from '../workbook/schema';
import { readWorkbook, type SiteEntry } from '../workbook/read';
import { chainOf, siteContent, siteState, storedStateOf, submittedCopy } from './trust';
import { findSiteEntry } from './sites';
import type { Notification, Operation, OperationOptions, Outcome, WorkflowResult } from './api';
import { actorOf, auditWrite, checkAllocations, plural, refuse } from './common';

const PROTECT_REASON: Readonly<Record<string, string>> = {
  submitted: 'Submitted for approval: changes wait until the budget is returned.',
  approved: 'Approved: only the CFO can reopen this budget.',
};

const VERB: Readonly<Record<AuditAction, string>> = {
  submit: 'submit',
  approve: 'approve',
  return: 'return',
  revise: 'reopen for changes',
  reopen: 'reopen',
};

function step(
  snap: Snapshot,
  site: string,
  main: AuditAction,
  comment: string | undefined,
  options: OperationOptions,
): Outcome<WorkflowResult> {
  return steps(snap, [site], main, comment, options);
}

/**
 * One workflow step for each of `codes` (several only to reopen sites in bulk): all of them, chained
 * one after another in one write, or none with every reason.
 */
function steps(
  snap: Snapshot,
  codes: readonly string[],
  main: AuditAction,
  comment: string | undefined,
  options: OperationOptions,
): Outcome<WorkflowResult> {
  const wb = readWorkbook(snap);
  const entries: SiteEntry[] = [];
  for (const site of codes) {
    const found = findSiteEntry(wb, site);
    if ('refused' in found)
      return { result: refuse([found.refused], `Could not ${VERB[main]}: there is no site "${site}".`) };
    entries.push(found.site);
  }
  const first = entries[0];
  const what =
    entries.length === 1 && first
      ? `${VERB[main]} the ${first.name || first.code} budget`
      : `${VERB[main]} sites`;
  const who = actorOf(snap.user, options, what);
  if ('refused' in who)
    return { result: refuse([who.refused], `Could not ${VERB[main]}: Budgetline cannot tell who you are.`) };
  if (!wb.validator)
    return {
      result: refuse(wb.diagnostics, `Could not ${VERB[main]}: the chart of accounts cannot be read.`),
    };
  if (snap.stateDiagnostics?.length)
    return {
      result: refuse(
        snap.stateDiagnostics,
        `Could not ${VERB[main]}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
      ),
    };

  // The site's state comes from the audit chain; the stored state is only a cache of it. A chain
  // that does not verify is not extended.
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
        `Could not ${VERB[main]}: the audit log cannot be trusted, so no step is added to it. Run verify.`,
      ),
    };
  // After the board adopts the budget, it changes only through amendments.
  if (chain.replay.board.state === 'adopted')
    return {
      result: refuse(
        [
          diag('BL655', {
            site: entries.length === 1 && first ? first.name || first.code : 'district',
            action: TRANSITIONS[main].done,
          }),
        ],
        `Could not ${VERB[main]}: the board has adopted the budget.`,
      ),
    };
  let lastHash = chain.head;
  const auditEntries: AuditEntry[] = [];
  const receipts: Receipt[] = [];
  const warnings: Diagnostic[] = [...who.diagnostics];
  const refusals: Diagnostic[] = [];
  const sites: Record<string, SiteBudget> = Object.fromEntries(chain.replay.sites);
  const protect: { sheet: string; reason: string; editors: string[] }[] = [];
  const unprotect: string[] = [];
  const notifications: Notification[] = [];
  const copies: { site: string; hash: string; lines: readonly ContentLine[] }[] = [];
  const submittedCopies: { site: string; hash: string; lines: readonly ContentLine[] }[] = [];
  for (const entry of entries) {
    const content = siteContent(snap, wb, entry);
    const sheet = content.sheet;
    const report = main === 'submit' ? checkAllocations(wb, snap, [sheet]) : undefined;
    const findings: Diagnostic[] = [...content.findings, ...(report?.diagnostics ?? [])];
    const lines: readonly ContentLine[] = content.input.lines;
    warnings.push(...content.findings.filter((f) => f.code === 'BL014'));
    let budget = siteState(chain, entry.code);
    // A returned budget is reopened for changes and submitted in one step (two audit rows).
    const actions: AuditAction[] =
      main === 'submit' && budget.state === 'returned' ? ['revise', 'submit'] : [main];
    const effects: HostEffect[] = [];
    // The copy kept at submission, only when it is exactly what the submit entry recorded.
    const submittedLines =
      main === 'approve' ? submittedCopy(snap, entry.code, budget.submittedHash) : undefined;
    let refused = false;
    for (const action of actions) {
      const r = transition({
        budget,
        action,
        actor: who.actor,
        roles: wb.roles,
        at: options.now(),
        ...(comment !== undefined ? { comment } : {}),
        lines,
        ...(submittedLines ? { submittedLines } : {}),
        findings,
        previousHash: lastHash,
        requireVerifiedIdentity: wb.setup?.settings.verifiedIdentity ?? false,
      });
      if (!r.ok) {
        refusals.push(...r.diagnostics);
        refused = true;
        break;
      }
      budget = r.budget;
      lastHash = r.lastHash;
      auditEntries.push(r.entry);
      receipts.push(receiptForEntry(r.entry, chain.log.length + receipts.length + 1));
      effects.push(...r.effects);
      warnings.push(...r.diagnostics);
    }
    if (refused) continue;
    sites[entry.code] = budget;
    if (main === 'submit' && budget.submittedHash !== undefined)
      submittedCopies.push({
        site: entry.code,
        hash: budget.submittedHash,
        lines: [...lines].sort(compareContentLines),
      });
    for (const e of effects) {
      if (e.kind === 'protect')
        protect.push({
          sheet: entry.sheet,
          reason: PROTECT_REASON[budget.state] ?? 'Locked by Budgetline.',
          editors: lockedSheetEditors(wb.roles, entry.code),
        });
      else if (e.kind === 'unprotect') unprotect.push(entry.sheet);
      else if (e.kind === 'notify') notifications.push({ to: e.to, subject: e.subject, body: e.body });
      else copies.push({ site: entry.code, hash: e.contentHash, lines: e.lines });
    }
    // A reopened budget has no approval: its approved copy goes with it.
    if (main === 'reopen') copies.push({ site: entry.code, hash: '', lines: [] });
  }
  if (refusals.length) {
    const name = entries.length === 1 && first ? first.name || first.code : plural(entries.length, 'site');
    return {
      result: {
        ...refuse(
          refusals,
          `${name} ${entries.length === 1 ? 'was' : 'were'} not ${TRANSITIONS[main].done}: ${refusals.length === 1 ? 'one reason' : `${refusals.length} reasons`} below.`,
        ),
        ...(entries.length === 1 && first ? { state: siteState(chain, first.code).state } : {}),
      },
    };
  }

  // The cache is rewritten from the chain (whatever it said before), with this step.
  const state: DocumentState = { version: 1, sites, lastAuditHash: lastHash };
  const sheets: SheetWrite[] = [auditWrite(snap, auditEntries)];
  if (copies.length) sheets.push(copyWrite(APPROVED_TABLE, snap.sheets[SHEETS.approved], copies));
  if (submittedCopies.length)
    sheets.push(copyWrite(SUBMITTED_TABLE, snap.sheets[SHEETS.submitted], submittedCopies));
  const batch: WriteBatch = {
    sheets,
    ...(protect.length ? { protect: protect.filter((p) => !unprotect.includes(p.sheet)) } : {}),
    ...(unprotect.length ? { unprotect } : {}),
    state,
  };
  const name =
    entries.length === 1 && first ? first.name || first.code : entries.map((e) => e.code).join(', ');
  const summary: Record<AuditAction, string> = {
    submit: `${name} submitted for approval.`,
    approve: `${name} approved.`,
    return: `${name} returned for changes.`,
    revise: `${name} reopened for changes.`,
    reopen: `${name} reopened for changes.`,
  };
  const last = entries[entries.length - 1];
  return {
    result: {
      ok: true,
      diagnostics: warnings,
      summary: summary[main],
      ...(last ? { state: sites[last.code]?.state ?? 'draft' } : {}),
      notifications,
      receipts,
    },
    write: batch,
  };
}

/**
 * The Approved Lines (or Submitted Lines) sheet with some sites' copies replaced (other sites' rows
 * kept as they were).
 */
function copyWrite(
  table: TableDecl,
  grid: readonly (readonly CellValue[])[] | undefined,
  copies: readonly { site: string; hash: string; lines: readonly ContentLine[] }[],
): SheetWrite {
  const header = headerOf(table);
  const replaced = new Set(copies.map((c) => c.site));
  const kept = (grid ?? [])
    .slice(1)
    .filter((r) => !replaced.has(String(r[0] ?? '').trim()) && r.some((v) => v !== null && v !== ''));
  const rows: CellValue[][] = copies.flatMap((c) =>
    c.lines.map((l) => [c.site, c.hash, l.account, l.cents, l.fte ?? 0, l.description]),
  );
  return {
    sheet: table.sheet,
    values: [header, ...kept.map((r) => [...r]), ...rows],
    header: true,
    replace: true,
    columnFormats: formatsOf(table) ?? [],
  };
}

const WHOLE = { sheets: 'all', state: true, user: true } as const;

/** Submits a site's budget (a returned budget is reopened and submitted in one step, two audit rows). */
export const submit: Operation<{ site: string; comment?: string }, WorkflowResult> = {
  name: 'submit',
  reads: () => WHOLE,
  run: (snap, args, options) => step(snap, args.site, 'submit', args.comment, options),
};

export const approve: Operation<{ site: string; comment?: string }, WorkflowResult> = {
  name: 'approve',
  reads: () => WHOLE,
  run: (snap, args, options) => step(snap, args.site, 'approve', args.comment, options),
};

export const returnBudget: Operation<{ site: string; comment: string }, WorkflowResult> = {
  name: 'returnBudget',
  reads: () => WHOLE,
  run: (snap, args, options) => step(snap, args.site, 'return', args.comment, options),
};

export const reopen: Operation<{ site: string; comment: string }, WorkflowResult> = {
  name: 'reopen',
  reads: () => WHOLE,
  run: (snap, args, options) => step(snap, args.site, 'reopen', args.comment, options),
};

/**
 * Reopens approved sites in bulk (the CFO, with a comment; back to the drawing board when the board
 * did not adopt the budget): one audit entry per site, all in one write, or none with every reason.
 * `sites: 'all'` reopens every site the chain says is approved.
 */
export const reopenSites: Operation<{ sites: 'all' | readonly string[]; comment: string }, WorkflowResult> = {
  name: 'reopenSites',
  reads: () => WHOLE,
  run(snap, args, options) {
    let codes: readonly string[] = args.sites === 'all' ? [] : args.sites;
    if (args.sites === 'all') {
      const wb = readWorkbook(snap);
      const chain = chainOf(snap, wb);
      codes = wb.sites.filter((s) => siteState(chain, s.code).state === 'approved').map((s) => s.code);
    }
    if (codes.length === 0) return { result: refuse([], 'No site is approved: there is nothing to reopen.') };
    return steps(snap, codes, 'reopen', args.comment, options);
  },
};
