/**
 * The audit log: one entry per workflow step, chained by hashes.
 *
 * Each entry carries the hash of the entry before it (the first carries GENESIS_HASH) and its own
 * hash, SHA-256 of its canonical text (version `BLA1`):
 *
 *   "BLA1" TAB prevHash TAB at TAB site TAB action TAB actor TAB role TAB identity TAB contentHash TAB comment
 *
 * every field escaped as in the content hash ("\" → "\\", TAB → "\t", LF → "\n", CR → "\r").
 * Altering any field of an entry changes its hash; rewriting its hash breaks the next entry's
 * link; removing or reordering entries breaks a link; removing entries from the end is caught by
 * comparing the last hash with the one the host keeps separately in document state.
 */
import { diag, type Diagnostic } from '../diagnostics';
import { escapeField, sha256Hex } from './hash';
import type { Role } from './roles';

export type AuditAction = 'submit' | 'approve' | 'return' | 'revise' | 'reopen';
/**
 * Entries that are not workflow steps of a site (they share the chain): an owner's proposal submitted
 * or taken under review (`propose`, `review`) and leadership's decision on it (`decide`), site
 * "Proposal <ID>"; a scenario adopted into the budget (`adopt`), site "Scenario <name>".
 */
export type DecisionAction = 'decide' | 'propose' | 'review' | 'adopt';

/** The entries that are no site's workflow step. */
export const DECISION_ACTIONS: readonly DecisionAction[] = ['decide', 'propose', 'review', 'adopt'];

export function isDecisionAction(action: string): action is DecisionAction {
  return (DECISION_ACTIONS as readonly string[]).includes(action);
}
/** "verified": the host knows who the user is (signed-in account); "self-declared": the user typed it. */
export type IdentitySource = 'verified' | 'self-declared';

export interface AuditEntry {
  /** ISO-8601 UTC, e.g. "2026-05-01T14:03:00Z". */
  readonly at: string;
  readonly site: string;
  readonly action: AuditAction | DecisionAction;
  /** Lower-case e-mail address. */
  readonly actor: string;
  readonly role: Role;
  readonly identity: IdentitySource;
  /** Content hash of the site's lines at this step. */
  readonly contentHash: string;
  readonly comment: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/;

/** True for "2026-05-01T14:03:00Z" or "2026-05-01T14:03:00.123Z". */
export function isIsoUtc(s: string): boolean {
  return ISO_UTC.test(s);
}

export function isHash(s: string): boolean {
  return HEX64.test(s);
}

/** The canonical text an entry's hash is computed over. */
export function canonicalEntry(e: Omit<AuditEntry, 'hash'>): string {
  return ['BLA1', e.prevHash, e.at, e.site, e.action, e.actor, e.role, e.identity, e.contentHash, e.comment]
    .map(escapeField)
    .join('\t');
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(canonicalEntry(e));
}

/** Makes the next entry of the chain. Throws on a malformed time or previous hash (host errors). */
export function makeEntry(fields: Omit<AuditEntry, 'hash'>): AuditEntry {
  if (!isIsoUtc(fields.at))
    throw new RangeError(`audit entry: time ${JSON.stringify(fields.at)} is not ISO-8601 UTC`);
  if (!isHash(fields.prevHash))
    throw new RangeError(`audit entry: previous hash ${JSON.stringify(fields.prevHash)}`);
  return { ...fields, hash: entryHash(fields) };
}

/**
 * Checks the whole chain. `lastHash` is the hash the host kept in document state after the last
 * step (GENESIS_HASH before the first); without it, entries cut from the end cannot be detected.
 * Positions in findings are 1-based.
 */
export function verifyAuditLog(entries: readonly AuditEntry[], lastHash?: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let expectedPrev = GENESIS_HASH;
  entries.forEach((e, i) => {
    if (e.prevHash !== expectedPrev) out.push(diag('BL617', { position: i + 1 }));
    if (entryHash(e) !== e.hash) out.push(diag('BL616', { position: i + 1, site: e.site, action: e.action }));
    expectedPrev = e.hash;
  });
  if (lastHash !== undefined && expectedPrev !== lastHash) out.push(diag('BL618', { count: entries.length }));
  return out;
}

/** The columns of the audit log sheet, in order. */
export const AUDIT_COLUMNS = [
  'Time (UTC)',
  'Site',
  'Action',
  'Actor',
  'Role',
  'Identity',
  'Content hash',
  'Comment',
  'Previous hash',
  'Hash',
] as const;

/** An entry as a sheet row in AUDIT_COLUMNS order. */
export function auditRow(e: AuditEntry): string[] {
  return [e.at, e.site, e.action, e.actor, e.role, e.identity, e.contentHash, e.comment, e.prevHash, e.hash];
}
