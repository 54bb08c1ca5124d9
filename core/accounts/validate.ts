/**
 * Account-string validation against a chart for one fiscal year.
 *
 * `compileChart` turns the chart's data into lookup structures once (codes valid in the year into a
 * Map, small ranges and masks expanded, rules into predicates), so checking a valid string costs a
 * split, one Map lookup per segment and the rules. Every finding is returned, all at once.
 */
import type { CellValue, Where } from '../cells';
import { diag, type Diagnostic, type DiagnosticExtras, type Span } from '../diagnostics';
import type { AccountCheck, Validator } from './api';
import { charsOk, charsText, fiscalYearLabel } from './chart-load';
import { compileCondition, resolveSegment, segmentsOf, type Predicate } from './conditions';
import { DIGIT_LOOK_ALIKE, looksLikeDateText, readAccountCell } from './normalize';
import { expand, matches, parsePattern, tester, type Pattern, type Tester } from './patterns';
import { closest } from './suggest';
import type { Chart, CodeEntry, Explanation, FiscalYear, SegmentDef } from './types';

const EMPTY: readonly Diagnostic[] = Object.freeze([]);

interface CompiledSegment {
  readonly def: SegmentDef;
  readonly index: number;
  /** False when the chart lists no codes for this segment: any well-formed code is accepted. */
  readonly listed: boolean;
  /** Codes valid and active in the year (exact codes plus expanded ranges and masks). */
  readonly valid: Map<string, CodeEntry>;
  /** Ranges and masks too large to expand, valid and active in the year. */
  readonly patterns: { readonly p: Pattern; readonly e: CodeEntry; readonly t: Tester }[];
  /** Well-formed codes of the segment (length and characters). */
  readonly shape: RegExp;
  /** Entries valid in another year, or inactive: to explain why a known code is refused. */
  readonly other: { readonly p: Pattern; readonly e: CodeEntry }[];
  /** Exact codes valid in the year, for suggestions. */
  readonly suggestible: readonly string[];
  /** Suggestions already worked out for wrong codes (typos repeat down a sheet). */
  readonly suggested: Map<string, string[]>;
  readonly digits: boolean;
}

interface CompiledRule {
  readonly id: string;
  readonly severity: 'fatal' | 'warning';
  readonly message: string;
  readonly when?: Predicate;
  readonly then: Predicate;
  /** The segment the finding points at (the first one `then` names). */
  readonly focus: number;
}

interface CompiledCombination {
  readonly id: string;
  readonly severity: 'fatal' | 'warning';
  readonly message: string;
  readonly a: number;
  readonly b: number;
  readonly rows: readonly {
    readonly pa: Pattern;
    readonly pb: Pattern;
    readonly ta: Tester;
    readonly tb: Tester;
  }[];
}

/** "was retired after FY2026", "starts in FY2028", "is valid FY2021–FY2022". */
function validityText(e: CodeEntry): string {
  if (e.fromFY !== undefined && e.toFY !== undefined)
    return `is valid only ${fiscalYearLabel(e.fromFY)}–${fiscalYearLabel(e.toFY)}`;
  if (e.toFY !== undefined) return `was retired after ${fiscalYearLabel(e.toFY)}`;
  if (e.fromFY !== undefined) return `starts in ${fiscalYearLabel(e.fromFY)}`;
  return 'is valid in other years';
}

/** True when segment a matches some row of the grid and segment b matches none of those rows. */
function comboBroken(c: CompiledCombination, parts: readonly string[]): boolean {
  const ca = parts[c.a] as string;
  const cb = parts[c.b] as string;
  let applies = false;
  for (let j = 0; j < c.rows.length; j++) {
    const row = c.rows[j] as { ta: Tester; tb: Tester };
    if (!row.ta(ca)) continue;
    if (row.tb(cb)) return false;
    applies = true;
  }
  return applies;
}

function inYear(e: { fromFY?: FiscalYear; toFY?: FiscalYear }, fy: FiscalYear): boolean {
  return (e.fromFY === undefined || e.fromFY <= fy) && (e.toFY === undefined || fy <= e.toFY);
}

const SUGGESTION_CACHE = 10_000;

/** The closest valid codes of a segment, remembered per wrong code. */
function suggestFor(s: CompiledSegment, code: string, max: number): string[] {
  const key = `${max}\u0000${code}`;
  const hit = s.suggested.get(key);
  if (hit) return hit;
  const found = closest(code, s.suggestible, max);
  if (s.suggested.size >= SUGGESTION_CACHE) s.suggested.clear();
  s.suggested.set(key, found);
  return found;
}

function compileSegment(chart: Chart, def: SegmentDef, index: number, fy: FiscalYear): CompiledSegment {
  const list = chart.codes[def.key] ?? [];
  const valid = new Map<string, CodeEntry>();
  const patterns: { p: Pattern; e: CodeEntry; t: Tester }[] = [];
  const other: { p: Pattern; e: CodeEntry }[] = [];
  const suggestible: string[] = [];
  for (const e of list) {
    const r = parsePattern(e.code, def.length, def.chars, e.kind);
    if ('error' in r) continue; // the loader reported it
    const p = r.pattern;
    if (!inYear(e, fy) || e.active === false) {
      other.push({ p, e });
      continue;
    }
    if (p.kind === 'code') suggestible.push(p.code);
    const codes = expand(p, def.chars);
    if (p.kind === 'code')
      valid.set(p.code, e); // an exact code's own entry wins over a range or mask
    else if (codes) {
      for (const c of codes) if (!valid.has(c)) valid.set(c, e);
    } else patterns.push({ p, e, t: tester(p) });
  }
  return {
    def,
    index,
    listed: list.length > 0,
    valid,
    patterns,
    other,
    suggestible,
    suggested: new Map(),
    digits: def.chars === 'digits',
    shape: new RegExp(
      `^[${def.chars === 'digits' ? '0-9' : def.chars === 'letters' ? 'A-Za-z' : '0-9A-Za-z'}]{${def.length}}$`,
    ),
  };
}

/** Where each segment sits in an account string, and how the string is described in findings. */
interface StringLayout {
  readonly n: number;
  readonly keys: readonly string[];
  readonly delimiter: string | null;
  readonly totalLength: number;
  /** Start of each segment in an undelimited (or well-formed delimited) string. */
  readonly offsets: readonly number[];
  /** "fund-function-object-program-site", or "19 characters: fund + resource + …". */
  readonly formatText: string;
}

function stringLayout(chart: Chart): StringLayout {
  const delimiter = chart.delimiter;
  const totalLength = chart.segments.reduce((a, s) => a + s.length, 0);
  const offsets: number[] = [];
  let at = 0;
  for (const s of chart.segments) {
    offsets.push(at);
    at += s.length + (delimiter === null ? 0 : delimiter.length);
  }
  const example = chart.segments.map((s) => s.name.toLowerCase()).join(delimiter ?? ' + ');
  const formatText =
    delimiter === null ? `${totalLength} characters: ${example}` : example.split(delimiter).join(delimiter);
  return {
    n: chart.segments.length,
    keys: chart.segments.map((s) => s.key),
    delimiter,
    totalLength,
    offsets,
    formatText,
  };
}

/** The chart's rules valid in the year, as predicates over segment codes. */
function compileRules(chart: Chart, fiscalYear: FiscalYear): CompiledRule[] {
  const rules: CompiledRule[] = [];
  for (const r of chart.rules) {
    if (!inYear(r, fiscalYear) || r.severity === 'off') continue;
    const then = compileCondition(r.then, chart.segments);
    const when = r.when ? compileCondition(r.when, chart.segments) : undefined;
    if (!('predicate' in then) || (when && !('predicate' in when))) continue;
    const focusName = segmentsOf(r.then)[0];
    const cr: { -readonly [K in keyof CompiledRule]: CompiledRule[K] } = {
      id: r.id,
      severity: r.severity === 'fatal' ? 'fatal' : 'warning',
      message: r.message,
      then: then.predicate,
      focus: focusName === undefined ? 0 : Math.max(0, resolveSegment(chart.segments, focusName)),
    };
    if (when && 'predicate' in when) cr.when = when.predicate;
    rules.push(cr);
  }
  return rules;
}

/** The chart's combination grids with their patterns parsed into testers. */
function compileCombinations(chart: Chart): CompiledCombination[] {
  const combos: CompiledCombination[] = [];
  for (const t of chart.combinations) {
    const a = resolveSegment(chart.segments, t.a);
    const b = resolveSegment(chart.segments, t.b);
    if (a < 0 || b < 0 || t.severity === 'off') continue;
    const sa = chart.segments[a] as SegmentDef;
    const sb = chart.segments[b] as SegmentDef;
    const rows: { pa: Pattern; pb: Pattern; ta: Tester; tb: Tester }[] = [];
    for (const [x, y] of t.allowed) {
      const pa = parsePattern(x, sa.length, sa.chars);
      const pb = parsePattern(y, sb.length, sb.chars);
      if ('pattern' in pa && 'pattern' in pb)
        rows.push({ pa: pa.pattern, pb: pb.pattern, ta: tester(pa.pattern), tb: tester(pb.pattern) });
    }
    combos.push({
      id: t.id,
      severity: t.severity === 'fatal' ? 'fatal' : 'warning',
      message: t.message,
      a,
      b,
      rows,
    });
  }
  return combos;
}

/** Everything a compiled chart checks with, worked out once. */
interface Compiled extends StringLayout {
  readonly chart: Chart;
  readonly segs: readonly CompiledSegment[];
  readonly rules: readonly CompiledRule[];
  readonly combos: readonly CompiledCombination[];
  /** Index of the fiscal-year segment (Texas), or -1. */
  readonly fyIndex: number;
  /** The code the fiscal-year segment must hold. */
  readonly fyExpected: string;
  readonly fyLabel: string;
  /** The delimiter's character code, or -1 when there is none. */
  readonly delimCode: number;
  /** The district's explanations by rule ID. */
  readonly explanations: ReadonlyMap<string, readonly Explanation[]>;
}

function explanationsByRule(chart: Chart): Map<string, Explanation[]> {
  const m = new Map<string, Explanation[]>();
  for (const e of chart.explanations ?? []) {
    const list = m.get(e.ruleId);
    if (list) list.push(e);
    else m.set(e.ruleId, [e]);
  }
  return m;
}

const placeKey = (s: string): string => s.replace(/\$/g, '').trim().toLowerCase();

/**
 * A rule's finding the district explained for this account (or cell, or every account): BL203, a
 * warning that keeps the finding's place and says why it was kept. Otherwise the finding itself.
 */
function explain(c: Compiled, d: Diagnostic, parts: readonly string[]): Diagnostic {
  const list = d.ruleId === undefined ? undefined : c.explanations.get(d.ruleId);
  if (!list) return d;
  const account = parts.join(c.delimiter ?? '');
  const cell = d.sheet && d.cell ? placeKey(`${d.sheet}!${d.cell}`) : undefined;
  const hit = list.find(
    (e) => e.target === '*' || e.target === account || (cell !== undefined && placeKey(e.target) === cell),
  );
  if (!hit) return d;
  const { code: _code, message, remedy: _remedy, severity: _severity, ...place } = d;
  return diag('BL203', { finding: message, explanation: hit.explanation }, place);
}

function compile(chart: Chart, fiscalYear: FiscalYear): Compiled {
  const layout = stringLayout(chart);
  const fyIndex = chart.segments.findIndex((s) => s.role === 'fiscalYear');
  const fySeg = chart.segments[fyIndex];
  return {
    ...layout,
    chart,
    segs: chart.segments.map((d, i) => compileSegment(chart, d, i, fiscalYear)),
    rules: compileRules(chart, fiscalYear),
    combos: compileCombinations(chart),
    fyIndex,
    fyExpected: fySeg ? fyCodeOf(fiscalYear, fySeg.length) : '',
    fyLabel: fiscalYearLabel(fiscalYear),
    delimCode: layout.delimiter === null ? -1 : layout.delimiter.charCodeAt(0),
    explanations: explanationsByRule(chart),
  };
}

/** The last `len` digits of the fiscal year: the Texas fiscal-year segment's code. */
function fyCodeOf(fiscalYear: FiscalYear, len: number): string {
  return String(fiscalYear).slice(-len).padStart(len, '0');
}

function lookupCode(c: Compiled, key: string, code: string): CodeEntry | undefined {
  const s = c.segs[c.keys.indexOf(key)];
  if (!s) return undefined;
  const hit = s.valid.get(code);
  if (hit) return hit;
  for (const { p, e } of s.patterns) if (matches(p, code)) return e;
  return undefined;
}

/** Splits a canonical account string into segment codes without checking codes. */
function splitAccount(c: Compiled, account: string): string[] | undefined {
  if (c.delimiter !== null) {
    const parts = account.split(c.delimiter);
    return parts.length === c.n ? parts : undefined;
  }
  if (account.length !== c.totalLength) return undefined;
  return c.segs.map((s) => account.substr(c.offsets[s.index] as number, s.def.length));
}

/** How a finding about segment i is located: its cell, the segment, the span and the raw text. */
interface PartPlace {
  readonly value: string;
  spanOf(i: number): Span;
  whereOf(i: number): Where;
}

/**
 * The finding for one segment code that is not a valid code of the year (wrong length, characters
 * not allowed, unknown, retired, inactive), or undefined when it is valid.
 */
function checkCode(c: Compiled, i: number, code: string, place: PartPlace): Diagnostic | undefined {
  const s = c.segs[i] as CompiledSegment;
  const def = s.def;
  if (s.valid.has(code)) return undefined;
  const extras = (suggestions?: readonly string[]): DiagnosticExtras => {
    const base = { ...place.whereOf(i), segment: def.key, span: place.spanOf(i), value: place.value };
    return suggestions && suggestions.length ? { ...base, suggestions } : base;
  };
  const name = def.name.toLowerCase();
  if (i === c.fyIndex) {
    if (code === c.fyExpected) return undefined;
    return diag('BL108', { code, expected: c.fyExpected, fiscalYear: c.fyLabel }, extras([c.fyExpected]));
  }
  if (code.length !== def.length) {
    let sug: string[] = [];
    if (s.digits && /^\d+$/.test(code) && code.length < def.length) {
      const padded = code.padStart(def.length, '0');
      if (!s.listed || lookupCode(c, def.key, padded)) sug = [padded];
    }
    if (!sug.length) sug = suggestFor(s, code, 3);
    return diag('BL102', { segment: name, code, length: def.length, suggestions: sug }, extras(sug));
  }
  if (!charsOk(code, def.chars)) {
    if (s.digits) {
      let j = 0;
      while (j < code.length && /[0-9]/.test(code[j] as string)) j++;
      const ch = code[j] as string;
      const like = DIGIT_LOOK_ALIKE[ch];
      if (like) {
        const span = place.spanOf(i);
        return diag(
          'BL003',
          { char: ch, looksLike: like[0], name: like[1], position: span.start + j },
          {
            ...place.whereOf(i),
            segment: def.key,
            span: { start: span.start + j, end: span.start + j + 1 },
            value: place.value,
          },
        );
      }
    }
    return diag('BL103', { segment: name, code, allowed: charsText(def.chars) }, extras());
  }
  if (!s.listed) return undefined;
  for (const { p } of s.patterns) if (matches(p, code)) return undefined;
  const sug = suggestFor(s, code, 3);
  const known = s.other.find(({ p }) => matches(p, code));
  if (known && known.e.active === false)
    return diag('BL106', { segment: name, code, suggestions: sug }, extras(sug));
  if (known)
    return diag(
      'BL105',
      { segment: name, code, validity: validityText(known.e), fiscalYear: c.fyLabel, suggestions: sug },
      extras(sug),
    );
  return diag(
    'BL104',
    { segment: name, code, chart: c.chart.name, fiscalYear: c.fyLabel, suggestions: sug },
    extras(sug),
  );
}

/** The rules and combination grids an account of well-formed codes breaks. */
function checkRules(c: Compiled, parts: readonly string[], place: PartPlace, out: Diagnostic[]): void {
  for (const r of c.rules) {
    if (r.when && !r.when(parts)) continue;
    if (r.then(parts)) continue;
    out.push(
      explain(
        c,
        diag(
          'BL201',
          { ruleId: r.id, text: r.message },
          {
            ...place.whereOf(r.focus),
            severity: r.severity,
            ruleId: r.id,
            segment: c.keys[r.focus] as string,
            span: place.spanOf(r.focus),
            value: place.value,
          },
        ),
        parts,
      ),
    );
  }
  for (const t of c.combos) {
    if (!comboBroken(t, parts)) continue;
    const sa = c.chart.segments[t.a] as SegmentDef;
    const sb = c.chart.segments[t.b] as SegmentDef;
    out.push(
      explain(
        c,
        diag(
          'BL202',
          {
            ruleId: t.id,
            a: sa.name.toLowerCase(),
            aCode: parts[t.a] as string,
            b: sb.name.toLowerCase(),
            bCode: parts[t.b] as string,
            text: t.message,
          },
          {
            ...place.whereOf(t.b),
            severity: t.severity,
            ruleId: t.id,
            segment: sb.key,
            span: place.spanOf(t.b),
            value: place.value,
          },
        ),
        parts,
      ),
    );
  }
}

/** Checks split segments: each code, then (when every code is well formed) the rules. */
function checkParts(c: Compiled, parts: readonly string[], place: PartPlace, out: Diagnostic[]): void {
  let shapeOk = true;
  for (let i = 0; i < c.n; i++) {
    const code = parts[i] as string;
    const s = c.segs[i] as CompiledSegment;
    const found = checkCode(c, i, code, place);
    if (found === undefined) continue;
    if (i !== c.fyIndex && (code.length !== s.def.length || !charsOk(code, s.def.chars))) shapeOk = false;
    out.push(found);
  }
  if (shapeOk) checkRules(c, parts, place, out);
}

function accountCheck(
  c: Compiled,
  raw: string,
  diagnostics: readonly Diagnostic[],
  parts?: string[],
): AccountCheck {
  const ok = !diagnostics.some((d) => d.severity === 'fatal');
  if (!parts) return { raw, diagnostics, ok };
  return { raw, normalized: parts.join(c.delimiter ?? ''), segments: parts, diagnostics, ok };
}

/** Plain ASCII text split at the delimiter (or at the offsets), or undefined when it needs explaining. */
function fastSplit(c: Compiled, value: string): string[] | undefined {
  const len = value.length;
  if (c.delimCode >= 0) {
    const parts: string[] = [];
    let from = 0;
    for (let i = 0; i < len; i++) {
      const ch = value.charCodeAt(i);
      if (ch <= 0x20 || ch > 0x7e) return undefined;
      if (ch === c.delimCode) {
        parts.push(value.slice(from, i));
        from = i + 1;
      }
    }
    parts.push(value.slice(from));
    return parts.length === c.n ? parts : undefined;
  }
  if (len !== c.totalLength) return undefined;
  for (let i = 0; i < len; i++) {
    const ch = value.charCodeAt(i);
    if (ch <= 0x20 || ch > 0x7e) return undefined;
  }
  const parts = new Array<string>(c.n);
  for (let i = 0; i < c.n; i++) {
    const at = c.offsets[i] as number;
    parts[i] = value.slice(at, at + (c.segs[i] as CompiledSegment).def.length);
  }
  return parts;
}

/** True when every segment code is valid in the year (allocation-free). */
function codesAllValid(c: Compiled, parts: readonly string[]): boolean {
  for (let i = 0; i < c.n; i++) {
    const s = c.segs[i] as CompiledSegment;
    const code = parts[i] as string;
    if (s.valid.has(code)) continue;
    if (i === c.fyIndex) {
      if (code !== c.fyExpected) return false;
      continue;
    }
    if (!s.shape.test(code)) return false;
    if (!s.listed) continue;
    let hit = false;
    for (let k = 0; k < s.patterns.length; k++)
      if ((s.patterns[k] as { t: Tester }).t(code)) {
        hit = true;
        break;
      }
    if (!hit) return false;
  }
  return true;
}

/** True when the account breaks no rule and no combination grid. */
function rulesAllHold(c: Compiled, parts: readonly string[]): boolean {
  for (let k = 0; k < c.rules.length; k++) {
    const r = c.rules[k] as CompiledRule;
    if (r.when && !r.when(parts)) continue;
    if (!r.then(parts)) return false;
  }
  for (let k = 0; k < c.combos.length; k++)
    if (comboBroken(c.combos[k] as CompiledCombination, parts)) return false;
  return true;
}

/**
 * The common case, allocation-light: plain ASCII text whose every segment is a valid code and
 * which breaks no rule. Returns undefined whenever anything needs explaining; the full check then
 * produces the findings.
 */
function fastCheck(c: Compiled, value: string): AccountCheck | undefined {
  const parts = fastSplit(c, value);
  if (!parts || !codesAllValid(c, parts) || !rulesAllHold(c, parts)) return undefined;
  return { raw: value, normalized: value, segments: parts, diagnostics: EMPTY, ok: true };
}

/**
 * An undelimited string typed with separators (01-0000-0-0000-2100-1300): the plain string, with
 * BL011, when every piece has its segment's length; otherwise the text unchanged.
 */
function undash(c: Compiled, text: string, where: Where, raw: string, out: Diagnostic[]): string {
  if (text.length === c.totalLength || !/^[0-9A-Za-z]+(-[0-9A-Za-z]+)+$/.test(text)) return text;
  const pieces = text.split('-');
  if (pieces.length !== c.n || !pieces.every((p, i) => p.length === c.chart.segments[i]?.length)) return text;
  const t = pieces.join('');
  out.push(diag('BL011', { from: text, to: t }, { ...where, value: raw }));
  return t;
}

/** The full check of one account-string cell, every finding with its span. */
function checkCell(c: Compiled, value: CellValue, where: Where): AccountCheck {
  const cell = readAccountCell(value, where, {
    delimited: c.delimiter !== null,
    fullLength: c.totalLength,
    firstSegment: c.chart.segments[0]?.name ?? '',
  });
  if (cell.text === undefined) return accountCheck(c, cell.raw, cell.diagnostics);
  const text = cell.text;
  const out: Diagnostic[] = cell.diagnostics;
  const whole = { ...where, value: cell.raw, span: { start: cell.offset, end: cell.offset + text.length } };
  /** A string that cannot be split: a date the spreadsheet made, or the shape finding. */
  const shapeFinding = (t: string, d: Diagnostic): Diagnostic =>
    looksLikeDateText(t) ? diag('BL004', { shown: t }, { ...where, value: cell.raw }) : d;
  let parts: string[];
  let spans: Span[];
  if (c.delimiter !== null) {
    parts = text.split(c.delimiter);
    if (parts.length !== c.n) {
      out.push(
        shapeFinding(
          text,
          diag('BL101', { found: parts.length, expected: c.n, format: c.formatText }, whole),
        ),
      );
      return accountCheck(c, cell.raw, out);
    }
    spans = [];
    let at = cell.offset;
    for (const p of parts) {
      spans.push({ start: at, end: at + p.length });
      at += p.length + c.delimiter.length;
    }
  } else {
    const t = undash(c, text, where, cell.raw, out);
    if (t.length !== c.totalLength) {
      out.push(
        shapeFinding(
          t,
          diag('BL107', { found: t.length, expected: c.totalLength, format: c.formatText }, whole),
        ),
      );
      return accountCheck(c, cell.raw, out);
    }
    parts = c.segs.map((s) => t.substr(c.offsets[s.index] as number, s.def.length));
    const dashed = t !== text;
    spans = c.segs.map((s) => {
      const start = cell.offset + (c.offsets[s.index] as number) + (dashed ? s.index : 0);
      return { start, end: start + s.def.length };
    });
  }
  const sp = spans;
  checkParts(c, parts, { value: cell.raw, spanOf: (i) => sp[i] as Span, whereOf: () => where }, out);
  return accountCheck(c, cell.raw, out.length ? out : EMPTY, parts);
}

/**
 * A whole account string typed or pasted into one segment cell of a per-segment row, the other
 * segment cells blank: the cell, its text and the segments it splits into.
 */
function wholeAccountIn(
  c: Compiled,
  values: readonly CellValue[],
): { index: number; text: string; parts?: string[] } | undefined {
  let found: { index: number; text: string; parts?: string[] } | undefined;
  for (let i = 0; i < c.n; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
    if (found || typeof v !== 'string') return undefined;
    const text = v.trim().replace(/[\u2010-\u2015\u2212]/g, '-');
    const parts =
      splitAccount(c, text) ?? (c.delimiter === null ? splitAccount(c, text.replace(/-/g, '')) : undefined);
    const looksWhole =
      parts !== undefined ||
      (c.delimiter !== null
        ? text.includes(c.delimiter)
        : text.length > (c.chart.segments[i] as SegmentDef).length + 2);
    if (!looksWhole) return undefined;
    found = { index: i, text: v.trim(), ...(parts ? { parts } : {}) };
  }
  return found;
}

/** One segment cell of a per-segment row: its code (leading zeros restored), raw text and findings. */
function readSegmentCell(
  def: SegmentDef,
  v: CellValue,
  w: Where,
  out: Diagnostic[],
): { code?: string; raw: string } {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e15 && def.chars !== 'letters') {
    const t = String(v);
    if (t.length >= def.length) return { code: t, raw: t };
    const restored = t.padStart(def.length, '0');
    out.push(
      diag(
        'BL006',
        { segment: def.name.toLowerCase(), from: t, to: restored },
        { ...w, segment: def.key, value: t },
      ),
    );
    return { code: restored, raw: t };
  }
  const cell = readAccountCell(v, w, {
    delimited: true,
    fullLength: def.length,
    firstSegment: def.name,
    what: `${def.name.toLowerCase()} code`,
  });
  out.push(...cell.diagnostics.map((d) => ({ ...d, segment: def.key })));
  return cell.text === undefined ? { raw: cell.raw } : { code: cell.text, raw: cell.raw };
}

/** Checks an account held one segment per column. */
function checkSegmentCells(c: Compiled, values: readonly CellValue[], where: readonly Where[]): AccountCheck {
  const whole = wholeAccountIn(c, values);
  if (whole) {
    const { index, text, parts: pieces } = whole;
    const split = pieces
      ? c.chart.segments.map((d, i) => `${d.name.toLowerCase()} ${pieces[i] as string}`).join(', ')
      : '';
    const d = diag('BL012', { shown: text, split }, { ...(where[index] ?? {}), value: text });
    return accountCheck(c, text, [d]);
  }
  const out: Diagnostic[] = [];
  const parts: string[] = [];
  const raws: string[] = [];
  let readable = true;
  for (let i = 0; i < c.n; i++) {
    const r = readSegmentCell(c.chart.segments[i] as SegmentDef, values[i], where[i] ?? {}, out);
    raws.push(r.raw);
    if (r.code === undefined) readable = false;
    parts.push(r.code ?? '');
  }
  const raw = raws.join(c.delimiter ?? ' ');
  if (!readable) return accountCheck(c, raw, out);
  checkParts(
    c,
    parts,
    {
      value: raw,
      spanOf: (i) => ({ start: 0, end: (parts[i] as string).length }),
      whereOf: (i) => where[i] ?? {},
    },
    out,
  );
  // Spans in per-segment findings refer to that segment's own cell text.
  const fixed = out.map((d) =>
    d.segment !== undefined && d.value === raw
      ? { ...d, value: parts[c.keys.indexOf(d.segment)] as string }
      : d,
  );
  return accountCheck(c, raw, fixed.length ? fixed : EMPTY, parts);
}

/** Compiles a chart for one fiscal year. The chart is assumed loaded (loadChartFromJson / Tables). */
export function compileChart(chart: Chart, fiscalYear: FiscalYear): Validator {
  const c = compile(chart, fiscalYear);
  return {
    chart,
    fiscalYear,
    keys: c.keys,
    indexOf: (key) => c.keys.indexOf(key),
    check: (value, where = {}) => {
      if (typeof value === 'string') {
        const quick = fastCheck(c, value);
        if (quick) return quick;
      }
      return checkCell(c, value, where);
    },
    checkSegments: (values, where = []) => checkSegmentCells(c, values, where),
    format: (parts) => parts.join(c.delimiter ?? ''),
    split: (account) => splitAccount(c, account),
    lookup: (key, code) => lookupCode(c, key, code),
    suggest: (key, code, max = 3) => {
      const s = c.segs[c.keys.indexOf(key)];
      return s ? [...suggestFor(s, code, max)] : [];
    },
  };
}
