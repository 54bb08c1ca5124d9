/**
 * The document state as every host stores it, decoded in one place. Hosts keep it their own way
 * (Excel: a document setting; Google Sheets: DocumentProperties; .xlsx: a hidden sheet) but hand
 * what they found here, so a missing, damaged or foreign state gets the same answer everywhere:
 *
 * - missing (nothing stored: a new document): the empty state, no finding — when workflow steps
 *   were taken and the record was deleted, Verify approvals reports the workbook incomplete (BL628);
 * - damaged (not JSON) or foreign (JSON of another shape or version): the empty state and a fatal
 *   BL820 naming what is wrong — never an exception, never a silent empty state. Workflow steps
 *   refuse while it stands, so the damaged record is not overwritten unseen.
 */
import { GENESIS_HASH } from '../approval/audit';
import type { BudgetState, SiteBudget } from '../approval/workflow';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState } from './types';

/** A document state with no sites and no audit entries. */
export function emptyDocumentState(): DocumentState {
  return { version: 1, sites: {}, lastAuditHash: GENESIS_HASH };
}

export interface DecodedState {
  readonly state: DocumentState;
  /** BL820 when the stored state is damaged or foreign; empty otherwise. */
  readonly diagnostics: readonly Diagnostic[];
}

const STATES: readonly BudgetState[] = ['draft', 'submitted', 'approved', 'returned'];
const HASH = /^[0-9a-f]{64}$/;
const OPTIONAL_TEXT = [
  'submittedBy',
  'submittedAt',
  'submittedHash',
  'approvedBy',
  'approvedAt',
  'approvedHash',
] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why `v` is not a SiteBudget for `code`, or undefined when it is one. */
function siteProblem(code: string, v: unknown): string | undefined {
  if (!isRecord(v)) return `the entry of site ${code} is not a record`;
  if (v.site !== code) return `the entry of site ${code} names site ${JSON.stringify(v.site)}`;
  if (!STATES.includes(v.state as BudgetState))
    return `site ${code} has the state ${JSON.stringify(v.state)}, not one of ${STATES.join(', ')}`;
  for (const k of OPTIONAL_TEXT)
    if (v[k] !== undefined && typeof v[k] !== 'string') return `site ${code} has a ${k} that is not text`;
  return undefined;
}

function damaged(problem: string): DecodedState {
  return { state: emptyDocumentState(), diagnostics: [diag('BL820', { problem })] };
}

/**
 * Decodes what a host stored: a JSON string, or the parsed value (Excel settings hold objects);
 * undefined, null or '' when nothing is stored.
 */
export function decodeDocumentState(stored: unknown): DecodedState {
  if (stored === undefined || stored === null || stored === '')
    return { state: emptyDocumentState(), diagnostics: [] };
  let raw: unknown = stored;
  if (typeof stored === 'string') {
    try {
      raw = JSON.parse(stored);
    } catch {
      return damaged('it is not valid JSON (it was edited or cut short)');
    }
  }
  if (!isRecord(raw)) return damaged('it is not a record');
  if (raw.version !== 1)
    return damaged(`it is version ${JSON.stringify(raw.version ?? null)}; this Budgetline reads version 1`);
  if (typeof raw.lastAuditHash !== 'string' || !HASH.test(raw.lastAuditHash))
    return damaged('the last audit hash is not a SHA-256 hash');
  if (!isRecord(raw.sites)) return damaged('the list of sites is not a record');
  const sites: Record<string, SiteBudget> = {};
  for (const [code, v] of Object.entries(raw.sites)) {
    const problem = siteProblem(code, v);
    if (problem) return damaged(problem);
    sites[code] = v as SiteBudget;
  }
  return { state: { version: 1, sites, lastAuditHash: raw.lastAuditHash }, diagnostics: [] };
}

/** A short hash of a site sheet's computed columns (core/workbook/site-view.ts): lower-case hex. */
const SHORT_HASH = /^[0-9a-f]{1,64}$/;

/**
 * The computed-column hashes a host stored (a JSON string or the parsed record), by sheet name.
 * Anything else — damaged, foreign, an entry that is not a short hash — is left out: a sheet without
 * a hash is only told about its computed cells more cautiously (BL430), so no finding is needed.
 */
export function decodeComputedHashes(stored: unknown): Record<string, string> {
  let raw: unknown = stored;
  if (typeof stored === 'string') {
    try {
      raw = JSON.parse(stored);
    } catch {
      return {};
    }
  }
  if (!isRecord(raw)) return {};
  const out: Record<string, string> = {};
  for (const [sheet, h] of Object.entries(raw))
    if (typeof h === 'string' && SHORT_HASH.test(h)) out[sheet] = h;
  return out;
}

/** The stored hashes after a write: each sheet the write names replaces its hash ('' removes it). */
export function mergeComputedHashes(
  stored: Readonly<Record<string, string>>,
  written: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out = { ...stored };
  for (const [sheet, h] of Object.entries(written ?? {})) {
    if (h) out[sheet] = h;
    else delete out[sheet];
  }
  return out;
}
