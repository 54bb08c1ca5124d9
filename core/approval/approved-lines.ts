/**
 * The Approved Lines sheet: a copy of each approved site's lines, written at approval, each row
 * carrying the content hash it was approved under. It serves the line-by-line comparison; it is
 * trusted only when its rows hash to what the site's approval entry in the chain records.
 */
import { cellText, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { normalizeHeader } from '../tables';
import { canonicalSorted, sameSortedLines, sha256Hex, sortedLines, type ContentLine } from './hash';
import type { ChainApproval } from './replay';

export interface ApprovedCopy {
  readonly site: string;
  /** The distinct content hashes written on the site's rows (one, unless the sheet was edited). */
  readonly hashes: readonly string[];
  readonly lines: readonly ContentLine[];
  /** Rows whose cents or FTE could not be read (the copy cannot be trusted then). */
  readonly unreadable: number;
}

const text = (v: CellValue): string => cellText(v).trim();

/** Reads the Approved Lines grid by header names; sites in first-seen order. */
export function readApprovedLines(grid: Grid | undefined): Map<string, ApprovedCopy> {
  const out = new Map<
    string,
    { site: string; hashes: Set<string>; lines: ContentLine[]; unreadable: number }
  >();
  if (!grid) return new Map();
  const h = (grid[0] ?? []).map(normalizeHeader);
  const c = {
    site: h.indexOf('site'),
    hash: h.indexOf('contenthash'),
    account: h.indexOf('account'),
    cents: h.indexOf('cents'),
    fte: h.indexOf(normalizeHeader('FTE (thousandths)')),
    description: h.indexOf('description'),
  };
  if (c.site < 0) return new Map();
  for (const row of grid.slice(1)) {
    if (!row.some((v) => text(v) !== '')) continue;
    const site = text(row[c.site]);
    const copy = out.get(site) ?? { site, hashes: new Set<string>(), lines: [], unreadable: 0 };
    out.set(site, copy);
    copy.hashes.add(c.hash >= 0 ? text(row[c.hash]) : '');
    const cents = c.cents >= 0 ? Number(row[c.cents]) : NaN;
    const fte = c.fte >= 0 ? Number(row[c.fte] ?? 0) : 0;
    if (!Number.isSafeInteger(cents) || !Number.isSafeInteger(fte) || c.account < 0 || c.description < 0) {
      copy.unreadable++;
      continue;
    }
    copy.lines.push({
      account: text(row[c.account]),
      cents,
      fte,
      description: cellText(row[c.description]),
    });
  }
  return new Map(
    [...out].map(([k, v]) => [
      k,
      { site: v.site, hashes: [...v.hashes], lines: v.lines, unreadable: v.unreadable },
    ]),
  );
}

/**
 * True when a copy is exactly what `hash` approved: one hash on every row, and the rows hash to it.
 * `known` is lines in canonical order already known to hash to `hash` (the site's current lines, when
 * they match their approval): a copy with the same lines needs no second SHA-256.
 */
export function copyMatches(copy: ApprovedCopy, hash: string, known?: readonly ContentLine[]): boolean {
  if (copy.unreadable !== 0 || copy.hashes.length !== 1 || copy.hashes[0] !== hash) return false;
  const sorted = sortedLines(copy.lines);
  if (known && sameSortedLines(sorted, known)) return true;
  return sha256Hex(canonicalSorted(sorted)) === hash;
}

/**
 * Checks the Approved Lines sheet against the approvals in the chain (BL622): every site with rows
 * must be approved, its rows must all carry its approval's hash, and they must hash to it; an
 * approved site without rows is reported too (its line-by-line comparison is not possible).
 */
export function checkApprovedLines(
  copies: ReadonlyMap<string, ApprovedCopy>,
  approvals: ReadonlyMap<string, ChainApproval>,
  /** Lines (canonical order) known to hash to each site's approval (see copyMatches). */
  known?: ReadonlyMap<string, readonly ContentLine[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [site, copy] of copies) {
    const a = approvals.get(site);
    if (!a) {
      out.push(
        diag('BL622', {
          site: site || '(blank site)',
          detail: 'stand for no current approval in the audit log',
        }),
      );
      continue;
    }
    if (copyMatches(copy, a.entry.contentHash, known?.get(site))) continue;
    const why =
      copy.unreadable > 0
        ? `include ${copy.unreadable} row${copy.unreadable === 1 ? '' : 's'} that cannot be read`
        : copy.hashes.length !== 1 || copy.hashes[0] !== a.entry.contentHash
          ? `name another content hash than the approval of ${a.entry.at.slice(0, 10)} (audit entry ${a.position})`
          : `were edited: they no longer hash to the approval of ${a.entry.at.slice(0, 10)} (audit entry ${a.position})`;
    out.push(diag('BL622', { site, detail: why }));
  }
  for (const [site, a] of approvals)
    if (!copies.has(site))
      out.push(
        diag('BL622', {
          site,
          detail: `are missing: the approval of ${a.entry.at.slice(0, 10)} (audit entry ${a.position}) has no approved copy`,
        }),
      );
  return out;
}
