/**
 * Merging several copies of the district workbook (one per principal) into one: the district's
 * tables from the first copy, and each site — its sheet, workflow state and approved copy of its
 * lines — from the copy whose audit chain holds the site's steps since the copies were made, else
 * from where it is furthest along by the chain (core/approval PROGRESS), or the only copy that has
 * lines for it. The copies' chains are verified and merged into one (core/approval/merge): a site is
 * taken only with its audit entries. The result is one write batch for a new workbook; a host writes
 * it and then runs consolidate on that workbook.
 */
import { GENESIS_HASH, auditRow } from '../approval/audit';
import { readApprovedLines } from '../approval/approved-lines';
import { mergeChains, type CopyChain } from '../approval/merge';
import { replayChain } from '../approval/replay';
import type { SiteBudget } from '../approval/workflow';
import { PROGRESS } from '../approval/workflow';
import type { CellValue, Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState, Snapshot, WriteBatch } from '../port/types';
import { emptyDocumentState } from '../port/state';
import { SITE_FORMATS } from '../workbook/layout';
import { APPROVED_TABLE, AUDIT_TABLE, headerOf, SHEETS } from '../workbook/schema';
import { readAuditLog, readWorkbook } from '../workbook/read';

/** One copy: a name for messages (its file) and a snapshot of every sheet and the state. */
export interface WorkbookCopy {
  readonly name: string;
  readonly snapshot: Snapshot;
}

export type MergeResult =
  | { readonly ok: true; readonly write: WriteBatch; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

function hasRows(grid: Grid | undefined): boolean {
  return (grid ?? [])
    .slice(1)
    .some((r) => r.some((v) => v !== null && v !== undefined && String(v).trim() !== ''));
}

function setupOf(snap: Snapshot): string {
  const w = readWorkbook({ ...snap, sheets: { [SHEETS.setup]: snap.sheets[SHEETS.setup] ?? [] } });
  return `FY${w.setup?.fiscalYear ?? '?'} ${w.setup?.chart ?? '?'}`;
}

export function mergeCopies(copies: readonly WorkbookCopy[]): MergeResult {
  const base = copies[0];
  if (!base) return { ok: false, diagnostics: [] };
  const refusals: Diagnostic[] = [];
  for (const c of copies) {
    const bare = !c.snapshot.sheets[SHEETS.setup];
    if (bare || setupOf(c.snapshot) !== setupOf(base.snapshot))
      refusals.push(
        diag('BL824', {
          copy: c.name,
          setup: bare ? '' : setupOf(c.snapshot),
          first: base.name,
          firstSetup: setupOf(base.snapshot),
        }),
      );
  }
  if (refusals.length) return { ok: false, diagnostics: refusals };

  // A site is taken from a copy only with its audit entries: the copies' chains are verified and
  // merged, and a copy claiming an approval its chain does not hold is refused, naming the file.
  const chains: CopyChain[] = copies.map((c) => {
    const audit = readAuditLog(c.snapshot.sheets[SHEETS.audit]);
    const claimed = new Set<string>();
    for (const [code, b] of Object.entries(c.snapshot.state?.sites ?? {}))
      if (b.state === 'approved') claimed.add(code);
    for (const code of readApprovedLines(c.snapshot.sheets[SHEETS.approved]).keys())
      if (code) claimed.add(code);
    const last = c.snapshot.state?.lastAuditHash;
    return {
      file: c.name,
      log: audit.entries,
      logFindings: audit.diagnostics,
      ...(last !== undefined && last !== GENESIS_HASH ? { lastHash: last } : {}),
      claimedApproved: [...claimed],
    };
  });
  const chain = mergeChains(chains);
  if (!chain.ok) return { ok: false, diagnostics: chain.diagnostics };
  const replay = replayChain(chain.log);

  const baseWb = readWorkbook(base.snapshot);
  const sheets = new Map<string, Grid>();
  for (const name of base.snapshot.sheetNames) {
    const g = base.snapshot.sheets[name];
    if (g) sheets.set(name, g);
  }
  const sites: Record<string, SiteBudget> = {};
  const approvedRows: CellValue[][] = [];
  for (const site of baseWb.sites) {
    const owner = chain.owner.get(site.code);
    let chosen: { copy: WorkbookCopy; rank: number; rows: boolean } | undefined;
    // The copy holding the site's steps after the copies were made is the site's copy.
    for (const c of owner !== undefined ? copies.filter((x) => x.name === owner) : copies) {
      // How far along by the chain, never by the stored state.
      const rank = owner !== undefined ? 1 : PROGRESS[replay.sites.get(site.code)?.state ?? 'draft'];
      const rows = hasRows(c.snapshot.sheets[site.sheet]);
      if (!rows && rank === 0) continue;
      if (!chosen || rank > chosen.rank || (rank === chosen.rank && rows && !chosen.rows))
        chosen = { copy: c, rank, rows };
      else if (
        rank === chosen.rank &&
        rows &&
        chosen.rows &&
        JSON.stringify(c.snapshot.sheets[site.sheet]) !==
          JSON.stringify(chosen.copy.snapshot.sheets[site.sheet])
      )
        refusals.push(
          diag('BL825', { site: `${site.code} (${site.name})`, first: chosen.copy.name, second: c.name }),
        );
    }
    if (!chosen) continue;
    const g = chosen.copy.snapshot.sheets[site.sheet];
    if (g) sheets.set(site.sheet, g);
    const st = replay.sites.get(site.code);
    if (st) sites[site.code] = st;
    if (replay.approvals.has(site.code))
      for (const r of (chosen.copy.snapshot.sheets[SHEETS.approved] ?? []).slice(1))
        if (String(r[0] ?? '').trim() === site.code) approvedRows.push([...r]);
  }
  if (refusals.length) return { ok: false, diagnostics: refusals };
  const approvedHeader = base.snapshot.sheets[SHEETS.approved]?.[0] ?? headerOf(APPROVED_TABLE);
  sheets.set(SHEETS.approved, [[...approvedHeader], ...approvedRows]);
  sheets.set(SHEETS.audit, [headerOf(AUDIT_TABLE), ...chain.log.map(auditRow)]);
  sheets.delete(SHEETS.master);
  const siteSheets = new Set(baseWb.sites.map((s) => s.sheet));
  const state: DocumentState = {
    ...emptyDocumentState(),
    sites,
    lastAuditHash: chain.log[chain.log.length - 1]?.hash ?? emptyDocumentState().lastAuditHash,
  };
  return {
    ok: true,
    diagnostics: [],
    write: {
      sheets: [...sheets].map(([name, values]) => ({
        sheet: name,
        values,
        header: true,
        replace: true,
        ...(siteSheets.has(name) ? { columnFormats: SITE_FORMATS } : {}),
      })),
      state,
    },
  };
}
