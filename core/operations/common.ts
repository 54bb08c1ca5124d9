/**
 * What the operations share: identity, cell marks from findings, allocation checks of sites.
 */
import { compileAllocations, checkCharges, type AllocationReport } from '../allocations/check';
import { readAllocations } from '../allocations/tables';
import { DISTRICT_ACTIONS, refusalsFor, type DistrictAction } from '../approval/permissions';
import type { Actor } from '../approval/workflow';
import { chargesOf } from '../budget/lines';
import { fitCellText } from '../cell-limits';
import { parseA1 } from '../cells';
import { diag, formatDiagnostic, type Diagnostic } from '../diagnostics';
import type { CellMark, ClearMarks, PortUser, SheetWrite, Snapshot } from '../port/types';
import { auditRow, type AuditEntry } from '../approval/audit';
import { AUDIT_TABLE, formatsOf, headerOf } from '../workbook/schema';
import { SHEETS } from '../workbook/layout';
import type { SiteSheet, Workbook } from '../workbook/read';
import type { OperationOptions, OperationResult } from './api';

/** Who acts: the port's user when verified, else options.actAs (or an unverified port user) as self-declared. */
export function actorOf(
  user: PortUser | null | undefined,
  options: OperationOptions,
  action: string,
): { actor: Actor; diagnostics: Diagnostic[] } | { refused: Diagnostic } {
  if (user?.verified) return { actor: { email: user.email, identity: 'verified' }, diagnostics: [] };
  const who = options.actAs ?? user ?? undefined;
  if (!who || !who.email.trim()) return { refused: diag('BL803', { action }) };
  const verified = options.actAs?.verified === true && !user;
  return {
    actor: { email: who.email, identity: verified ? 'verified' : 'self-declared' },
    diagnostics: verified ? [] : [diag('BL809', { who: who.email })],
  };
}

/**
 * District-wide actions (consolidate, export, verify, rebuilding a workbook) belong to the CFO: who
 * acts, as actorOf decides, must be allowed by the permission predicate (core/approval/permissions).
 * Every host gets the same check here, whatever its buttons show.
 */
export function cfoOf(
  wb: Workbook,
  user: PortUser | null | undefined,
  options: OperationOptions,
  action: DistrictAction,
): { actor: Actor; diagnostics: Diagnostic[] } | { refused: Diagnostic } {
  const who = actorOf(user, options, DISTRICT_ACTIONS[action]);
  if ('refused' in who) return who;
  const [refused] = refusalsFor(who.actor.email, action, undefined, wb.roles);
  return refused ? { refused } : who;
}

/** One mark per cell: fatal when any finding there is fatal; the note lists every finding of the cell. */
export function marksOf(diagnostics: readonly Diagnostic[]): CellMark[] {
  const byCell = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    if (!d.sheet || !d.cell || !parseA1(d.cell)) continue;
    const key = `${d.sheet}!${d.cell.toUpperCase()}`;
    byCell.set(key, [...(byCell.get(key) ?? []), d]);
  }
  return [...byCell.values()].map((ds) => {
    const first = ds[0] as Diagnostic;
    return {
      sheet: first.sheet as string,
      cell: (first.cell as string).toUpperCase(),
      severity: ds.some((d) => d.severity === 'fatal') ? 'fatal' : 'warning',
      // A note holds at most 32,767 characters: Budgetline's own text is cut to fit.
      note: fitCellText(
        ds
          .map((d) => formatDiagnostic({ ...d, sheet: '', cell: '' } as Diagnostic, { excerpt: true }))
          .join('\n\n'),
      ),
    };
  });
}

/** Clears of whole sheets. */
export function clearSheets(sheets: readonly string[]): ClearMarks[] {
  return [...new Set(sheets)].map((sheet) => ({ sheet }));
}

export function result(ok: boolean, diagnostics: readonly Diagnostic[], summary: string): OperationResult {
  return {
    ok: ok && !diagnostics.some((d) => d.severity === 'fatal'),
    diagnostics: [...diagnostics],
    summary,
  };
}

/** A refusal: nothing was written. */
export function refuse(diagnostics: readonly Diagnostic[], summary: string): OperationResult {
  return { ok: false, diagnostics: [...diagnostics], summary };
}

/**
 * Checks the given sites' charges against their allocations in the Allocations table. Only those
 * sites' allocations are compiled, so every finding is about them. Findings about the table's own
 * rows are included only with `tableFindings`.
 */
export function checkAllocations(
  wb: Workbook,
  snapshot: Snapshot,
  sites: readonly SiteSheet[],
  tableFindings = false,
): AllocationReport | undefined {
  const grid = snapshot.sheets[SHEETS.allocations];
  if (!grid || !wb.validator) return undefined;
  const read = readAllocations(grid, wb.validator.chart.segments, {
    sheet: SHEETS.allocations,
    sites: wb.sites.map((s) => s.code),
  });
  const codes = new Set(sites.map((s) => s.site.code));
  const { index, diagnostics } = compileAllocations(
    read.rows.filter((a) => codes.has(a.site)),
    wb.validator.keys,
    { overPlanning: wb.setup?.settings.overPlanning ?? 'warning' },
  );
  const charges = sites.flatMap((s) => chargesOf(s.site.code, s.lines, s.positions));
  const report = checkCharges(index, charges);
  return {
    ...report,
    diagnostics: [...(tableFindings ? read.diagnostics : []), ...diagnostics, ...report.diagnostics],
  };
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The audit rows appended to the Audit sheet (with its header when the sheet is new). */
export function auditWrite(snap: Snapshot, entries: readonly AuditEntry[]): SheetWrite {
  const grid = snap.sheets[SHEETS.audit];
  return grid && grid.length > 0
    ? {
        sheet: SHEETS.audit,
        at: `A${grid.length + 1}`,
        values: entries.map(auditRow),
        columnFormats: formatsOf(AUDIT_TABLE) ?? [],
      }
    : { sheet: SHEETS.audit, values: [headerOf(AUDIT_TABLE), ...entries.map(auditRow)], header: true };
}
