/**
 * A fake of the Apps Script services Budgetline's Sheets add-on uses: SpreadsheetApp (Spreadsheet,
 * Sheet, Range, RangeList, Protection, Ui, Menu), HtmlService, PropertiesService, LockService,
 * Session, Utilities, ScriptApp, the Sheets advanced service (Values.batchGet) and the services a
 * simple trigger may not touch (MailApp, UrlFetchApp, openById).
 *
 * Faithful where bugs hide, and failing with Apps Script's own messages:
 * - Range.setValues / setBackgrounds / setNotes / setNumberFormats with an array whose shape differs
 *   from the range throw "The number of rows in the data does not match the number of rows in the
 *   range. The data has N but the range has M." (and the same for columns);
 * - a range outside the sheet's grid (maxRows × maxColumns, 1000 × 26 for a new sheet) throws
 *   "The coordinates of the range are outside the dimensions of the sheet."; a range of 0 rows
 *   throws "The number of rows in the range must be at least 1.";
 * - setValues parses strings as a user typing would: "001" becomes the number 1, "TRUE" a boolean,
 *   "=A1" a formula, "2026-07-01" a date — unless the string starts with an apostrophe (which is
 *   dropped) or the cell is formatted as plain text ("@");
 * - getValues returns '' for blank cells and a fresh array each time; the advanced service's
 *   batchGet drops trailing blank cells and rows (ragged rows) and omits `values` for a blank range;
 * - simple triggers (env.simple(() => onEdit(e))) may not call services that need authorisation:
 *   Ui.showSidebar, the Sheets advanced service, MailApp, UrlFetchApp, SpreadsheetApp.openById
 *   throw "You do not have permission to call …"; a simple trigger over 30 s is reported;
 * - Session.getActiveUser().getEmail() returns '' for a user outside the script owner's domain;
 * - PropertiesService: 9 KB per value, 500 KB per store, both enforced ("Argument too large");
 * - LockService.getDocumentLock(): one holder at a time across "executions"; waitLock throws
 *   "Lock timeout: another process was holding the lock for too long." when it cannot get it.
 * - Charts (Sheet.newChart / insertChart / updateChart / removeChart / getCharts, Charts.ChartType):
 *   a chart gets its id (getChartId) when it is inserted — the built object a script holds keeps null,
 *   so a script learns the id from getCharts(); modify() + updateChart keeps the id; a builder without
 *   a chart type or a range, a chart type the Charts service does not have, a position outside the
 *   sheet, and updateChart / removeChart of a chart not on the sheet throw. There is no print-setup
 *   API, as in Apps Script.
 *
 * Every service method counts its calls (`env.counts`), so tests assert batching.
 * Not modelled: formula evaluation (a formula reads back as ''), cell merges, conditional formats,
 * protection enforcement against edits (protections are kept as data and inspected by tests).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type FakeValue = string | number | boolean | Date;

const SIMPLE_TRIGGER_LIMIT_MS = 30_000;

export class Counts {
  private readonly map = new Map<string, number>();
  hit(name: string): void {
    this.map.set(name, (this.map.get(name) ?? 0) + 1);
  }
  get(name: string): number {
    return this.map.get(name) ?? 0;
  }
  /** Sum of the counts of every name given (e.g. all getValues-like reads). */
  sum(...names: string[]): number {
    return names.reduce((s, n) => s + this.get(n), 0);
  }
  /** Every call made to a Sheet/Range/RangeList/Spreadsheet method: a proxy for round trips. */
  total(): number {
    let n = 0;
    for (const v of this.map.values()) n += v;
    return n;
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.map.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
  reset(): void {
    this.map.clear();
  }
}

export class AppsScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Exception';
  }
}

// ---- A1 helpers ------------------------------------------------------------------------------

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function colLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "B2:D5" / "C7" / "A:C" / "2:4" (1-based, inclusive). */
function parseRangeA1(
  a1: string,
  maxRows: number,
  maxCols: number,
): { row: number; col: number; rows: number; cols: number } {
  const ref = a1.includes('!') ? (a1.split('!').pop() as string) : a1;
  const [a, b] = ref.replace(/\$/g, '').toUpperCase().split(':');
  const cell = (s: string): { row?: number; col?: number } => {
    const m = /^([A-Z]{0,3})([0-9]*)$/.exec(s);
    if (!m || (m[1] === '' && m[2] === '')) throw new AppsScriptError(`Range not found`);
    return {
      ...(m[1] ? { col: colIndex(m[1]) } : {}),
      ...(m[2] ? { row: Number(m[2]) } : {}),
    };
  };
  const p = cell(a as string);
  const q = b === undefined ? p : cell(b);
  const row = p.row ?? 1;
  const col = p.col ?? 1;
  const lastRow = q.row ?? maxRows;
  const lastCol = q.col ?? maxCols;
  return { row, col, rows: lastRow - row + 1, cols: lastCol - col + 1 };
}

// ---- the environment -------------------------------------------------------------------------

export interface FakeUser {
  /** What Session.getActiveUser().getEmail() returns: '' for a user outside the domain. */
  readonly email: string;
}

export interface EnvOptions {
  /** Directory HtmlService.createHtmlOutputFromFile reads `<name>.html` from. */
  readonly htmlDir?: string;
  /** Whether the Sheets advanced service is enabled (the global `Sheets` exists). */
  readonly advancedSheets?: boolean;
  readonly user?: string;
  /** The spreadsheet's owner's domain: getActiveUser() is '' for other domains. */
  readonly domain?: string;
  /** The spreadsheet's owner (default owner@district.org): never removable from a protection. */
  readonly owner?: string;
  /** Everyone else the spreadsheet is shared with as an editor: a new protection starts with them. */
  readonly editors?: readonly string[];
}

export class FakeEnv {
  readonly counts = new Counts();
  readonly spreadsheet: FakeSpreadsheet;
  readonly documentProperties: FakeProperties;
  readonly userProperties: FakeProperties;
  readonly scriptProperties: FakeProperties;
  readonly documentLock: FakeLockState = { holder: null };
  readonly ui: FakeUi;
  readonly documentCache: FakeCache;
  /** The e-mail address of the person running the current execution. */
  userEmail: string;
  readonly domain: string;
  readonly owner: string;
  /** The spreadsheet's editors besides the owner (its sharing). */
  readonly fileEditors: readonly string[];
  /** 'full': a menu item, a sidebar call, an installable trigger. 'simple': onOpen / onEdit. */
  mode: 'full' | 'simple' = 'full';
  /** An id per execution, for the lock. */
  execution = 1;
  readonly advancedSheets: boolean;
  readonly htmlDir: string;
  /** Things the script asked to be logged. */
  readonly logs: string[] = [];
  readonly toasts: string[] = [];
  /** Simple-trigger runs that took longer than Apps Script allows. */
  readonly overruns: { name: string; ms: number }[] = [];

  constructor(options: EnvOptions = {}) {
    this.htmlDir = options.htmlDir ?? join(__dirname, '..', '..', '..', 'dist', 'sheets-addon');
    this.advancedSheets = options.advancedSheets ?? false;
    this.userEmail = options.user ?? 'owner@district.org';
    this.domain = options.domain ?? 'district.org';
    this.owner = options.owner ?? 'owner@district.org';
    this.fileEditors = options.editors ?? [];
    this.spreadsheet = new FakeSpreadsheet(this);
    this.documentProperties = new FakeProperties(this, 'document');
    this.userProperties = new FakeProperties(this, 'user');
    this.scriptProperties = new FakeProperties(this, 'script');
    this.ui = new FakeUi(this);
    this.documentCache = new FakeCache(this);
  }

  hit(name: string): void {
    this.counts.hit(name);
  }

  /** Throws like Apps Script when a simple trigger calls a service that needs authorisation. */
  requireAuth(method: string, scope: string): void {
    if (this.mode === 'simple')
      throw new AppsScriptError(
        `You do not have permission to call ${method}. Required permissions: ${scope}`,
      );
  }

  /** Runs `fn` as a simple trigger (onOpen, onEdit): restricted services, a 30-second limit. */
  simple<T>(name: string, fn: () => T): T {
    const before = this.mode;
    this.mode = 'simple';
    this.execution++;
    const started = Date.now();
    try {
      return fn();
    } finally {
      this.mode = before;
      const ms = Date.now() - started;
      if (ms > SIMPLE_TRIGGER_LIMIT_MS) this.overruns.push({ name, ms });
      this.releaseLocksOf(this.execution);
    }
  }

  /** Runs `fn` as a separate execution by `email` (a menu item or a google.script.run call). */
  as<T>(email: string, fn: () => T): T {
    const before = this.userEmail;
    this.userEmail = email;
    this.execution++;
    const exec = this.execution;
    try {
      return fn();
    } finally {
      this.userEmail = before;
      this.releaseLocksOf(exec);
    }
  }

  private releaseLocksOf(exec: number): void {
    if (this.documentLock.holder === exec) this.documentLock.holder = null;
  }

  /** The globals a script sees: pass to vm.createContext, or use directly. */
  globals(): Record<string, unknown> {
    return globalsOf(this);
  }

  /** '' for a user outside the domain, as Apps Script returns. */
  activeEmail(): string {
    return this.userEmail.toLowerCase().endsWith(`@${this.domain}`) ? this.userEmail : '';
  }
}

function globalsOf(env: FakeEnv): Record<string, unknown> {
  const g: Record<string, unknown> = {
    SpreadsheetApp: new FakeSpreadsheetApp(env),
    HtmlService: new FakeHtmlService(env),
    PropertiesService: {
      getDocumentProperties: () => (
        env.hit('PropertiesService.getDocumentProperties'),
        env.documentProperties
      ),
      getUserProperties: () => (env.hit('PropertiesService.getUserProperties'), env.userProperties),
      getScriptProperties: () => (env.hit('PropertiesService.getScriptProperties'), env.scriptProperties),
    },
    LockService: {
      getDocumentLock: () => (env.hit('LockService.getDocumentLock'), new FakeLock(env, env.documentLock)),
      getScriptLock: () => (env.hit('LockService.getScriptLock'), new FakeLock(env, env.documentLock)),
    },
    Session: {
      getActiveUser: () => (env.hit('Session.getActiveUser'), new FakeUserObj(env.activeEmail())),
      getEffectiveUser: () => (env.hit('Session.getEffectiveUser'), new FakeUserObj(env.userEmail)),
      getScriptTimeZone: () => 'Etc/UTC',
      getTemporaryActiveUserKey: () => `key-${env.userEmail}`,
    },
    Utilities: {
      sleep: (ms: number) => {
        env.hit('Utilities.sleep');
        if (ms > 300_000) throw new AppsScriptError('Utilities.sleep: maximum 300000 ms');
      },
      formatDate: (d: Date) => d.toISOString(),
      getUuid: () => `uuid-${env.counts.get('Utilities.getUuid') + 1}`,
      newBlob: (data: string) => ({
        getBytes: () => [...Buffer.from(data, 'utf8')].map((b) => (b > 127 ? b - 256 : b)),
      }),
      base64Encode: (data: string) => Buffer.from(data, 'utf8').toString('base64'),
    },
    ScriptApp: {
      AuthMode: { NONE: 'NONE', LIMITED: 'LIMITED', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', FULL: 'FULL' },
      getOAuthToken: () => {
        env.requireAuth('ScriptApp.getOAuthToken', 'https://www.googleapis.com/auth/script.external_request');
        return 'token';
      },
    },
    MailApp: {
      sendEmail: () => {
        env.requireAuth('MailApp.sendEmail', 'https://www.googleapis.com/auth/script.send_mail');
        throw new AppsScriptError("MailApp is not in this add-on's scopes");
      },
    },
    UrlFetchApp: {
      fetch: () => {
        env.requireAuth('UrlFetchApp.fetch', 'https://www.googleapis.com/auth/script.external_request');
        throw new AppsScriptError("UrlFetchApp is not in this add-on's scopes");
      },
    },
    Charts: { ChartType: CHART_TYPES },
    CacheService: {
      getDocumentCache: () => (env.hit('CacheService.getDocumentCache'), env.documentCache),
    },
    Logger: { log: (...a: unknown[]) => void env.logs.push(a.map(String).join(' ')) },
    console: {
      log: (...a: unknown[]) => void env.logs.push(a.map(String).join(' ')),
      error: (...a: unknown[]) => void env.logs.push(a.map(String).join(' ')),
      warn: (...a: unknown[]) => void env.logs.push(a.map(String).join(' ')),
      info: (...a: unknown[]) => void env.logs.push(a.map(String).join(' ')),
    },
  };
  if (env.advancedSheets) g['Sheets'] = new FakeSheetsApi(env);
  return g;
}

class FakeUserObj {
  constructor(private readonly email: string) {}
  getEmail(): string {
    return this.email;
  }
}

// ---- SpreadsheetApp --------------------------------------------------------------------------

export class FakeSpreadsheetApp {
  readonly ProtectionType = { RANGE: 'RANGE', SHEET: 'SHEET' } as const;
  readonly AutoFillSeries = {};
  constructor(private readonly env: FakeEnv) {}
  getActive(): FakeSpreadsheet {
    this.env.hit('SpreadsheetApp.getActive');
    return this.env.spreadsheet;
  }
  getActiveSpreadsheet(): FakeSpreadsheet {
    this.env.hit('SpreadsheetApp.getActiveSpreadsheet');
    return this.env.spreadsheet;
  }
  getUi(): FakeUi {
    this.env.hit('SpreadsheetApp.getUi');
    return this.env.ui;
  }
  flush(): void {
    this.env.hit('SpreadsheetApp.flush');
  }
  newDataValidation(): FakeValidationBuilder {
    return new FakeValidationBuilder();
  }
  openById(_id: string): never {
    this.env.hit('SpreadsheetApp.openById');
    this.env.requireAuth('SpreadsheetApp.openById', 'https://www.googleapis.com/auth/spreadsheets');
    throw new AppsScriptError(
      'You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
  }
}

export class FakeValidationBuilder {
  source: FakeRange | null = null;
  values: string[] | null = null;
  number: { min: number; max: number } | null = null;
  helpText = '';
  showDropdown = false;
  /** Apps Script's default for a new rule is true (show a warning, keep the value). */
  allowInvalid = true;
  requireValueInRange(range: FakeRange, showDropdown = true): FakeValidationBuilder {
    this.source = range;
    this.showDropdown = showDropdown;
    return this;
  }
  requireValueInList(values: string[], showDropdown = true): FakeValidationBuilder {
    // Sheets refuses a list without items.
    if (!Array.isArray(values) || values.length === 0)
      throw new Error(
        "Exception: The parameters (number[]) don't match the method signature for DataValidationBuilder.requireValueInList.",
      );
    this.values = values.map(String);
    this.showDropdown = showDropdown;
    return this;
  }
  requireNumberBetween(start: number, end: number): FakeValidationBuilder {
    if (
      typeof start !== 'number' ||
      typeof end !== 'number' ||
      !Number.isFinite(start) ||
      !Number.isFinite(end)
    )
      throw new Error(
        "Exception: The parameters don't match the method signature for DataValidationBuilder.requireNumberBetween.",
      );
    this.number = { min: Math.min(start, end), max: Math.max(start, end) };
    return this;
  }
  setHelpText(text: string): FakeValidationBuilder {
    this.helpText = text;
    return this;
  }
  setAllowInvalid(allow: boolean): FakeValidationBuilder {
    this.allowInvalid = allow;
    return this;
  }
  build(): FakeValidationRule {
    const criteria = [this.source, this.values, this.number].filter((x) => x !== null).length;
    if (criteria !== 1) throw new Error('Exception: A data validation rule needs exactly one criterion.');
    return {
      source: this.source?.getA1Notation() ?? '',
      sheet: this.source?.sheet.name ?? '',
      ...(this.values ? { values: this.values } : {}),
      ...(this.number ? { number: this.number } : {}),
      helpText: this.helpText,
      allowInvalid: this.allowInvalid,
    };
  }
}

/** A built rule as the fake keeps it. */
export interface FakeValidationRule {
  readonly source: string;
  readonly sheet: string;
  readonly values?: readonly string[];
  readonly number?: { readonly min: number; readonly max: number };
  readonly helpText: string;
  readonly allowInvalid: boolean;
}

export class FakeSpreadsheet {
  readonly sheets: FakeSheet[] = [];
  /** Chart ids are unique across the spreadsheet. */
  nextChartId = 1_000_001;
  activeSheet: FakeSheet | null = null;
  activeRange: FakeRange | null = null;
  constructor(private readonly env: FakeEnv) {}
  getId(): string {
    this.env.hit('Spreadsheet.getId');
    return 'fake-spreadsheet-id';
  }
  getName(): string {
    return 'District Budget FY2027';
  }
  getSheets(): FakeSheet[] {
    this.env.hit('Spreadsheet.getSheets');
    return [...this.sheets];
  }
  getSheetByName(name: string): FakeSheet | null {
    this.env.hit('Spreadsheet.getSheetByName');
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  insertSheet(name: string, index?: number): FakeSheet {
    this.env.hit('Spreadsheet.insertSheet');
    if (this.sheets.some((s) => s.name === name))
      throw new AppsScriptError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    const s = new FakeSheet(this.env, this, name);
    if (index === undefined) this.sheets.push(s);
    else this.sheets.splice(index, 0, s);
    return s;
  }
  deleteSheet(sheet: FakeSheet): void {
    this.env.hit('Spreadsheet.deleteSheet');
    const i = this.sheets.indexOf(sheet);
    if (i >= 0) this.sheets.splice(i, 1);
  }
  getActiveSheet(): FakeSheet {
    this.env.hit('Spreadsheet.getActiveSheet');
    return this.activeSheet ?? (this.sheets[0] as FakeSheet);
  }
  setActiveSheet(sheet: FakeSheet): FakeSheet {
    this.env.hit('Spreadsheet.setActiveSheet');
    this.activeSheet = sheet;
    return sheet;
  }
  getActiveRange(): FakeRange | null {
    return this.activeRange;
  }
  toast(msg: string): void {
    this.env.hit('Spreadsheet.toast');
    this.env.toasts.push(msg);
  }
  getUrl(): string {
    return 'https://docs.google.com/spreadsheets/d/fake-spreadsheet-id/edit';
  }

  // ---- for tests, uncounted ----
  /** Adds a sheet, or replaces a sheet's values, as a user would type or import them. */
  load(name: string, rows: readonly (readonly FakeValue[])[]): FakeSheet {
    let s = this.sheets.find((x) => x.name === name);
    if (!s) {
      s = new FakeSheet(this.env, this, name);
      this.sheets.push(s);
    }
    s.values = [];
    s.loadRaw(rows);
    return s;
  }
  sheet(name: string): FakeSheet {
    const s = this.sheets.find((x) => x.name === name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }
}

interface SheetProtection {
  description: string;
  editors: string[];
  warningOnly: boolean;
  domainEdit: boolean;
  removed: boolean;
}

export class FakeSheet {
  /** values[r][c], 0-based; missing = blank. */
  values: FakeValue[][] = [];
  readonly backgrounds = new Map<string, string>();
  readonly notes = new Map<string, string>();
  readonly formats = new Map<string, string>();
  readonly bold = new Set<string>();
  readonly formulas = new Map<string, string>();
  readonly validations = new Map<string, unknown>();
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  readonly protections: FakeProtection[] = [];
  /** Embedded charts, in the order they were inserted. */
  charts: FakeEmbeddedChart[] = [];

  constructor(
    readonly env: FakeEnv,
    readonly parent: FakeSpreadsheet,
    public name: string,
  ) {}

  getName(): string {
    this.env.hit('Sheet.getName');
    return this.name;
  }
  getParent(): FakeSpreadsheet {
    return this.parent;
  }
  getSheetId(): number {
    return this.parent.sheets.indexOf(this) + 1;
  }
  getMaxRows(): number {
    this.env.hit('Sheet.getMaxRows');
    return this.maxRows;
  }
  getMaxColumns(): number {
    this.env.hit('Sheet.getMaxColumns');
    return this.maxCols;
  }
  getLastRow(): number {
    this.env.hit('Sheet.getLastRow');
    return this.lastRow();
  }
  getLastColumn(): number {
    this.env.hit('Sheet.getLastColumn');
    return this.lastCol();
  }
  getDataRange(): FakeRange {
    this.env.hit('Sheet.getDataRange');
    return new FakeRange(this.env, this, 1, 1, Math.max(1, this.lastRow()), Math.max(1, this.lastCol()));
  }
  insertRowsAfter(after: number, how: number): FakeSheet {
    this.env.hit('Sheet.insertRowsAfter');
    if (after !== this.maxRows) this.values.splice(after, 0, ...Array.from({ length: how }, () => []));
    this.maxRows += how;
    return this;
  }
  insertColumnsAfter(_after: number, how: number): FakeSheet {
    this.env.hit('Sheet.insertColumnsAfter');
    this.maxCols += how;
    return this;
  }
  getRange(a: string | number, col?: number, rows?: number, cols?: number): FakeRange {
    this.env.hit('Sheet.getRange');
    if (typeof a === 'string') {
      const p = parseRangeA1(a, this.maxRows, this.maxCols);
      return new FakeRange(this.env, this, p.row, p.col, p.rows, p.cols);
    }
    return new FakeRange(this.env, this, a, col ?? 1, rows ?? 1, cols ?? 1);
  }
  getRangeList(a1s: readonly string[]): FakeRangeList {
    this.env.hit('Sheet.getRangeList');
    return new FakeRangeList(
      this.env,
      a1s.map((a) => {
        const p = parseRangeA1(a, this.maxRows, this.maxCols);
        return new FakeRange(this.env, this, p.row, p.col, p.rows, p.cols, true, false);
      }),
    );
  }
  setFrozenRows(n: number): void {
    this.env.hit('Sheet.setFrozenRows');
    this.frozenRows = n;
  }
  getFrozenRows(): number {
    return this.frozenRows;
  }
  clear(): FakeSheet {
    this.env.hit('Sheet.clear');
    this.values = [];
    this.backgrounds.clear();
    this.notes.clear();
    this.formats.clear();
    this.bold.clear();
    this.formulas.clear();
    return this;
  }
  clearContents(): FakeSheet {
    this.env.hit('Sheet.clearContents');
    this.values = [];
    this.formulas.clear();
    return this;
  }
  /**
   * Google's rules (Range/Sheet.protect): an existing protection is returned as it is; a new one
   * starts with the spreadsheet's own editors (its owner, everyone it is shared with to edit, the
   * person running the script) and domain edit on, so it protects nothing until the script changes
   * its editors.
   */
  protect(): FakeProtection {
    this.env.hit('Sheet.protect');
    const existing = this.protections.find((p) => !p.state.removed);
    if (existing) return existing;
    const p = new FakeProtection(this.env, {
      description: '',
      editors: [...new Set([this.env.owner, ...this.env.fileEditors, this.env.userEmail])],
      warningOnly: false,
      domainEdit: true,
      removed: false,
    });
    this.protections.push(p);
    return p;
  }
  getProtections(type: string): FakeProtection[] {
    this.env.hit('Sheet.getProtections');
    return type === 'SHEET' ? this.protections.filter((p) => !p.state.removed) : [];
  }
  activate(): FakeSheet {
    this.env.hit('Sheet.activate');
    this.parent.activeSheet = this;
    return this;
  }
  setName(name: string): FakeSheet {
    this.name = name;
    return this;
  }
  newChart(): FakeChartBuilder {
    this.env.hit('Sheet.newChart');
    return new FakeChartBuilder(this, null);
  }
  insertChart(chart: FakeEmbeddedChart): void {
    this.env.hit('Sheet.insertChart');
    if (!(chart instanceof FakeEmbeddedChart) || chart.spec.sheet !== this)
      throw new AppsScriptError('Invalid argument: chart');
    if (chart.id !== null) throw new AppsScriptError('The chart is already in the spreadsheet.');
    // The sheet holds its own chart with a new id; the caller's built object stays id-less.
    this.charts.push(new FakeEmbeddedChart(this.env, { ...chart.spec }, this.parent.nextChartId++));
  }
  updateChart(chart: FakeEmbeddedChart): void {
    this.env.hit('Sheet.updateChart');
    const i = this.charts.findIndex((c) => c.id !== null && c.id === chart.id);
    if (i < 0)
      throw new AppsScriptError('The chart does not exist on this sheet. Use insertChart to add it.');
    this.charts[i] = new FakeEmbeddedChart(this.env, { ...chart.spec }, chart.id);
  }
  removeChart(chart: FakeEmbeddedChart): void {
    this.env.hit('Sheet.removeChart');
    const i = this.charts.findIndex((c) => c.id !== null && c.id === chart.id);
    if (i < 0) throw new AppsScriptError('The chart does not exist on this sheet.');
    this.charts.splice(i, 1);
  }
  getCharts(): FakeEmbeddedChart[] {
    this.env.hit('Sheet.getCharts');
    return [...this.charts];
  }

  // ---- internals and test helpers (uncounted) ----
  lastRow(): number {
    for (let r = this.values.length - 1; r >= 0; r--) {
      const row = this.values[r];
      if (row && row.some((v) => v !== '' && v !== undefined)) return r + 1;
    }
    return 0;
  }
  lastCol(): number {
    let w = 0;
    for (const row of this.values) {
      if (!row) continue;
      for (let c = row.length - 1; c >= w; c--)
        if (row[c] !== '' && row[c] !== undefined) {
          w = c + 1;
          break;
        }
    }
    return w;
  }
  /** Puts raw values (no parsing), growing the grid: a test's way of typing into the sheet. */
  loadRaw(rows: readonly (readonly FakeValue[])[], at = { row: 1, col: 1 }): void {
    rows.forEach((row, i) => {
      const r = at.row - 1 + i;
      const target = (this.values[r] ??= []);
      row.forEach((v, j) => {
        target[at.col - 1 + j] = v;
      });
    });
    this.maxRows = Math.max(this.maxRows, this.lastRow());
    this.maxCols = Math.max(this.maxCols, this.lastCol());
  }
  raw(r: number, c: number): FakeValue {
    return this.values[r - 1]?.[c - 1] ?? '';
  }
  /** A cell's value by A1, as getValues shows it. */
  cell(a1: string): FakeValue {
    const p = parseRangeA1(a1, this.maxRows, this.maxCols);
    return this.raw(p.row, p.col);
  }
  background(a1: string): string | null {
    return this.backgrounds.get(a1.toUpperCase()) ?? null;
  }
  note(a1: string): string {
    return this.notes.get(a1.toUpperCase()) ?? '';
  }
  /** Values A1 to the last used cell, as getValues shows them. */
  grid(): FakeValue[][] {
    const h = this.lastRow();
    const w = this.lastCol();
    return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => this.raw(r + 1, c + 1)));
  }
  isProtected(): boolean {
    return this.protections.some((p) => !p.state.removed);
  }
}

// ---- charts ------------------------------------------------------------------------------------

/** Charts.ChartType: the chart types of the Charts service (the values are their names). */
export const CHART_TYPES = Object.freeze(
  Object.fromEntries(
    [
      'AREA',
      'BAR',
      'BUBBLE',
      'CANDLESTICK',
      'COLUMN',
      'COMBO',
      'GAUGE',
      'GEO',
      'HISTOGRAM',
      'LINE',
      'ORG',
      'PIE',
      'RADAR',
      'SCATTER',
      'SPARKLINE',
      'STEPPED_AREA',
      'TABLE',
      'TIMELINE',
      'TREEMAP',
      'WATERFALL',
    ].map((t) => [t, t]),
  ),
) as Readonly<Record<string, string>>;

export interface FakeChartSpec {
  sheet: FakeSheet;
  type: string | null;
  ranges: { sheet: FakeSheet; a1: string }[];
  /** 1-based anchor row and column, offsets in pixels. */
  position: { row: number; col: number; offsetX: number; offsetY: number } | null;
  options: Record<string, unknown>;
  numHeaders: number;
}

export class FakeChartBuilder {
  private readonly spec: FakeChartSpec;
  constructor(
    sheet: FakeSheet,
    private readonly from: FakeEmbeddedChart | null,
  ) {
    this.spec = from
      ? { ...from.spec, ranges: [...from.spec.ranges], options: { ...from.spec.options } }
      : { sheet, type: null, ranges: [], position: null, options: {}, numHeaders: -1 };
  }
  setChartType(type: string): FakeChartBuilder {
    if (typeof type !== 'string' || CHART_TYPES[type] !== type)
      throw new AppsScriptError('Invalid argument: type');
    this.spec.type = type;
    return this;
  }
  getChartType(): string | null {
    return this.spec.type;
  }
  addRange(range: FakeRange): FakeChartBuilder {
    if (!(range instanceof FakeRange)) throw new AppsScriptError('Invalid argument: range');
    this.spec.ranges.push({ sheet: range.sheet, a1: range.getA1Notation() });
    return this;
  }
  clearRanges(): FakeChartBuilder {
    this.spec.ranges = [];
    return this;
  }
  getRanges(): { sheet: FakeSheet; a1: string }[] {
    return [...this.spec.ranges];
  }
  setPosition(
    anchorRowPos: number,
    anchorColPos: number,
    offsetX: number,
    offsetY: number,
  ): FakeChartBuilder {
    const s = this.spec.sheet;
    if (
      !Number.isInteger(anchorRowPos) ||
      !Number.isInteger(anchorColPos) ||
      anchorRowPos < 1 ||
      anchorColPos < 1 ||
      anchorRowPos > s.maxRows ||
      anchorColPos > s.maxCols
    )
      throw new AppsScriptError('The coordinates of the range are outside the dimensions of the sheet.');
    this.spec.position = { row: anchorRowPos, col: anchorColPos, offsetX, offsetY };
    return this;
  }
  setOption(option: string, value: unknown): FakeChartBuilder {
    this.spec.options[option] = value;
    return this;
  }
  setNumHeaders(headers: number): FakeChartBuilder {
    this.spec.numHeaders = headers;
    return this;
  }
  build(): FakeEmbeddedChart {
    if (this.spec.type === null) throw new AppsScriptError('The chart type must be set.');
    if (this.spec.ranges.length === 0)
      throw new AppsScriptError('The chart needs at least one range of data.');
    return new FakeEmbeddedChart(this.spec.sheet.env, { ...this.spec }, this.from?.id ?? null);
  }
}

export class FakeEmbeddedChart {
  constructor(
    private readonly env: FakeEnv,
    readonly spec: FakeChartSpec,
    readonly id: number | null,
  ) {}
  getChartId(): number | null {
    this.env.hit('EmbeddedChart.getChartId');
    return this.id;
  }
  getOptions(): { get(option: string): unknown } {
    this.env.hit('EmbeddedChart.getOptions');
    const options = { ...this.spec.options };
    return { get: (option: string) => options[option] ?? null };
  }
  getRanges(): FakeRange[] {
    this.env.hit('EmbeddedChart.getRanges');
    return this.spec.ranges.map((r) => r.sheet.getRange(r.a1));
  }
  getContainerInfo(): {
    getAnchorRow(): number;
    getAnchorColumn(): number;
    getOffsetX(): number;
    getOffsetY(): number;
  } {
    const p = this.spec.position ?? { row: 1, col: 1, offsetX: 0, offsetY: 0 };
    return {
      getAnchorRow: () => p.row,
      getAnchorColumn: () => p.col,
      getOffsetX: () => p.offsetX,
      getOffsetY: () => p.offsetY,
    };
  }
  getNumHeaders(): number {
    return this.spec.numHeaders;
  }
  modify(): FakeChartBuilder {
    this.env.hit('EmbeddedChart.modify');
    return new FakeChartBuilder(this.spec.sheet, this);
  }
}

/**
 * A protection, with Google's rules for changing it: only its editors (and the spreadsheet's owner)
 * may change or remove it, else the call throws; removeEditors never removes the owner or the person
 * running the script (Protection.removeEditors: "Neither the owner of the spreadsheet nor the current
 * user can be removed"), it leaves them silently.
 */
export class FakeProtection {
  constructor(
    private readonly env: FakeEnv,
    readonly state: SheetProtection,
  ) {}
  private mayChange(method: string): void {
    this.env.hit(method);
    const me = this.env.userEmail;
    if (me !== this.env.owner && !this.state.editors.includes(me))
      throw new AppsScriptError(
        'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
      );
  }
  setDescription(d: string): FakeProtection {
    this.mayChange('Protection.setDescription');
    this.state.description = d;
    return this;
  }
  getDescription(): string {
    return this.state.description;
  }
  remove(): void {
    this.mayChange('Protection.remove');
    this.state.removed = true;
  }
  getEditors(): FakeUserObj[] {
    this.env.hit('Protection.getEditors');
    return this.state.editors.map((e) => new FakeUserObj(e));
  }
  addEditor(user: string | FakeUserObj): FakeProtection {
    this.mayChange('Protection.addEditor');
    const email = typeof user === 'string' ? user : user.getEmail();
    if (!this.state.editors.includes(email)) this.state.editors.push(email);
    return this;
  }
  addEditors(emails: readonly string[]): FakeProtection {
    this.mayChange('Protection.addEditors');
    for (const e of emails) if (!this.state.editors.includes(e)) this.state.editors.push(e);
    return this;
  }
  removeEditors(emails: readonly (string | FakeUserObj)[]): FakeProtection {
    this.mayChange('Protection.removeEditors');
    const out = new Set(emails.map((e) => (typeof e === 'string' ? e : e.getEmail())));
    this.state.editors = this.state.editors.filter(
      (e) => !out.has(e) || e === this.env.userEmail || e === this.env.owner,
    );
    return this;
  }
  setWarningOnly(w: boolean): FakeProtection {
    this.mayChange('Protection.setWarningOnly');
    this.state.warningOnly = w;
    return this;
  }
  isWarningOnly(): boolean {
    return this.state.warningOnly;
  }
  canDomainEdit(): boolean {
    return this.state.domainEdit;
  }
  setDomainEdit(e: boolean): FakeProtection {
    this.mayChange('Protection.setDomainEdit');
    this.state.domainEdit = e;
    return this;
  }
  /** Test inspection: who may edit the protected sheet now. */
  editors(): string[] {
    return [...this.state.editors].sort();
  }
}

type Grid2<T> = readonly (readonly T[])[];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/;

/** How Sheets reads a string a script writes with setValues (like a user typing it). */
function parseTyped(v: string, format: string | undefined): { value: FakeValue; formula?: string } {
  if (format === '@') return { value: v };
  if (v.startsWith("'")) return { value: v.slice(1) };
  if (v.startsWith('=') && v.length > 1) return { value: '', formula: v };
  const t = v.trim();
  if (NUMBER.test(t.replace(/,/g, ''))) return { value: Number(t.replace(/,/g, '')) };
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const d = DATE.exec(t);
  if (d) {
    const date = d[1]
      ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])))
      : new Date(Date.UTC(d[6] ? Number(d[6]) : new Date().getUTCFullYear(), Number(d[4]) - 1, Number(d[5])));
    return { value: date };
  }
  return { value: v };
}

export class FakeRange {
  constructor(
    private readonly env: FakeEnv,
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly col: number,
    readonly rows: number,
    readonly cols: number,
    check = true,
    /** False for the ranges inside a RangeList: the list's call is the one service call. */
    private readonly counted = true,
  ) {
    if (check) this.check();
  }

  private hit(name: string): void {
    if (this.counted) this.env.hit(name);
  }

  private check(): void {
    if (this.rows < 1) throw new AppsScriptError('The number of rows in the range must be at least 1.');
    if (this.cols < 1) throw new AppsScriptError('The number of columns in the range must be at least 1.');
    if (
      this.row < 1 ||
      this.col < 1 ||
      this.row + this.rows - 1 > this.sheet.maxRows ||
      this.col + this.cols - 1 > this.sheet.maxCols
    )
      throw new AppsScriptError('The coordinates of the range are outside the dimensions of the sheet.');
  }

  private shape(what: string, data: Grid2<unknown>): void {
    if (!Array.isArray(data) || data.length !== this.rows)
      throw new AppsScriptError(
        `The number of rows in the data does not match the number of rows in the range. The data has ${Array.isArray(data) ? data.length : 0} but the range has ${this.rows}.`,
      );
    for (const r of data)
      if (!Array.isArray(r) || r.length !== this.cols)
        throw new AppsScriptError(
          `The number of columns in the data does not match the number of columns in the range. The data has ${Array.isArray(r) ? r.length : 0} but the range has ${this.cols}.`,
        );
    void what;
  }

  private key(r: number, c: number): string {
    return `${colLetters(this.col + c)}${this.row + r}`;
  }

  getSheet(): FakeSheet {
    return this.sheet;
  }
  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.col;
  }
  getNumRows(): number {
    return this.rows;
  }
  getNumColumns(): number {
    return this.cols;
  }
  getLastRow(): number {
    return this.row + this.rows - 1;
  }
  getLastColumn(): number {
    return this.col + this.cols - 1;
  }
  getA1Notation(): string {
    const tl = `${colLetters(this.col)}${this.row}`;
    if (this.rows === 1 && this.cols === 1) return tl;
    return `${tl}:${colLetters(this.col + this.cols - 1)}${this.row + this.rows - 1}`;
  }
  getValues(): FakeValue[][] {
    this.hit('Range.getValues');
    return this.readValues();
  }
  private readValues(): FakeValue[][] {
    const out: FakeValue[][] = new Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      const src = this.sheet.values[this.row - 1 + r];
      const row: FakeValue[] = new Array(this.cols);
      for (let c = 0; c < this.cols; c++) {
        const v = src?.[this.col - 1 + c];
        row[c] = v === undefined ? '' : v instanceof Date ? new Date(v.getTime()) : v;
      }
      out[r] = row;
    }
    return out;
  }
  getValue(): FakeValue {
    this.hit('Range.getValue');
    return this.sheet.raw(this.row, this.col);
  }
  getDisplayValues(): string[][] {
    this.hit('Range.getDisplayValues');
    return this.readValues().map((r) =>
      r.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))),
    );
  }
  setValues(data: Grid2<FakeValue | null | undefined>): FakeRange {
    this.hit('Range.setValues');
    return this.writeValues(data);
  }
  private writeValues(data: Grid2<FakeValue | null | undefined>): FakeRange {
    this.shape('values', data);
    for (let r = 0; r < this.rows; r++) {
      const ri = this.row - 1 + r;
      const target = (this.sheet.values[ri] ??= []);
      const src = data[r] as readonly (FakeValue | null | undefined)[];
      for (let c = 0; c < this.cols; c++) {
        let v = src[c];
        if (v === null || v === undefined) v = '';
        const k = this.key(r, c);
        if (typeof v === 'string') {
          const p = parseTyped(v, this.sheet.formats.get(k));
          target[this.col - 1 + c] = p.value;
          if (p.formula !== undefined) this.sheet.formulas.set(k, p.formula);
          else this.sheet.formulas.delete(k);
        } else {
          if (typeof v === 'number' && !Number.isFinite(v))
            throw new AppsScriptError('Invalid argument: value must be a finite number');
          target[this.col - 1 + c] = v;
          this.sheet.formulas.delete(k);
        }
      }
    }
    return this;
  }
  setValue(v: FakeValue): FakeRange {
    this.hit('Range.setValue');
    new FakeRange(this.env, this.sheet, this.row, this.col, 1, 1, true, false).writeValues([[v]]);
    return this;
  }
  private each(fn: (k: string) => void): void {
    for (let r = 0; r < this.rows; r++) for (let c = 0; c < this.cols; c++) fn(this.key(r, c));
  }
  getBackgrounds(): string[][] {
    this.hit('Range.getBackgrounds');
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from({ length: this.cols }, (_, c) => this.sheet.backgrounds.get(this.key(r, c)) ?? '#ffffff'),
    );
  }
  setBackgrounds(data: Grid2<string | null>): FakeRange {
    this.hit('Range.setBackgrounds');
    this.shape('backgrounds', data);
    data.forEach((row, r) =>
      row.forEach((v, c) => {
        const k = this.key(r, c);
        if (v === null || v === '' || v.toLowerCase() === '#ffffff') this.sheet.backgrounds.delete(k);
        else this.sheet.backgrounds.set(k, v.toLowerCase());
      }),
    );
    return this;
  }
  setBackground(color: string | null): FakeRange {
    this.hit('Range.setBackground');
    this.each((k) => {
      if (color === null || color.toLowerCase() === '#ffffff') this.sheet.backgrounds.delete(k);
      else this.sheet.backgrounds.set(k, color.toLowerCase());
    });
    return this;
  }
  getNotes(): string[][] {
    this.hit('Range.getNotes');
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from({ length: this.cols }, (_, c) => this.sheet.notes.get(this.key(r, c)) ?? ''),
    );
  }
  setNotes(data: Grid2<string | null>): FakeRange {
    this.hit('Range.setNotes');
    this.shape('notes', data);
    data.forEach((row, r) =>
      row.forEach((v, c) => {
        const k = this.key(r, c);
        if (v === null || v === '') this.sheet.notes.delete(k);
        else this.sheet.notes.set(k, String(v));
      }),
    );
    return this;
  }
  setNote(note: string | null): FakeRange {
    this.hit('Range.setNote');
    this.each((k) => (note ? this.sheet.notes.set(k, note) : this.sheet.notes.delete(k)));
    return this;
  }
  setNumberFormats(data: Grid2<string>): FakeRange {
    this.hit('Range.setNumberFormats');
    this.shape('formats', data);
    data.forEach((row, r) => row.forEach((v, c) => this.sheet.formats.set(this.key(r, c), v)));
    return this;
  }
  setNumberFormat(f: string): FakeRange {
    this.hit('Range.setNumberFormat');
    this.each((k) => this.sheet.formats.set(k, f));
    return this;
  }
  setFontWeight(w: string | null): FakeRange {
    this.hit('Range.setFontWeight');
    this.each((k) => (w === 'bold' ? this.sheet.bold.add(k) : this.sheet.bold.delete(k)));
    return this;
  }
  setDataValidation(rule: unknown): FakeRange {
    this.hit('Range.setDataValidation');
    this.sheet.validations.set(this.getA1Notation(), rule);
    return this;
  }
  clearContent(): FakeRange {
    this.hit('Range.clearContent');
    for (let r = 0; r < this.rows; r++) {
      const row = this.sheet.values[this.row - 1 + r];
      if (!row) continue;
      for (let c = 0; c < this.cols; c++) row[this.col - 1 + c] = '';
    }
    return this;
  }
  activate(): FakeRange {
    this.hit('Range.activate');
    this.sheet.parent.activeSheet = this.sheet;
    this.sheet.parent.activeRange = this;
    return this;
  }
}

export class FakeRangeList {
  constructor(
    private readonly env: FakeEnv,
    private readonly ranges: FakeRange[],
  ) {}
  getRanges(): FakeRange[] {
    return [...this.ranges];
  }
  setBackground(color: string | null): FakeRangeList {
    this.env.hit('RangeList.setBackground');
    this.ranges.forEach((r) => r.setBackground(color));
    return this;
  }
  setNote(note: string | null): FakeRangeList {
    this.env.hit('RangeList.setNote');
    this.ranges.forEach((r) => r.setNote(note));
    return this;
  }
  setFontWeight(w: string | null): FakeRangeList {
    this.env.hit('RangeList.setFontWeight');
    this.ranges.forEach((r) => r.setFontWeight(w));
    return this;
  }
  setNumberFormat(f: string): FakeRangeList {
    this.env.hit('RangeList.setNumberFormat');
    this.ranges.forEach((r) => r.setNumberFormat(f));
    return this;
  }
  clearContent(): FakeRangeList {
    this.env.hit('RangeList.clearContent');
    this.ranges.forEach((r) => r.clearContent());
    return this;
  }
}

// ---- Ui, menus, HtmlService ------------------------------------------------------------------

export interface MenuItem {
  readonly caption: string;
  readonly functionName: string;
}

export class FakeMenu {
  readonly items: (MenuItem | 'separator')[] = [];
  constructor(
    private readonly env: FakeEnv,
    readonly title: string,
  ) {}
  addItem(caption: string, functionName: string): FakeMenu {
    this.env.hit('Menu.addItem');
    this.items.push({ caption, functionName });
    return this;
  }
  addSeparator(): FakeMenu {
    this.items.push('separator');
    return this;
  }
  addToUi(): void {
    this.env.hit('Menu.addToUi');
    this.env.ui.menus.push(this);
  }
}

export class FakeHtmlOutput {
  title = '';
  width = 300;
  constructor(readonly content: string) {}
  setTitle(t: string): FakeHtmlOutput {
    this.title = t;
    return this;
  }
  getTitle(): string {
    return this.title;
  }
  setWidth(w: number): FakeHtmlOutput {
    this.width = w;
    return this;
  }
  getContent(): string {
    return this.content;
  }
  setSandboxMode(): FakeHtmlOutput {
    return this;
  }
  setXFrameOptionsMode(): FakeHtmlOutput {
    return this;
  }
}

export class FakeHtmlService {
  readonly SandboxMode = { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' };
  readonly XFrameOptionsMode = { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' };
  constructor(private readonly env: FakeEnv) {}
  createHtmlOutputFromFile(name: string): FakeHtmlOutput {
    this.env.hit('HtmlService.createHtmlOutputFromFile');
    const file = join(this.env.htmlDir, `${name}.html`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new AppsScriptError(`No HTML file named ${name} was found.`);
    }
    return new FakeHtmlOutput(text);
  }
  createHtmlOutput(html = ''): FakeHtmlOutput {
    this.env.hit('HtmlService.createHtmlOutput');
    return new FakeHtmlOutput(html);
  }
}

export class FakeUi {
  readonly menus: FakeMenu[] = [];
  sidebar: FakeHtmlOutput | null = null;
  readonly alerts: string[] = [];
  readonly ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' };
  readonly Button = { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' };
  constructor(private readonly env: FakeEnv) {}
  createAddonMenu(): FakeMenu {
    this.env.hit('Ui.createAddonMenu');
    return new FakeMenu(this.env, 'Budgetline');
  }
  createMenu(title: string): FakeMenu {
    this.env.hit('Ui.createMenu');
    return new FakeMenu(this.env, title);
  }
  showSidebar(output: FakeHtmlOutput): void {
    this.env.hit('Ui.showSidebar');
    this.env.requireAuth('Ui.showSidebar', 'https://www.googleapis.com/auth/script.container.ui');
    this.sidebar = output;
  }
  showModalDialog(output: FakeHtmlOutput): void {
    this.env.hit('Ui.showModalDialog');
    this.env.requireAuth('Ui.showModalDialog', 'https://www.googleapis.com/auth/script.container.ui');
    this.sidebar = output;
  }
  alert(title: string, message?: string): string {
    this.env.hit('Ui.alert');
    this.env.requireAuth('Ui.alert', 'https://www.googleapis.com/auth/script.container.ui');
    this.alerts.push(message === undefined ? title : `${title}: ${message}`);
    return 'OK';
  }
}

// ---- PropertiesService -----------------------------------------------------------------------

const VALUE_LIMIT = 9 * 1024;
const STORE_LIMIT = 500 * 1024;

export class FakeProperties {
  readonly data = new Map<string, string>();
  constructor(
    private readonly env: FakeEnv,
    readonly kind: string,
  ) {}
  private size(next: Map<string, string>): number {
    let n = 0;
    for (const [k, v] of next) n += Buffer.byteLength(k) + Buffer.byteLength(v);
    return n;
  }
  private commit(next: Map<string, string>): void {
    for (const [k, v] of next)
      if (Buffer.byteLength(v) > VALUE_LIMIT) throw new AppsScriptError(`Argument too large: value (${k})`);
    if (this.size(next) > STORE_LIMIT)
      throw new AppsScriptError(
        'You have exceeded the property storage quota. Please remove some properties and try again.',
      );
    this.data.clear();
    for (const [k, v] of next) this.data.set(k, v);
  }
  getProperty(key: string): string | null {
    this.env.hit('Properties.getProperty');
    return this.data.get(key) ?? null;
  }
  getProperties(): Record<string, string> {
    this.env.hit('Properties.getProperties');
    return Object.fromEntries(this.data);
  }
  getKeys(): string[] {
    this.env.hit('Properties.getKeys');
    return [...this.data.keys()];
  }
  setProperty(key: string, value: string): FakeProperties {
    this.env.hit('Properties.setProperty');
    const next = new Map(this.data);
    next.set(key, String(value));
    this.commit(next);
    return this;
  }
  setProperties(props: Record<string, string>, deleteAllOthers = false): FakeProperties {
    this.env.hit('Properties.setProperties');
    const next = deleteAllOthers ? new Map<string, string>() : new Map(this.data);
    for (const [k, v] of Object.entries(props)) next.set(k, String(v));
    this.commit(next);
    return this;
  }
  deleteProperty(key: string): FakeProperties {
    this.env.hit('Properties.deleteProperty');
    this.data.delete(key);
    return this;
  }
  deleteAllProperties(): FakeProperties {
    this.env.hit('Properties.deleteAllProperties');
    this.data.clear();
    return this;
  }
}

// ---- CacheService ----------------------------------------------------------------------------

export class FakeCache {
  readonly data = new Map<string, string>();
  constructor(private readonly env: FakeEnv) {}
  put(key: string, value: string, _seconds?: number): void {
    this.env.hit('Cache.put');
    if (Buffer.byteLength(value) > 100 * 1024) throw new AppsScriptError('Argument too large: value');
    this.data.set(key, value);
  }
  get(key: string): string | null {
    this.env.hit('Cache.get');
    return this.data.get(key) ?? null;
  }
  remove(key: string): void {
    this.env.hit('Cache.remove');
    this.data.delete(key);
  }
}

// ---- LockService -----------------------------------------------------------------------------

export interface FakeLockState {
  /** The execution holding the lock, or null. */
  holder: number | null;
}

export class FakeLock {
  private mine = false;
  constructor(
    private readonly env: FakeEnv,
    private readonly state: FakeLockState,
  ) {}
  tryLock(_ms: number): boolean {
    this.env.hit('Lock.tryLock');
    if (this.state.holder === null || this.state.holder === this.env.execution) {
      this.state.holder = this.env.execution;
      this.mine = true;
      return true;
    }
    return false;
  }
  waitLock(ms: number): void {
    this.env.hit('Lock.waitLock');
    if (!this.tryLock(ms))
      throw new AppsScriptError('Lock timeout: another process was holding the lock for too long.');
  }
  hasLock(): boolean {
    return this.mine && this.state.holder === this.env.execution;
  }
  releaseLock(): void {
    this.env.hit('Lock.releaseLock');
    if (this.hasLock()) this.state.holder = null;
    this.mine = false;
  }
}

// ---- the Sheets advanced service -------------------------------------------------------------

export class FakeSheetsApi {
  readonly Spreadsheets: { Values: { batchGet: (id: string, args: { ranges: string[] }) => unknown } };
  constructor(env: FakeEnv) {
    this.Spreadsheets = {
      Values: {
        batchGet: (id: string, args: { ranges: string[]; valueRenderOption?: string }) => {
          env.hit('Sheets.Spreadsheets.Values.batchGet');
          env.requireAuth(
            'Sheets.Spreadsheets.Values.batchGet',
            'https://www.googleapis.com/auth/spreadsheets',
          );
          if (id !== 'fake-spreadsheet-id') throw new AppsScriptError('Requested entity was not found.');
          return {
            spreadsheetId: id,
            valueRanges: args.ranges.map((a) => {
              const bang = a.lastIndexOf('!');
              const name = (bang < 0 ? a : a.slice(0, bang)).replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
              const sheet = env.spreadsheet.sheets.find((s) => s.name === name);
              if (!sheet) throw new AppsScriptError(`Unable to parse range: ${a}`);
              const p =
                bang < 0
                  ? { row: 1, col: 1, rows: sheet.maxRows, cols: sheet.maxCols }
                  : parseRangeA1(a.slice(bang + 1), sheet.maxRows, sheet.maxCols);
              const rows: (string | number | boolean)[][] = [];
              for (let r = 0; r < p.rows; r++) {
                const row: (string | number | boolean)[] = [];
                for (let c = 0; c < p.cols; c++) {
                  const v = sheet.raw(p.row + r, p.col + c);
                  row.push(v instanceof Date ? v.toISOString().slice(0, 10) : v);
                }
                while (row.length && row[row.length - 1] === '') row.pop(); // ragged, like the API
                rows.push(row);
              }
              while (rows.length && (rows[rows.length - 1] as unknown[]).length === 0) rows.pop();
              return { range: a, majorDimension: 'ROWS', ...(rows.length ? { values: rows } : {}) };
            }),
          };
        },
      },
    };
  }
}
