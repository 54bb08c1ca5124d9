/**
 * Reading the district workbook from a Snapshot: everything an operation needs, parsed, with every
 * finding (sheet and cell). The chart comes from the workbook's own tables, so a district edits its
 * chart in the workbook.
 */
import type { Validator } from '../accounts/api';
import { loadChartFromTables, parseFiscalYear } from '../accounts/chart-load';
import type { Chart, FiscalYear } from '../accounts/types';
import { compileChart } from '../accounts/validate';
import { readSites, type Site } from '../allocations/tables';
import { BOARD_ACTIONS, DECISION_ACTIONS, isHash, isIsoUtc, type AuditEntry } from '../approval/audit';
import type { ContentLine } from '../approval/hash';
import type { LedgerLine } from '../approval/lines';
import { ROLES, readRoles, type Role, type RolesTable } from '../approval/roles';
import { newSiteBudget, type SiteBudget } from '../approval/workflow';
import { readLines, readPositions, type BudgetLine, type Position } from '../budget/lines';
import { DEFAULT_SETTINGS, readSettings, type BudgetSettings } from '../budget/settings';
import { readBenefits, readJobTypes, staffingOf, type Staffing } from '../budget/staffing';
import { parsePercent } from '../budget/units';
import { cellText, isBlank, type CellValue, type Grid } from '../cells';
import type { ReservePolicy } from '../rollup/funds';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState, Snapshot } from '../port/types';
import { emptyDocumentState } from '../port/state';
import { isPresetId, loadPreset } from '../presets';
import { REPORT_SHEETS } from '../report/sheets';
import { cellAt, dataRows, findColumns, normalizeHeader } from '../tables';
import {
  parseAccountColumns,
  rowKind,
  rowsOfKind,
  SETUP_KEYS,
  SHEETS,
  siteKindColumns,
  siteSheetName,
  type AccountColumns,
} from './layout';
import { APPROVED_TABLE, AUDIT_TABLE, SETUP_TABLE, SITES_TABLE, specOf } from './schema';
import { siteTableGrid } from './site-view';

export interface WorkbookSetup {
  readonly district: string;
  readonly fiscalYear: FiscalYear;
  /** Preset id ("nces") or the district's own id. */
  readonly chart: string;
  readonly chartName: string;
  readonly delimiter: string | null;
  readonly hierarchical: readonly string[];
  /** For exports that name the district (Texas fixed width). */
  readonly districtId: string;
  readonly settings: BudgetSettings;
  /** How new site sheets hold the account (Setup "Account columns"); each sheet's own header decides how it is read. */
  readonly accountColumns: AccountColumns;
  /** Setup "Reserve policy" (minimum % of expenditures) and "Reserve funds"; absent when blank. */
  readonly reservePolicy?: ReservePolicy;
}

export interface SiteEntry {
  readonly code: string;
  readonly name: string;
  readonly sheet: string;
  readonly site: Site;
}

/** The district, as every operation needs it. */
export interface Workbook {
  readonly setup?: WorkbookSetup;
  readonly validator?: Validator;
  readonly staffing: Staffing;
  readonly sites: readonly SiteEntry[];
  readonly roles: RolesTable;
  readonly state: DocumentState;
  /** Findings about the district's own tables (Setup, chart, Sites, Job Types, Benefits, Roles). */
  readonly diagnostics: readonly Diagnostic[];
}

/** One site's sheet, read and checked. */
export interface SiteSheet {
  readonly site: SiteEntry;
  readonly lines: readonly BudgetLine[];
  readonly positions: readonly Position[];
  /** One ledger line per budget line and per position split piece, with its sheet and cell. */
  readonly ledger: readonly LedgerLine[];
  readonly diagnostics: readonly Diagnostic[];
}

const text = (v: CellValue): string => cellText(v).trim();

/** The Setup sheet (Setting | Value). */
export function readSetup(grid: Grid | undefined): { setup?: WorkbookSetup; diagnostics: Diagnostic[] } {
  if (!grid)
    return {
      diagnostics: [diag('BL801', { sheet: SHEETS.setup, purpose: 'district, fiscal year and chart' })],
    };
  const { settings, diagnostics } = readSettings(grid, { sheet: SHEETS.setup });
  // readSettings reports a missing column; here a missing one only leaves the settings unread.
  const { columns } = findColumns(
    grid[0] ?? [],
    specOf(SETUP_TABLE, ['setting', 'value'], []),
    SETUP_TABLE.table,
  );
  const values = new Map<string, { value: CellValue; cell: string }>();
  if (columns.setting >= 0 && columns.value >= 0)
    for (const { row, index } of dataRows(grid))
      values.set(normalizeHeader(row[columns.setting]), {
        value: row[columns.value],
        cell: cellAt(index, columns.value),
      });
  const get = (key: string): { value: CellValue; cell: string } | undefined =>
    values.get(normalizeHeader(key));
  const where = (key: string): { sheet: string; cell: string } => ({
    sheet: SHEETS.setup,
    cell: get(key)?.cell ?? 'A1',
  });

  const fyCell = get(SETUP_KEYS.fiscalYear);
  const fiscalYear = fyCell && !isBlank(fyCell.value) ? parseFiscalYear(fyCell.value) : undefined;
  if (fiscalYear === undefined)
    diagnostics.push(
      diag(
        'BL804',
        {
          setting: SETUP_KEYS.fiscalYear,
          shown: text(fyCell?.value),
          expected: 'a fiscal year such as 2027 or 2026-27',
        },
        where(SETUP_KEYS.fiscalYear),
      ),
    );
  const chart = text(get(SETUP_KEYS.chart)?.value) || 'nces';
  const preset = isPresetId(chart) ? loadPreset(chart) : undefined;
  const delimCell = get(SETUP_KEYS.delimiter);
  let delimiter: string | null = preset ? preset.delimiter : '-';
  if (delimCell && !isBlank(delimCell.value)) {
    const d = cellText(delimCell.value);
    delimiter = d.trim().toLowerCase() === 'none' ? null : d.trim() || d;
  }
  const hierText = text(get(SETUP_KEYS.hierarchical)?.value);
  const hierarchical = hierText
    ? hierText
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter(Boolean)
    : [...(preset?.hierarchical ?? [])];
  const accountCell = get(SETUP_KEYS.accountColumns);
  const accountColumns = parseAccountColumns(accountCell?.value);
  if (accountColumns === undefined)
    diagnostics.push(
      diag(
        'BL804',
        {
          setting: SETUP_KEYS.accountColumns,
          shown: text(accountCell?.value),
          expected: '"one" or "per segment"',
        },
        where(SETUP_KEYS.accountColumns),
      ),
    );
  let reservePolicy: ReservePolicy | undefined;
  const policyCell = get(SETUP_KEYS.reservePolicy);
  if (policyCell && !isBlank(policyCell.value)) {
    const p = parsePercent(policyCell.value, where(SETUP_KEYS.reservePolicy), 'reserve policy');
    if (p.ok)
      reservePolicy = {
        minimumPpm: p.value,
        funds: text(get(SETUP_KEYS.reserveFunds)?.value)
          .split(/[,;\s]+/)
          .filter(Boolean),
      };
    else diagnostics.push(p.diagnostic);
  }
  if (fiscalYear === undefined) return { diagnostics };
  return {
    setup: {
      district: text(get(SETUP_KEYS.district)?.value),
      fiscalYear,
      chart,
      chartName: text(get(SETUP_KEYS.chartName)?.value) || preset?.name || chart,
      delimiter,
      hierarchical,
      districtId: text(get(SETUP_KEYS.districtId)?.value),
      settings,
      accountColumns: accountColumns ?? 'one',
      ...(reservePolicy ? { reservePolicy } : {}),
    },
    diagnostics,
  };
}

/** The Sites table with each site's sheet name. */
export function readSiteList(grid: Grid | undefined): { sites: SiteEntry[]; diagnostics: Diagnostic[] } {
  if (!grid)
    return { sites: [], diagnostics: [diag('BL801', { sheet: SHEETS.sites, purpose: 'the list of sites' })] };
  const r = readSites(grid, { sheet: SHEETS.sites });
  const { columns } = findColumns(grid[0] ?? [], specOf(SITES_TABLE, ['code', 'sheet'], []), 'Sites');
  const sheetOf = new Map<string, string>();
  if (columns.code >= 0 && columns.sheet >= 0)
    for (const { row } of dataRows(grid)) sheetOf.set(text(row[columns.code]), text(row[columns.sheet]));
  const sites = r.rows.map((site) => ({
    code: site.code,
    name: site.name,
    sheet: siteSheetName(site.code, site.name, sheetOf.get(site.code) ?? ''),
    site,
  }));
  const diagnostics = [...r.diagnostics];
  const rowOf = new Map<string, number>();
  if (columns.code >= 0)
    for (const { row, index } of dataRows(grid)) rowOf.set(text(row[columns.code]), index);
  for (const entry of sites) {
    const taken = sheetNameTaken(entry, sites);
    if (!taken) continue;
    const row = rowOf.get(entry.code);
    const col = columns.sheet >= 0 ? columns.sheet : columns.code;
    diagnostics.push(
      diag(
        'BL812',
        { site: entry.code, sheet: entry.sheet, taken },
        { sheet: SHEETS.sites, ...(row !== undefined && col >= 0 ? { cell: cellAt(row, col) } : {}) },
      ),
    );
  }
  return { sites, diagnostics };
}

/** Budgetline's own sheet names, lower-cased (a site sheet must not take one), the board report's included. */
const FIXED_SHEETS = new Set(
  [...Object.values(SHEETS), ...Object.values(REPORT_SHEETS)].map((n) => n.toLowerCase()),
);

/**
 * Why a site's sheet name cannot be its own (BL812): it is one of Budgetline's sheets (or begins with
 * "Budgetline"), or an earlier site in the Sites table has the same sheet (Excel and Sheets compare
 * sheet names without regard to case); undefined when it is the site's own.
 */
export function sheetNameTaken(entry: SiteEntry, sites: readonly SiteEntry[]): string | undefined {
  const name = entry.sheet.toLowerCase();
  if (!name) return 'empty';
  if (FIXED_SHEETS.has(name) || name.startsWith('budgetline')) return "one of Budgetline's own sheets";
  const first = sites.find((s) => s.sheet.toLowerCase() === name);
  if (first && first !== entry) return `the sheet of site ${first.code}`;
  return undefined;
}

/**
 * A workbook made before charts had a Classes sheet, on a preset chart: the preset's classes (and
 * NCES's revenue-source list) apply, so its fund summary works without the district adding them.
 */
function withPresetClasses(chart: Chart, chartId: string, noClassesSheet: boolean): Chart {
  if (!noClassesSheet || !isPresetId(chartId)) return chart;
  const preset = loadPreset(chartId);
  return {
    ...chart,
    ...(preset.classes ? { classes: preset.classes } : {}),
    ...(!chart.revenueSources && preset.revenueSources ? { revenueSources: preset.revenueSources } : {}),
  };
}

/** Reads the district from a snapshot that holds (at least) BASE_SHEETS and the state. */
export function readWorkbook(snapshot: Snapshot): Workbook {
  const diagnostics: Diagnostic[] = [];
  const sheet = (name: string): Grid | undefined => snapshot.sheets[name];
  const s = readSetup(sheet(SHEETS.setup));
  diagnostics.push(...s.diagnostics);
  let validator: Validator | undefined;
  if (s.setup) {
    const segments = sheet(SHEETS.segments);
    const codes = sheet(SHEETS.codes);
    if (!segments)
      diagnostics.push(diag('BL801', { sheet: SHEETS.segments, purpose: 'the chart of accounts' }));
    if (!codes) diagnostics.push(diag('BL801', { sheet: SHEETS.codes, purpose: 'the chart of accounts' }));
    if (segments && codes) {
      const rules = sheet(SHEETS.rules);
      const combinations = sheet(SHEETS.combinations);
      const classes = sheet(SHEETS.classes);
      const explanations = sheet(SHEETS.explanations);
      const load = loadChartFromTables(
        {
          segments,
          codes,
          ...(rules ? { rules } : {}),
          ...(combinations ? { combinations } : {}),
          ...(classes ? { classes } : {}),
          ...(explanations ? { explanations } : {}),
        },
        {
          id: s.setup.chart,
          name: s.setup.chartName,
          delimiter: s.setup.delimiter,
          defaultFiscalYear: s.setup.fiscalYear,
          hierarchical: s.setup.hierarchical,
        },
      );
      diagnostics.push(...load.diagnostics);
      if (load.chart)
        validator = compileChart(withPresetClasses(load.chart, s.setup.chart, !classes), s.setup.fiscalYear);
    }
  }
  const benefits = sheet(SHEETS.benefits)
    ? readBenefits(sheet(SHEETS.benefits) as Grid, { sheet: SHEETS.benefits })
    : { rows: [], diagnostics: [] };
  const jobs = sheet(SHEETS.jobTypes)
    ? readJobTypes(sheet(SHEETS.jobTypes) as Grid, benefits.rows, { sheet: SHEETS.jobTypes })
    : { rows: [], diagnostics: [] };
  diagnostics.push(...benefits.diagnostics, ...jobs.diagnostics);
  const sites = readSiteList(sheet(SHEETS.sites));
  diagnostics.push(...sites.diagnostics);
  const rolesGrid = sheet(SHEETS.roles);
  const roles = rolesGrid
    ? readRoles(rolesGrid, { sheet: SHEETS.roles, sites: sites.sites.map((x) => x.code) })
    : { roles: { assignments: [] }, diagnostics: [] };
  diagnostics.push(...roles.diagnostics, ...(snapshot.stateDiagnostics ?? []));
  return {
    ...(s.setup ? { setup: s.setup } : {}),
    ...(validator ? { validator } : {}),
    staffing: staffingOf(jobs.rows, benefits.rows),
    sites: sites.sites,
    roles: roles.roles,
    state: snapshot.state ?? emptyDocumentState(),
    diagnostics,
  };
}

/** A site's workflow state (a site missing from the document state is a draft). */
export function budgetOf(state: DocumentState, site: string): SiteBudget {
  return state.sites[site] ?? newSiteBudget(site);
}

/** Finds a site by code (or by sheet name); BL802 when there is none. */
export function findSite(wb: Workbook, code: string): SiteEntry | Diagnostic {
  const hit = wb.sites.find((s) => s.code === code) ?? wb.sites.find((s) => s.sheet === code);
  return hit ?? diag('BL802', { site: code, known: wb.sites.map((s) => s.code) });
}

function positionLabel(p: Position, staffing: Staffing): string {
  const title = p.jobType ? (staffing.jobTypes.get(p.jobType)?.title ?? p.jobType) : 'Position';
  return [title, p.employee, p.hrId].filter((x) => x).join(', ');
}

/**
 * One site's sheet: lines and positions (the Type column tells them apart; other rows are blanked so
 * every finding keeps its cell), and the ledger lines they make.
 */
export function readSiteSheet(wb: Workbook, site: SiteEntry, sheetGrid: Grid | undefined): SiteSheet {
  const taken = wb.sites ? sheetNameTaken(site, wb.sites) : undefined;
  if (taken)
    return {
      site,
      lines: [],
      positions: [],
      ledger: [],
      diagnostics: [diag('BL812', { site: site.code, sheet: site.sheet, taken }, { sheet: SHEETS.sites })],
    };
  // What Budgetline computes on the sheet (the Cost column, the summary block) is never input.
  const grid = sheetGrid && siteTableGrid(sheetGrid);
  if (!grid)
    return {
      site,
      lines: [],
      positions: [],
      ledger: [],
      diagnostics: [diag('BL810', { site: site.code, sheet: site.sheet }, { sheet: SHEETS.sites })],
    };
  const diagnostics: Diagnostic[] = [];
  const cols = siteKindColumns(grid[0] ?? []);
  grid.forEach((row, i) => {
    if (i === 0) return;
    const k = rowKind(row, cols);
    if (typeof k === 'object')
      diagnostics.push(
        diag('BL806', { shown: k.unknown }, { sheet: site.sheet, cell: cellAt(i, cols.type) }),
      );
  });
  const validator = wb.validator;
  if (!validator) return { site, lines: [], positions: [], ledger: [], diagnostics };
  const fteStep = wb.setup?.settings.fteStep ?? DEFAULT_SETTINGS.fteStep;
  const lines = readLines(rowsOfKind(grid, 'line'), validator, { sheet: site.sheet, fteStep });
  const hasPositions = grid.some((row, i) => i > 0 && rowKind(row, cols) === 'position');
  const positions = hasPositions
    ? readPositions(rowsOfKind(grid, 'position'), validator, wb.staffing, { sheet: site.sheet, fteStep })
    : { rows: [], diagnostics: [] };
  diagnostics.push(...lines.diagnostics, ...positions.diagnostics);
  const ledger: LedgerLine[] = [];
  for (const l of lines.rows)
    ledger.push({
      site: site.code,
      account: l.account,
      cents: l.amount,
      fte: 0,
      description: l.description,
      sheet: site.sheet,
      ...(l.where.cell ? { cell: l.where.cell } : {}),
    });
  for (const p of positions.rows)
    for (const piece of p.pieces)
      ledger.push({
        site: site.code,
        account: piece.account,
        cents: piece.amount,
        fte: piece.fte,
        description: positionLabel(p, wb.staffing),
        ...(p.jobType ? { jobType: p.jobType } : {}),
        sheet: site.sheet,
        ...(piece.where.cell ? { cell: piece.where.cell } : {}),
      });
  return { site, lines: lines.rows, positions: positions.rows, ledger, diagnostics };
}

/** The content lines of a ledger (what approval hashes), keeping sheet and cell for diffs. */
export function contentLines(ledger: readonly LedgerLine[]): ContentLine[] {
  return ledger.map(
    (l) =>
      ({
        account: l.account,
        cents: l.cents,
        fte: l.fte ?? 0,
        description: l.description,
        ...(l.sheet ? { sheet: l.sheet } : {}),
        ...(l.cell ? { cell: l.cell } : {}),
      }) as ContentLine,
  );
}

const ACTIONS: ReadonlySet<string> = new Set<AuditEntry['action']>([
  'submit',
  'approve',
  'return',
  'revise',
  'reopen',
  ...BOARD_ACTIONS,
  ...DECISION_ACTIONS,
]);

/** The Audit sheet's rows as entries (AUDIT_TABLE's columns by name); rows that cannot be read are BL808. */
export function readAuditLog(grid: Grid | undefined): { entries: AuditEntry[]; diagnostics: Diagnostic[] } {
  const entries: AuditEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!grid) return { entries, diagnostics };
  const found = findColumns(grid[0] ?? [], AUDIT_TABLE.columns, AUDIT_TABLE.table, SHEETS.audit);
  if (found.diagnostics.length) {
    diagnostics.push(...found.diagnostics.slice(0, 1));
    return { entries, diagnostics };
  }
  const col = found.columns;
  for (const { row, index } of dataRows(grid)) {
    const cell = (k: keyof typeof col): string => cellText(row[col[k]]);
    const [at, site, action, actor, role, identity, contentHash, comment, prevHash, hash] = [
      cell('at'),
      cell('site'),
      cell('action'),
      cell('actor'),
      cell('role'),
      cell('identity'),
      cell('contentHash'),
      cell('comment'),
      cell('prevHash'),
      cell('hash'),
    ];
    const problems: string[] = [];
    if (!isIsoUtc(at)) problems.push(`time "${at}" is not ISO-8601 UTC`);
    if (!ACTIONS.has(action)) problems.push(`action "${action}" is not a workflow step`);
    if (!(ROLES as readonly string[]).includes(role)) problems.push(`role "${role}" is not a role`);
    if (identity !== 'verified' && identity !== 'self-declared') problems.push(`identity "${identity}"`);
    for (const [name, h] of [
      ['content hash', contentHash],
      ['previous hash', prevHash],
      ['hash', hash],
    ] as const)
      if (!isHash(h)) problems.push(`${name} is not a SHA-256 hash`);
    const where = { sheet: SHEETS.audit, cell: cellAt(index, 0) };
    if (problems.length) {
      diagnostics.push(diag('BL808', { row: index + 1, problem: problems.join('; ') }, where));
      continue;
    }
    entries.push({
      at,
      site,
      action: action as AuditEntry['action'],
      actor,
      role: role as Role,
      identity: identity as AuditEntry['identity'],
      contentHash,
      comment,
      prevHash,
      hash,
    });
  }
  return { entries, diagnostics };
}

/** The Approved Lines sheet: each site's approved copy. */
export function readApprovedCopies(grid: Grid | undefined): Map<string, ContentLine[]> {
  const out = new Map<string, ContentLine[]>();
  if (!grid) return out;
  const { columns: c, diagnostics } = findColumns(
    grid[0] ?? [],
    APPROVED_TABLE.columns,
    APPROVED_TABLE.table,
  );
  if (diagnostics.length) return out;
  for (const { row } of dataRows(grid)) {
    const site = text(row[c.site]);
    const cents = Number(row[c.cents]);
    const fte = Number(row[c.fte] ?? 0);
    if (!Number.isSafeInteger(cents) || !Number.isSafeInteger(fte)) continue;
    const list = out.get(site) ?? [];
    list.push({ account: text(row[c.account]), cents, fte, description: cellText(row[c.description]) });
    out.set(site, list);
  }
  return out;
}

/** Every site's sheet in a snapshot that was read with 'all' or with the site sheets. */
export function siteSheetsOf(wb: Workbook, snapshot: Snapshot, only?: readonly string[]): SiteSheet[] {
  return wb.sites
    .filter((s) => !only || only.includes(s.code))
    .map((s) => readSiteSheet(wb, s, snapshot.sheets[s.sheet]));
}
