/**
 * Cell notes of one worksheet: the comments part (the notes' text) and the legacy VML drawing (the
 * note boxes Excel shows). Budgetline adds, replaces and removes single <comment> elements and their
 * VML shapes; every other note, author and shape keeps its text. A cell holding a threaded comment
 * is never given a note (its note is the threaded comment's fallback).
 */
import { columnLetter, parseA1 } from '../../core';
import { CONTENT, type Package, REL, R_NS } from './package';
import { encodeXstring, prefixOf, textOf, topLevel } from './xml';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const AUTHOR = 'Budgetline';

interface CommentsDoc {
  path: string;
  xml: string;
  p: string;
  authors: string[];
  authorsAdded: string[];
  /** The comment elements by cell, in the part's order. */
  list: Map<string, string>;
  changed: boolean;
}

interface VmlDoc {
  path: string;
  xml: string;
  changed: boolean;
}

function shapeCell(shape: string): string | undefined {
  if (!/ObjectType\s*=\s*"Note"/.test(shape)) return undefined;
  const r = /<x:Row>\s*(\d+)\s*<\/x:Row>/.exec(shape)?.[1];
  const c = /<x:Column>\s*(\d+)\s*<\/x:Column>/.exec(shape)?.[1];
  return r !== undefined && c !== undefined ? `${columnLetter(Number(c))}${Number(r) + 1}` : undefined;
}

const SHAPE_RE = /<v:shape\b[^>]*>[\s\S]*?<\/v:shape>/g;

export class SheetNotes {
  private comments: CommentsDoc | undefined;
  private vml: VmlDoc | undefined;
  private loaded = false;
  /** Cells with a threaded comment (their note is its fallback). */
  private threaded = new Set<string>();
  /** The sheet's legacyDrawing element to set, when a VML part was made. */
  legacyDrawing: string | undefined;

  constructor(
    private readonly pkg: Package,
    private readonly sheetPath: string,
    private readonly sheetXml: () => string,
    private readonly legacyDrawingId: () => string | undefined,
  ) {}

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const rels = this.pkg.rels(this.sheetPath);
    const c = rels.find((r) => r.type === REL.comments && !r.external);
    const xml = c ? this.pkg.text(c.target) : undefined;
    if (c && xml !== undefined) {
      const { root, children } = topLevel(xml);
      const p = prefixOf(xml.slice(root.start + 1, root.openEnd).split(/[\s/>]/)[0] ?? '');
      const authors: string[] = [];
      const list = new Map<string, string>();
      for (const ch of children) {
        const body = xml.slice(ch.start, ch.end);
        if (ch.name === 'authors')
          topLevel(body).children.forEach((a) =>
            authors.push(textOf(`<t>${body.slice(a.openEnd, a.end - `</${p}author>`.length)}</t>`)),
          );
        if (ch.name === 'commentList')
          for (const cm of topLevel(body).children)
            list.set((cm.attrs.ref ?? '').toUpperCase(), body.slice(cm.start, cm.end));
      }
      this.comments = { path: c.target, xml, p, authors, authorsAdded: [], list, changed: false };
    }
    const id = this.legacyDrawingId();
    const v = id ? rels.find((r) => r.id === id && r.type === REL.vmlDrawing) : undefined;
    const vxml = v ? this.pkg.text(v.target) : undefined;
    if (v && vxml !== undefined) this.vml = { path: v.target, xml: vxml, changed: false };
    const tc = rels.find((r) => r.type === REL.threadedComment);
    const txml = tc ? this.pkg.text(tc.target) : undefined;
    if (txml)
      for (const m of txml.matchAll(/<threadedComment\b[^>]*\bref="([^"]+)"/g))
        this.threaded.add((m[1] as string).toUpperCase());
  }

  /** The note on a cell: its text and the XML of its comment and shape (to restore them later). */
  get(cell: string): { text: string; comment: string; shape?: string } | undefined {
    this.load();
    const comment = this.comments?.list.get(cell);
    if (comment === undefined) return undefined;
    const body = /<(?:\w+:)?text\b[^>]*>([\s\S]*)<\/(?:\w+:)?text>/.exec(comment)?.[1] ?? '';
    const shape = this.findShape(cell);
    return { text: textOf(`<x>${body}</x>`), comment, ...(shape ? { shape: shape.xml } : {}) };
  }

  hasThreadedComment(cell: string): boolean {
    this.load();
    return this.threaded.has(cell);
  }

  private findShape(cell: string): { xml: string; index: number } | undefined {
    if (!this.vml) return undefined;
    for (const m of this.vml.xml.matchAll(SHAPE_RE))
      if (shapeCell(m[0]) === cell) return { xml: m[0], index: m.index ?? 0 };
    return undefined;
  }

  /** Puts a note written by Budgetline on a cell (replacing the one there). */
  set(cell: string, text: string): void {
    this.load();
    const doc = this.ensure();
    let id = doc.authors.indexOf(AUTHOR);
    if (id < 0) {
      id = doc.authors.length;
      doc.authors.push(AUTHOR);
      doc.authorsAdded.push(AUTHOR);
    }
    const p = doc.p;
    const runs = `<${p}r><${p}t xml:space="preserve">${encodeXstring(text)}</${p}t></${p}r>`;
    this.restore(
      cell,
      `<${p}comment ref="${cell}" authorId="${id}"><${p}text>${runs}</${p}text></${p}comment>`,
      undefined,
    );
  }

  /** Sets a cell's comment element and shape as they were (undefined comment: no note). */
  restore(cell: string, comment: string | undefined, shape: string | undefined): void {
    this.load();
    if (comment === undefined && !this.comments?.list.has(cell)) return;
    const doc = this.ensure();
    if (comment === undefined) doc.list.delete(cell);
    else doc.list.set(cell, comment);
    doc.changed = true;
    const vml = this.ensureVml();
    const old = this.findShape(cell);
    if (old) vml.xml = vml.xml.slice(0, old.index) + vml.xml.slice(old.index + old.xml.length);
    if (comment !== undefined) {
      const at = parseA1(cell);
      const next = shape ?? (at ? this.newShape(vml.xml, at.row, at.column) : undefined);
      if (next) vml.xml = vml.xml.replace(/<\/xml>\s*$/, `${next}</xml>`);
    }
    vml.changed = true;
  }

  private newShape(vml: string, row: number, col: number): string {
    let max = 0;
    for (const m of vml.matchAll(/id="_x0000_s(\d+)"/g)) max = Math.max(max, Number(m[1]));
    const block = Number(/<o:idmap[^>]*data="(\d+)/.exec(vml)?.[1] ?? 1);
    const id = Math.max(max + 1, block * 1024 + 1);
    const anchor = `${col + 1}, 15, ${Math.max(0, row - 1)}, 10, ${col + 3}, 15, ${row + 3}, 4`;
    return `<v:shape id="_x0000_s${id}" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:180pt;height:72pt;z-index:${id};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${anchor}</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>${row}</x:Row><x:Column>${col}</x:Column></x:ClientData></v:shape>`;
  }

  private ensure(): CommentsDoc {
    if (this.comments) return this.comments;
    const path = this.pkg.freeName('xl/comments', '.xml');
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${MAIN_NS}"><authors></authors><commentList></commentList></comments>`;
    this.pkg.set(path, xml);
    this.pkg.addRel(this.sheetPath, REL.comments, path);
    this.pkg.addOverride(path, CONTENT.comments);
    this.comments = { path, xml, p: '', authors: [], authorsAdded: [], list: new Map(), changed: true };
    return this.comments;
  }

  private ensureVml(): VmlDoc {
    if (this.vml) return this.vml;
    let block = 0;
    for (const name of this.pkg.names())
      if (name.endsWith('.vml'))
        for (const m of (this.pkg.text(name) ?? '').matchAll(/<o:idmap[^>]*data="([\d,\s]+)"/g))
          for (const n of (m[1] as string).split(',')) block = Math.max(block, Number(n) || 0);
    block++;
    const path = this.pkg.freeName('xl/drawings/vmlDrawing', '.vml');
    const xml = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${Array.from({ length: 8 }, (_, i) => block + i).join(',')}"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>`;
    this.pkg.set(path, xml);
    const id = this.pkg.addRel(this.sheetPath, REL.vmlDrawing, path);
    this.pkg.addDefault('vml', CONTENT.vml);
    const rPrefix =
      /xmlns:(\w+)="http:\/\/schemas\.openxmlformats\.org\/officeDocument\/2006\/relationships"/.exec(
        this.sheetXml().slice(
          0,
          this.sheetXml().indexOf(
            '>',
            this.sheetXml().indexOf('<worksheet') >= 0 ? this.sheetXml().indexOf('<worksheet') : 0,
          ) + 1,
        ),
      )?.[1];
    const p = prefixOf(/<([\w:]*worksheet)\b/.exec(this.sheetXml())?.[1] ?? '');
    this.legacyDrawing = rPrefix
      ? `<${p}legacyDrawing ${rPrefix}:id="${id}"/>`
      : `<${p}legacyDrawing xmlns:r="${R_NS}" r:id="${id}"/>`;
    this.vml = { path, xml, changed: true };
    return this.vml;
  }

  get dirty(): boolean {
    return this.comments?.changed === true || this.vml?.changed === true;
  }

  /** Writes the changed parts into the package. */
  save(): void {
    const doc = this.comments;
    if (doc?.changed) {
      const p = doc.p;
      const { root, children } = topLevel(doc.xml);
      let out = doc.xml;
      const edits: { start: number; end: number; text: string }[] = [];
      const authors = children.find((c) => c.name === 'authors');
      if (authors && doc.authorsAdded.length) {
        const body = doc.xml.slice(authors.start, authors.end);
        const added = doc.authorsAdded.map((a) => `<${p}author>${encodeXstring(a)}</${p}author>`).join('');
        const text = body.endsWith('/>')
          ? `<${p}authors>${added}</${p}authors>`
          : body.slice(0, body.lastIndexOf('</')) + added + body.slice(body.lastIndexOf('</'));
        edits.push({ start: authors.start, end: authors.end, text });
      }
      const list = children.find((c) => c.name === 'commentList');
      const text = `<${p}commentList>${[...doc.list.values()].join('')}</${p}commentList>`;
      if (list) edits.push({ start: list.start, end: list.end, text });
      else
        edits.push({
          start: root.end - `</${p}comments>`.length,
          end: root.end - `</${p}comments>`.length,
          text,
        });
      edits.sort((a, b) => b.start - a.start);
      for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
      doc.authorsAdded = [];
      this.pkg.set(doc.path, out);
      doc.xml = out;
      doc.changed = false;
    }
    if (this.vml?.changed) {
      this.pkg.set(this.vml.path, this.vml.xml);
      this.vml.changed = false;
    }
  }

  /** Every note's cell and text (for inspection). */
  all(): Map<string, string> {
    this.load();
    const out = new Map<string, string>();
    for (const cell of this.comments?.list.keys() ?? []) out.set(cell, this.get(cell)?.text ?? '');
    return out;
  }
}
