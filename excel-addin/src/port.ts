/**
 * ExcelPort: the workbook port over the Excel JavaScript API. One `Excel.run` with exactly one
 * `context.sync()` per read and one per write; no sync in a loop (everything is queued first).
 *
 * Where things live in the document:
 * - values, number formats, header rows: the sheets;
 * - marks: a fill by severity plus a note (ExcelApi 1.18 notes) on the cell; where Excel has no notes
 *   (Office LTSC 2021 and 2024), the fill plus a row on the "Budgetline Findings" sheet, which the
 *   port rewrites whenever its marks change (requirements.ts);
 * - Budgetline's own bookkeeping, in Office.context.document.settings (per document, per add-in):
 *     budgetline.state      the DocumentState (workflow state of each site, last audit hash)
 *     budgetline.marks      the cells Budgetline marked, by sheet: a write clears marks without
 *                           having to read first (the notes API cannot list notes with their cells
 *                           in one round trip)
 *     budgetline.protected  the sheets Budgetline protected, with the reason
 *     budgetline.findings   without notes: each marked cell's severity and finding, by sheet
 *     budgetline.findingsRows  how many findings the Findings sheet lists (rows to blank next time)
 *     budgetline.underMarks the user's own fill and note of each cell Budgetline marked, put back
 *                           when the mark clears (as the .xlsx adapter does). They are loaded in the
 *                           write's own batch, before the mark replaces them: still one round trip.
 *   Settings are read without a round trip (Office loads them with the document) and saved with
 *   saveAsync after the write's sync.
 *
 * - charts (ExcelApi 1.1; getItemOrNullObject 1.4): a chart of the batch replaces the chart of the
 *   same name on its sheet (deleted, then added in the same batch), named, titled and placed over
 *   its anchor's cells (setPosition);
 * - print setup (ExcelApi 1.9, what the manifest requires): the sheet's pageLayout — orientation,
 *   zoom (fit to one page wide: horizontalFitToPages 1, verticalFitToPages 0 = as tall as needed),
 *   print title rows, and every page's header and footer in Excel's codes (&P of &N). Title rows
 *   left out of a setup leave the sheet's print titles as they are (Excel has no call that clears them).
 *
 * Excel-specific care the contract needs:
 * - Excel coerces written strings ("001" → 1, "TRUE" → true, "=1+1" → a formula): strings that
 *   would change are written with a leading apostrophe, which Excel keeps as "text" and drops.
 * - `null` in a values array means "leave the cell" to Excel: blanks are written as "".
 * - A protected sheet refuses every change, even Budgetline's: a write that touches one unprotects
 *   it, writes, and protects it again, in the same batch.
 * - A sheet must be created with `add` only when missing: the port remembers the sheet names of its
 *   last read (operations always read first); a write with nothing remembered loads them first.
 */
import {
  a1,
  auditHeadOf,
  chartEndCell,
  checkChartsAndPrint,
  headerFooterCodes,
  parseTitleRows,
  checkChainHead,
  SHEETS,
  absoluteRange,
  closeRange,
  planTable,
  decodeComputedHashes,
  decodeDocumentState,
  insideClear,
  mergeComputedHashes,
  padRow,
  quoteSheetName,
  uniqueTableName,
  type DecodedState,
  parseA1,
  type CellMark,
  type CellValue,
  type ChartSpec,
  type PortUser,
  type ReadRequest,
  type RowWindow,
  type Snapshot,
  type TableSpec,
  type MergedArea,
  type WorkbookPort,
  type WriteBatch,
} from '../../core';
import { supports } from './requirements';
import { signIn, type SignInOutcome } from './signin';

export const SETTINGS = {
  state: 'budgetline.state',
  marks: 'budgetline.marks',
  protected: 'budgetline.protected',
  findings: 'budgetline.findings',
  findingsRows: 'budgetline.findingsRows',
  underMarks: 'budgetline.underMarks',
  computed: 'budgetline.computed',
} as const;

/** Where the findings are listed when Excel has no notes (ExcelApi < 1.18). */
export const FINDINGS_SHEET = 'Budgetline Findings';
export const FINDINGS_HEADER = ['Sheet', 'Cell', 'Severity', 'Finding'] as const;

/** Excel's chart type for each of the port's. */
export const EXCEL_CHART_TYPE = {
  pie: 'Pie',
  column: 'ColumnClustered',
  bar: 'BarClustered',
  line: 'Line',
} as const satisfies Readonly<Record<ChartSpec['type'], `${Excel.ChartType}`>>;

/** Fill colours of marks (Excel's "bad" and "neutral" cell styles). */
export const MARK_FILL: Readonly<Record<CellMark['severity'], string>> = {
  fatal: '#FFC7CE',
  warning: '#FFEB9C',
};

export function severityOfFill(color: string | null | undefined): CellMark['severity'] | undefined {
  const c = (color ?? '').toUpperCase();
  return (Object.keys(MARK_FILL) as CellMark['severity'][]).find((k) => MARK_FILL[k] === c);
}

const PROTECTION: Excel.WorksheetProtectionOptions = {
  allowAutoFilter: true,
  allowFormatCells: false,
  allowFormatColumns: true,
  allowFormatRows: false,
  allowInsertRows: false,
  allowDeleteRows: false,
  allowEditObjects: false,
  allowSort: false,
};

/** Strings Excel would turn into a number, boolean, date, formula or error: written after an apostrophe. */
export function needsTextPrefix(s: string): boolean {
  if (s === '') return false;
  if (/^[=+\-@'#]/.test(s)) return true;
  if (/^\s|\s$/.test(s)) return true;
  const t = s.trim();
  if (/^(true|false)$/i.test(t)) return true;
  if (/^[$(]?[-+]?[\d.,]/.test(t)) return true;
  if (/^\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?$/.test(t)) return true;
  if (/^\d{1,2}:\d{2}/.test(t)) return true;
  return false;
}

function toExcel(v: CellValue): string | number | boolean {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'string') return needsTextPrefix(v) ? `'${v}` : v;
  if (typeof v === 'number' && !Number.isFinite(v)) return '';
  return v;
}

function fromExcel(v: unknown): CellValue {
  if (v === '' || v === undefined) return null;
  return v as CellValue;
}

function stateOf(d: DecodedState): Pick<Snapshot, 'state' | 'stateDiagnostics'> {
  return { state: d.state, ...(d.diagnostics.length ? { stateDiagnostics: d.diagnostics } : {}) };
}

type MarkRegistry = Record<string, string[]>;
/** What a cell had before Budgetline marked it: sheet → cell → the user's fill and note. */
type UnderMarks = Record<string, Record<string, { fill?: string; note?: string }>>;

function copyUnderMarks(raw: unknown): UnderMarks {
  const out: UnderMarks = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [sheet, cells] of Object.entries(raw as UnderMarks)) out[sheet] = { ...cells };
  return out;
}

/** Without notes: sheet → cell → [severity, finding]. */
type FindingsRegistry = Record<string, Record<string, [CellMark['severity'], string]>>;

function copyFindings(raw: unknown): FindingsRegistry {
  const out: FindingsRegistry = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [sheet, cells] of Object.entries(raw as FindingsRegistry)) out[sheet] = { ...cells };
  return out;
}

function findingsRows(findings: FindingsRegistry): string[][] {
  const rows: string[][] = [];
  for (const sheet of Object.keys(findings).sort())
    for (const [cell, [severity, note]] of Object.entries(findings[sheet] ?? {}).sort(
      ([a], [b]) =>
        (parseA1(a)?.row ?? 0) - (parseA1(b)?.row ?? 0) || a.length - b.length || a.localeCompare(b),
    ))
      rows.push([sheet, cell, severity, note]);
  return rows;
}

interface OfficeSettingsLike {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  remove(name: string): void;
  saveAsync(callback?: (result: Office.AsyncResult<void>) => void): void;
}

function settings(): OfficeSettingsLike {
  return Office.context.document.settings as unknown as OfficeSettingsLike;
}

export interface ExcelPortOptions {
  /** Sign-in (signin.ts: NAA, then Office SSO); off: nobody is verified (default: try it once). */
  readonly sso?: boolean;
}

/** Called with the sheet and A1 range of each values write, so the change handler can skip its own writes. */
export type OwnWriteListener = (sheet: string, address: string) => void;

export class ExcelPort implements WorkbookPort {
  /** Sheet names (tab order) as of the last round trip. */
  private knownSheets: string[] | undefined;
  private signInPromise: Promise<SignInOutcome> | undefined;
  /** The Excel tables (sheet, name, range) as of the last read with tables: a write plans with them. */
  private knownTables: TableSpec[] | undefined;
  /** The merged cells of every sheet as of the last read with tables (ExcelApi 1.13), which no table may hold. */
  private knownMerged: MergedArea[] = [];
  private readonly sso: boolean;
  onOwnWrite: OwnWriteListener | undefined;
  /** The audit chain head as of the last read that included the Audit sheet (checked before a write). */
  private readHead: string | undefined;

  constructor(options: ExcelPortOptions = {}) {
    this.sso = options.sso ?? true;
  }

  // ---- read ------------------------------------------------------------------------------

  async read(request: ReadRequest): Promise<Snapshot> {
    const userPromise = request.user ? this.user() : undefined;
    const snapshot = await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      // The Excel tables and their sheets, for a write that makes or resizes tables (same sync; their
      // ranges take a second sync below, as a table's range is a method, not a loadable property).
      const tables = request.tables ? context.workbook.tables : undefined;
      tables?.load('items/name,items/worksheet/name');

      // Whole sheets: the used range (values only) of each.
      const wholeNames = request.sheets === 'all' ? undefined : [...new Set(request.sheets ?? [])];
      const whole: {
        name: string | null;
        ws: Excel.Worksheet;
        used: Excel.Range;
        merged?: Excel.RangeAreas | undefined;
      }[] = [];
      // With the tables, each sheet's merged cells (no table may hold them), in this same sync: those
      // inside the used range are all a table over the sheet's rows could meet.
      const mergedIn = (used: Excel.Range): Excel.RangeAreas | undefined =>
        request.tables && supports('mergedAreas')
          ? used.getMergedAreasOrNullObject().load('address')
          : undefined;
      if (wholeNames) {
        for (const name of wholeNames) {
          const ws = sheets.getItemOrNullObject(name);
          const used = ws.getUsedRangeOrNullObject(true);
          used.load('values,rowIndex,columnIndex');
          whole.push({ name, ws, used, merged: mergedIn(used) });
        }
      } else {
        // 'all': walk the tab order in the same batch (a name is not known before the sync).
        const guess = Math.max(32, (this.knownSheets?.length ?? 0) + 16);
        let ws = sheets.getFirst();
        for (let i = 0; i < guess; i++) {
          ws.load('name');
          const used = ws.getUsedRangeOrNullObject(true);
          used.load('values,rowIndex,columnIndex');
          whole.push({ name: null, ws, used, merged: mergedIn(used) });
          ws = ws.getNextOrNullObject();
        }
      }

      // Row windows: the header row and rows from..to, cut to the used columns.
      const windows = (request.rows ?? []).map((w) => {
        const ws = sheets.getItemOrNullObject(w.sheet);
        ws.load('name');
        const used = ws.getUsedRangeOrNullObject(true);
        used.load('columnIndex,columnCount');
        const header = ws.getRange('1:1').getIntersectionOrNullObject(used);
        header.load('values,columnIndex');
        const from = Math.max(0, w.from);
        const rows =
          w.to >= from ? ws.getRange(`${from + 1}:${w.to + 1}`).getIntersectionOrNullObject(used) : null;
        rows?.load('values,rowIndex,columnIndex');
        return { w, ws, used, header, rows, from };
      });

      await context.sync();
      const tableList = tables ? await tablesOf(context, tables) : undefined;

      const sheetNames = sheets.items.map((s) => s.name);
      const out: Record<string, CellValue[][]> = {};
      const merged: MergedArea[] = [];
      for (const entry of whole) {
        if (entry.ws.isNullObject) continue;
        const name =
          entry.name !== null
            ? sheetNames.find((n) => n.toLowerCase() === entry.name?.toLowerCase())
            : entry.ws.name;
        if (name === undefined) continue;
        if (entry.merged && !entry.merged.isNullObject)
          for (const range of mergedRanges(entry.merged.address)) merged.push({ sheet: name, range });
        out[entry.name ?? name] = entry.used.isNullObject
          ? []
          : fromA1(entry.used.values, entry.used.rowIndex, entry.used.columnIndex);
      }
      const rowWindows: RowWindow[] = [];
      for (const { w, ws, used, header, rows, from } of windows) {
        if (ws.isNullObject) continue;
        const width = used.isNullObject ? 0 : used.columnIndex + used.columnCount;
        const headerRow = header.isNullObject ? [] : (fromA1(header.values, 0, header.columnIndex)[0] ?? []);
        const values: CellValue[][] = [];
        const got =
          rows && !rows.isNullObject ? fromA1(rows.values, rows.rowIndex - from, rows.columnIndex) : [];
        for (let r = from; r <= w.to; r++) values.push(padRow(got[r - from] ?? [], width));
        rowWindows.push({ sheet: w.sheet, from: w.from, to: w.to, header: padRow(headerRow, width), values });
      }
      this.knownSheets = sheetNames;
      // What a write plans its tables with: this read's, or (undefined) loaded again by that write.
      this.knownTables = tableList;
      this.knownMerged = merged;
      return {
        sheetNames,
        sheets: out,
        windows: rowWindows,
        ...(tableList
          ? { tables: tableList.map((t) => ({ ...t })), merged: merged.map((m) => ({ ...m })) }
          : {}),
      };
    });
    if (request.sheets === 'all') {
      // More sheets than the walk covered (rare: it covers the last count + 16): read the rest.
      const missing = snapshot.sheetNames.filter((n) => snapshot.sheets[n] === undefined);
      if (missing.length) {
        const merged = this.knownMerged;
        const rest = await this.read({ sheets: missing, ...(request.tables ? { tables: true } : {}) });
        Object.assign(snapshot.sheets, rest.sheets);
        this.knownMerged = [...merged, ...this.knownMerged];
        if (rest.tables) Object.assign(snapshot, { tables: rest.tables, merged: this.knownMerged });
      }
    }
    if (wantsAudit(request)) this.readHead = auditHeadOf(snapshot.sheets[SHEETS.audit]);
    return {
      ...snapshot,
      ...(request.state ? stateOf(this.state()) : {}),
      ...(request.state || request.computedHashes
        ? { computedHashes: decodeComputedHashes(settings().get(SETTINGS.computed)) }
        : {}),
      ...(userPromise ? { user: await userPromise } : {}),
    };
  }

  /** The document state, from settings (no round trip), decoded by the core (BL820 when unreadable). */
  state(): DecodedState {
    return decodeDocumentState(settings().get(SETTINGS.state));
  }

  /** The user sign-in verified (signin.ts), or null (self-declared). Cached. */
  async user(): Promise<PortUser | null> {
    return (await this.signIn()).user;
  }

  /** How the user was identified, and why earlier ways gave nobody. Tried once, then cached. */
  signIn(): Promise<SignInOutcome> {
    if (!this.sso) return Promise.resolve({ path: 'self-declared', user: null, diagnostics: [] });
    this.signInPromise ??= signIn();
    return this.signInPromise;
  }

  // ---- write -----------------------------------------------------------------------------

  async write(batch: WriteBatch): Promise<void> {
    // A step that extends the chain re-reads its head first (one small read): under co-authoring
    // someone else may have added an entry since the step read it. A mismatch writes nothing.
    const extendsChain =
      batch.state !== undefined || (batch.sheets ?? []).some((w) => sameName(w.sheet, SHEETS.audit));
    if (extendsChain && this.readHead !== undefined) {
      const current = await Excel.run(async (context) => {
        const used = context.workbook.worksheets
          .getItemOrNullObject(SHEETS.audit)
          .getUsedRangeOrNullObject(true);
        used.load('values,rowIndex,columnIndex');
        await context.sync();
        return used.isNullObject
          ? undefined
          : fromA1(used.values as CellValue[][], used.rowIndex, used.columnIndex);
      });
      checkChainHead(this.readHead, auditHeadOf(current));
    }
    this.readHead = undefined;
    const store = settings();
    const registry: MarkRegistry = { ...((store.get(SETTINGS.marks) as MarkRegistry | null) ?? {}) };
    const protectedSheets: Record<string, string> = {
      ...((store.get(SETTINGS.protected) as Record<string, string> | null) ?? {}),
    };
    let settingsChanged = false;
    const ownWrites: [string, string][] = [];
    // Without notes (ExcelApi < 1.18) the findings go to a sheet of their own.
    const notes = supports('notes');
    const findings = notes ? {} : copyFindings(store.get(SETTINGS.findings));
    const findingsBefore = notes ? 0 : Number(store.get(SETTINGS.findingsRows) ?? 0) || 0;
    let findingsChanged = false;
    const under = copyUnderMarks(store.get(SETTINGS.underMarks));
    /** Cells newly marked by this write: their fill and note as loaded in the batch, before the mark. */
    const loaded: { sheet: string; cell: string; fill: Excel.RangeFill; note: Excel.Note | undefined }[] = [];

    const drawn = (batch.charts?.length ?? 0) + (batch.print?.length ?? 0) > 0;
    if (!this.knownSheets && (batch.sheets?.length || (!notes && batch.marks?.length) || drawn))
      await this.loadSheetNames();
    // A chart or print setup that cannot be written fails here, before anything is written.
    if (drawn) checkChartsAndPrint(batch, this.knownSheets ?? []);

    // A write that only marks and unmarks cells (live validation) is one undo step where Excel
    // groups add-in writes (ExcelApi 1.20, mergeUndoGroup), so Ctrl+Z takes back all of a mark or
    // none of it. Protection does not support undo (grouping it fails with UndoNotSupported), so a
    // write that protects, unprotects or touches a protected sheet is not grouped.
    const touchedNames = [
      ...(batch.sheets ?? []).map((w) => w.sheet),
      ...(batch.marks ?? []).map((m) => m.sheet),
      ...(batch.clearMarks ?? []).map((c) => c.sheet),
      ...(batch.dropdowns ?? []).map((d) => d.sheet),
    ];
    const protectedNames = new Set(Object.keys(protectedSheets).map((n) => n.toLowerCase()));
    const runOptions: Excel.RunOptions = {};
    if (
      supports('undoGroup') &&
      !batch.protect?.length &&
      !batch.unprotect?.length &&
      batch.state === undefined &&
      !touchedNames.some((n) => protectedNames.has(n.toLowerCase()))
    )
      runOptions.mergeUndoGroup = true;
    if (!this.knownTables && batch.tables?.length) await this.loadTables();
    const known = new Set((this.knownSheets ?? []).map((n) => n.toLowerCase()));

    await Excel.run(runOptions, async (context) => {
      const sheets = context.workbook.worksheets;
      const handles = new Map<string, Excel.Worksheet>();
      const touched = new Set<string>();
      const sheet = (name: string): Excel.Worksheet => {
        const key = name.toLowerCase();
        let ws = handles.get(key);
        if (!ws) {
          ws = sheets.getItem(name);
          handles.set(key, ws);
        }
        if (!touched.has(key) && protectedSheets[name] !== undefined) ws.protection.unprotect();
        touched.add(key);
        return ws;
      };

      for (const w of batch.sheets ?? []) {
        const key = w.sheet.toLowerCase();
        if (!known.has(key) && !handles.has(key)) {
          handles.set(key, sheets.add(w.sheet));
          known.add(key);
          touched.add(key);
        }
        const ws = sheet(w.sheet);
        const at = parseA1(w.at ?? 'A1') ?? { row: 0, column: 0 };
        if (w.replace) ws.getRange().clear('Contents');
        const width = Math.max(0, ...w.values.map((r) => r.length));
        if (w.values.length === 0 || width === 0) continue;
        const formats = w.columnFormats ?? [];
        const blank = (v: CellValue | undefined): boolean => v === null || v === undefined || v === '';
        for (let j = 0; j < width; j++) {
          // clearFormats: a column written all null gets Excel's General format back.
          const f = w.clearFormats && w.values.every((r) => blank(r[j])) ? 'General' : formats[j];
          if (f === null || f === undefined) continue;
          ws.getRangeByIndexes(at.row, at.column + j, w.values.length, 1).numberFormat = w.values.map(() => [
            f,
          ]);
        }
        const grid = w.values.map((row) => Array.from({ length: width }, (_, j) => toExcel(row[j])));
        const range = ws.getRangeByIndexes(at.row, at.column, w.values.length, width);
        range.values = grid;
        const last = a1(at.row + w.values.length - 1, at.column + width - 1);
        const first = a1(at.row, at.column);
        ownWrites.push([w.sheet, first === last ? first : `${first}:${last}`]);
        if (w.header) {
          ws.getRangeByIndexes(at.row, at.column, 1, width).format.font.bold = true;
          if (at.row === 0 && at.column === 0) ws.freezePanes.freezeRows(1);
        }
      }

      for (const c of batch.clearMarks ?? []) {
        const cells = registry[c.sheet] ?? [];
        if (!cells.length) continue;
        const keep: string[] = [];
        const ws = sheet(c.sheet);
        for (const cell of cells) {
          const row = parseA1(cell)?.row ?? -1;
          if (!insideClear(row, c)) {
            keep.push(cell);
            continue;
          }
          // Put back what the user had there: their fill, their note (or none).
          const own = under[c.sheet]?.[cell];
          if (own?.fill) ws.getRange(cell).format.fill.color = own.fill;
          else ws.getRange(cell).format.fill.clear();
          if (notes) {
            ws.notes.getItemOrNullObject(cell).delete();
            if (own?.note !== undefined) ws.notes.add(cell, own.note);
          } else if (findings[c.sheet]?.[cell]) {
            delete findings[c.sheet]?.[cell];
            findingsChanged = true;
          }
          if (own) delete under[c.sheet]?.[cell];
        }
        registry[c.sheet] = keep;
        settingsChanged = true;
      }

      for (const m of batch.marks ?? []) {
        const ws = sheet(m.sheet);
        const cell = m.cell.toUpperCase();
        const list = registry[m.sheet] ?? [];
        if (!list.includes(cell) && !loaded.some((l) => l.sheet === m.sheet && l.cell === cell)) {
          // Not marked yet: keep what the user has there (loaded now, before the mark replaces it).
          const fill = ws.getRange(cell).format.fill;
          fill.load('color,pattern');
          let note: Excel.Note | undefined;
          if (notes) {
            note = ws.notes.getItemOrNullObject(cell);
            note.load('content');
          }
          loaded.push({ sheet: m.sheet, cell, fill, note });
        }
        ws.getRange(cell).format.fill.color = MARK_FILL[m.severity];
        if (notes) {
          ws.notes.getItemOrNullObject(cell).delete();
          ws.notes.add(cell, m.note);
        } else {
          (findings[m.sheet] ??= {})[cell] = [m.severity, m.note];
          findingsChanged = true;
        }
        registry[m.sheet] = list;
        if (!list.includes(cell)) list.push(cell);
        settingsChanged = true;
      }

      if (findingsChanged) {
        // The whole list again, over the old one (blank rows where it was longer), in this batch.
        const key = FINDINGS_SHEET.toLowerCase();
        if (!known.has(key) && !handles.has(key)) {
          handles.set(key, sheets.add(FINDINGS_SHEET));
          known.add(key);
        }
        const ws = sheet(FINDINGS_SHEET);
        const rows = findingsRows(findings);
        const height = Math.max(rows.length, findingsBefore) + 1;
        const grid = [
          [...FINDINGS_HEADER],
          ...Array.from({ length: height - 1 }, (_, i) => rows[i]?.map(toExcel) ?? ['', '', '', '']),
        ];
        ws.getRangeByIndexes(0, 0, height, FINDINGS_HEADER.length).values = grid;
        ws.getRangeByIndexes(0, 0, 1, FINDINGS_HEADER.length).format.font.bold = true;
        ownWrites.push([FINDINGS_SHEET, `A1:${a1(height - 1, FINDINGS_HEADER.length - 1)}`]);
        settingsChanged = true;
      }

      // Excel tables (TableSpec), where tables already are as core/port/tables.ts planTable says: ours
      // resized, a user's table over exactly the block kept (and extended), a user's table in the way
      // left alone (the operation reported BL826), else a new table under a name unique in the workbook.
      const tablesNow = this.knownTables ?? [];
      for (const t of this.knownTables ? (batch.tables ?? []) : []) {
        const plan = planTable(t, tablesNow, this.knownMerged);
        if (plan.kind === 'resize') {
          const table = sheet(t.sheet).tables.getItem(plan.table);
          if (supports('tableResize')) table.resize(plan.range);
          else if (plan.own) {
            table.convertToRange();
            sheet(t.sheet).tables.add(plan.range, true).name = plan.table;
          } else continue; // a user's table is never remade: before ExcelApi 1.13 it keeps its rows
          const at = tablesNow.findIndex((x) => x.name === plan.table);
          if (at >= 0) tablesNow[at] = { ...(tablesNow[at] as TableSpec), range: plan.range };
        } else if (plan.kind === 'add') {
          const name = uniqueTableName(
            t.name,
            tablesNow.map((x) => x.name),
          );
          sheet(t.sheet).tables.add(t.range, true).name = name;
          tablesNow.push({ sheet: t.sheet, name, range: t.range });
        }
      }

      for (const d of batch.dropdowns ?? []) {
        // An open-ended range ("B2:B") runs to the sheet's last row.
        const range = sheet(d.sheet).getRange(closeRange(d.range));
        range.dataValidation.clear();
        if ('number' in d) {
          range.dataValidation.rule = {
            decimal: {
              formula1: d.number.min,
              formula2: d.number.max,
              operator: 'Between',
            },
          };
          // A rule only suggests (core/port/types.ts Dropdown): Excel warns, the user may keep the value.
          range.dataValidation.errorAlert = {
            showAlert: true,
            style: 'Warning',
            title: 'Budgetline',
            message: d.message,
          };
          continue;
        }
        range.dataValidation.rule = {
          list: {
            inCellDropDown: true,
            source:
              'values' in d
                ? d.values.join(',')
                : `=${quoteSheetName(d.source.sheet)}!${absoluteRange(closeRange(d.source.range))}`,
          },
        };
        // A dropdown only suggests (core/port/types.ts Dropdown): other values are allowed.
        range.dataValidation.errorAlert = {
          showAlert: false,
          style: 'Information',
          title: 'Not in the list',
          message: 'Budgetline checks this value when it validates the sheet.',
        };
      }

      // Charts, after the sheets they draw: the chart of the same name goes first (one per name).
      for (const c of batch.charts ?? []) {
        const ws = sheet(c.sheet);
        ws.charts.getItemOrNullObject(c.name).delete();
        const chart = ws.charts.add(EXCEL_CHART_TYPE[c.type], ws.getRange(c.data), 'Columns');
        chart.name = c.name;
        chart.title.text = c.title;
        chart.setPosition(c.anchor.at, chartEndCell(c));
      }
      for (const p of batch.print ?? []) {
        const layout = sheet(p.sheet).pageLayout;
        layout.orientation = p.orientation === 'landscape' ? 'Landscape' : 'Portrait';
        layout.zoom = p.fitToWidth ? { horizontalFitToPages: 1, verticalFitToPages: 0 } : { scale: 100 };
        const rows = p.titleRows === undefined ? undefined : parseTitleRows(p.titleRows);
        if (rows) layout.setPrintTitleRows(`$${rows[0] + 1}:$${rows[1] + 1}`);
        layout.headersFooters.state = 'Default';
        const every = layout.headersFooters.defaultForAllPages;
        every.leftHeader = headerFooterCodes(p.header?.left ?? '');
        every.centerHeader = headerFooterCodes(p.header?.center ?? '');
        every.rightHeader = headerFooterCodes(p.header?.right ?? '');
        every.leftFooter = headerFooterCodes(p.footer?.left ?? '');
        every.centerFooter = headerFooterCodes(p.footer?.center ?? '');
        every.rightFooter = headerFooterCodes(p.footer?.right ?? '');
      }

      // Protect again every protected sheet this batch touched, then apply protect / unprotect.
      const unprotect = new Set((batch.unprotect ?? []).map((n) => n.toLowerCase()));
      const protect = new Map((batch.protect ?? []).map((p) => [p.sheet.toLowerCase(), p] as const));
      for (const [name] of Object.entries(protectedSheets)) {
        const key = name.toLowerCase();
        if (touched.has(key) && !unprotect.has(key) && !protect.has(key))
          sheet(name).protection.protect(PROTECTION);
      }
      for (const p of protect.values()) {
        const ws = sheet(p.sheet);
        if (protectedSheets[p.sheet] === undefined) ws.protection.unprotect();
        ws.protection.protect(PROTECTION);
        protectedSheets[p.sheet] = p.reason;
        settingsChanged = true;
      }
      for (const name of batch.unprotect ?? []) {
        if (protect.has(name.toLowerCase())) continue;
        sheets.getItemOrNullObject(name).protection.unprotect();
        delete protectedSheets[name];
        settingsChanged = true;
      }

      for (const [s, address] of ownWrites) this.onOwnWrite?.(s, address);
      await context.sync();
      for (const l of loaded) {
        const own: { fill?: string; note?: string } = {};
        if (l.fill.pattern !== 'None' && l.fill.color) own.fill = l.fill.color;
        if (notes && l.note && !l.note.isNullObject) own.note = l.note.content;
        if (own.fill !== undefined || own.note !== undefined) (under[l.sheet] ??= {})[l.cell] = own;
      }
    });
    this.knownSheets = [...(this.knownSheets ?? [])];
    for (const name of [
      ...(batch.sheets ?? []).map((w) => w.sheet),
      ...(findingsChanged ? [FINDINGS_SHEET] : []),
    ])
      if (!this.knownSheets.some((n) => n.toLowerCase() === name.toLowerCase())) this.knownSheets.push(name);

    if (batch.state) {
      store.set(SETTINGS.state, batch.state);
      settingsChanged = true;
    }
    if (batch.computedHashes) {
      const kept = decodeComputedHashes(store.get(SETTINGS.computed));
      store.set(SETTINGS.computed, mergeComputedHashes(kept, batch.computedHashes));
      settingsChanged = true;
    }
    if (settingsChanged) {
      for (const k of Object.keys(registry)) if (!registry[k]?.length) delete registry[k];
      store.set(SETTINGS.marks, registry);
      store.set(SETTINGS.protected, protectedSheets);
      for (const k of Object.keys(under)) if (!Object.keys(under[k] ?? {}).length) delete under[k];
      store.set(SETTINGS.underMarks, under);
      if (findingsChanged) {
        for (const k of Object.keys(findings)) if (!Object.keys(findings[k] ?? {}).length) delete findings[k];
        store.set(SETTINGS.findings, findings);
        store.set(SETTINGS.findingsRows, findingsRows(findings).length);
      }
      await new Promise<void>((resolve, reject) =>
        store.saveAsync((r) =>
          String(r.status) === 'failed' ? reject(new Error(r.error?.message ?? 'settings')) : resolve(),
        ),
      );
    }
  }

  /**
   * Rows were inserted (delta > 0) or deleted (delta < 0) at `row`: Excel moved the fills and notes,
   * so Budgetline's record of its marks moves too (settings only, no round trip to the workbook).
   */
  async shiftMarks(sheet: string, row: number, delta: number): Promise<void> {
    const store = settings();
    const registry: MarkRegistry = { ...((store.get(SETTINGS.marks) as MarkRegistry | null) ?? {}) };
    const cells = registry[sheet];
    if (!cells?.length || delta === 0) return;
    /** Where a marked cell is now, or undefined when its row was deleted. */
    const move = (cell: string): string | undefined => {
      const p = parseA1(cell);
      if (!p) return undefined;
      if (p.row < row) return cell;
      if (delta > 0 || p.row >= row - delta) return a1(p.row + delta, p.column);
      return undefined;
    };
    registry[sheet] = cells.map(move).filter((c): c is string => c !== undefined);
    store.set(SETTINGS.marks, registry);
    const under = copyUnderMarks(store.get(SETTINGS.underMarks));
    if (under[sheet]) {
      const moved: Record<string, { fill?: string; note?: string }> = {};
      for (const [cell, own] of Object.entries(under[sheet] ?? {})) {
        const to = move(cell);
        if (to !== undefined) moved[to] = own;
      }
      under[sheet] = moved;
      store.set(SETTINGS.underMarks, under);
    }
    const findings = copyFindings(store.get(SETTINGS.findings));
    if (findings[sheet]) {
      // The Findings sheet shows the new addresses with the next write of marks.
      const moved: Record<string, [CellMark['severity'], string]> = {};
      for (const [cell, finding] of Object.entries(findings[sheet] ?? {})) {
        const to = move(cell);
        if (to !== undefined) moved[to] = finding;
      }
      findings[sheet] = moved;
      store.set(SETTINGS.findings, findings);
    }
    await new Promise<void>((resolve) => store.saveAsync(() => resolve()));
  }

  /** Why a sheet is protected, when Budgetline protected it. */
  protectionReason(sheet: string): string | undefined {
    const p = (settings().get(SETTINGS.protected) as Record<string, string> | null) ?? {};
    return p[sheet];
  }

  /** The Excel tables and their sheets, for a write with tables and no whole read before it. */
  private async loadTables(): Promise<void> {
    this.knownTables = await Excel.run(async (context) => {
      const tables = context.workbook.tables;
      tables.load('items/name,items/worksheet/name');
      await context.sync();
      return tablesOf(context, tables);
    });
  }

  private async loadSheetNames(): Promise<void> {
    this.knownSheets = await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      await context.sync();
      return sheets.items.map((s) => s.name);
    });
  }
}

/** Values read from a range at (row, column), placed from A1 with blanks before. */
/** Whether a read covers the Audit sheet (then the port remembers the chain head it saw). */
function wantsAudit(request: ReadRequest): boolean {
  return request.sheets === 'all' || (request.sheets ?? []).some((n) => sameName(n, SHEETS.audit));
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function fromA1(values: readonly (readonly unknown[])[], row: number, column: number): CellValue[][] {
  const out: CellValue[][] = [];
  for (let r = 0; r < row; r++) out.push([]);
  for (const v of values) out.push([...Array.from({ length: column }, () => null), ...v.map(fromExcel)]);
  const width = Math.max(0, ...out.map((r) => r.length));
  return out.map((r) => padRow(r, width));
}

/**
 * Each loaded table's sheet, name and range ("A1:R40", without the sheet): one more sync, only when
 * the workbook has tables (a table's range is Table.getRange(), which needs the table loaded first).
 */
async function tablesOf(context: Excel.RequestContext, tables: Excel.TableCollection): Promise<TableSpec[]> {
  if (!tables.items.length) return [];
  const ranges = tables.items.map((t) => t.getRange().load('address'));
  await context.sync();
  return tables.items.map((t, i) => ({
    sheet: t.worksheet.name,
    name: t.name,
    range: (ranges[i]?.address ?? '').replace(/^.*!/, '').replace(/\$/g, ''),
  }));
}

/** "Sheet!A4:B4, Sheet!C6" (RangeAreas.address) as "A4:B4", "C6": each area after its sheet's "!". */
function mergedRanges(address: string): string[] {
  return [...address.matchAll(/!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?/g)].map((m) =>
    m[3] ? `${m[1]}${m[2]}:${m[3]}${m[4]}` : `${m[1]}${m[2]}`,
  );
}
