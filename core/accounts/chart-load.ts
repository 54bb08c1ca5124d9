/**
 * Loading a chart of accounts from JSON (the presets) or from a workbook's Segments / Codes / Rules /
 * Combinations tables, and writing a chart back to those tables. Loading reports every problem of the
 * chart itself as diagnostics (duplicate code, code of the wrong length, rule naming an unknown
 * segment, ...); it never throws on bad data.
 */
import { cellText, isBlank, type CellValue, type Grid, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { cellAt, dataRows, findColumns } from '../tables';
import { compileCondition, conditionToText, readCondition, resolveSegment } from './conditions';
import { parsePattern, type Pattern } from './patterns';
import type {
  CharSet,
  Chart,
  CodeEntry,
  ClassRow,
  CombinationTable,
  Condition,
  Explanation,
  FiscalYear,
  Rule,
  RuleSeverity,
  SegmentDef,
} from './types';
import {
  ACCOUNT_CLASSES,
  CLASS_LABELS,
  classSegment,
  readAccountClass,
  REVENUE_SOURCE_KEY,
  splitCodeList,
} from './classes';

export interface ChartLoad {
  /** The chart, when it is usable (no fatal finding). */
  readonly chart?: Chart;
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------
// Shared checking of a chart's parts, with a locator that says where each part came from.

interface RawCode {
  readonly segment: string;
  readonly code: string;
  readonly description: string;
  readonly kind?: CodeEntry['kind'];
  readonly active: boolean;
  readonly fromFY?: FiscalYear;
  readonly toFY?: FiscalYear;
  readonly where: Where;
  readonly codeWhere: Where;
}

interface RawRule {
  readonly id: string;
  readonly severity: string;
  readonly when?: unknown;
  readonly then: unknown;
  readonly message: string;
  readonly fromFY?: FiscalYear;
  readonly toFY?: FiscalYear;
  readonly where: Where;
}

interface RawCombination {
  readonly id: string;
  readonly severity: string;
  readonly a: string;
  readonly b: string;
  readonly allowed: readonly (readonly [string, string])[];
  readonly message: string;
  readonly where: Where;
}

interface RawClass {
  readonly class: string;
  readonly segment: string;
  readonly codes: string;
  readonly description: string;
  readonly where: Where;
}

interface RawExplanation {
  readonly ruleId: string;
  readonly target: string;
  readonly explanation: string;
  readonly where: Where;
}

interface RawChart {
  readonly id: string;
  readonly name: string;
  readonly delimiter: string | null;
  readonly segments: readonly { def: SegmentDef; where: Where }[];
  readonly codes: readonly RawCode[];
  readonly rules: readonly RawRule[];
  readonly combinations: readonly RawCombination[];
  readonly classes?: readonly RawClass[];
  readonly explanations?: readonly RawExplanation[];
  readonly defaultFiscalYear?: FiscalYear;
  readonly hierarchical?: readonly string[];
  readonly source?: string;
}

const CHARSETS: Readonly<Record<string, CharSet>> = {
  digits: 'digits',
  digit: 'digits',
  numeric: 'digits',
  numbers: 'digits',
  letters: 'letters',
  alpha: 'letters',
  alnum: 'alnum',
  alphanumeric: 'alnum',
  lettersanddigits: 'alnum',
  digitsandletters: 'alnum',
  lettersdigits: 'alnum',
};

export function readCharSet(v: string): CharSet | undefined {
  return CHARSETS[v.toLowerCase().replace(/[^a-z]/g, '')];
}

/** "Program Intent" → "programIntent". */
export function segmentKeyOf(name: string): string {
  const words = name
    .trim()
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]?.toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

/** 2027, "2027", "FY2027", "FY27", "2026-27", "2026-2027" → 2027. */
export function parseFiscalYear(v: CellValue): FiscalYear | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 1900 && v <= 2200 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v
    .trim()
    .toUpperCase()
    .replace(/^FY\s*/, '');
  let m = /^(\d{4})$/.exec(s);
  if (m) return Number(m[1]);
  m = /^(\d{2})$/.exec(s);
  if (m) return 2000 + Number(m[1]);
  m = /^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$/.exec(s);
  if (m) {
    const start = Number(m[1]);
    const end = (m[2] as string).length === 2 ? Math.floor(start / 100) * 100 + Number(m[2]) : Number(m[2]);
    return end === start + 1 || end === start + 1 - 100 ? start + 1 : undefined;
  }
  return undefined;
}

/** "FY2027". */
export function fiscalYearLabel(fy: FiscalYear): string {
  return `FY${fy}`;
}

function overlaps(a: RawCode, b: RawCode): boolean {
  const aFrom = a.fromFY ?? -Infinity;
  const aTo = a.toFY ?? Infinity;
  const bFrom = b.fromFY ?? -Infinity;
  const bTo = b.toFY ?? Infinity;
  return aFrom <= bTo && bFrom <= aTo;
}

function placeText(w: Where): string {
  if (w.sheet && w.cell) return `${w.sheet}!${w.cell}`;
  return w.cell ?? w.sheet ?? 'an earlier entry';
}

function buildSegments(raw: RawChart, diagnostics: Diagnostic[]): SegmentDef[] {
  const segments: SegmentDef[] = [];
  const seenKeys = new Set<string>();
  for (const { def, where } of raw.segments) {
    const problems: string[] = [];
    if (!def.key) problems.push('a segment has no name');
    if (seenKeys.has(def.key.toLowerCase())) problems.push(`two segments are named ${def.name}`);
    if (!Number.isInteger(def.length) || def.length < 1 || def.length > 12)
      problems.push(`${def.name}: length must be a whole number from 1 to 12`);
    for (const p of problems) diagnostics.push(diag('BL305', { problem: p }, where));
    seenKeys.add(def.key.toLowerCase());
    segments.push(def);
  }
  if (segments.length === 0) diagnostics.push(diag('BL305', { problem: 'the chart has no segments' }));
  if (raw.delimiter !== null && raw.delimiter.length !== 1)
    diagnostics.push(
      diag('BL310', { problem: `the delimiter must be one character or none, not "${raw.delimiter}"` }),
    );
  return segments;
}

/** The pattern of a code row when it fits its segment (length, characters), else the finding. */
function codePattern(c: RawCode, seg: SegmentDef): Pattern | Diagnostic {
  const p = parsePattern(c.code, undefined, seg.chars, c.kind);
  if ('error' in p)
    return diag('BL308', { segment: seg.name, pattern: c.code, problem: p.error }, c.codeWhere);
  const pat = p.pattern;
  if (pat.kind === 'code') {
    if (pat.code.length !== seg.length)
      return diag('BL302', { segment: seg.name, code: pat.code, length: seg.length }, c.codeWhere);
    if (!charsOk(pat.code, seg.chars))
      return diag(
        'BL308',
        { segment: seg.name, pattern: pat.code, problem: `it may contain only ${charsText(seg.chars)}` },
        c.codeWhere,
      );
    return pat;
  }
  const len = pat.kind === 'range' ? pat.lo.length : pat.mask.length;
  if (len !== seg.length)
    return diag(
      'BL308',
      {
        segment: seg.name,
        pattern: pat.text,
        problem: `it is ${len} characters long; the segment is ${seg.length}`,
      },
      c.codeWhere,
    );
  return pat;
}

function buildCodes(
  raw: RawChart,
  segments: readonly SegmentDef[],
  diagnostics: Diagnostic[],
): Record<string, CodeEntry[]> {
  const known = segments.map((s) => s.key);
  const codes: Record<string, CodeEntry[]> = {};
  const bySegCode = new Map<string, RawCode[]>();
  for (const c of raw.codes) {
    const seg = classSegment(segments, c.segment);
    if (!seg) {
      diagnostics.push(diag('BL304', { segment: c.segment, known }, c.where));
      continue;
    }
    if (c.fromFY !== undefined && c.toFY !== undefined && c.fromFY > c.toFY) {
      diagnostics.push(diag('BL307', { value: `${c.fromFY}–${c.toFY}`, column: 'From FY / To FY' }, c.where));
      continue;
    }
    const pat = codePattern(c, seg);
    if ('severity' in pat) {
      diagnostics.push(pat);
      continue;
    }
    const dupKey = `${seg.key}\u0000${pat.text}`;
    const prior = bySegCode.get(dupKey) ?? [];
    const clash = prior.find((o) => overlaps(o, c));
    if (clash) {
      diagnostics.push(
        diag('BL301', { segment: seg.name, code: pat.text, first: placeText(clash.codeWhere) }, c.codeWhere),
      );
      continue;
    }
    prior.push(c);
    bySegCode.set(dupKey, prior);
    const entry: { -readonly [K in keyof CodeEntry]: CodeEntry[K] } = {
      code: pat.text,
      description: c.description,
    };
    if (pat.kind !== 'code') entry.kind = pat.kind;
    if (!c.active) entry.active = false;
    if (c.fromFY !== undefined) entry.fromFY = c.fromFY;
    if (c.toFY !== undefined) entry.toFY = c.toFY;
    (codes[seg.key] ??= []).push(entry);
  }
  return codes;
}

/** One rule row: its when / then conditions read and checked against the segments, or undefined. */
function buildRule(r: RawRule, segments: readonly SegmentDef[], diagnostics: Diagnostic[]): Rule | undefined {
  const known = segments.map((s) => s.key);
  const severity = readSeverity(r.severity);
  if (!severity) {
    diagnostics.push(
      diag(
        'BL309',
        { ruleId: r.id, problem: `severity "${r.severity}" is not fatal, warning or off` },
        r.where,
      ),
    );
    return undefined;
  }
  const then = readCondition(r.then);
  const when = r.when === undefined || r.when === '' ? undefined : readCondition(r.when);
  let bad = false;
  for (const [label, c] of [
    ['then', then],
    ['when', when],
  ] as const) {
    if (!c) continue;
    if ('error' in c) {
      diagnostics.push(diag('BL309', { ruleId: r.id, problem: `${label}: ${c.error}` }, r.where));
      bad = true;
      continue;
    }
    const compiled = compileCondition(c.condition, segments);
    if ('problems' in compiled) {
      bad = true;
      for (const p of compiled.problems) {
        if (p.segment !== undefined)
          diagnostics.push(diag('BL303', { ruleId: r.id, segment: p.segment, known }, r.where));
        else diagnostics.push(diag('BL309', { ruleId: r.id, problem: p.problem }, r.where));
      }
    }
  }
  if (bad || !('condition' in then) || (when && !('condition' in when))) return undefined;
  const rule: { -readonly [K in keyof Rule]: Rule[K] } = {
    id: r.id,
    severity,
    then: then.condition,
    message: r.message,
  };
  if (when && 'condition' in when) rule.when = when.condition;
  if (r.fromFY !== undefined) rule.fromFY = r.fromFY;
  if (r.toFY !== undefined) rule.toFY = r.toFY;
  return rule;
}

function buildRules(raw: RawChart, segments: readonly SegmentDef[], diagnostics: Diagnostic[]): Rule[] {
  const rules: Rule[] = [];
  const ruleIds = new Set<string>();
  for (const r of raw.rules) {
    if (!r.id) {
      diagnostics.push(diag('BL309', { ruleId: '(no id)', problem: 'every rule needs an ID' }, r.where));
      continue;
    }
    if (ruleIds.has(r.id)) {
      diagnostics.push(diag('BL309', { ruleId: r.id, problem: 'two rules have this ID' }, r.where));
      continue;
    }
    ruleIds.add(r.id);
    const rule = buildRule(r, segments, diagnostics);
    if (rule) rules.push(rule);
  }
  return rules;
}

function buildCombinations(
  raw: RawChart,
  segments: readonly SegmentDef[],
  diagnostics: Diagnostic[],
): CombinationTable[] {
  const known = segments.map((s) => s.key);
  const combinations: CombinationTable[] = [];
  for (const t of raw.combinations) {
    const severity = readSeverity(t.severity);
    if (!severity) {
      diagnostics.push(
        diag(
          'BL309',
          { ruleId: t.id, problem: `severity "${t.severity}" is not fatal, warning or off` },
          t.where,
        ),
      );
      continue;
    }
    const ai = resolveSegment(segments, t.a);
    const bi = resolveSegment(segments, t.b);
    if (ai < 0) diagnostics.push(diag('BL303', { ruleId: t.id, segment: t.a, known }, t.where));
    if (bi < 0) diagnostics.push(diag('BL303', { ruleId: t.id, segment: t.b, known }, t.where));
    if (ai < 0 || bi < 0) continue;
    const sa = segments[ai] as SegmentDef;
    const sb = segments[bi] as SegmentDef;
    let bad = false;
    for (const [pa, pb] of t.allowed) {
      for (const [s, p] of [
        [sa, pa],
        [sb, pb],
      ] as const) {
        const r = parsePattern(p, s.length, s.chars);
        if ('error' in r) {
          bad = true;
          diagnostics.push(diag('BL308', { segment: s.name, pattern: p, problem: r.error }, t.where));
        }
      }
    }
    if (bad) continue;
    combinations.push({ id: t.id, severity, a: sa.key, b: sb.key, allowed: t.allowed, message: t.message });
  }
  return combinations;
}

/** The Classes rows: a class, a segment (or the revenue-source list) and code patterns of it. */
function buildClasses(raw: RawChart, segments: readonly SegmentDef[], diagnostics: Diagnostic[]): ClassRow[] {
  const known = [...segments.map((s) => s.key), REVENUE_SOURCE_KEY];
  const rows: ClassRow[] = [];
  for (const r of raw.classes ?? []) {
    const cls = readAccountClass(r.class);
    if (!cls) {
      diagnostics.push(
        diag(
          'BL310',
          {
            problem: `class "${r.class}" is not one of ${ACCOUNT_CLASSES.map((c) => CLASS_LABELS[c]).join(', ')}`,
          },
          r.where,
        ),
      );
      continue;
    }
    const seg = classSegment(segments, r.segment);
    if (!seg) {
      diagnostics.push(diag('BL304', { segment: r.segment, known }, r.where));
      continue;
    }
    const codes = splitCodeList(r.codes);
    if (codes.length === 0) {
      diagnostics.push(diag('BL310', { problem: `the ${CLASS_LABELS[cls]} row lists no codes` }, r.where));
      continue;
    }
    let bad = false;
    for (const code of codes) {
      const p = parsePattern(code, seg.length, seg.chars);
      if ('error' in p) {
        bad = true;
        diagnostics.push(diag('BL308', { segment: seg.name, pattern: code, problem: p.error }, r.where));
      }
    }
    if (bad) continue;
    const row: { -readonly [K in keyof ClassRow]: ClassRow[K] } = { class: cls, segment: seg.key, codes };
    if (r.description) row.description = r.description;
    rows.push(row);
  }
  return rows;
}

/** The Explanations rows: each names a rule or combination grid of the chart. */
function buildExplanations(
  raw: RawChart,
  ids: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): Explanation[] {
  const out: Explanation[] = [];
  for (const e of raw.explanations ?? []) {
    if (!ids.has(e.ruleId)) {
      diagnostics.push(
        diag(
          'BL309',
          { ruleId: e.ruleId || '(no id)', problem: 'the explanation names no rule of the chart' },
          e.where,
        ),
      );
      continue;
    }
    if (!e.explanation) {
      diagnostics.push(
        diag(
          'BL309',
          { ruleId: e.ruleId, problem: 'an exception is kept only with a written explanation' },
          e.where,
        ),
      );
      continue;
    }
    out.push({ ruleId: e.ruleId, target: e.target || '*', explanation: e.explanation });
  }
  return out;
}

/** Checks every part of a raw chart; the chart when nothing fatal was found. */
function build(raw: RawChart, diagnostics: Diagnostic[]): Chart | undefined {
  const start = diagnostics.length;
  const segments = buildSegments(raw, diagnostics);
  const allCodes = buildCodes(raw, segments, diagnostics);
  const { [REVENUE_SOURCE_KEY]: revenueSources, ...codes } = allCodes;
  const rules = buildRules(raw, segments, diagnostics);
  const combinations = buildCombinations(raw, segments, diagnostics);
  const classes = buildClasses(raw, segments, diagnostics);
  const explanations = buildExplanations(
    raw,
    new Set([...raw.rules.map((r) => r.id), ...raw.combinations.map((c) => c.id)]),
    diagnostics,
  );
  for (const h of raw.hierarchical ?? []) {
    if (resolveSegment(segments, h) < 0)
      diagnostics.push(diag('BL310', { problem: `hierarchical names the unknown segment "${h}"` }));
  }
  if (diagnostics.slice(start).some((d) => d.severity === 'fatal')) return undefined;
  const chart: { -readonly [K in keyof Chart]: Chart[K] } = {
    id: raw.id,
    name: raw.name,
    delimiter: raw.delimiter,
    segments,
    codes,
    rules,
    combinations,
  };
  if (raw.defaultFiscalYear !== undefined) chart.defaultFiscalYear = raw.defaultFiscalYear;
  if (raw.hierarchical)
    chart.hierarchical = raw.hierarchical.map(
      (h) => (segments[resolveSegment(segments, h)] as SegmentDef).key,
    );
  if (raw.source !== undefined) chart.source = raw.source;
  if (classes.length) chart.classes = classes;
  if (revenueSources?.length) chart.revenueSources = revenueSources;
  if (explanations.length) chart.explanations = explanations;
  return chart;
}

/** A rule's severity as typed: fatal (error), warning (warn), or off (none, disabled). */
function readSeverity(s: string): RuleSeverity | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'fatal' || t === 'error') return 'fatal';
  if (t === 'warning' || t === 'warn') return 'warning';
  if (t === 'off' || t === 'none' || t === 'disabled' || t === 'ignore') return 'off';
  return undefined;
}

export function charsOk(code: string, chars: CharSet): boolean {
  if (chars === 'digits') return /^[0-9]+$/.test(code);
  if (chars === 'letters') return /^[A-Za-z]+$/.test(code);
  return /^[0-9A-Za-z]+$/.test(code);
}

export function charsText(chars: CharSet): string {
  return chars === 'digits'
    ? 'digits 0-9'
    : chars === 'letters'
      ? 'letters A-Z'
      : 'letters A-Z and digits 0-9';
}

// ---------------------------------------------------------------------------------------------
// JSON

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const fy = (v: unknown): FiscalYear | undefined =>
  v === undefined || v === null ? undefined : parseFiscalYear(v as CellValue);

/** Reads a chart in the JSON format of core/presets (see docs/charts.md). */
export function loadChartFromJson(json: unknown): ChartLoad {
  const diagnostics: Diagnostic[] = [];
  const problem = (p: string): ChartLoad => ({
    diagnostics: [...diagnostics, diag('BL310', { problem: p })],
  });
  if (!isObj(json)) return problem('expected a JSON object');
  const id = str(json.id);
  const name = str(json.name) ?? id;
  if (!id || !name) return problem('the chart needs an "id" and a "name"');
  const delimiter = json.delimiter === null || json.delimiter === undefined ? null : str(json.delimiter);
  if (delimiter === undefined) return problem('"delimiter" must be a string or null');
  if (!Array.isArray(json.segments)) return problem('"segments" must be a list');

  const segments: { def: SegmentDef; where: Where }[] = [];
  json.segments.forEach((s, i) => {
    if (!isObj(s)) {
      diagnostics.push(diag('BL305', { problem: `segment ${i + 1} is not an object` }));
      return;
    }
    const nm = str(s.name) ?? str(s.key) ?? '';
    const chars = readCharSet(str(s.chars) ?? 'digits');
    if (!chars)
      diagnostics.push(diag('BL305', { problem: `${nm}: characters "${String(s.chars)}" not understood` }));
    const def: { -readonly [K in keyof SegmentDef]: SegmentDef[K] } = {
      key: str(s.key) ?? segmentKeyOf(nm),
      name: nm,
      length: typeof s.length === 'number' ? s.length : NaN,
      chars: chars ?? 'alnum',
    };
    if (Array.isArray(s.synonyms))
      def.synonyms = s.synonyms.filter((x): x is string => typeof x === 'string');
    if (s.role === 'fiscalYear') def.role = 'fiscalYear';
    else if (s.role !== undefined)
      diagnostics.push(diag('BL305', { problem: `${nm}: role "${String(s.role)}" not understood` }));
    if (str(s.description)) def.description = s.description as string;
    segments.push({ def, where: {} });
  });

  const codes: RawCode[] = [];
  const codeMap = isObj(json.codes) ? json.codes : {};
  for (const [segment, list] of Object.entries(codeMap)) {
    if (!Array.isArray(list)) {
      diagnostics.push(diag('BL310', { problem: `codes of ${segment} must be a list` }));
      continue;
    }
    for (const item of list) {
      if (Array.isArray(item) && typeof item[0] === 'string') {
        codes.push({
          segment,
          code: item[0],
          description: str(item[1]) ?? '',
          active: true,
          where: {},
          codeWhere: {},
        });
      } else if (isObj(item) && typeof item.code === 'string') {
        const kind =
          item.kind === 'range' || item.kind === 'mask' || item.kind === 'code' ? item.kind : undefined;
        const c: { -readonly [K in keyof RawCode]: RawCode[K] } = {
          segment,
          code: item.code,
          description: str(item.description) ?? '',
          active: item.active !== false,
          where: {},
          codeWhere: {},
        };
        if (kind) c.kind = kind;
        const f = fy(item.fromFY);
        const t = fy(item.toFY);
        if (item.fromFY !== undefined && f === undefined)
          diagnostics.push(
            diag('BL307', { value: String(item.fromFY), column: `fromFY of ${segment} ${item.code}` }),
          );
        if (item.toFY !== undefined && t === undefined)
          diagnostics.push(
            diag('BL307', { value: String(item.toFY), column: `toFY of ${segment} ${item.code}` }),
          );
        if (f !== undefined) c.fromFY = f;
        if (t !== undefined) c.toFY = t;
        codes.push(c);
      } else
        diagnostics.push(
          diag('BL310', { problem: `a code of ${segment} is neither [code, description] nor {code, ...}` }),
        );
    }
  }

  const rules: RawRule[] = [];
  for (const r of Array.isArray(json.rules) ? json.rules : []) {
    if (!isObj(r)) continue;
    const rr: { -readonly [K in keyof RawRule]: RawRule[K] } = {
      id: str(r.id) ?? '',
      severity: str(r.severity) ?? 'fatal',
      then: r.then,
      message: str(r.message) ?? '',
      where: {},
    };
    if (r.when !== undefined) rr.when = r.when;
    const f = fy(r.fromFY);
    const t = fy(r.toFY);
    if (f !== undefined) rr.fromFY = f;
    if (t !== undefined) rr.toFY = t;
    rules.push(rr);
  }

  const combinations: RawCombination[] = [];
  for (const c of Array.isArray(json.combinations) ? json.combinations : []) {
    if (!isObj(c) || !Array.isArray(c.allowed)) {
      diagnostics.push(diag('BL310', { problem: 'a combination table needs id, a, b and allowed pairs' }));
      continue;
    }
    const allowed = c.allowed.filter(
      (p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string',
    );
    combinations.push({
      id: str(c.id) ?? '',
      severity: str(c.severity) ?? 'fatal',
      a: str(c.a) ?? '',
      b: str(c.b) ?? '',
      allowed,
      message: str(c.message) ?? '',
      where: {},
    });
  }

  const raw: { -readonly [K in keyof RawChart]: RawChart[K] } = {
    id,
    name,
    delimiter,
    segments,
    codes,
    rules,
    combinations,
    classes: classesFromJson(json.classes),
    explanations: explanationsFromJson(json.explanations),
  };
  const dfy = fy(json.defaultFiscalYear);
  if (dfy !== undefined) raw.defaultFiscalYear = dfy;
  if (Array.isArray(json.hierarchical))
    raw.hierarchical = json.hierarchical.filter((x): x is string => typeof x === 'string');
  if (str(json.source)) raw.source = json.source as string;
  const chart = build(raw, diagnostics);
  return chart ? { chart, diagnostics } : { diagnostics };
}

/** `"classes": [{ "class": "Revenue", "segment": "object", "codes": "8010-8799" }, ...]` (codes may be a list). */
function classesFromJson(v: unknown): RawClass[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((c) => ({
    class: str(c.class) ?? '',
    segment: str(c.segment) ?? '',
    codes: Array.isArray(c.codes)
      ? c.codes.filter((x) => typeof x === 'string').join(', ')
      : (str(c.codes) ?? ''),
    description: str(c.description) ?? '',
    where: {},
  }));
}

/** `"explanations": [{ "rule": "CHK-FUNCTIONxOBJECT", "target": "...", "explanation": "..." }]`. */
function explanationsFromJson(v: unknown): RawExplanation[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((e) => ({
    ruleId: str(e.rule) ?? str(e.ruleId) ?? '',
    target: str(e.target) ?? '*',
    explanation: str(e.explanation) ?? '',
    where: {},
  }));
}

/** A code entry in the JSON form: `[code, description]` when it has nothing else. */
function codeToJson(c: CodeEntry): Json | [string, string] {
  return c.kind || c.active === false || c.fromFY !== undefined || c.toFY !== undefined
    ? { ...c }
    : [c.code, c.description];
}

/** The JSON form of a chart (what loadChartFromJson reads), with rules written as text. */
export function chartToJson(chart: Chart): Json {
  const out: Json = { id: chart.id, name: chart.name, delimiter: chart.delimiter };
  if (chart.source !== undefined) out.source = chart.source;
  if (chart.defaultFiscalYear !== undefined) out.defaultFiscalYear = chart.defaultFiscalYear;
  out.segments = chart.segments.map((s) => ({ ...s }));
  const codes: Json = {};
  for (const [k, list] of Object.entries(chart.codes)) codes[k] = list.map(codeToJson);
  if (chart.revenueSources) codes[REVENUE_SOURCE_KEY] = chart.revenueSources.map(codeToJson);
  out.codes = codes;
  out.rules = chart.rules.map((r) => ({
    id: r.id,
    severity: r.severity,
    ...(r.when ? { when: conditionToText(r.when) } : {}),
    then: conditionToText(r.then),
    message: r.message,
    ...(r.fromFY !== undefined ? { fromFY: r.fromFY } : {}),
    ...(r.toFY !== undefined ? { toFY: r.toFY } : {}),
  }));
  out.combinations = chart.combinations.map((c) => ({ ...c, allowed: c.allowed.map((p) => [...p]) }));
  if (chart.hierarchical) out.hierarchical = [...chart.hierarchical];
  if (chart.classes)
    out.classes = chart.classes.map((c) => ({
      class: CLASS_LABELS[c.class],
      segment: c.segment,
      codes: c.codes.join(', '),
      ...(c.description ? { description: c.description } : {}),
    }));
  if (chart.explanations)
    out.explanations = chart.explanations.map((e) => ({
      rule: e.ruleId,
      target: e.target,
      explanation: e.explanation,
    }));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet tables

export interface ChartTables {
  readonly segments: Grid;
  readonly codes: Grid;
  readonly rules?: Grid;
  readonly combinations?: Grid;
  /** Class | Segment | Codes | Description: which codes are revenue, expenditure, ... */
  readonly classes?: Grid;
  /** Rule | Account | Explanation: exceptions kept with a reason. */
  readonly explanations?: Grid;
}

/** Default sheet names of the chart's tables. */
export const CHART_SHEETS: Readonly<Record<keyof ChartTables, string>> = {
  segments: 'Segments',
  codes: 'Codes',
  rules: 'Rules',
  combinations: 'Combinations',
  classes: 'Classes',
  explanations: 'Explanations',
};

export interface ChartTableOptions {
  readonly id: string;
  readonly name: string;
  readonly delimiter: string | null;
  readonly defaultFiscalYear?: FiscalYear;
  readonly hierarchical?: readonly string[];
  /** Sheet names for locating findings; default "Segments", "Codes", "Rules", "Combinations". */
  readonly sheets?: Partial<Record<keyof ChartTables, string>>;
}

const SEGMENT_COLUMNS = {
  key: { header: 'Key' },
  name: { header: 'Name', synonyms: ['Segment', 'Segment Name'], required: true },
  length: { header: 'Length', synonyms: ['Len', 'Width', 'Digits'], required: true },
  chars: { header: 'Characters', synonyms: ['Chars', 'Allowed Characters', 'Type'] },
  synonyms: { header: 'Synonyms', synonyms: ['Also Called', 'Aliases'] },
  role: { header: 'Role' },
  description: { header: 'Description' },
} as const;

const CODE_COLUMNS = {
  segment: { header: 'Segment', required: true },
  code: { header: 'Code', synonyms: ['Value', 'Codes'], required: true },
  description: { header: 'Description', synonyms: ['Title', 'Name'] },
  active: { header: 'Active', synonyms: ['Enabled', 'Status'] },
  fromFY: { header: 'From FY', synonyms: ['Valid From', 'From', 'Start FY', 'First FY'] },
  toFY: { header: 'To FY', synonyms: ['Valid To', 'To', 'End FY', 'Last FY', 'Retired After'] },
} as const;

const RULE_COLUMNS = {
  id: { header: 'ID', synonyms: ['Rule', 'Rule ID'], required: true },
  severity: { header: 'Severity', synonyms: ['Level'] },
  when: { header: 'When', synonyms: ['If', 'Condition'] },
  then: { header: 'Then', synonyms: ['Must', 'Require', 'Requirement'], required: true },
  message: { header: 'Message', synonyms: ['Description', 'Text'] },
  fromFY: CODE_COLUMNS.fromFY,
  toFY: CODE_COLUMNS.toFY,
} as const;

const CLASS_COLUMNS = {
  class: { header: 'Class', synonyms: ['Account Class', 'Type'], required: true },
  segment: { header: 'Segment', synonyms: ['List'], required: true },
  codes: { header: 'Codes', synonyms: ['Code', 'Code Range', 'Codes or Ranges'], required: true },
  description: { header: 'Description', synonyms: ['Note', 'Title'] },
} as const;

const EXPLANATION_COLUMNS = {
  rule: { header: 'Rule', synonyms: ['Rule ID', 'ID', 'Check'], required: true },
  target: { header: 'Account', synonyms: ['Account or Cell', 'Cell', 'Applies To', 'Target'] },
  explanation: { header: 'Explanation', synonyms: ['Reason', 'Why'], required: true },
} as const;

const COMBINATION_COLUMNS = {
  id: { header: 'ID', synonyms: ['Rule', 'Table', 'Rule ID'], required: true },
  severity: { header: 'Severity', synonyms: ['Level'] },
  segmentA: { header: 'Segment A', required: true },
  codeA: { header: 'Code A', required: true },
  segmentB: { header: 'Segment B', required: true },
  codeB: { header: 'Code B', required: true },
  message: { header: 'Message', synonyms: ['Description', 'Text'] },
} as const;

function readActive(v: CellValue): boolean | undefined {
  if (isBlank(v)) return true;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  const t = cellText(v).trim().toLowerCase();
  if (['yes', 'y', 'true', 'active', 'x', '1'].includes(t)) return true;
  if (['no', 'n', 'false', 'inactive', '0'].includes(t)) return false;
  return undefined;
}

/** The From FY / To FY cells of a table row: the years read, and a BL307 for each that is not a year. */
function readYears(
  row: readonly CellValue[],
  columns: { readonly fromFY: number; readonly toFY: number },
  at: (column: number) => Where,
  diagnostics: Diagnostic[],
): { fromFY?: FiscalYear; toFY?: FiscalYear } {
  const out: { fromFY?: FiscalYear; toFY?: FiscalYear } = {};
  for (const k of ['fromFY', 'toFY'] as const) {
    const col = columns[k];
    if (col < 0 || isBlank(row[col])) continue;
    const y = parseFiscalYear(row[col]);
    if (y === undefined)
      diagnostics.push(
        diag('BL307', { value: cellText(row[col]).trim(), column: CODE_COLUMNS[k].header }, at(col)),
      );
    else out[k] = y;
  }
  return out;
}

const cellString = (v: CellValue): string => cellText(v).trim();

/** The Segments table's rows. */
function readSegmentTable(
  grid: Grid,
  sheet: string,
  diagnostics: Diagnostic[],
): { def: SegmentDef; where: Where }[] | undefined {
  const text = cellString;
  const segCols = findColumns(grid[0] ?? [], SEGMENT_COLUMNS, 'Segments', sheet);
  diagnostics.push(...segCols.diagnostics);
  if (segCols.diagnostics.length) return undefined;
  const sc = segCols.columns;
  const segments: { def: SegmentDef; where: Where }[] = [];
  for (const { row, index } of dataRows(grid)) {
    const where = { sheet, cell: cellAt(index, sc.name) };
    const name = text(row[sc.name]);
    const lenCell = row[sc.length];
    const length = typeof lenCell === 'number' ? lenCell : Number(text(lenCell));
    const charsText = sc.chars >= 0 && !isBlank(row[sc.chars]) ? text(row[sc.chars]) : 'digits';
    const chars = readCharSet(charsText);
    if (!chars)
      diagnostics.push(
        diag(
          'BL305',
          { problem: `${name}: characters "${charsText}" not understood` },
          { sheet, cell: cellAt(index, sc.chars) },
        ),
      );
    const def: { -readonly [K in keyof SegmentDef]: SegmentDef[K] } = {
      key: sc.key >= 0 && !isBlank(row[sc.key]) ? text(row[sc.key]) : segmentKeyOf(name),
      name,
      length,
      chars: chars ?? 'alnum',
    };
    if (sc.synonyms >= 0 && !isBlank(row[sc.synonyms]))
      def.synonyms = text(row[sc.synonyms])
        .split(/[,;]/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (sc.role >= 0 && !isBlank(row[sc.role])) {
      const role = text(row[sc.role])
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      if (role === 'fiscalyear') def.role = 'fiscalYear';
      else
        diagnostics.push(
          diag(
            'BL305',
            { problem: `${name}: role "${text(row[sc.role])}" not understood (only "fiscal year")` },
            { sheet, cell: cellAt(index, sc.role) },
          ),
        );
    }
    if (sc.description >= 0 && !isBlank(row[sc.description])) def.description = text(row[sc.description]);
    segments.push({ def, where });
  }
  return segments;
}

/** The Codes table's rows; numeric codes that lost their leading zeros are restored with BL006. */
function readCodeTable(
  grid: Grid,
  sheet: string,
  segments: readonly SegmentDef[],
  diagnostics: Diagnostic[],
): RawCode[] {
  const text = cellString;
  const codeCols = findColumns(grid[0] ?? [], CODE_COLUMNS, 'Codes', sheet);
  diagnostics.push(...codeCols.diagnostics);
  if (codeCols.diagnostics.length) return [];
  const cc = codeCols.columns;
  const codes: RawCode[] = [];
  for (const { row, index } of dataRows(grid)) {
    const at = (col: number): Where => ({ sheet, cell: cellAt(index, col) });
    const segment = text(row[cc.segment]);
    const codeCell = row[cc.code];
    let code = text(codeCell);
    const seg = segments[resolveSegment(segments, segment)];
    if (
      typeof codeCell === 'number' &&
      seg &&
      seg.chars !== 'letters' &&
      Number.isInteger(codeCell) &&
      code.length < seg.length
    ) {
      const restored = code.padStart(seg.length, '0');
      diagnostics.push(diag('BL006', { segment: seg.name, from: code, to: restored }, at(cc.code)));
      code = restored;
    }
    const active = cc.active >= 0 ? readActive(row[cc.active]) : true;
    if (active === undefined)
      diagnostics.push(
        diag('BL310', { problem: `Active must be Yes or No, not "${text(row[cc.active])}"` }, at(cc.active)),
      );
    const c: { -readonly [K in keyof RawCode]: RawCode[K] } = {
      segment,
      code,
      description: cc.description >= 0 ? text(row[cc.description]) : '',
      active: active ?? true,
      where: at(cc.segment),
      codeWhere: at(cc.code),
    };
    Object.assign(c, readYears(row, cc, at, diagnostics));
    codes.push(c);
  }
  return codes;
}

/** The Rules table's rows (severity fatal when blank). */
function readRuleTable(grid: Grid | undefined, sheet: string, diagnostics: Diagnostic[]): RawRule[] {
  if (!grid || !grid.length) return [];
  const text = cellString;
  const rc = findColumns(grid[0] ?? [], RULE_COLUMNS, 'Rules', sheet);
  diagnostics.push(...rc.diagnostics);
  if (rc.diagnostics.length) return [];
  const col = rc.columns;
  const rules: RawRule[] = [];
  for (const { row, index } of dataRows(grid)) {
    const r: { -readonly [K in keyof RawRule]: RawRule[K] } = {
      id: text(row[col.id]),
      severity: col.severity >= 0 && !isBlank(row[col.severity]) ? text(row[col.severity]) : 'fatal',
      then: text(row[col.then]),
      message: col.message >= 0 ? text(row[col.message]) : '',
      where: { sheet, cell: cellAt(index, col.id) },
    };
    if (col.when >= 0 && !isBlank(row[col.when])) r.when = text(row[col.when]);
    Object.assign(
      r,
      readYears(row, col, (c) => ({ sheet, cell: cellAt(index, c) }), diagnostics),
    );
    rules.push(r);
  }
  return rules;
}

/** The Combinations table: rows grouped by ID into one grid each. */
function readCombinationTable(
  grid: Grid | undefined,
  sheet: string,
  diagnostics: Diagnostic[],
): RawCombination[] {
  if (!grid || !grid.length) return [];
  const text = cellString;
  const cc2 = findColumns(grid[0] ?? [], COMBINATION_COLUMNS, 'Combinations', sheet);
  diagnostics.push(...cc2.diagnostics);
  if (cc2.diagnostics.length) return [];
  const col = cc2.columns;
  const groups = new Map<
    string,
    { -readonly [K in keyof RawCombination]: RawCombination[K] } & { allowed: [string, string][] }
  >();
  for (const { row, index } of dataRows(grid)) {
    const id = text(row[col.id]);
    let g = groups.get(id);
    if (!g) {
      g = {
        id,
        severity: 'fatal',
        a: text(row[col.segmentA]),
        b: text(row[col.segmentB]),
        allowed: [],
        message: '',
        where: { sheet, cell: cellAt(index, col.id) },
      };
      groups.set(id, g);
    }
    if (col.severity >= 0 && !isBlank(row[col.severity])) g.severity = text(row[col.severity]);
    if (col.message >= 0 && !isBlank(row[col.message])) g.message = text(row[col.message]);
    g.allowed.push([text(row[col.codeA]), text(row[col.codeB])]);
  }
  return [...groups.values()];
}

/** The Classes table's rows. */
function readClassTable(grid: Grid | undefined, sheet: string, diagnostics: Diagnostic[]): RawClass[] {
  if (!grid || !grid.length) return [];
  const found = findColumns(grid[0] ?? [], CLASS_COLUMNS, 'Classes', sheet);
  diagnostics.push(...found.diagnostics);
  if (found.diagnostics.length) return [];
  const col = found.columns;
  return dataRows(grid).map(({ row, index }) => ({
    class: cellString(row[col.class]),
    segment: cellString(row[col.segment]),
    codes: cellString(row[col.codes]),
    description: col.description >= 0 ? cellString(row[col.description]) : '',
    where: { sheet, cell: cellAt(index, col.class) },
  }));
}

/** The Explanations table's rows (a blank Account means every account). */
function readExplanationTable(
  grid: Grid | undefined,
  sheet: string,
  diagnostics: Diagnostic[],
): RawExplanation[] {
  if (!grid || !grid.length) return [];
  const found = findColumns(grid[0] ?? [], EXPLANATION_COLUMNS, 'Explanations', sheet);
  diagnostics.push(...found.diagnostics);
  if (found.diagnostics.length) return [];
  const col = found.columns;
  return dataRows(grid).map(({ row, index }) => ({
    ruleId: cellString(row[col.rule]),
    target: (col.target >= 0 ? cellString(row[col.target]) : '') || '*',
    explanation: cellString(row[col.explanation]),
    where: { sheet, cell: cellAt(index, col.rule) },
  }));
}

/**
 * Reads a chart from a workbook's tables. Numbers in the Code column that lost their leading zeros
 * (the column was not formatted as Text) are restored, with a warning.
 */
export function loadChartFromTables(tables: ChartTables, options: ChartTableOptions): ChartLoad {
  const diagnostics: Diagnostic[] = [];
  const sheetOf = (k: keyof ChartTables): string => options.sheets?.[k] ?? CHART_SHEETS[k];
  const segments = readSegmentTable(tables.segments, sheetOf('segments'), diagnostics);
  if (!segments) return { diagnostics };
  const codes = readCodeTable(
    tables.codes,
    sheetOf('codes'),
    segments.map((s) => s.def),
    diagnostics,
  );
  const rules = readRuleTable(tables.rules, sheetOf('rules'), diagnostics);
  const combinations = readCombinationTable(tables.combinations, sheetOf('combinations'), diagnostics);
  const raw: { -readonly [K in keyof RawChart]: RawChart[K] } = {
    id: options.id,
    name: options.name,
    delimiter: options.delimiter,
    segments,
    codes,
    rules,
    combinations,
    classes: readClassTable(tables.classes, sheetOf('classes'), diagnostics),
    explanations: readExplanationTable(tables.explanations, sheetOf('explanations'), diagnostics),
  };
  if (diagnostics.some((d) => d.severity === 'fatal')) {
    // Still check what can be checked, so the district sees every problem at once.
    build(raw, diagnostics);
    return { diagnostics };
  }
  if (options.defaultFiscalYear !== undefined) raw.defaultFiscalYear = options.defaultFiscalYear;
  if (options.hierarchical) raw.hierarchical = options.hierarchical;
  const chart = build(raw, diagnostics);
  return chart ? { chart, diagnostics } : { diagnostics };
}

/**
 * The chart as the Segments / Codes / Rules / Combinations / Classes / Explanations tables of a
 * workbook (header row first). The revenue-source list (NCES) is written as Codes rows of the
 * segment "revenueSource".
 */
export function chartToTables(chart: Chart): {
  segments: CellValue[][];
  codes: CellValue[][];
  rules: CellValue[][];
  combinations: CellValue[][];
  classes: CellValue[][];
  explanations: CellValue[][];
} {
  const segments: CellValue[][] = [
    ['Key', 'Name', 'Length', 'Characters', 'Synonyms', 'Role', 'Description'],
  ];
  for (const s of chart.segments)
    segments.push([
      s.key,
      s.name,
      s.length,
      s.chars,
      (s.synonyms ?? []).join(', '),
      s.role === 'fiscalYear' ? 'fiscal year' : '',
      s.description ?? '',
    ]);
  const codes: CellValue[][] = [['Segment', 'Code', 'Description', 'Active', 'From FY', 'To FY']];
  const lists: [string, readonly CodeEntry[]][] = [
    ...chart.segments.map((s): [string, readonly CodeEntry[]] => [s.key, chart.codes[s.key] ?? []]),
    [REVENUE_SOURCE_KEY, chart.revenueSources ?? []],
  ];
  for (const [key, list] of lists)
    for (const c of list)
      codes.push([
        key,
        c.code,
        c.description,
        c.active === false ? 'No' : 'Yes',
        c.fromFY ?? '',
        c.toFY ?? '',
      ]);
  const rules: CellValue[][] = [['ID', 'Severity', 'When', 'Then', 'Message', 'From FY', 'To FY']];
  for (const r of chart.rules)
    rules.push([
      r.id,
      r.severity,
      r.when ? conditionToText(r.when) : '',
      conditionToText(r.then),
      r.message,
      r.fromFY ?? '',
      r.toFY ?? '',
    ]);
  const combinations: CellValue[][] = [
    ['ID', 'Severity', 'Segment A', 'Code A', 'Segment B', 'Code B', 'Message'],
  ];
  for (const t of chart.combinations)
    t.allowed.forEach(([a, b], i) =>
      combinations.push([t.id, i === 0 ? t.severity : '', t.a, a, t.b, b, i === 0 ? t.message : '']),
    );
  const classes: CellValue[][] = [['Class', 'Segment', 'Codes', 'Description']];
  for (const c of chart.classes ?? [])
    classes.push([CLASS_LABELS[c.class], c.segment, c.codes.join(', '), c.description ?? '']);
  const explanations: CellValue[][] = [['Rule', 'Account', 'Explanation']];
  for (const e of chart.explanations ?? []) explanations.push([e.ruleId, e.target, e.explanation]);
  return { segments, codes, rules, combinations, classes, explanations };
}

export type { Condition };
