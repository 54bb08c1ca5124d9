/**
 * XlsxPort: the workbook port over one .xlsx file, through ExcelJS.
 *
 * - `XlsxPort.open(path)` loads the file once; every `read` is served from that copy in memory.
 * - `XlsxPort.create(path)` starts a new, empty workbook; nothing is written until the first `write`.
 * - `write` applies the batch to the copy in memory, then saves the whole workbook atomically: to a
 *   temporary file beside the target, then renamed over it. A failed save leaves the previous file
 *   untouched and no temporary file behind.
 *
 * How the port's notions live in the file:
 * - values: strings stay strings ("001", "=1+1"), numbers, booleans and dates stay what they are; a
 *   formula reads as its cached result, a spreadsheet error (#REF!) as its text, rich text as its text.
 * - marks: a cell fill by severity (light red for fatal, light yellow for warning) and a cell note
 *   (an Excel comment) holding the finding. Budgetline remembers which cells it marked and the fill a
 *   cell had before, so clearing a mark restores the user's own fill.
 * - protection: Excel sheet protection without a password (it guards against slips, not people).
 * - dropdowns: data-validation lists.
 * - document state: the hidden sheet `_budgetline` (see STATE_SHEET), one record per row: column A
 *   names the record, columns B, C, … hold its JSON in pieces of at most 30,000 characters (a cell
 *   holds 32,767). Records: `state` (the DocumentState), `marks` (cells Budgetline marked) and
 *   `protection` (the reason each sheet is protected).
 * - user: always null (a file does not know who opened it; the command line passes --as instead).
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import {
  a1,
  absoluteRange,
  insideClear,
  quoteSheetName,
  rowWindow,
  decodeDocumentState,
  emptyDocumentState,
  parseA1,
  type CellMark,
  type CellValue,
  type Diagnostic,
  type DocumentState,
  type Dropdown,
  type ReadRequest,
  type RowWindow,
  type Severity,
  type Snapshot,
  type WorkbookPort,
  type WriteBatch,
} from '../core';

/** The hidden sheet that holds Budgetline's document data. */
export const STATE_SHEET = '_budgetline';
const CHUNK = 30_000;

/** ARGB fills of Budgetline's marks. */
export const MARK_FILLS: Readonly<Record<Severity, string>> = {
  fatal: 'FFFFC7CE',
  warning: 'FFFFEB9C',
};

/** A file that cannot be opened or saved, with a message naming it and what is wrong. */
export class XlsxFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'XlsxFileError';
  }
}

interface MarkRecord {
  readonly severity: Severity;
  /** The cell's fill before Budgetline marked it (JSON of the ExcelJS fill), when it had one. */
  readonly fill?: ExcelJS.Fill;
}

interface Extras {
  marks: Record<string, Record<string, MarkRecord>>;
  protection: Record<string, string>;
}

/** The value of an ExcelJS cell as the core reads it. */
export function fromExcel(v: ExcelJS.CellValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('error' in v) return v.error;
    if ('richText' in v) return v.richText.map((r) => r.text).join('') || null;
    if ('formula' in v || 'sharedFormula' in v)
      return fromExcel((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v) {
      const t = (v as { text: unknown }).text;
      return typeof t === 'string' ? t || null : fromExcel(t as ExcelJS.CellValue);
    }
  }
  return null;
}

function toExcel(v: CellValue): ExcelJS.CellValue {
  if (v === undefined || v === '') return null;
  if (v instanceof Date) return new Date(v.getTime());
  return v;
}

function noteText(note: ExcelJS.Cell['note'] | undefined): string | undefined {
  if (note === undefined || note === null) return undefined;
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

function fillColor(fill: ExcelJS.Fill | undefined): string | undefined {
  if (!fill || fill.type !== 'pattern' || fill.pattern !== 'solid') return undefined;
  return fill.fgColor?.argb;
}

/** "'BL Codes'!$A$2:$A$3" → { sheet: 'BL Codes', range: 'A2:A3' }. */
function parseSource(formula: string): { sheet: string; range: string } | undefined {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!(.+)$/.exec(formula.trim());
  if (!m) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] as string);
  return { sheet, range: (m[3] as string).replace(/\$/g, '') };
}

const MAGIC = {
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  ole: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
};

export class XlsxPort implements WorkbookPort {
  /** Round trips made, as the other adapters count them. */
  readonly roundTrips = { reads: 0, writes: 0 };
  private extras: Extras;
  private docState: DocumentState;
  /** BL820 when the stored state could not be decoded (decodeDocumentState). */
  private stateDiagnostics: readonly Diagnostic[] = [];

  private constructor(
    readonly path: string,
    private readonly wb: ExcelJS.Workbook,
  ) {
    this.docState = emptyDocumentState();
    this.extras = { marks: {}, protection: {} };
    this.loadExtras();
  }

  /**
   * Opens an existing .xlsx file. Throws XlsxFileError naming the file and what is wrong. With
   * `saveTo`, writes go to that file instead (the opened file is left as it was).
   */
  static async open(path: string, options: { saveTo?: string } = {}): Promise<XlsxPort> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : code === 'EACCES'
              ? 'permission denied'
              : (e as Error).message;
      throw new XlsxFileError(path, `cannot open ${path}: ${why}`);
    }
    if (bytes.subarray(0, 4).equals(MAGIC.ole))
      throw new XlsxFileError(
        path,
        `${path} is an old Excel 97-2003 (.xls) workbook or is password-protected; open it in Excel or LibreOffice and save it as .xlsx`,
      );
    if (!bytes.subarray(0, 4).equals(MAGIC.zip))
      throw new XlsxFileError(
        path,
        `${path} is not an .xlsx workbook${bytes.length === 0 ? ' (the file is empty)' : ''}; Budgetline reads Excel .xlsx files (use "import" for CSV)`,
      );
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    } catch (e) {
      throw new XlsxFileError(
        path,
        `${path} cannot be read as an .xlsx workbook (${(e as Error).message}); it may be damaged or not an Excel file`,
      );
    }
    try {
      return new XlsxPort(options.saveTo ?? path, wb);
    } catch (e) {
      throw new XlsxFileError(path, `${path}: ${(e as Error).message}`);
    }
  }

  /** A new, empty workbook to be saved at `path` on the first write. */
  static create(path: string): Promise<XlsxPort> {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Budgetline';
    wb.created = new Date(0);
    return Promise.resolve(new XlsxPort(path, wb));
  }

  // ---- the port ----------------------------------------------------------------------------

  read(request: ReadRequest): Promise<Snapshot> {
    this.roundTrips.reads++;
    const sheetNames = this.sheetNames();
    const names = request.sheets === 'all' ? sheetNames : (request.sheets ?? []);
    const sheets: Record<string, CellValue[][]> = {};
    for (const name of names) {
      const grid = this.sheet(name);
      if (grid) sheets[name] = grid;
    }
    const windows: RowWindow[] = [];
    for (const w of request.rows ?? []) {
      const ws = this.worksheet(w.sheet);
      if (!ws) continue;
      const width = this.usedExtent(ws).width;
      windows.push(
        rowWindow(w, width, (r) => {
          const xr = ws.findRow(r + 1);
          return Array.from({ length: width }, (_, c) => (xr ? fromExcel(xr.findCell(c + 1)?.value) : null));
        }),
      );
    }
    return Promise.resolve({
      sheetNames,
      sheets,
      windows,
      ...(request.state ? { state: structuredClone(this.docState) } : {}),
      ...(request.state && this.stateDiagnostics.length ? { stateDiagnostics: this.stateDiagnostics } : {}),
      ...(request.user ? { user: null } : {}),
    });
  }

  async write(batch: WriteBatch): Promise<void> {
    this.roundTrips.writes++;
    for (const w of batch.sheets ?? []) this.writeSheet(w);
    for (const c of batch.clearMarks ?? []) this.clearMarks(c.sheet, c.from, c.to);
    for (const m of batch.marks ?? []) this.mark(m);
    for (const d of batch.dropdowns ?? []) this.addDropdown(d);
    for (const p of batch.protect ?? []) {
      const ws = this.requireSheet(p.sheet);
      await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true });
      this.extras.protection[p.sheet] = p.reason;
    }
    for (const name of batch.unprotect ?? []) {
      this.worksheet(name)?.unprotect();
      delete this.extras.protection[name];
    }
    if (batch.state) {
      this.docState = structuredClone(batch.state);
      this.stateDiagnostics = [];
    }
    this.storeExtras();
    await this.save();
  }

  // ---- inspection (tests, the command line) -------------------------------------------------

  /** Visible sheets in tab order (the hidden state sheet is left out). */
  sheetNames(): string[] {
    return this.wb.worksheets.filter((ws) => ws.name !== STATE_SHEET).map((ws) => ws.name);
  }

  /** A sheet's values from A1 to the last used cell, blanks null; undefined when missing. */
  sheet(name: string): CellValue[][] | undefined {
    const ws = this.worksheet(name);
    if (!ws) return undefined;
    const { width, height } = this.usedExtent(ws);
    const grid: CellValue[][] = Array.from({ length: height }, () => new Array<CellValue>(width).fill(null));
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      if (r > height) return;
      const target = grid[r - 1] as CellValue[];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (c <= width) target[c - 1] = fromExcel(cell.value);
      });
    });
    return grid;
  }

  /** Budgetline's marks on a sheet, read from the cells: severity from the fill, the note's text. */
  marks(sheet: string): CellMark[] {
    const ws = this.worksheet(sheet);
    if (!ws) return [];
    const out: CellMark[] = [];
    for (const cell of Object.keys(this.extras.marks[sheet] ?? {})) {
      const c = ws.getCell(cell);
      const color = fillColor(c.fill);
      const severity = (Object.keys(MARK_FILLS) as Severity[]).find((s) => MARK_FILLS[s] === color);
      const note = noteText(c.note);
      if (severity && note !== undefined) out.push({ sheet, cell, severity, note });
    }
    return out;
  }

  /** Sheets with sheet protection on, with the reason Budgetline gave. */
  protectedSheets(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const ws of this.wb.worksheets) {
      const p = (ws as unknown as { sheetProtection?: { sheet?: boolean } | null }).sheetProtection;
      if (p?.sheet) out[ws.name] = this.extras.protection[ws.name] ?? '';
    }
    return out;
  }

  /**
   * The list dropdowns of every sheet, ranges regrouped (a file stores them cell by cell); `strict`:
   * the file refuses a value not in the list (an error message of the Stop style).
   */
  dropdowns(): (Dropdown & { strict: boolean })[] {
    const out: (Dropdown & { strict: boolean })[] = [];
    for (const ws of this.wb.worksheets) {
      const model = (
        ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } }
      ).dataValidations.model;
      const groups = new Map<
        string,
        { top: number; left: number; bottom: number; right: number; strict: boolean }
      >();
      for (const [address, dv] of Object.entries(model)) {
        if (!dv || dv.type !== 'list' || typeof dv.formulae[0] !== 'string') continue;
        const [from, to] = address.split(':');
        const p = parseA1(from ?? '');
        const q = parseA1(to ?? from ?? '');
        if (!p || !q) continue;
        const strict = dv.showErrorMessage === true && (dv.errorStyle ?? 'stop') === 'stop';
        const g = groups.get(dv.formulae[0]);
        if (!g)
          groups.set(dv.formulae[0], { top: p.row, left: p.column, bottom: q.row, right: q.column, strict });
        else {
          g.strict ||= strict;
          g.top = Math.min(g.top, p.row);
          g.left = Math.min(g.left, p.column);
          g.bottom = Math.max(g.bottom, q.row);
          g.right = Math.max(g.right, q.column);
        }
      }
      for (const [formula, g] of groups) {
        const source = parseSource(formula);
        if (source)
          out.push({
            sheet: ws.name,
            range: `${a1(g.top, g.left)}:${a1(g.bottom, g.right)}`,
            source,
            strict: g.strict,
          });
      }
    }
    return out;
  }

  numberFormat(sheet: string, cell: string): string | null {
    const at = parseA1(cell);
    if (!at) return null;
    return this.worksheet(sheet)?.findCell(at.row + 1, at.column + 1)?.numFmt ?? null;
  }

  /** True when row `row` (0-based) of the sheet is bold and frozen above. */
  frozenRows(sheet: string): number {
    const view = this.worksheet(sheet)?.views[0];
    return view?.state === 'frozen' ? (view.ySplit ?? 0) : 0;
  }

  // ---- internals -----------------------------------------------------------------------------

  private worksheet(name: string): ExcelJS.Worksheet | undefined {
    if (name === STATE_SHEET) return undefined;
    return this.wb.getWorksheet(name);
  }

  private requireSheet(name: string): ExcelJS.Worksheet {
    const ws = this.worksheet(name);
    if (!ws) throw new XlsxFileError(this.path, `${this.path} has no sheet "${name}"`);
    return ws;
  }

  private usedExtent(ws: ExcelJS.Worksheet): { width: number; height: number } {
    let width = 0;
    let height = 0;
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (fromExcel(cell.value) === null) return;
        if (c > width) width = c;
        if (r > height) height = r;
      });
    });
    return { width, height };
  }

  private writeSheet(w: NonNullable<WriteBatch['sheets']>[number]): void {
    if (w.sheet === STATE_SHEET)
      throw new XlsxFileError(this.path, `the sheet name "${STATE_SHEET}" is reserved for Budgetline`);
    const at = parseA1(w.at ?? 'A1');
    if (!at) throw new RangeError(`XlsxPort: bad cell address ${w.at ?? ''}`);
    let ws = this.wb.getWorksheet(w.sheet);
    if (!ws) {
      try {
        ws = this.wb.addWorksheet(w.sheet);
      } catch (e) {
        throw new XlsxFileError(this.path, `cannot add the sheet "${w.sheet}": ${(e as Error).message}`);
      }
    }
    const height = w.values.length;
    const width = w.values.reduce((m, r) => Math.max(m, r.length), 0);
    if (w.replace) {
      ws.eachRow({ includeEmpty: false }, (row, r) => {
        row.eachCell({ includeEmpty: false }, (cell, c) => {
          const inside =
            r - 1 >= at.row && r - 1 < at.row + height && c - 1 >= at.column && c - 1 < at.column + width;
          if (!inside) cell.value = null;
        });
      });
    }
    w.values.forEach((values, i) => {
      const row = ws.getRow(at.row + i + 1);
      values.forEach((v, j) => {
        const cell = row.getCell(at.column + j + 1);
        cell.value = toExcel(v);
        const fmt = w.columnFormats?.[j];
        if (fmt !== null && fmt !== undefined && !(w.header && i === 0)) cell.numFmt = fmt;
        else if (v instanceof Date && !cell.numFmt) cell.numFmt = 'yyyy-mm-dd';
      });
    });
    if (w.header && height > 0) {
      const header = w.values[0] ?? [];
      const row = ws.getRow(at.row + 1);
      header.forEach((_, j) => {
        row.getCell(at.column + j + 1).font = { bold: true };
      });
      if (at.row === 0 && at.column === 0) ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];
      // Give the columns a readable width the first time a table is written.
      for (let j = 0; j < width; j++) {
        const col = ws.getColumn(at.column + j + 1);
        if (col.width !== undefined) continue;
        let longest = 8;
        for (const r of w.values.slice(0, 200)) {
          const v = r[j];
          const len =
            typeof v === 'number'
              ? String(Math.round(v)).length + 4
              : v instanceof Date
                ? 10
                : String(v ?? '').length;
          longest = Math.max(longest, len);
        }
        col.width = Math.min(48, longest + 2);
      }
    }
  }

  private clearMarks(sheet: string, from?: number, to?: number): void {
    const marked = this.extras.marks[sheet];
    const ws = this.worksheet(sheet);
    if (!marked) return;
    for (const [cell, rec] of Object.entries(marked)) {
      const row = parseA1(cell)?.row ?? -1;
      if (!insideClear(row, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }))
        continue;
      if (ws) {
        const c = ws.getCell(cell);
        // ExcelJS has no call to remove a note: drop the cell's comment, and renew its value, whose
        // model ExcelJS has copied the comment into.
        (c as unknown as { _comment: unknown })._comment = undefined;
        c.value = c.value as ExcelJS.CellValue;
        const style = { ...c.style };
        if (rec.fill) style.fill = rec.fill;
        else delete style.fill;
        c.style = style;
      }
      delete marked[cell];
    }
    if (Object.keys(marked).length === 0) delete this.extras.marks[sheet];
  }

  private mark(m: CellMark): void {
    const ws = this.requireSheet(m.sheet);
    const key = m.cell.toUpperCase().replace(/\$/g, '');
    const c = ws.getCell(key);
    const marked = (this.extras.marks[m.sheet] ??= {});
    const previous = marked[key];
    const ownFill = previous ? previous.fill : c.fill && Object.keys(c.fill).length ? c.fill : undefined;
    marked[key] = { severity: m.severity, ...(ownFill ? { fill: structuredClone(ownFill) } : {}) };
    // A fresh style object: ExcelJS shares style objects between cells of a row or column.
    c.style = {
      ...c.style,
      fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: MARK_FILLS[m.severity] } },
    };
    c.note = m.note;
  }

  private addDropdown(d: Dropdown): void {
    const ws = this.requireSheet(d.sheet);
    const range = d.range.replace(/\$/g, '').toUpperCase();
    const model = (ws as unknown as { dataValidations: { model: Record<string, unknown> } }).dataValidations
      .model;
    delete model[range];
    (
      ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } }
    ).dataValidations.add(range, {
      type: 'list',
      allowBlank: true,
      // A dropdown only suggests (core/port/types.ts Dropdown): other values are allowed.
      showErrorMessage: false,
      formulae: [`${quoteSheetName(d.source.sheet)}!${absoluteRange(d.source.range)}`],
    });
  }

  private loadExtras(): void {
    const ws = this.wb.getWorksheet(STATE_SHEET);
    if (!ws) return;
    const records = new Map<string, string>();
    ws.eachRow({ includeEmpty: false }, (row) => {
      const name = fromExcel(row.getCell(1).value);
      if (typeof name !== 'string') return;
      let json = '';
      for (let c = 2; c <= row.cellCount; c++) {
        const v = fromExcel(row.getCell(c).value);
        if (typeof v === 'string') json += v;
      }
      records.set(name, json);
    });
    const parse = <T>(name: string): T | undefined => {
      const json = records.get(name);
      if (json === undefined || json === '') return undefined;
      try {
        return JSON.parse(json) as T;
      } catch {
        throw new Error(
          `the hidden sheet "${STATE_SHEET}" (Budgetline's record of approvals) was edited and can no longer be read (record "${name}")`,
        );
      }
    };
    const decoded = decodeDocumentState(records.get('state'));
    this.docState = decoded.state;
    this.stateDiagnostics = decoded.diagnostics;
    this.extras = {
      marks: parse<Extras['marks']>('marks') ?? {},
      protection: parse<Extras['protection']>('protection') ?? {},
    };
  }

  private storeExtras(): void {
    let ws = this.wb.getWorksheet(STATE_SHEET);
    if (!ws) ws = this.wb.addWorksheet(STATE_SHEET, { state: 'hidden' });
    ws.state = 'hidden';
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        cell.value = null;
      });
    });
    ws.getCell('A1').value = 'Budgetline document data: do not edit (approvals and their audit hash)';
    const records: [string, unknown][] = [
      ['state', this.docState],
      ['marks', this.extras.marks],
      ['protection', this.extras.protection],
    ];
    records.forEach(([name, value], i) => {
      const row = ws.getRow(i + 2);
      row.getCell(1).value = name;
      const json = JSON.stringify(value);
      for (let k = 0; k * CHUNK < json.length; k++)
        row.getCell(k + 2).value = json.slice(k * CHUNK, (k + 1) * CHUNK);
    });
    // Keep the hidden sheet last, so the first tab Excel shows is a real one.
    type Ordered = { orderNo: number };
    const others = this.wb.worksheets.filter((s) => s !== ws) as unknown as Ordered[];
    (ws as unknown as Ordered).orderNo = others.reduce((m, s) => Math.max(m, s.orderNo), 0) + 1;
  }

  private async save(): Promise<void> {
    if (this.wb.worksheets.every((ws) => ws.state !== 'visible')) this.wb.addWorksheet('Sheet1');
    let buffer: ExcelJS.Buffer;
    try {
      buffer = await this.wb.xlsx.writeBuffer();
    } catch (e) {
      throw new XlsxFileError(this.path, `cannot save ${this.path}: ${(e as Error).message}`);
    }
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fsp.writeFile(tmp, buffer as unknown as Uint8Array);
      await fsp.rename(tmp, this.path);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw new XlsxFileError(
        this.path,
        `cannot save ${this.path}: ${(e as Error).message}; the file on disk was left as it was`,
      );
    }
  }
}
