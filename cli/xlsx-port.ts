/**
 * XlsxPort: the workbook port over one .xlsx (or .xlsm) file, patching the package in place.
 *
 * - `XlsxPort.open(path)` reads the package once (cli/xlsx/package.ts keeps every zip entry as its
 *   stored bytes) and parses a sheet's XML the first time the sheet is read; every `read` is served
 *   from memory.
 * - `XlsxPort.create(path)` starts a new, empty workbook; nothing is written until the first `write`.
 * - `write` applies the batch, then saves atomically — to a temporary file beside the target, then
 *   renamed over it — and only when the batch changed something: a batch that changes nothing (a
 *   validation that finds what is already marked) leaves the file as it was. With `readOnly` the file
 *   is never written.
 *
 * A write changes only what Budgetline owns: the rows of cells it writes, the cell formats of cells it
 * marks or formats (new formats appended to styles.xml), its notes (single <comment> elements and
 * their VML shapes), sheet protection, data validations, new sheets (workbook.xml, its relationships
 * and [Content_Types].xml get one element each) and calcChain entries of formulas it overwrote. Every
 * other part — charts, drawings, images, pivot tables and caches, slicers, Excel tables, threaded
 * comments, custom XML, printer settings, the VBA project — is copied byte for byte, and so is every
 * row of a sheet that the write does not touch. Where a write would damage something it cannot keep
 * (overwriting the first cell of a shared formula others still use, renaming an Excel table's
 * column), it is refused before anything is written, with a message naming the cell.
 *
 * How the port's notions live in the file:
 * - values: strings are written as inline strings (text stays text: "001", "=1+1"), numbers,
 *   booleans and dates (a serial number with a date format) stay what they are; a formula reads as its
 *   cached result, a spreadsheet error (#REF!) as its text, rich text as its text.
 * - marks: a solid fill by severity (light red fatal, light yellow warning) and a note holding the
 *   finding. Budgetline remembers which cells it marked, the fill they had and the note they had, so
 *   clearing a mark restores the user's own fill and note.
 * - protection: sheet protection without a password (it guards against slips, not people); a
 *   sheet's own protection is put back when Budgetline unprotects it.
 * - dropdowns: data-validation lists that accept other values (no error message).
 * - document state: the hidden sheet `_budgetline` (see STATE_SHEET), one record per row: column A
 *   names the record, columns B, C, … hold its JSON in pieces of at most 30,000 characters. Records:
 *   `state` (the DocumentState), `marks` (cells Budgetline marked) and `protection`.
 * - user: always null (a file does not know who opened it; the command line passes --as instead).
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SaxesParser } from 'saxes';
import {
  a1,
  absoluteRange,
  checkChartsAndPrint,
  cellText,
  closeRange,
  columnLetter,
  decodeComputedHashes,
  decodeDocumentState,
  emptyDocumentState,
  mergeComputedHashes,
  insideClear,
  planTable,
  parseA1,
  quoteSheetName,
  rowWindow,
  uniqueTableName,
  type CellMark,
  type CellValue,
  type ChartSpec,
  type PrintSetup,
  type Diagnostic,
  type DocumentState,
  type Dropdown,
  type ReadRequest,
  type RowWindow,
  type Severity,
  type Snapshot,
  type TableSpec,
  type WorkbookPort,
  type WriteBatch,
} from '../core';
import { writeCharts } from './xlsx/charts';
import { SheetNotes } from './xlsx/notes';
import { withPrintTitles, writePrintSetup } from './xlsx/print';
import { CONTENT, insertIntoElement, Package, REL, R_NS } from './xlsx/package';
import { SheetPart } from './xlsx/sheet';
import { DEFAULT_STYLES, Styles } from './xlsx/styles';
import { escapeAttr, local, prefixOf, topLevel } from './xlsx/xml';

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
  /** The fill (index in styles.xml) the cell had before Budgetline marked it. */
  readonly fillId?: number;
  /** The cell format (xf index) the cell had before it was marked. */
  readonly style?: number;
  /** Files written before lossless saving: the cell's own fill as ExcelJS described it. */
  readonly fill?: { readonly fgColor?: { readonly argb?: string } };
  /** The cell's own note before it was marked: its <comment> element and VML shape. */
  readonly comment?: string;
  readonly shape?: string;
  /** The cell holds a threaded comment: only the fill was set. */
  readonly noNote?: boolean;
}

interface Extras {
  marks: Record<string, Record<string, MarkRecord>>;
  protection: Record<string, string>;
  /** A sheet's own <sheetProtection> before Budgetline protected it. */
  userProtection?: Record<string, string>;
  /** By site sheet, the hash of its computed cost columns as last written (WriteBatch.computedHashes). */
  computed?: Record<string, string>;
}

interface SheetEntry {
  name: string;
  /** The part, for worksheets; undefined for chart sheets and dialog sheets. */
  path: string | undefined;
  hidden: boolean;
  sheetId: number;
}

const MAGIC = {
  zip: Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  ole: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
};

const TEMPLATE = {
  contentTypes:
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
  rels: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL.officeDocument}" Target="xl/workbook.xml"/></Relationships>`,
  workbook: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${R_NS}"><bookViews><workbookView/></bookViews><sheets/></workbook>`,
  workbookRels: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL.styles}" Target="styles.xml"/></Relationships>`,
};

/** The value of a cell as text for comparisons (dates by time). */
function same(a: CellValue, b: CellValue): boolean {
  const x = a === '' || a === undefined ? null : a;
  const y = b === '' || b === undefined ? null : b;
  if (x instanceof Date || y instanceof Date)
    return x instanceof Date && y instanceof Date && x.getTime() === y.getTime();
  return x === y;
}

/** "'BL Codes'!$A$2:$A$3" → { sheet: 'BL Codes', range: 'A2:A3' }. */
function parseSource(formula: string): { sheet: string; range: string } | undefined {
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!(.+)$/.exec(formula.trim());
  if (!m) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] as string);
  return { sheet, range: (m[3] as string).replace(/\$/g, '') };
}

/** Every shared string's text (rich-text runs joined, phonetic runs left out), in one pass. */
function sharedStrings(xml: string | undefined): string[] {
  if (xml === undefined) return [];
  const out: string[] = [];
  const parser = new SaxesParser();
  let cur: string | null = null;
  let inT = false;
  let inPh = 0;
  parser.on('opentag', (tag) => {
    const n = local(tag.name);
    if (n === 'si') cur = '';
    else if (n === 'rPh') inPh++;
    else if (n === 't' && !tag.isSelfClosing && inPh === 0) inT = true;
  });
  parser.on('closetag', (tag) => {
    const n = local(tag.name);
    if (n === 'si') {
      out.push(decodeX(cur ?? ''));
      cur = null;
    } else if (n === 'rPh') inPh--;
    else if (n === 't') inT = false;
  });
  parser.on('text', (t) => {
    if (inT && cur !== null) cur += t;
  });
  parser.write(xml).close();
  return out;
}

function decodeX(s: string): string {
  return s.includes('_x')
    ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    : s;
}

export class XlsxPort implements WorkbookPort {
  /** Round trips made, as the other adapters count them. */
  readonly roundTrips = { reads: 0, writes: 0 };
  private extras: Extras = { marks: {}, protection: {} };
  private docState: DocumentState = emptyDocumentState();
  /** BL820 when the stored state could not be decoded (decodeDocumentState). */
  private stateDiagnostics: readonly Diagnostic[] = [];
  private storedJson = '';
  private readonly parts = new Map<string, SheetPart>();
  private readonly notes = new Map<string, SheetNotes>();
  private list: SheetEntry[] = [];
  private wbPath = 'xl/workbook.xml';
  private styles!: Styles;
  private stylesPath = 'xl/styles.xml';
  private strings: string[] = [];
  private date1904 = false;
  private mustSave = false;
  /** Sheets this port created (they get a frozen header and column widths). */
  private readonly created = new Set<string>();

  private constructor(
    readonly path: string,
    private readonly pkg: Package,
    private readonly readOnly: boolean,
  ) {
    this.loadWorkbook();
    this.loadExtras();
  }

  /**
   * Opens an existing .xlsx file. Throws XlsxFileError naming the file and what is wrong. With
   * `saveTo`, writes go to that file instead (the opened file is left as it was); with `readOnly`,
   * writes are applied to nothing and the file is never saved (commands that only read).
   */
  static async open(path: string, options: { saveTo?: string; readOnly?: boolean } = {}): Promise<XlsxPort> {
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
    let pkg: Package;
    try {
      pkg = await Package.read(bytes);
    } catch (e) {
      throw new XlsxFileError(
        path,
        `${path} cannot be read as an .xlsx workbook (${(e as Error).message}); it may be damaged or not an Excel file`,
      );
    }
    try {
      const port = new XlsxPort(options.saveTo ?? path, pkg, options.readOnly === true);
      // Saved elsewhere: the first write makes that file even when it changes nothing.
      port.mustSave = options.saveTo !== undefined && options.saveTo !== path;
      return port;
    } catch (e) {
      if (e instanceof XlsxFileError) throw e;
      throw new XlsxFileError(path, `${path}: ${(e as Error).message}`);
    }
  }

  /** A new, empty workbook to be saved at `path` on the first write. */
  static create(path: string): Promise<XlsxPort> {
    const pkg = Package.empty();
    pkg.set('[Content_Types].xml', TEMPLATE.contentTypes);
    pkg.set('_rels/.rels', TEMPLATE.rels);
    pkg.set('xl/workbook.xml', TEMPLATE.workbook);
    pkg.set('xl/_rels/workbook.xml.rels', TEMPLATE.workbookRels);
    pkg.set('xl/styles.xml', DEFAULT_STYLES);
    return Promise.resolve(new XlsxPort(path, pkg, false));
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
      const part = this.part(w.sheet);
      if (!part) continue;
      const width = part.extent().width;
      windows.push(rowWindow(w, width, (r) => part.rowValues(r, width)));
    }
    // A file is not recalculated here: each formula cell read gives the result saved last (BL014).
    const formulas: Record<string, string[]> = {};
    for (const name of Object.keys(sheets)) {
      const cells = this.formulaCells(name);
      if (cells.length) formulas[name] = cells;
    }
    return Promise.resolve({
      sheetNames,
      sheets,
      windows,
      ...(Object.keys(formulas).length ? { formulas } : {}),
      ...(request.state ? { state: structuredClone(this.docState) } : {}),
      ...(request.state && this.stateDiagnostics.length ? { stateDiagnostics: this.stateDiagnostics } : {}),
      ...(request.state || request.computedHashes ? { computedHashes: { ...this.extras.computed } } : {}),
      ...(request.user ? { user: null } : {}),
      ...(request.tables ? { tables: this.tables(), merged: this.mergedCells() } : {}),
    });
  }

  async write(batch: WriteBatch): Promise<void> {
    this.roundTrips.writes++;
    if (this.readOnly) return;
    // A chart or print setup that cannot be written fails here, before anything is written (contract).
    checkChartsAndPrint(batch, this.sheetNames());
    for (const w of batch.sheets ?? []) this.writeSheet(w);
    // A cell cleared and marked again in the same batch keeps its mark record (and so the user's own
    // fill and note), and a mark that is already there changes nothing in the file.
    const remarked = new Set(
      (batch.marks ?? []).map((m) => `${m.sheet}!${m.cell.toUpperCase().replace(/\$/g, '')}`),
    );
    for (const c of batch.clearMarks ?? []) this.clearMarks(c.sheet, c.from, c.to, remarked);
    for (const m of batch.marks ?? []) this.mark(m);
    for (const t of batch.tables ?? []) this.addTable(t);
    for (const d of batch.dropdowns ?? []) this.addDropdown(d);
    for (const p of batch.protect ?? []) this.protect(p.sheet, p.reason);
    for (const name of batch.unprotect ?? []) this.unprotect(name);
    this.writeCharts(batch.charts ?? []);
    for (const p of batch.print ?? []) this.printSetup(p);
    if (batch.state) {
      this.docState = structuredClone(batch.state);
      this.stateDiagnostics = [];
    }
    if (batch.computedHashes)
      this.extras.computed = mergeComputedHashes(this.extras.computed ?? {}, batch.computedHashes);
    this.storeExtras();
    if (!this.changed() && !this.mustSave) return;
    await this.save();
    this.mustSave = false;
  }

  // ---- inspection (tests, the command line) -------------------------------------------------

  /** Visible and hidden worksheets in tab order (the state sheet is left out). */
  sheetNames(): string[] {
    return this.list.filter((s) => s.path !== undefined && s.name !== STATE_SHEET).map((s) => s.name);
  }

  /** A sheet's values from A1 to the last used cell, blanks null; undefined when missing. */
  sheet(name: string): CellValue[][] | undefined {
    return this.part(name)?.values();
  }

  /** The cells of a sheet that hold a formula (A1), whose values are the results cached in the file. */
  formulaCells(name: string): string[] {
    return this.part(name)?.formulaCells() ?? [];
  }

  /** Budgetline's marks on a sheet, read from the cells: severity from the fill, the note's text. */
  marks(sheet: string): CellMark[] {
    const part = this.part(sheet);
    if (!part) return [];
    const out: CellMark[] = [];
    for (const cell of Object.keys(this.extras.marks[sheet] ?? {})) {
      const at = parseA1(cell);
      if (!at) continue;
      const color = this.styles.fillColor(part.styleOf(at.row, at.column));
      const severity = (Object.keys(MARK_FILLS) as Severity[]).find((s) => MARK_FILLS[s] === color);
      const note = this.notesOf(sheet)?.get(cell)?.text;
      if (severity && note !== undefined) out.push({ sheet, cell, severity, note });
    }
    return out;
  }

  /** Sheets with sheet protection on, with the reason Budgetline gave. */
  protectedSheets(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of this.sheetNames()) {
      const el = this.part(name)?.element('sheetProtection');
      if (el && /\ssheet="(?:1|true)"/.test(el)) out[name] = this.extras.protection[name] ?? '';
    }
    return out;
  }

  /**
   * The data-validation rules of every sheet, ranges regrouped by rule: lists fed from a range, inline
   * lists and decimal rules; `strict`: the file refuses a value outside the rule (an error message of
   * the Stop style).
   */
  dropdowns(): (Dropdown & { strict: boolean })[] {
    const out: (Dropdown & { strict: boolean })[] = [];
    const unescape = (x: string): string =>
      x
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    for (const name of this.sheetNames()) {
      const el = this.part(name)?.element('dataValidations');
      if (!el) continue;
      const groups = new Map<
        string,
        {
          rule:
            | { source: { sheet: string; range: string } }
            | { values: string[] }
            | { number: { min: number; max: number }; message: string };
          top: number;
          left: number;
          bottom: number;
          right: number;
          strict: boolean;
        }
      >();
      for (const dv of topLevel(el).children) {
        const body = el.slice(dv.openEnd, dv.end);
        const formula = (n: number): string | undefined => {
          const f = new RegExp(`<(?:\\w+:)?formula${n}>([\\s\\S]*?)</(?:\\w+:)?formula${n}>`).exec(body)?.[1];
          return f === undefined ? undefined : unescape(f);
        };
        const f1 = formula(1);
        if (f1 === undefined) continue;
        let key: string;
        let rule:
          | { source: { sheet: string; range: string } }
          | { values: string[] }
          | { number: { min: number; max: number }; message: string };
        if (dv.attrs.type === 'list' && /^".*"$/s.test(f1)) {
          key = `values:${f1}`;
          rule = { values: f1.slice(1, -1).replace(/""/g, '"').split(',') };
        } else if (dv.attrs.type === 'list') {
          const source = parseSource(f1);
          if (!source) continue;
          key = `source:${f1}`;
          rule = { source };
        } else if (dv.attrs.type === 'decimal' && (dv.attrs.operator ?? 'between') === 'between') {
          const min = Number(f1);
          const max = Number(formula(2));
          if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
          const message = unescape(dv.attrs.error ?? '');
          key = `number:${min}:${max}:${message}`;
          rule = { number: { min, max }, message };
        } else continue;
        const strict =
          (dv.attrs.showErrorMessage === '1' || dv.attrs.showErrorMessage === 'true') &&
          (dv.attrs.errorStyle ?? 'stop') === 'stop';
        for (const range of (dv.attrs.sqref ?? '').split(/\s+/).filter(Boolean)) {
          const [from, to] = range.split(':');
          const p = parseA1(from ?? '');
          const q = parseA1(to ?? from ?? '');
          if (!p || !q) continue;
          const g = groups.get(key);
          if (!g)
            groups.set(key, { rule, top: p.row, left: p.column, bottom: q.row, right: q.column, strict });
          else {
            g.strict ||= strict;
            g.top = Math.min(g.top, p.row);
            g.left = Math.min(g.left, p.column);
            g.bottom = Math.max(g.bottom, q.row);
            g.right = Math.max(g.right, q.column);
          }
        }
      }
      for (const g of groups.values())
        out.push({
          sheet: name,
          range: `${a1(g.top, g.left)}:${a1(g.bottom, g.right)}`,
          ...g.rule,
          strict: g.strict,
        });
    }
    return out;
  }

  numberFormat(sheet: string, cell: string): string | null {
    const at = parseA1(cell);
    const part = this.part(sheet);
    if (!at || !part) return null;
    return this.styles.numberFormat(part.styleOf(at.row, at.column));
  }

  /** How many rows are frozen at the top of a sheet. */
  frozenRows(sheet: string): number {
    const views = this.part(sheet)?.element('sheetViews') ?? '';
    const pane = /<(?:\w+:)?pane\b[^>]*>/.exec(views)?.[0] ?? '';
    if (!/state="frozen"/.test(pane)) return 0;
    return Number(/ySplit="(\d+)"/.exec(pane)?.[1] ?? 0);
  }

  // ---- the workbook --------------------------------------------------------------------------

  private loadWorkbook(): void {
    const rels = this.pkg.rels('');
    const office = rels.find((r) => r.type === REL.officeDocument);
    if (!office && rels.some((r) => r.type.startsWith('http://purl.oclc.org/ooxml/')))
      throw new XlsxFileError(
        this.path,
        `${this.path} is a Strict Open XML workbook, which Budgetline does not read; save it from Excel as "Excel Workbook (.xlsx)"`,
      );
    this.wbPath = office?.target ?? 'xl/workbook.xml';
    if (this.wbPath.endsWith('.bin'))
      throw new XlsxFileError(
        this.path,
        `${this.path} is an Excel binary workbook (.xlsb); save it from Excel as "Excel Workbook (.xlsx)"`,
      );
    const xml = this.pkg.text(this.wbPath);
    if (xml === undefined) throw new Error('it has no workbook part (xl/workbook.xml)');
    const wbRels = this.pkg.rels(this.wbPath);
    const byId = new Map(wbRels.map((r) => [r.id, r]));
    const { children } = topLevel(xml);
    this.date1904 = children.some(
      (c) => c.name === 'workbookPr' && /^(1|true)$/.test(c.attrs.date1904 ?? ''),
    );
    const sheets = children.find((c) => c.name === 'sheets');
    this.list = [];
    if (sheets) {
      const body = xml.slice(sheets.start, sheets.end);
      for (const s of topLevel(body).children) {
        if (s.name !== 'sheet') continue;
        const rid = Object.entries(s.attrs).find(([k]) => k.endsWith(':id'))?.[1];
        const rel = rid !== undefined ? byId.get(rid) : undefined;
        this.list.push({
          name: s.attrs.name ?? '',
          path: rel && rel.type === REL.worksheet ? rel.target : undefined,
          hidden: (s.attrs.state ?? 'visible') !== 'visible',
          sheetId: Number(s.attrs.sheetId ?? 0),
        });
      }
    }
    const st = wbRels.find((r) => r.type === REL.styles);
    this.stylesPath = st?.target ?? 'xl/styles.xml';
    this.styles = new Styles(this.pkg.text(this.stylesPath) ?? DEFAULT_STYLES);
    const ss = wbRels.find((r) => r.type === REL.sharedStrings);
    this.strings = sharedStrings(ss ? this.pkg.text(ss.target) : undefined);
  }

  private entry(name: string): SheetEntry | undefined {
    return this.list.find((s) => s.name === name);
  }

  /** The worksheet `name` (parsed on first use); undefined when missing or not a worksheet. */
  private part(name: string, allowState = false): SheetPart | undefined {
    if (name === STATE_SHEET && !allowState) return undefined;
    const known = this.parts.get(name);
    if (known) return known;
    const e = this.entry(name);
    if (!e?.path) return undefined;
    const xml = this.pkg.text(e.path);
    if (xml === undefined) return undefined;
    let part: SheetPart;
    try {
      part = new SheetPart(name, e.path, xml, this.ctx());
    } catch (x) {
      throw new XlsxFileError(
        this.path,
        `${this.path}: the sheet "${name}" cannot be read (${(x as Error).message})`,
      );
    }
    this.parts.set(name, part);
    return part;
  }

  private context: { strings: string[]; styles: Styles; date1904: boolean } | undefined;

  /** What sheets need to read cells; one object, so a new styles.xml after a save reaches them. */
  private ctx(): { strings: string[]; styles: Styles; date1904: boolean } {
    this.context ??= { strings: this.strings, styles: this.styles, date1904: this.date1904 };
    return this.context;
  }

  private requireSheet(name: string): SheetPart {
    const part = this.part(name);
    if (!part) throw new XlsxFileError(this.path, `${this.path} has no sheet "${name}"`);
    return part;
  }

  /** The worksheet `name`, added at the end of the tabs (before the state sheet) when missing. */
  private ensureSheet(name: string, hidden = false): SheetPart {
    const existing = this.part(name, true);
    if (existing) return existing;
    if (this.entry(name))
      throw new XlsxFileError(
        this.path,
        `cannot write the sheet "${name}": it is a chart sheet, not a worksheet`,
      );
    if (this.list.some((s) => s.name.toLowerCase() === name.toLowerCase()))
      throw new XlsxFileError(
        this.path,
        `cannot add the sheet "${name}": another sheet has that name in other capitals`,
      );
    if (name.length > 31 || /[\\/?*[\]:]/.test(name) || name.trim() === '')
      throw new XlsxFileError(
        this.path,
        `cannot add the sheet "${name}": Excel sheet names have at most 31 characters and none of \\ / ? * [ ] :`,
      );
    const path = this.pkg.freeName('xl/worksheets/sheet', '.xml');
    this.pkg.set(path, SheetPart.BLANK);
    const rid = this.pkg.addRel(this.wbPath, REL.worksheet, path);
    this.pkg.addOverride(path, CONTENT.worksheet);
    const sheetId = this.list.reduce((m, s) => Math.max(m, s.sheetId), 0) + 1;
    const xml = this.pkg.text(this.wbPath) as string;
    const { root, children } = topLevel(xml);
    const p = prefixOf(xml.slice(root.start + 1, root.openEnd).split(/[\s/>]/)[0] ?? '');
    const rPrefix =
      /xmlns:(\w+)="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/.exec(
        xml.slice(root.start, root.openEnd),
      )?.[1];
    const ridAttr = rPrefix ? `${rPrefix}:id="${rid}"` : `xmlns:r="${R_NS}" r:id="${rid}"`;
    const el = `<${p}sheet name="${escapeAttr(name)}" sheetId="${sheetId}"${hidden ? ' state="hidden"' : ''} ${ridAttr}/>`;
    const sheets = children.find((c) => c.name === 'sheets');
    if (!sheets) throw new XlsxFileError(this.path, `${this.path}: the workbook part has no list of sheets`);
    const body = xml.slice(sheets.start, sheets.end);
    const state = topLevel(body).children.find((c) => c.name === 'sheet' && c.attrs.name === STATE_SHEET);
    const next = state
      ? xml.slice(0, sheets.start + state.start) + el + xml.slice(sheets.start + state.start)
      : insertIntoElement(xml, sheets, el, 'end');
    this.pkg.set(this.wbPath, next);
    const entry: SheetEntry = { name, path, hidden, sheetId };
    const at = this.list.findIndex((s) => s.name === STATE_SHEET);
    if (at >= 0) this.list.splice(at, 0, entry);
    else this.list.push(entry);
    const part = SheetPart.blank(name, path, this.ctx());
    this.parts.set(name, part);
    this.created.add(name);
    return part;
  }

  private notesOf(sheet: string): SheetNotes | undefined {
    const part = this.part(sheet, true);
    if (!part) return undefined;
    let n = this.notes.get(sheet);
    if (!n) {
      n = new SheetNotes(
        this.pkg,
        part.path,
        () => part.rootTag(),
        () => /\s[\w]+:id="([^"]+)"/.exec(part.element('legacyDrawing') ?? '')?.[1],
      );
      this.notes.set(sheet, n);
    }
    return n;
  }

  // ---- writing -------------------------------------------------------------------------------

  private writeSheet(w: NonNullable<WriteBatch['sheets']>[number]): void {
    if (w.sheet === STATE_SHEET)
      throw new XlsxFileError(this.path, `the sheet name "${STATE_SHEET}" is reserved for Budgetline`);
    const at = parseA1(w.at ?? 'A1');
    if (!at) throw new RangeError(`XlsxPort: bad cell address ${w.at ?? ''}`);
    const part = this.ensureSheet(w.sheet);
    const height = w.values.length;
    const width = w.values.reduce((m, r) => Math.max(m, r.length), 0);
    if (w.replace) part.clearOutside(at.row, at.column, at.row + height - 1, at.column + width - 1);
    w.values.forEach((values, i) => {
      const r = at.row + i;
      const headerRow = w.header === true && i === 0;
      if (part.isNew(r)) {
        // A row with nothing in it yet is written in one piece.
        const styles = values.map((v, j) => {
          const fmt = w.columnFormats?.[j];
          let next = 0;
          if (fmt !== null && fmt !== undefined && !headerRow)
            next = this.styles.derive(next, { numFmt: fmt });
          else if (v instanceof Date && !this.styles.isDate(next))
            next = this.styles.derive(next, { numFmt: 'yyyy-mm-dd' });
          if (headerRow) next = this.styles.derive(next, { bold: true });
          return next;
        });
        part.setNewRow(r, at.column, values, styles);
        return;
      }
      values.forEach((v, j) => {
        const c = at.column + j;
        const s = part.styleOf(r, c);
        let next = s;
        const fmt = w.columnFormats?.[j];
        // A cell cleared with its format (clearFormats) goes back to style 0: no element at all.
        if (w.clearFormats && (v === null || v === undefined || v === '')) next = 0;
        else if (fmt !== null && fmt !== undefined && !headerRow)
          next = this.styles.derive(next, { numFmt: fmt });
        else if (v instanceof Date && !this.styles.isDate(next))
          next = this.styles.derive(next, { numFmt: 'yyyy-mm-dd' });
        if (headerRow) next = this.styles.derive(next, { bold: true });
        if (next === s && same(part.get(r, c), v) && !part.hasFormula(r, c)) return;
        part.setValue(r, c, v === undefined ? null : v, next);
      });
    });
    if (w.header && height > 0 && this.created.has(w.sheet) && at.row === 0 && at.column === 0) {
      const p = part.prefix;
      part.setElement(
        'sheetViews',
        `<${p}sheetViews><${p}sheetView workbookViewId="0"><${p}pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><${p}selection pane="bottomLeft"/></${p}sheetView></${p}sheetViews>`,
      );
      const cols: string[] = [];
      for (let j = 0; j < width; j++) {
        let longest = 8;
        for (const row of w.values.slice(0, 200)) {
          const v = row[j];
          const len =
            typeof v === 'number'
              ? String(Math.round(v)).length + 4
              : v instanceof Date
                ? 10
                : String(v ?? '').length;
          longest = Math.max(longest, len);
        }
        const n = at.column + j + 1;
        cols.push(`<${p}col min="${n}" max="${n}" width="${Math.min(48, longest + 2)}" customWidth="1"/>`);
      }
      if (cols.length) part.setElement('cols', `<${p}cols>${cols.join('')}</${p}cols>`);
    } else if (w.header && height > 0 && at.row === 0 && at.column > 0) {
      // A block with its own header right of what the sheet's columns set (a site sheet's computed
      // Cost column and summary): widths for its columns, appended only where the sheet sets none.
      const p = part.prefix;
      const existing = part.element('cols');
      const covered = [...(existing ?? '').matchAll(/<(?:\w+:)?col\b[^>]*?\bmax="(\d+)"/g)].reduce(
        (m, x) => Math.max(m, Number(x[1])),
        0,
      );
      const close = `</${p}cols>`;
      if (at.column + 1 > covered && (existing === undefined || existing.endsWith(close))) {
        const cols: string[] = [];
        for (let j = 0; j < width; j++) {
          let longest = 8;
          for (const row of w.values.slice(0, 200)) {
            const v = row[j];
            longest = Math.max(
              longest,
              typeof v === 'number' ? String(Math.round(v)).length + 4 : String(v ?? '').length,
            );
          }
          const n = at.column + j + 1;
          cols.push(`<${p}col min="${n}" max="${n}" width="${Math.min(48, longest + 2)}" customWidth="1"/>`);
        }
        part.setElement(
          'cols',
          existing !== undefined
            ? `${existing.slice(0, -close.length)}${cols.join('')}${close}`
            : `<${p}cols>${cols.join('')}${close}`,
        );
      }
    }
  }

  /** Native charts, one sheet's drawing at a time (cli/xlsx/charts.ts). */
  private writeCharts(specs: readonly ChartSpec[]): void {
    const bySheet = new Map<string, ChartSpec[]>();
    for (const c of specs) bySheet.set(c.sheet, [...(bySheet.get(c.sheet) ?? []), c]);
    for (const [sheet, list] of bySheet) writeCharts(this.pkg, this.requireSheet(sheet), list);
  }

  /**
   * Print setup (cli/xlsx/print.ts), the print titles as the sheet's _xlnm.Print_Titles name, and
   * columns as wide as what they print (text-only rows such as titles and notes left out).
   */
  private printSetup(setup: PrintSetup): void {
    const part = this.requireSheet(setup.sheet);
    writePrintSetup(part, setup);
    const index = this.list.findIndex((s) => s.name === setup.sheet);
    const xml = this.pkg.text(this.wbPath) as string;
    const next = withPrintTitles(xml, setup.sheet, index, setup.titleRows);
    if (next !== xml) this.pkg.set(this.wbPath, next);
    const { width, height } = part.extent();
    const widths = new Array<number>(width).fill(8);
    for (let r = 0; r < height; r++) {
      const row = part.rowValues(r, width);
      if (row.filter((v) => v !== null && v !== '').length < 2) continue;
      row.forEach((v, j) => {
        const len =
          typeof v === 'number'
            ? Math.ceil((String(Math.round(Math.abs(v))).length * 4) / 3) + 6
            : v instanceof Date
              ? 11
              : String(v ?? '').length + 2;
        widths[j] = Math.max(widths[j] as number, len);
      });
    }
    const p = part.prefix;
    if (width)
      part.setElement(
        'cols',
        `<${p}cols>${widths.map((w, j) => `<${p}col min="${j + 1}" max="${j + 1}" width="${Math.min(60, w + 1)}" customWidth="1"/>`).join('')}</${p}cols>`,
      );
  }

  private clearMarks(sheet: string, from?: number, to?: number, keep: ReadonlySet<string> = new Set()): void {
    const marked = this.extras.marks[sheet];
    if (!marked) return;
    const part = this.part(sheet);
    for (const [cell, rec] of Object.entries(marked)) {
      const at = parseA1(cell);
      const row = at?.row ?? -1;
      if (!insideClear(row, { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }))
        continue;
      if (keep.has(`${sheet}!${cell}`)) continue;
      if (part && at) {
        const s = part.styleOf(at.row, at.column);
        const legacy = rec.fill?.fgColor?.argb;
        const change = rec.fillId !== undefined ? { fillFrom: rec.fillId } : { fill: legacy ?? null };
        // The cell's own format when nothing else changed since it was marked; else its format now
        // with its own fill back.
        const next =
          rec.style !== undefined && this.styles.derive(rec.style, { fill: MARK_FILLS[rec.severity] }) === s
            ? rec.style
            : this.styles.derive(s, change);
        if (next !== s) part.setStyle(at.row, at.column, next);
        if (!rec.noNote) this.notesOf(sheet)?.restore(cell, rec.comment, rec.shape);
      }
      delete marked[cell];
    }
    if (Object.keys(marked).length === 0) delete this.extras.marks[sheet];
  }

  private mark(m: CellMark): void {
    const part = this.requireSheet(m.sheet);
    const key = m.cell.toUpperCase().replace(/\$/g, '');
    const at = parseA1(key);
    if (!at) throw new RangeError(`XlsxPort: bad cell address ${m.cell}`);
    const notes = this.notesOf(m.sheet) as SheetNotes;
    const marked = (this.extras.marks[m.sheet] ??= {});
    const s = part.styleOf(at.row, at.column);
    let rec = marked[key];
    if (!rec) {
      const own = notes.get(key);
      const threaded = notes.hasThreadedComment(key);
      rec = {
        severity: m.severity,
        fillId: this.styles.fillId(s),
        style: s,
        ...(own && !threaded ? { comment: own.comment, ...(own.shape ? { shape: own.shape } : {}) } : {}),
        ...(threaded ? { noNote: true } : {}),
      };
    }
    marked[key] = { ...rec, severity: m.severity };
    const next = this.styles.derive(s, { fill: MARK_FILLS[m.severity] });
    if (next !== s) part.setStyle(at.row, at.column, next);
    if (!rec.noNote && notes.get(key)?.text !== m.note) notes.set(key, m.note);
  }

  /** The Excel tables of every sheet (for inspection). */
  tables(): TableSpec[] {
    const out: TableSpec[] = [];
    for (const sheet of this.sheetNames()) {
      const part = this.part(sheet);
      if (!part) continue;
      for (const r of this.pkg.rels(part.path).filter((x) => x.type === REL.table)) {
        const { root } = topLevel(this.pkg.text(r.target) ?? '<table/>');
        out.push({
          sheet,
          name: root.attrs.displayName ?? root.attrs.name ?? '',
          range: root.attrs.ref ?? '',
        });
      }
    }
    return out;
  }

  /** The merged cells of every sheet (or of one): each mergeCell's ref. */
  private mergedCells(only?: string): { sheet: string; range: string }[] {
    const out: { sheet: string; range: string }[] = [];
    for (const sheet of this.sheetNames()) {
      if (only !== undefined && sheet.toLowerCase() !== only.toLowerCase()) continue;
      const xml = this.part(sheet)?.element('mergeCells') ?? '';
      for (const m of xml.matchAll(/<(?:\w+:)?mergeCell\b[^>]*\bref="([^"]+)"/g))
        out.push({ sheet, range: (m[1] ?? '').toUpperCase() });
    }
    return out;
  }

  /** Every table part of the workbook: its part name, id and name (Excel's displayName). */
  private tableParts(): { path: string; id: number; name: string }[] {
    return this.pkg
      .names()
      .filter((n) => /^xl\/tables\/[^/]+\.xml$/i.test(n))
      .map((path) => {
        const { root } = topLevel(this.pkg.text(path) ?? '<table/>');
        return {
          path,
          id: Number(root.attrs.id) || 0,
          name: root.attrs.displayName ?? root.attrs.name ?? '',
        };
      });
  }

  /**
   * An Excel table (TableSpec) as a table part of its own: the part, its relationship from the sheet,
   * its content type and the sheet's tableParts element; nothing else changes. Where tables already
   * are, planTable decides (ours resized; a user's table over exactly this block kept, its ref and
   * autoFilter extended to new rows; a user's table in the way left alone and none added), and a name
   * taken in the workbook (a table or a defined name) gets a suffix.
   */
  private addTable(t: TableSpec): void {
    const part = this.requireSheet(t.sheet);
    const range = t.range.replace(/\$/g, '').toUpperCase();
    const [a, b] = range.split(':');
    const p = parseA1(a ?? '');
    const q = parseA1(b ?? '');
    if (!p || !q || q.row <= p.row || q.column < p.column)
      throw new XlsxFileError(this.path, `cannot make the table ${t.name} over ${t.sheet}!${t.range}`);
    const headers: string[] = [];
    for (let c = p.column; c <= q.column; c++) headers.push(cellText(part.get(p.row, c)).trim());
    const seen = new Set(headers.map((h) => h.toLowerCase()));
    if (headers.some((h) => h === '') || seen.size !== headers.length)
      throw new XlsxFileError(
        this.path,
        `cannot make the table ${t.name}: its header ${t.sheet}!${a ?? ''}:${columnLetter(q.column)}${p.row + 1} has a blank or repeated name; nothing was written`,
      );
    const columns = (): string =>
      `<tableColumns count="${headers.length}">${headers.map((h, i) => `<tableColumn id="${i + 1}" name="${escapeAttr(h)}"/>`).join('')}</tableColumns>`;
    // Where tables already are, core/port/tables.ts decides: resize ours, keep (or extend) a user's
    // table over exactly this block, or leave a user's table in the way alone and add nothing.
    const plan = planTable({ ...t, range }, this.tables(), this.mergedCells(t.sheet));
    if (plan.kind === 'resize') {
      const r = this.pkg
        .rels(part.path)
        .filter((x) => x.type === REL.table)
        .find((x) => {
          const { root } = topLevel(this.pkg.text(x.target) ?? '<table/>');
          return (root.attrs.displayName ?? root.attrs.name ?? '') === plan.table;
        });
      const txml = r && this.pkg.text(r.target);
      if (!r || !txml) return;
      const { root, children } = topLevel(txml);
      // A user's table with a total row is left as it is: its total row would land on a line.
      if (!plan.own && (root.attrs.totalsRowCount ?? '0') !== '0') return;
      // Our own table's columns come from the header; a user's table keeps its columns as they are.
      const edits = children
        .filter((x) => x.name === 'autoFilter' || (plan.own && x.name === 'tableColumns'))
        .sort((x, y) => y.start - x.start);
      let out = txml;
      for (const e of edits)
        out =
          out.slice(0, e.start) +
          (e.name === 'autoFilter'
            ? out.slice(e.start, e.end).replace(/\sref="[^"]*"/, ` ref="${plan.range}"`)
            : columns()) +
          out.slice(e.end);
      out =
        out.slice(0, root.start) +
        out.slice(root.start, root.openEnd).replace(/\sref="[^"]*"/, ` ref="${plan.range}"`) +
        out.slice(root.openEnd);
      this.pkg.set(r.target, out);
    }
    if (plan.kind !== 'add') return;
    const wb = this.pkg.text(this.wbPath) ?? '';
    const defined = [...wb.matchAll(/<(?:\w+:)?definedName\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1] ?? '');
    const all = this.tableParts();
    const name = uniqueTableName(t.name, [...all.map((x) => x.name), ...defined]);
    const id = all.reduce((m, x) => Math.max(m, x.id), 0) + 1;
    const path = this.pkg.freeName('xl/tables/table', '.xml');
    this.pkg.set(
      path,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${id}" name="${name}" displayName="${name}" ref="${range}" totalsRowShown="0"><autoFilter ref="${range}"/>${columns()}<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`,
    );
    const rid = this.pkg.addRel(part.path, REL.table, path);
    this.pkg.addOverride(path, CONTENT.table);
    const px = part.prefix;
    const rootTag = part.rootTag();
    const rPrefix = new RegExp(`xmlns:(\\w+)="${R_NS.replace(/[./]/g, (ch) => `\\${ch}`)}"`).exec(
      rootTag,
    )?.[1];
    const ref = rPrefix ? `${rPrefix}:id="${rid}"` : `xmlns:r="${R_NS}" r:id="${rid}"`;
    const old = part.element('tableParts');
    if (old) {
      const items = topLevel(old).children.map((x) => old.slice(x.start, x.end));
      part.setElement(
        'tableParts',
        `<${px}tableParts count="${items.length + 1}">${items.join('')}<${px}tablePart ${ref}/></${px}tableParts>`,
      );
    } else
      part.setElement('tableParts', `<${px}tableParts count="1"><${px}tablePart ${ref}/></${px}tableParts>`);
  }

  private addDropdown(d: Dropdown): void {
    const part = this.requireSheet(d.sheet);
    const range = closeRange(d.range);
    const p = part.prefix;
    const f = (n: number, text: string): string => `<${p}formula${n}>${escapeAttr(text)}</${p}formula${n}>`;
    let el: string;
    if ('number' in d)
      // A number rule warns (the user may keep the value); validation decides.
      el = `<${p}dataValidation type="decimal" operator="between" allowBlank="1" showErrorMessage="1" errorStyle="warning" errorTitle="Budgetline" error="${escapeAttr(d.message)}" sqref="${range}">${f(1, String(d.number.min))}${f(2, String(d.number.max))}</${p}dataValidation>`;
    else {
      const formula =
        'values' in d
          ? `"${d.values.join(',').replace(/"/g, '""')}"`
          : `${quoteSheetName(d.source.sheet)}!${absoluteRange(closeRange(d.source.range))}`;
      el = `<${p}dataValidation type="list" allowBlank="1" showErrorMessage="0" sqref="${range}">${f(1, formula)}</${p}dataValidation>`;
    }
    const old = part.element('dataValidations');
    let items: string[] = [];
    if (old) {
      const { children } = topLevel(old);
      // The same rule already there: nothing changes (validating again does not save the file).
      if (children.some((c) => c.attrs.sqref === range && old.slice(c.start, c.end) === el)) return;
      items = children
        .filter((c) => !(c.name === 'dataValidation' && c.attrs.sqref === range))
        .map((c) => old.slice(c.start, c.end));
      const openTag = old.slice(0, old.indexOf('>') + 1);
      if (items.length + 1 && openTag) {
        // keep the element's own attributes, with the new count
        const tag = openTag.endsWith('/>') ? `${openTag.slice(0, -2)}>` : openTag;
        const counted = /\scount="/.test(tag)
          ? tag.replace(/\scount="\d*"/, ` count="${items.length + 1}"`)
          : tag.replace(/>$/, ` count="${items.length + 1}">`);
        part.setElement('dataValidations', `${counted}${items.join('')}${el}</${p}dataValidations>`);
        return;
      }
    }
    part.setElement('dataValidations', `<${p}dataValidations count="1">${el}</${p}dataValidations>`);
  }

  private protect(sheet: string, reason: string): void {
    const part = this.requireSheet(sheet);
    const p = part.prefix;
    const own = part.element('sheetProtection');
    if (own !== undefined && this.extras.protection[sheet] === undefined)
      (this.extras.userProtection ??= {})[sheet] = own;
    part.setElement('sheetProtection', `<${p}sheetProtection sheet="1" objects="1" scenarios="1"/>`);
    this.extras.protection[sheet] = reason;
  }

  private unprotect(sheet: string): void {
    const part = this.part(sheet);
    if (part) part.setElement('sheetProtection', this.extras.userProtection?.[sheet] ?? null);
    delete this.extras.protection[sheet];
    if (this.extras.userProtection) delete this.extras.userProtection[sheet];
  }

  // ---- Budgetline's own data ------------------------------------------------------------------

  private records(): [string, string][] {
    const extras: Record<string, unknown> = { marks: this.extras.marks, protection: this.extras.protection };
    if (this.extras.userProtection && Object.keys(this.extras.userProtection).length)
      extras.userProtection = this.extras.userProtection;
    return [
      ['state', JSON.stringify(this.docState)],
      ['marks', JSON.stringify(this.extras.marks)],
      ['protection', JSON.stringify(this.extras.protection)],
      ...(extras.userProtection
        ? [['userProtection', JSON.stringify(extras.userProtection)] as [string, string]]
        : []),
      ...(this.extras.computed && Object.keys(this.extras.computed).length
        ? [['computed', JSON.stringify(this.extras.computed)] as [string, string]]
        : []),
    ];
  }

  private loadExtras(): void {
    const part = this.part(STATE_SHEET, true);
    if (part) {
      const records = new Map<string, string>();
      for (const row of part.values()) {
        const name = row[0];
        if (typeof name !== 'string') continue;
        records.set(
          name,
          row
            .slice(1)
            .filter((v): v is string => typeof v === 'string')
            .join(''),
        );
      }
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
      // The state is decoded as every host decodes it: damaged, it reads as empty with BL820.
      const decoded = decodeDocumentState(records.get('state'));
      this.docState = decoded.state;
      this.stateDiagnostics = decoded.diagnostics;
      this.extras = {
        marks: parse<Extras['marks']>('marks') ?? {},
        protection: parse<Extras['protection']>('protection') ?? {},
        ...(records.has('userProtection')
          ? { userProtection: parse<Record<string, string>>('userProtection') ?? {} }
          : {}),
        // Only a hint for validation's wording: unreadable, it is dropped rather than refused.
        ...(records.has('computed') ? { computed: decodeComputedHashes(records.get('computed')) } : {}),
      };
    }
    this.storedJson = part ? JSON.stringify(this.records()) : '';
  }

  private storeExtras(): void {
    const records = this.records();
    const json = JSON.stringify(records);
    if (json === this.storedJson) return;
    const part = this.ensureSheet(STATE_SHEET, true);
    const rows: CellValue[][] = [['Budgetline document data: do not edit (approvals and their audit hash)']];
    for (const [name, text] of records) {
      const row: CellValue[] = [name];
      for (let k = 0; k * CHUNK < text.length; k++) row.push(text.slice(k * CHUNK, (k + 1) * CHUNK));
      rows.push(row);
    }
    const width = rows.reduce((m, r) => Math.max(m, r.length), 0);
    part.clearOutside(0, 0, rows.length - 1, width - 1);
    rows.forEach((row, r) => {
      for (let c = 0; c < width; c++) {
        const v = row[c] ?? null;
        if (!same(part.get(r, c), v)) part.setValue(r, c, v);
      }
    });
    this.storedJson = json;
  }

  // ---- saving --------------------------------------------------------------------------------

  private changed(): boolean {
    return (
      this.pkg.dirty ||
      this.styles.changed ||
      [...this.parts.values()].some((p) => p.dirty) ||
      [...this.notes.values()].some((n) => n.dirty)
    );
  }

  /** Refuses, before anything is written, an edit that would damage what Budgetline cannot keep. */
  private check(part: SheetPart): void {
    const xml = part.brokenShared.size ? part.toXml() : '';
    for (const si of part.brokenShared) {
      const re = new RegExp(`<(?:\\w+:)?f\\b[^>]*\\bsi="${si}"`);
      if (re.test(xml))
        throw new XlsxFileError(
          this.path,
          `cannot save ${this.path}: writing to "${part.name}" would overwrite the first cell of a shared formula that other cells still use (shared formula ${si}); nothing was written — move those formulas off the cells Budgetline writes`,
        );
    }
    const tables = this.pkg.rels(part.path).filter((r) => r.type === REL.table);
    for (const t of tables) {
      const txml = this.pkg.text(t.target);
      if (!txml) continue;
      const { root, children } = topLevel(txml);
      const ref = root.attrs.ref ?? '';
      if (root.attrs.headerRowCount === '0') continue;
      const [from, to] = ref.split(':');
      const p = parseA1(from ?? '');
      const q = parseA1(to ?? from ?? '');
      const cols = children.find((c) => c.name === 'tableColumns');
      if (!p || !q || !cols || !part.editedRows().includes(p.row)) continue;
      const names = topLevel(txml.slice(cols.start, cols.end)).children.map((c) => c.attrs.name ?? '');
      names.forEach((n, i) => {
        const v = part.get(p.row, p.column + i);
        if (String(v ?? '') !== n)
          throw new XlsxFileError(
            this.path,
            `cannot save ${this.path}: the cell ${part.name}!${columnLetter(p.column + i)}${p.row + 1} heads the column "${n}" of the Excel table "${root.attrs.displayName ?? root.attrs.name ?? ''}", and Budgetline would change it to "${String(v ?? '')}"; nothing was written`,
          );
      });
      void q;
    }
  }

  private async save(): Promise<void> {
    if (this.list.every((s) => s.hidden || s.path === undefined)) this.ensureSheet('Sheet1');
    const written: SheetPart[] = [];
    const formulas: { sheetId: number; refs: Set<string> }[] = [];
    for (const part of this.parts.values()) {
      if (!part.dirty) continue;
      const notes = this.notes.get(part.name);
      notes?.save();
      if (notes?.legacyDrawing && !part.element('legacyDrawing'))
        part.setElement('legacyDrawing', notes.legacyDrawing);
      this.check(part);
      written.push(part);
      if (part.formulasRemoved.size)
        formulas.push({ sheetId: this.entry(part.name)?.sheetId ?? 0, refs: part.formulasRemoved });
    }
    for (const notes of this.notes.values()) notes.save();
    for (const part of written) this.pkg.setPieces(part.path, part.pieces());
    if (this.styles.changed) {
      const xml = this.styles.toXml();
      this.pkg.set(this.stylesPath, xml);
    }
    if (formulas.length) this.dropCalcChain(formulas);
    let buffer: Buffer;
    try {
      buffer = this.pkg.toBuffer();
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
    this.pkg.saved();
    if (this.styles.changed)
      this.ctx().styles = this.styles = new Styles(this.pkg.text(this.stylesPath) as string);
    // The sheets written are parsed again from their new text when next used.
    for (const part of written) {
      this.parts.delete(part.name);
      this.notes.delete(part.name);
    }
  }

  /** Removes the calcChain entries of formulas Budgetline overwrote (Excel rebuilds the chain). */
  private dropCalcChain(removed: { sheetId: number; refs: Set<string> }[]): void {
    const rel = this.pkg.rels(this.wbPath).find((r) => r.type === REL.calcChain);
    const xml = rel ? this.pkg.text(rel.target) : undefined;
    if (!rel || xml === undefined) return;
    const { root, children } = topLevel(xml);
    const p = prefixOf(xml.slice(root.start + 1, root.openEnd).split(/[\s/>]/)[0] ?? '');
    let sheet = 0;
    const kept: string[] = [];
    for (const c of children) {
      if (c.attrs.i !== undefined) sheet = Number(c.attrs.i);
      const gone = removed.some((x) => x.sheetId === sheet && x.refs.has((c.attrs.r ?? '').toUpperCase()));
      if (gone) continue;
      const el = xml.slice(c.start, c.end);
      kept.push(c.attrs.i !== undefined ? el : el.replace(/^<([^\s/>]+)/, `<$1 i="${sheet}"`));
    }
    if (kept.length === children.length) return;
    if (kept.length === 0) {
      this.pkg.remove(rel.target);
      this.pkg.removeRel(this.wbPath, rel.id);
      this.pkg.removeOverride(rel.target);
      return;
    }
    this.pkg.set(rel.target, `${xml.slice(0, root.openEnd)}${kept.join('')}</${p}calcChain>`);
  }
}
