/**
 * The approval workflow: submit, approve, return, reopen. Each is one read of the whole workbook,
 * core/approval's transition, and one write holding the new state, the audit row(s), protection,
 * and (approve) the approved copy of the site's lines on the Approved Lines sheet.
 */
import { auditRow, type AuditAction } from '../approval/audit';
import type { ContentLine } from '../approval/hash';
import { transition, type HostEffect, type SiteBudget } from '../approval/workflow';
import type { CellValue } from '../cells';
import type { Diagnostic } from '../diagnostics';
import type { DocumentState, SheetWrite, WorkbookPort, WriteBatch } from '../port/types';
import { APPROVED_TABLE, AUDIT_TABLE, formatsOf, headerOf, SHEETS } from '../workbook/schema';
import { budgetOf, contentLines, readSiteSheet, readWorkbook } from '../workbook/read';
import { findSiteEntry } from './sites';
import type { OperationOptions, OperationResult } from './api';
import { actorOf, checkAllocations, refuse } from './common';

/** A message for someone the host may e-mail or show (the workflow's notify effects). */
export interface Notification {
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
}

export interface WorkflowResult extends OperationResult {
  /** The site's state after the step (unchanged when refused). */
  readonly state?: SiteBudget['state'];
  readonly notifications?: readonly Notification[];
}

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

async function step(
  port: WorkbookPort,
  site: string,
  main: AuditAction,
  comment: string | undefined,
  options: OperationOptions,
): Promise<WorkflowResult> {
  const snap = await port.read({ sheets: 'all', state: true, user: true });
  const wb = readWorkbook(snap);
  const found = findSiteEntry(wb, site);
  if ('refused' in found)
    return refuse([found.refused], `Could not ${VERB[main]}: there is no site "${site}".`);
  const entry = found.site;
  const who = actorOf(snap.user, options, `${VERB[main]} the ${entry.name || entry.code} budget`);
  if ('refused' in who)
    return refuse([who.refused], `Could not ${VERB[main]}: Budgetline cannot tell who you are.`);
  if (!wb.validator)
    return refuse(wb.diagnostics, `Could not ${VERB[main]}: the chart of accounts cannot be read.`);
  const sheet = readSiteSheet(wb, entry, snap.sheets[entry.sheet]);
  const report = main === 'submit' ? checkAllocations(wb, snap, [sheet]) : undefined;
  const findings: Diagnostic[] = [...sheet.diagnostics, ...(report?.diagnostics ?? [])];
  const lines: ContentLine[] = contentLines(sheet.ledger);

  let budget = budgetOf(wb.state, entry.code);
  // A returned budget is reopened for changes and submitted in one step (two audit rows).
  const actions: AuditAction[] =
    main === 'submit' && budget.state === 'returned' ? ['revise', 'submit'] : [main];
  let lastHash = wb.state.lastAuditHash;
  const auditRows: string[][] = [];
  const effects: HostEffect[] = [];
  const warnings: Diagnostic[] = [...who.diagnostics];
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
    });
    if (!r.ok)
      return {
        ...refuse(
          r.diagnostics,
          `${entry.name || entry.code} was not ${action === 'submit' ? 'submitted' : `${VERB[action]}ed`}: ${r.diagnostics.length === 1 ? 'one reason' : `${r.diagnostics.length} reasons`} below.`,
        ),
        state: budgetOf(wb.state, entry.code).state,
      };
    budget = r.budget;
    lastHash = r.lastHash;
    auditRows.push(auditRow(r.entry));
    effects.push(...r.effects);
    warnings.push(...r.diagnostics);
  }

  const state: DocumentState = {
    version: 1,
    sites: { ...wb.state.sites, [entry.code]: budget },
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
  const protect: { sheet: string; reason: string }[] = [];
  const unprotect: string[] = [];
  const notifications: Notification[] = [];
  for (const e of effects) {
    if (e.kind === 'protect')
      protect.push({ sheet: entry.sheet, reason: PROTECT_REASON[budget.state] ?? 'Locked by Budgetline.' });
    else if (e.kind === 'unprotect') unprotect.push(entry.sheet);
    else if (e.kind === 'notify') notifications.push({ to: e.to, subject: e.subject, body: e.body });
    else sheets.push(approvedCopyWrite(snap.sheets[SHEETS.approved], entry.code, e.contentHash, e.lines));
  }
  const batch: WriteBatch = {
    sheets,
    ...(protect.length ? { protect: protect.filter((p) => !unprotect.includes(p.sheet)) } : {}),
    ...(unprotect.length ? { unprotect } : {}),
    state,
  };
  await port.write(batch);
  const name = entry.name || entry.code;
  const summary: Record<AuditAction, string> = {
    submit: `${name} submitted for approval.`,
    approve: `${name} approved.`,
    return: `${name} returned for changes.`,
    revise: `${name} reopened for changes.`,
    reopen: `${name} reopened for changes.`,
  };
  return { ok: true, diagnostics: warnings, summary: summary[main], state: budget.state, notifications };
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

/** Submits a site's budget (a returned budget is reopened and submitted in one step, two audit rows). */
export async function submit(
  port: WorkbookPort,
  args: { site: string; comment?: string },
  options: OperationOptions,
): Promise<WorkflowResult> {
  return step(port, args.site, 'submit', args.comment, options);
}

export async function approve(
  port: WorkbookPort,
  args: { site: string; comment?: string },
  options: OperationOptions,
): Promise<WorkflowResult> {
  return step(port, args.site, 'approve', args.comment, options);
}

export async function returnBudget(
  port: WorkbookPort,
  args: { site: string; comment: string },
  options: OperationOptions,
): Promise<WorkflowResult> {
  return step(port, args.site, 'return', args.comment, options);
}

export async function reopen(
  port: WorkbookPort,
  args: { site: string; comment: string },
  options: OperationOptions,
): Promise<WorkflowResult> {
  return step(port, args.site, 'reopen', args.comment, options);
}
