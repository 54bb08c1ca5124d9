/**
 * Small XML helpers for patching OOXML parts in place: escaping, and locating elements by their
 * character offsets in a part's text (saxes, a conformant streaming parser, finds them).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

/**
 * Text as SpreadsheetML stores it: characters XML cannot hold (control characters) as _xHHHH_, and a
 * literal _xHHHH_ escaped as _x005F_xHHHH_ (ECMA-376 ST_Xstring).
 */
export function encodeXstring(s: string): string {
  return escapeText(
    s
      .replace(/_x[0-9A-Fa-f]{4}_/g, (m) => `_x005F${m}`)
      .replace(
        // eslint-disable-next-line no-control-regex
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g,
        (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
      ),
  );
}

export function decodeXstring(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** An element found in a part: its name, attributes and where it starts and ends in the text. */
export interface Span {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly start: number;
  /** Offset just past the element's end tag (or past a self-closing tag). */
  end: number;
  /** Offset just past the start tag. */
  readonly openEnd: number;
  readonly depth: number;
}

/** Local name of a qualified name ("x:row" → "row"). */
export function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/**
 * Parses `xml` and calls `visit` for every element whose depth (root = 0) is at most `maxDepth`,
 * once it is closed (with its end offset). Throws on XML that is not well formed.
 */
export function elements(xml: string, maxDepth: number, visit: (span: Span) => void): void {
  const parser = new SaxesParser();
  const open: Span[] = [];
  let depth = -1;
  parser.on('opentag', (tag: SaxesTagPlain) => {
    depth++;
    if (depth > maxDepth) return;
    const openEnd = parser.position;
    const start = xml.lastIndexOf('<', openEnd - 1);
    const span: Span = {
      name: local(tag.name),
      attrs: tag.attributes as Record<string, string>,
      start,
      end: openEnd,
      openEnd,
      depth,
    };
    open.push(span);
  });
  parser.on('closetag', () => {
    if (depth <= maxDepth) {
      const span = open.pop() as Span;
      span.end = parser.position;
      visit(span);
    }
    depth--;
  });
  parser.write(xml).close();
}

/** The direct children of the root element, in document order, and the root itself. */
export function topLevel(xml: string): { root: Span; children: Span[] } {
  const children: Span[] = [];
  let root: Span | undefined;
  elements(xml, 1, (s) => {
    if (s.depth === 1) children.push(s);
    else root = s;
  });
  if (!root) throw new Error('no root element');
  return { root, children };
}

/** The text of every <t> inside an element's XML (rich-text runs joined; phonetic runs left out). */
export function textOf(fragment: string): string {
  let out = '';
  let inT = 0;
  let inPh = 0;
  const parser = new SaxesParser({ fragment: true });
  parser.on('opentag', (tag) => {
    const n = local(tag.name);
    if (n === 't' && !tag.isSelfClosing) inT++;
    else if (n === 'rPh') inPh++;
  });
  parser.on('closetag', (tag) => {
    const n = local(tag.name);
    if (n === 't' && !tag.isSelfClosing) inT--;
    else if (n === 'rPh') inPh--;
  });
  parser.on('text', (t) => {
    if (inT > 0 && inPh === 0) out += t;
  });
  parser.on('cdata', (t) => {
    if (inT > 0 && inPh === 0) out += t;
  });
  parser.write(fragment).close();
  return decodeXstring(out);
}

/** The prefix ("x:" or "") the root element of a part uses. */
export function prefixOf(rootName: string): string {
  const i = rootName.indexOf(':');
  return i < 0 ? '' : rootName.slice(0, i + 1);
}
