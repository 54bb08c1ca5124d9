/**
 * Cross-segment conditions as data, with a text form a district can read and edit in its Rules table:
 *
 *   object in 6100-6699 and function != 00
 *   fund = 599
 *   object in [5XXX, 64XX, 65XX, 791X, 7949, 7989, 891X, 8949, 8989]
 *   not (organization in [000, 709-719, 726-749, 800-997])
 *
 * Segment names are the chart's segment keys or names (case and spaces ignored). Values are exact
 * codes, ranges (low-high) or masks (5XXX), as in the code lists.
 */
import { parsePattern, tester, type Tester } from './patterns';
import type { Condition, SegmentDef } from './types';

type Token = { readonly t: string; readonly at: number };

const TOKEN = /\s*(!=|<>|==|=|\(|\)|\[|\]|,|[A-Za-z0-9?_]+(?:\s*(?:-|–|\.\.)\s*[A-Za-z0-9?_]+)?)/y;

function tokenize(src: string): Token[] | string {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) {
      const at = pos + (src.slice(pos).length - src.slice(pos).trimStart().length);
      return `unexpected ${JSON.stringify(src[at])} at character ${at + 1}`;
    }
    out.push({ t: m[1] as string, at: pos + m[0].length - (m[1] as string).length });
    pos = TOKEN.lastIndex;
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in']);

/** Parses the text form. Returns the condition, or a message saying what is wrong and where. */
export function parseCondition(src: string): { condition: Condition } | { error: string } {
  const tokens = tokenize(src);
  if (typeof tokens === 'string') return { error: tokens };
  if (tokens.length === 0) return { error: 'the condition is empty' };
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.t;
  const peekLower = (): string | undefined => peek()?.toLowerCase();
  const fail = (what: string): never => {
    const tok = tokens[i];
    throw new SyntaxError(
      tok ? `${what}, found ${JSON.stringify(tok.t)} at character ${tok.at + 1}` : `${what} at the end`,
    );
  };
  const value = (): string => {
    const t = peek();
    if (t === undefined || /^[()[\],=<>!]/.test(t) || KEYWORDS.has(t.toLowerCase())) fail('expected a code');
    i++;
    return t as string;
  };
  const list = (): string[] => {
    if (peek() !== '[') return [value()];
    i++;
    const vs = [value()];
    while (peek() === ',') {
      i++;
      vs.push(value());
    }
    if (peek() !== ']') fail('expected "]"');
    i++;
    return vs;
  };
  const test = (): Condition => {
    const seg = peek();
    if (seg === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) || KEYWORDS.has(seg.toLowerCase()))
      fail('expected a segment name');
    i++;
    const op = peekLower();
    if (op === '=' || op === '==' || op === '!=' || op === '<>') {
      i++;
      const v = value();
      return { seg: seg as string, op: op === '=' || op === '==' ? 'eq' : 'ne', value: v };
    }
    if (op === 'in') {
      i++;
      return { seg: seg as string, op: 'in', values: list() };
    }
    if (op === 'not' && tokens[i + 1]?.t.toLowerCase() === 'in') {
      i += 2;
      return { seg: seg as string, op: 'notIn', values: list() };
    }
    return fail('expected =, !=, in or not in');
  };
  const unary = (): Condition => {
    const t = peekLower();
    if (t === 'not') {
      i++;
      return { not: unary() };
    }
    if (t === '(') {
      i++;
      const c = or();
      if (peek() !== ')') fail('expected ")"');
      i++;
      return c;
    }
    return test();
  };
  const and = (): Condition => {
    const parts = [unary()];
    while (peekLower() === 'and') {
      i++;
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { and: parts };
  };
  const or = (): Condition => {
    const parts = [and()];
    while (peekLower() === 'or') {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as Condition) : { or: parts };
  };
  try {
    const c = or();
    if (i < tokens.length) fail('expected "and", "or" or the end');
    return { condition: c };
  } catch (e) {
    if (e instanceof SyntaxError) return { error: e.message };
    throw e;
  }
}

/** The text form of a condition (the inverse of parseCondition, up to spacing). */
export function conditionToText(c: Condition, parent: 'and' | 'or' | 'not' | 'top' = 'top'): string {
  if ('and' in c) {
    const s = c.and.map((x) => conditionToText(x, 'and')).join(' and ');
    return parent === 'not' ? `(${s})` : s;
  }
  if ('or' in c) {
    const s = c.or.map((x) => conditionToText(x, 'or')).join(' or ');
    return parent === 'top' ? s : `(${s})`;
  }
  if ('not' in c) return `not ${conditionToText(c.not, 'not')}`;
  if ('value' in c) return `${c.seg} ${c.op === 'eq' ? '=' : '!='} ${c.value}`;
  const vs = c.values.length === 1 ? (c.values[0] as string) : `[${c.values.join(', ')}]`;
  return `${c.seg} ${c.op === 'in' ? 'in' : 'not in'} ${vs}`;
}

/** Every segment name a condition mentions. */
export function segmentsOf(c: Condition, out: string[] = []): string[] {
  if ('and' in c) c.and.forEach((x) => segmentsOf(x, out));
  else if ('or' in c) c.or.forEach((x) => segmentsOf(x, out));
  else if ('not' in c) segmentsOf(c.not, out);
  else out.push(c.seg);
  return out;
}

/** Finds a segment by key or name, ignoring case, spaces, dashes and underscores. */
export function resolveSegment(segments: readonly SegmentDef[], name: string): number {
  const norm = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');
  const n = norm(name);
  const byKey = segments.findIndex((s) => norm(s.key) === n);
  return byKey >= 0 ? byKey : segments.findIndex((s) => norm(s.name) === n);
}

export type Predicate = (segs: readonly string[]) => boolean;

/**
 * Compiles a condition to a predicate over segment codes in chart order. Returns the problems
 * (unknown segment, bad value) instead when it cannot.
 */
export function compileCondition(
  c: Condition,
  segments: readonly SegmentDef[],
): { predicate: Predicate } | { problems: { segment?: string; problem: string }[] } {
  const problems: { segment?: string; problem: string }[] = [];
  const build = (x: Condition): Predicate => {
    if ('and' in x) {
      const ps = x.and.map(build);
      return (s) => {
        for (let i = 0; i < ps.length; i++) if (!(ps[i] as Predicate)(s)) return false;
        return true;
      };
    }
    if ('or' in x) {
      const ps = x.or.map(build);
      return (s) => {
        for (let i = 0; i < ps.length; i++) if ((ps[i] as Predicate)(s)) return true;
        return false;
      };
    }
    if ('not' in x) {
      const p = build(x.not);
      return (s) => !p(s);
    }
    const idx = resolveSegment(segments, x.seg);
    if (idx < 0) {
      problems.push({ segment: x.seg, problem: `unknown segment ${x.seg}` });
      return () => false;
    }
    const def = segments[idx] as SegmentDef;
    const raw = 'value' in x ? [x.value] : x.values;
    const exact = new Set<string>();
    const pats: Tester[] = [];
    for (const v of raw) {
      const r = parsePattern(v, def.length, def.chars);
      if ('error' in r) {
        problems.push({ problem: `${def.key} value "${v}": ${r.error}` });
        continue;
      }
      if (r.pattern.kind === 'code') exact.add(r.pattern.code);
      else pats.push(tester(r.pattern));
    }
    const hit = (code: string): boolean => {
      if (exact.has(code)) return true;
      for (let i = 0; i < pats.length; i++) if ((pats[i] as Tester)(code)) return true;
      return false;
    };
    const negate = x.op === 'ne' || x.op === 'notIn';
    return negate ? (s) => !hit(s[idx] as string) : (s) => hit(s[idx] as string);
  };
  const predicate = build(c);
  return problems.length ? { problems } : { predicate };
}

/** A condition given as text or as data (JSON charts may use either). */
export function readCondition(v: unknown): { condition: Condition } | { error: string } {
  if (typeof v === 'string') return parseCondition(v);
  if (isCondition(v)) return { condition: v };
  return { error: 'a condition must be text such as "fund = 599" or a condition object' };
}

function isCondition(v: unknown): v is Condition {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.and)) return o.and.every(isCondition);
  if (Array.isArray(o.or)) return o.or.every(isCondition);
  if ('not' in o) return isCondition(o.not);
  if (typeof o.seg !== 'string') return false;
  if (o.op === 'eq' || o.op === 'ne') return typeof o.value === 'string';
  if (o.op === 'in' || o.op === 'notIn')
    return Array.isArray(o.values) && o.values.every((x) => typeof x === 'string');
  return false;
}
