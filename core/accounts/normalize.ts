/**
 * Turning what a cell holds into account text, never silently.
 *
 * Accepted with a warning (the raw value is kept beside the normalised one): Unicode dashes as the
 * hyphen delimiter, non-breaking spaces as spaces, leading zeros a spreadsheet dropped from a number.
 * Refused with a clear finding: blanks, spreadsheet errors, zero-width characters, look-alike letters
 * from other alphabets, values the spreadsheet turned into dates, numbers longer than 15 digits.
 */
import { cellText, isBlank, spreadsheetError, type CellValue, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';

const ZERO_WIDTH: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN (U+00AD)',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR (U+180E)',
  0x200b: 'ZERO WIDTH SPACE (U+200B)',
  0x200c: 'ZERO WIDTH NON-JOINER (U+200C)',
  0x200d: 'ZERO WIDTH JOINER (U+200D)',
  0x200e: 'LEFT-TO-RIGHT MARK (U+200E)',
  0x200f: 'RIGHT-TO-LEFT MARK (U+200F)',
  0x2060: 'WORD JOINER (U+2060)',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (U+FEFF)',
};

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d]);
const NBSP = new Set([0x00a0, 0x2007, 0x202f]);

/** Letters from other alphabets that look like Latin letters, and full-width forms. */
const LOOK_ALIKE: ReadonlyMap<number, readonly [string, string]> = new Map(
  (
    [
      [0x0410, 'A', 'Cyrillic'],
      [0x0412, 'B', 'Cyrillic'],
      [0x0415, 'E', 'Cyrillic'],
      [0x041a, 'K', 'Cyrillic'],
      [0x041c, 'M', 'Cyrillic'],
      [0x041d, 'H', 'Cyrillic'],
      [0x041e, 'O', 'Cyrillic'],
      [0x0420, 'P', 'Cyrillic'],
      [0x0421, 'C', 'Cyrillic'],
      [0x0422, 'T', 'Cyrillic'],
      [0x0425, 'X', 'Cyrillic'],
      [0x0406, 'I', 'Cyrillic'],
      [0x0408, 'J', 'Cyrillic'],
      [0x0405, 'S', 'Cyrillic'],
      [0x0430, 'a', 'Cyrillic'],
      [0x0435, 'e', 'Cyrillic'],
      [0x043e, 'o', 'Cyrillic'],
      [0x0440, 'p', 'Cyrillic'],
      [0x0441, 'c', 'Cyrillic'],
      [0x0443, 'y', 'Cyrillic'],
      [0x0445, 'x', 'Cyrillic'],
      [0x0456, 'i', 'Cyrillic'],
      [0x0455, 's', 'Cyrillic'],
      [0x0391, 'A', 'Greek'],
      [0x0392, 'B', 'Greek'],
      [0x0395, 'E', 'Greek'],
      [0x0396, 'Z', 'Greek'],
      [0x0397, 'H', 'Greek'],
      [0x0399, 'I', 'Greek'],
      [0x039a, 'K', 'Greek'],
      [0x039c, 'M', 'Greek'],
      [0x039d, 'N', 'Greek'],
      [0x039f, 'O', 'Greek'],
      [0x03a1, 'P', 'Greek'],
      [0x03a4, 'T', 'Greek'],
      [0x03a5, 'Y', 'Greek'],
      [0x03a7, 'X', 'Greek'],
      [0x03bf, 'o', 'Greek'],
    ] as const
  ).map(([cp, latin, script]) => [cp, [latin, `the ${script} letter ${String.fromCodePoint(cp)}`]] as const),
);

function lookAlike(cp: number): readonly [string, string] | undefined {
  const hit = LOOK_ALIKE.get(cp);
  if (hit) return hit;
  if (cp >= 0xff10 && cp <= 0xff19) return [String.fromCharCode(cp - 0xff10 + 48), 'a full-width digit'];
  if (cp >= 0xff21 && cp <= 0xff3a) return [String.fromCharCode(cp - 0xff21 + 65), 'a full-width letter'];
  if (cp >= 0xff41 && cp <= 0xff5a) return [String.fromCharCode(cp - 0xff41 + 97), 'a full-width letter'];
  return undefined;
}

/** Latin letters typed where a digit belongs. */
export const DIGIT_LOOK_ALIKE: Readonly<Record<string, readonly [string, string]>> = {
  O: ['0', 'the letter O'],
  o: ['0', 'the letter o'],
  I: ['1', 'the letter I'],
  l: ['1', 'the letter l'],
  i: ['1', 'the letter i'],
};

export interface CellText {
  /** The cell as text (what the user sees), for messages and spans. */
  readonly raw: string;
  /** The text to split into segments, or undefined when the cell cannot be an account at all. */
  readonly text?: string;
  /** Offset of `text` inside `raw` (leading spaces trimmed). */
  readonly offset: number;
  readonly diagnostics: Diagnostic[];
}

/** Excel's serial date (1900 system) → "2026-01-10". */
export function serialToDate(serial: number): string {
  const ms = Math.round((serial - 25569) * 86400000);
  return new Date(ms).toISOString().slice(0, 10);
}

/** Date serials of 1954–2119: a number in this range in a delimited account column was a date. */
const SERIAL_MIN = 20000;
const SERIAL_MAX = 80000;

const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Reads one cell as account text. `delimited` says whether the chart separates segments (a number
 * can then never be a whole account; in the date range it was a date). `fullLength` (undelimited
 * charts) lets a number that lost its leading zeros be restored.
 */
export function readAccountCell(
  value: CellValue,
  where: Where,
  opts: {
    readonly delimited: boolean;
    readonly fullLength: number;
    readonly firstSegment: string;
    what?: string;
  },
): CellText {
  const what = opts.what ?? 'account string';
  if (typeof value === 'string' && ASCII_PRINTABLE.test(value)) {
    // Fast path: plain ASCII text.
    let start = 0;
    let end = value.length;
    while (start < end && value.charCodeAt(start) === 32) start++;
    while (end > start && value.charCodeAt(end - 1) === 32) end--;
    if (start === end) return { raw: value, offset: 0, diagnostics: [diag('BL001', { what }, where)] };
    if (value.charCodeAt(start) === 35 /* # */) {
      const err = spreadsheetError(value);
      if (err) return { raw: value, offset: 0, diagnostics: [diag('BL009', { error: err }, where)] };
    }
    return {
      raw: value,
      text: start === 0 && end === value.length ? value : value.slice(start, end),
      offset: start,
      diagnostics: [],
    };
  }
  if (value === null || value === undefined || isBlank(value))
    return { raw: cellText(value), offset: 0, diagnostics: [diag('BL001', { what }, where)] };
  if (value instanceof Date) {
    const shown = cellText(value);
    return { raw: shown, offset: 0, diagnostics: [diag('BL004', { shown }, { ...where, value: shown })] };
  }
  if (typeof value === 'boolean') {
    const shown = String(value).toUpperCase();
    return { raw: shown, offset: 0, diagnostics: [diag('BL010', { shown }, { ...where, value: shown })] };
  }
  if (typeof value === 'number') return readNumber(value, where, opts);
  return readUnicode(value, where, what);
}

function readNumber(
  n: number,
  where: Where,
  opts: { readonly delimited: boolean; readonly fullLength: number; readonly firstSegment: string },
): CellText {
  const raw = Number.isFinite(n) ? String(n) : String(n);
  if (!Number.isFinite(n) || !Number.isInteger(n) || n < 0)
    return { raw, offset: 0, diagnostics: [diag('BL010', { shown: raw }, { ...where, value: raw })] };
  const digits = n >= 1e21 ? 22 : BigInt(n).toString().length;
  if (n >= 1e15)
    return { raw, offset: 0, diagnostics: [diag('BL005', { digits }, { ...where, value: raw })] };
  const text = String(n);
  if (opts.delimited) {
    if (n >= SERIAL_MIN && n <= SERIAL_MAX) {
      const shown = serialToDate(n);
      return { raw, offset: 0, diagnostics: [diag('BL004', { shown }, { ...where, value: raw })] };
    }
    return { raw, text, offset: 0, diagnostics: [] };
  }
  if (text.length < opts.fullLength && text.length >= opts.fullLength - 3) {
    const restored = text.padStart(opts.fullLength, '0');
    return {
      raw,
      text: restored,
      offset: 0,
      diagnostics: [
        diag('BL006', { segment: 'account', from: text, to: restored }, { ...where, value: raw }),
      ],
    };
  }
  return { raw, text, offset: 0, diagnostics: [] };
}

function readUnicode(value: string, where: Where, what: string): CellText {
  const diagnostics: Diagnostic[] = [];
  let out = '';
  let dash = -1;
  let nbsp = -1;
  let fatal = false;
  for (let i = 0; i < value.length; i++) {
    const cp = value.charCodeAt(i);
    if (cp >= 0x20 && cp <= 0x7e) {
      out += value[i];
      continue;
    }
    const zw = ZERO_WIDTH[cp];
    if (zw) {
      diagnostics.push(
        diag('BL002', { char: zw, position: i }, { ...where, value, span: { start: i, end: i + 1 } }),
      );
      fatal = true;
      continue;
    }
    if (DASHES.has(cp)) {
      if (dash < 0) dash = i;
      out += '-';
      continue;
    }
    if (NBSP.has(cp)) {
      if (nbsp < 0) nbsp = i;
      out += ' ';
      continue;
    }
    const like = lookAlike(cp);
    if (like) {
      diagnostics.push(
        diag(
          'BL003',
          { char: value[i] as string, looksLike: like[0], name: like[1], position: i },
          {
            ...where,
            value,
            span: { start: i, end: i + 1 },
          },
        ),
      );
      fatal = true;
      continue;
    }
    out += value[i]; // other characters: the segment check says they are not allowed
  }
  if (fatal) return { raw: value, offset: 0, diagnostics };
  if (dash >= 0)
    diagnostics.push(
      diag(
        'BL007',
        { char: value[dash] as string, position: dash },
        { ...where, value, span: { start: dash, end: dash + 1 } },
      ),
    );
  if (nbsp >= 0)
    diagnostics.push(
      diag('BL008', { position: nbsp }, { ...where, value, span: { start: nbsp, end: nbsp + 1 } }),
    );
  const trimmed = out.trim();
  if (trimmed === '') return { raw: value, offset: 0, diagnostics: [diag('BL001', { what }, where)] };
  const err = spreadsheetError(trimmed);
  if (err) return { raw: value, offset: 0, diagnostics: [diag('BL009', { error: err }, where)] };
  return { raw: value, text: trimmed, offset: out.length - out.trimStart().length, diagnostics };
}

/** Text a spreadsheet shows for a date: "1/10/2026", "2026-01-10", "10-Jan", "Jan-10". */
export function looksLikeDateText(t: string): boolean {
  return (
    /^\d{1,4}[/.]\d{1,2}[/.]\d{2,4}$/.test(t) ||
    /^\d{4}-\d{2}-\d{2}$/.test(t) ||
    /^\d{1,2}[- ](jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*([- ]\d{2,4})?$/i.test(t) ||
    /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ]\d{1,4}$/i.test(t)
  );
}
