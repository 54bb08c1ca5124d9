/**
 * Account-string validation against a chart for one fiscal year.
 *
 * `compileChart` turns the chart's data into lookup structures once (codes valid in the year into a
 * Map, small ranges and masks expanded, rules into predicates), so checking a valid string costs a
 * split, one Map lookup per segment and the rules. Every finding is returned, all at once.
 */
import type { CellValue, Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { AccountCheck, Validator } from './api';
import { charsOk, charsText, fiscalYearLabel } from './chart-load';
import { compileCondition, resolveSegment, segmentsOf, type Predicate } from './conditions';
import { DIGIT_LOOK_ALIKE, looksLikeDateText, readAccountCell } from './normalize';
import { expand, matches, parsePattern, tester, type Pattern, type Tester } from './patterns';
import { closest } from './suggest';
import type { Chart, CodeEntry, FiscalYear, SegmentDef } from './types';

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

/** Compiles a chart for one fiscal year. The chart is assumed loaded (loadChartFromJson / Tables). */
export function compileChart(chart: Chart, fiscalYear: FiscalYear): Validator {
  const segs = chart.segments.map((d, i) => compileSegment(chart, d, i, fiscalYear));
  const n = segs.length;
  const keys = chart.segments.map((s) => s.key);
  const delimiter = chart.delimiter;
  const totalLength = chart.segments.reduce((a, s) => a + s.length, 0);
  const offsets: number[] = [];
  {
    let at = 0;
    for (const s of chart.segments) {
      offsets.push(at);
      at += s.length + (delimiter === null ? 0 : delimiter.length);
    }
  }
  const fyIndex = chart.segments.findIndex((s) => s.role === 'fiscalYear');
  const fyCode = (len: number): string => String(fiscalYear).slice(-len).padStart(len, '0');
  const fyLabel = fiscalYearLabel(fiscalYear);
  const example = chart.segments.map((s) => s.name.toLowerCase()).join(delimiter ?? ' + ');
  const formatText =
    delimiter === null ? `${totalLength} characters: ${example}` : example.split(delimiter).join(delimiter);

  const rules: CompiledRule[] = [];
  for (const r of chart.rules) {
    if (!inYear(r, fiscalYear)) continue;
    const then = compileCondition(r.then, chart.segments);
    const when = r.when ? compileCondition(r.when, chart.segments) : undefined;
    if (!('predicate' in then) || (when && !('predicate' in when))) continue;
    const focusName = segmentsOf(r.then)[0];
    const cr: { -readonly [K in keyof CompiledRule]: CompiledRule[K] } = {
      id: r.id,
      severity: r.severity,
      message: r.message,
      then: then.predicate,
      focus: focusName === undefined ? 0 : Math.max(0, resolveSegment(chart.segments, focusName)),
    };
    if (when && 'predicate' in when) cr.when = when.predicate;
    rules.push(cr);
  }
  const combos: CompiledCombination[] = [];
  for (const t of chart.combinations) {
    const a = resolveSegment(chart.segments, t.a);
    const b = resolveSegment(chart.segments, t.b);
    if (a < 0 || b < 0) continue;
    const sa = chart.segments[a] as SegmentDef;
    const sb = chart.segments[b] as SegmentDef;
    const rows: { pa: Pattern; pb: Pattern; ta: Tester; tb: Tester }[] = [];
    for (const [x, y] of t.allowed) {
      const pa = parsePattern(x, sa.length, sa.chars);
      const pb = parsePattern(y, sb.length, sb.chars);
      if ('pattern' in pa && 'pattern' in pb)
        rows.push({ pa: pa.pattern, pb: pb.pattern, ta: tester(pa.pattern), tb: tester(pb.pattern) });
    }
    combos.push({ id: t.id, severity: t.severity, message: t.message, a, b, rows });
  }

  const lookup = (key: string, code: string): CodeEntry | undefined => {
    const i = keys.indexOf(key);
    const s = segs[i];
    if (!s) return undefined;
    const hit = s.valid.get(code);
    if (hit) return hit;
    for (const { p, e } of s.patterns) if (matches(p, code)) return e;
    return undefined;
  };

  const suggest = (key: string, code: string, max = 3): string[] => {
    const s = segs[keys.indexOf(key)];
    if (!s) return [];
    return [...suggestFor(s, code, max)];
  };

  /**
   * Checks split segments. `spanOf(i)` gives where segment i sits in `value`; `whereOf(i)` its cell.
   */
  const checkParts = (
    parts: string[],
    value: string,
    spanOf: (i: number) => { start: number; end: number },
    whereOf: (i: number) => Where,
    out: Diagnostic[],
  ): boolean => {
    let shapeOk = true;
    for (let i = 0; i < n; i++) {
      const s = segs[i] as CompiledSegment;
      const code = parts[i] as string;
      const def = s.def;
      // Fast path: a valid code.
      if (s.valid.has(code)) continue;
      const extras = (
        suggestions?: readonly string[],
      ): {
        segment: string;
        span: { start: number; end: number };
        value: string;
        suggestions?: readonly string[];
      } & Where => {
        const base = { ...whereOf(i), segment: def.key, span: spanOf(i), value };
        return suggestions && suggestions.length ? { ...base, suggestions } : base;
      };
      const name = def.name.toLowerCase();
      if (i === fyIndex) {
        const expected = fyCode(def.length);
        if (code !== expected) {
          out.push(diag('BL108', { code, expected, fiscalYear: fyLabel }, extras([expected])));
        }
        continue;
      }
      if (code.length !== def.length) {
        shapeOk = false;
        let sug: string[] = [];
        if (s.digits && /^\d+$/.test(code) && code.length < def.length) {
          const padded = code.padStart(def.length, '0');
          if (!s.listed || lookup(def.key, padded)) sug = [padded];
        }
        if (!sug.length) sug = suggestFor(s, code, 3);
        out.push(diag('BL102', { segment: name, code, length: def.length, suggestions: sug }, extras(sug)));
        continue;
      }
      if (!charsOk(code, def.chars)) {
        shapeOk = false;
        if (s.digits) {
          let j = 0;
          while (j < code.length && /[0-9]/.test(code[j] as string)) j++;
          const ch = code[j] as string;
          const like = DIGIT_LOOK_ALIKE[ch];
          if (like) {
            const span = spanOf(i);
            out.push(
              diag(
                'BL003',
                { char: ch, looksLike: like[0], name: like[1], position: span.start + j },
                {
                  ...whereOf(i),
                  segment: def.key,
                  span: { start: span.start + j, end: span.start + j + 1 },
                  value,
                },
              ),
            );
            continue;
          }
        }
        out.push(diag('BL103', { segment: name, code, allowed: charsText(def.chars) }, extras()));
        continue;
      }
      if (!s.listed) continue;
      let found = false;
      for (const { p } of s.patterns)
        if (matches(p, code)) {
          found = true;
          break;
        }
      if (found) continue;
      const sug = suggestFor(s, code, 3);
      const known = s.other.find(({ p }) => matches(p, code));
      if (known && known.e.active === false) {
        out.push(diag('BL106', { segment: name, code, suggestions: sug }, extras(sug)));
      } else if (known) {
        out.push(
          diag(
            'BL105',
            {
              segment: name,
              code,
              validity: validityText(known.e),
              fiscalYear: fyLabel,
              suggestions: sug,
            },
            extras(sug),
          ),
        );
      } else {
        out.push(
          diag(
            'BL104',
            { segment: name, code, chart: chart.name, fiscalYear: fyLabel, suggestions: sug },
            extras(sug),
          ),
        );
      }
    }
    if (!shapeOk) return false;
    for (const r of rules) {
      if (r.when && !r.when(parts)) continue;
      if (r.then(parts)) continue;
      out.push(
        diag(
          'BL201',
          { ruleId: r.id, text: r.message },
          {
            ...whereOf(r.focus),
            severity: r.severity,
            ruleId: r.id,
            segment: keys[r.focus] as string,
            span: spanOf(r.focus),
            value,
          },
        ),
      );
    }
    for (const c of combos) {
      const ca = parts[c.a] as string;
      const cb = parts[c.b] as string;
      if (comboBroken(c, parts)) {
        const sa = chart.segments[c.a] as SegmentDef;
        const sb = chart.segments[c.b] as SegmentDef;
        out.push(
          diag(
            'BL202',
            {
              ruleId: c.id,
              a: sa.name.toLowerCase(),
              aCode: ca,
              b: sb.name.toLowerCase(),
              bCode: cb,
              text: c.message,
            },
            {
              ...whereOf(c.b),
              severity: c.severity,
              ruleId: c.id,
              segment: sb.key,
              span: spanOf(c.b),
              value,
            },
          ),
        );
      }
    }
    return true;
  };

  const result = (raw: string, diagnostics: readonly Diagnostic[], parts?: string[]): AccountCheck => {
    const ok = !diagnostics.some((d) => d.severity === 'fatal');
    if (!parts) return { raw, diagnostics, ok };
    return { raw, normalized: format(parts), segments: parts, diagnostics, ok };
  };

  const format = (parts: readonly string[]): string => parts.join(delimiter ?? '');

  const split = (account: string): string[] | undefined => {
    if (delimiter !== null) {
      const parts = account.split(delimiter);
      return parts.length === n ? parts : undefined;
    }
    if (account.length !== totalLength) return undefined;
    return segs.map((s) => account.substr(offsets[s.index] as number, s.def.length));
  };

  const fyExpected = fyIndex >= 0 ? fyCode((chart.segments[fyIndex] as SegmentDef).length) : '';
  const delimCode = delimiter === null ? -1 : delimiter.charCodeAt(0);

  /**
   * The common case, allocation-light: plain ASCII text whose every segment is a valid code and
   * which breaks no rule. Returns undefined whenever anything needs explaining; the full check
   * below then produces the findings.
   */
  const fast = (value: string): AccountCheck | undefined => {
    const len = value.length;
    let parts: string[];
    if (delimCode >= 0) {
      parts = [];
      let from = 0;
      for (let i = 0; i < len; i++) {
        const c = value.charCodeAt(i);
        if (c <= 0x20 || c > 0x7e) return undefined;
        if (c === delimCode) {
          parts.push(value.slice(from, i));
          from = i + 1;
        }
      }
      parts.push(value.slice(from));
      if (parts.length !== n) return undefined;
    } else {
      if (len !== totalLength) return undefined;
      for (let i = 0; i < len; i++) {
        const c = value.charCodeAt(i);
        if (c <= 0x20 || c > 0x7e) return undefined;
      }
      parts = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const at = offsets[i] as number;
        parts[i] = value.slice(at, at + (segs[i] as CompiledSegment).def.length);
      }
    }
    for (let i = 0; i < n; i++) {
      const s = segs[i] as CompiledSegment;
      const code = parts[i] as string;
      if (s.valid.has(code)) continue;
      if (i === fyIndex) {
        if (code !== fyExpected) return undefined;
        continue;
      }
      if (!s.shape.test(code)) return undefined;
      if (!s.listed) continue;
      let hit = false;
      for (let k = 0; k < s.patterns.length; k++)
        if ((s.patterns[k] as { t: Tester }).t(code)) {
          hit = true;
          break;
        }
      if (!hit) return undefined;
    }
    for (let k = 0; k < rules.length; k++) {
      const r = rules[k] as CompiledRule;
      if (r.when && !r.when(parts)) continue;
      if (!r.then(parts)) return undefined;
    }
    for (let k = 0; k < combos.length; k++)
      if (comboBroken(combos[k] as CompiledCombination, parts)) return undefined;
    return { raw: value, normalized: value, segments: parts, diagnostics: EMPTY, ok: true };
  };

  const check = (value: CellValue, where: Where = {}): AccountCheck => {
    if (typeof value === 'string') {
      const quick = fast(value);
      if (quick) return quick;
    }
    const cell = readAccountCell(value, where, {
      delimited: delimiter !== null,
      fullLength: totalLength,
      firstSegment: chart.segments[0]?.name ?? '',
    });
    if (cell.text === undefined) return result(cell.raw, cell.diagnostics);
    const text = cell.text;
    const out: Diagnostic[] = cell.diagnostics;
    let parts: string[] | undefined;
    let spans: { start: number; end: number }[];
    const whole = { ...where, value: cell.raw, span: { start: cell.offset, end: cell.offset + text.length } };
    /** A string that cannot be split: a date the spreadsheet made, or the shape finding. */
    const shapeFinding = (t: string, d: Diagnostic): Diagnostic =>
      looksLikeDateText(t) ? diag('BL004', { shown: t }, { ...where, value: cell.raw }) : d;
    if (delimiter !== null) {
      parts = text.split(delimiter);
      if (parts.length !== n) {
        out.push(
          shapeFinding(text, diag('BL101', { found: parts.length, expected: n, format: formatText }, whole)),
        );
        return result(cell.raw, out);
      }
      spans = [];
      let at = cell.offset;
      for (const p of parts) {
        spans.push({ start: at, end: at + p.length });
        at += p.length + delimiter.length;
      }
    } else {
      let t = text;
      if (t.length !== totalLength && /^[0-9A-Za-z]+(-[0-9A-Za-z]+)+$/.test(t)) {
        // A human-readable form with separators (01-0000-0-0000-2100-1300): accepted, with a warning.
        const pieces = t.split('-');
        if (pieces.length === n && pieces.every((p, i) => p.length === chart.segments[i]?.length)) {
          t = pieces.join('');
          out.push(diag('BL011', { from: text, to: t }, { ...where, value: cell.raw }));
        }
      }
      if (t.length !== totalLength) {
        out.push(
          shapeFinding(
            t,
            diag('BL107', { found: t.length, expected: totalLength, format: formatText }, whole),
          ),
        );
        return result(cell.raw, out);
      }
      parts = segs.map((s) => t.substr(offsets[s.index] as number, s.def.length));
      const dashed = t !== text;
      spans = segs.map((s) => {
        const start = cell.offset + (offsets[s.index] as number) + (dashed ? s.index : 0);
        return { start, end: start + s.def.length };
      });
    }
    const whereOf = (): Where => where;
    const sp = spans;
    checkParts(parts, cell.raw, (i) => sp[i] as { start: number; end: number }, whereOf, out);
    return result(cell.raw, out.length ? out : EMPTY, parts);
  };

  /**
   * A whole account string typed or pasted into one segment cell of a per-segment row, the other
   * segment cells blank: the cell, its text and the segments it splits into.
   */
  const wholeAccountIn = (
    values: readonly CellValue[],
  ): { index: number; text: string; parts?: string[] } | undefined => {
    let found: { index: number; text: string; parts?: string[] } | undefined;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) continue;
      if (found || typeof v !== 'string') return undefined;
      const text = v.trim().replace(/[\u2010-\u2015\u2212]/g, '-');
      const parts = split(text) ?? (delimiter === null ? split(text.replace(/-/g, '')) : undefined);
      const looksWhole =
        parts !== undefined ||
        (delimiter !== null
          ? text.includes(delimiter)
          : text.length > (chart.segments[i] as SegmentDef).length + 2);
      if (!looksWhole) return undefined;
      found = { index: i, text: v.trim(), ...(parts ? { parts } : {}) };
    }
    return found;
  };

  const checkSegments = (
    values: readonly CellValue[],
    where: readonly Where[] = [],
    _sheet?: string,
  ): AccountCheck => {
    const whole = wholeAccountIn(values);
    if (whole) {
      const { index, text, parts: pieces } = whole;
      const split = pieces
        ? chart.segments.map((d, i) => `${d.name.toLowerCase()} ${pieces[i] as string}`).join(', ')
        : '';
      const d = diag('BL012', { shown: text, split }, { ...(where[index] ?? {}), value: text });
      return result(text, [d]);
    }
    const out: Diagnostic[] = [];
    const parts: string[] = [];
    const raws: string[] = [];
    let readable = true;
    for (let i = 0; i < n; i++) {
      const def = chart.segments[i] as SegmentDef;
      const w = where[i] ?? {};
      const v = values[i];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e15 && def.chars !== 'letters') {
        const t = String(v);
        raws.push(t);
        if (t.length < def.length) {
          const restored = t.padStart(def.length, '0');
          out.push(
            diag(
              'BL006',
              { segment: def.name.toLowerCase(), from: t, to: restored },
              { ...w, segment: def.key, value: t },
            ),
          );
          parts.push(restored);
        } else parts.push(t);
        continue;
      }
      const cell = readAccountCell(v, w, {
        delimited: true,
        fullLength: def.length,
        firstSegment: def.name,
        what: `${def.name.toLowerCase()} code`,
      });
      out.push(...cell.diagnostics.map((d) => ({ ...d, segment: def.key })));
      raws.push(cell.raw);
      if (cell.text === undefined) {
        readable = false;
        parts.push('');
      } else parts.push(cell.text);
    }
    const raw = raws.join(delimiter ?? ' ');
    if (!readable) return result(raw, out);
    checkParts(
      parts,
      raw,
      (i) => ({ start: 0, end: (parts[i] as string).length }),
      (i) => where[i] ?? {},
      out,
    );
    // Spans in per-segment findings refer to that segment's own cell text.
    const fixed = out.map((d) =>
      d.segment !== undefined && d.value === raw
        ? { ...d, value: parts[keys.indexOf(d.segment)] as string }
        : d,
    );
    return result(raw, fixed.length ? fixed : EMPTY, parts);
  };

  return {
    chart,
    fiscalYear,
    keys,
    indexOf: (key) => keys.indexOf(key),
    check,
    checkSegments,
    format,
    split,
    lookup,
    suggest,
  };
}
