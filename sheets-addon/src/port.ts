/**
 * SheetsPort: the workbook port over Apps Script's SpreadsheetApp (and the Sheets advanced service
 * when it is enabled and the execution may use it).
 *
 * Batching (what the Apps Script habits ask for):
 * - read: one getSheets(); per sheet read one getDataRange().getValues() — or, for two or more
 *   sheets, ONE Sheets.Spreadsheets.Values.batchGet for all of them; a row window is one getValues
 *   (header and rows together when the window starts near the top, else two); the document state
 *   is one getProperties(); the user is one Session.getActiveUser().
 * - write: per sheet one setValues per block (formats first, grouped by format through a RangeList,
 *   so "001" stays text); marks and clears of a sheet are one getBackgrounds + getNotes and one
 *   setBackgrounds + setNotes over the rectangle they cover, never a call per cell; the state is
 *   one getProperties + one setProperties.
 * - charts: per sheet one getCharts(); a chart whose name Budgetline already drew there is changed in
 *   place (modify + updateChart: it keeps its id), a new one is inserted (insertChart), then one more
 *   getCharts() learns the new charts' ids. EmbeddedChart has no name, so the name → chart id map of
 *   each sheet is kept in DocumentProperties (CHARTS_KEY). A chart is sized in Sheets' default cells
 *   (100 × 21 pixels each).
 * - print setup: Apps Script has no print-setup API, so `print` is left out; the sidebar tells the
 *   CFO which settings to choose in File → Print (landscape, fit to width, repeat frozen rows).
 *
 * Everything is synchronous (Apps Script answers at once): SheetsPort is a SyncWorkbookPort, run by
 * core/port's runOperationSync.
 */
import { a1, columnLetter, parseA1, type CellValue } from '../../core/cells';
import type {
  CellMark,
  ChartSpec,
  ClearMarks,
  DocumentState,
  PortUser,
  ReadRequest,
  RowWindow,
  SheetWrite,
  Snapshot,
  WriteBatch,
} from '../../core/port/types';
import type { SyncWorkbookPort } from '../../core/port/driver';
import { auditHeadOf, checkChainHead } from '../../core/approval/head';
import { SHEETS } from '../../core/workbook/schema';

const CHANGED_OUTSIDE =
  'The Audit sheet does not end where Budgetline last left it (the chain head the add-on keeps outside ' +
  'this spreadsheet): it was changed by someone else, outside Budgetline. Nothing was written. ' +
  'Run "Verify approvals", then run it again.';
import { quoteSheetName, rowWindow, trimGrid } from '../../core/port/helpers';
import { decodeComputedHashes, decodeDocumentState, type DecodedState } from '../../core/port/state';
import { checkChartsAndPrint, parseCellRange } from '../../core/port/charts';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Fills Budgetline gives a marked cell, by severity. A cell with one of these fills is ours to clear. */
export const MARK_COLORS = { fatal: '#f4cccc', warning: '#fff2cc' } as const;
const OURS = new Set<string>(Object.values(MARK_COLORS));

/** DocumentProperties keys: one per site (a value may hold 9 KB), and one for the rest. */
export const STATE_KEY = 'budgetline.state';
export const SITE_KEY_PREFIX = 'budgetline.site.';
/**
 * DocumentProperties key, per sheet, of what cells had before Budgetline marked them: cell → the
 * user's fill and note, and the finding Budgetline wrote over them (to know the cell is the same one
 * when the mark clears: rows may have moved since).
 */
export const UNDER_MARKS_PREFIX = 'budgetline.under.';
/**
 * DocumentProperties key, per site sheet, of the hash of its computed cost columns as Budgetline
 * last wrote them (WriteBatch.computedHashes): a few bytes each, read with the state.
 */
export const COMPUTED_PREFIX = 'budgetline.computed.';
type UnderMarks = Record<string, { fill?: string; note?: string; mark: string }>;
/** DocumentProperties key of the charts Budgetline drew: sheet → chart name → chart id. */
export const CHARTS_KEY = 'budgetline.charts';
type ChartIds = Record<string, Record<string, number>>;
/** Sheets' default column width and row height, in pixels: a chart's size in cells. */
export const CELL_PX = { width: 100, height: 21 } as const;

/** getBackgrounds() of a cell nobody filled. */
const NO_FILL = '#ffffff';

/** A window starting within this many rows of the top is read with its header in one getValues. */
const ONE_READ_WINDOW = 50;

export interface SheetsServices {
  readonly spreadsheet: Spreadsheet;
  readonly properties: GoogleAppsScript.Properties.Properties;
  /** Session, for the user; omitted when the user is not needed (live validation). */
  readonly session?: GoogleAppsScript.Base.Session;
  /** The Sheets advanced service, when enabled and allowed in this execution (not in simple triggers). */
  readonly sheetsApi?: GoogleAppsScript.Sheets | undefined;
  /** SpreadsheetApp.ProtectionType.SHEET */
  readonly sheetProtection: GoogleAppsScript.Spreadsheet.ProtectionType;
  /** SpreadsheetApp.newDataValidation, for dropdowns. */
  readonly newDataValidation?: () => GoogleAppsScript.Spreadsheet.DataValidationBuilder;
  /** Charts.ChartType of each of the port's chart types; without it a batch with charts is refused. */
  readonly chartTypes?: Readonly<Record<ChartSpec['type'], GoogleAppsScript.Charts.ChartType>>;
  /**
   * Where the audit chain's head is kept out of the spreadsheet editors' reach: the add-on's
   * ScriptProperties, under a key per spreadsheet (chainHeadKey). Omitted in simple triggers.
   */
  readonly chainHead?: { readonly properties: GoogleAppsScript.Properties.Properties; readonly key: string };
}

/** The ScriptProperties key of a spreadsheet's chain head. */
export function chainHeadKey(spreadsheetId: string): string {
  return `budgetline.head.${spreadsheetId}`;
}

/** Apps Script's blank ('') becomes null; a Date (from any realm) becomes a Date of this realm. */
function fromSheet(v: unknown): CellValue {
  if (v === '' || v === null || v === undefined) return null;
  if (typeof v === 'object' && Object.prototype.toString.call(v) === '[object Date]')
    return new Date((v as Date).getTime());
  return v as CellValue;
}

/**
 * A value for setValues. Sheets reads a written string as a user typing it ("001" → 1, "TRUE",
 * "6/1", "=A1", "Jan 5"), so every string gets a leading apostrophe (the quote prefix, which Sheets
 * hides and getValues drops) — except in plain-text ("@") cells, which keep what they are given.
 */
function toSheet(v: CellValue, textFormat: boolean): string | number | boolean | Date {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return textFormat || v === '' ? v : `'${v}`;
  return v;
}

export class SheetsPort implements SyncWorkbookPort {
  /** The chain head of the Audit sheet as of the last read that covered it. */
  private readHead: string | undefined;

  constructor(private readonly s: SheetsServices) {}

  // ---- read ----------------------------------------------------------------------------------

  readSync(request: ReadRequest): Snapshot {
    const all = this.s.spreadsheet.getSheets();
    const byName = new Map<string, Sheet>();
    const sheetNames: string[] = [];
    for (const sh of all) {
      const n = sh.getName();
      sheetNames.push(n);
      byName.set(n, sh);
    }
    const wanted = (request.sheets === 'all' ? sheetNames : (request.sheets ?? [])).filter((n) =>
      byName.has(n),
    );
    const sheets: Record<string, CellValue[][]> = {};
    const api = this.s.sheetsApi;
    let done = false;
    if (api && wanted.length > 1) {
      try {
        const res = api.Spreadsheets.Values.batchGet(this.s.spreadsheet.getId(), {
          ranges: wanted.map(quoteSheetName),
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'FORMATTED_STRING',
        });
        const ranges = res.valueRanges ?? [];
        wanted.forEach((n, i) => {
          const values = (ranges[i]?.values ?? []) as unknown[][];
          sheets[n] = trimGrid(values.map((row) => row.map(fromSheet)));
        });
        done = true;
      } catch {
        done = false; // not authorised here, or the service failed: fall back to getValues
      }
    }
    if (!done)
      for (const n of wanted) {
        const values = (byName.get(n) as Sheet).getDataRange().getValues();
        sheets[n] = trimGrid(values.map((row) => row.map(fromSheet)));
      }

    const windows: RowWindow[] = [];
    for (const w of request.rows ?? []) {
      const sh = byName.get(w.sheet);
      if (!sh) continue;
      windows.push(this.readWindow(sh, w.sheet, w.from, w.to, sheets[w.sheet]));
    }
    const wantsAudit =
      request.sheets === 'all' ||
      (request.sheets ?? []).some((n) => n.toLowerCase() === SHEETS.audit.toLowerCase());
    if (wantsAudit) this.readHead = auditHeadOf(sheets[SHEETS.audit]);
    const snapshot: Snapshot = {
      sheetNames,
      sheets,
      windows,
      ...(request.state ? this.readState() : {}),
      ...(request.state ? this.readKeptHead() : {}),
      ...(!request.state && request.computedHashes
        ? { computedHashes: computedHashesOf(this.s.properties.getProperties()) }
        : {}),
      ...(request.user ? { user: this.readUser() } : {}),
    };
    return snapshot;
  }

  private readWindow(
    sh: Sheet,
    name: string,
    fromRow: number,
    to: number,
    whole: CellValue[][] | undefined,
  ): RowWindow {
    const from = Math.max(0, fromRow);
    const count = Math.max(0, to - from + 1);
    const blankRows = (n: number, width: number): CellValue[][] =>
      Array.from({ length: n }, () => new Array<CellValue>(width).fill(null));
    if (whole) return rowWindow({ sheet: name, from: fromRow, to }, whole[0]?.length ?? 0, (r) => whole[r]);
    const width = sh.getLastColumn();
    if (width === 0) return { sheet: name, from: fromRow, to, header: [], values: blankRows(count, 0) };
    const maxRows = sh.getMaxRows();
    const get = (row0: number, n: number): CellValue[][] => {
      // rows past the end of the grid are blank; Apps Script refuses a range outside the sheet
      const inGrid = Math.max(0, Math.min(n, maxRows - row0));
      const got = inGrid > 0 ? sh.getRange(row0 + 1, 1, inGrid, width).getValues() : [];
      return [...got.map((r) => r.map(fromSheet)), ...blankRows(n - inGrid, width)];
    };
    let header: CellValue[];
    let values: CellValue[][];
    if (from <= ONE_READ_WINDOW) {
      const rows = get(0, Math.max(1, from + count));
      header = rows[0] as CellValue[];
      values = rows.slice(from, from + count);
    } else {
      header = get(0, 1)[0] as CellValue[];
      values = count > 0 ? get(from, count) : [];
    }
    return { sheet: name, from: fromRow, to, header, values };
  }

  private readUser(): PortUser | null {
    if (!this.s.session) return null;
    const email = this.s.session.getActiveUser().getEmail();
    // '' when Google will not say who it is (outside the domain, or not authorised): no identity.
    return email ? { email, verified: true } : null;
  }

  private readState(): Pick<Snapshot, 'state' | 'stateDiagnostics' | 'computedHashes'> {
    const props = this.s.properties.getProperties();
    const { state, diagnostics } = stateFromProperties(props);
    return {
      state,
      ...(diagnostics.length ? { stateDiagnostics: diagnostics } : {}),
      computedHashes: computedHashesOf(props),
    };
  }

  /** The chain head kept in ScriptProperties, for verify (none in simple triggers or on first use). */
  private readKeptHead(): { keptHead?: string } {
    const keeper = this.s.chainHead;
    const kept = keeper ? keeper.properties.getProperty(keeper.key) : null;
    return kept !== null ? { keptHead: kept } : {};
  }

  // ---- write ---------------------------------------------------------------------------------

  writeSync(batch: WriteBatch): void {
    // A chart or print setup that cannot be written fails here, before anything is written.
    if (batch.charts?.length || batch.print?.length) {
      checkChartsAndPrint(
        batch,
        this.s.spreadsheet.getSheets().map((sh) => sh.getName()),
      );
      if (batch.charts?.length && !this.s.chartTypes)
        throw new RangeError('Nothing was written: this execution cannot draw charts (no Charts service).');
    }
    // The caller holds the document lock (server.ts). A step that writes the chain's state must find
    // the chain ending where Budgetline last left it, by the head kept outside the spreadsheet.
    const keeper = this.s.chainHead;
    const checked = batch.state !== undefined && keeper !== undefined && this.readHead !== undefined;
    if (checked) {
      const kept = keeper.properties.getProperty(keeper.key);
      if (kept !== null) checkChainHead(kept, this.readHead, CHANGED_OUTSIDE);
    }
    const cache = new Map<string, Sheet | null>();
    const find = (name: string): Sheet | null => {
      if (!cache.has(name)) cache.set(name, this.s.spreadsheet.getSheetByName(name));
      return cache.get(name) ?? null;
    };
    const bySheet = new Map<string, SheetWrite[]>();
    for (const w of batch.sheets ?? []) bySheet.set(w.sheet, [...(bySheet.get(w.sheet) ?? []), w]);
    for (const [name, writes] of bySheet) {
      let sh = find(name);
      if (!sh) {
        sh = this.s.spreadsheet.insertSheet(name);
        cache.set(name, sh);
      }
      this.writeSheetGroup(sh, writes);
    }
    this.writeMarks(find, batch.clearMarks ?? [], batch.marks ?? []);
    for (const d of batch.dropdowns ?? []) {
      const sh = find(d.sheet);
      if (!sh || !this.s.newDataValidation) continue;
      const builder = this.s.newDataValidation();
      if ('source' in d) {
        const src = find(d.source.sheet);
        if (!src) continue;
        builder.requireValueInRange(src.getRange(d.source.range), true);
      } else if ('values' in d) builder.requireValueInList([...d.values], true);
      else builder.requireNumberBetween(d.number.min, d.number.max).setHelpText(d.message);
      // A rule only suggests (core/port/types.ts Dropdown): other values are allowed (Sheets flags them).
      // An open-ended range ("B2:B") is the whole column below the header, as Sheets reads it.
      sh.getRange(d.range).setDataValidation(builder.setAllowInvalid(true).build());
    }
    for (const p of batch.protect ?? []) {
      const sh = find(p.sheet);
      if (!sh) continue;
      const protection = sh.protect().setDescription(`Budgetline: ${p.reason}`);
      // Google's order: the person running this first (were their right to edit only through a
      // group, removing the group would fail), then the people the core names (the site's approvers
      // and the CFO), then everyone else out. Google never removes the owner or the person running
      // the script: a principal who submits stays an editor until an approver's step re-protects
      // the sheet (README, "Google Sheets add-on").
      const me = this.s.session?.getEffectiveUser();
      if (me?.getEmail()) protection.addEditor(me);
      const keep = new Set((p.editors ?? []).map((e) => e.toLowerCase()));
      if (keep.size) protection.addEditors([...keep]);
      const others = protection.getEditors().filter((u) => !keep.has(u.getEmail().toLowerCase()));
      if (others.length) protection.removeEditors(others.map((u) => u.getEmail()));
      if (protection.canDomainEdit()) protection.setDomainEdit(false);
    }
    for (const name of batch.unprotect ?? []) {
      const sh = find(name);
      if (!sh) continue;
      for (const p of sh.getProtections(this.s.sheetProtection)) p.remove();
    }
    if (batch.state) this.writeState(batch.state);
    if (batch.computedHashes) this.writeComputedHashes(batch.computedHashes);
    if (checked && batch.state) keeper.properties.setProperty(keeper.key, batch.state.lastAuditHash);
    this.readHead = undefined;
    if (batch.charts?.length) this.writeCharts(find, batch.charts);
    // batch.print: Apps Script has no print-setup API (see the top of this file).
  }

  /**
   * Each chart replaces the chart Budgetline drew under the same name on its sheet (found by the id
   * kept in CHARTS_KEY, changed in place); charts of other names, and charts people drew, stay.
   */
  private writeCharts(find: (name: string) => Sheet | null, charts: readonly ChartSpec[]): void {
    const types = this.s.chartTypes as NonNullable<SheetsServices['chartTypes']>;
    const stored = this.s.properties.getProperty(CHARTS_KEY);
    const ids = parseChartIds(stored);
    const bySheet = new Map<string, ChartSpec[]>();
    for (const c of charts) bySheet.set(c.sheet, [...(bySheet.get(c.sheet) ?? []), c]);
    for (const [name, specs] of bySheet) {
      const sh = find(name) as Sheet; // checkChartsAndPrint: the sheet exists or was just written
      const sheetIds = (ids[name] ??= {});
      const before = new Map<number, GoogleAppsScript.Spreadsheet.EmbeddedChart>();
      for (const chart of sh.getCharts()) {
        const id = chart.getChartId();
        if (id !== null) before.set(id, chart);
      }
      const inserted: ChartSpec[] = [];
      for (const spec of specs) {
        const id = sheetIds[spec.name];
        const old = id === undefined ? undefined : before.get(id);
        const builder = old ? old.modify().clearRanges() : sh.newChart();
        const box = parseCellRange(spec.anchor.at) ?? { top: 0, left: 0 };
        const chart = builder
          .setChartType(types[spec.type])
          .addRange(sh.getRange(spec.data))
          .setNumHeaders(1)
          .setPosition(box.top + 1, box.left + 1, 0, 0)
          .setOption('title', spec.title)
          .setOption('width', spec.anchor.columns * CELL_PX.width)
          .setOption('height', spec.anchor.rows * CELL_PX.height)
          .build();
        if (old) sh.updateChart(chart);
        else {
          sh.insertChart(chart);
          inserted.push(spec);
        }
      }
      if (inserted.length) {
        // The new charts' ids: the charts that were not there before, told apart by title and data.
        const fresh = sh.getCharts().filter((c) => {
          const id = c.getChartId();
          return id !== null && !before.has(id);
        });
        const taken = new Set<number>();
        const describe = (c: GoogleAppsScript.Spreadsheet.EmbeddedChart): string =>
          `${String(c.getOptions().get('title'))}\u0000${c.getRanges()[0]?.getA1Notation() ?? ''}`;
        const keys = fresh.map(describe);
        inserted.forEach((spec, i) => {
          const want = `${spec.title}\u0000${spec.data.replace(/\$/g, '').toUpperCase()}`;
          let j = keys.findIndex((k, n) => k === want && !taken.has(n));
          if (j < 0) j = i < fresh.length && !taken.has(i) ? i : -1;
          const id = j >= 0 ? fresh[j]?.getChartId() : null;
          if (id === null || id === undefined) return;
          taken.add(j);
          sheetIds[spec.name] = id;
        });
      }
      // Forget charts that are gone (deleted by hand): their name is free again.
      const drawn = new Set(inserted.map((spec) => sheetIds[spec.name]));
      for (const [n, id] of Object.entries(sheetIds))
        if (!before.has(id) && !drawn.has(id)) delete sheetIds[n];
      if (!Object.keys(sheetIds).length) delete ids[name];
    }
    const next = JSON.stringify(ids);
    if (next !== stored) this.s.properties.setProperty(CHARTS_KEY, next);
  }

  /**
   * The writes of one sheet. When the first replaces the sheet, all of them become ONE block (the
   * cells between them are cleared by the replace anyway): one setValues however many tables a
   * sheet stacks (the Master Budget). Otherwise each write is its own block.
   */
  private writeSheetGroup(sh: Sheet, writes: readonly SheetWrite[]): void {
    if (writes[0]?.replace) {
      sh.clear();
      this.writeBlocks(sh, writes);
    } else for (const w of writes) this.writeBlocks(sh, [w]);
  }

  private writeBlocks(sh: Sheet, writes: readonly SheetWrite[]): void {
    const blocks = writes
      .map((w) => {
        const at = parseA1(w.at ?? 'A1');
        if (!at) throw new RangeError(`SheetsPort: bad cell address ${w.at ?? ''}`);
        const cols = w.values.reduce((m, r) => Math.max(m, r.length), 0);
        return { w, at, rows: w.values.length, cols };
      })
      .filter((b) => b.rows > 0 && b.cols > 0);
    if (blocks.length === 0) return;
    const top = Math.min(...blocks.map((b) => b.at.row));
    const left = Math.min(...blocks.map((b) => b.at.column));
    const bottom = Math.max(...blocks.map((b) => b.at.row + b.rows)); // exclusive
    const right = Math.max(...blocks.map((b) => b.at.column + b.cols)); // exclusive

    // Grow the grid first: Apps Script refuses a range outside the sheet.
    const maxRows = sh.getMaxRows();
    const maxCols = sh.getMaxColumns();
    if (bottom > maxRows) sh.insertRowsAfter(maxRows, bottom - maxRows);
    if (right > maxCols) sh.insertColumnsAfter(maxCols, right - maxCols);

    const data: (string | number | boolean | Date)[][] = Array.from({ length: bottom - top }, () =>
      new Array<string | number | boolean | Date>(right - left).fill(''),
    );
    const byFormat = new Map<string, string[]>();
    const headers: string[] = [];
    let freeze = false;
    for (const { w, at, rows, cols } of blocks) {
      const firstData = w.header ? 1 : 0;
      const formats = w.columnFormats ?? [];
      // Number formats before values, so text stays text; one RangeList call per distinct format.
      // clearFormats: a column written all null gets the General format back.
      const blank = (v: CellValue | undefined): boolean => v === null || v === undefined || v === '';
      const effective = w.clearFormats
        ? Array.from({ length: cols }, (_, j) =>
            w.values.slice(firstData).every((r) => blank(r[j])) ? 'General' : formats[j],
          )
        : formats;
      if (rows > firstData)
        effective.forEach((f, j) => {
          if (f === null || f === undefined || j >= cols) return;
          const col = columnLetter(at.column + j);
          const list = byFormat.get(f) ?? [];
          list.push(`${col}${at.row + firstData + 1}:${col}${at.row + rows}`);
          byFormat.set(f, list);
        });
      w.values.forEach((row, i) => {
        const target = data[at.row - top + i] as (string | number | boolean | Date)[];
        for (let j = 0; j < cols; j++)
          target[at.column - left + j] = toSheet(row[j], i >= firstData && formats[j] === '@');
      });
      if (w.header) {
        headers.push(
          `${columnLetter(at.column)}${at.row + 1}:${columnLetter(at.column + cols - 1)}${at.row + 1}`,
        );
        if (at.row === 0 && at.column === 0) freeze = true;
      }
    }
    for (const [f, a1s] of byFormat) sh.getRangeList(a1s).setNumberFormat(f);
    sh.getRange(top + 1, left + 1, bottom - top, right - left).setValues(data);
    if (headers.length) sh.getRangeList(headers).setFontWeight('bold');
    if (freeze) sh.setFrozenRows(1);
  }

  /**
   * Clears and marks of each sheet in one read and one write of the rectangle they cover. A cell is
   * Budgetline's when its fill is one of MARK_COLORS; other fills and notes are left alone. A mark
   * keeps the fill and note the user had on the cell (DocumentProperties, UNDER_MARKS_PREFIX), and
   * a clear puts them back, as the .xlsx adapter and the Excel add-in do.
   */
  private writeMarks(
    find: (name: string) => Sheet | null,
    clears: readonly ClearMarks[],
    marks: readonly CellMark[],
  ): void {
    const names = [...new Set([...clears.map((c) => c.sheet), ...marks.map((m) => m.sheet)])];
    for (const name of names) {
      const sh = find(name);
      if (!sh) continue;
      const myClears = clears.filter((c) => c.sheet === name);
      const myMarks = marks
        .filter((m) => m.sheet === name)
        .map((m) => ({ m, p: parseA1(m.cell) }))
        .filter((x): x is { m: CellMark; p: { row: number; column: number } } => x.p !== undefined);
      let top = Infinity;
      let bottom = -1;
      let right = -1;
      let left = Infinity;
      // Clears span every column of the grid: a mark may sit where the content was deleted.
      const maxCols = myClears.length ? sh.getMaxColumns() : 0;
      const lastRow = myClears.some((c) => c.to === undefined) ? sh.getLastRow() : 0;
      for (const c of myClears) {
        const from = Math.max(0, c.from ?? 0);
        const to = c.to ?? lastRow - 1;
        if (to < from) continue;
        top = Math.min(top, from);
        bottom = Math.max(bottom, to);
        left = 0;
        right = Math.max(right, maxCols - 1);
      }
      for (const { p } of myMarks) {
        top = Math.min(top, p.row);
        bottom = Math.max(bottom, p.row);
        left = Math.min(left, p.column);
        right = Math.max(right, p.column);
      }
      if (bottom < 0 || right < 0) continue;
      const maxRows = sh.getMaxRows();
      bottom = Math.min(bottom, maxRows - 1);
      if (bottom < top) continue;
      const range = sh.getRange(top + 1, left + 1, bottom - top + 1, right - left + 1);
      const backgrounds: (string | null)[][] = range.getBackgrounds();
      const notes: string[][] = range.getNotes();
      const key = UNDER_MARKS_PREFIX + name;
      const stored = this.s.properties.getProperty(key);
      const under = parseUnderMarks(stored);
      for (const c of myClears) {
        const from = Math.max(top, c.from ?? 0);
        const to = Math.min(bottom, c.to ?? bottom);
        for (let r = from; r <= to; r++) {
          const bg = backgrounds[r - top] as (string | null)[];
          const nt = notes[r - top] as string[];
          for (let j = 0; j < bg.length; j++)
            if (OURS.has(String(bg[j]).toLowerCase())) {
              const cell = a1(r, left + j);
              // The user's own, when this is still the cell Budgetline marked over them.
              const own = under[cell]?.mark === nt[j] ? under[cell] : undefined;
              bg[j] = own?.fill ?? null;
              nt[j] = own?.note ?? '';
              delete under[cell];
            }
        }
      }
      for (const { m, p } of myMarks) {
        const bg = backgrounds[p.row - top] as (string | null)[];
        const nt = notes[p.row - top] as string[];
        const j = p.column - left;
        const cell = a1(p.row, p.column);
        const was = String(bg[j] ?? NO_FILL).toLowerCase();
        if (!OURS.has(was)) {
          // Not marked yet: keep what the user has there.
          const own: UnderMarks[string] = { mark: m.note };
          if (was !== NO_FILL) own.fill = String(bg[j]);
          if (nt[j]) own.note = nt[j];
          if (own.fill !== undefined || own.note !== undefined) under[cell] = own;
          else delete under[cell];
        } else if (under[cell]) (under[cell] as UnderMarks[string]).mark = m.note;
        bg[j] = MARK_COLORS[m.severity];
        nt[j] = m.note;
      }
      range.setBackgrounds(backgrounds);
      range.setNotes(notes);
      const next = Object.keys(under).length ? JSON.stringify(under) : null;
      if (next !== stored) {
        if (next === null) this.s.properties.deleteProperty(key);
        else this.s.properties.setProperty(key, next);
      }
    }
  }

  private writeComputedHashes(hashes: Readonly<Record<string, string>>): void {
    const set: Record<string, string> = {};
    for (const [sheet, h] of Object.entries(hashes)) {
      if (h) set[COMPUTED_PREFIX + sheet] = h;
      else this.s.properties.deleteProperty(COMPUTED_PREFIX + sheet);
    }
    if (Object.keys(set).length) this.s.properties.setProperties(set, false);
  }

  private writeState(state: DocumentState): void {
    const old = this.s.properties.getProperties();
    const next = stateToProperties(state);
    const changed: Record<string, string> = {};
    for (const [k, v] of Object.entries(next)) if (old[k] !== v) changed[k] = v;
    if (Object.keys(changed).length) this.s.properties.setProperties(changed, false);
    for (const k of Object.keys(old))
      if (k.startsWith(SITE_KEY_PREFIX) && !(k in next)) this.s.properties.deleteProperty(k);
  }
}

/** The computed-column hashes kept in DocumentProperties (COMPUTED_PREFIX + sheet), by sheet. */
export function computedHashesOf(props: Readonly<Record<string, string>>): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [k, v] of Object.entries(props))
    if (k.startsWith(COMPUTED_PREFIX)) hashes[k.slice(COMPUTED_PREFIX.length)] = v;
  return decodeComputedHashes(hashes);
}

/** The document state as DocumentProperties: one key per site, one for the rest. */
export function stateToProperties(state: DocumentState): Record<string, string> {
  const out: Record<string, string> = {
    [STATE_KEY]: JSON.stringify({ version: state.version, lastAuditHash: state.lastAuditHash }),
  };
  for (const [code, site] of Object.entries(state.sites)) out[SITE_KEY_PREFIX + code] = JSON.stringify(site);
  return out;
}

/**
 * The document state from DocumentProperties, decoded by the core: nothing stored is the empty
 * state; a damaged or foreign record (a key edited by hand or by another script) is BL820.
 */
export function stateFromProperties(props: Readonly<Record<string, string>>): DecodedState {
  const head = props[STATE_KEY];
  const siteKeys = Object.keys(props).filter((k) => k.startsWith(SITE_KEY_PREFIX));
  if (head === undefined && siteKeys.length === 0) return decodeDocumentState(undefined);
  let record: unknown;
  try {
    record = JSON.parse(head ?? 'null');
  } catch {
    return decodeDocumentState(head); // not JSON: the core says how it is damaged
  }
  const sites: Record<string, unknown> = {};
  for (const k of siteKeys) {
    const v = props[k] as string;
    try {
      sites[k.slice(SITE_KEY_PREFIX.length)] = JSON.parse(v);
    } catch {
      sites[k.slice(SITE_KEY_PREFIX.length)] = v; // not a record: the core reports the site
    }
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return decodeDocumentState(record ?? { sites });
  // Sites live one per key; a head that holds its own sites (written another way) keeps them.
  const own = (record as { sites?: unknown }).sites;
  return decodeDocumentState({ ...record, sites: siteKeys.length || own === undefined ? sites : own });
}

/** "C14" of a sheet, for go-to-cell. */
export function cellRef(row: number, column: number): string {
  return a1(row, column);
}

function parseChartIds(raw: string | null): ChartIds {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as ChartIds) : {};
  } catch {
    return {}; // damaged by hand: charts are drawn anew (people's own charts are never removed)
  }
}

function parseUnderMarks(raw: string | null): UnderMarks {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as UnderMarks) : {};
  } catch {
    return {};
  }
}
