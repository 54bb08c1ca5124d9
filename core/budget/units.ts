/**
 * Exact units besides money, and strict readers for the cells that hold them.
 *
 * - FTE is integer thousandths of an FTE (`MilliFte`): 1000 = 1.0 FTE, 500 = 0.5 FTE. Thousandths
 *   cover every step districts use (0.1, 0.05, 0.125 for an eighth) and keep sums exact.
 * - Percentages and rates are integer parts per million (`Ppm`): 1_000_000 = 100%, 76_500 = 7.65%.
 * - Quantities are integer thousandths (`Milli`) so that 2.5 hours or 0.125 of a licence stay exact.
 *
 * Rounding: every product with money (salary × FTE, rate × base, quantity × unit cost) rounds once,
 * half away from zero, with `mulDivRound` from money.ts.
 */
import { cellText, isBlank, spreadsheetError, type CellValue, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { Parsed } from '../money';

export type MilliFte = number;
export type Ppm = number;
export type Milli = number;

export const FTE_SCALE = 1000;
export const PPM = 1_000_000;

const fail = <T>(d: Diagnostic): Parsed<T> => ({ ok: false, diagnostic: d });

/** Reads a decimal number with at most `places` decimals as an integer scaled by 10^places, or says why not. */
export function scaledDecimal(value: CellValue, places: number): { value: number } | { problem: string } {
  const scale = 10 ** places;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { problem: 'is not a number' };
    const scaled = value * scale;
    const r = Math.round(scaled);
    if (Math.abs(scaled - r) > Math.max(1e-6, Math.abs(scaled) * Number.EPSILON * 16))
      return { problem: `has more than ${places} decimal places` };
    if (!Number.isSafeInteger(r)) return { problem: 'is too large' };
    return { value: r === 0 ? 0 : r };
  }
  if (typeof value !== 'string') return { problem: 'is not a number' };
  const s = value.trim();
  const m = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === undefined && !m[3])) {
    if (/^-?\d+,\d+$/.test(s)) return { problem: 'uses a comma as the decimal mark' };
    return { problem: 'is not a number' };
  }
  const frac = m[3] ?? '';
  if (frac.length > places && /[1-9]/.test(frac.slice(places)))
    return { problem: `has more than ${places} decimal places` };
  const whole = Number((m[2] ?? '0').replace(/,/g, ''));
  const n = whole * scale + Number((frac + '0'.repeat(places)).slice(0, places) || '0');
  if (!Number.isSafeInteger(n)) return { problem: 'is too large' };
  return { value: m[1] && n !== 0 ? -n : n };
}

/** "1.0", "0.5" for milli-FTE. */
export function formatFte(m: MilliFte): string {
  const neg = m < 0;
  const a = Math.abs(m);
  let frac = String(a % FTE_SCALE)
    .padStart(3, '0')
    .replace(/0+$/, '');
  if (frac.length === 0) frac = '0';
  return `${neg ? '-' : ''}${Math.floor(a / FTE_SCALE)}.${frac}`;
}

/** 76_500 → "7.65%". */
export function formatPpm(p: Ppm): string {
  const neg = p < 0;
  const a = Math.abs(p);
  const whole = Math.floor(a / 10_000);
  const frac = String(a % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}%`;
}

/**
 * Reads an FTE cell: a number more than 0 and at most 1, in multiples of `stepMilli` (the district's
 * step, e.g. 100 for 0.1). Blank and errors are refused.
 */
export function parseFte(value: CellValue, where: Where = {}, stepMilli: MilliFte = 1): Parsed<MilliFte> {
  const shown = cellText(value);
  if (isBlank(value)) return fail(diag('BL408', { shown, problem: 'is blank' }, where));
  const err = spreadsheetError(value);
  if (err) return fail(diag('BL408', { shown, problem: `shows the spreadsheet error ${err}` }, where));
  const r = scaledDecimal(value, 3);
  if ('problem' in r) return fail(diag('BL408', { shown, problem: r.problem }, where));
  if (r.value <= 0 || r.value > FTE_SCALE)
    return fail(diag('BL408', { shown, problem: 'is not more than 0 and at most 1' }, where));
  if (r.value % stepMilli !== 0) return fail(diag('BL409', { shown, step: formatFte(stepMilli) }, where));
  return { ok: true, value: r.value };
}

/**
 * Reads a percentage cell as parts per million. Text takes a % sign ("60%", "7.65 %"); a number is
 * the fraction a spreadsheet stores for a percentage-formatted cell (0.6 = 60%). A bare number above
 * 1 (60) is refused rather than guessed. `max` bounds the result (default 100%).
 */
export function parsePercent(
  value: CellValue,
  where: Where = {},
  what = 'percentage',
  max: Ppm = PPM,
): Parsed<Ppm> {
  const shown = cellText(value);
  const bad = (problem: string): Parsed<Ppm> => fail(diag('BL410', { what, shown, problem }, where));
  if (isBlank(value)) return bad('is blank');
  const err = spreadsheetError(value);
  if (err) return bad(`shows the spreadsheet error ${err}`);
  let ppm: number;
  if (typeof value === 'string' && /%\s*$/.test(value)) {
    const r = scaledDecimal(value.replace(/%\s*$/, ''), 4);
    if ('problem' in r) return bad(r.problem === 'is not a number' ? 'is not a percentage' : r.problem);
    ppm = r.value;
  } else {
    const r = scaledDecimal(value, 6);
    if ('problem' in r) return bad(r.problem === 'is not a number' ? 'is not a percentage' : r.problem);
    if (r.value > PPM)
      return bad(`would be ${cellText(value)}00%; a percentage written without a % sign is not guessed`);
    ppm = r.value;
  }
  if (ppm < 0) return bad('is below 0%');
  if (ppm > max) return bad(`is above ${formatPpm(max)}`);
  return { ok: true, value: ppm };
}

/**
 * A signed percentage as parts per million: "-2%", "1.5%", "−3 %", -0.02. The sign is read off, the
 * rest is parsePercent's, bounded by `max` either way.
 */
export function parseSignedPercent(
  value: CellValue,
  where: Where = {},
  what = 'percentage',
  max: Ppm = PPM,
): Parsed<Ppm> {
  const text = typeof value === 'string' ? value.trim() : value;
  const negative =
    (typeof text === 'string' && /^[-−–]/.test(text)) || (typeof text === 'number' && text < 0);
  const abs =
    typeof text === 'string'
      ? text.replace(/^[-−–]\s*/, '')
      : typeof text === 'number'
        ? Math.abs(text)
        : text;
  const p = parsePercent(abs, where, what, max);
  return p.ok && negative ? { ok: true, value: -p.value } : p;
}

/** A count of students: a whole number, 0 or more. Blank is refused (a blank is not zero). */
export function parseCount(value: CellValue, where: Where = {}, what = 'count'): Parsed<number> {
  const shown = cellText(value);
  if (isBlank(value) || spreadsheetError(value)) return fail(diag('BL419', { what, shown }, where));
  const r = scaledDecimal(value, 0);
  if ('problem' in r || r.value < 0) return fail(diag('BL419', { what, shown }, where));
  return { ok: true, value: r.value };
}

/** A quantity or other decimal in thousandths; must not be negative. */
export function parseMilli(value: CellValue, where: Where = {}, what = 'quantity'): Parsed<Milli> {
  const shown = cellText(value);
  if (isBlank(value)) return fail(diag('BL417', { what, shown, problem: 'is blank' }, where));
  const err = spreadsheetError(value);
  if (err) return fail(diag('BL417', { what, shown, problem: `shows the spreadsheet error ${err}` }, where));
  const r = scaledDecimal(value, 3);
  if ('problem' in r) return fail(diag('BL417', { what, shown, problem: r.problem }, where));
  if (r.value < 0) return fail(diag('BL417', { what, shown, problem: 'is below 0' }, where));
  return { ok: true, value: r.value };
}

/** "2.5" for 2500 milli. */
export function formatMilli(m: Milli): string {
  const s = formatFte(m);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

const YES = new Set(['yes', 'y', 'true', 'x', '1', 'one-time', 'one time']);
const NO = new Set(['no', 'n', 'false', '0']);

/** Yes/No cells: booleans, Yes/No/Y/N/X/TRUE/FALSE/1/0; blank is No. */
export function parseYesNo(value: CellValue, where: Where = {}, what = 'flag'): Parsed<boolean> {
  if (isBlank(value)) return { ok: true, value: false };
  if (typeof value === 'boolean') return { ok: true, value };
  if (value === 1 || value === 0) return { ok: true, value: value === 1 };
  const t = cellText(value).trim().toLowerCase();
  if (YES.has(t)) return { ok: true, value: true };
  if (NO.has(t)) return { ok: true, value: false };
  return fail(diag('BL418', { what, shown: cellText(value) }, where));
}
