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

/** Escapes a free-text field for the canonical forms. */
export function escapeField(s: string): string {
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

/** The canonical text of a set of lines (see the module comment). */
export function canonicalLines(lines: readonly ContentLine[]): string {
  const sorted = [...lines].sort(compareContentLines);
  let s = 'BLL1\n';
  for (const l of sorted) s += `${canonicalLine(l)}\n`;
  return s;
}

/** SHA-256 of the canonical form of `lines`. */
export function contentHash(lines: readonly ContentLine[]): string {
  return sha256Hex(canonicalLines(lines));
}
