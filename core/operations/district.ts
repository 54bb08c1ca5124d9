/**
 * District-wide operations: create a workbook, compute allocations, consolidate, export, verify,
 * roll forward.
 */
import { detectAccountLayout } from '../accounts/layout';
import { compileChart } from '../accounts/validate';
import { computeAllocations as runFormula, readFormulaRules } from '../allocations/formulas';
import type { Allocation } from '../allocations/types';
import { GENESIS_HASH } from '../approval/audit';
import { readAmendments, replayBoard } from '../approval/board';
import { sha256Hex } from '../approval/hash';
import { receiptForRun, type Receipt } from '../approval/receipts';
import { identityRefusal, type SiteBudget } from '../approval/workflow';
import type { LedgerLine } from '../approval/lines';
import { parseA1, type CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { exportLines } from '../export/export';
import { centsToDollars, formatCents } from '../money';
import { isPresetId, presetIds } from '../presets';
import { BUILT_IN_FORMATS, type ExportFormat } from '../export/format';
import type { Dropdown, PortUser, SheetWrite, Snapshot } from '../port/types';
import { emptyDocumentState } from '../port/state';
import { tableFindings } from '../port/tables';
import { consolidate as rollUp, type AmountLine } from '../rollup/consolidate';
import { fundJson } from '../rollup/funds';
import { NUMBER_FORMAT, type ReportTable } from '../rollup/table';
import { formatPpm } from '../budget/units';
import { carryFunds } from './carry';
import { districtFunds } from './funds';
import { computeForecast } from './forecast';
import { rollForward as rollLines } from '../rollforward';
import { applyCostChanges, readCostChanges, type SiteChanges } from '../rollforward/cost-changes';
import { keepTypedCells, type NextRow } from '../rollforward/typed-cells';
import { findColumns, normalizeHeader } from '../tables';
import {
  createWorkbookBatch,
  segmentDropdowns,
  siteSheetWrite,
  tableWrite,
  workbookTables,
} from '../workbook/create';
import { SETUP_KEYS, SHEETS, siteHeader } from '../workbook/layout';
import {
  ALLOCATIONS_TABLE,
  formatsOf,
  headerOf,
  JOB_TYPES_TABLE,
  SETUP_TABLE,
  type ColumnKey,
} from '../workbook/schema';
import { budgetOf, readAuditLog, readWorkbook, siteSheetsOf, type Workbook } from '../workbook/read';
import { siteTableGrid, siteViewWrites } from '../workbook/site-view';
import type {
  ConsolidateResult,
  CreateWorkbookArgs,
  ExportResult,
  Operation,
  RollForwardResult,
  RollForwardSite,
  UnapprovedChoice,
  VerifyResult,
} from './api';
import { cfoOf, checkAllocations, marksOf, plural, refuse, result } from './common';
import {
  adoptedFinal,
  amendmentExportLines,
  combineAmended,
  finalBudget,
  reconcile,
  type BudgetBasis,
  type FinalBudget,
  type ReconciliationRow,
  withAmendments,
} from './final';
import {
  approvalGate,
  chainOf,
  looksLikeDistrictWorkbook,
  siteState,
  totalFinding,
  verifySnapshot,
} from './trust';

/**
 * The new-workbook checks every host shares: a known preset, a fiscal year in range, and no district
 * workbook already here — unless the CFO asks to rebuild it on purpose (`rebuild: true`).
 */
export const createWorkbook: Operation<CreateWorkbookArgs> = {
  name: 'createWorkbook',
  reads: () => ({ sheets: [SHEETS.setup, SHEETS.sites, SHEETS.roles], state: true, user: true }),
  run(snap, args, options) {
    const problems: Diagnostic[] = [];
    if (!isPresetId(args.preset))
      problems.push(diag('BL823', { shown: String(args.preset), known: presetIds.join(', ') }));
    const fy = args.fiscalYear;
    if (!Number.isInteger(fy) || fy < 2000 || fy > 2100) problems.push(diag('BL822', { shown: String(fy) }));
    if (problems.length || !isPresetId(args.preset))
      return { result: refuse(problems, 'Nothing was created.') };
    const setup = snap.sheets[SHEETS.setup];
    const warnings: Diagnostic[] = [];
    /** Site sheets a rebuild unlocks: its approvals are reset, so nothing stays submitted or approved. */
    let unprotect: string[] = [];
    // A district workbook is here when any of its sheets or any workflow state is: a deleted Setup
    // sheet must not let a new workbook reset Roles, Sites, the Audit sheet and the approvals.
    const state = snap.state;
    const hasState =
      state !== undefined && (Object.keys(state.sites).length > 0 || state.lastAuditHash !== GENESIS_HASH);
    if (setup || looksLikeDistrictWorkbook(snap) || hasState) {
      const district = setup?.find((r) => normalizeHeader(r[0]) === 'district')?.[1];
      const existing = [diag('BL807', { district: district ? String(district) : '' })];
      if (!args.rebuild)
        return {
          result: refuse(existing, 'Nothing was changed: this workbook is already a district workbook.'),
        };
      const wb = readWorkbook(snap);
      const cfo = cfoOf(wb, snap.user, options, 'rebuild');
      if ('refused' in cfo)
        return { result: refuse([cfo.refused], `Nothing was changed: ${cfo.refused.message}.`) };
      warnings.push(...cfo.diagnostics);
      unprotect = wb.sites
        .filter((x) => ['submitted', 'approved'].includes(budgetOf(wb.state, x.code).state))
        .map((x) => x.sheet);
    }
    const cfo: PortUser | null = snap.user ?? options.actAs ?? null;
    return {
      result: result(
        true,
        warnings,
        `${setup ? 'Rebuilt' : 'Created'} the ${args.district} workbook for FY${fy} with the ${args.preset} chart${
          args.sites?.length ? ` and ${plural(args.sites.length, 'site')}` : ''
        }${args.accountColumns === 'per segment' ? ', one column per account segment' : ''}.`,
      ),
      write: {
        ...createWorkbookBatch({ ...args, preset: args.preset, cfo }),
        ...(unprotect.length ? { unprotect } : {}),
      },
    };
  },
};

function allocationRow(a: Allocation): Record<ColumnKey<typeof ALLOCATIONS_TABLE>, CellValue> {
  return {
    id: a.id,
    site: a.site,
    source: a.source,
    sourceType: a.sourceType,
    amount: centsToDollars(a.amount),
    fte: a.fte !== undefined ? a.fte / 1000 : null,
    locked: a.locked ? 'Yes' : 'No',
    fixed: a.fixed.map((f) => `${f.segment}=${f.code}`).join('; '),
    allowedObjects: a.allowed.find((r) => r.segment === 'object')?.text ?? '',
    allowedFunctions: a.allowed.find((r) => r.segment === 'function')?.text ?? '',
    maxShare: a.maxShares.map((m) => m.text).join('; '),
    rule: a.rules.map((r) => r.rule).join(', '),
    basis: a.rules.map((r) => r.explanation).join('; '),
    proposal: null,
  };
}

/**
 * Runs the Formula over the Sites and writes the Allocations table: rows typed by hand (blank Rule)
 * are kept as they are, computed rows (with their Rule and Basis) replace the previous computed rows.
 */
export const computeAllocations: Operation<Record<string, never>> = {
  name: 'computeAllocations',
  reads: () => ({ sheets: 'all', state: true, tables: true }),
  run(snap) {
    const wb = readWorkbook(snap);
    const formula = snap.sheets[SHEETS.formula];
    if (!wb.validator)
      return {
        result: refuse(
          wb.diagnostics,
          'Allocations were not computed: the chart of accounts cannot be read.',
        ),
      };
    if (!formula)
      return {
        result: refuse(
          [diag('BL801', { sheet: SHEETS.formula, purpose: 'the funding formula' })],
          'Allocations were not computed.',
        ),
      };
    const rules = readFormulaRules(
      formula,
      wb.sites.map((s) => s.site),
      wb.validator.chart.segments,
      {
        sheet: SHEETS.formula,
        fteStep: wb.setup?.settings.fteStep ?? 1,
      },
    );
    const computed = runFormula(
      wb.sites.map((s) => s.site),
      rules.rows,
      wb.staffing,
    );
    const diagnostics: Diagnostic[] = [...rules.diagnostics, ...computed.diagnostics];
    if (diagnostics.some((d) => d.severity === 'fatal'))
      return {
        result: refuse(
          diagnostics,
          'Allocations were not computed: fix the Formula first (nothing was changed).',
        ),
      };
    const old = snap.sheets[SHEETS.allocations] ?? [headerOf(ALLOCATIONS_TABLE)];
    const header = old[0] && old[0].length ? [...old[0]] : headerOf(ALLOCATIONS_TABLE);
    const ruleCol = header.map(normalizeHeader).indexOf('rule');
    const at = findColumns(header, ALLOCATIONS_TABLE.columns, ALLOCATIONS_TABLE.table).columns;
    const manual = old.slice(1).filter((r) => ruleCol < 0 || String(r[ruleCol] ?? '').trim() === '');
    const rows = computed.allocations.map((a) => {
      const src = allocationRow(a);
      const out: CellValue[] = header.map(() => null);
      for (const [key, c] of Object.entries(at) as [keyof typeof src, number][])
        if (c >= 0) out[c] = src[key];
      return out;
    });
    const allocations = tableWrite(SHEETS.allocations, [header, ...manual.map((r) => [...r]), ...rows]);
    // Each site sheet's allocated / planned / remaining as they are with the new allocations.
    const after: Snapshot = { ...snap, sheets: { ...snap.sheets, [SHEETS.allocations]: allocations.values } };
    const siteSheets = siteSheetsOf(wb, after).filter((x) => after.sheets[x.site.sheet]);
    const view = siteViewWrites(
      siteSheets,
      after.sheets,
      checkAllocations(wb, after, siteSheets),
      snap.computedHashes,
    );
    const marks = marksOf(view.diagnostics);
    // The Allocations table and each site sheet's, resized to what is there now (BL826 where a
    // user's table is in the way).
    const tables = [...workbookTables([allocations], []), ...(view.tables ?? [])];
    return {
      result: result(
        true,
        [...diagnostics, ...view.diagnostics, ...tableFindings(tables, snap.tables, snap.merged)],
        `${plural(rows.length, 'allocation')} computed from ${plural(rules.rows.length, 'rule')}; ${plural(manual.length, 'row')} typed by hand kept.`,
      ),
      write: {
        sheets: [allocations, ...view.sheets],
        ...(Object.keys(view.hashes).length ? { computedHashes: view.hashes } : {}),
        ...(marks.length ? { marks } : {}),
        tables,
      },
    };
  },
};

/** A consolidation's totals by account as amount lines (the fund summary's ledger). */
function ledgerOf(byAccount: ReadonlyMap<string, { readonly cents: number }>): AmountLine[] {
  return [...byAccount].map(([account, a]) => ({ account, cents: a.cents }));
}

/** Every site's ledger lines (sites in Sites order). */
function allLedger(sheets: ReturnType<typeof siteSheetsOf>): LedgerLine[] {
  return sheets.flatMap((s) => s.ledger);
}

/**
 * The final budget's own checks before anything is written: the amendments' findings (BL665) and
 * original + Σ amendments = what is carried (the approved sites' lines plus the amendments), per
 * class and fund (BL661).
 */
function finalCheck(
  wb: Workbook,
  final: FinalBudget,
  carriedLines: readonly { readonly site: string; readonly account: string; readonly cents: number }[],
): { ok: true; rows: ReconciliationRow[] } | { ok: false; diagnostics: Diagnostic[] } {
  const fatal = final.diagnostics.filter((d) => d.severity === 'fatal');
  if (!wb.validator) return { ok: false, diagnostics: [...wb.diagnostics] };
  const r = reconcile(wb.validator, final.original, final.amendmentLines, carriedLines);
  if (fatal.length || r.diagnostics.length) return { ok: false, diagnostics: [...fatal, ...r.diagnostics] };
  return { ok: true, rows: r.rows };
}

/** The Master Budget's header block once adopted: which budget it is, and original → final. */
function budgetTables(final: FinalBudget, rows: readonly ReconciliationRow[]): ReportTable[] {
  const b = final.basis;
  const { text: TEXT, money: MONEY } = NUMBER_FORMAT;
  return [
    {
      name: `Budget: ${b.text}`,
      header: ['Item', 'Value'],
      rows: [
        [
          'Budget',
          b.kind === 'final' && b.asOf
            ? `FINAL as of amendment ${b.asOf.id} (resolution ${b.asOf.resolution})`
            : 'ORIGINAL (as adopted; no amendment applied)',
        ],
        ['Adopted', `${b.adopted.date}, resolution ${b.adopted.resolution}`],
        ...b.amendments.map((a) => [
          `Amendment ${a.id}`,
          `site ${a.site}, resolution ${a.resolution}, applied ${a.appliedAt}`,
        ]),
      ],
      formats: [TEXT, TEXT],
    },
    {
      name: 'Original → final reconciliation (by account class and fund)',
      header: ['Class', 'Fund', 'Original budget', 'Amendments', 'Final budget', 'Check'],
      rows: rows.map((r) => [
        r.label,
        r.fund === 'all' ? 'All funds' : r.fund,
        r.originalCents / 100,
        r.amendmentsCents / 100,
        r.finalCents / 100,
        r.agree ? 'agree' : 'DISAGREE',
      ]),
      formats: [TEXT, TEXT, MONEY, MONEY, MONEY, TEXT],
    },
  ];
}

/** Writes the Master Budget: the consolidation's tables stacked, a title row each, a blank row between. */
export const consolidate: Operation<{ unapproved: UnapprovedChoice }, ConsolidateResult> = {
  name: 'consolidate',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const cfo = cfoOf(wb, snap.user, options, 'consolidate');
    if ('refused' in cfo)
      return { result: refuse([cfo.refused], `Nothing was consolidated: ${cfo.refused.message}.`) };
    const identity = identityRefusal(cfo.actor, 'consolidate', wb.setup?.settings.verifiedIdentity);
    if (identity) return { result: refuse([identity], `Nothing was consolidated: ${identity.message}.`) };
    if (!wb.validator)
      return {
        result: refuse(wb.diagnostics, 'Nothing was consolidated: the chart of accounts cannot be read.'),
      };
    // What was approved is what is consolidated: every approved site's lines must be exactly what its
    // approval entry records, and the chain must verify; otherwise nothing is written.
    const gate = approvalGate(snap, wb);
    if (!gate.ok)
      return {
        result: refuse(
          gate.diagnostics,
          `Nothing was consolidated: the approvals cannot be trusted as they stand (${plural(gate.diagnostics.filter((d) => d.severity === 'fatal').length, 'problem')} below).`,
        ),
      };
    const chain = chainOf(snap, wb);
    const sheets = siteSheetsOf(wb, snap);
    sheets.forEach((s, i) => options.progress?.(i, sheets.length, s.site.name || s.site.code));
    // After adoption the Master Budget is the FINAL budget: the adopted lines plus the applied
    // amendments (final.ts), reconciled class by class and fund by fund before anything is written.
    const final = finalBudget(snap, wb, gate.verification.replay.board, gate.approved);
    const carried = final
      ? finalCheck(wb, final, [
          ...allLedger(sheets.filter((x) => gate.approved.includes(x.site.code))),
          ...final.amendmentLines,
        ])
      : undefined;
    if (final && carried && !carried.ok)
      return {
        result: refuse(
          carried.diagnostics,
          `Nothing was consolidated: the final budget (${final.basis.text}) cannot be trusted as it stands.`,
        ),
      };
    const ledger = [...allLedger(sheets), ...(final?.amendmentLines ?? [])];
    const tooLarge = totalFinding(
      'district budget',
      ledger.map((l) => l.cents),
    );
    if (tooLarge)
      return { result: refuse([tooLarge], 'Nothing was consolidated: the total cannot be carried exactly.') };
    const stateOf = (code: string): SiteBudget['state'] => {
      if (gate.approved.includes(code)) return 'approved';
      const st = siteState(chain, code).state;
      return st === 'approved' ? 'submitted' : st;
    };
    const c = rollUp(
      ledger,
      wb.sites.map((s) => ({
        site: s.code,
        name: s.name,
        state: stateOf(s.code),
        enrollment: s.site.enrollment,
      })),
      {
        accounts: wb.validator,
        unapproved: args.unapproved,
        hierarchical: wb.setup?.hierarchical ?? [],
        // The Comparison table's Adopted column: the original budget, once adopted.
        ...(final ? { adopted: { recordedAt: final.basis.adopted.date, lines: final.original } } : {}),
      },
    );
    const funds = districtFunds(wb, snap, ledgerOf(c.byAccount));
    const tables = [
      ...(final && carried?.ok ? budgetTables(final, carried.rows) : []),
      ...c.tables,
      ...(funds?.summary.tables ?? []),
    ];
    const writes: SheetWrite[] = [];
    let row = 1;
    for (const t of tables) {
      writes.push({
        sheet: SHEETS.master,
        at: `A${row}`,
        values: [[t.name]],
        ...(row === 1 ? { replace: true } : {}),
      });
      writes.push({
        sheet: SHEETS.master,
        at: `A${row + 1}`,
        values: [[...t.header], ...t.rows.map((r) => [...r])],
        header: true,
        columnFormats: t.formats,
      });
      row += t.rows.length + 3;
    }
    // The control section: every step of the chain taken by a self-declared user.
    const selfDeclared = gate.verification.replay.selfDeclared;
    if (selfDeclared.length) {
      writes.push({
        sheet: SHEETS.master,
        at: `A${row}`,
        values: [[`Self-declared steps (${selfDeclared.length}): identity typed, not verified`]],
        ...(row === 1 ? { replace: true } : {}),
      });
      writes.push({
        sheet: SHEETS.master,
        at: `A${row + 1}`,
        values: [
          ['Audit entry', 'Time (UTC)', 'Site', 'Action', 'Actor'],
          ...selfDeclared.map((x) => [x.position, x.entry.at, x.entry.site, x.entry.action, x.entry.actor]),
        ],
        header: true,
        columnFormats: ['0', '@', '@', '@', '@'],
      });
      row += selfDeclared.length + 3;
    }
    if (writes.length === 0) writes.push({ sheet: SHEETS.master, values: [], replace: true });
    const diagnostics = [
      ...gate.warnings,
      ...c.diagnostics,
      ...(funds?.diagnostics ?? []),
      ...(funds?.summary.diagnostics ?? []),
    ];
    const fatal = sheets.reduce((n, s) => n + s.diagnostics.filter((d) => d.severity === 'fatal').length, 0);
    return {
      result: {
        ...result(
          c.control.agree,
          diagnostics,
          `Master Budget written${final ? ` (${final.basis.kind === 'final' ? `FINAL budget as of amendment ${final.basis.asOf?.id ?? ''}` : 'ORIGINAL budget as adopted'})` : ''}: ${plural(sheets.length, 'site')}, ${plural(c.unapprovedSites.length, 'site')} not approved${args.unapproved === 'exclude' ? ' (left out)' : ' (included, marked)'}; control totals ${c.control.agree ? 'agree' : 'DISAGREE'}${fatal ? `; ${plural(fatal, 'line')} with problems left out` : ''}.`,
        ),
        control: {
          masterCents: c.control.masterCents,
          sitesCents: c.control.sitesCents,
          agree: c.control.agree,
          ...(c.control.byClass ? { byClass: c.control.byClass } : {}),
        },
        ...(funds
          ? {
              funds: funds.summary.funds.map(fundJson),
              district: fundJson(funds.summary.district),
              ...(funds.summary.policy ? { reservePolicy: funds.summary.policy } : {}),
            }
          : {}),
        ...(final && carried?.ok ? { budget: final.basis, reconciliation: carried.rows } : {}),
        receipts: [
          receiptForRun(
            'consolidate',
            cfo.actor.email,
            options.now(),
            chain.log,
            sha256Hex(JSON.stringify(writes.map((w) => [w.at ?? 'A1', w.values]))),
          ),
        ],
      },
      write: { sheets: writes },
    };
  },
};

/** Exports the approved sites' lines in a built-in format: the whole file or nothing. No write. */
export const exportBudget: Operation<
  { format: string; amendments?: 'all' | readonly string[] },
  ExportResult
> = {
  name: 'exportBudget',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const cfo = cfoOf(wb, snap.user, options, 'export');
    if ('refused' in cfo)
      return { result: refuse([cfo.refused], `Nothing was exported: ${cfo.refused.message}.`) };
    const format = BUILT_IN_FORMATS.find((f) => f.id === args.format);
    if (!format)
      return {
        result: refuse(
          [diag('BL805', { format: args.format, known: BUILT_IN_FORMATS.map((f) => f.id).join(', ') })],
          'Nothing was exported.',
        ),
      };
    if (!wb.validator || !wb.setup)
      return {
        result: refuse(wb.diagnostics, 'Nothing was exported: the chart of accounts cannot be read.'),
      };
    const identity = identityRefusal(cfo.actor, 'export', wb.setup.settings.verifiedIdentity);
    if (identity) return { result: refuse([identity], `Nothing was exported: ${identity.message}.`) };
    // Only approved sites whose lines are exactly what was approved; any doubt refuses the whole file.
    const gate = approvalGate(snap, wb);
    if (!gate.ok)
      return {
        result: refuse(
          gate.diagnostics,
          `Nothing was exported: the approvals cannot be trusted as they stand (${plural(gate.diagnostics.filter((d) => d.severity === 'fatal').length, 'problem')} below).`,
        ),
      };
    const approved = gate.approved;
    const board = gate.verification.replay.board;
    const final = finalBudget(snap, wb, board, approved);
    const nothing = `Nothing was exported${final ? ` (${final.basis.text})` : ''}`;
    if (final?.diagnostics.some((d) => d.severity === 'fatal'))
      return { result: refuse(final.diagnostics, `${nothing}: an applied amendment cannot be carried.`) };
    if (args.amendments !== undefined)
      return exportAmendments(
        wb,
        format,
        final,
        args.amendments,
        gate.warnings,
        cfo.actor.email,
        snap,
        options.now(),
      );
    const left = wb.sites.filter((s) => !approved.includes(s.code)).map((s) => s.code);
    const warnings: Diagnostic[] = [
      ...gate.warnings,
      ...(final?.applied.length ? [diag('BL660', { ids: final.applied.map((a) => a.id) })] : []),
      ...(left.length ? [diag('BL712', { sites: left })] : []),
    ];
    const sheets = siteSheetsOf(wb, snap, approved);
    // After adoption the file is the FINAL budget: an account an amendment touches is one line per site.
    const ledger = final ? combineAmended(allLedger(sheets), final.amendmentLines) : allLedger(sheets);
    const checked = final ? finalCheck(wb, final, ledger) : undefined;
    if (checked && !checked.ok)
      return { result: refuse(checked.diagnostics, `${nothing}: the final budget does not reconcile.`) };
    return writeExport(snap, wb, format, ledger, warnings, cfo.actor.email, options.now(), {
      ...(final && checked?.ok ? { budget: final.basis, reconciliation: checked.rows } : {}),
      what:
        final?.basis.kind === 'final'
          ? ` — the FINAL budget as of amendment ${final.basis.asOf?.id ?? ''}`
          : '',
      // A file of the final budget is never mistaken for the adopted budget's.
      ...(final?.basis.kind === 'final' && final.basis.asOf
        ? { suffix: `-final-${final.basis.asOf.id.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}` }
        : {}),
    });
  },
};

/** The file of an export (core/export): all lines or nothing, its name, its receipt. */
function writeExport(
  snap: Snapshot,
  wb: Workbook,
  format: ExportFormat,
  lines: readonly LedgerLine[],
  warnings: readonly Diagnostic[],
  actor: string,
  now: string,
  extra: {
    budget?: BudgetBasis;
    reconciliation?: readonly ReconciliationRow[];
    amendments?: readonly string[];
    what: string;
    suffix?: string;
  },
): { result: ExportResult } {
  const setup = wb.setup;
  if (!setup || !wb.validator)
    return { result: refuse(wb.diagnostics, 'Nothing was exported: the chart of accounts cannot be read.') };
  const tooLarge = totalFinding(
    'export',
    lines.map((l) => l.cents),
  );
  if (tooLarge)
    return { result: refuse([tooLarge], 'Nothing was exported: the total cannot be carried exactly.') };
  const r = exportLines(format, lines, {
    validator: wb.validator,
    fiscalYear: setup.fiscalYear,
    params: { districtId: setup.districtId, district: setup.district },
  });
  if (!r.ok)
    return {
      result: refuse(
        [...warnings, ...r.diagnostics],
        `Nothing was exported: the ${format.name} file would be incomplete.`,
      ),
    };
  const slug = (setup.district || 'district')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const fileName = `${slug}-fy${setup.fiscalYear}-${format.id}${extra.suffix ?? ''}.${format.kind === 'csv' ? 'csv' : 'txt'}`;
  return {
    result: {
      ...result(
        true,
        [...warnings, ...r.diagnostics],
        `${plural(r.lines, 'line')} exported (${format.name}${extra.what}), total ${formatCents(r.totalCents)}.`,
      ),
      content: r.content,
      fileName,
      rows: r.rows,
      ...(extra.budget ? { budget: extra.budget } : {}),
      ...(extra.reconciliation ? { reconciliation: extra.reconciliation } : {}),
      ...(extra.amendments ? { amendments: extra.amendments } : {}),
      receipts: [receiptForRun('export', actor, now, chainOf(snap, wb).log, sha256Hex(r.content))],
    },
  };
}

/**
 * `export --amendments [IDS]`: only the applied amendments' lines, as signed changes, for an
 * accounting system that already loaded the adopted budget. Refused whole when the budget is not
 * adopted, when a named amendment is not applied (BL663) or unknown (BL654), or when none is (BL664).
 */
function exportAmendments(
  wb: Workbook,
  format: ExportFormat,
  final: FinalBudget | undefined,
  ids: 'all' | readonly string[],
  warnings: readonly Diagnostic[],
  actor: string,
  snap: Snapshot,
  now: string,
): { result: ExportResult } {
  const nothing = 'No amendment was exported';
  if (!final) {
    const d = diag('BL652', { action: 'export amendments of' });
    return { result: refuse([d], `${nothing}: ${d.message}.`) };
  }
  const board = chainOf(snap, wb).replay.board;
  const rows = readAmendments(
    snap.sheets[SHEETS.amendments],
    wb.validator,
    wb.sites.map((s) => s.code),
  ).rows;
  const wanted = ids === 'all' ? [] : ids.map((x) => x.trim()).filter(Boolean);
  const problems: Diagnostic[] = [];
  const byId = new Map(final.applied.map((a) => [a.id.toUpperCase(), a]));
  const chosen =
    wanted.length === 0
      ? [...final.applied]
      : wanted.flatMap((id) => {
          const a = byId.get(id.toUpperCase());
          if (a) return [a];
          const rec = [...board.amendments.values()].find((r) => r.id.toUpperCase() === id.toUpperCase());
          const row = rows.find((r) => r.id.toUpperCase() === id.toUpperCase());
          problems.push(
            rec || row
              ? diag('BL663', { id: rec?.id ?? row?.id ?? id, state: rec?.state ?? 'drafted' })
              : diag('BL654', {
                  id,
                  known: rows.map((r) => r.id),
                }),
          );
          return [];
        });
  if (!problems.length && chosen.length === 0) problems.push(diag('BL664', {}));
  if (problems.length)
    return {
      result: refuse(
        problems,
        `${nothing}: ${problems.length === 1 ? 'one reason' : `${problems.length} reasons`} below (never a partial export).`,
      ),
    };
  // In the order they were applied, each once.
  const order = final.applied.map((a) => a.id);
  const unique = [...new Set(chosen)].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const resolution = new Map(final.basis.amendments.map((a) => [a.id, a.resolution]));
  const lines = amendmentExportLines(unique, (id) => resolution.get(id) ?? '');
  const list = unique.map((a) => a.id);
  return writeExport(snap, wb, format, lines, warnings, actor, now, {
    budget: final.basis,
    amendments: list,
    what: ` — changes only: ${list.length === 1 ? 'amendment' : 'amendments'} ${list.join(', ')}, to add to the adopted budget`,
    suffix: `-amendments-${list
      .join('-')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')}`,
  });
}

/**
 * Checks everything that can be checked from the workbook (and from receipts kept outside it, when
 * given): see core/approval/verify-district. No write. "No approvals recorded" is a warning, never
 * "intact".
 */
export const verify: Operation<{ receipts?: readonly Receipt[] }, VerifyResult> = {
  name: 'verify',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const cfo = cfoOf(wb, snap.user, options, 'verify');
    if ('refused' in cfo)
      return { result: refuse([cfo.refused], `Nothing was verified: ${cfo.refused.message}.`) };
    const v = verifySnapshot(snap, wb, args.receipts ? { receipts: args.receipts } : {});
    const fatal = v.diagnostics.filter((d) => d.severity === 'fatal').length;
    const changed = v.sites.filter((s) => s.changed).map((s) => s.site);
    const entries = readAuditLog(snap.sheets[SHEETS.audit]).entries;
    const log = entries.length;
    // Once adopted, verify also checked the Adopted Budget sheet and the amendments (trust.ts).
    const board = replayBoard(entries);
    const applied = [...board.amendments.values()].filter((a) => a.state === 'applied').length;
    const adopted = board.adoption
      ? ` The adopted budget (${board.adoption.date}, resolution ${board.adoption.resolution}) is unchanged; ${plural(applied, 'amendment')} applied.`
      : '';
    const summary =
      v.status === 'intact'
        ? `Audit log intact (${log} ${log === 1 ? 'entry' : 'entries'}${args.receipts ? `, matching ${plural(args.receipts.length, 'receipt')}` : ''}); ${plural(v.approvedSites.length, 'approved site')} unchanged.${adopted}`
        : v.status === 'no approvals recorded'
          ? 'No approvals recorded: the audit log is empty, so there is nothing to verify.'
          : `Verification found ${plural(fatal, 'problem')}${changed.length ? `; changed after approval: ${changed.join(', ')}` : ''}.`;
    return { result: { ...result(v.status !== 'problems', v.diagnostics, summary), status: v.status } };
  },
};

/**
 * Next year's workbook from this one. The source is read once and never written; next year's workbook
 * is written to `target` in one write (the command line passes a new .xlsx file; a host a new
 * document). Without `target` it is a dry run: the findings and the summary only.
 * `salaryIncrease` is a percentage (3 = 3%); default the Setup "Salary increase".
 */
export const rollForward: Operation<{ salaryIncrease?: number }, RollForwardResult> = {
  name: 'rollForward',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args) {
    const wb = readWorkbook(snap);
    if (!wb.validator || !wb.setup)
      return {
        result: refuse(wb.diagnostics, 'Nothing was rolled forward: the chart of accounts cannot be read.'),
      };
    const fy = wb.setup.fiscalYear + 1;
    const next = compileChart(wb.validator.chart, fy);
    const increase =
      args.salaryIncrease !== undefined
        ? Math.round(args.salaryIncrease * 10_000)
        : wb.setup.settings.salaryIncrease;
    const diagnostics: Diagnostic[] = [];
    // Known cost changes: every row checked against next year's chart; a fatal finding refuses the
    // roll-forward (nothing is written), never a change half applied.
    const known = readCostChanges(snap.sheets[SHEETS.costChanges], {
      validator: next,
      staffing: wb.staffing,
      sites: wb.sites.map((s) => ({ code: s.code, name: s.name, sheet: s.sheet })),
      sheet: SHEETS.costChanges,
    });
    if (known.diagnostics.some((d) => d.severity === 'fatal'))
      return {
        result: refuse(
          known.diagnostics,
          'Nothing was rolled forward: the Cost Changes table has problems to fix.',
        ),
      };
    const writes: SheetWrite[] = [];
    const copy = (name: string): void => {
      const g = snap.sheets[name];
      if (g)
        writes.push(
          tableWrite(
            name,
            g.map((r) => [...r]),
          ),
        );
    };
    const setup = (snap.sheets[SHEETS.setup] ?? []).map((r) =>
      normalizeHeader(r[0]) === normalizeHeader(SETUP_KEYS.fiscalYear) ? [r[0], fy, ...r.slice(2)] : [...r],
    );
    writes.push(tableWrite(SHEETS.setup, setup, formatsOf(SETUP_TABLE)));
    [
      SHEETS.segments,
      SHEETS.codes,
      SHEETS.rules,
      SHEETS.combinations,
      SHEETS.classes,
      SHEETS.explanations,
      SHEETS.sites,
      SHEETS.benefits,
      SHEETS.formula,
      SHEETS.roles,
      SHEETS.assumptions,
      SHEETS.costChanges,
    ].forEach(copy);
    let carried = 0;
    let dropped = 0;
    const chart = wb.validator.chart;
    const dropdowns: Dropdown[] = [];
    let jobTypes = [...wb.staffing.jobTypes.values()];
    let staffing = wb.staffing;
    const rolled = siteSheetsOf(wb, snap).map((s) => {
      diagnostics.push(...s.diagnostics.filter((d) => d.severity === 'fatal'));
      const r = rollLines(
        { lines: s.lines, positions: s.positions, staffing: wb.staffing },
        { next, salaryIncrease: increase },
      );
      diagnostics.push(...r.diagnostics);
      jobTypes = r.jobTypes;
      staffing = r.staffing;
      return { s, r };
    });
    const changed = applyCostChanges(
      rolled.map(({ s, r }) => ({ site: s.site.code, lines: r.lines, positions: r.positions })),
      known.changes,
      { fiscalYear: fy, validator: next, staffing },
    );
    diagnostics.push(...known.diagnostics, ...changed.diagnostics);
    const raises = changed.applied.filter((a) => a.change.kind === 'raise' && a.matched > 0);
    if (increase !== 0 && raises.length)
      diagnostics.push(
        diag(
          'BL863',
          {
            increase: formatPpm(increase),
            ids: raises.map((a) => a.change.id),
          },
          args.salaryIncrease !== undefined ? {} : { sheet: SHEETS.setup },
        ),
      );
    const siteReports: RollForwardSite[] = [];
    for (const [k, { s, r: rolledSite }] of rolled.entries()) {
      const c = changed.sites[k] as SiteChanges;
      const r = { ...rolledSite, lines: c.lines };
      carried += r.lines.length + r.positions.length;
      dropped += rolledSite.dropped.length + c.dropped.length;
      siteReports.push({
        site: s.site.code,
        name: s.site.name,
        sheet: s.site.sheet,
        carried: r.lines.length + r.positions.length,
        dropped: [
          ...rolledSite.dropped.map((l) => ({
            account: l.account,
            description: l.description,
            cents: l.amount,
            why: `marked One-time at ${l.where.sheet ?? s.site.sheet}!${l.where.cell ?? ''}`,
          })),
          ...c.dropped.map((d) => ({
            account: d.line.account,
            description: d.line.description,
            cents: d.line.amount,
            why: `cost change ${d.change ?? ''}, one-time ends`,
          })),
        ],
        changes: c.effects,
        changeLines: c.changeLines.length,
        changeCents: c.changeLines.reduce((n, l) => n + l.amount, 0),
      });
      const width = Math.max(2, ...r.positions.map((p) => p.split.length));
      // The sheet keeps its layout: one Account column, or one column per segment.
      const sourceHeader = snap.sheets[s.site.sheet]?.[0] ?? [];
      const perSegment = detectAccountLayout(sourceHeader, chart).layout?.kind === 'segments';
      const segmentNames = perSegment ? chart.segments.map((x) => x.name) : undefined;
      const header: string[] = siteHeader(segmentNames);
      const notesAt = header.indexOf('Notes');
      for (let n = 3; n <= width; n++)
        header.splice(notesAt + 2 * (n - 3), 0, `Account ${n}`, `Percent ${n}`);
      const col = (h: string): number => header.indexOf(h);
      const putAccount = (row: CellValue[], account: string, segments: readonly string[]): void => {
        if (segmentNames) segmentNames.forEach((name, i) => (row[col(name)] = segments[i] ?? null));
        else row[col('Account')] = account;
      };
      const rows: NextRow[] = [];
      // The row of this year's sheet a line or position was read from (its typed cells are kept).
      const fromRow = (where: { sheet?: string; cell?: string }): { from?: number } => {
        const row = where.cell && where.sheet === s.site.sheet ? parseA1(where.cell)?.row : undefined;
        return row !== undefined ? { from: row } : {};
      };
      for (const l of r.lines) {
        const row: CellValue[] = header.map(() => null);
        row[col('Type')] = 'Line';
        putAccount(row, l.account, l.segments);
        row[col('Description')] = l.description;
        if (l.quantity !== undefined && l.unitCost !== undefined) {
          row[col('Quantity')] = l.quantity / 1000;
          row[col('Unit cost')] = l.unitCost / 100;
        } else row[col('Amount')] = l.amount / 100;
        row[col('One-time')] = 'No';
        row[col('Notes')] = l.notes;
        rows.push({ values: row, ...fromRow(l.where) });
      }
      for (const p of r.positions) {
        const row: CellValue[] = header.map(() => null);
        row[col('Type')] = 'Position';
        row[col('Job type')] = p.jobType ?? null;
        row[col('Employee')] = p.employee ?? null;
        row[col('Position ID')] = p.hrId ?? null;
        row[col('Salary')] = p.salary !== undefined ? p.salary / 100 : null;
        row[col('Benefits package')] = p.benefitsPackage ?? null;
        row[col('FTE')] = p.fte / 1000;
        p.split.forEach((piece, i) => {
          if (i === 0) putAccount(row, piece.account, piece.segments);
          else row[col(`Account ${i + 1}`)] = piece.account;
          if (p.split.length > 1)
            row[col(i === 0 ? 'Percent' : `Percent ${i + 1}`)] = piece.sharePpm / 1_000_000;
        });
        row[col('Notes')] = p.notes;
        rows.push({ values: row, ...fromRow(p.where) });
      }
      // Each known cost change's effect: its own lines, named by the change (nothing typed is edited).
      for (const l of c.changeLines) {
        const row: CellValue[] = header.map(() => null);
        row[col('Type')] = 'Line';
        putAccount(row, l.account, l.segments);
        row[col('Description')] = l.description;
        row[col('Amount')] = l.amount / 100;
        row[col('One-time')] = 'No';
        row[col('Notes')] = l.notes;
        rows.push({ values: row });
      }
      // Every cell typed in a carried row goes with it (a position's Description, columns the
      // district added), under next year's header.
      const kept = keepTypedCells(siteTableGrid(snap.sheets[s.site.sheet] ?? []), header, rows);
      const w = siteSheetWrite(s.site.sheet, [], segmentNames);
      writes.push({ ...w, values: [kept.header, ...kept.rows] });
      dropdowns.push(...segmentDropdowns(s.site.sheet, kept.header, chart, snap.sheets[SHEETS.codes] ?? []));
    }
    writes.push(
      tableWrite(
        SHEETS.jobTypes,
        [
          headerOf(JOB_TYPES_TABLE),
          ...jobTypes.map((j) => [
            j.code,
            j.title,
            centsToDollars(j.averageSalary),
            j.benefits,
            j.unit ?? null,
          ]),
        ],
        formatsOf(JOB_TYPES_TABLE),
      ),
    );
    // Revenues and fund balances: this year's ending balances become next year's beginning balances —
    // the forecast's estimated ending balance when the workbook has actuals, else the budget's.
    const forecasted = snap.sheets[SHEETS.actuals] ? computeForecast(wb, snap) : undefined;
    if (forecasted && 'refused' in forecasted) diagnostics.push(...forecasted.refused);
    const fromForecast = forecasted && !('refused' in forecasted) ? forecasted : undefined;
    // After adoption this year's budget is the final one: the applied amendments count in its ending
    // balance, and the ones not carried into next year's lines are named (BL865).
    const adopted = adoptedFinal(snap, wb);
    if (adopted.refused) diagnostics.push(...adopted.refused);
    const thisYear = adopted.refused ? undefined : adopted.final;
    if (thisYear?.applied.length)
      diagnostics.push(diag('BL865', { ids: thisYear.applied.map((a) => a.id), fy }));
    const funds =
      fromForecast?.funds ??
      districtFunds(
        wb,
        snap,
        ledgerOf(
          rollUp(
            withAmendments(siteSheetsOf(wb, snap), thisYear).flatMap((s) => s.ledger),
            wb.sites.map((s) => ({ site: s.code, state: budgetOf(wb.state, s.code).state })),
            { accounts: wb.validator, unapproved: 'include-marked' },
          ).byAccount,
        ),
      );
    const basis = fromForecast?.funds
      ? `forecast ending balance of FY${wb.setup.fiscalYear} (actuals as of ${fromForecast.asOf})`
      : `projected ending balance of FY${wb.setup.fiscalYear}`;
    if (funds) {
      diagnostics.push(...funds.diagnostics.filter((d) => d.severity === 'fatal'));
      writes.push(...carryFunds(funds, snap.sheets[SHEETS.revenues], basis));
    }
    const allocations = snap.sheets[SHEETS.allocations];
    if (allocations) {
      const ruleCol = (allocations[0] ?? []).map(normalizeHeader).indexOf('rule');
      writes.push(
        tableWrite(
          SHEETS.allocations,
          allocations
            .filter((r, i) => i === 0 || ruleCol < 0 || String(r[ruleCol] ?? '').trim() === '')
            .map((r) => [...r]),
        ),
      );
    }
    const fresh = createWorkbookBatch({ preset: 'nces', fiscalYear: fy, district: wb.setup.district });
    for (const w of fresh.sheets ?? [])
      if (w.sheet === SHEETS.audit || w.sheet === SHEETS.approved) writes.push(w);
    // All or nothing: any fatal finding (a line that does not validate, an account not valid next
    // year, a Sites table that cannot be read, …) refuses the roll-forward: next year's workbook is
    // not made at all, rather than made without what could not be carried.
    const unreadable = wb.diagnostics.filter((d) => d.severity === 'fatal');
    diagnostics.unshift(...unreadable);
    if (wb.sites.length === 0 && snap.sheets[SHEETS.sites] !== undefined)
      diagnostics.unshift(diag('BL864', { sheet: SHEETS.sites }, { sheet: SHEETS.sites }));
    const fatal = diagnostics.filter((d) => d.severity === 'fatal').length;
    if (fatal)
      return {
        result: {
          ...refuse(
            diagnostics,
            `Nothing was rolled forward: ${plural(fatal, 'problem')} to fix first, each named below; next year's workbook was not written.`,
          ),
          fiscalYear: fy,
          sites: siteReports,
        },
      };
    const changeLines = siteReports.reduce((n, x) => n + x.changeLines, 0);
    const summary = `FY${fy}: ${carried} lines and positions carried forward, ${plural(dropped, 'one-time line')} dropped${
      changed.applied.length
        ? `; ${plural(changed.applied.length, 'known cost change')} applied as ${plural(changeLines, 'change line')} (${formatCents(changed.applied.reduce((n, a) => n + a.cents, 0))})`
        : ''
    }.${funds ? ` Beginning balances: the ${basis}.` : ''}`;
    return {
      result: {
        ...result(true, diagnostics, summary),
        fiscalYear: fy,
        sites: siteReports,
        costChanges: changed.applied.map((a) => ({
          id: a.change.id,
          kind: a.change.kind,
          description: a.change.description,
          cents: a.cents,
          matched: a.matched,
        })),
        ...(funds
          ? {
              beginningBalances: funds.summary.funds.map((f) => ({
                fund: f.fund,
                name: f.name,
                cents: f.endingBalanceCents,
                basis,
              })),
            }
          : {}),
        next: { sheets: writes, ...(dropdowns.length ? { dropdowns } : {}), state: emptyDocumentState() },
      },
    };
  },
};
