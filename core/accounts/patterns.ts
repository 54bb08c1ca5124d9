/**
 * Code patterns: an exact code ("6119"), an inclusive range ("6100-6699") or a mask ("5XXX", "79?Z").
 *
 * In a mask, "?" stands for any one character. "X" stands for any digit in a digits-only segment,
 * and, in a segment that allows letters, only as a trailing run after a digit ("64XX", "791X") so
 * that letter codes such as "979Z" or "ADLT" stay literal.
 */
import type { CharSet, CodeEntry } from './types';

export type Pattern =
  | { readonly kind: 'code'; readonly text: string; readonly code: string }
  | { readonly kind: 'range'; readonly text: string; readonly lo: string; readonly hi: string }
  | { readonly kind: 'mask'; readonly text: string; readonly mask: string };

export type PatternResult = { readonly pattern: Pattern } | { readonly error: string };

const RANGE = /^([0-9A-Za-z]+)\s*(?:-|–|\.\.)\s*([0-9A-Za-z]+)$/;

function isMask(text: string, chars: CharSet | undefined): boolean {
  if (text.includes('?')) return true;
  if (!text.includes('X')) return false;
  if (chars === 'digits' || chars === undefined) return /^[0-9X?]+$/.test(text);
  return /^[0-9A-Za-z]*[0-9]X+$/.test(text);
}

/**
 * Reads a pattern. `length` (when known) is checked: both ends of a range and a mask must be as long
 * as the segment. `kind` forces the reading (code lists may say so explicitly).
 */
export function parsePattern(
  raw: string,
  length?: number,
  chars?: CharSet,
  kind?: CodeEntry['kind'],
): PatternResult {
  const text = raw.trim();
  if (text === '') return { error: 'empty code' };
  const range = RANGE.exec(text);
  if ((kind === undefined && range) || kind === 'range') {
    if (!range) return { error: 'a range is written low-high, e.g. 6100-6699' };
    const lo = range[1] as string;
    const hi = range[2] as string;
    if (lo.length !== hi.length) return { error: `the ends ${lo} and ${hi} differ in length` };
    if (length !== undefined && lo.length !== length)
      return { error: `the ends have ${lo.length} characters; the segment has ${length}` };
    if (lo > hi) return { error: `the range runs backwards (${lo} is above ${hi})` };
    return { pattern: { kind: 'range', text: `${lo}-${hi}`, lo, hi } };
  }
  if ((kind === undefined && isMask(text, chars)) || kind === 'mask') {
    if (length !== undefined && text.length !== length)
      return { error: `the mask has ${text.length} characters; the segment has ${length}` };
    return { pattern: { kind: 'mask', text, mask: text } };
  }
  if (length !== undefined && text.length !== length)
    return { error: `the code has ${text.length} characters; the segment has ${length}` };
  return { pattern: { kind: 'code', text, code: text } };
}

/** Whether `code` matches a pattern. Codes and pattern ends compare as same-length strings. */
export function matches(p: Pattern, code: string): boolean {
  switch (p.kind) {
    case 'code':
      return code === p.code;
    case 'range':
      return code.length === p.lo.length && code >= p.lo && code <= p.hi;
    case 'mask': {
      const m = p.mask;
      if (code.length !== m.length) return false;
      for (let i = 0; i < m.length; i++) {
        const c = m.charCodeAt(i);
        const k = code.charCodeAt(i);
        if (c === 63 /* ? */) continue;
        if (c === 88 /* X */ && k >= 48 && k <= 57) continue;
        if (c !== k) return false;
      }
      return true;
    }
  }
}

export type Tester = (code: string) => boolean;

/** A pattern compiled to a test function (for hot loops: no dispatch on the pattern's kind). */
export function tester(p: Pattern): Tester {
  switch (p.kind) {
    case 'code': {
      const c = p.code;
      return (code) => code === c;
    }
    case 'range': {
      const { lo, hi } = p;
      const len = lo.length;
      return (code) => code.length === len && code >= lo && code <= hi;
    }
    case 'mask': {
      const m = p.mask;
      const len = m.length;
      const fixed: [number, number][] = [];
      const digit: number[] = [];
      for (let i = 0; i < len; i++) {
        const c = m.charCodeAt(i);
        if (c === 88 /* X */) digit.push(i);
        else if (c !== 63 /* ? */) fixed.push([i, c]);
      }
      return (code) => {
        if (code.length !== len) return false;
        for (let i = 0; i < fixed.length; i++) {
          const f = fixed[i] as [number, number];
          if (code.charCodeAt(f[0]) !== f[1]) return false;
        }
        for (let i = 0; i < digit.length; i++) {
          const k = code.charCodeAt(digit[i] as number);
          if (k < 48 || k > 57) return false;
        }
        return true;
      };
    }
  }
}

/** The number of codes a pattern covers, when small enough to list (for expansion into a Set). */
export function expand(p: Pattern, chars: CharSet, limit = 20000): string[] | undefined {
  if (p.kind === 'code') return [p.code];
  if (chars !== 'digits') {
    if (p.kind === 'range' && /^\d+$/.test(p.lo) && /^\d+$/.test(p.hi)) {
      /* numeric range in an alnum segment: expand as digits */
    } else if (p.kind === 'mask' && /^[0-9X]+$/.test(p.mask)) {
      /* digit-only mask */
    } else return undefined;
  }
  if (p.kind === 'range') {
    const lo = Number(p.lo);
    const hi = Number(p.hi);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi - lo + 1 > limit) return undefined;
    const out: string[] = [];
    for (let n = lo; n <= hi; n++) out.push(String(n).padStart(p.lo.length, '0'));
    return out;
  }
  const free = [...p.mask].filter((c) => c === 'X').length;
  if (p.mask.includes('?') || 10 ** free > limit) return undefined;
  const out: string[] = [];
  for (let n = 0; n < 10 ** free; n++) {
    const digits = String(n).padStart(free, '0');
    let j = 0;
    out.push([...p.mask].map((c) => (c === 'X' ? (digits[j++] as string) : c)).join(''));
  }
  return out;
}
