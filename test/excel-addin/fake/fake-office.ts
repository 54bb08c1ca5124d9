/**
 * A fake of the Office.js subset Budgetline uses (Excel.run, RequestContext.sync, worksheets,
 * ranges, notes, protection, data validation, events, Office.context.document.settings,
 * Office.actions, Office.onReady, OfficeRuntime.auth), faithful where add-in bugs hide:
 *
 * - Proxies and batches: every call queues a command; nothing happens until `context.sync()`.
 *   Reading a property that was not loaded *and* synced throws PropertyNotLoaded, as office.js does.
 * - A values / numberFormat array whose shape does not match the range fails the sync with
 *   InvalidArgument; `undefined` inside a values array too; `null` leaves a cell unchanged (Excel's
 *   rule, not "clear"). Commands before the failing one stay applied (batches are not transactions).
 * - Strings are coerced the way Excel coerces typed input: "001" → 1, "TRUE" → true, "6/1" → a
 *   date serial, "=1+1" → a formula, unless the cell's format is text ("@") or the string starts
 *   with an apostrophe (stripped).
 * - getItem on a missing sheet fails the sync with ItemNotFound; *OrNullObject gives a null object
 *   whose methods do nothing; add() of an existing name fails with ItemAlreadyExists.
 * - A protected sheet refuses values, formats, notes and validation (AccessDenied); protect() on a
 *   protected sheet fails (InvalidOperation). notes.add on a cell with a note fails.
 * - Loading the values of more than 5,000,000 cells fails with ResponsePayloadSizeLimitExceeded.
 * - Charts (worksheet.charts): add() with a chart type Excel does not have, or a source range that is
 *   not cells of a sheet, fails with InvalidArgument; a chart on a protected sheet (added, moved,
 *   renamed, retitled or deleted) with AccessDenied; getItem of a missing chart with ItemNotFound.
 * - Page layout (worksheet.pageLayout, ExcelApi 1.9): an unknown orientation, a zoom mixing a scale
 *   with fit-to-pages (or a scale outside 10–400), print title rows that are not whole rows, a header
 *   or footer longer than 255 characters, all fail with InvalidArgument.
 * - Syncs (round trips) are counted; events carry WorksheetChangedEventArgs and fire for the
 *   add-in's own writes too (triggerSource "ThisLocalAddin"), after the sync that made them.
 * - An API level (`excelApi`: 1.9 … 1.18, as Excel 2021 has 1.14 and Excel 2024 1.17): an API newer
 *   than the level fails the sync with ApiNotFound, as an older Excel does with the current office.js
 *   (notes need 1.18, onNameChanged 1.17; before 1.14 events carry no triggerSource).
 *
 * It has no imports so that it can also be transpiled on its own into a plain script and injected
 * into Chromium where office.js would be (see browser.ts).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

export type FakeCellValue = string | number | boolean;

interface CellState {
  v: FakeCellValue;
  formula?: string;
  fmt?: string;
  fill?: string;
  bold?: boolean;
}

export interface SheetModel {
  id: string;
  name: string;
  cells: (CellState | undefined)[][];
  notes: Map<string, string>;
  protected: boolean;
  protectionOptions?: unknown;
  /** Data validation by address; `errorAlert` as the add-in set it (absent: Excel's default, a Stop alert). */
  validations: { address: string; rule: any; errorAlert?: any }[];
  frozenRows: number;
  visible: boolean;
  /** Charts in the order they were added. */
  charts: ChartModel[];
  pageLayout: PageLayoutModel;
  /** Merged areas (Range.merge). Excel makes no table over them and merges no cells in a table. */
  merged?: Rect[];
}

export interface ChartModel {
  id: number;
  name: string;
  type: string;
  title: string;
  /** Where the data is: the source range's sheet and address ("A1:B4"). */
  source: { sheet: string; address: string };
  seriesBy: string;
  /** Top-left and bottom-right cells (setPosition), when placed. */
  start?: string;
  end?: string;
}

export const HEADER_FOOTER_PARTS = [
  'leftHeader',
  'centerHeader',
  'rightHeader',
  'leftFooter',
  'centerFooter',
  'rightFooter',
] as const;

export interface PageLayoutModel {
  orientation: 'Portrait' | 'Landscape';
  zoom: { horizontalFitToPages?: number | null; verticalFitToPages?: number | null; scale?: number | null };
  /** Whole rows ("1:4"), or null. */
  printTitleRows: string | null;
  headerFooterState: string;
  defaultForAllPages: Record<(typeof HEADER_FOOTER_PARTS)[number], string>;
}

/** The chart types Excel knows (Excel.ChartType); add() refuses any other. */
export const CHART_TYPES = new Set([
  'ColumnClustered',
  'ColumnStacked',
  'ColumnStacked100',
  'BarClustered',
  'BarStacked',
  'BarStacked100',
  'Line',
  'LineMarkers',
  'LineStacked',
  'LineStacked100',
  'Pie',
  'PieExploded',
  'Doughnut',
  'Area',
  'AreaStacked',
  'XYScatter',
  'Radar',
  'Waterfall',
  'Treemap',
  'Sunburst',
  'Histogram',
  'Funnel',
]);

export interface FakeStats {
  /** context.sync() calls (round trips), including the one Excel.run makes for pending commands. */
  syncs: number;
  /** Excel.run calls. */
  runs: number;
  /** Commands per sync, in order. */
  commands: number[];
  /** Office.context.document.settings.saveAsync calls. */
  settingsSaves: number;
  /** Excel.run calls whose writes Excel keeps as one undo step (RunOptions.mergeUndoGroup, ExcelApi 1.20). */
  undoGroups: number;
}

export interface FakeOptions {
  /** Sheets in tab order; values as Excel holds them (no coercion). Default: one empty "Sheet1". */
  sheets?: Record<string, FakeCellValue[][]>;
  /**
   * preferred_username of the signed-in user for the legacy single sign-on (Office.auth and
   * OfficeRuntime.auth getAccessToken, IdentityAPI 1.3); null: SSO not configured.
   */
  ssoUser?: string | null;
  /** The tenant (tid) of the legacy SSO token; default FAKE_TENANT. */
  ssoTenant?: string;
  /** The legacy SSO token's audience: the manifest's WebApplicationInfo Resource (default a dev one). */
  ssoResource?: string;
  /**
   * Nested app authentication (NestedAppAuth 1.1): Excel's broker as MSAL sees it, a
   * `window.nestedAppAuthBridge` answering MSAL's GetInitContext / GetToken / GetTokenPopup messages.
   * Absent: this Excel has no NAA (isSetSupported says no, there is no bridge).
   */
  naa?: FakeNaa;
  /**
   * The ExcelApi level of the host, as a minor version (14 = ExcelApi 1.14; default 18): what
   * isSetSupported answers, and APIs newer than it fail the sync with ApiNotFound.
   */
  excelApi?: number;
  /** Settings as saved in the document. */
  settings?: Record<string, unknown>;
  /** Office.context.platform: 'PC' (default), 'Mac', 'OfficeOnline', 'iOS'. */
  platform?: 'PC' | 'Mac' | 'OfficeOnline' | 'iOS';
  /** false: events lack triggerSource, as before ExcelApi 1.14 (default: whether excelApi >= 14). */
  eventTriggerSource?: boolean;
}

export interface FakeNaa {
  /** The account Excel is signed in with (its UPN). */
  user: string;
  /** Its tenant (tid); default FAKE_TENANT (a personal account: CONSUMER tenant 9188040d-…). */
  tenantId?: string;
  /**
   * 'interaction': the silent request needs the user (consent), the popup then succeeds;
   * 'cancel': the silent request needs the user and the user closes the popup.
   */
  fail?: 'interaction' | 'cancel';
}

/** The district's directory in the fakes' tokens. */
export const FAKE_TENANT = 'b7a1c2d3-0000-4000-8000-00000000d15c';

/** What an older Excel answers for an API newer than it, at sync time. */
export const API_NOT_FOUND =
  'The API you are trying to use could not be found. It may be available in a newer version of Excel. Please refer to the documentation on "Excel API requirement sets" for more information.';

export class FakeOfficeError extends Error {
  override name = 'RichApi.Error';
  readonly debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(
    readonly code: string,
    message: string,
    errorLocation?: string,
  ) {
    super(message);
    this.debugInfo = { code, message, ...(errorLocation ? { errorLocation } : {}) };
  }
}

const MAX_ROWS = 1048576;
const MAX_COLS = 16384;
const LOAD_LIMIT = 5_000_000;

// ---- addresses --------------------------------------------------------------------------------

function colLetters(c: number): string {
  let n = c + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export interface Rect {
  r: number;
  c: number;
  rows: number;
  cols: number;
}

/** "A1", "B2:C9", "A:C", "3:7", with an optional sheet prefix (returned separately). */
export function parseAddress(address: string): { sheet?: string; rect: Rect } {
  let a = address.trim();
  let sheet: string | undefined;
  const bang = a.lastIndexOf('!');
  if (bang >= 0) {
    sheet = a
      .slice(0, bang)
      .replace(/^'(.*)'$/, '$1')
      .replace(/''/g, "'");
    a = a.slice(bang + 1);
  }
  const parts = a.replace(/\$/g, '').split(':');
  if (parts.length < 1 || parts.length > 2)
    throw new FakeOfficeError('InvalidArgument', `bad address ${address}`);
  const cell = /^([A-Za-z]{1,3})([0-9]+)$/;
  const col = /^([A-Za-z]{1,3})$/;
  const row = /^([0-9]+)$/;
  const [p, q = parts[0] as string] = parts as [string, string?];
  let m1 = cell.exec(p);
  let m2 = cell.exec(q);
  if (m1 && m2) {
    const r1 = Number(m1[2]) - 1;
    const r2 = Number(m2[2]) - 1;
    const c1 = colIndex(m1[1] as string);
    const c2 = colIndex(m2[1] as string);
    if (r1 < 0 || r2 < 0 || r1 >= MAX_ROWS || r2 >= MAX_ROWS || c1 >= MAX_COLS || c2 >= MAX_COLS)
      throw new FakeOfficeError('InvalidArgument', `bad address ${address}`);
    return {
      ...(sheet !== undefined ? { sheet } : {}),
      rect: {
        r: Math.min(r1, r2),
        c: Math.min(c1, c2),
        rows: Math.abs(r2 - r1) + 1,
        cols: Math.abs(c2 - c1) + 1,
      },
    };
  }
  m1 = col.exec(p);
  m2 = col.exec(q);
  if (m1 && m2 && parts.length === 2) {
    const c1 = colIndex(m1[1] as string);
    const c2 = colIndex(m2[1] as string);
    return {
      ...(sheet !== undefined ? { sheet } : {}),
      rect: { r: 0, c: Math.min(c1, c2), rows: MAX_ROWS, cols: Math.abs(c2 - c1) + 1 },
    };
  }
  m1 = row.exec(p);
  m2 = row.exec(q);
  if (m1 && m2 && parts.length === 2) {
    const r1 = Number(m1[1]) - 1;
    const r2 = Number(m2[1]) - 1;
    return {
      ...(sheet !== undefined ? { sheet } : {}),
      rect: { r: Math.min(r1, r2), c: 0, rows: Math.abs(r2 - r1) + 1, cols: MAX_COLS },
    };
  }
  throw new FakeOfficeError(
    'InvalidArgument',
    `The argument is invalid or missing or has an incorrect format: ${address}`,
  );
}

export function rectAddress(rect: Rect): string {
  if (rect.c === 0 && rect.cols === MAX_COLS) return `${rect.r + 1}:${rect.r + rect.rows}`;
  const a = `${colLetters(rect.c)}${rect.r + 1}`;
  if (rect.rows === 1 && rect.cols === 1) return a;
  return `${a}:${colLetters(rect.c + rect.cols - 1)}${rect.r + rect.rows}`;
}

function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

// ---- Excel's coercion of typed / written input ------------------------------------------------

function dateSerial(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000);
}

/** What Excel stores for a value written into a cell with format `fmt`. */
export function coerce(
  input: FakeCellValue,
  fmt: string | undefined,
): { v: FakeCellValue; formula?: string } {
  if (typeof input !== 'string') return { v: input };
  if (input.startsWith("'")) return { v: input.slice(1) };
  if (fmt === '@') return { v: input };
  const t = input.trim();
  if (input.startsWith('=') && input.length > 1) return { v: '#NAME?', formula: input };
  if (t === '') return { v: input === '' ? '' : input };
  if (/^(true|false)$/i.test(t)) return { v: t.toUpperCase() === 'TRUE' };
  const num = t.replace(/^\$/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?%?$/.test(num)) {
    const pct = num.endsWith('%');
    const n = Number(pct ? num.slice(0, -1) : num);
    if (Number.isFinite(n)) return { v: pct ? n / 100 : n };
  }
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return { v: dateSerial(Number(m[1]), Number(m[2]), Number(m[3])) };
  m = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12 && Number(m[2]) >= 1 && Number(m[2]) <= 31) {
    const y = m[3] === undefined ? 2026 : Number(m[3]) < 100 ? 2000 + Number(m[3]) : Number(m[3]);
    return { v: dateSerial(y, Number(m[1]), Number(m[2])) };
  }
  return { v: input };
}

// ---- the document -----------------------------------------------------------------------------

type ChangedHandler = (args: any) => unknown;

export class FakeWorkbook {
  sheets: SheetModel[] = [];
  /** Settings as saved in the document. */
  savedSettings: Record<string, unknown>;
  stats: FakeStats = { syncs: 0, runs: 0, commands: [], settingsSaves: 0, undoGroups: 0 };
  selection: { sheet: string; address: string } | null = null;
  activeSheet = 0;
  handlers: { sheetId: string | '*'; handler: ChangedHandler }[] = [];
  nameHandlers: ChangedHandler[] = [];
  /** Excel tables: name (unique in the workbook, case-insensitive), sheet and range (header row first). */
  tables: { name: string; sheet: SheetModel; rect: Rect }[] = [];
  /** Promises returned by event handlers, so tests can wait for them. */
  pending: Promise<unknown>[] = [];
  private nextId = 1;
  /** Chart ids, for the default names ("Chart 3"). */
  nextChart = 1;
  readonly triggerSource: boolean;
  /** ExcelApi minor version of the host (14 = ExcelApi 1.14). */
  readonly excelApi: number;

  constructor(options: FakeOptions = {}) {
    this.excelApi = options.excelApi ?? 18;
    this.triggerSource = options.eventTriggerSource ?? this.excelApi >= 14;
    this.savedSettings = JSON.parse(JSON.stringify(options.settings ?? {})) as Record<string, unknown>;
    const init = options.sheets ?? { Sheet1: [] };
    for (const [name, grid] of Object.entries(init)) {
      const s = this.addSheet(name);
      grid.forEach((row, r) => row.forEach((v, c) => this.setCell(s, r, c, { v })));
    }
  }

  addSheet(name: string): SheetModel {
    const s: SheetModel = {
      id: `{${String(this.nextId++).padStart(8, '0')}-FAKE-SHEET}`,
      name,
      cells: [],
      notes: new Map(),
      protected: false,
      validations: [],
      frozenRows: 0,
      visible: true,
      charts: [],
      pageLayout: {
        orientation: 'Portrait',
        zoom: { scale: 100 },
        printTitleRows: null,
        headerFooterState: 'Default',
        defaultForAllPages: {
          leftHeader: '',
          centerHeader: '',
          rightHeader: '',
          leftFooter: '',
          centerFooter: '',
          rightFooter: '',
        },
      },
    };
    this.sheets.push(s);
    return s;
  }

  sheet(nameOrId: string): SheetModel | undefined {
    const k = nameOrId.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === k || s.id.toLowerCase() === k);
  }

  cell(s: SheetModel, r: number, c: number): CellState | undefined {
    return s.cells[r]?.[c];
  }

  setCell(s: SheetModel, r: number, c: number, patch: Partial<CellState>): void {
    const row = (s.cells[r] ??= []);
    const cur = row[c] ?? { v: '' };
    const next: CellState = { ...cur, ...patch };
    if ('v' in patch && !('formula' in patch)) delete next.formula;
    row[c] = next;
  }

  /** Bounding box of used cells (values only, or values and formats). */
  usedRect(s: SheetModel, valuesOnly: boolean): Rect | null {
    let r0 = Infinity;
    let r1 = -1;
    let c0 = Infinity;
    let c1 = -1;
    s.cells.forEach((row, r) => {
      if (!row) return;
      row.forEach((cell, c) => {
        if (!cell) return;
        const used =
          cell.v !== '' || (!valuesOnly && (cell.fill !== undefined || cell.fmt !== undefined || cell.bold));
        if (!used) return;
        r0 = Math.min(r0, r);
        r1 = Math.max(r1, r);
        c0 = Math.min(c0, c);
        c1 = Math.max(c1, c);
      });
    });
    if (r1 < 0) return null;
    return { r: r0, c: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
  }

  valuesOf(s: SheetModel, rect: Rect): FakeCellValue[][] {
    const out: FakeCellValue[][] = [];
    for (let i = 0; i < rect.rows; i++) {
      const row: FakeCellValue[] = [];
      const src = s.cells[rect.r + i];
      for (let j = 0; j < rect.cols; j++) row.push(src?.[rect.c + j]?.v ?? '');
      out.push(row);
    }
    return out;
  }

  /** Fires WorksheetChanged for a change already applied. Returns when every handler has settled. */
  fire(
    s: SheetModel,
    rect: Rect,
    triggerSource: 'Unknown' | 'ThisLocalAddin',
    changeType = 'RangeEdited',
    details?: unknown,
  ): Promise<void> {
    const args = {
      type: 'WorksheetChanged',
      address: rectAddress(rect),
      changeType,
      source: 'Local',
      worksheetId: s.id,
      ...(this.triggerSource ? { triggerSource } : {}),
      ...(details !== undefined ? { details } : {}),
      getRange: (ctx: RequestContext) => ctx.workbook.worksheets.getItem(s.id).getRange(rectAddress(rect)),
      getRangeOrNullObject: (ctx: RequestContext) =>
        ctx.workbook.worksheets.getItem(s.id).getRange(rectAddress(rect)),
    };
    const ps = this.handlers
      .filter((h) => h.sheetId === '*' || h.sheetId === s.id)
      .map((h) => Promise.resolve().then(() => h.handler(args)));
    const all = Promise.allSettled(ps).then(() => undefined);
    this.pending.push(all);
    return all;
  }
}

// ---- proxies ----------------------------------------------------------------------------------

type Command = () => void;

function propList(arg: unknown): string[] {
  if (arg === undefined) return [];
  if (typeof arg === 'string')
    return arg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(arg)) return arg.flatMap((a) => propList(a));
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    if (typeof o['select'] === 'string' || Array.isArray(o['select'])) return propList(o['select']);
    return Object.keys(o).filter((k) => o[k]);
  }
  return [];
}

abstract class ClientObject {
  /** Loaded values, set when the sync that loads them runs. */
  protected data: Record<string, unknown> = {};
  protected nullObject: boolean | undefined;
  constructor(readonly context: RequestContext) {}

  protected abstract scalarProps(): string[];
  /** Resolves to the document object at sync time; null for a null object. Throws ItemNotFound. */
  protected abstract fetch(prop: string): unknown;
  protected abstract exists(): boolean;
  protected child(_name: string): { load(arg?: unknown): unknown } | undefined {
    return undefined;
  }

  load(arg?: unknown): this {
    const props = propList(arg);
    const direct = (props.length ? props : this.scalarProps()).filter((p) => !p.includes('/'));
    for (const p of props.filter((q) => q.includes('/'))) {
      const [head, ...rest] = p.split('/');
      const c = this.child(head as string);
      if (!c) throw new FakeOfficeError('InvalidArgument', `Cannot load ${p}`);
      c.load(rest.join('/'));
    }
    this.context.queue(() => {
      const isNull = !this.exists();
      this.nullObject = isNull;
      this.data['isNullObject'] = isNull;
      for (const p of direct) {
        if (p === 'isNullObject') continue;
        this.data[p] = isNull ? null : this.fetch(p);
      }
    });
    return this;
  }

  get isNullObject(): boolean {
    return this.get('isNullObject') as boolean;
  }

  protected get(prop: string): unknown {
    if (!(prop in this.data))
      throw new FakeOfficeError(
        'PropertyNotLoaded',
        `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    return this.data[prop];
  }

  /** Queues a command that runs only when the object exists (null objects ignore methods). */
  protected command(fn: () => void): void {
    this.context.queue(() => {
      if (!this.exists()) {
        if (this.orNull()) return;
        throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
      }
      fn();
    });
  }

  protected orNull(): boolean {
    return false;
  }

  /** *OrNullObject proxies: isNullObject is known after the next sync, without a load (as in office.js). */
  protected trackNull(): void {
    this.context.queue(() => {
      this.data['isNullObject'] = !this.exists();
    });
  }

  toJSON(): Record<string, unknown> {
    return { ...this.data };
  }
}

export class RequestContext {
  private commands: Command[] = [];
  closed = false;
  readonly workbook: Workbook;
  constructor(readonly book: FakeWorkbook = currentBook()) {
    this.workbook = new Workbook(this);
  }

  queue(cmd: Command): void {
    if (this.closed)
      throw new FakeOfficeError(
        'InvalidObjectPath',
        'The object path is not working for what you are trying to do: the request context is closed (object used outside Excel.run).',
      );
    this.commands.push(cmd);
  }

  /** The batch is one undo group (mergeUndoGroup): an API without undo support fails its sync. */
  undoGroup = false;

  get pendingCommands(): number {
    return this.commands.length;
  }

  /** Queues ApiNotFound for `api` when the host's ExcelApi level is below 1.`minor`. */
  requireApi(minor: number, api: string): void {
    if (this.book.excelApi >= minor) return;
    this.queue(() => {
      throw new FakeOfficeError('ApiNotFound', API_NOT_FOUND, api);
    });
  }

  load<T extends { load(a?: unknown): T }>(obj: T, props?: unknown): T {
    return obj.load(props);
  }

  async sync<T>(passThrough?: T): Promise<T | undefined> {
    const cmds = this.commands;
    this.commands = [];
    this.book.stats.syncs++;
    this.book.stats.commands.push(cmds.length);
    await Promise.resolve();
    const changed = new Map<SheetModel, Rect[]>();
    this.changed = changed;
    try {
      for (const cmd of cmds) cmd();
    } finally {
      this.changed = undefined;
      for (const [s, rects] of changed)
        for (const rect of rects) void this.book.fire(s, rect, 'ThisLocalAddin');
    }
    return passThrough;
  }

  /** Value changes made by the running sync, for the events that follow it. */
  changed: Map<SheetModel, Rect[]> | undefined;

  trackedObjects = { add: (): void => undefined, remove: (): void => undefined };
}

let activeBook: FakeWorkbook | null = null;
function currentBook(): FakeWorkbook {
  if (!activeBook) throw new Error('fake office: no workbook installed');
  return activeBook;
}

class Workbook {
  readonly worksheets: WorksheetCollection;
  readonly notes: NoteCollection;
  readonly tables: TableCollection;
  constructor(readonly context: RequestContext) {
    this.worksheets = new WorksheetCollection(context);
    this.notes = new NoteCollection(context, null);
    this.tables = new TableCollection(context, null);
  }
  getSelectedRange(): Range {
    const b = this.context.book;
    return new Range(this.context, () => {
      const sel = b.selection ?? { sheet: b.sheets[b.activeSheet]?.name ?? '', address: 'A1' };
      const s = b.sheet(sel.sheet);
      return s ? { sheet: s, rect: parseAddress(sel.address).rect } : null;
    });
  }
}

class EventSlot {
  constructor(
    private readonly context: RequestContext,
    private readonly sheetId: () => string | null,
  ) {}
  add(handler: ChangedHandler): { remove(): void } {
    const book = this.context.book;
    const entry = { sheetId: '*' as string, handler };
    this.context.queue(() => {
      const id = this.sheetId();
      if (id === null)
        throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
      entry.sheetId = id;
      book.handlers.push(entry);
    });
    return {
      remove: () => {
        book.handlers = book.handlers.filter((h) => h !== entry);
      },
    };
  }
}

class WorksheetCollection extends ClientObject {
  private loadedItems: Worksheet[] | undefined;
  private itemProps: string[] = [];
  readonly onChanged: EventSlot;
  readonly onNameChanged: { add(handler: ChangedHandler): { remove(): void } };
  constructor(context: RequestContext) {
    super(context);
    this.onChanged = new EventSlot(context, () => '*');
    this.onNameChanged = {
      add: (handler: ChangedHandler) => {
        context.requireApi(17, 'WorksheetCollection.onNameChanged');
        context.queue(() => context.book.nameHandlers.push(handler));
        return { remove: () => undefined };
      },
    };
  }
  protected scalarProps(): string[] {
    return [];
  }
  protected fetch(): unknown {
    return undefined;
  }
  protected exists(): boolean {
    return true;
  }
  override load(arg?: unknown): this {
    const props = propList(arg).map((p) => p.replace(/^items\//, ''));
    this.itemProps = props.length ? props : ['name', 'id', 'position', 'visibility'];
    this.context.queue(() => {
      this.loadedItems = this.context.book.sheets.map((s) => {
        const ws = new Worksheet(this.context, () => s);
        ws.fill(this.itemProps);
        return ws;
      });
      this.data['items'] = true;
    });
    return this;
  }
  get items(): Worksheet[] {
    this.get('items');
    return this.loadedItems ?? [];
  }
  getItem(key: string): Worksheet {
    return new Worksheet(this.context, () => this.context.book.sheet(key) ?? null);
  }
  getItemOrNullObject(key: string): Worksheet {
    return new Worksheet(this.context, () => this.context.book.sheet(key) ?? null, true);
  }
  getFirst(): Worksheet {
    return new Worksheet(this.context, () => this.context.book.sheets[0] ?? null);
  }
  getActiveWorksheet(): Worksheet {
    return new Worksheet(this.context, () => this.context.book.sheets[this.context.book.activeSheet] ?? null);
  }
  getCount(): { value: number } {
    const result = { value: 0, loaded: false };
    this.context.queue(() => {
      result.value = this.context.book.sheets.length;
      result.loaded = true;
    });
    return {
      get value(): number {
        if (!result.loaded)
          throw new FakeOfficeError(
            'PropertyNotLoaded',
            'The value of the result object has not been loaded yet.',
          );
        return result.value;
      },
    };
  }
  add(name?: string): Worksheet {
    let created: SheetModel | null = null;
    this.context.queue(() => {
      const book = this.context.book;
      const n = name ?? `Sheet${book.sheets.length + 1}`;
      if (!n || n.length > 31 || /[[\]:*?/\\]/.test(n) || n.startsWith("'") || n.endsWith("'"))
        throw new FakeOfficeError(
          'InvalidArgument',
          `The argument is invalid or missing or has an incorrect format: sheet name ${JSON.stringify(n)}`,
        );
      if (book.sheet(n))
        throw new FakeOfficeError(
          'ItemAlreadyExists',
          `A resource with the same name or identifier already exists: ${n}`,
        );
      created = book.addSheet(n);
    });
    return new Worksheet(this.context, () => created);
  }
}

export class Worksheet extends ClientObject {
  readonly protection: WorksheetProtection;
  readonly notes: NoteCollection;
  readonly charts: ChartCollection;
  readonly pageLayout: PageLayout;
  readonly tables: TableCollection;
  readonly freezePanes: { freezeRows(n: number): void; unfreeze(): void };
  readonly onChanged: EventSlot;
  constructor(
    context: RequestContext,
    readonly resolve: () => SheetModel | null,
    private readonly nullable = false,
  ) {
    super(context);
    this.protection = new WorksheetProtection(context, this);
    this.notes = new NoteCollection(context, this);
    this.charts = new ChartCollection(context, this);
    this.pageLayout = new PageLayout(context, this);
    this.tables = new TableCollection(context, this);
    this.freezePanes = {
      freezeRows: (n: number) =>
        this.command(() => {
          (this.resolve() as SheetModel).frozenRows = n;
        }),
      unfreeze: () =>
        this.command(() => {
          (this.resolve() as SheetModel).frozenRows = 0;
        }),
    };
    this.onChanged = new EventSlot(context, () => this.resolve()?.id ?? null);
    if (nullable) this.trackNull();
  }
  protected override orNull(): boolean {
    return this.nullable;
  }
  /** A null object's children are null objects too. */
  get nullableObject(): boolean {
    return this.nullable;
  }
  protected scalarProps(): string[] {
    return ['name', 'id', 'position', 'visibility'];
  }
  protected exists(): boolean {
    const s = this.resolve();
    if (!s && !this.nullable)
      throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist. (worksheet)');
    return !!s;
  }
  /** Used by collections: fills loaded props directly (the collection's sync is running). */
  fill(props: string[]): void {
    this.nullObject = false;
    this.data['isNullObject'] = false;
    for (const p of props) this.data[p] = this.fetch(p);
  }
  protected fetch(prop: string): unknown {
    const s = this.resolve() as SheetModel;
    switch (prop) {
      case 'name':
        return s.name;
      case 'id':
        return s.id;
      case 'position':
        return this.context.book.sheets.indexOf(s);
      case 'visibility':
        return s.visible ? 'Visible' : 'Hidden';
      default:
        throw new FakeOfficeError('InvalidArgument', `Worksheet has no property ${prop}`);
    }
  }
  get name(): string {
    return this.get('name') as string;
  }
  get id(): string {
    return this.get('id') as string;
  }
  get position(): number {
    return this.get('position') as number;
  }
  set name(v: string) {
    this.command(() => {
      const s = this.resolve() as SheetModel;
      const before = s.name;
      s.name = v;
      const args = {
        type: 'WorksheetNameChanged',
        worksheetId: s.id,
        nameBefore: before,
        nameAfter: v,
        source: 'Local',
      };
      for (const h of this.context.book.nameHandlers) void Promise.resolve().then(() => h(args));
    });
  }
  private range(rect: () => Rect | null): Range {
    return new Range(
      this.context,
      () => {
        const s = this.exists() ? this.resolve() : null;
        if (!s) return null;
        const r = rect();
        return r ? { sheet: s, rect: r } : null;
      },
      this.nullable,
    );
  }
  getRange(address?: string): Range {
    if (address === undefined) return this.range(() => ({ r: 0, c: 0, rows: MAX_ROWS, cols: MAX_COLS }));
    const parsed = parseAddress(address);
    return this.range(() => parsed.rect);
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): Range {
    if (startRow < 0 || startColumn < 0 || rowCount < 1 || columnCount < 1)
      throw new FakeOfficeError(
        'InvalidArgument',
        'The argument is invalid or missing or has an incorrect format.',
      );
    return this.range(() => ({ r: startRow, c: startColumn, rows: rowCount, cols: columnCount }));
  }
  getUsedRange(valuesOnly = false): Range {
    return this.range(() => {
      const s = this.resolve() as SheetModel;
      return this.context.book.usedRect(s, valuesOnly) ?? { r: 0, c: 0, rows: 1, cols: 1 };
    });
  }
  getUsedRangeOrNullObject(valuesOnly = false): Range {
    return new Range(
      this.context,
      () => {
        const s = this.resolve();
        if (!s) {
          if (this.nullable) return null;
          throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist. (worksheet)');
        }
        const rect = this.context.book.usedRect(s, valuesOnly);
        return rect ? { sheet: s, rect } : null;
      },
      true,
    );
  }
  getNextOrNullObject(): Worksheet {
    return new Worksheet(
      this.context,
      () => {
        const s = this.resolve();
        if (!s) return null;
        const i = this.context.book.sheets.indexOf(s);
        return this.context.book.sheets[i + 1] ?? null;
      },
      true,
    );
  }
  activate(): void {
    this.command(() => {
      this.context.book.activeSheet = this.context.book.sheets.indexOf(this.resolve() as SheetModel);
    });
  }
  delete(): void {
    this.command(() => {
      const b = this.context.book;
      b.sheets = b.sheets.filter((s) => s !== this.resolve());
    });
  }
}

class WorksheetProtection extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly ws: Worksheet,
  ) {
    super(context);
  }
  protected scalarProps(): string[] {
    return ['protected', 'options'];
  }
  protected override orNull(): boolean {
    return this.ws.nullableObject;
  }
  protected exists(): boolean {
    return !!this.ws.resolve();
  }
  protected fetch(prop: string): unknown {
    const s = this.ws.resolve() as SheetModel;
    return prop === 'protected' ? s.protected : (s.protectionOptions ?? {});
  }
  get protected(): boolean {
    return this.get('protected') as boolean;
  }
  /** Sheet protection has no undo support: in an undo group, Excel fails the batch with UndoNotSupported. */
  private noUndo(): void {
    if (this.context.undoGroup)
      this.command(() => {
        throw new FakeOfficeError(
          'UndoNotSupported',
          'The JavaScript API request failed due to lack of support for the undo operation.',
        );
      });
  }
  protect(options?: unknown, password?: string): void {
    this.noUndo();
    this.command(() => {
      const s = this.ws.resolve() as SheetModel;
      if (s.protected)
        throw new FakeOfficeError(
          'InvalidOperation',
          'The operation is invalid: the worksheet is already protected.',
        );
      s.protected = true;
      s.protectionOptions = { ...(options as object), ...(password ? { password: true } : {}) };
    });
  }
  unprotect(): void {
    this.noUndo();
    this.command(() => {
      (this.ws.resolve() as SheetModel).protected = false;
    });
  }
}

function denyIfProtected(s: SheetModel): void {
  if (s.protected)
    throw new FakeOfficeError(
      'AccessDenied',
      `The cell or chart you're trying to change is on a protected sheet (${s.name}).`,
    );
}

type RangeTarget = { sheet: SheetModel; rect: Rect };

export class Range extends ClientObject {
  readonly format: RangeFormat;
  readonly dataValidation: DataValidation;
  constructor(
    context: RequestContext,
    readonly resolve: () => RangeTarget | null,
    private readonly nullable = false,
  ) {
    super(context);
    this.format = new RangeFormat(context, this);
    this.dataValidation = new DataValidation(context, this);
    if (nullable) this.trackNull();
  }
  protected override orNull(): boolean {
    return this.nullable;
  }
  protected override child(name: string): { load(arg?: unknown): unknown } | undefined {
    if (name === 'format') return this.format;
    if (name === 'dataValidation') return this.dataValidation;
    return undefined;
  }
  protected scalarProps(): string[] {
    return [
      'address',
      'rowIndex',
      'columnIndex',
      'rowCount',
      'columnCount',
      'values',
      'numberFormat',
      'formulas',
    ];
  }
  exists(): boolean {
    const t = this.resolve();
    if (!t && !this.nullable)
      throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
    return !!t;
  }
  target(): RangeTarget {
    return this.resolve() as RangeTarget;
  }
  protected fetch(prop: string): unknown {
    const { sheet, rect } = this.target();
    const book = this.context.book;
    const big = (): void => {
      if (rect.rows * rect.cols > LOAD_LIMIT)
        throw new FakeOfficeError(
          'ResponsePayloadSizeLimitExceeded',
          `The response payload size has exceeded the limit (${rect.rows}×${rect.cols} cells).`,
        );
    };
    switch (prop) {
      case 'address':
        return `${quoteSheet(sheet.name)}!${rectAddress(rect)}`;
      case 'addressLocal':
        return `${quoteSheet(sheet.name)}!${rectAddress(rect)}`;
      case 'rowIndex':
        return rect.r;
      case 'columnIndex':
        return rect.c;
      case 'rowCount':
        return rect.rows;
      case 'columnCount':
        return rect.cols;
      case 'values':
        big();
        return book.valuesOf(sheet, rect);
      case 'text':
        big();
        return book.valuesOf(sheet, rect).map((r) => r.map((v) => String(v)));
      case 'formulas':
        big();
        return book
          .valuesOf(sheet, rect)
          .map((row, i) => row.map((v, j) => book.cell(sheet, rect.r + i, rect.c + j)?.formula ?? v));
      case 'numberFormat': {
        big();
        const out: string[][] = [];
        for (let i = 0; i < rect.rows; i++) {
          const row: string[] = [];
          for (let j = 0; j < rect.cols; j++)
            row.push(book.cell(sheet, rect.r + i, rect.c + j)?.fmt ?? 'General');
          out.push(row);
        }
        return out;
      }
      default:
        throw new FakeOfficeError('InvalidArgument', `Range has no property ${prop}`);
    }
  }
  get address(): string {
    return this.get('address') as string;
  }
  get rowIndex(): number {
    return this.get('rowIndex') as number;
  }
  get columnIndex(): number {
    return this.get('columnIndex') as number;
  }
  get rowCount(): number {
    return this.get('rowCount') as number;
  }
  get columnCount(): number {
    return this.get('columnCount') as number;
  }
  get values(): FakeCellValue[][] {
    return this.get('values') as FakeCellValue[][];
  }
  get formulas(): unknown[][] {
    return this.get('formulas') as unknown[][];
  }
  get numberFormat(): string[][] {
    return this.get('numberFormat') as string[][];
  }

  /** Checks a 2-D input against the range: a scalar fills the range; an array must match exactly. */
  private grid<T>(input: unknown, what: string, each: (v: unknown, i: number, j: number) => T | null): void {
    const { rect } = this.target();
    if (!Array.isArray(input)) {
      for (let i = 0; i < rect.rows; i++) for (let j = 0; j < rect.cols; j++) each(input, i, j);
      return;
    }
    const rows = input as unknown[];
    const bad =
      rows.length !== rect.rows ||
      rows.some((row) => !Array.isArray(row) || (row as unknown[]).length !== rect.cols);
    if (bad)
      throw new FakeOfficeError(
        'InvalidArgument',
        `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: range ${rect.rows}×${rect.cols}, input ${rows.length}×${Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : 'scalar'}).`,
      );
    rows.forEach((row, i) => (row as unknown[]).forEach((v, j) => each(v, i, j)));
  }

  set values(input: FakeCellValue[][] | FakeCellValue) {
    this.command(() => {
      const { sheet, rect } = this.target();
      denyIfProtected(sheet);
      const book = this.context.book;
      const pending: [number, number, FakeCellValue][] = [];
      this.grid(input, 'values', (v, i, j) => {
        if (v === null) return null;
        if (v === undefined || (typeof v === 'object' && !(v instanceof Date)))
          throw new FakeOfficeError(
            'InvalidArgument',
            `The argument is invalid or missing or has an incorrect format (values[${i}][${j}] is ${String(v)}).`,
          );
        if (typeof v === 'number' && !Number.isFinite(v))
          throw new FakeOfficeError('InvalidArgument', `values[${i}][${j}] is not a finite number.`);
        if (typeof v === 'string' && v.length > 32767)
          throw new FakeOfficeError('InvalidArgument', `Text values are limited to 32,767 characters.`);
        pending.push([i, j, v as FakeCellValue]);
        return null;
      });
      for (const [i, j, v] of pending) {
        const r = rect.r + i;
        const c = rect.c + j;
        const stored = coerce(v, book.cell(sheet, r, c)?.fmt);
        book.setCell(
          sheet,
          r,
          c,
          stored.formula ? { v: stored.v, formula: stored.formula } : { v: stored.v },
        );
      }
      const changed = this.context.changed;
      if (changed) {
        const list = changed.get(sheet) ?? [];
        list.push(rect);
        changed.set(sheet, list);
      }
    });
  }
  set numberFormat(input: string[][] | string) {
    this.command(() => {
      const { sheet, rect } = this.target();
      denyIfProtected(sheet);
      const sets: [number, number, string][] = [];
      this.grid(input, 'numberFormat', (v, i, j) => {
        if (v === null) return null;
        if (typeof v !== 'string')
          throw new FakeOfficeError('InvalidArgument', `numberFormat[${i}][${j}] is not a string.`);
        sets.push([i, j, v]);
        return null;
      });
      for (const [i, j, v] of sets) this.context.book.setCell(sheet, rect.r + i, rect.c + j, { fmt: v });
    });
  }
  set formulas(input: unknown) {
    this.values = input as FakeCellValue[][];
  }
  /** ExcelApi 1.13: the merged areas inside the range (a null object when there are none). */
  getMergedAreasOrNullObject(): MergedAreas {
    this.context.requireApi(13, 'Range.getMergedAreasOrNullObject');
    return new MergedAreas(this.context, () => {
      const t = this.resolve();
      if (!t) return null;
      const hits = (t.sheet.merged ?? []).filter((m) => overlap(m, t.rect));
      return hits.length ? { sheet: t.sheet, rects: hits } : null;
    });
  }
  /** ExcelApi 1.2: merges the range (or each of its rows); Excel refuses it over a table. */
  merge(across = false): void {
    this.command(() => {
      const { sheet, rect } = this.target();
      denyIfProtected(sheet);
      if (this.context.book.tables.some((t) => t.sheet === sheet && overlap(t.rect, rect)))
        throw new FakeOfficeError('InvalidArgument', 'Cells in a table can\u2019t be merged.');
      const areas = across
        ? Array.from({ length: rect.rows }, (_, i) => ({ ...rect, r: rect.r + i, rows: 1 }))
        : [rect];
      sheet.merged = [...(sheet.merged ?? []).filter((m) => !overlap(m, rect)), ...areas];
    });
  }
  clear(applyTo: string = 'All'): void {
    this.command(() => {
      const { sheet, rect } = this.target();
      denyIfProtected(sheet);
      const book = this.context.book;
      const maxR = Math.min(rect.r + rect.rows, sheet.cells.length);
      for (let r = rect.r; r < maxR; r++) {
        const row = sheet.cells[r];
        if (!row) continue;
        const maxC = Math.min(rect.c + rect.cols, row.length);
        for (let c = rect.c; c < maxC; c++) {
          const cell = row[c];
          if (!cell) continue;
          if (applyTo === 'All') row[c] = undefined;
          else if (applyTo === 'Contents') book.setCell(sheet, r, c, { v: '' });
          else if (applyTo === 'Formats') {
            const { v, formula } = cell;
            row[c] = formula ? { v, formula } : { v };
          }
        }
      }
      if (applyTo === 'All')
        for (const key of [...sheet.notes.keys()]) {
          const p = parseAddress(key).rect;
          if (p.r >= rect.r && p.r < rect.r + rect.rows && p.c >= rect.c && p.c < rect.c + rect.cols)
            sheet.notes.delete(key);
        }
    });
  }
  getCell(row: number, column: number): Range {
    return new Range(this.context, () => {
      const t = this.resolve();
      return t
        ? { sheet: t.sheet, rect: { r: t.rect.r + row, c: t.rect.c + column, rows: 1, cols: 1 } }
        : null;
    });
  }
  getResizedRange(deltaRows: number, deltaColumns: number): Range {
    return new Range(this.context, () => {
      const t = this.resolve();
      if (!t) return null;
      const rows = t.rect.rows + deltaRows;
      const cols = t.rect.cols + deltaColumns;
      if (rows < 1 || cols < 1)
        throw new FakeOfficeError(
          'InvalidArgument',
          'The argument is invalid or missing or has an incorrect format.',
        );
      return { sheet: t.sheet, rect: { ...t.rect, rows, cols } };
    });
  }
  getIntersectionOrNullObject(other: Range | string): Range {
    return new Range(
      this.context,
      () => {
        const a = this.resolve();
        const b =
          typeof other === 'string'
            ? a
              ? { sheet: a.sheet, rect: parseAddress(other).rect }
              : null
            : other.resolve();
        if (!a || !b || a.sheet !== b.sheet) return null;
        const r = Math.max(a.rect.r, b.rect.r);
        const c = Math.max(a.rect.c, b.rect.c);
        const r2 = Math.min(a.rect.r + a.rect.rows, b.rect.r + b.rect.rows);
        const c2 = Math.min(a.rect.c + a.rect.cols, b.rect.c + b.rect.cols);
        if (r2 <= r || c2 <= c) return null;
        return { sheet: a.sheet, rect: { r, c, rows: r2 - r, cols: c2 - c } };
      },
      true,
    );
  }
  select(): void {
    this.command(() => {
      const { sheet, rect } = this.target();
      const book = this.context.book;
      book.activeSheet = book.sheets.indexOf(sheet);
      book.selection = { sheet: sheet.name, address: rectAddress(rect) };
    });
  }
}

class RangeFormat {
  readonly fill: RangeFill;
  readonly font: { bold: boolean };
  constructor(context: RequestContext, range: Range) {
    this.fill = new RangeFill(context, range);
    const font = {} as { bold: boolean };
    Object.defineProperty(font, 'bold', {
      set(v: boolean) {
        context.queue(() => {
          if (!range.exists()) return;
          const { sheet, rect } = range.target();
          denyIfProtected(sheet);
          for (let i = 0; i < rect.rows; i++)
            for (let j = 0; j < rect.cols; j++)
              context.book.setCell(sheet, rect.r + i, rect.c + j, { bold: v });
        });
      },
      get() {
        throw new FakeOfficeError('PropertyNotLoaded', "The property 'bold' is not available.");
      },
    });
    this.font = font;
  }
  load(arg?: unknown): this {
    for (const p of propList(arg)) {
      if (p.startsWith('fill/')) this.fill.load(p.slice(5));
      else throw new FakeOfficeError('InvalidArgument', `Cannot load format/${p}`);
    }
    return this;
  }
}

class RangeFill extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly range: Range,
  ) {
    super(context);
  }
  protected scalarProps(): string[] {
    return ['color', 'pattern'];
  }
  protected exists(): boolean {
    return this.range.exists();
  }
  /** color: "#FFFFFF" for no fill, as Excel answers (pattern tells "None" from a white fill); null when mixed. */
  protected fetch(prop: string): unknown {
    const { sheet, rect } = this.range.target();
    const colors = new Set<string | undefined>();
    for (let i = 0; i < rect.rows; i++)
      for (let j = 0; j < rect.cols; j++)
        colors.add(this.context.book.cell(sheet, rect.r + i, rect.c + j)?.fill);
    if (colors.size !== 1) return null;
    const only = [...colors][0];
    if (prop === 'pattern') return only === undefined ? 'None' : 'Solid';
    return only ?? '#FFFFFF';
  }
  get pattern(): string | null {
    return this.get('pattern') as string | null;
  }
  get color(): string | null {
    return this.get('color') as string | null;
  }
  set color(v: string) {
    this.command(() => this.paint(v));
  }
  clear(): void {
    this.command(() => this.paint(undefined));
  }
  private paint(v: string | undefined): void {
    const { sheet, rect } = this.range.target();
    denyIfProtected(sheet);
    for (let i = 0; i < rect.rows; i++)
      for (let j = 0; j < rect.cols; j++) {
        const r = rect.r + i;
        const c = rect.c + j;
        if (v === undefined && !this.context.book.cell(sheet, r, c)) continue;
        const cell = { ...(this.context.book.cell(sheet, r, c) ?? { v: '' }) };
        if (v === undefined) delete cell.fill;
        else cell.fill = v.toUpperCase();
        (sheet.cells[r] ??= [])[c] = cell;
      }
  }
}

class DataValidation extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly range: Range,
  ) {
    super(context);
  }
  protected scalarProps(): string[] {
    return ['rule'];
  }
  protected exists(): boolean {
    return this.range.exists();
  }
  protected fetch(): unknown {
    const { sheet, rect } = this.range.target();
    return sheet.validations.find((v) => v.address === rectAddress(rect))?.rule ?? {};
  }
  /** Write-only here: the add-in never reads it back. */
  set errorAlert(alert: any) {
    this.command(() => {
      const { sheet, rect } = this.range.target();
      denyIfProtected(sheet);
      if (
        typeof alert !== 'object' ||
        alert === null ||
        typeof alert.showAlert !== 'boolean' ||
        (alert.style !== undefined && !['Stop', 'Warning', 'Information'].includes(alert.style))
      )
        throw new FakeOfficeError('InvalidArgument', 'The data validation error alert is invalid.');
      const v = sheet.validations.find((x) => x.address === rectAddress(rect));
      if (!v) throw new FakeOfficeError('InvalidArgument', 'The range has no data validation rule.');
      v.errorAlert = JSON.parse(JSON.stringify(alert));
    });
  }
  get rule(): unknown {
    return this.get('rule');
  }
  set rule(rule: any) {
    this.command(() => {
      const { sheet, rect } = this.range.target();
      denyIfProtected(sheet);
      const list = rule?.list;
      const decimal = rule?.decimal;
      if (decimal !== undefined) {
        // Excel: a decimal rule needs a known operator, formula1, and formula2 for (Not)Between.
        const ops = [
          'Between',
          'NotBetween',
          'EqualTo',
          'NotEqualTo',
          'GreaterThan',
          'LessThan',
          'GreaterThanOrEqualTo',
          'LessThanOrEqualTo',
        ];
        const two = decimal.operator === 'Between' || decimal.operator === 'NotBetween';
        if (
          !ops.includes(decimal.operator) ||
          decimal.formula1 === undefined ||
          (two && decimal.formula2 === undefined) ||
          (two &&
            typeof decimal.formula1 === 'number' &&
            typeof decimal.formula2 === 'number' &&
            decimal.formula1 > decimal.formula2)
        )
          throw new FakeOfficeError('InvalidArgument', 'The data validation rule is invalid.');
      } else {
        if (!list || (typeof list.source !== 'string' && !(list.source instanceof Range)))
          throw new FakeOfficeError('InvalidArgument', 'The data validation rule is invalid.');
        if (typeof list.source === 'string' && list.source.startsWith('='))
          parseAddress(list.source.slice(1));
        // Excel: an inline list holds at most 255 characters, and at least one item.
        else if (typeof list.source === 'string' && (list.source.length > 255 || list.source.trim() === ''))
          throw new FakeOfficeError('InvalidArgument', 'The data validation rule is invalid.');
      }
      const address = rectAddress(rect);
      sheet.validations = sheet.validations.filter((v) => v.address !== address);
      sheet.validations.push({ address, rule: JSON.parse(JSON.stringify(rule)) });
    });
  }
  clear(): void {
    this.command(() => {
      const { sheet, rect } = this.range.target();
      denyIfProtected(sheet);
      const within = (a: string): boolean => {
        const p = parseAddress(a).rect;
        return (
          p.r >= rect.r &&
          p.c >= rect.c &&
          p.r + p.rows <= rect.r + rect.rows &&
          p.c + p.cols <= rect.c + rect.cols
        );
      };
      sheet.validations = sheet.validations.filter((v) => !within(v.address));
    });
  }
}

class NoteCollection extends ClientObject {
  private loadedItems: Note[] | undefined;
  constructor(
    context: RequestContext,
    private readonly ws: Worksheet | null,
  ) {
    super(context);
  }
  protected scalarProps(): string[] {
    return [];
  }
  protected exists(): boolean {
    return true;
  }
  protected fetch(): unknown {
    return undefined;
  }
  /** "A1" on a worksheet's notes; "Sheet!A1" on the workbook's. */
  private locate(key: string): { sheet: SheetModel; cell: string } | null {
    const p = parseAddress(key);
    if (p.rect.rows !== 1 || p.rect.cols !== 1)
      throw new FakeOfficeError(
        'InvalidCellAddress',
        `The cell address is invalid or not a single cell: ${key}`,
      );
    const sheet = this.ws
      ? this.ws.resolve()
      : p.sheet !== undefined
        ? (this.context.book.sheet(p.sheet) ?? null)
        : null;
    if (!sheet && this.ws?.nullableObject) return null;
    if (!sheet) throw new FakeOfficeError('InvalidCellAddress', `The cell address is invalid: ${key}`);
    return { sheet, cell: rectAddress(p.rect) };
  }
  add(cellAddress: string | Range, content: string): Note {
    let where: { sheet: SheetModel; cell: string } | null = null;
    this.context.requireApi(18, 'NoteCollection.add');
    this.context.queue(() => {
      let loc: { sheet: SheetModel; cell: string } | null;
      if (typeof cellAddress === 'string') loc = this.locate(cellAddress);
      else {
        const t = cellAddress.target();
        if (t.rect.rows !== 1 || t.rect.cols !== 1)
          throw new FakeOfficeError('InvalidCellAddress', 'The range is not a single cell.');
        loc = { sheet: t.sheet, cell: rectAddress(t.rect) };
      }
      if (!loc) return;
      denyIfProtected(loc.sheet);
      if (loc.sheet.notes.has(loc.cell))
        throw new FakeOfficeError('InvalidArgument', `A note already exists on ${loc.cell}.`);
      loc.sheet.notes.set(loc.cell, String(content));
      where = loc;
    });
    return new Note(this.context, () => where);
  }
  getItem(key: string): Note {
    this.context.requireApi(18, 'NoteCollection.getItem');
    return new Note(this.context, () => this.find(key, false));
  }
  getItemOrNullObject(key: string): Note {
    this.context.requireApi(18, 'NoteCollection.getItemOrNullObject');
    return new Note(this.context, () => this.find(key, true), true);
  }
  private find(key: string, nullable: boolean): { sheet: SheetModel; cell: string } | null {
    const loc = this.locate(key);
    if (loc && loc.sheet.notes.has(loc.cell)) return loc;
    if (nullable) return null;
    throw new FakeOfficeError('ItemNotFound', `There is no note on ${key}.`);
  }
  override load(arg?: unknown): this {
    const props = propList(arg).map((p) => p.replace(/^items\//, ''));
    this.context.requireApi(18, 'NoteCollection.load');
    this.context.queue(() => {
      const sheets = this.ws ? [this.ws.resolve() as SheetModel] : this.context.book.sheets;
      this.loadedItems = sheets.flatMap((sheet) =>
        [...sheet.notes.keys()].map((cell) => {
          const n = new Note(this.context, () => (sheet.notes.has(cell) ? { sheet, cell } : null));
          n.fill(props.length ? props : ['content']);
          return n;
        }),
      );
      this.data['items'] = true;
    });
    return this;
  }
  get items(): Note[] {
    this.get('items');
    return this.loadedItems ?? [];
  }
}

class Note extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly resolve: () => { sheet: SheetModel; cell: string } | null,
    private readonly nullable = false,
  ) {
    super(context);
    if (nullable) this.trackNull();
  }
  protected override orNull(): boolean {
    return this.nullable;
  }
  protected scalarProps(): string[] {
    return ['content'];
  }
  protected exists(): boolean {
    return !!this.resolve();
  }
  fill(props: string[]): void {
    this.data['isNullObject'] = false;
    for (const p of props) this.data[p] = this.fetch(p);
  }
  protected fetch(prop: string): unknown {
    const t = this.resolve() as { sheet: SheetModel; cell: string };
    if (prop === 'content') return t.sheet.notes.get(t.cell);
    throw new FakeOfficeError('InvalidArgument', `Note has no property ${prop}`);
  }
  get content(): string {
    return this.get('content') as string;
  }
  set content(v: string) {
    this.command(() => {
      const t = this.resolve() as { sheet: SheetModel; cell: string };
      denyIfProtected(t.sheet);
      t.sheet.notes.set(t.cell, v);
    });
  }
  delete(): void {
    this.command(() => {
      const t = this.resolve() as { sheet: SheetModel; cell: string };
      denyIfProtected(t.sheet);
      t.sheet.notes.delete(t.cell);
    });
  }
  getLocation(): Range {
    return new Range(this.context, () => {
      const t = this.resolve();
      return t ? { sheet: t.sheet, rect: parseAddress(t.cell).rect } : null;
    });
  }
}

// ---- charts and page layout ---------------------------------------------------------------------

function invalid(what: string): FakeOfficeError {
  return new FakeOfficeError(
    'InvalidArgument',
    `The argument is invalid or missing or has an incorrect format: ${what}`,
  );
}

class ChartCollection {
  constructor(
    private readonly context: RequestContext,
    private readonly ws: Worksheet,
  ) {}
  private sheet(): SheetModel {
    const s = this.ws.resolve();
    if (!s)
      throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist. (worksheet)');
    return s;
  }
  add(type: string, sourceData: Range, seriesBy = 'Auto'): Chart {
    let created: ChartModel | null = null;
    this.context.queue(() => {
      const s = this.sheet();
      if (!CHART_TYPES.has(type)) throw invalid(`chart type ${JSON.stringify(type)}`);
      if (!(sourceData instanceof Range)) throw invalid('sourceData must be a Range');
      if (!['Auto', 'Columns', 'Rows'].includes(seriesBy))
        throw invalid(`seriesBy ${JSON.stringify(seriesBy)}`);
      const src = sourceData.target();
      if (!src) throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
      if (src.rect.rows === MAX_ROWS || src.rect.cols === MAX_COLS) throw invalid('sourceData must be cells');
      denyIfProtected(s);
      const id = this.context.book.nextChart++;
      created = {
        id,
        name: `Chart ${id}`,
        type,
        title: '',
        source: { sheet: src.sheet.name, address: rectAddress(src.rect) },
        seriesBy,
      };
      s.charts.push(created);
    });
    return new Chart(this.context, () => (created ? { sheet: this.sheet(), chart: created } : null));
  }
  getItem(name: string): Chart {
    return new Chart(this.context, () => this.find(name, false));
  }
  getItemOrNullObject(name: string): Chart {
    return new Chart(this.context, () => this.find(name, true), true);
  }
  private find(name: string, nullable: boolean): { sheet: SheetModel; chart: ChartModel } | null {
    const s = this.ws.resolve();
    const chart = s?.charts.find((c) => c.name === name);
    if (s && chart) return { sheet: s, chart };
    if (nullable) return null;
    throw new FakeOfficeError('ItemNotFound', `There is no chart named ${name}.`);
  }
}

class Chart extends ClientObject {
  readonly title: { text: string };
  constructor(
    context: RequestContext,
    private readonly resolve: () => { sheet: SheetModel; chart: ChartModel } | null,
    private readonly nullable = false,
  ) {
    super(context);
    if (nullable) this.trackNull();
    const change = (fn: (c: ChartModel) => void): void =>
      this.command(() => {
        const t = this.resolve() as { sheet: SheetModel; chart: ChartModel };
        denyIfProtected(t.sheet);
        fn(t.chart);
      });
    this.change = change;
    const title = {} as { text: string };
    Object.defineProperty(title, 'text', {
      set(v: string) {
        change((c) => {
          c.title = String(v);
        });
      },
      get() {
        throw new FakeOfficeError('PropertyNotLoaded', "The property 'text' is not available.");
      },
    });
    this.title = title;
  }
  private readonly change: (fn: (c: ChartModel) => void) => void;
  protected override orNull(): boolean {
    return this.nullable;
  }
  protected scalarProps(): string[] {
    return ['name', 'chartType'];
  }
  protected exists(): boolean {
    return !!this.resolve();
  }
  protected fetch(prop: string): unknown {
    const { chart } = this.resolve() as { chart: ChartModel };
    if (prop === 'name') return chart.name;
    if (prop === 'chartType') return chart.type;
    throw new FakeOfficeError('InvalidArgument', `Chart has no property ${prop}`);
  }
  get name(): string {
    return this.get('name') as string;
  }
  set name(v: string) {
    this.change((c) => {
      if (!String(v)) throw invalid('chart name');
      c.name = String(v);
    });
  }
  setPosition(startCell: Range | string, endCell?: Range | string): void {
    this.command(() => {
      const t = this.resolve() as { sheet: SheetModel; chart: ChartModel };
      const cell = (x: Range | string): Rect => {
        const rect = typeof x === 'string' ? parseAddress(x).rect : x.target().rect;
        if (rect.rows === MAX_ROWS || rect.cols === MAX_COLS) throw invalid('a chart is placed at cells');
        return rect;
      };
      const start = cell(startCell);
      const end = endCell === undefined ? undefined : cell(endCell);
      if (end && (end.r + end.rows < start.r || end.c + end.cols < start.c))
        throw invalid('endCell before startCell');
      denyIfProtected(t.sheet);
      t.chart.start = rectAddress({ r: start.r, c: start.c, rows: 1, cols: 1 });
      if (end)
        t.chart.end = rectAddress({ r: end.r + end.rows - 1, c: end.c + end.cols - 1, rows: 1, cols: 1 });
      else delete t.chart.end;
    });
  }
  delete(): void {
    this.command(() => {
      const t = this.resolve() as { sheet: SheetModel; chart: ChartModel };
      denyIfProtected(t.sheet);
      t.sheet.charts = t.sheet.charts.filter((c) => c !== t.chart);
    });
  }
}

class HeaderFooter {
  constructor(context: RequestContext, ws: Worksheet) {
    for (const part of HEADER_FOOTER_PARTS)
      Object.defineProperty(this, part, {
        enumerable: true,
        set(v: string) {
          context.requireApi(9, `HeaderFooter.${part}`);
          context.queue(() => {
            const s = ws.resolve();
            if (!s) throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
            if (typeof v !== 'string' || v.length > 255) throw invalid(`${part} (at most 255 characters)`);
            s.pageLayout.defaultForAllPages[part] = v;
          });
        },
        get() {
          throw new FakeOfficeError('PropertyNotLoaded', `The property '${part}' is not available.`);
        },
      });
  }
}

class PageLayout {
  readonly headersFooters: { state: string; readonly defaultForAllPages: HeaderFooter };
  constructor(
    private readonly context: RequestContext,
    private readonly ws: Worksheet,
  ) {
    const defaultForAllPages = new HeaderFooter(context, ws);
    const layout = (): PageLayoutModel => this.layout();
    const group = { defaultForAllPages } as { state: string; readonly defaultForAllPages: HeaderFooter };
    Object.defineProperty(group, 'state', {
      set(v: string) {
        context.requireApi(9, 'HeaderFooterGroup.state');
        context.queue(() => {
          if (!['Default', 'FirstAndDefault', 'OddAndEven', 'FirstOddAndEven'].includes(v))
            throw invalid(`header and footer state ${JSON.stringify(v)}`);
          layout().headerFooterState = v;
        });
      },
      get() {
        throw new FakeOfficeError('PropertyNotLoaded', "The property 'state' is not available.");
      },
    });
    this.headersFooters = group;
  }
  private layout(): PageLayoutModel {
    const s = this.ws.resolve();
    if (!s)
      throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist. (worksheet)');
    return s.pageLayout;
  }
  set orientation(v: string) {
    this.context.requireApi(9, 'PageLayout.orientation');
    this.context.queue(() => {
      if (v !== 'Portrait' && v !== 'Landscape') throw invalid(`orientation ${JSON.stringify(v)}`);
      this.layout().orientation = v;
    });
  }
  set zoom(v: PageLayoutModel['zoom']) {
    this.context.requireApi(9, 'PageLayout.zoom');
    this.context.queue(() => {
      const fit = [v?.horizontalFitToPages, v?.verticalFitToPages].filter(
        (x) => x !== undefined && x !== null,
      );
      const scale = v?.scale ?? null;
      if (fit.some((n) => !Number.isInteger(n) || (n as number) < 0)) throw invalid('fit to pages');
      if (scale !== null && (fit.length > 0 || scale < 10 || scale > 400)) throw invalid('zoom scale');
      if (scale === null && fit.length === 0) throw invalid('zoom');
      this.layout().zoom = { ...v };
    });
  }
  setPrintTitleRows(rows: Range | string): void {
    this.context.requireApi(9, 'PageLayout.setPrintTitleRows');
    this.context.queue(() => {
      const rect = typeof rows === 'string' ? parseAddress(rows).rect : rows.target().rect;
      if (rect.c !== 0 || rect.cols !== MAX_COLS) throw invalid('print title rows must be whole rows');
      this.layout().printTitleRows = `${rect.r + 1}:${rect.r + rect.rows}`;
    });
  }
}

// ---- Office, OfficeRuntime, and the test handle ------------------------------------------------

const overlap = (a: Rect, b: Rect): boolean =>
  a.r < b.r + b.rows && b.r < a.r + a.rows && a.c < b.c + b.cols && b.c < a.c + a.cols;

/** RangeAreas as getMergedAreasOrNullObject gives it: its address ("S!A4:B4, S!C6:D6"), null when none. */
class MergedAreas extends ClientObject {
  constructor(
    context: RequestContext,
    private readonly resolve: () => { sheet: SheetModel; rects: Rect[] } | null,
  ) {
    super(context);
    this.trackNull();
  }
  protected override orNull(): boolean {
    return true;
  }
  protected scalarProps(): string[] {
    return ['address', 'areaCount'];
  }
  protected exists(): boolean {
    return !!this.resolve();
  }
  protected fetch(prop: string): unknown {
    const t = this.resolve();
    if (!t) return null;
    if (prop === 'address')
      return t.rects.map((r) => `${quoteSheet(t.sheet.name)}!${rectAddress(r)}`).join(', ');
    if (prop === 'areaCount') return t.rects.length;
    throw new FakeOfficeError('InvalidArgument', `Cannot load ${prop}`);
  }
  get address(): string {
    return this.get('address') as string;
  }
}

/** Excel makes or grows no table over merged cells (the Excel UI offers to unmerge them; the API fails). */
function denyIfMerged(sheet: SheetModel, rect: Rect): void {
  if ((sheet.merged ?? []).some((m) => overlap(m, rect)))
    throw new FakeOfficeError('InvalidArgument', 'A table can\u2019t overlap merged cells.');
}

/** The tables of the workbook (sheet null) or of one sheet. Excel fails where this fails. */
class TableCollection extends ClientObject {
  private loadedItems: Table[] | undefined;
  constructor(
    context: RequestContext,
    private readonly ws: Worksheet | null,
  ) {
    super(context);
  }
  protected scalarProps(): string[] {
    return [];
  }
  protected fetch(): unknown {
    return undefined;
  }
  protected exists(): boolean {
    return true;
  }
  private mine(): FakeWorkbook['tables'] {
    const sheet = this.ws?.resolve() ?? null;
    return this.context.book.tables.filter((t) => !this.ws || t.sheet === sheet);
  }
  override load(arg?: unknown): this {
    const props = propList(arg).map((p) => p.replace(/^items\//, ''));
    this.context.queue(() => {
      this.loadedItems = this.mine().map((t) => {
        const table = new Table(this.context, () => t);
        table.fill(props.length ? props : ['name']);
        return table;
      });
      this.data['items'] = true;
    });
    return this;
  }
  get items(): Table[] {
    this.get('items');
    return this.loadedItems ?? [];
  }
  getItem(name: string): Table {
    return new Table(this.context, () => this.find(name));
  }
  getItemOrNullObject(name: string): Table {
    return new Table(this.context, () => this.find(name), true);
  }
  private find(name: string): FakeWorkbook['tables'][number] | null {
    return this.mine().find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null;
  }
  /** Worksheet.tables.add: a range on this sheet, not overlapping another table, its header cells unique. */
  add(address: string, hasHeaders: boolean): Table {
    let made: FakeWorkbook['tables'][number] | null = null;
    this.context.queue(() => {
      const book = this.context.book;
      const parsed = parseAddress(address);
      const sheet = parsed.sheet ? (book.sheet(parsed.sheet) ?? null) : (this.ws?.resolve() ?? null);
      if (!sheet) throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist.');
      denyIfProtected(sheet);
      const rect = parsed.rect;
      if (book.tables.some((t) => t.sheet === sheet && overlap(t.rect, rect)))
        throw new FakeOfficeError('InvalidArgument', 'A table can\u2019t overlap another table.');
      denyIfMerged(sheet, rect);
      if (hasHeaders) {
        const heads = Array.from({ length: rect.cols }, (_, i) =>
          String(sheet.cells[rect.r]?.[rect.c + i]?.v ?? '').toLowerCase(),
        );
        // Excel renames blank or repeated headers (Column1 …); Budgetline never asks for that.
        if (heads.some((h) => h === '') || new Set(heads).size !== heads.length)
          throw new FakeOfficeError('InvalidArgument', 'The fake does not rename table headers.');
      }
      let n = 1;
      while (book.tables.some((t) => t.name.toLowerCase() === `table${n}`)) n++;
      made = { name: `Table${n}`, sheet, rect };
      book.tables.push(made);
    });
    return new Table(this.context, () => made);
  }
}

class Table extends ClientObject {
  /** The sheet the table is on (its name loads with 'worksheet/name'). */
  readonly worksheet: Worksheet;
  constructor(
    context: RequestContext,
    private readonly resolve: () => FakeWorkbook['tables'][number] | null,
    private readonly nullable = false,
  ) {
    super(context);
    this.worksheet = new Worksheet(context, () => this.resolve()?.sheet ?? null);
    if (nullable) this.trackNull();
  }
  protected override orNull(): boolean {
    return this.nullable;
  }
  protected scalarProps(): string[] {
    return ['name'];
  }
  protected exists(): boolean {
    const t = this.resolve();
    if (!t && !this.nullable)
      throw new FakeOfficeError('ItemNotFound', 'The requested resource doesn\u2019t exist. (table)');
    return !!t;
  }
  protected fetch(prop: string): unknown {
    const t = this.resolve();
    if (prop === 'name') return t?.name ?? null;
    throw new FakeOfficeError('InvalidArgument', `Cannot load ${prop}`);
  }
  fill(props: string[]): void {
    this.nullObject = false;
    this.data['isNullObject'] = false;
    for (const p of props) {
      if (p === 'worksheet/name') this.worksheet.fill(['name']);
      else this.data[p] = this.fetch(p);
    }
  }
  get name(): string {
    return this.get('name') as string;
  }
  /** A name unique in the workbook (tables, case-insensitive): letters, digits, _ and ., not a cell address. */
  set name(name: string) {
    this.command(() => {
      const t = this.resolve() as FakeWorkbook['tables'][number];
      if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || name.length > 255)
        throw new FakeOfficeError('InvalidArgument', `The table name ${JSON.stringify(name)} is invalid.`);
      if (this.context.book.tables.some((x) => x !== t && x.name.toLowerCase() === name.toLowerCase()))
        throw new FakeOfficeError('InvalidArgument', 'A table with this name already exists.');
      t.name = name;
    });
  }
  getRange(): Range {
    return new Range(this.context, () => {
      const t = this.resolve();
      return t ? { sheet: t.sheet, rect: t.rect } : null;
    });
  }
  /** ExcelApi 1.2: the table goes, its cells stay as they are. */
  convertToRange(): void {
    this.command(() => {
      const t = this.resolve() as FakeWorkbook['tables'][number];
      denyIfProtected(t.sheet);
      this.context.book.tables = this.context.book.tables.filter((x) => x !== t);
    });
  }
  /** ExcelApi 1.13: the same header row, another extent, not overlapping another table. */
  resize(address: string): void {
    this.context.requireApi(13, 'Table.resize');
    this.command(() => {
      const t = this.resolve() as FakeWorkbook['tables'][number];
      const rect = parseAddress(address).rect;
      denyIfProtected(t.sheet);
      if (rect.r !== t.rect.r || rect.rows < 2)
        throw new FakeOfficeError('InvalidArgument', 'A table keeps its header row and at least one row.');
      if (this.context.book.tables.some((x) => x !== t && x.sheet === t.sheet && overlap(x.rect, rect)))
        throw new FakeOfficeError('InvalidArgument', 'A table can\u2019t overlap another table.');
      denyIfMerged(t.sheet, rect);
      t.rect = rect;
    });
  }
}

class FakeSettings {
  private values: Record<string, unknown>;
  constructor(private readonly book: FakeWorkbook) {
    this.values = JSON.parse(JSON.stringify(book.savedSettings)) as Record<string, unknown>;
  }
  get(name: string): unknown {
    return name in this.values ? JSON.parse(JSON.stringify(this.values[name])) : null;
  }
  set(name: string, value: unknown): void {
    this.values[name] = JSON.parse(JSON.stringify(value));
  }
  remove(name: string): void {
    delete this.values[name];
  }
  saveAsync(optionsOrCb?: unknown, cb?: (r: { status: string; error?: unknown }) => void): void {
    const callback = (typeof optionsOrCb === 'function' ? optionsOrCb : cb) as
      ((r: { status: string; error?: unknown }) => void) | undefined;
    this.book.stats.settingsSaves++;
    const json = JSON.stringify(this.values);
    setTimeout(() => {
      if (json.length > 2_000_000) {
        callback?.({
          status: 'failed',
          error: { code: 2, name: 'Settings', message: 'Settings are limited to 2 MB.' },
        });
        return;
      }
      this.book.savedSettings = JSON.parse(json) as Record<string, unknown>;
      callback?.({ status: 'succeeded' });
    }, 0);
  }
  refreshAsync(cb?: (r: { status: string }) => void): void {
    this.values = JSON.parse(JSON.stringify(this.book.savedSettings)) as Record<string, unknown>;
    setTimeout(() => cb?.({ status: 'succeeded' }), 0);
  }
}

function base64url(s: string): string {
  const b64 =
    typeof btoa === 'function'
      ? btoa(unescape(encodeURIComponent(s)))
      : (globalThis as any).Buffer.from(s, 'utf8').toString('base64');
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jwt(claims: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

/**
 * Excel's NAA broker as MSAL.js reaches it: `postMessage(json)` of a NestedAppAuthRequest envelope,
 * answered by a NestedAppAuthResponse to the "message" listeners (the protocol of msal-browser's
 * BridgeProxy). Tokens are issued for the client ID MSAL asks with, as Entra ID would for the
 * district's app registration; nothing is signed.
 */
function fakeNaaBridge(naa: FakeNaa, requests: FakeOffice['naaRequests']): any {
  const listeners: ((r: string) => void)[] = [];
  const tid = naa.tenantId ?? FAKE_TENANT;
  const oid = 'c1a2b3c4-0000-4000-8000-0000000000aa';
  const account = {
    homeAccountId: `${oid}.${tid}`,
    environment: 'login.microsoftonline.com',
    tenantId: tid,
    username: naa.user,
    localAccountId: oid,
    name: naa.user.split('@')[0],
  };
  const answer = (body: Record<string, unknown>): void => {
    const json = JSON.stringify({ messageType: 'NestedAppAuthResponse', ...body });
    setTimeout(() => {
      for (const l of listeners) l(json);
    }, 0);
  };
  const token = (clientId: string, scope: string): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      access_token: jwt({ aud: '00000003-0000-0000-c000-000000000000', tid, scp: scope }),
      id_token: jwt({
        aud: clientId,
        iss: `https://login.microsoftonline.com/${tid}/v2.0`,
        tid,
        oid,
        sub: 'fake-subject',
        preferred_username: naa.user,
        name: account.name,
        email: 'not-the-address-to-use@example.org',
        iat: now,
        nbf: now,
        exp: now + 3600,
        ver: '2.0',
      }),
      expires_in: 3600,
      scope,
      properties: null,
    };
  };
  return {
    addEventListener(name: string, cb: (r: string) => void): void {
      if (name === 'message') listeners.push(cb);
    },
    removeEventListener(name: string, cb: (r: string) => void): void {
      const i = listeners.indexOf(cb);
      if (name === 'message' && i >= 0) listeners.splice(i, 1);
    },
    postMessage(message: string): void {
      const m = JSON.parse(message) as {
        method: string;
        requestId: string;
        tokenParams?: { clientId: string; scope: string; extraParameters?: unknown; loginHint?: string };
      };
      const p = m.tokenParams;
      requests.push({
        method: m.method,
        ...(p ? { clientId: p.clientId, scope: p.scope } : {}),
        ...(p?.loginHint ? { loginHint: p.loginHint } : {}),
      });
      if (m.method === 'GetInitContext')
        return answer({
          requestId: m.requestId,
          success: true,
          initContext: {
            sdkName: 'fake-excel-naa',
            sdkVersion: '1.0.0',
            capabilities: { queryAccount: false },
            accountContext: {
              homeAccountId: account.homeAccountId,
              environment: account.environment,
              tenantId: tid,
            },
          },
        });
      if (!p)
        return answer({ requestId: m.requestId, success: false, error: { status: 'PERSISTENT_ERROR' } });
      if (m.method === 'GetToken' && naa.fail)
        return answer({
          requestId: m.requestId,
          success: false,
          error: {
            status: 'USER_INTERACTION_REQUIRED',
            code: 'interaction_required',
            description: 'AADSTS65001: The user has not consented to use the application.',
          },
        });
      if (m.method === 'GetTokenPopup' && naa.fail === 'cancel')
        return answer({
          requestId: m.requestId,
          success: false,
          error: { status: 'USER_CANCEL', code: 'user_cancelled', description: 'User cancelled the flow.' },
        });
      return answer({ requestId: m.requestId, success: true, token: token(p.clientId, p.scope), account });
    },
  };
}

export interface FakeOffice {
  Excel: any;
  Office: any;
  OfficeRuntime: any;
  book: FakeWorkbook;
  /** Function commands registered with Office.actions.associate. */
  actions: Map<string, (event: any) => unknown>;
  /** Runs a ribbon command; resolves when it calls event.completed(). */
  invoke(name: string): Promise<void>;
  /** A user types or pastes values at `address` (coerced as typed), then the change events fire. */
  userEdit(sheet: string, address: string, values: FakeCellValue[][]): Promise<void>;
  /** A user inserts `count` rows before row `row` (0-based): cells, fills and notes move down. */
  userInsertRows(sheet: string, row: number, count: number): Promise<void>;
  /** Waits until every event handler fired so far has settled. */
  settle(): Promise<void>;
  /** Current values of a sheet's used range from A1 (test inspection, no round trip). */
  values(sheet: string): FakeCellValue[][];
  cell(
    sheet: string,
    address: string,
  ): {
    value: FakeCellValue;
    fill?: string;
    format?: string;
    formula?: string;
    note?: string;
    bold?: boolean;
  };
  notes(sheet: string): Record<string, string>;
  sheetModel(sheet: string): SheetModel;
  resetStats(): void;
  /** A new session on the same document: unsaved settings are lost, handlers are gone. */
  reopen(): FakeOffice;
  showAsTaskpaneCalls: number;
  /** What MSAL asked Excel's NAA broker: method, client ID and scopes of each request. */
  naaRequests: { method: string; clientId?: string; scope?: string; loginHint?: string }[];
  /** The bridge MSAL finds on window when `naa` is set (installFakeOffice puts it there). */
  naaBridge: any;
  /** Legacy getAccessToken calls. */
  ssoCalls: number;
}

export function createFakeOffice(options: FakeOptions = {}, existing?: FakeWorkbook): FakeOffice {
  const book = existing ?? new FakeWorkbook(options);
  if (existing) book.handlers = [];
  activeBook = book;
  const actions = new Map<string, (event: any) => unknown>();
  const settings = new FakeSettings(book);
  const excelApi = book.excelApi;
  let readyCallbacks: ((info: { host: string; platform: string }) => void)[] = [];
  let ready = false;
  const info: { host: string; platform: string } = { host: 'Excel', platform: options.platform ?? 'PC' };

  const Excel = {
    run: async <T>(
      first: { mergeUndoGroup?: boolean } | ((ctx: RequestContext) => Promise<T>),
      second?: (ctx: RequestContext) => Promise<T>,
    ): Promise<T> => {
      const batch = (typeof first === 'function' ? first : second) as (ctx: RequestContext) => Promise<T>;
      const runOptions = typeof first === 'function' ? {} : first;
      activeBook = book;
      book.stats.runs++;
      const ctx = new RequestContext(book);
      if (runOptions.mergeUndoGroup) {
        // RunOptions.mergeUndoGroup is ExcelApi 1.20; older hosts ignore options they do not know.
        if (book.excelApi >= 20) {
          ctx.undoGroup = true;
          book.stats.undoGroups++;
        }
      }
      try {
        const result = await batch(ctx);
        if (ctx.pendingCommands > 0) await ctx.sync();
        return result;
      } finally {
        ctx.closed = true;
      }
    },
    RequestContext,
    ClearApplyTo: { all: 'All', formats: 'Formats', contents: 'Contents' },
    EventTriggerSource: { unknown: 'Unknown', thisLocalAddin: 'ThisLocalAddin' },
    DataChangeType: { rangeEdited: 'RangeEdited', rowInserted: 'RowInserted', rowDeleted: 'RowDeleted' },
    ErrorCodes: {
      invalidArgument: 'InvalidArgument',
      itemNotFound: 'ItemNotFound',
      propertyNotLoaded: 'PropertyNotLoaded',
      accessDenied: 'AccessDenied',
    },
  };

  const handle: FakeOffice = {
    Excel,
    Office: undefined,
    OfficeRuntime: undefined,
    book,
    actions,
    showAsTaskpaneCalls: 0,
    naaRequests: [],
    naaBridge: undefined,
    ssoCalls: 0,
    invoke(name: string): Promise<void> {
      const fn = actions.get(name);
      if (!fn) return Promise.reject(new Error(`no action associated with ${name}`));
      return new Promise<void>((resolve, reject) => {
        const event = { source: { id: name }, completed: () => resolve() };
        Promise.resolve()
          .then(() => fn(event))
          .catch(reject);
      });
    },
    userEdit(sheet: string, address: string, values: FakeCellValue[][]): Promise<void> {
      const s = book.sheet(sheet);
      if (!s) throw new Error(`no sheet ${sheet}`);
      if (s.protected) throw new Error(`${sheet} is protected: Excel refuses the edit`);
      const { rect } = parseAddress(address);
      if (values.length !== rect.rows || values.some((r) => r.length !== rect.cols))
        throw new Error('userEdit: values do not fit the address');
      const before = rect.rows === 1 && rect.cols === 1 ? (book.cell(s, rect.r, rect.c)?.v ?? '') : undefined;
      values.forEach((row, i) =>
        row.forEach((v, j) => {
          const stored = coerce(v, book.cell(s, rect.r + i, rect.c + j)?.fmt);
          book.setCell(s, rect.r + i, rect.c + j, stored.formula ? stored : { v: stored.v });
        }),
      );
      const details =
        before !== undefined
          ? {
              valueBefore: before,
              valueAfter: book.cell(s, rect.r, rect.c)?.v ?? '',
              valueTypeBefore: typeof before === 'number' ? 'Double' : before === '' ? 'Empty' : 'String',
              valueTypeAfter: 'String',
            }
          : undefined;
      return book.fire(s, rect, 'Unknown', 'RangeEdited', details);
    },
    userInsertRows(sheet: string, row: number, count: number): Promise<void> {
      const s = handle.sheetModel(sheet);
      if (s.protected) throw new Error(`${sheet} is protected: Excel refuses the edit`);
      if (s.cells.length > row) s.cells.splice(row, 0, ...Array.from({ length: count }, () => []));
      const moved = new Map<string, string>();
      for (const [cell, note] of s.notes) {
        const { rect } = parseAddress(cell);
        moved.set(rectAddress(rect.r >= row ? { ...rect, r: rect.r + count } : rect), note);
      }
      s.notes = moved;
      return book.fire(s, { r: row, c: 0, rows: count, cols: MAX_COLS }, 'Unknown', 'RowInserted');
    },
    async settle(): Promise<void> {
      for (let i = 0; i < 50; i++) {
        const ps = book.pending;
        book.pending = [];
        await Promise.all(ps);
        await new Promise((r) => setTimeout(r, 0));
        if (book.pending.length === 0) return;
      }
    },
    values(sheet: string): FakeCellValue[][] {
      const s = handle.sheetModel(sheet);
      const used = book.usedRect(s, true);
      return used ? book.valuesOf(s, { r: 0, c: 0, rows: used.r + used.rows, cols: used.c + used.cols }) : [];
    },
    cell(sheet: string, address: string) {
      const s = handle.sheetModel(sheet);
      const { rect } = parseAddress(address);
      const c = book.cell(s, rect.r, rect.c);
      const note = s.notes.get(rectAddress({ ...rect, rows: 1, cols: 1 }));
      return {
        value: c?.v ?? '',
        ...(c?.fill !== undefined ? { fill: c.fill } : {}),
        ...(c?.fmt !== undefined ? { format: c.fmt } : {}),
        ...(c?.formula !== undefined ? { formula: c.formula } : {}),
        ...(c?.bold ? { bold: true } : {}),
        ...(note !== undefined ? { note } : {}),
      };
    },
    notes(sheet: string): Record<string, string> {
      return Object.fromEntries(handle.sheetModel(sheet).notes);
    },
    sheetModel(sheet: string): SheetModel {
      const s = book.sheet(sheet);
      if (!s) throw new Error(`no sheet ${sheet}`);
      return s;
    },
    resetStats(): void {
      book.stats = { syncs: 0, runs: 0, commands: [], settingsSaves: 0, undoGroups: 0 };
    },
    reopen(): FakeOffice {
      return createFakeOffice(options, book);
    },
  };

  handle.Office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { PC: 'PC', OfficeOnline: 'OfficeOnline', Mac: 'Mac', iOS: 'iOS' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    onReady(cb?: (i: typeof info) => void): Promise<typeof info> {
      if (cb) {
        if (ready) setTimeout(() => cb(info), 0);
        else readyCallbacks.push(cb);
      }
      return new Promise((resolve) => {
        if (ready) resolve(info);
        else readyCallbacks.push(resolve);
      });
    },
    actions: {
      associate(name: string, fn: (event: any) => unknown): void {
        actions.set(name, fn);
      },
    },
    addin: {
      showAsTaskpane(): Promise<void> {
        handle.showAsTaskpaneCalls++;
        return Promise.resolve();
      },
      hide(): Promise<void> {
        return Promise.resolve();
      },
    },
    context: {
      host: 'Excel',
      platform: info.platform,
      displayLanguage: 'en-US',
      document: { settings },
      requirements: {
        isSetSupported(name: string, version?: string | number): boolean {
          const v = Number(String(version ?? '1.1').split('.')[1] ?? 1);
          if (name === 'ExcelApi') return v <= excelApi;
          if (name === 'SharedRuntime') return true;
          if (name === 'IdentityAPI') return options.ssoUser !== undefined && options.ssoUser !== null;
          if (name === 'NestedAppAuth') return options.naa !== undefined && v <= 1;
          return false;
        },
      },
    },
  };

  const getAccessToken = (): Promise<string> => {
    handle.ssoCalls++;
    const user = options.ssoUser;
    if (user === undefined || user === null)
      return Promise.reject(
        Object.assign(new Error('The add-in is not configured for single sign-on.'), {
          code: 13000,
          name: 'API Not Supported',
        }),
      );
    const tid = options.ssoTenant ?? FAKE_TENANT;
    return Promise.resolve(
      jwt({
        aud: options.ssoResource ?? 'api://localhost:3000/fake',
        iss: `https://login.microsoftonline.com/${tid}/v2.0`,
        tid,
        preferred_username: user,
        name: user.split('@')[0],
        ver: '2.0',
      }),
    );
  };
  handle.OfficeRuntime = { auth: { getAccessToken } };
  handle.Office.auth = {
    getAccessToken,
    getAuthContext(): Promise<unknown> {
      const naa = options.naa;
      if (!naa) return Promise.reject(new Error('NestedAppAuth is not supported'));
      const tenantId = naa.tenantId ?? FAKE_TENANT;
      return Promise.resolve({
        userObjectId: 'c1a2b3c4-0000-4000-8000-0000000000aa',
        tenantId,
        userPrincipalName: naa.user,
        authorityType: 'aad',
        authorityBaseUrl: 'https://login.microsoftonline.com',
      });
    },
  };
  if (options.naa) handle.naaBridge = fakeNaaBridge(options.naa, handle.naaRequests);

  // Office.onReady resolves once the host is ready: after the page's scripts have run.
  setTimeout(() => {
    ready = true;
    const cbs = readyCallbacks;
    readyCallbacks = [];
    for (const cb of cbs) cb(info);
  }, 0);

  return handle;
}

/** Puts Excel, Office and OfficeRuntime on a global object (window in Chromium, globalThis in jest). */
export function installFakeOffice(target: Record<string, unknown>, options: FakeOptions = {}): FakeOffice {
  const fake = createFakeOffice(options);
  target['Excel'] = fake.Excel;
  target['Office'] = fake.Office;
  target['OfficeRuntime'] = fake.OfficeRuntime;
  if (fake.naaBridge) target['nestedAppAuthBridge'] = fake.naaBridge;
  return fake;
}
