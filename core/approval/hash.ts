/**
 * SHA-256 content hashes of a site's lines, in a canonical form.
 *
 * Canonical form, version 1 (`BLL1`), so the same lines in any row order hash the same:
 *
 *   - each line becomes four fields: account, cents, FTE, description;
 *     cents and FTE (integer thousandths; absent = 0) are written as base-10 integers with a
 *     leading "-" for negatives; account and description are written exactly as given, escaped:
 *     "\" → "\\", TAB → "\t", LF → "\n", CR → "\r" (so a field can never forge a separator);
 *   - lines are sorted by account, then cents, then FTE, then description. Text compares by UTF-16
 *     code units (never by locale), numbers numerically; identical lines stay as repeated lines;
 *   - the text is "BLL1\n" followed by one line per budget line: the four fields joined by TAB,
 *     each ended by LF;
 *   - the hash is SHA-256 of the UTF-8 bytes of that text, written as 64 lower-case hex digits.
 *
 * Site, job type, sheet and cell are not part of the content: moving a line to another row or
 * sheet is not a change to the budget.
 */
import { compareText } from '../cells';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { LedgerLine } from './lines';

export type ContentLine = Pick<LedgerLine, 'account' | 'cents' | 'fte' | 'description'>;

/** SHA-256 of a string's UTF-8 bytes, as 64 lower-case hex digits. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

const SPECIAL = /[\\\t\n\r]/;

/** Escapes a free-text field for the canonical forms. */
export function escapeField(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function integer(n: number, what: string): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`content hash: ${what} ${n} is not a safe integer`);
  return String(n === 0 ? 0 : n); // no "-0"
}

export { compareText };

/** The canonical order of lines: account, cents, FTE, description. */
export function compareContentLines(a: ContentLine, b: ContentLine): number {
  return (
    compareText(a.account, b.account) ||
    a.cents - b.cents ||
    (a.fte ?? 0) - (b.fte ?? 0) ||
    compareText(a.description, b.description)
  );
}

/** One line's canonical record (without the trailing LF). */
export function canonicalLine(l: ContentLine): string {
  return `${escapeField(l.account)}\t${integer(l.cents, 'cents')}\t${integer(l.fte ?? 0, 'FTE')}\t${escapeField(l.description)}`;
}

/** Lines in canonical order (a new array). */
export function sortedLines(lines: readonly ContentLine[]): ContentLine[] {
  return [...lines].sort(compareContentLines);
}

/** True when two lists in canonical order have the same canonical text (compared field by field). */
export function sameSortedLines(a: readonly ContentLine[], b: readonly ContentLine[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ContentLine;
    const y = b[i] as ContentLine;
    if (
      x.account !== y.account ||
      x.cents !== y.cents ||
      (x.fte ?? 0) !== (y.fte ?? 0) ||
      x.description !== y.description
    )
      return false;
  }
  return true;
}

/** The canonical text of lines already in canonical order. */
export function canonicalSorted(sorted: readonly ContentLine[]): string {
  const out = new Array<string>(sorted.length + 2);
  out[0] = 'BLL1';
  for (let i = 0; i < sorted.length; i++) out[i + 1] = canonicalLine(sorted[i] as ContentLine);
  out[sorted.length + 1] = '';
  return out.join('\n');
}

/** The canonical text of a set of lines (see the module comment). */
export function canonicalLines(lines: readonly ContentLine[]): string {
  return canonicalSorted(sortedLines(lines));
}

/** SHA-256 of the canonical form of `lines`. */
export function contentHash(lines: readonly ContentLine[]): string {
  return sha256Hex(canonicalLines(lines));
}
