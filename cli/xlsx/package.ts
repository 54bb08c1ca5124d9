/**
 * An OOXML package held as its zip entries: parts are read (and decoded) on demand, and only the
 * parts set anew are written again; every other entry keeps its stored bytes. Relationships and
 * content types are edited by adding or removing single elements, leaving the rest of their text.
 */
import { posix } from 'node:path';
import { escapeAttr, topLevel, type Span } from './xml';
import { inflate, makeEntry, readZip, writeZip, type ZipEntry } from './zip';

export const REL = {
  officeDocument: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
  worksheet: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet',
  styles: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles',
  sharedStrings: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings',
  comments: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments',
  vmlDrawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing',
  calcChain: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain',
  table: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table',
  threadedComment: 'http://schemas.microsoft.com/office/2017/10/relationships/threadedComment',
} as const;
export const R_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export const CONTENT = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  table: 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml',
} as const;

export interface Relationship {
  readonly id: string;
  readonly type: string;
  /** The target part's name in the package (no leading slash), or the raw target when external. */
  readonly target: string;
  readonly external: boolean;
}

/** The .rels part that holds the relationships of `part`. */
export function relsPath(part: string): string {
  const dir = posix.dirname(part);
  return `${dir === '.' ? '' : `${dir}/`}_rels/${posix.basename(part)}.rels`;
}

export class Package {
  private readonly entries = new Map<string, ZipEntry>();
  private readonly texts = new Map<string, string>();
  /** Parts set or removed since the package was read. */
  private readonly changed = new Set<string>();

  private constructor(entries: readonly ZipEntry[]) {
    for (const e of entries) this.entries.set(e.name, e);
  }

  static async read(bytes: Buffer): Promise<Package> {
    return new Package(await readZip(bytes));
  }

  static empty(): Package {
    return new Package([]);
  }

  has(part: string): boolean {
    return this.entries.has(part);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The part's stored entry (for byte comparisons). */
  entry(part: string): ZipEntry | undefined {
    return this.entries.get(part);
  }

  text(part: string): string | undefined {
    const cached = this.texts.get(part);
    if (cached !== undefined) return cached;
    const e = this.entries.get(part);
    if (!e) return undefined;
    const data = inflate(e);
    // XML parts are UTF-8 (a few writers use UTF-16, with its byte-order mark).
    let s = data[0] === 0xff && data[1] === 0xfe ? data.toString('utf16le') : data.toString('utf8');
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    this.texts.set(part, s);
    return s;
  }

  bytes(part: string): Buffer | undefined {
    const e = this.entries.get(part);
    return e ? inflate(e) : undefined;
  }

  set(part: string, text: string): void {
    if (this.texts.get(part) === text && this.entries.has(part)) return;
    // Parts are written as UTF-8: a declaration that said otherwise says so.
    text = text.replace(/^(<\?xml[^>]*encoding=["'])UTF-16(["'])/i, '$1UTF-8$2');
    const old = this.entries.get(part);
    // Large parts (a sheet) are not kept as text too: they are inflated again when next read.
    if (text.length < 1 << 20) this.texts.set(part, text);
    else this.texts.delete(part);
    // A changed part keeps its place in the zip; a new one goes at the end.
    this.entries.set(part, makeEntry(part, text, old?.mtime));
    this.changed.add(part);
  }

  /** Sets a part from its text in pieces, encoded straight into one buffer (no joined string). */
  setPieces(part: string, pieces: Iterable<string>): void {
    let buf = Buffer.allocUnsafe(1 << 16);
    let len = 0;
    for (const piece of pieces) {
      const need = len + piece.length * 3;
      if (need > buf.length) {
        const next = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
        buf.copy(next, 0, 0, len);
        buf = next;
      }
      len += buf.write(piece, len, 'utf8');
    }
    const old = this.entries.get(part);
    this.texts.delete(part);
    this.entries.set(part, makeEntry(part, buf.subarray(0, len), old?.mtime));
    this.changed.add(part);
  }

  /** Adds or replaces a part with an entry made elsewhere (binary parts). */
  setEntry(entry: ZipEntry): void {
    this.entries.set(entry.name, entry);
    this.texts.delete(entry.name);
    this.changed.add(entry.name);
  }

  remove(part: string): void {
    this.entries.delete(part);
    this.texts.delete(part);
    this.changed.add(part);
  }

  get dirty(): boolean {
    return this.changed.size > 0;
  }

  toBuffer(): Buffer {
    return writeZip([...this.entries.values()]);
  }

  /** After a save: the written package is the new original. */
  saved(): void {
    this.changed.clear();
  }

  // ---- relationships ----------------------------------------------------------------------

  rels(part: string): Relationship[] {
    const xml = this.text(relsPath(part));
    if (xml === undefined) return [];
    const base = posix.dirname(part);
    return topLevel(xml)
      .children.filter((s) => s.name === 'Relationship')
      .map((s) => {
        const external = s.attrs.TargetMode === 'External';
        const t = s.attrs.Target ?? '';
        const target = external
          ? t
          : t.startsWith('/')
            ? t.slice(1)
            : posix.normalize(posix.join(base === '.' ? '' : base, t));
        return { id: s.attrs.Id ?? '', type: s.attrs.Type ?? '', target, external };
      });
  }

  /** Adds a relationship from `part` to `target` and returns its id. */
  addRel(part: string, type: string, target: string): string {
    const path = relsPath(part);
    const xml =
      this.text(path) ??
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    const ids = new Set(this.rels(part).map((r) => r.id));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    const base = posix.dirname(part);
    const rel = posix.relative(base === '.' ? '' : base, target);
    const el = `<Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(rel)}"/>`;
    this.set(path, insertBeforeClose(xml, el));
    return id;
  }

  removeRel(part: string, id: string): void {
    const path = relsPath(part);
    const xml = this.text(path);
    if (xml === undefined) return;
    const s = topLevel(xml).children.find((c) => c.name === 'Relationship' && c.attrs.Id === id);
    if (s) this.set(path, xml.slice(0, s.start) + xml.slice(s.end));
  }

  // ---- content types ----------------------------------------------------------------------

  addOverride(part: string, contentType: string): void {
    const path = '[Content_Types].xml';
    const xml = this.text(path) ?? '';
    const name = `/${part}`;
    if (topLevel(xml).children.some((c) => c.name === 'Override' && c.attrs.PartName === name)) return;
    this.set(
      path,
      insertBeforeClose(xml, `<Override PartName="${escapeAttr(name)}" ContentType="${contentType}"/>`),
    );
  }

  addDefault(extension: string, contentType: string): void {
    const path = '[Content_Types].xml';
    const xml = this.text(path) ?? '';
    const has = topLevel(xml).children.some(
      (c) => c.name === 'Default' && (c.attrs.Extension ?? '').toLowerCase() === extension,
    );
    if (!has)
      this.set(
        path,
        insertAfterOpen(xml, `<Default Extension="${extension}" ContentType="${contentType}"/>`),
      );
  }

  removeOverride(part: string): void {
    const path = '[Content_Types].xml';
    const xml = this.text(path) ?? '';
    const s = topLevel(xml).children.find((c) => c.name === 'Override' && c.attrs.PartName === `/${part}`);
    if (s) this.set(path, xml.slice(0, s.start) + xml.slice(s.end));
  }

  /** A part name not used yet: `${stem}${n}${ext}`. */
  freeName(stem: string, ext: string): string {
    let n = 1;
    while (this.entries.has(`${stem}${n}${ext}`)) n++;
    return `${stem}${n}${ext}`;
  }
}

/** Inserts `el` as the root's last child (a self-closing root is opened). */
export function insertBeforeClose(xml: string, el: string): string {
  const { root } = topLevel(xml);
  return insertIntoElement(xml, root, el, 'end');
}

export function insertAfterOpen(xml: string, el: string): string {
  const { root } = topLevel(xml);
  return insertIntoElement(xml, root, el, 'start');
}

/** Inserts `el` at the start or end of the element `span` of `xml`. */
export function insertIntoElement(xml: string, span: Span, el: string, where: 'start' | 'end'): string {
  const openTag = xml.slice(span.start, span.openEnd);
  if (openTag.endsWith('/>')) {
    const qname = /^<([^\s/>]+)/.exec(openTag)?.[1] ?? span.name;
    return `${xml.slice(0, span.start)}${openTag.slice(0, -2)}>${el}</${qname}>${xml.slice(span.end)}`;
  }
  if (where === 'start') return xml.slice(0, span.openEnd) + el + xml.slice(span.openEnd);
  const close = xml.lastIndexOf('</', span.end - 1);
  return xml.slice(0, close) + el + xml.slice(close);
}
