/**
 * Money is integer cents, end to end. Never add dollars as floats.
 *
 * `parseMoney` reads a cell strictly; `formatCents` writes amounts for people and for exports;
 * `splitLargestRemainder` divides a whole into parts that sum to it exactly.
 */
import { cellText, isBlank, spreadsheetError, type CellValue, type Where } from './cells';
import { diag, type Diagnostic } from './diagnostics';

/** An integer number of cents. */
export type Cents = number;

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

const MAX = Number.MAX_SAFE_INTEGER;

/** Dollars as a float from a host (e.g. 8199999.999999999) → cents, or undefined when a genuine third decimal is present. */
export function centsFromNumber(n: number): Cents | undefined {
  const scaled = n * 100;
  const rounded = Math.round(scaled);
  // Float noise is a few units in the last place; a real third decimal is at least 0.001 dollars = 0.1 cent.
  const tolerance = Math.max(1e-6, Math.abs(scaled) * Number.EPSILON * 16);
  if (Math.abs(scaled - rounded) > tolerance) return undefined;
  return rounded === 0 ? 0 : rounded; // no -0
}

const PLAIN = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;
/** Unmistakably European: dot thousands groups (two or more, or followed by a decimal comma), a decimal comma, space groups with a comma. */
const EUROPEAN =
  /^\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^\d{1,3}(?:\.\d{3})+,\d+$|^\d+,\d{1,2}$|^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$/;
/** "1.234" or "12.500": a European thousands group or a US amount with three decimals; never guessed. */
const AMBIGUOUS = /^[1-9]\d{0,2}\.\d{3}$/;

/**
 * Reads an amount cell strictly. Accepts numbers and text such as "1234.5", "$1,234.56", "-1,234.56",
 * "-$1,234.56", "(1,234.56)". Refuses blanks (a blank is not zero), spreadsheet errors, text,
 * European formats ("1.234,56"), amounts that read differently in the two conventions ("1.234"),
 * and fractions of a cent. A number from the host is rounded to the cent only when what lies beyond
 * the cent is float noise (8199999.999999999 → 819999999 + 1 cents); a genuine third decimal
 * (1.005) is refused. Trailing zeros in text ("1234.500") are not a third decimal.
 */
export function parseMoney(value: CellValue, where: Where = {}, what = 'amount'): Parsed<Cents> {
  const fail = (d: Diagnostic): Parsed<Cents> => ({ ok: false, diagnostic: d });
  if (isBlank(value)) return fail(diag('BL401', { what }, where));
  const err = spreadsheetError(value);
  if (err) return fail(diag('BL402', { what, error: err }, where));
  const shown = cellText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return fail(diag('BL403', { what, shown }, where));
    const c = centsFromNumber(value);
    if (c === undefined) return fail(diag('BL405', { what, shown }, where));
    if (Math.abs(c) > MAX) return fail(diag('BL406', { what, shown }, where));
    return { ok: true, value: c };
  }
  if (typeof value !== 'string') return fail(diag('BL403', { what, shown }, where));

  let s = value.replace(/[\u00a0\u2007\u202f]/g, ' ').trim();
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-') || s.startsWith('\u2212')) {
    if (negative) return fail(diag('BL403', { what, shown }, where));
    negative = true;
    s = s.slice(1).trim();
  }
  if (s.startsWith('$')) s = s.slice(1).trim();
  if (!negative && (s.startsWith('-') || s.startsWith('\u2212'))) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (EUROPEAN.test(s)) return fail(diag('BL404', { what, shown }, where));
  if (AMBIGUOUS.test(s)) return fail(diag('BL407', { what, shown }, where));
  const m = PLAIN.exec(s);
  if (!m || (m[1] === undefined && !m[2])) return fail(diag('BL403', { what, shown }, where));
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const frac = m[2] ?? '';
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) return fail(diag('BL405', { what, shown }, where));
  const cents = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  if (!Number.isSafeInteger(cents)) return fail(diag('BL406', { what, shown }, where));
  return { ok: true, value: negative && cents !== 0 ? -cents : cents };
}

/** 123456 → "1234.56"; -5 → "-0.05". For exports: no $ and no thousands separators. */
export function formatCentsPlain(c: Cents): string {
  const neg = c < 0;
  const a = Math.abs(c);
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** 123456 → "$1,234.56"; -5 → "-$0.05". For people. */
export function formatCents(c: Cents): string {
  const plain = formatCentsPlain(Math.abs(c));
  const [whole, frac] = plain.split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${c < 0 ? '-' : ''}$${grouped}.${frac}`;
}

/** Cents → dollars as a number for writing a cell (exact for any safe cents value to 2 dp display). */
export function centsToDollars(c: Cents): number {
  return c / 100;
}

/**
 * Splits `total` cents into parts proportional to `weights` (non-negative, not all zero), by the
 * largest-remainder method: every part is the floor of its exact share, and the cents left over go
 * one each to the largest remainders (ties to the earlier weight, or to the smaller `tieKeys` entry
 * when given, so the result does not depend on input order). The parts always sum to `total`.
 */
export function splitLargestRemainder(
  total: Cents,
  weights: readonly number[],
  tieKeys?: readonly string[],
): Cents[] {
  if (!Number.isSafeInteger(total))
    throw new RangeError(`splitLargestRemainder: total ${total} is not integer cents`);
  if (weights.length === 0) throw new RangeError('splitLargestRemainder: no weights');
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w)))
    throw new RangeError('splitLargestRemainder: weights must be finite and non-negative');
  // Exact rational arithmetic with BigInt: integer weights (counts, cents, parts per million) are used
  // as they are; fractional weights are scaled to integers at 6 decimals.
  const integral = weights.every((x) => Number.isSafeInteger(x));
  const w = weights.map((x) => BigInt(integral ? x : Math.round(x * 1_000_000)));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new RangeError('splitLargestRemainder: weights sum to zero');
  const neg = total < 0;
  const t = BigInt(Math.abs(total));
  const parts = w.map((x) => (t * x) / sum);
  const rems = w.map((x, i) => ({ i, r: (t * x) % sum }));
  let left = Number(t - parts.reduce((a, b) => a + b, 0n));
  rems.sort((a, b) => {
    if (a.r !== b.r) return a.r > b.r ? -1 : 1;
    if (tieKeys) {
      const ka = tieKeys[a.i] as string;
      const kb = tieKeys[b.i] as string;
      if (ka !== kb) return ka < kb ? -1 : 1;
    }
    return a.i - b.i;
  });
  for (const { i } of rems) {
    if (left <= 0) break;
    parts[i] = (parts[i] as bigint) + 1n;
    left--;
  }
  return parts.map((p) => {
    const n = Number(p);
    return neg && n !== 0 ? -n : n;
  });
}

/**
 * round(a × b / d) for integers, half away from zero, exact for any safe integers (BigInt is used when
 * the product leaves the exact range). The one rounding step for salary × FTE, rate × base, etc.
 */
export function mulDivRound(a: number, b: number, d: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d) || d === 0)
    throw new RangeError(`mulDivRound: ${a} × ${b} / ${d} needs safe integers and d ≠ 0`);
  const p = a * b;
  if (Number.isSafeInteger(p)) {
    const neg = p < 0 !== d < 0;
    const ap = Math.abs(p);
    const ad = Math.abs(d);
    const q = Math.floor(ap / ad);
    const r = ap - q * ad;
    const n = 2 * r >= ad ? q + 1 : q;
    return neg && n !== 0 ? -n : n;
  }
  const bp = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  const neg = bp < 0n !== bd < 0n;
  const ap = bp < 0n ? -bp : bp;
  const ad = bd < 0n ? -bd : bd;
  let q = ap / ad;
  if (2n * (ap % ad) >= ad) q += 1n;
  const n = Number(neg ? -q : q);
  if (!Number.isSafeInteger(n)) throw new RangeError('mulDivRound: result exceeds exact integer range');
  return n === 0 ? 0 : n;
}

/** Sum of cents, checked to stay exact. */
export function sumCents(values: Iterable<Cents>): Cents {
  let s = 0;
  for (const v of values) s += v;
  if (!Number.isSafeInteger(s)) throw new RangeError('sumCents: total exceeds exact integer range');
  return s;
}

/**
 * The exact total of any number of cents: added as numbers while the sum stays exact, in BigInt
 * after. `safe` is false when the total is past Number.MAX_SAFE_INTEGER cents (then it cannot be
 * carried as a number; callers refuse with BL634 rather than show a rounded total).
 */
export function exactTotal(values: Iterable<Cents>): { readonly total: bigint; readonly safe: boolean } {
  let s = 0;
  let big: bigint | undefined;
  for (const v of values) {
    if (big !== undefined) big += BigInt(v);
    else {
      const n = s + v;
      if (Number.isSafeInteger(n)) s = n;
      else big = BigInt(s) + BigInt(v);
    }
  }
  const total = big ?? BigInt(s);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return { total, safe: total <= max && total >= -max };
}

/** Any number of cents as people read it: 900719925474099300n → "$9,007,199,254,740,993.00". */
export function formatBigCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const frac = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}$${whole}.${frac}`;
}
