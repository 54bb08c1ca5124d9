/**
 * Merging several copies of the district workbook (one per principal) into one: the district's
 * tables from the first copy, and each site — its sheet, workflow state and approved copy of its
 * lines — from the copy where it is furthest along the workflow (core/approval PROGRESS), or the
 * only copy that has lines for it. The result is one write batch for a new workbook; a host writes
 * it and then runs consolidate on that workbook.
 */
import type { SiteBudget } from '../approval/workflow';
import { PROGRESS } from '../approval/workflow';
import type { CellValue, Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { DocumentState, Snapshot, WriteBatch } from '../port/types';
import { emptyDocumentState } from '../port/state';
import { SHEETS, SITE_FORMATS } from '../workbook/layout';
import { readWorkbook } from '../workbook/read';

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

  const baseWb = readWorkbook(base.snapshot);
  const sheets = new Map<string, Grid>();
  for (const name of base.snapshot.sheetNames) {
    const g = base.snapshot.sheets[name];
    if (g) sheets.set(name, g);
  }
  const sites: Record<string, SiteBudget> = {};
  const approvedRows: CellValue[][] = [];
  for (const site of baseWb.sites) {
    let chosen: { copy: WorkbookCopy; rank: number; rows: boolean } | undefined;
    for (const c of copies) {
      const state = c.snapshot.state?.sites[site.code];
      const rank = state ? PROGRESS[state.state] : 0;
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
    const st = chosen.copy.snapshot.state?.sites[site.code];
    if (st) sites[site.code] = st;
    for (const r of (chosen.copy.snapshot.sheets[SHEETS.approved] ?? []).slice(1))
      if (String(r[0] ?? '').trim() === site.code) approvedRows.push([...r]);
  }
  if (refusals.length) return { ok: false, diagnostics: refusals };
  const approvedHeader = base.snapshot.sheets[SHEETS.approved]?.[0] ?? [];
  if (approvedHeader.length) sheets.set(SHEETS.approved, [[...approvedHeader], ...approvedRows]);
  sheets.delete(SHEETS.master);
  const siteSheets = new Set(baseWb.sites.map((s) => s.sheet));
  const state: DocumentState = {
    ...emptyDocumentState(),
    sites,
    lastAuditHash: base.snapshot.state?.lastAuditHash ?? emptyDocumentState().lastAuditHash,
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
