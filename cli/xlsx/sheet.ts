/**
 * One worksheet part: its values (read once with saxes), where each row's XML lies in the text, and
 * edits made as whole rows. Saving a sheet rewrites only the rows written and the elements Budgetline
 * owns (dimension, sheetProtection, dataValidations, legacyDrawing, and for sheets it made, the
 * frozen header and column widths); every other element and every row not written keeps its text.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { columnLetter, type CellValue } from '../../core';
import type { Styles } from './styles';
import { decodeXstring, encodeXstring, local, prefixOf, type Span, topLevel } from './xml';

/** CT_Worksheet's children in the order the schema requires. */
const ORDER = [
  'sheetPr',
  'dimension',
  'sheetViews',
  'sheetFormatPr',
  'cols',
  'sheetData',
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];
const RANK = new Map(ORDER.map((n, i) => [n, i]));
// mc:AlternateContent at the top level wraps oleObjects or controls.
RANK.set('AlternateContent', RANK.get('oleObjects') as number);

const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const DAY = 86_400_000;

export function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((date1904 ? EPOCH_1904 : EPOCH_1900) + serial * DAY));
}

export function dateToSerial(d: Date, date1904: boolean): number {
  return (d.getTime() - (date1904 ? EPOCH_1904 : EPOCH_1900)) / DAY;
}

interface EditRow {
  /** The row's start tag without its end ("<row r="5" ht="20""), spans left out. */
  open: string;
  /** Each cell's XML by column (0-based); a sparse array. */
  cells: (string | undefined)[];
  /** A new row written whole: its cells' XML in one string (split into `cells` when next edited). */
  raw?: string;
}

export interface ReadContext {
  readonly strings: readonly string[];
  readonly styles: Styles;
  readonly date1904: boolean;
}

function colOf(ref: string): number {
  let c = 0;
  for (let i = 0; i < ref.length; i++) {
    const k = ref.charCodeAt(i);
    if (k < 65 || k > 90) break;
    c = c * 26 + (k - 64);
  }
  return c - 1;
}

export class SheetPart {
  /** Values by row and column (0-based), as long as the rows hold them (not trimmed). */
  readonly grid: CellValue[][] = [];
  /** Offsets of each row's XML in `xml`, by 0-based row. */
  private readonly rowSpans: ([number, number] | undefined)[] = [];
  private readonly edits = new Map<number, EditRow>();
  /** Cells holding a formula (row × 16,384 + column). */
  private readonly formulas = new Set<number>();
  private children: Span[] = [];
  private root: Span | undefined;
  private readonly replaced = new Map<string, string | null>();
  /** Formula cells replaced or cleared (A1 refs): calcChain entries to drop. */
  readonly formulasRemoved = new Set<string>();
  /** Shared-formula groups whose first cell was replaced (si numbers). */
  readonly brokenShared = new Set<string>();
  private p = '';
  dirty = false;

  constructor(
    readonly name: string,
    readonly path: string,
    private xml: string,
    private readonly ctx: ReadContext,
  ) {
    this.parse();
  }

  /** A new, empty worksheet part. */
  static readonly BLANK =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';

  static blank(name: string, path: string, ctx: ReadContext): SheetPart {
    const s = new SheetPart(name, path, SheetPart.BLANK, ctx);
    s.dirty = true;
    return s;
  }

  private parse(): void {
    const xml = this.xml;
    const { strings, styles, date1904 } = this.ctx;
    const parser = new SaxesParser();
    const children: Span[] = [];
    let depth = -1;
    let rootSpan: Span | undefined;
    let childStart = -1;
    let childName = '';
    let childAttrs: Record<string, string> = {};
    let childOpenEnd = 0;
    let inSheetData = false;
    let row = -1;
    let rowStart = 0;
    let col = -1;
    let type = '';
    let style = 0;
    let text: string | null = null;
    let textDepth = 0; // inside <v> or <is><t>
    let inIs = false;
    let inPh = 0;
    let hasFormula = false;
    parser.on('opentag', (tag: SaxesTagPlain) => {
      depth++;
      const name = tag.name;
      if (depth === 0) {
        rootSpan = {
          name: local(name),
          attrs: tag.attributes as Record<string, string>,
          start: xml.lastIndexOf('<', parser.position - 1),
          end: 0,
          openEnd: parser.position,
          depth: 0,
        };
        this.p = prefixOf(name);
        return;
      }
      if (depth === 1) {
        childStart = xml.lastIndexOf('<', parser.position - 1);
        childOpenEnd = parser.position;
        childName = local(name);
        childAttrs = tag.attributes as Record<string, string>;
        inSheetData = childName === 'sheetData';
        return;
      }
      if (!inSheetData) return;
      const l = local(name);
      if (depth === 2 && l === 'row') {
        const r = tag.attributes.r;
        row = r !== undefined ? Number(r) - 1 : row + 1;
        rowStart = xml.lastIndexOf('<', parser.position - 1);
        col = -1;
        if (tag.isSelfClosing) this.rowSpans[row] = [rowStart, parser.position];
      } else if (depth === 3 && l === 'c') {
        const a = tag.attributes;
        col = a.r !== undefined ? colOf(a.r) : col + 1;
        type = a.t ?? 'n';
        style = a.s !== undefined ? Number(a.s) : 0;
        text = null;
        hasFormula = false;
      } else if (depth === 4 && l === 'v') {
        textDepth = 1;
        text = '';
      } else if (depth === 4 && l === 'f') {
        hasFormula = true;
      } else if (depth === 4 && l === 'is') {
        inIs = true;
        text = '';
      } else if (inIs && l === 't') {
        if (inPh === 0) textDepth = 1;
      } else if (inIs && l === 'rPh') {
        inPh++;
      }
    });
    parser.on('text', (t: string) => {
      if (textDepth > 0) text = (text ?? '') + t;
    });
    parser.on('cdata', (t: string) => {
      if (textDepth > 0) text = (text ?? '') + t;
    });
    parser.on('closetag', (tag: SaxesTagPlain) => {
      if (depth === 0) {
        if (rootSpan) rootSpan.end = parser.position;
      } else if (depth === 1) {
        children.push({
          name: childName,
          attrs: childAttrs,
          start: childStart,
          end: parser.position,
          openEnd: childOpenEnd,
          depth: 1,
        });
        inSheetData = false;
      } else if (inSheetData) {
        const l = local(tag.name);
        if (depth === 2 && l === 'row') {
          if (!tag.isSelfClosing) this.rowSpans[row] = [rowStart, parser.position];
        } else if (depth === 3 && l === 'c') {
          if (hasFormula) this.formulas.add(row * 16_384 + col);
          const v = this.value(type, text, style, strings, styles, date1904);
          if (v !== null) {
            const cells = (this.grid[row] ??= []);
            cells[col] = v;
          }
        } else if (l === 'v' || l === 't') {
          textDepth = 0;
        } else if (l === 'is') {
          inIs = false;
        } else if (l === 'rPh') {
          inPh--;
        }
      }
      depth--;
    });
    parser.write(xml).close();
    if (!rootSpan) throw new Error('no worksheet element');
    this.root = rootSpan;
    this.children = children;
  }

  private value(
    type: string,
    text: string | null,
    style: number,
    strings: readonly string[],
    styles: Styles,
    date1904: boolean,
  ): CellValue {
    if (text === null) return null;
    switch (type) {
      case 's': {
        const s = strings[Number(text)];
        return s === undefined || s === '' ? null : s;
      }
      case 'inlineStr':
      case 'str': {
        const s = decodeXstring(text);
        return s === '' ? null : s;
      }
      case 'b':
        return text.trim() === '1' || text.trim().toLowerCase() === 'true';
      case 'e':
        return text.trim() || null;
      case 'd': {
        const d = new Date(text.trim());
        return Number.isNaN(d.getTime()) ? text : d;
      }
      default: {
        if (text.trim() === '') return null;
        const n = Number(text);
        if (Number.isNaN(n)) return text;
        return styles.isDate(style) ? serialToDate(n, date1904) : n;
      }
    }
  }

  // ---- reading --------------------------------------------------------------------------------

  /** Used width and height: the last row and column holding a value. */
  extent(): { width: number; height: number } {
    let width = 0;
    let height = 0;
    this.grid.forEach((cells, r) => {
      if (!cells) return;
      let w = 0;
      for (let c = cells.length - 1; c >= 0; c--)
        if (cells[c] !== null && cells[c] !== undefined) {
          w = c + 1;
          break;
        }
      if (w > 0) {
        height = r + 1;
        if (w > width) width = w;
      }
    });
    return { width, height };
  }

  /** Values from A1 to the last used cell, blanks null. */
  values(): CellValue[][] {
    const { width, height } = this.extent();
    const out: CellValue[][] = new Array<CellValue[]>(height);
    for (let r = 0; r < height; r++) out[r] = this.rowValues(r, width);
    return out;
  }

  rowValues(r: number, width: number): CellValue[] {
    const cells = this.grid[r];
    const out = new Array<CellValue>(width);
    for (let c = 0; c < width; c++) out[c] = cells?.[c] ?? null;
    return out;
  }

  get(row: number, col: number): CellValue {
    return this.grid[row]?.[col] ?? null;
  }

  hasFormula(row: number, col: number): boolean {
    return this.formulas.has(row * 16_384 + col);
  }

  /** The cells holding a formula (A1, in row then column order), whose values are cached results. */
  formulaCells(): string[] {
    return [...this.formulas]
      .sort((a, b) => a - b)
      .map((k) => `${columnLetter(k % 16_384)}${Math.floor(k / 16_384) + 1}`);
  }

  /** The style index of a cell (0 when it has none). */
  styleOf(row: number, col: number): number {
    const cell = this.editRow(row, false)?.cells[col];
    const s = cell !== undefined ? /\ss="(\d+)"/.exec(cell.slice(0, cell.indexOf('>')))?.[1] : undefined;
    return s !== undefined ? Number(s) : 0;
  }

  /** The top-level element `name` (its text), when the sheet has one. */
  element(name: string): string | undefined {
    if (this.replaced.has(name)) return this.replaced.get(name) ?? undefined;
    const s = this.children.find((c) => c.name === name);
    return s ? this.xml.slice(s.start, s.end) : undefined;
  }

  /** Replaces (null: removes) the top-level element `name`, or adds it in its place in the schema's order. */
  setElement(name: string, text: string | null): void {
    if ((this.element(name) ?? null) === text) return;
    this.replaced.set(name, text);
    this.dirty = true;
  }

  get prefix(): string {
    return this.p;
  }

  // ---- editing --------------------------------------------------------------------------------

  private readonly parsedRows = new Map<number, EditRow>();

  /** A row's start tag and cells, parsed from the sheet's text (undefined when the row has no XML). */
  private parseRow(row: number): EditRow | undefined {
    const span = this.rowSpans[row];
    if (!span) return undefined;
    const rowXml = this.xml.slice(span[0], span[1]);
    const openEnd = rowXml.indexOf('>') + 1;
    let open = rowXml
      .slice(0, openEnd)
      .replace(/\/?>$/, '')
      .replace(/\sspans="[^"]*"/, '');
    if (!/\sr="/.test(open)) open += ` r="${row + 1}"`;
    const cells: (string | undefined)[] = [];
    let c = -1;
    for (const ch of topLevel(rowXml).children) {
      if (ch.name !== 'c') continue;
      let xml = rowXml.slice(ch.start, ch.end);
      c = ch.attrs.r !== undefined ? colOf(ch.attrs.r) : c + 1;
      if (ch.attrs.r === undefined) xml = xml.replace(/^<([^\s/>]+)/, `<$1 r="${columnLetter(c)}${row + 1}"`);
      cells[c] = xml;
    }
    return { open, cells };
  }

  private editRow(row: number, create: true): EditRow;
  private editRow(row: number, create: boolean): EditRow | undefined;
  private editRow(row: number, create: boolean): EditRow | undefined {
    const known = this.edits.get(row);
    if (known) {
      if (known.raw !== undefined) {
        const rowXml = `<row>${known.raw}</row>`;
        for (const ch of topLevel(rowXml).children)
          if (ch.name === 'c' && ch.attrs.r !== undefined)
            known.cells[colOf(ch.attrs.r)] = rowXml.slice(ch.start, ch.end);
        delete known.raw;
      }
      return known;
    }
    let edit = this.parsedRows.get(row);
    if (!edit) {
      edit = this.parseRow(row);
      if (!edit && !create) return undefined;
      edit ??= { open: `<${this.p}row r="${row + 1}"`, cells: [] };
    }
    if (create) {
      this.parsedRows.delete(row);
      this.edits.set(row, edit);
    } else this.parsedRows.set(row, edit);
    return edit;
  }

  /** Writes `xml` (a cell element, or null to clear) to a cell, keeping track of formulas it replaces. */
  private putCell(row: number, col: number, xml: string | null): void {
    const edit = this.editRow(row, true);
    const old = edit.cells[col];
    if (old !== undefined && /<(?:\w+:)?f[\s>/]/.test(old)) {
      this.formulasRemoved.add(`${columnLetter(col)}${row + 1}`);
      const master = /<(?:\w+:)?f\b[^>]*\bt="shared"[^>]*>/.exec(old)?.[0];
      if (master && /\sref="/.test(master)) {
        const si = /\ssi="(\d+)"/.exec(master)?.[1];
        if (si !== undefined) this.brokenShared.add(si);
      }
    }
    if (xml === null) {
      if (old !== undefined) edit.cells[col] = undefined;
    } else edit.cells[col] = xml;
    this.dirty = true;
  }

  /** Sets a cell's value; `style` replaces its style index when given (else the cell keeps its own). */
  setValue(row: number, col: number, v: CellValue, style?: number): void {
    const s = style ?? this.styleOf(row, col);
    const xml = this.cellXml(row, col, v, s);
    this.putCell(row, col, xml);
    this.formulas.delete(row * 16_384 + col);
    const cells = (this.grid[row] ??= []);
    cells[col] = v === '' || v === undefined ? null : v instanceof Date ? new Date(v.getTime()) : v;
  }

  /** A cell's XML for a value (null: no element, unless the cell has a style). */
  private cellXml(row: number, col: number, v: CellValue, s: number): string | null {
    const ref = `${columnLetter(col)}${row + 1}`;
    const sAttr = s ? ` s="${s}"` : '';
    const p = this.p;
    if (v === null || v === undefined || v === '') return s ? `<${p}c r="${ref}"${sAttr}/>` : null;
    if (typeof v === 'string')
      return `<${p}c r="${ref}"${sAttr} t="inlineStr"><${p}is><${p}t xml:space="preserve">${encodeXstring(v)}</${p}t></${p}is></${p}c>`;
    if (typeof v === 'boolean') return `<${p}c r="${ref}"${sAttr} t="b"><${p}v>${v ? 1 : 0}</${p}v></${p}c>`;
    if (v instanceof Date)
      return `<${p}c r="${ref}"${sAttr}><${p}v>${dateToSerial(v, this.ctx.date1904)}</${p}v></${p}c>`;
    if (typeof v === 'number' && Number.isFinite(v))
      return `<${p}c r="${ref}"${sAttr}><${p}v>${v}</${p}v></${p}c>`;
    return `<${p}c r="${ref}"${sAttr} t="inlineStr"><${p}is><${p}t>${encodeXstring(String(v))}</${p}t></${p}is></${p}c>`;
  }

  /** True for a row with no XML yet: `setNewRow` may write it whole. */
  isNew(row: number): boolean {
    return this.rowSpans[row] === undefined && !this.edits.has(row) && this.grid[row] === undefined;
  }

  /** Writes a row that has no XML yet, in one piece: values from column `from`, each with its style. */
  setNewRow(row: number, from: number, values: readonly CellValue[], styles: readonly number[]): void {
    let raw = '';
    const cells: CellValue[] = [];
    for (let j = 0; j < values.length; j++) {
      const v = values[j] ?? null;
      const xml = this.cellXml(row, from + j, v, styles[j] ?? 0);
      if (xml !== null) raw += xml;
      if (v !== null && v !== '') cells[from + j] = v instanceof Date ? new Date(v.getTime()) : v;
    }
    if (!raw) return;
    this.edits.set(row, { open: `<${this.p}row r="${row + 1}"`, cells: [], raw });
    this.grid[row] = cells;
    this.dirty = true;
  }

  /** Gives a cell another style index, leaving its value. */
  setStyle(row: number, col: number, style: number): void {
    const edit = this.editRow(row, true);
    const cell = edit.cells[col];
    const p = this.p;
    if (cell === undefined) {
      if (style !== 0) this.putCell(row, col, `<${p}c r="${columnLetter(col)}${row + 1}" s="${style}"/>`);
      return;
    }
    const end = cell.indexOf('>');
    let open = cell.slice(0, end);
    const selfClosing = open.endsWith('/');
    if (selfClosing) open = open.slice(0, -1);
    // The s attribute changes in place, so a cell given its own format back reads as it did.
    if (/\ss="\d*"/.test(open)) open = open.replace(/\ss="\d*"/, style !== 0 ? ` s="${style}"` : '');
    else if (style !== 0) open += ` s="${style}"`;
    edit.cells[col] = `${open}${selfClosing ? '/' : ''}${cell.slice(end)}`;
    this.dirty = true;
  }

  /** Clears every value outside rows top..bottom × columns left..right (styles stay). */
  clearOutside(top: number, left: number, bottom: number, right: number): void {
    this.grid.forEach((cells, r) => {
      if (!cells) return;
      cells.forEach((v, c) => {
        if (v === null || v === undefined) return;
        if (r >= top && r <= bottom && c >= left && c <= right) return;
        this.setValue(r, c, null);
      });
    });
  }

  /** Every row number (0-based) that has XML, sorted. */
  private rowNumbers(): number[] {
    const rows = new Set<number>(this.edits.keys());
    this.rowSpans.forEach((s, r) => {
      if (s) rows.add(r);
    });
    return [...rows].sort((a, b) => a - b);
  }

  private rowXml(r: number): string {
    const edit = this.edits.get(r);
    if (!edit) {
      const span = this.rowSpans[r] as [number, number];
      return this.xml.slice(span[0], span[1]);
    }
    let body = edit.raw ?? '';
    if (edit.raw === undefined) for (const c of edit.cells) if (c !== undefined) body += c;
    if (body) return `${edit.open}>${body}</${this.p}row>`;
    // A row left with no cell and nothing on its start tag but its number says nothing: it goes.
    return /^<(?:\w+:)?row r="\d+"$/.test(edit.open) ? '' : `${edit.open}/>`;
  }

  /** The worksheet part's new text. */
  toXml(): string {
    return [...this.pieces()].join('');
  }

  /** The root element's start tag (for its namespace prefixes). */
  rootTag(): string {
    const root = this.root as Span;
    return this.xml.slice(root.start, root.openEnd);
  }

  /** The worksheet part's new text in pieces: the rows of sheetData one by one, never all joined. */
  *pieces(): Generator<string> {
    const p = this.p;
    if (!this.dirty) {
      yield this.xml;
      return;
    }
    type Text = string | (() => Iterable<string>);
    const replaced = new Map<string, Text | null>(this.replaced);
    if (this.edits.size > 0) {
      const { width, height } = this.extent();
      const dim = width && height ? `A1:${columnLetter(width - 1)}${height}` : 'A1';
      const rows = this.rowNumbers();
      replaced.set('sheetData', rows.length ? () => this.sheetDataPieces(rows) : `<${p}sheetData/>`);
      replaced.set('dimension', `<${p}dimension ref="${dim}"/>`);
    }
    const root = this.root as Span;
    const close = this.closeStart(root);
    const segs: { rank?: number; text: Text }[] = [];
    let last = root.openEnd;
    for (const ch of this.children) {
      segs.push({ text: this.xml.slice(last, ch.start) });
      const text = replaced.has(ch.name) ? (replaced.get(ch.name) ?? '') : this.xml.slice(ch.start, ch.end);
      replaced.delete(ch.name);
      const rank = RANK.get(ch.name);
      segs.push({ ...(rank !== undefined ? { rank } : {}), text });
      last = ch.end;
    }
    for (const [name, text] of replaced) {
      if (text === null) continue;
      const rank = RANK.get(name) ?? ORDER.length;
      const at = segs.findIndex((s) => s.rank !== undefined && s.rank > rank);
      const seg = { rank, text };
      if (at < 0) segs.push(seg);
      else segs.splice(at, 0, seg);
    }
    const openTag = this.xml.slice(root.start, root.openEnd);
    const selfClosing = openTag.endsWith('/>');
    yield selfClosing
      ? `${this.xml.slice(0, root.start)}${openTag.slice(0, -2)}>`
      : this.xml.slice(0, root.openEnd);
    for (const seg of segs) {
      if (typeof seg.text === 'string') yield seg.text;
      else yield* seg.text();
    }
    if (selfClosing) {
      yield `</${/^<([^\s/>]+)/.exec(openTag)?.[1] ?? 'worksheet'}>${this.xml.slice(root.end)}`;
      return;
    }
    yield this.xml.slice(last, close) + this.xml.slice(close);
  }

  private *sheetDataPieces(rows: readonly number[]): Generator<string> {
    yield `<${this.p}sheetData>`;
    for (const r of rows) yield this.rowXml(r);
    yield `</${this.p}sheetData>`;
  }

  private closeStart(root: Span): number {
    const xml = this.xml;
    if (xml.slice(root.start, root.openEnd).endsWith('/>')) return root.openEnd;
    return xml.lastIndexOf('</', root.end - 1);
  }

  /** Cell references (A1) of the cells of the rows written, for checks before a save. */
  editedRows(): number[] {
    return [...this.edits.keys()];
  }
}
