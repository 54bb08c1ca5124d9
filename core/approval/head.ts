/**
 * The chain head as a host sees it, and the rule a host applies just before writing: the head it
 * read when the step ran must still be the head now. Excel (co-authoring) and Sheets (several
 * editors) re-read the head in the write and refuse on a mismatch, writing nothing.
 */
import type { CellValue } from '../cells';
import { AUDIT_COLUMNS, GENESIS_HASH } from './audit';

const HASH_HEADER = AUDIT_COLUMNS[AUDIT_COLUMNS.length - 1] as string;

/**
 * The hash of the last entry of an Audit sheet given as rows from A1 (header first), or GENESIS_HASH
 * when it has no entries. The hash column is found by its header; trailing blank rows are skipped.
 * A missing Audit sheet is an empty chain.
 */
export function auditHeadOf(rows: readonly (readonly CellValue[])[] | undefined): string {
  if (!rows) return GENESIS_HASH;
  const header = rows[0] ?? [];
  const col = header.findIndex(
    (h) =>
      String(h ?? '')
        .trim()
        .toLowerCase() === HASH_HEADER.toLowerCase(),
  );
  for (let i = rows.length - 1; i >= 1; i--) {
    const row = rows[i] ?? [];
    if (!row.some((v) => v !== null && v !== undefined && v !== '')) continue;
    return String((col >= 0 ? row[col] : row[row.length - 1]) ?? '');
  }
  return GENESIS_HASH;
}

/** Why a write must be refused: the chain head moved since the step read it. */
export class ChainHeadChangedError extends Error {
  constructor(
    readonly readHead: string | undefined,
    readonly currentHead: string | undefined,
    message = 'The audit log was changed by someone else while this step ran; nothing was written. Run it again.',
  ) {
    super(message);
    this.name = 'ChainHeadChangedError';
  }
}

/** Throws ChainHeadChangedError when the head read before the step differs from the head now. */
export function checkChainHead(
  readHead: string | undefined,
  currentHead: string | undefined,
  message?: string,
): void {
  if (readHead !== currentHead) throw new ChainHeadChangedError(readHead, currentHead, message);
}
