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
import { readAllocations } from '../allocations/tables';
import type { Allocation } from '../allocations/types';
import { jobTypeCost, type Staffing } from '../budget/staffing';
import type { Validator } from '../accounts/api';
import { a1, cellText, parseA1, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents } from '../money';
import type { ClearMarks, SheetWrite, Snapshot, WriteBatch } from '../port/types';
import type { OperationOptions } from './api';
import { plural } from './common';
import { validateSites } from './validate';
import { readProposals, type Proposal, type ProposalContext, type ProposalLine } from '../proposals';
import { findColumns, normalizeHeader } from '../tables';
import type { SiteEntry, Workbook } from '../workbook/read';
import {
  ALLOCATIONS_TABLE,
  formatsFor,
  headerOf,
  SHEETS,
  SITE_TABLE,
  specOf,
  type TableDecl,
} from '../workbook/schema';
import { siteState, type Chain } from './trust';

/** A line on a site sheet that carries a proposal's ID. */
export interface PlacedLine {
  /** The proposal ID as typed in the Proposal cell. */
  readonly id: string;
  readonly site: string;
  readonly sheet: string;
  /** 0-based row of the sheet. */
  readonly row: number;
  /** The account (on the Allocations sheet: the source). */
  readonly account: string;
  /** The Amount as shown (a Position row: its FTE and job type). */
  readonly amount: string;
  /** A site sheet's Line or Position row, or a row of the Allocations table. */
  readonly kind: 'line' | 'position' | 'allocation';
}

const PROPOSAL_SPEC = specOf(SITE_TABLE, ['proposal', 'type', 'account', 'amount', 'jobType', 'fte'], []);

/** Every line on the sites' sheets that carries a proposal ID, sheet by sheet, top to bottom. */
export function proposalLinesOnSheets(wb: Workbook, snap: Snapshot): PlacedLine[] {
  const out: PlacedLine[] = [];
  for (const s of wb.sites) {
    const grid = snap.sheets[s.sheet];
    if (!grid || grid.length < 2) continue;
    const col = findColumns(grid[0] ?? [], PROPOSAL_SPEC, SITE_TABLE.table).columns;
    if (col.proposal < 0) continue;
    const text = (row: readonly CellValue[], c: number): string => (c >= 0 ? cellText(row[c]).trim() : '');
    grid.forEach((row, r) => {
      const id = r > 0 ? text(row, col.proposal) : '';
      const position = /^position/i.test(text(row, col.type));
      if (id)
        out.push({
          id,
          site: s.code,
          sheet: s.sheet,
          row: r,
          account: text(row, col.account),
          amount: position
            ? `${text(row, col.fte)} FTE ${text(row, col.jobType)}`.trim()
            : text(row, col.amount),
          kind: position ? 'position' : 'line',
        });
    });
  }
  return out;
}

const ALLOCATION_SPEC = specOf(ALLOCATIONS_TABLE, ['proposal', 'site', 'source', 'amount'], []);

/** Every row of the Allocations table that carries a proposal ID, top to bottom (`sheet` is Allocations). */
export function proposalAllocationRows(snap: Snapshot): PlacedLine[] {
  const grid = snap.sheets[SHEETS.allocations];
  if (!grid || grid.length < 2) return [];
  const col = findColumns(grid[0] ?? [], ALLOCATION_SPEC, ALLOCATIONS_TABLE.table).columns;
  if (col.proposal < 0) return [];
  const text = (row: readonly CellValue[], c: number): string => (c >= 0 ? cellText(row[c]).trim() : '');
  const out: PlacedLine[] = [];
  grid.forEach((row, r) => {
    const id = r > 0 ? text(row, col.proposal) : '';
    if (id)
      out.push({
        id,
        site: text(row, col.site),
        sheet: SHEETS.allocations,
        row: r,
        account: text(row, col.source),
        amount: text(row, col.amount),
        kind: 'allocation',
      });
  });
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
  /** Warnings the decision carries (BL920: a position priced other than the proposal's amount). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Whether an accepted proposal's line goes into its site's sheet as a Position row, priced by the
 * staffing tables: a recurring addition naming a job type and the FTE it adds. Any other line (a
 * one-time proposal's staff too: a position has no one-time flag, so it would stay in later years)
 * goes in as a Line carrying its amount.
 */
export function addsPosition(
  p: Pick<Proposal, 'type' | 'recurrence'>,
  l: Pick<ProposalLine, 'jobType' | 'fte'>,
): boolean {
  return p.type === 'addition' && p.recurrence === 'recurring' && l.jobType !== '' && l.fte > 0;
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

/** Which column of `decl` each header cell is (by header or synonym), or undefined. */
function headerKeys<K extends string>(
  header: readonly CellValue[],
  decl: TableDecl<K> = SITE_TABLE as unknown as TableDecl<K>,
): (K | undefined)[] {
  const byName = new Map<string, K>();
  for (const [k, c] of Object.entries(decl.columns) as [
    K,
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
  let keys = headerKeys<keyof typeof SITE_TABLE.columns>(header);
  if (!keys.includes('proposal') && rows.some((r) => r.proposal)) {
    // The Proposal column joins the sheet's header, after its last named column.
    let at = header.length;
    while (at > 0 && cellText(header[at - 1]).trim() === '') at--;
    header[at] = SITE_TABLE.columns.proposal.header;
    keys = headerKeys<keyof typeof SITE_TABLE.columns>(header);
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
 * The allocation of `site` from `source` that a line on `account` is charged to (the most specific
 * by fixed segments), among the rows without a proposal ID; undefined when there is none.
 */
function allocationFor(
  allocations: readonly Allocation[],
  site: string,
  source: string,
  account: string,
  validator: Pick<Validator, 'keys' | 'split'>,
): Allocation | undefined {
  const norm = (x: string): string => x.trim().toLowerCase().replace(/\s+/g, ' ');
  const segments = validator.split(account) ?? [];
  return allocations
    .filter(
      (a) =>
        !a.proposal &&
        a.site === site &&
        norm(a.source) === norm(source) &&
        a.fixed.every((f) => segments[validator.keys.indexOf(f.segment)] === f.code),
    )
    .sort((x, y) => y.fixed.length - x.fixed.length)[0];
}

/**
 * The Position rows `fte` (thousandths) of staff takes: a position holds at most 1.0 FTE, so 2.5 FTE
 * is three rows, 1.0, 1.0 and 0.5.
 */
export function positionFtes(fte: number): number[] {
  const out: number[] = [];
  for (let left = fte; left > 0; left -= 1000) out.push(Math.min(1000, left));
  return out;
}

/**
 * What `fte` of a job type costs by the staffing tables — each of its Position rows priced as the
 * site sheet prices it, then added — or undefined for an unknown job type.
 */
export function positionsCost(staffing: Staffing, jobType: string, fte: number): number | undefined {
  let cents = 0;
  for (const f of positionFtes(fte)) {
    const cost = jobTypeCost(staffing, jobType, f);
    if (!cost) return undefined;
    cents += cost.total;
  }
  return cents;
}

/** What `fte` of a job type costs, in words and cents (undefined: unknown job type). */
function priced(
  staffing: Staffing,
  jobType: string,
  fte: number,
): { cents: number; label: string } | undefined {
  const cents = positionsCost(staffing, jobType, fte);
  if (cents === undefined) return undefined;
  const title = staffing.jobTypes.get(jobType)?.title;
  return { cents, label: `${(fte / 1000).toFixed(3)} FTE of ${title ? `${title} (${jobType})` : jobType}` };
}

/**
 * The writes that put an accepted proposal's lines into its sites' sheets (appended below each
 * sheet's last row, the Proposal column added to a sheet without one) — a line adding staff
 * (`addsPosition`) as a Position row priced by the Job Types and Benefits tables, with BL920 when
 * that price is not the amount the proposal was scored at — and a line naming a Funding source into
 * the Allocations table as well, as a row of the same site, source and fixed segments as the
 * allocation its account is charged to (so that allocation grows or shrinks by the line's amount),
 * or the refusal.
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
  const already = [...proposalLinesOnSheets(wb, snap), ...proposalAllocationRows(snap)].filter(
    (p) => p.id.toUpperCase() === id.toUpperCase(),
  );
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
  // Lines naming a funding source: the allocation each one changes.
  const sourced = [...bySite].flatMap(([site, lines]) =>
    lines.filter((l) => l.source).map((l) => ({ site, l })),
  );
  const allocationGrid = snap.sheets[SHEETS.allocations];
  const allocations =
    sourced.length && allocationGrid
      ? readAllocations(allocationGrid, validator.chart.segments, {
          sheet: SHEETS.allocations,
          sites: wb.sites.map((s) => s.code),
        }).rows
      : [];
  const byAllocation = new Map<Allocation, { cents: number; fte: number }>();
  const sign = proposal.type === 'reduction' ? -1 : 1;
  for (const { site, l } of sourced) {
    const a = allocationFor(allocations, site.code, l.source, l.account, validator);
    if (!a) {
      refused.push(
        diag(
          'BL922',
          { id, site: site.code, source: l.source, account: l.account },
          { sheet: l.sheet, cell: l.cells.source },
        ),
      );
      continue;
    }
    // What the budget carries: a line's amount, or the positions' price (BL920 says how it differs),
    // so allocated and planned move together.
    const carried = addsPosition(proposal, l) ? priced(wb.staffing, l.jobType, l.fte)?.cents : undefined;
    const sum = byAllocation.get(a) ?? { cents: 0, fte: 0 };
    byAllocation.set(a, {
      cents: sum.cents + (carried ?? sign * l.amounts[0]),
      fte: sum.fte + sign * l.fte,
    });
  }
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
  const pricing: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [site, lines] of bySite) {
    let cents = 0;
    const rows = lines.flatMap((l): SiteFields[] => {
      const position = addsPosition(proposal, l) ? priced(wb.staffing, l.jobType, l.fte) : undefined;
      if (position) {
        cents += position.cents;
        if (position.cents !== l.amounts[0]) {
          const d = position.cents - l.amounts[0];
          diagnostics.push(
            diag(
              'BL920',
              {
                id,
                position: `${position.label} on ${l.account}`,
                priced: formatCents(position.cents),
                scored: formatCents(l.amounts[0]),
                difference: `${formatCents(Math.abs(d))} ${d > 0 ? 'more than' : 'less than'}`,
              },
              { sheet: l.sheet, cell: l.cells.year1 },
            ),
          );
          pricing.push(
            `${position.label} priced ${formatCents(position.cents)}, ${formatCents(Math.abs(d))} ${d > 0 ? 'above' : 'below'} the ${formatCents(l.amounts[0])} it was scored at`,
          );
        }
        return positionFtes(l.fte).map((fte) => ({
          type: 'Position',
          account: l.account,
          description: l.description,
          jobType: l.jobType,
          fte: fte / 1000,
          percent: 1,
          proposal: id,
        }));
      }
      cents += sign * l.amounts[0];
      return [
        {
          type: 'Line',
          account: l.account,
          description: `${l.description}${l.fte ? ` (${l.fte / 1000} FTE)` : ''}`,
          amount: (sign * l.amounts[0]) / 100,
          oneTime: proposal.recurrence === 'one-time' ? 'Yes' : 'No',
          proposal: id,
        },
      ];
    });
    const { writes, from } = appendSiteRows(site, rows, snap, validator);
    sheets.push(...writes);
    const what = kinds(rows.map((r) => ({ kind: r.type === 'Position' ? 'position' : 'line' })));
    record.push(
      `${what} (${formatCents(cents)}) added to ${site.sheet} ${rowsLabel(from, from + rows.length - 1)}`,
    );
  }
  if (byAllocation.size && allocationGrid) {
    const { writes, from } = appendAllocationRows(id, [...byAllocation], allocationGrid);
    sheets.push(...writes);
    record.push(
      `${plural(byAllocation.size, 'allocation')} changed by ${formatCents([...byAllocation.values()].reduce((n, x) => n + x.cents, 0))} (${SHEETS.allocations} ${rowsLabel(from, from + byAllocation.size - 1)}: ${[
        ...byAllocation.keys(),
      ]
        .map((a) => a.id)
        .join(', ')})`,
    );
  }
  return {
    sheets,
    clearMarks: [],
    record: [...record, ...pricing],
    sites: [...bySite.keys()].map((s) => s.code),
    diagnostics,
  };
}

/** "2 lines", "1 position", "1 line and 2 positions". */
function kinds(rows: readonly Pick<PlacedLine, 'kind'>[]): string {
  const n = (k: PlacedLine['kind']): number => rows.filter((r) => r.kind === k).length;
  return [n('line') ? plural(n('line'), 'line') : '', n('position') ? plural(n('position'), 'position') : '']
    .filter(Boolean)
    .join(' and ');
}

/**
 * Rows appended to the Allocations table below its last used row, one per allocation an accepted
 * proposal changes: that allocation's site, source, source type and fixed segments as typed on its
 * row (so the new row folds into it), the signed amount and FTE, and the proposal's ID (the Proposal
 * column is added to a header without one).
 */
function appendAllocationRows(
  id: string,
  changes: readonly [Allocation, { cents: number; fte: number }][],
  grid: Grid,
): { writes: SheetWrite[]; from: number } {
  const writes: SheetWrite[] = [];
  const header: CellValue[] = [...(grid[0] ?? [])];
  type Key = keyof typeof ALLOCATIONS_TABLE.columns;
  let keys = headerKeys<Key>(header, ALLOCATIONS_TABLE);
  if (!keys.includes('proposal')) {
    let at = header.length;
    while (at > 0 && cellText(header[at - 1]).trim() === '') at--;
    header[at] = ALLOCATIONS_TABLE.columns.proposal.header;
    keys = headerKeys<Key>(header, ALLOCATIONS_TABLE);
    writes.push({ sheet: SHEETS.allocations, at: a1(0, at), values: [[header[at] ?? null]], header: true });
  }
  const copied: readonly Key[] = ['site', 'source', 'sourceType', 'fixed'];
  const values = changes.map(([a, { cents, fte }]) => {
    const base = grid[parseA1(a.where?.cell ?? '')?.row ?? -1] ?? [];
    const fields: Partial<Record<Key, CellValue>> = {
      id: `${id} ${a.id}`,
      amount: cents / 100,
      // FTE only for an allocation that allocates FTE: one of dollars only stays one.
      fte: fte && a.fte !== undefined ? fte / 1000 : null,
      proposal: id,
    };
    return header.map((_, c) => {
      const k = keys[c];
      if (!k) return null;
      if (copied.includes(k)) return base[c] ?? null;
      return fields[k] ?? null;
    });
  });
  const from = lastUsedRow(grid) + 1;
  writes.push({
    sheet: SHEETS.allocations,
    at: a1(from, 0),
    values,
    columnFormats: formatsFor(ALLOCATIONS_TABLE, header),
  });
  return { writes, from };
}

/**
 * The writes that take a proposal's lines out of the sites' sheets again, and its rows out of the
 * Allocations table (the rows carrying its ID are cleared, nothing else), or the refusal when a site
 * holding them is submitted or approved.
 */
export function planRemoval(
  id: string,
  wb: Workbook,
  snap: Snapshot,
  chain: Chain,
): BudgetChange | { refused: Diagnostic[] } {
  const mine = (p: PlacedLine): boolean => p.id.toUpperCase() === id.toUpperCase();
  const placed = proposalLinesOnSheets(wb, snap).filter(mine);
  const allocated = proposalAllocationRows(snap).filter(mine);
  const refused = lockedSites(
    id,
    [...placed, ...allocated].map((p) => p.site),
    chain,
  );
  if (refused.length) return { refused };
  const sheets: SheetWrite[] = [];
  const clearMarks: ClearMarks[] = [];
  const bySheet = new Map<string, PlacedLine[]>();
  for (const p of [...placed, ...allocated]) bySheet.set(p.sheet, [...(bySheet.get(p.sheet) ?? []), p]);
  const record: string[] = [];
  for (const [sheet, lines] of bySheet) {
    const grid = snap.sheets[sheet] ?? [];
    for (const p of lines) {
      const width = Math.max((grid[0] ?? []).length, (grid[p.row] ?? []).length);
      // The row leaves whole: its values and the formats the acceptance gave it.
      sheets.push({
        sheet,
        at: a1(p.row, 0),
        values: [Array.from({ length: width }, () => null)],
        clearFormats: true,
      });
      clearMarks.push({ sheet, from: p.row, to: p.row });
    }
    record.push(
      sheet === SHEETS.allocations
        ? `${plural(lines.length, 'allocation row')} removed from ${sheet} (${lines
            .map((p) => `row ${p.row + 1}: site ${p.site} ${p.account} ${p.amount}`)
            .join('; ')})`
        : `${kinds(lines)} removed from ${sheet} (${lines
            .map((p) => `row ${p.row + 1}: ${p.account} ${p.amount}`)
            .join('; ')})`,
    );
  }
  return { sheets, clearMarks, record, sites: [...new Set(placed.map((p) => p.site))], diagnostics: [] };
}

/** What reading the Proposals table needs: the chart, the sites, the Proposal Lines and Categories sheets. */
export function proposalContext(wb: Workbook, snap: Snapshot, validator: Validator): ProposalContext {
  const lines = snap.sheets[SHEETS.proposalLines];
  const categories = snap.sheets[SHEETS.categories];
  return {
    validator,
    sites: new Set(wb.sites.map((s) => s.code)),
    jobTypes: new Set(wb.staffing.jobTypes.keys()),
    ...(lines ? { lines } : {}),
    ...(categories ? { categories } : {}),
  };
}

/**
 * The accepted proposals whose lines are on the sheets of the `included` sites (all of their lines):
 * the budget already holds their budget-year amounts; the projection adds their later years. A line
 * that went in as a Position row carries the position's price here (its later years moved by the
 * same difference), so that taking the proposal out (a scenario's "Accepted proposals off") takes
 * out exactly what the budget holds.
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
  return readProposals(grid, proposalContext(wb, snap, validator))
    .rows.filter((p) => {
      const sites = sitesOf.get(p.id.toUpperCase());
      return p.status === 'accepted' && sites !== undefined && [...sites].every((s) => included.has(s));
    })
    .map((p) => {
      const lines = p.lines.map((l) => {
        const cost = addsPosition(p, l) ? positionsCost(wb.staffing, l.jobType, l.fte) : undefined;
        const d = cost !== undefined ? cost - l.amounts[0] : 0;
        return d ? { ...l, amounts: [l.amounts[0] + d, l.amounts[1] + d, l.amounts[2] + d] as const } : l;
      });
      const total = (i: 0 | 1 | 2): number => lines.reduce((n, l) => n + l.amounts[i], 0);
      return { ...p, lines, amounts: [total(0), total(1), total(2)] as const };
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
