/**
 * MemoryPort: the workbook port over plain arrays. The reference adapter: tests run every operation
 * on it, and the contract suite (test/port/contract.ts) is checked against it first.
 *
 * It keeps everything a test may want to assert: the values of each sheet, number formats, header
 * rows, marks, protections, dropdowns, the document state, and how many round trips were made
 * (`roundTrips.reads`, `roundTrips.writes`) with the requests themselves (`log`).
 *
 * Semantics every adapter shares (the contract suite checks them):
 * - A read returns each sheet from A1 to the last used cell; every row as long as the used width;
 *   blank cells are null. Missing sheets are skipped (absent from `sheets` and from `windows`).
 * - A write puts values at `at` (default A1); null and '' clear a cell; `replace` clears every
 *   other cell of the sheet. Strings stay strings ("001", "=1+1"), numbers stay numbers.
 * - Protection guards a sheet against users, not against Budgetline: port writes to a protected
 *   sheet succeed and leave it protected.
 * - Charts and print setup are written after everything else; a chart replaces the chart of the same
 *   name on its sheet; a bad chart or print setup (core/port/charts.ts) fails the write before
 *   anything is written. A sheet rewritten with `replace` keeps its charts and print setup.
 */
import { checkChartsAndPrint } from './charts';
import { insideClear, isBlankCell, rowWindow, uniqueTableName } from './helpers';
import { planTable, type MergedArea } from './tables';
import { decodeDocumentState, emptyDocumentState, mergeComputedHashes } from './state';
import { a1, parseA1, type CellValue, type Grid } from '../cells';
import type {
  CellMark,
  ChartSpec,
  DocumentState,
  Dropdown,
  TableSpec,
  PortUser,
  PrintSetup,
  ReadRequest,
  RowWindow,
  Snapshot,
  WorkbookPort,
  WriteBatch,
} from './types';

function copyValue(v: CellValue): CellValue {
  if (v instanceof Date) return new Date(v.getTime());
  if (v === undefined || (typeof v === 'string' && v === '')) return null;
  return v;
}

function copyState(s: DocumentState): DocumentState {
  return JSON.parse(JSON.stringify(s)) as DocumentState;
}

function copyChart(c: ChartSpec): ChartSpec {
  return { ...c, anchor: { ...c.anchor } };
}

function copyPrint(p: PrintSetup): PrintSetup {
  return {
    ...p,
    ...(p.header ? { header: { ...p.header } } : {}),
    ...(p.footer ? { footer: { ...p.footer } } : {}),
  };
}

interface MemorySheet {
  /** Sparse rows: cells[row][column]. */
  cells: CellValue[][];
  /** Number formats by "C14". */
  formats: Map<string, string>;
  /** 0-based row index of the bold header, when one was written. */
  headerRow?: number;
  frozenRows: number;
}

export interface MemoryPortInit {
  /** Sheets in tab order. */
  readonly sheets?: Readonly<Record<string, Grid>>;
  readonly state?: DocumentState;
  readonly user?: PortUser | null;
}

export class MemoryPort implements WorkbookPort {
  /** The current user as the host reports it; null when it cannot tell. */
  user: PortUser | null;
  readonly roundTrips = { reads: 0, writes: 0 };
  /** Every request made, in order. */
  readonly log: ({ kind: 'read'; request: ReadRequest } | { kind: 'write'; batch: WriteBatch })[] = [];

  private readonly book = new Map<string, MemorySheet>();
  private readonly markMap = new Map<string, CellMark>();
  private readonly protections = new Map<string, string>();
  private dropdownList: Dropdown[] = [];
  /** Charts by sheet, then name (in the order they were written). */
  private readonly chartMap = new Map<string, Map<string, ChartSpec>>();
  private readonly printMap = new Map<string, PrintSetup>();
  private tableList: TableSpec[] = [];
  /** Merged cells (mergeCells), which no table may hold, as in Excel. */
  private mergedList: MergedArea[] = [];
  private docState: DocumentState;
  /** What a test stored by hand as the document state (storeRawState), decoded on read. */
  private rawState: { value: unknown } | undefined;
  /** The computed-column hashes by site sheet (WriteBatch.computedHashes), kept beside the state. */
  private hashes: Record<string, string> = {};

  constructor(init: MemoryPortInit = {}) {
    this.user = init.user ?? null;
    this.docState = init.state ? copyState(init.state) : emptyDocumentState();
    for (const [name, grid] of Object.entries(init.sheets ?? {})) this.setSheet(name, grid);
  }

  // ---- the port ----------------------------------------------------------------------------

  read(request: ReadRequest): Promise<Snapshot> {
    this.roundTrips.reads++;
    this.log.push({ kind: 'read', request });
    const names = request.sheets === 'all' ? this.sheetNames() : (request.sheets ?? []);
    const sheets: Record<string, CellValue[][]> = {};
    for (const name of names) {
      const grid = this.sheet(name);
      if (grid) sheets[name] = grid;
    }
    const windows: RowWindow[] = [];
    for (const w of request.rows ?? []) {
      const s = this.book.get(w.sheet);
      if (!s) continue;
      const width = this.usedWidth(s);
      windows.push(rowWindow(w, width, (r) => s.cells[r]?.map(copyValue)));
    }
    const snapshot: Snapshot = {
      sheetNames: this.sheetNames(),
      sheets,
      windows,
      ...(request.state ? this.readState() : {}),
      ...(request.state || request.computedHashes ? { computedHashes: { ...this.hashes } } : {}),
      ...(request.user ? { user: this.user ? { ...this.user } : null } : {}),
      ...(request.tables ? { tables: this.tables(), merged: this.mergedList.map((m) => ({ ...m })) } : {}),
    };
    return Promise.resolve(snapshot);
  }

  write(batch: WriteBatch): Promise<void> {
    this.roundTrips.writes++;
    this.log.push({ kind: 'write', batch });
    try {
      checkChartsAndPrint(batch, this.sheetNames());
    } catch (e) {
      return Promise.reject(e as Error);
    }
    for (const w of batch.sheets ?? []) {
      const at = parseA1(w.at ?? 'A1');
      if (!at) return Promise.reject(new RangeError(`MemoryPort: bad cell address ${w.at ?? ''}`));
      let s = this.book.get(w.sheet);
      if (!s) {
        s = { cells: [], formats: new Map(), frozenRows: 0 };
        this.book.set(w.sheet, s);
      }
      if (w.replace) {
        s.cells = [];
        s.formats = new Map();
        delete s.headerRow;
        s.frozenRows = 0;
      }
      w.values.forEach((row, i) => {
        const r = at.row + i;
        const target = (s.cells[r] ??= []);
        row.forEach((v, j) => {
          target[at.column + j] = copyValue(v);
          const fmt = w.columnFormats?.[j];
          if (w.clearFormats && (v === null || v === undefined || v === ''))
            s.formats.delete(a1(r, at.column + j));
          else if (fmt !== null && fmt !== undefined && !(w.header && i === 0))
            s.formats.set(a1(r, at.column + j), fmt);
        });
      });
      if (w.header && w.values.length > 0) {
        s.headerRow = at.row;
        if (at.row === 0 && at.column === 0) s.frozenRows = 1;
      }
    }
    for (const c of batch.clearMarks ?? []) {
      for (const [key, m] of this.markMap) {
        if (m.sheet !== c.sheet) continue;
        const row = parseA1(m.cell)?.row ?? -1;
        if (insideClear(row, c)) this.markMap.delete(key);
      }
    }
    for (const m of batch.marks ?? []) this.markMap.set(`${m.sheet}!${m.cell}`, { ...m });
    for (const d of batch.dropdowns ?? []) {
      this.dropdownList = this.dropdownList.filter((x) => !(x.sheet === d.sheet && x.range === d.range));
      this.dropdownList.push(d);
    }
    for (const t of batch.tables ?? []) this.addTable(t);
    for (const p of batch.protect ?? []) this.protections.set(p.sheet, p.reason);
    for (const u of batch.unprotect ?? []) this.protections.delete(u);
    if (batch.state) {
      this.docState = copyState(batch.state);
      this.rawState = undefined;
    }
    if (batch.computedHashes) this.hashes = mergeComputedHashes(this.hashes, batch.computedHashes);
    for (const c of batch.charts ?? []) {
      const sheet = this.sheetNamed(c.sheet);
      const charts = this.chartMap.get(sheet) ?? new Map<string, ChartSpec>();
      charts.delete(c.name);
      charts.set(c.name, copyChart(c));
      this.chartMap.set(sheet, charts);
    }
    for (const p of batch.print ?? []) this.printMap.set(this.sheetNamed(p.sheet), copyPrint(p));
    return Promise.resolve();
  }

  /** The sheet's name as the workbook spells it (hosts look sheets up without regard to case). */
  private sheetNamed(name: string): string {
    return this.sheetNames().find((n) => n.toLowerCase() === name.toLowerCase()) ?? name;
  }

  private readState(): Pick<Snapshot, 'state' | 'stateDiagnostics'> {
    if (!this.rawState) return { state: copyState(this.docState) };
    const { state, diagnostics } = decodeDocumentState(this.rawState.value);
    return { state, ...(diagnostics.length ? { stateDiagnostics: diagnostics } : {}) };
  }

  // ---- for tests: inspect and change the workbook without counting round trips ------------

  sheetNames(): string[] {
    return [...this.book.keys()];
  }

  /** A copy of a sheet's values (A1 to the last used cell, blanks null), or undefined. */
  sheet(name: string): CellValue[][] | undefined {
    const s = this.book.get(name);
    if (!s) return undefined;
    const width = this.usedWidth(s);
    const height = this.usedHeight(s);
    return Array.from({ length: height }, (_, r) =>
      Array.from({ length: width }, (_, c) => copyValue(s.cells[r]?.[c] ?? null)),
    );
  }

  /** Replaces a sheet's values, as a user pasting would (creates the sheet at the end). */
  setSheet(name: string, grid: Grid): void {
    const s = this.book.get(name) ?? { cells: [], formats: new Map<string, string>(), frozenRows: 0 };
    s.cells = grid.map((row) => row.map(copyValue));
    this.book.set(name, s);
  }

  /** Sets one cell, as a user typing would. */
  setCell(sheet: string, cell: string, value: CellValue): void {
    const at = parseA1(cell);
    const s = this.book.get(sheet);
    if (!at || !s) throw new RangeError(`MemoryPort: no cell ${sheet}!${cell}`);
    (s.cells[at.row] ??= [])[at.column] = copyValue(value);
  }

  /** The value of one cell (null when blank). */
  cell(sheet: string, cell: string): CellValue {
    const at = parseA1(cell);
    if (!at) return null;
    return copyValue(this.book.get(sheet)?.cells[at.row]?.[at.column] ?? null);
  }

  deleteSheet(name: string): void {
    this.book.delete(name);
    this.chartMap.delete(name);
    this.printMap.delete(name);
  }

  /** Charts on a sheet (every sheet when omitted), in the order they were written. */
  charts(sheet?: string): ChartSpec[] {
    return [...this.chartMap]
      .filter(([s]) => sheet === undefined || s === sheet)
      .flatMap(([, charts]) => [...charts.values()].map(copyChart));
  }

  /** A sheet's print setup, or undefined when none was written. */
  printSetup(sheet: string): PrintSetup | undefined {
    const p = this.printMap.get(sheet);
    return p ? copyPrint(p) : undefined;
  }

  /** Marks on a sheet (all sheets when omitted), in row then column order. */
  marks(sheet?: string): CellMark[] {
    return [...this.markMap.values()]
      .filter((m) => sheet === undefined || m.sheet === sheet)
      .sort((a, b) => {
        const pa = parseA1(a.cell);
        const pb = parseA1(b.cell);
        return (
          a.sheet.localeCompare(b.sheet) ||
          (pa?.row ?? 0) - (pb?.row ?? 0) ||
          (pa?.column ?? 0) - (pb?.column ?? 0)
        );
      });
  }

  /** Protected sheets with the reason shown to users. */
  protectedSheets(): Record<string, string> {
    return Object.fromEntries(this.protections);
  }

  dropdowns(): Dropdown[] {
    return [...this.dropdownList];
  }

  /** Merges cells, as a user does by hand (tests): no table is made or grown over them. */
  mergeCells(sheet: string, range: string): void {
    this.mergedList.push({ sheet, range: range.toUpperCase() });
  }

  /** The Excel tables of the workbook (TableSpec: sheet, name, range). */
  tables(): TableSpec[] {
    return this.tableList.map((t) => ({ ...t }));
  }

  /** A table as Excel keeps one, where tables already are (core/port/tables.ts planTable). */
  private addTable(t: TableSpec): void {
    const plan = planTable(t, this.tableList, this.mergedList);
    if (plan.kind === 'resize') {
      const at = this.tableList.findIndex((x) => x.name === plan.table);
      const there = this.tableList[at];
      if (there) this.tableList[at] = { ...there, range: plan.range };
    }
    if (plan.kind !== 'add') return;
    const name = uniqueTableName(
      t.name,
      this.tableList.map((x) => x.name),
    );
    this.tableList.push({ sheet: t.sheet, name, range: t.range });
  }

  numberFormat(sheet: string, cell: string): string | null {
    return this.book.get(sheet)?.formats.get(cell.toUpperCase()) ?? null;
  }

  /** The row written as a header (0-based), and how many rows are frozen. */
  header(sheet: string): { row?: number; frozenRows: number } | undefined {
    const s = this.book.get(sheet);
    if (!s) return undefined;
    return { ...(s.headerRow !== undefined ? { row: s.headerRow } : {}), frozenRows: s.frozenRows };
  }

  get state(): DocumentState {
    return copyState(this.docState);
  }

  set state(s: DocumentState) {
    this.docState = copyState(s);
    this.rawState = undefined;
  }

  /** The computed-column hashes kept, by site sheet. */
  get computedHashes(): Record<string, string> {
    return { ...this.hashes };
  }

  /** Stores `value` as the document state as it is (a hand edit, another program's record); undefined: none. */
  storeRawState(value: unknown): void {
    this.rawState = { value };
  }

  resetCounts(): void {
    this.roundTrips.reads = 0;
    this.roundTrips.writes = 0;
    this.log.length = 0;
  }

  private usedWidth(s: MemorySheet): number {
    let w = 0;
    s.cells.forEach((row) => {
      if (!row) return;
      for (let c = row.length - 1; c >= w; c--)
        if (!isBlankCell(row[c])) {
          w = c + 1;
          break;
        }
    });
    return w;
  }

  private usedHeight(s: MemorySheet): number {
    for (let r = s.cells.length - 1; r >= 0; r--)
      if ((s.cells[r] ?? []).some((v) => !isBlankCell(v))) return r + 1;
    return 0;
  }
}
