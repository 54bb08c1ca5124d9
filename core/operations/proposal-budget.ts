/**
 * Accepted proposals in the budget: when leadership accepts a proposal, its lines go into the named
 * sites' sheets, each carrying the proposal's ID in the site table's Proposal column; when it is
 * rejected or deferred after acceptance, exactly those lines (the ones carrying its ID) leave again —
 * never a line without it. Both are planned here, purely, for `decide` to write in its one batch.
 *
 * Trust: a site whose budget is submitted or approved is never changed silently — the decision is
 * refused (BL914) until the site is returned or reopened. A line whose site is not in the Sites table
 * (or has none) refuses the decision (BL905, BL915): nothing is half-applied.
 */
import { detectAccountLayout } from '../accounts/layout';
import type { Validator } from '../accounts/api';
import { a1, cellText, parseA1, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents } from '../money';
import type { ClearMarks, SheetWrite, Snapshot, WriteBatch } from '../port/types';
import type { OperationOptions } from './api';
import { validateSites } from './validate';
import { readProposals, type Proposal, type ProposalContext } from '../proposals';
import { findColumns, normalizeHeader } from '../tables';
import type { SiteEntry, Workbook } from '../workbook/read';
import { formatsFor, headerOf, SHEETS, SITE_TABLE, specOf } from '../workbook/schema';
import { siteState, type Chain } from './trust';

/** A line on a site sheet that carries a proposal's ID. */
export interface PlacedLine {
  /** The proposal ID as typed in the Proposal cell. */
  readonly id: string;
  readonly site: string;
  readonly sheet: string;
  /** 0-based row of the sheet. */
  readonly row: number;
  readonly account: string;
  readonly amount: string;
}

const PROPOSAL_SPEC = specOf(SITE_TABLE, ['proposal', 'account', 'amount'], []);

/** Every line on the sites' sheets that carries a proposal ID, sheet by sheet, top to bottom. */
export function proposalLinesOnSheets(wb: Workbook, snap: Snapshot): PlacedLine[] {
  const out: PlacedLine[] = [];
  for (const s of wb.sites) {
    const grid = snap.sheets[s.sheet];
    if (!grid || grid.length < 2) continue;
    const col = findColumns(grid[0] ?? [], PROPOSAL_SPEC, SITE_TABLE.table).columns;
    if (col.proposal < 0) continue;
    grid.forEach((row, r) => {
      const id = r > 0 ? cellText(row[col.proposal]).trim() : '';
      if (id)
        out.push({
          id,
          site: s.code,
          sheet: s.sheet,
          row: r,
          account: col.account >= 0 ? cellText(row[col.account]).trim() : '',
          amount: col.amount >= 0 ? cellText(row[col.amount]).trim() : '',
        });
    });
  }
  return out;
}

/** The IDs (upper case) of proposals whose lines are on the sites' sheets. */
export function appliedProposals(wb: Workbook, snap: Snapshot): Set<string> {
  return new Set(proposalLinesOnSheets(wb, snap).map((l) => l.id.toUpperCase()));
}

export interface BudgetChange {
  readonly sheets: readonly SheetWrite[];
  readonly clearMarks: readonly ClearMarks[];
  /** One phrase per site: "2 lines added to Lincoln Elementary (rows 7–8)". */
  readonly record: readonly string[];
  /** The sites whose lines change. */
  readonly sites: readonly string[];
}

/** The chart segments that name a site, in the order tried (NCES: site; Texas: organization). */
const SITE_SEGMENTS = ['site', 'organization', 'campus', 'location'];

/**
 * The site a proposal line goes to: its own Site (or the proposal's); when both are blank, the site
 * its account names (the account's site segment), if that is a site of the Sites table; else ''.
 */
export function siteOfLine(
  line: Pick<Proposal['lines'][number], 'site' | 'account'>,
  wb: Workbook,
  validator: Pick<Validator, 'keys' | 'split'>,
): string {
  if (line.site) return line.site;
  const parts = validator.split(line.account);
  for (const key of SITE_SEGMENTS) {
    const i = validator.keys.indexOf(key);
    const code = i >= 0 ? parts?.[i] : undefined;
    if (code && wb.sites.some((s) => s.code === code)) return code;
  }
  return '';
}

/** BL914 for each site in `codes` whose budget is submitted or approved by the chain. */
function lockedSites(id: string, codes: Iterable<string>, chain: Chain): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const code of new Set(codes)) {
    const state = siteState(chain, code).state;
    if (state === 'submitted' || state === 'approved') out.push(diag('BL914', { id, site: code, state }));
  }
  return out;
}

/** The last row (0-based) with anything in it. */
function lastUsedRow(grid: Grid): number {
  for (let r = grid.length - 1; r >= 0; r--)
    if ((grid[r] ?? []).some((v) => v !== null && cellText(v).trim() !== '')) return r;
  return -1;
}

/** Which SITE_TABLE column each header cell is (by header or synonym), or undefined. */
function headerKeys(header: readonly CellValue[]): (keyof typeof SITE_TABLE.columns | undefined)[] {
  const byName = new Map<string, keyof typeof SITE_TABLE.columns>();
  for (const [k, c] of Object.entries(SITE_TABLE.columns) as [
    keyof typeof SITE_TABLE.columns,
    { header: string; synonyms?: readonly string[] },
  ][])
    for (const n of [c.header, ...(c.synonyms ?? [])])
      if (!byName.has(normalizeHeader(n))) byName.set(normalizeHeader(n), k);
  return header.map((h) => byName.get(normalizeHeader(h)));
}

const rowsLabel = (from: number, to: number): string =>
  from === to ? `row ${from + 1}` : `rows ${from + 1}–${to + 1}`;

type SiteFields = Partial<Record<keyof typeof SITE_TABLE.columns, CellValue>>;

/**
 * Rows appended to a site's sheet below its last used row, each cell under its column by the sheet's
 * own header (the account split into its segments when the sheet holds one column per segment); the
 * Proposal column is added to a header without one when a row fills it. A missing sheet is created.
 */
export function appendSiteRows(
  site: SiteEntry,
  rows: readonly SiteFields[],
  snap: Snapshot,
  validator: Pick<Validator, 'chart' | 'split'>,
): { writes: SheetWrite[]; from: number } {
  const writes: SheetWrite[] = [];
  const grid = snap.sheets[site.sheet];
  const header: CellValue[] = grid && grid.length > 0 ? [...(grid[0] ?? [])] : headerOf(SITE_TABLE);
  let keys = headerKeys(header);
  if (!keys.includes('proposal') && rows.some((r) => r.proposal)) {
    // The Proposal column joins the sheet's header, after its last named column.
    let at = header.length;
    while (at > 0 && cellText(header[at - 1]).trim() === '') at--;
    header[at] = SITE_TABLE.columns.proposal.header;
    keys = headerKeys(header);
    if (grid && grid.length > 0)
      writes.push({ sheet: site.sheet, at: a1(0, at), values: [[header[at] ?? null]], header: true });
  }
  const layout = detectAccountLayout(header, validator.chart).layout;
  const segmentCols = layout?.kind === 'segments' ? layout.columns : [];
  const values = rows.map((fields) => {
    const parts = validator.split(cellText(fields.account ?? '')) ?? [];
    return header.map((_, c) => {
      const s = segmentCols.indexOf(c);
      if (s >= 0) return parts[s] ?? null;
      const k = keys[c];
      return k ? (fields[k] ?? null) : null;
    });
  });
  const from = grid && grid.length > 0 ? lastUsedRow(grid) + 1 : 1;
  writes.push(
    !grid || grid.length === 0
      ? {
          sheet: site.sheet,
          values: [header, ...values],
          header: true,
          columnFormats: formatsFor(SITE_TABLE, header),
        }
      : { sheet: site.sheet, at: a1(from, 0), values, columnFormats: formatsFor(SITE_TABLE, header) },
  );
  return { writes, from };
}

/**
 * The writes that put an accepted proposal's lines into its sites' sheets (appended below each
 * sheet's last row, the Proposal column added to a sheet without one), or the refusal.
 */
export function planAcceptance(
  proposal: Proposal,
  wb: Workbook,
  snap: Snapshot,
  chain: Chain,
  validator: Validator,
): BudgetChange | { refused: Diagnostic[] } {
  const id = proposal.id;
  const refused: Diagnostic[] = [];
  const bySite = new Map<SiteEntry, Proposal['lines'][number][]>();
  for (const line of proposal.lines) {
    const l = { ...line, site: siteOfLine(line, wb, validator) };
    const where = { sheet: l.sheet, cell: l.cell };
    if (!l.site) {
      refused.push(
        diag(
          'BL915',
          {
            id,
            problem: `the line on ${l.account} names no site (nor does its account name one of the Sites table), so it cannot go into any site's lines`,
          },
          where,
        ),
      );
      continue;
    }
    const site = wb.sites.find((s) => s.code === l.site);
    if (!site) {
      refused.push(diag('BL905', { id, site: l.site }, where));
      continue;
    }
    bySite.set(site, [...(bySite.get(site) ?? []), l]);
  }
  const already = proposalLinesOnSheets(wb, snap).filter((p) => p.id.toUpperCase() === id.toUpperCase());
  for (const p of already)
    refused.push(
      diag(
        'BL915',
        {
          id,
          problem: `${p.sheet} row ${p.row + 1} already carries its ID, so its lines would be there twice`,
        },
        { sheet: p.sheet, cell: a1(p.row, 0) },
      ),
    );
  refused.push(
    ...lockedSites(
      id,
      [...bySite.keys()].map((s) => s.code),
      chain,
    ),
  );
  if (refused.length) return { refused };

  const sheets: SheetWrite[] = [];
  const record: string[] = [];
  for (const [site, lines] of bySite) {
    const sign = proposal.type === 'reduction' ? -1 : 1;
    const { writes, from } = appendSiteRows(
      site,
      lines.map((l) => ({
        type: 'Line',
        account: l.account,
        description: `${l.description}${l.fte ? ` (${l.fte / 1000} FTE)` : ''}`,
        amount: (sign * l.amounts[0]) / 100,
        oneTime: proposal.recurrence === 'one-time' ? 'Yes' : 'No',
        proposal: id,
      })),
      snap,
      validator,
    );
    sheets.push(...writes);
    const cents = lines.reduce((n, l) => n + sign * l.amounts[0], 0);
    record.push(
      `${lines.length} line${lines.length === 1 ? '' : 's'} (${formatCents(cents)}) added to ${site.sheet} ${rowsLabel(from, from + lines.length - 1)}`,
    );
  }
  return { sheets, clearMarks: [], record, sites: [...bySite.keys()].map((s) => s.code) };
}

/**
 * The writes that take a proposal's lines out of the sites' sheets again (the rows carrying its ID
 * are cleared, nothing else), or the refusal when a site holding them is submitted or approved.
 */
export function planRemoval(
  id: string,
  wb: Workbook,
  snap: Snapshot,
  chain: Chain,
): BudgetChange | { refused: Diagnostic[] } {
  const placed = proposalLinesOnSheets(wb, snap).filter((p) => p.id.toUpperCase() === id.toUpperCase());
  const refused = lockedSites(
    id,
    placed.map((p) => p.site),
    chain,
  );
  if (refused.length) return { refused };
  const sheets: SheetWrite[] = [];
  const clearMarks: ClearMarks[] = [];
  const bySheet = new Map<string, PlacedLine[]>();
  for (const p of placed) bySheet.set(p.sheet, [...(bySheet.get(p.sheet) ?? []), p]);
  const record: string[] = [];
  for (const [sheet, lines] of bySheet) {
    const grid = snap.sheets[sheet] ?? [];
    for (const p of lines) {
      const width = Math.max((grid[0] ?? []).length, (grid[p.row] ?? []).length);
      sheets.push({ sheet, at: a1(p.row, 0), values: [Array.from({ length: width }, () => null)] });
      clearMarks.push({ sheet, from: p.row, to: p.row });
    }
    record.push(
      `${lines.length} line${lines.length === 1 ? '' : 's'} removed from ${sheet} (${lines
        .map((p) => `row ${p.row + 1}: ${p.account} ${p.amount}`)
        .join('; ')})`,
    );
  }
  return { sheets, clearMarks, record, sites: [...new Set(placed.map((p) => p.site))] };
}

/** What reading the Proposals table needs: the chart, the sites, the Proposal Lines and Categories sheets. */
export function proposalContext(wb: Workbook, snap: Snapshot, validator: Validator): ProposalContext {
  const lines = snap.sheets[SHEETS.proposalLines];
  const categories = snap.sheets[SHEETS.categories];
  return {
    validator,
    sites: new Set(wb.sites.map((s) => s.code)),
    ...(lines ? { lines } : {}),
    ...(categories ? { categories } : {}),
  };
}

/**
 * The accepted proposals whose lines are on the sheets of the `included` sites (all of their lines):
 * the budget already holds their budget-year amounts; the projection adds their later years.
 */
export function acceptedInBudget(
  wb: Workbook,
  snap: Snapshot,
  validator: Validator,
  included: ReadonlySet<string>,
): Proposal[] {
  const grid = snap.sheets[SHEETS.proposals];
  if (!grid) return [];
  const placed = proposalLinesOnSheets(wb, snap);
  const sitesOf = new Map<string, Set<string>>();
  for (const l of placed) {
    const k = l.id.toUpperCase();
    sitesOf.set(k, (sitesOf.get(k) ?? new Set()).add(l.site));
  }
  return readProposals(grid, proposalContext(wb, snap, validator)).rows.filter((p) => {
    const sites = sitesOf.get(p.id.toUpperCase());
    return p.status === 'accepted' && sites !== undefined && [...sites].every((s) => included.has(s));
  });
}

/** The snapshot as it will be after `writes` (values only: the sheets they touch, others as they are). */
export function afterWrites(snap: Snapshot, writes: readonly SheetWrite[]): Snapshot {
  const sheets: Record<string, CellValue[][]> = {};
  const names = [...snap.sheetNames];
  for (const w of writes) {
    const grid = (sheets[w.sheet] ??= w.replace ? [] : (snap.sheets[w.sheet] ?? []).map((r) => [...r]));
    if (!names.includes(w.sheet)) names.push(w.sheet);
    const at = parseA1(w.at ?? 'A1') ?? { row: 0, column: 0 };
    w.values.forEach((row, i) => {
      const target = (grid[at.row + i] ??= []);
      row.forEach((v, j) => {
        while (target.length < at.column + j) target.push(null);
        target[at.column + j] = v;
      });
    });
  }
  return { ...snap, sheetNames: names, sheets: { ...snap.sheets, ...sheets } };
}

/**
 * The marks of every site validated as the workbook will be after `writes` — what `validate` would
 * mark — so that lines a decision adds or takes out are checked in the same write.
 */
export function marksAfter(
  snap: Snapshot,
  writes: readonly SheetWrite[],
  options: OperationOptions,
): Pick<WriteBatch, 'clearMarks' | 'marks'> {
  const checked = validateSites.run(afterWrites(snap, writes), {}, options);
  return {
    ...(checked.write?.clearMarks ? { clearMarks: checked.write.clearMarks } : {}),
    ...(checked.write?.marks ? { marks: checked.write.marks } : {}),
  };
}
