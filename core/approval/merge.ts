/**
 * Consolidating many copies of one district workbook (one per principal): a site is taken from a copy
 * only with its audit entries.
 *
 * The copies share the chain the district had when they were made (their common prefix); after that
 * each copy appends the steps taken in it. `mergeChains` verifies every copy's chain, refuses a copy
 * that claims an approval its chain does not hold, refuses two copies that both took steps for the
 * same site, and merges the steps taken after the common prefix into one chain: in time order, each
 * entry's fields kept and its links recomputed (so the merged chain verifies as one chain; the
 * copies' own receipts stay checkable against the copies).
 */
import { diag, type Diagnostic } from '../diagnostics';
import { GENESIS_HASH, makeEntry, verifyAuditLog, type AuditEntry } from './audit';
import { replayChain } from './replay';

export interface CopyChain {
  readonly file: string;
  readonly log: readonly AuditEntry[];
  /** Findings of reading the copy's Audit sheet. */
  readonly logFindings?: readonly Diagnostic[];
  /** The last hash the copy's stored state keeps. */
  readonly lastHash?: string;
  /** Sites the copy claims approved (stored state, or approved copies on Approved Lines). */
  readonly claimedApproved: readonly string[];
}

export type MergedChains =
  | {
      readonly ok: true;
      readonly log: readonly AuditEntry[];
      /** For each site with steps after the common prefix, the copy that holds them. */
      readonly owner: ReadonlyMap<string, string>;
      /** Entries shared by every copy. */
      readonly common: number;
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function mergeChains(copies: readonly CopyChain[]): MergedChains {
  const diagnostics: Diagnostic[] = [];
  for (const c of copies) {
    const broken = [
      ...(c.logFindings ?? []).filter((d) => d.severity === 'fatal'),
      ...verifyAuditLog(c.log, c.lastHash),
    ];
    if (broken.length) {
      diagnostics.push(
        diag('BL631', {
          file: c.file,
          detail: `its audit log cannot be trusted (${broken.map((d) => `${d.code} ${d.message}`).join('; ')})`,
        }),
      );
      continue;
    }
    const replay = replayChain(c.log);
    for (const site of c.claimedApproved)
      if (!replay.approvals.has(site))
        diagnostics.push(
          diag('BL631', {
            file: c.file,
            detail: `claims the ${site} budget is approved, but its audit log holds no approval for it`,
          }),
        );
  }
  if (diagnostics.length) return { ok: false, diagnostics };

  let common = 0;
  const first = copies[0]?.log ?? [];
  while (
    common < first.length &&
    copies.every((c) => c.log[common] !== undefined && c.log[common]?.hash === first[common]?.hash)
  )
    common++;

  const owner = new Map<string, string>();
  const tail: { entry: AuditEntry; copy: number; index: number }[] = [];
  copies.forEach((c, copy) => {
    c.log.slice(common).forEach((entry, index) => {
      const had = owner.get(entry.site);
      if (had !== undefined && had !== c.file) {
        diagnostics.push(
          diag('BL631', {
            file: c.file,
            detail: `has workflow steps for ${entry.site} that ${had} has too (both changed the site after the copies were made); keep one copy of each site`,
          }),
        );
        return;
      }
      owner.set(entry.site, c.file);
      tail.push({ entry, copy, index });
    });
  });
  if (diagnostics.length)
    return { ok: false, diagnostics: [...new Map(diagnostics.map((d) => [d.message, d])).values()] };

  tail.sort((a, b) =>
    a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : a.copy - b.copy || a.index - b.index,
  );
  const log: AuditEntry[] = first.slice(0, common);
  let prev = log[log.length - 1]?.hash ?? GENESIS_HASH;
  for (const { entry } of tail) {
    const { hash: _old, prevHash: _p, ...fields } = entry;
    const next = makeEntry({ ...fields, prevHash: prev });
    log.push(next);
    prev = next.hash;
  }
  return { ok: true, log, owner, common };
}
