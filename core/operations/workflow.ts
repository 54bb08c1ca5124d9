/**
 * The approval workflow: submit, approve, return, reopen. Each is one read of the whole workbook,
 * core/approval's transition, and one write holding the new state, the audit row(s), protection,
 * and (approve) the approved copy of the site's lines on the Approved Lines sheet.
 */
import { auditRow, verifyAuditLog, type AuditAction } from '../approval/audit';
import { receiptForEntry, type Receipt } from '../approval/receipts';
import type { ContentLine } from '../approval/hash';
import { TRANSITIONS, transition, type HostEffect } from '../approval/workflow';
import { lockedSheetEditors } from '../approval/permissions';
import type { CellValue } from '../cells';
import type { Diagnostic } from '../diagnostics';
import type { DocumentState, SheetWrite, WriteBatch, Snapshot } from '../port/types';
import { APPROVED_TABLE, AUDIT_TABLE, formatsOf, headerOf, SHEETS } from '../workbook/schema';
import { readWorkbook } from '../workbook/read';
import { chainOf, siteContent, siteState, storedStateOf } from './trust';
import { findSiteEntry } from './sites';
import type { Notification, Operation, OperationOptions, Outcome, WorkflowResult } from './api';
import { actorOf, checkAllocations, refuse } from './common';

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
  const wb = readWorkbook(snap);
  const found = findSiteEntry(wb, site);
  if ('refused' in found)
    return { result: refuse([found.refused], `Could not ${VERB[main]}: there is no site "${site}".`) };
  const entry = found.site;
  const who = actorOf(snap.user, options, `${VERB[main]} the ${entry.name || entry.code} budget`);
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
  const content = siteContent(snap, wb, entry);
  const sheet = content.sheet;
  const report = main === 'submit' ? checkAllocations(wb, snap, [sheet]) : undefined;
  const findings: Diagnostic[] = [...content.findings, ...(report?.diagnostics ?? [])];
  const lines: readonly ContentLine[] = content.input.lines;

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
  let budget = siteState(chain, entry.code);
  // A returned budget is reopened for changes and submitted in one step (two audit rows).
  const actions: AuditAction[] =
    main === 'submit' && budget.state === 'returned' ? ['revise', 'submit'] : [main];
  let lastHash = chain.head;
  const auditRows: string[][] = [];
  const receipts: Receipt[] = [];
  const effects: HostEffect[] = [];
  const warnings: Diagnostic[] = [...who.diagnostics, ...content.findings.filter((f) => f.code === 'BL014')];
  for (const action of actions) {
    const r = transition({
      budget,
      action,
      actor: who.actor,
      roles: wb.roles,
      at: options.now(),
      ...(comment !== undefined ? { comment } : {}),
      lines,
      findings,
      previousHash: lastHash,
      requireVerifiedIdentity: wb.setup?.settings.verifiedIdentity ?? false,
    });
    if (!r.ok)
      return {
        result: {
          ...refuse(
            r.diagnostics,
            `${entry.name || entry.code} was not ${TRANSITIONS[action].done}: ${r.diagnostics.length === 1 ? 'one reason' : `${r.diagnostics.length} reasons`} below.`,
          ),
          state: siteState(chain, entry.code).state,
        },
      };
    budget = r.budget;
    lastHash = r.lastHash;
    auditRows.push(auditRow(r.entry));
    receipts.push(receiptForEntry(r.entry, chain.log.length + receipts.length + 1));
    effects.push(...r.effects);
    warnings.push(...r.diagnostics);
  }

  // The cache is rewritten from the chain (whatever it said before), with this step.
  const state: DocumentState = {
    version: 1,
    sites: { ...Object.fromEntries(chain.replay.sites), [entry.code]: budget },
    lastAuditHash: lastHash,
  };
  const auditGrid = snap.sheets[SHEETS.audit];
  const sheets: SheetWrite[] = [
    auditGrid && auditGrid.length > 0
      ? {
          sheet: SHEETS.audit,
          at: `A${auditGrid.length + 1}`,
          values: auditRows,
          columnFormats: formatsOf(AUDIT_TABLE) ?? [],
        }
      : { sheet: SHEETS.audit, values: [headerOf(AUDIT_TABLE), ...auditRows], header: true },
  ];
  const protect: { sheet: string; reason: string; editors: string[] }[] = [];
  const unprotect: string[] = [];
  const notifications: Notification[] = [];
  for (const e of effects) {
    if (e.kind === 'protect')
      protect.push({
        sheet: entry.sheet,
        reason: PROTECT_REASON[budget.state] ?? 'Locked by Budgetline.',
        editors: lockedSheetEditors(wb.roles, entry.code),
      });
    else if (e.kind === 'unprotect') unprotect.push(entry.sheet);
    else if (e.kind === 'notify') notifications.push({ to: e.to, subject: e.subject, body: e.body });
    else sheets.push(approvedCopyWrite(snap.sheets[SHEETS.approved], entry.code, e.contentHash, e.lines));
  }
  // A reopened budget has no approval: its approved copy goes with it.
  if (main === 'reopen') sheets.push(approvedCopyWrite(snap.sheets[SHEETS.approved], entry.code, '', []));
  const batch: WriteBatch = {
    sheets,
    ...(protect.length ? { protect: protect.filter((p) => !unprotect.includes(p.sheet)) } : {}),
    ...(unprotect.length ? { unprotect } : {}),
    state,
  };
  const name = entry.name || entry.code;
  const summary: Record<AuditAction, string> = {
    submit: `${name} submitted for approval.`,
    approve: `${name} approved.`,
    return: `${name} returned for changes.`,
    revise: `${name} reopened for changes.`,
    reopen: `${name} reopened for changes.`,
  };
  return {
    result: {
      ok: true,
      diagnostics: warnings,
      summary: summary[main],
      state: budget.state,
      notifications,
      receipts,
    },
    write: batch,
  };
}

/** The Approved Lines sheet with one site's copy replaced (other sites' rows kept as they were). */
function approvedCopyWrite(
  grid: readonly (readonly CellValue[])[] | undefined,
  site: string,
  hash: string,
  lines: readonly ContentLine[],
): SheetWrite {
  const header = headerOf(APPROVED_TABLE);
  const kept = (grid ?? [])
    .slice(1)
    .filter((r) => String(r[0] ?? '').trim() !== site && r.some((v) => v !== null && v !== ''));
  const rows: CellValue[][] = lines.map((l) => [site, hash, l.account, l.cents, l.fte ?? 0, l.description]);
  return {
    sheet: SHEETS.approved,
    values: [header, ...kept.map((r) => [...r]), ...rows],
    header: true,
    replace: true,
    columnFormats: formatsOf(APPROVED_TABLE) ?? [],
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
