/**
 * Receipts: an anchor the district keeps outside the workbook.
 *
 * The audit chain is an unkeyed SHA-256 chain: anyone who can edit the file can recompute it from the
 * first changed entry to the end, stored last hash included, and nothing inside the file can tell.
 * A receipt, kept elsewhere (a .jsonl file beside the workbook, the task pane's copy or download, a
 * place editors cannot write), records the chain head after each step. Checking the chain against
 * the receipts then detects a rewritten chain (the entry at a receipt's position is no longer the one
 * it names) and a truncated one (the chain is shorter than a receipt's position). What stays
 * undetectable: a rewrite of entries made after the newest receipt the checker holds, and any
 * rewrite when the receipts themselves are rewritten by the same person.
 */
import { diag, type Diagnostic } from '../diagnostics';
import { DECISION_ACTIONS, GENESIS_HASH, isHash, isIsoUtc, type AuditEntry } from './audit';
import { normalizeEmail } from './roles';

export type ReceiptAction = AuditEntry['action'] | 'consolidate' | 'export';

export interface Receipt {
  /** Receipt format version. */
  readonly v: 1;
  /** Site code; "*" for district-wide steps (consolidate, export). */
  readonly site: string;
  readonly action: ReceiptAction;
  /** Lower-case e-mail address. */
  readonly actor: string;
  /** ISO-8601 UTC. */
  readonly at: string;
  /**
   * The audit entry the step wrote (workflow steps), or for consolidate and export, which write no
   * entry, the chain head they were computed against.
   */
  readonly entryHash: string;
  /** The chain's last hash after the step (GENESIS_HASH for an empty chain). */
  readonly chainHead: string;
  /** 1-based position of the chain head in the chain (0 for an empty chain). */
  readonly position: number;
  /** Consolidate and export: SHA-256 of what was written or exported. */
  readonly contentHash?: string;
}

/** The receipt of a workflow step: `entry` at 1-based `position`, the new chain head. */
export function receiptForEntry(entry: AuditEntry, position: number): Receipt {
  return {
    v: 1,
    site: entry.site,
    action: entry.action,
    actor: normalizeEmail(entry.actor),
    at: entry.at,
    entryHash: entry.hash,
    chainHead: entry.hash,
    position,
  };
}

/** The receipt of a district-wide step (consolidate, export) computed against `log`. */
export function receiptForRun(
  action: 'consolidate' | 'export',
  actor: string,
  at: string,
  log: readonly AuditEntry[],
  contentHash?: string,
): Receipt {
  const head = log[log.length - 1]?.hash ?? GENESIS_HASH;
  return {
    v: 1,
    site: '*',
    action,
    actor: normalizeEmail(actor),
    at,
    entryHash: head,
    chainHead: head,
    position: log.length,
    ...(contentHash !== undefined ? { contentHash } : {}),
  };
}

/** One line of a receipts file (JSON Lines). */
export function receiptLine(r: Receipt): string {
  return JSON.stringify(r);
}

const ACTIONS: ReadonlySet<string> = new Set<ReceiptAction>([
  'submit',
  'approve',
  'return',
  'revise',
  'reopen',
  'consolidate',
  'export',
  // Proposals and scenario adoptions write audit entries too (and their receipts).
  ...DECISION_ACTIONS,
]);

/** Reads a receipts file (JSON Lines); a line that is not a receipt is reported by its line number. */
export function parseReceipts(text: string): { receipts: Receipt[]; problems: string[] } {
  const receipts: Receipt[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      problems.push(`line ${i + 1} is not JSON`);
      return;
    }
    const r = o as Partial<Record<keyof Receipt, unknown>>;
    const ok =
      typeof o === 'object' &&
      o !== null &&
      r.v === 1 &&
      typeof r.site === 'string' &&
      typeof r.action === 'string' &&
      ACTIONS.has(r.action) &&
      typeof r.actor === 'string' &&
      typeof r.at === 'string' &&
      isIsoUtc(r.at) &&
      typeof r.entryHash === 'string' &&
      isHash(r.entryHash) &&
      typeof r.chainHead === 'string' &&
      isHash(r.chainHead) &&
      typeof r.position === 'number' &&
      Number.isSafeInteger(r.position) &&
      r.position >= 0 &&
      (r.contentHash === undefined || (typeof r.contentHash === 'string' && isHash(r.contentHash)));
    if (ok) receipts.push(o as Receipt);
    else problems.push(`line ${i + 1} is not a Budgetline receipt`);
  });
  return { receipts, problems };
}

const short = (h: string): string => h.slice(0, 12);

/**
 * Checks a chain against receipts kept outside the file: BL630 when the chain is shorter than a
 * receipt's position (entries cut from the end), BL629 when the entry at a receipt's position is not
 * the one it names (the chain was rewritten). Each receipt is checked on its own, so every one the
 * rewrite contradicts is listed.
 */
export function checkReceipts(log: readonly AuditEntry[], receipts: readonly Receipt[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  receipts.forEach((r, i) => {
    const head = { n: i + 1, site: r.site, action: r.action, at: r.at };
    if (r.position > log.length) {
      out.push(diag('BL630', { n: i + 1, position: r.position, count: log.length }));
      return;
    }
    const at = r.position === 0 ? undefined : log[r.position - 1];
    const actual = at?.hash ?? GENESIS_HASH;
    if (actual !== r.chainHead) {
      out.push(
        diag('BL629', {
          ...head,
          detail: `entry ${r.position} is ${short(actual)}…, the receipt names ${short(r.chainHead)}…`,
        }),
      );
      return;
    }
    if (at && r.site !== '*') {
      // A workflow step's receipt also names the entry's site, action and actor.
      const same =
        at.hash === r.entryHash &&
        at.site === r.site &&
        at.action === r.action &&
        normalizeEmail(at.actor) === r.actor;
      if (!same)
        out.push(
          diag('BL629', {
            ...head,
            detail: `entry ${r.position} records ${at.site} ${at.action} by ${at.actor}`,
          }),
        );
    }
  });
  return out;
}
