/**
 * Which text encoding an extract (a CSV from the accounting system) is read in — one rule for the
 * command line and the add-ins' file pickers: the byte-order mark, else UTF-16 when every other byte
 * is zero, else UTF-8 when every byte sequence is UTF-8, else Windows-1252 (what Excel on Windows
 * writes for "CSV"). Pure: the host says whether the bytes are valid UTF-8 (it has the decoder).
 */

/** The encodings an import reads, by their WHATWG names. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** The encoding a byte-order mark at the start of `head` names, if any. */
export function bomEncoding(head: Uint8Array): CsvEncoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * UTF-16 without a byte-order mark, told by its zero bytes: text (a CSV never holds a NUL character)
 * of mostly Latin characters has a zero in every other byte, the high byte of each code unit.
 */
export function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs / 2 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs / 2 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/**
 * The encoding of a file without an --encoding choice, from its first bytes (`head`, a few KB) and
 * whether the whole file is valid UTF-8 (asked only when it matters).
 */
export function extractEncoding(
  head: Uint8Array,
  isUtf8: () => boolean,
): { encoding: CsvEncoding; from: 'byte-order mark' | 'content' } {
  const bom = bomEncoding(head);
  if (bom) return { encoding: bom, from: 'byte-order mark' };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, from: 'content' };
  return { encoding: isUtf8() ? 'utf-8' : 'windows-1252', from: 'content' };
}
