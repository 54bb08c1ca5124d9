/**
 * xl/styles.xml: which cell formats are dates, and new cell formats (xf) made from a cell's own
 * with a fill, a number format or a bold font changed. New fonts, fills, number formats and xfs are
 * appended; every existing one keeps its index and its text, so no other cell changes look.
 */
import { escapeAttr, prefixOf, topLevel, type Span } from './xml';

const BUILTIN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy h:mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00;(#,##0.00)',
  40: '#,##0.00;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};
const DATE_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** True for a number format that shows a date or a time. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .split(';')[0] as string;
  return /[dmyhs]/i.test(bare.replace(/General/gi, ''));
}

export const DEFAULT_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

interface Section {
  /** The elements' text as they are (existing ones unchanged), new ones appended. */
  items: string[];
  added: number;
}

export interface StyleChange {
  /** ARGB of a solid fill; null removes the fill (no fill), undefined leaves it. */
  readonly fill?: string | null;
  /** Another cell format's fill (index into the fills), to restore a fill. */
  readonly fillFrom?: number;
  readonly numFmt?: string;
  readonly bold?: boolean;
}

export class Styles {
  private readonly numFmts = new Map<number, string>();
  private readonly fonts: Section = { items: [], added: 0 };
  private readonly fills: Section = { items: [], added: 0 };
  private readonly xfs: Section = { items: [], added: 0 };
  private readonly newNumFmts: string[] = [];
  private readonly xfAttrs: Record<string, string>[] = [];
  private readonly dateXf: boolean[] = [];
  private readonly xfIndex = new Map<string, number>();
  private readonly derived = new Map<string, number>();
  private readonly p: string;
  private spans: Partial<Record<'numFmts' | 'fonts' | 'fills' | 'cellXfs', Span>> = {};

  constructor(readonly xml: string) {
    const { root, children } = topLevel(xml);
    this.p = prefixOf(xml.slice(root.start + 1, root.openEnd).split(/[\s/>]/)[0] ?? '');
    for (const c of children)
      if (c.name in { numFmts: 1, fonts: 1, fills: 1, cellXfs: 1 }) this.spans[c.name as 'fonts'] = c;
    const inner = (
      s: Span | undefined,
      child: string,
      visit: (x: string, attrs: Record<string, string>) => void,
    ): void => {
      if (!s) return;
      const body = xml.slice(s.start, s.end);
      // the section's own children
      topLevel(body)
        .children.filter((c) => c.name === child)
        .forEach((c) => visit(body.slice(c.start, c.end), c.attrs));
    };
    inner(this.spans.numFmts, 'numFmt', (_, a) => this.numFmts.set(Number(a.numFmtId), a.formatCode ?? ''));
    inner(this.spans.fonts, 'font', (x) => this.fonts.items.push(x));
    inner(this.spans.fills, 'fill', (x) => this.fills.items.push(x));
    inner(this.spans.cellXfs, 'xf', (x, a) => {
      this.xfIndex.set(x, this.xfs.items.length);
      this.xfs.items.push(x);
      this.xfAttrs.push(a);
      this.dateXf.push(this.isDateId(Number(a.numFmtId ?? 0)));
    });
  }

  private isDateId(id: number): boolean {
    if (DATE_IDS.has(id)) return true;
    const code = this.numFmts.get(id);
    return code !== undefined && isDateFormat(code);
  }

  get changed(): boolean {
    return this.fonts.added + this.fills.added + this.xfs.added + this.newNumFmts.length > 0;
  }

  /** True when cells of format `s` show a date. */
  isDate(s: number): boolean {
    return this.dateXf[s] === true;
  }

  numberFormat(s: number): string | null {
    const id = Number(this.xfAttrs[s]?.numFmtId ?? 0);
    if (id === 0) return null;
    return this.numFmts.get(id) ?? BUILTIN_FORMATS[id] ?? null;
  }

  /** The solid fill color (ARGB) of format `s`, when it has one. */
  fillColor(s: number): string | undefined {
    const fill = this.fills.items[Number(this.xfAttrs[s]?.fillId ?? 0)] ?? '';
    if (!/patternType="solid"/.test(fill)) return undefined;
    return /<(?:\w+:)?fgColor[^>]*\brgb="([0-9A-Fa-f]{8})"/.exec(fill)?.[1]?.toUpperCase();
  }

  fillId(s: number): number {
    return Number(this.xfAttrs[s]?.fillId ?? 0);
  }

  bold(s: number): boolean {
    const font = this.fonts.items[Number(this.xfAttrs[s]?.fontId ?? 0)] ?? '';
    return /<(?:\w+:)?b(?:\s[^>]*)?\/?>/.test(font) && !/<(?:\w+:)?b\s+val="(?:0|false)"/.test(font);
  }

  /** The index of a cell format like `s` with `change` applied (an existing one when equal). */
  derive(s: number, change: StyleChange): number {
    const key = `${s}|${change.fill}|${change.fillFrom}|${change.numFmt}|${change.bold}`;
    const known = this.derived.get(key);
    if (known !== undefined) return known;
    const base =
      this.xfs.items[s] ??
      this.xfs.items[0] ??
      `<${this.p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`;
    const attrs = { ...(this.xfAttrs[s] ?? this.xfAttrs[0] ?? {}) };
    let xf = base;
    const set = (name: string, value: string): void => {
      attrs[name] = value;
      xf = setStartAttr(xf, name, value);
    };
    if (change.fill !== undefined) {
      const id = change.fill === null ? 0 : this.addFill(change.fill);
      set('fillId', String(id));
      set('applyFill', change.fill === null ? '0' : '1');
    }
    if (change.fillFrom !== undefined) {
      set('fillId', String(change.fillFrom));
      set('applyFill', change.fillFrom === 0 ? '0' : '1');
    }
    if (change.numFmt !== undefined) {
      set('numFmtId', String(this.numFmtId(change.numFmt)));
      set('applyNumberFormat', '1');
    }
    if (change.bold && !this.bold(s)) {
      set('fontId', String(this.boldFont(Number(attrs.fontId ?? 0))));
      set('applyFont', '1');
    }
    let index = this.xfIndex.get(xf);
    if (index === undefined) {
      index = this.xfs.items.length;
      this.xfs.items.push(xf);
      this.xfs.added++;
      this.xfIndex.set(xf, index);
      this.xfAttrs.push(attrs);
      this.dateXf.push(this.isDateId(Number(attrs.numFmtId ?? 0)));
    }
    this.derived.set(key, index);
    return index;
  }

  private addFill(argb: string): number {
    const xml = `<${this.p}fill><${this.p}patternFill patternType="solid"><${this.p}fgColor rgb="${argb}"/><${this.p}bgColor indexed="64"/></${this.p}patternFill></${this.p}fill>`;
    const i = this.fills.items.indexOf(xml);
    if (i >= 0) return i;
    this.fills.items.push(xml);
    this.fills.added++;
    return this.fills.items.length - 1;
  }

  private boldFont(fontId: number): number {
    const font = this.fonts.items[fontId] ?? `<${this.p}font/>`;
    const open = /^<[^>]*?\/?>/.exec(font)?.[0] ?? `<${this.p}font>`;
    const bold = open.endsWith('/>')
      ? `${open.slice(0, -2)}><${this.p}b/></${this.p}font>`
      : `${open}<${this.p}b/>${font.slice(open.length)}`;
    const i = this.fonts.items.indexOf(bold);
    if (i >= 0) return i;
    this.fonts.items.push(bold);
    this.fonts.added++;
    return this.fonts.items.length - 1;
  }

  private numFmtId(code: string): number {
    for (const [id, c] of Object.entries(BUILTIN_FORMATS)) if (c === code) return Number(id);
    for (const [id, c] of this.numFmts) if (c === code) return id;
    const id = Math.max(163, ...this.numFmts.keys()) + 1;
    this.numFmts.set(id, code);
    this.newNumFmts.push(`<${this.p}numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`);
    return id;
  }

  /** styles.xml with what was added; existing entries keep their text. */
  toXml(): string {
    if (!this.changed) return this.xml;
    const edits: { start: number; end: number; text: string }[] = [];
    const section = (name: 'fonts' | 'fills' | 'cellXfs', s: Section): void => {
      const span = this.spans[name];
      if (!span || s.added === 0) return;
      const body = this.xml.slice(span.start, span.end);
      const openTag = body.slice(0, span.openEnd - span.start);
      const fresh = s.items.slice(s.items.length - s.added).join('');
      const counted = setStartAttr(openTag, 'count', String(s.items.length));
      const text = openTag.endsWith('/>')
        ? `${counted.slice(0, -2)}>${fresh}</${this.p}${name}>`
        : `${counted}${body.slice(openTag.length, body.lastIndexOf('</'))}${fresh}${body.slice(body.lastIndexOf('</'))}`;
      edits.push({ start: span.start, end: span.end, text });
    };
    section('fonts', this.fonts);
    section('fills', this.fills);
    section('cellXfs', this.xfs);
    if (this.newNumFmts.length) {
      const span = this.spans.numFmts;
      if (span) {
        const body = this.xml.slice(span.start, span.end);
        const openTag = body.slice(0, span.openEnd - span.start);
        const counted = setStartAttr(openTag, 'count', String(this.numFmts.size));
        const text = openTag.endsWith('/>')
          ? `${counted.slice(0, -2)}>${this.newNumFmts.join('')}</${this.p}numFmts>`
          : `${counted}${body.slice(openTag.length, body.lastIndexOf('</'))}${this.newNumFmts.join('')}${body.slice(body.lastIndexOf('</'))}`;
        edits.push({ start: span.start, end: span.end, text });
      } else {
        const { root } = topLevel(this.xml);
        edits.push({
          start: root.openEnd,
          end: root.openEnd,
          text: `<${this.p}numFmts count="${this.newNumFmts.length}">${this.newNumFmts.join('')}</${this.p}numFmts>`,
        });
      }
    }
    edits.sort((a, b) => b.start - a.start);
    let out = this.xml;
    for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }
}

/** Sets an attribute on the start tag at the beginning of `xml` (the rest is left as it is). */
export function setStartAttr(xml: string, name: string, value: string): string {
  const end = xml.indexOf('>') + 1;
  const tag = xml.slice(0, end);
  const re = new RegExp(`(\\s${name}\\s*=\\s*)("[^"]*"|'[^']*')`);
  const next = re.test(tag)
    ? tag.replace(re, `$1"${escapeAttr(value)}"`)
    : tag.endsWith('/>')
      ? `${tag.slice(0, -2)} ${name}="${escapeAttr(value)}"/>`
      : `${tag.slice(0, -1)} ${name}="${escapeAttr(value)}">`;
  return next + xml.slice(end);
}
