/**
 * The board's vote and amendments (issue 15), on the audit chain like approvals.
 *
 *   open ──adopt (date, resolution)──▶ adopted ── amendments: drafted → approved → applied
 *     │                                  ▲
 *     └──not-adopted (comment)──▶ revision ──adopt──┘
 *
 * - `adopt` (site "District", the CFO after the board's vote): the adopted budget — every approved
 *   site's lines — is frozen as the ORIGINAL budget on the Adopted Budget sheet, its revenues (each
 *   Revenues row's computed estimate) on the Adopted Revenues sheet, and the hash of both
 *   (`adoptedHashWithRevenues`, canonical form BLAD2) is the entry's content hash. A budget adopted
 *   before revenues were frozen has the lines' hash alone (`adoptedHash`, BLAD1) and still verifies. The comment records the vote:
 *   "Board vote 2026-06-18, resolution 2026-14".
 * - `not-adopted` (site "District"): back to the drawing board, with the board's comment.
 * - `amend-draft`, `amend-approve` ("Resolution R"), `amend-apply` (site "Amendment <ID>", the
 *   amendment's content hash, `amendmentHash`, canonical form BLM1). Applying is possible only for
 *   the content that was approved, and only once.
 *
 * `replayBoard` derives all of it from the chain (a step that was not possible is BL656, never
 * applied); the Amendments table's Status cells are a cache, as the stored workflow state is.
 */
import type { Validator } from '../accounts/api';
import { a1, cellText, compareText, isBlank, type CellValue, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { centsFromNumber, formatCents, parseMoney, type Cents } from '../money';
import { cellAt, dataRows, findColumns } from '../tables';
import {
  ADOPTED_REVENUES_TABLE,
  ADOPTED_TABLE,
  AMENDMENTS_TABLE,
  headerOf,
  SHEETS,
} from '../workbook/schema';
import type { AuditEntry } from './audit';
import { canonicalLine, compareContentLines, escapeField, sha256Hex, type ContentLine } from './hash';
import { normalizeEmail, siteKey } from './roles';

/** The chain's "site" for the district-wide board steps. */
export const DISTRICT_SITE = 'District';

/** The chain's "site" of an amendment's steps. */
export function amendmentSite(id: string): string {
  return `Amendment ${id}`;
}

// ---- the adopted (original) budget ---------------------------------------------------------------

/** One line of the adopted budget: a site's line as its approval hashed it. */
export interface AdoptedLine extends ContentLine {
  readonly site: string;
}

/** Site, then the content hash's own order. */
export function compareAdoptedLines(a: AdoptedLine, b: AdoptedLine): number {
  return compareText(a.site, b.site) || compareContentLines(a, b);
}

/** SHA-256 of the canonical text "BLAD1\n" + one "site TAB line" record a line (any order in). */
export function adoptedHash(lines: readonly AdoptedLine[]): string {
  const sorted = [...lines].sort(compareAdoptedLines);
  return sha256Hex(
    ['BLAD1', ...sorted.map((l) => `${escapeField(l.site)}\t${canonicalLine(l)}`), ''].join('\n'),
  );
}

/** The Adopted Budget sheet's rows: header, then the lines sorted (amounts in dollars, FTE decimal). */
export function adoptedSheetRows(lines: readonly AdoptedLine[]): CellValue[][] {
  return [
    headerOf(ADOPTED_TABLE),
    ...[...lines]
      .sort(compareAdoptedLines)
      .map((l) => [l.site, l.account, l.description, (l.fte ?? 0) / 1000, l.cents / 100]),
  ];
}

interface ReadAdopted {
  readonly lines: AdoptedLine[];
  /** Cells that cannot be read as what the sheet holds (BL644 when compared, else unreadable). */
  readonly unreadable: readonly { cell: string; shown: string }[];
}

function readAdoptedSheet(grid: Grid): ReadAdopted {
  const lines: AdoptedLine[] = [];
  const unreadable: { cell: string; shown: string }[] = [];
  for (const { row, index } of dataRows(grid)) {
    const [site, account, description, fte, amount] = [0, 1, 2, 3, 4].map((c) => row[c]);
    const cents = typeof amount === 'number' ? centsFromNumber(amount) : undefined;
    const thousandths = typeof fte === 'number' ? Math.round(fte * 1000) : isBlank(fte) ? 0 : undefined;
    if (cents === undefined) unreadable.push({ cell: a1(index, 4), shown: JSON.stringify(cellText(amount)) });
    if (thousandths === undefined || (typeof fte === 'number' && Math.abs(fte * 1000 - thousandths) > 1e-6))
      unreadable.push({ cell: a1(index, 3), shown: JSON.stringify(cellText(fte)) });
    lines.push({
      site: cellText(site),
      account: cellText(account),
      description: cellText(description),
      cents: cents ?? Number.NaN,
      fte: thousandths ?? Number.NaN,
    });
  }
  return { lines, unreadable };
}

const short = (h: string): string => `${h.slice(0, 12)}…`;

/**
 * Checks the Adopted Budget sheet (and the Adopted Revenues sheet, `revenues`) against the hash its
 * adoption recorded: BLAD2 (lines and revenues) or, for a budget adopted before revenues were frozen,
 * BLAD1 (lines alone). When the sheet differs and `expected` (the approved copies of the sites,
 * Approved Lines) is exactly what was adopted, each changed cell is named (BL644); when the Adopted
 * Revenues sheet is what differs, BL667; otherwise the sheet as a whole (BL645).
 */
export function checkAdoptedSheet(
  grid: Grid | undefined,
  adoption: AdoptionRecord,
  expected?: readonly AdoptedLine[],
  revenues?: Grid,
): Diagnostic[] {
  const sheet = SHEETS.adopted;
  if (!grid) return [diag('BL645', { detail: `the sheet "${sheet}" is missing` })];
  const read = readAdoptedSheet(grid);
  const revs = revenues ? readAdoptedRevenues(revenues) : { revenues: [], unreadable: [] };
  const matches = (lines: readonly AdoptedLine[]): boolean =>
    adoptedHash(lines) === adoption.hash ||
    (revs.unreadable.length === 0 && adoptedHashWithRevenues(lines, revs.revenues) === adoption.hash);
  if (read.unreadable.length === 0 && matches(read.lines)) return [];
  if (expected && matches(expected)) {
    const want = adoptedSheetRows(expected).slice(1);
    const out: Diagnostic[] = [];
    const show = (v: CellValue, c: number): string =>
      v === undefined || v === null || v === ''
        ? '(blank)'
        : c === 4 && typeof v === 'number'
          ? formatCents(Math.round(v * 100))
          : JSON.stringify(cellText(v));
    const rows = Math.max(want.length, grid.length - 1);
    for (let r = 0; r < rows; r++) {
      const has = grid[r + 1] ?? [];
      const should = want[r] ?? [];
      for (let c = 0; c < 5; c++) {
        const a = has[c];
        const b = should[c];
        const same =
          c >= 3
            ? typeof a === 'number' && typeof b === 'number'
              ? Math.abs(a - b) < 1e-9
              : isBlank(a) && isBlank(b)
            : cellText(a) === cellText(b);
        if (!same)
          out.push(diag('BL644', { shown: show(a, c), adopted: show(b, c) }, { sheet, cell: a1(r + 1, c) }));
      }
    }
    if (out.length) return out;
  }
  // The lines are what Approved Lines hold, but the pair does not verify: the revenues sheet changed.
  if (revenues && read.unreadable.length === 0)
    return [
      diag(
        'BL667',
        {
          detail: revs.unreadable.length
            ? `${revs.unreadable.map((u) => `${u.cell} holds ${u.shown}`).join(', ')}`
            : `the content hash of the two sheets is ${short(adoptedHashWithRevenues(read.lines, revs.revenues))}, the adoption (audit entry ${adoption.position}) recorded ${short(adoption.hash)}`,
        },
        { sheet: SHEETS.adoptedRevenues },
      ),
    ];
  return [
    diag('BL645', {
      detail: read.unreadable.length
        ? `${read.unreadable.map((u) => `${u.cell} holds ${u.shown}`).join(', ')}`
        : `its content hash is ${short(adoptedHash(read.lines))}, the adoption (audit entry ${adoption.position}) recorded ${short(adoption.hash)}`,
    }),
  ];
}

// ---- the adopted revenues (BLAD2) ----------------------------------------------------------------

/** One revenue of the adopted budget: a Revenues row's computed estimate and the cell it came from. */
export interface AdoptedRevenue {
  readonly fund: string;
  readonly source: string;
  /** How it was estimated ("typed", "$7,450.00 × 1,030 enrollment", "Formula rule TITLE-I"). */
  readonly basis: string;
  readonly cents: Cents;
  /** The Revenues table's Estimate cell of its row ("E2"). */
  readonly cell: string;
}

/** Fund, source, amount, basis, cell. */
export function compareAdoptedRevenues(a: AdoptedRevenue, b: AdoptedRevenue): number {
  return (
    compareText(a.fund, b.fund) ||
    compareText(a.source, b.source) ||
    a.cents - b.cents ||
    compareText(a.basis, b.basis) ||
    compareText(a.cell, b.cell)
  );
}

/**
 * SHA-256 of the canonical text "BLAD2\n", one "site TAB line" record a line (as BLAD1), "revenues",
 * then one "fund TAB source TAB basis TAB cents TAB cell" record a revenue (any order in).
 */
export function adoptedHashWithRevenues(
  lines: readonly AdoptedLine[],
  revenues: readonly AdoptedRevenue[],
): string {
  const sorted = [...lines].sort(compareAdoptedLines);
  const revs = [...revenues].sort(compareAdoptedRevenues);
  return sha256Hex(
    [
      'BLAD2',
      ...sorted.map((l) => `${escapeField(l.site)}\t${canonicalLine(l)}`),
      'revenues',
      ...revs.map((r) =>
        [r.fund, r.source, r.basis, String(r.cents), r.cell].map((f) => escapeField(f)).join('\t'),
      ),
      '',
    ].join('\n'),
  );
}

/** The Adopted Revenues sheet's rows: header, then the revenues sorted (amounts in dollars). */
export function adoptedRevenueRows(revenues: readonly AdoptedRevenue[]): CellValue[][] {
  return [
    headerOf(ADOPTED_REVENUES_TABLE),
    ...[...revenues]
      .sort(compareAdoptedRevenues)
      .map((r) => [r.fund, r.source, r.basis, r.cents / 100, r.cell]),
  ];
}

function readAdoptedRevenues(grid: Grid): {
  revenues: AdoptedRevenue[];
  unreadable: { cell: string; shown: string }[];
} {
  const revenues: AdoptedRevenue[] = [];
  const unreadable: { cell: string; shown: string }[] = [];
  for (const { row, index } of dataRows(grid)) {
    const [fund, source, basis, amount, cell] = [0, 1, 2, 3, 4].map((c) => row[c]);
    const cents = typeof amount === 'number' ? centsFromNumber(amount) : undefined;
    if (cents === undefined)
      unreadable.push({
        cell: `${SHEETS.adoptedRevenues}!${a1(index, 3)}`,
        shown: JSON.stringify(cellText(amount)),
      });
    revenues.push({
      fund: cellText(fund),
      source: cellText(source),
      basis: cellText(basis),
      cents: cents ?? Number.NaN,
      cell: cellText(cell),
    });
  }
  return { revenues, unreadable };
}

/**
 * The revenues the board adopted, when the adoption froze them (BLAD2) and both sheets verify against
 * its hash; undefined for a budget adopted before revenues were frozen (BLAD1) or sheets that do not
 * verify (checkAdoptedSheet reports those).
 */
export function adoptedRevenuesOf(
  adopted: Grid | undefined,
  revenues: Grid | undefined,
  adoption: AdoptionRecord,
): AdoptedRevenue[] | undefined {
  if (!adopted) return undefined;
  const read = readAdoptedSheet(adopted);
  const revs = revenues ? readAdoptedRevenues(revenues) : { revenues: [], unreadable: [] };
  if (read.unreadable.length || revs.unreadable.length) return undefined;
  return adoptedHashWithRevenues(read.lines, revs.revenues) === adoption.hash ? revs.revenues : undefined;
}

/**
 * The Revenues table against the revenues the board adopted: each row that gives another fund,
 * source or amount than was adopted, each adopted revenue no row gives any more, and each row added
 * since, named on its Estimate cell (BL666). Rows sorted differently are not a change.
 */
export function checkAdoptedRevenues(
  adopted: readonly AdoptedRevenue[],
  now: readonly {
    readonly fund: string;
    readonly source: string;
    readonly cents: Cents;
    readonly where?: { readonly sheet?: string; readonly cell?: string };
  }[],
): Diagnostic[] {
  const key = (r: { fund: string; source: string; cents: Cents }): string =>
    `${r.fund}\u0000${r.source}\u0000${r.cents}`;
  const left = new Map<string, AdoptedRevenue[]>();
  for (const r of adopted) left.set(key(r), [...(left.get(key(r)) ?? []), r]);
  const changed: (typeof now)[number][] = [];
  for (const r of now) {
    const same = left.get(key(r));
    if (same?.length) same.shift();
    else changed.push(r);
  }
  const gone = [...left.values()].flat();
  const text = (r: { fund: string; source: string; cents: Cents }): string =>
    `fund ${r.fund}, source ${r.source}: ${formatCents(r.cents)}`;
  const out: Diagnostic[] = [];
  for (const r of changed) {
    const cell = r.where?.cell ?? '';
    const was = gone.findIndex((g) => g.cell === cell);
    const before = was >= 0 ? gone.splice(was, 1)[0] : undefined;
    out.push(
      diag(
        'BL666',
        {
          shown: text(r),
          adopted: before ? text(before) : 'no revenue from this row',
        },
        { sheet: SHEETS.revenues, ...(cell ? { cell } : {}) },
      ),
    );
  }
  for (const g of gone)
    out.push(
      diag(
        'BL666',
        { shown: 'no revenue', adopted: text(g) },
        { sheet: SHEETS.revenues, ...(g.cell ? { cell: g.cell } : {}) },
      ),
    );
  return out;
}

/** The adopted lines as the sheet holds them, for reports (unreadable cells left out, as zero). */
export function adoptedLinesOf(grid: Grid | undefined): AdoptedLine[] {
  if (!grid) return [];
  return readAdoptedSheet(grid).lines.map((l) => ({
    ...l,
    cents: Number.isFinite(l.cents) ? l.cents : 0,
    fte: Number.isFinite(l.fte ?? 0) ? (l.fte ?? 0) : 0,
  }));
}

// ---- amendments ----------------------------------------------------------------------------------

export interface AmendmentLine {
  readonly account: string;
  readonly cents: Cents;
}

/** One row of the Amendments table, read. */
export interface Amendment {
  readonly id: string;
  readonly site: string;
  readonly lines: readonly AmendmentLine[];
  readonly reason: string;
  readonly resolution: string;
  /** The Status cell as typed or last written (a cache; the chain decides). */
  readonly status: string;
  readonly draftedBy?: string;
  /** 0-based row of the table. */
  readonly row: number;
  /** A1 cells of the row's columns, for findings and writes. */
  readonly cells: Readonly<Record<keyof typeof AMENDMENTS_TABLE.columns, string | undefined>>;
  /** Findings on this row (fatal ones refuse its steps). */
  readonly diagnostics: readonly Diagnostic[];
}

/** SHA-256 of the canonical text BLM1: ID, site, reason, then account and cents of each line in order. */
export function amendmentHash(a: Pick<Amendment, 'id' | 'site' | 'reason' | 'lines'>): string {
  return sha256Hex(
    ['BLM1', a.id, a.site, a.reason, ...a.lines.flatMap((l) => [l.account, String(l.cents)])]
      .map(escapeField)
      .join('\t'),
  );
}

const LIST = /[;\n]/;

/**
 * Reads the Amendments table: each row with its findings on its own cells (BL646 account, BL647
 * amounts or ID, BL648 reason, BL657 site). `validator` checks the accounts; `sites` the site codes.
 */
export function readAmendments(
  grid: Grid | undefined,
  validator: Validator | undefined,
  sites: readonly string[],
): { rows: Amendment[]; diagnostics: Diagnostic[] } {
  const rows: Amendment[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!grid) return { rows, diagnostics };
  const sheet = SHEETS.amendments;
  const found = findColumns(grid[0] ?? [], AMENDMENTS_TABLE.columns, AMENDMENTS_TABLE.table, sheet);
  if (found.diagnostics.length) return { rows, diagnostics: found.diagnostics };
  const col = found.columns;
  const known = new Map(sites.map((s) => [siteKey(s), s]));
  const seen = new Set<string>();
  for (const { row, index } of dataRows(grid)) {
    const text = (k: keyof typeof col): string => (col[k] >= 0 ? cellText(row[col[k]]).trim() : '');
    const where = (k: keyof typeof col) => ({ sheet, cell: cellAt(index, col[k]) });
    const cells = Object.fromEntries(
      (Object.keys(col) as (keyof typeof col)[]).map((k) => [
        k,
        col[k] >= 0 ? cellAt(index, col[k]) : undefined,
      ]),
    ) as Amendment['cells'];
    const out: Diagnostic[] = [];
    const id = text('id');
    const shownId = id || `on row ${index + 1}`;
    if (!id) out.push(diag('BL647', { id: shownId, detail: 'the row has no ID' }, where('id')));
    else if (seen.has(id.toUpperCase()))
      out.push(diag('BL647', { id, detail: 'the ID is used by an earlier row' }, where('id')));
    seen.add(id.toUpperCase());
    const siteText = text('site');
    const site = known.get(siteKey(siteText));
    if (site === undefined) out.push(diag('BL657', { id: shownId, shown: siteText }, where('site')));
    const lines: AmendmentLine[] = [];
    const accounts = text('accounts')
      .split(LIST)
      .map((s) => s.trim())
      .filter(Boolean);
    const amountCell = col.amounts >= 0 ? row[col.amounts] : undefined;
    const amounts =
      typeof amountCell === 'number'
        ? [amountCell]
        : cellText(amountCell)
            .split(LIST)
            .map((s) => s.trim())
            .filter(Boolean);
    if (accounts.length === 0)
      out.push(
        diag('BL646', { id: shownId, account: '', reasons: 'no account is given' }, where('accounts')),
      );
    if (amounts.length !== accounts.length)
      out.push(
        diag(
          'BL647',
          {
            id: shownId,
            detail: `${accounts.length} account${accounts.length === 1 ? '' : 's'} but ${amounts.length} amount${amounts.length === 1 ? '' : 's'}`,
          },
          where('amounts'),
        ),
      );
    accounts.forEach((raw, i) => {
      const check = validator?.check(raw, where('accounts'));
      const fatal = (check?.diagnostics ?? []).filter((d) => d.severity === 'fatal');
      if (check && (!check.ok || !check.normalized))
        out.push(
          diag(
            'BL646',
            {
              id: shownId,
              account: raw,
              reasons: fatal.map((d) => d.message).join('; ') || 'it cannot be read',
            },
            where('accounts'),
          ),
        );
      const money = parseMoney(amounts[i] ?? null, where('amounts'), `amount ${i + 1}`);
      if (!money.ok && i < amounts.length)
        out.push(
          diag(
            'BL647',
            { id: shownId, detail: `amount ${i + 1}: ${money.diagnostic.message}` },
            where('amounts'),
          ),
        );
      lines.push({ account: check?.normalized ?? raw, cents: money.ok ? money.value : 0 });
    });
    const reason = text('reason');
    if (!reason) out.push(diag('BL648', { id: shownId }, where('reason')));
    const draftedBy = text('draftedBy');
    diagnostics.push(...out);
    if (!id) continue;
    rows.push({
      id,
      site: site ?? siteText,
      lines,
      reason,
      resolution: text('resolution'),
      status: text('status').toLowerCase(),
      ...(draftedBy ? { draftedBy: normalizeEmail(draftedBy) } : {}),
      row: index,
      cells,
      diagnostics: out,
    });
  }
  return { rows, diagnostics };
}

// ---- replay --------------------------------------------------------------------------------------

export interface AdoptionRecord {
  /** The board's vote, YYYY-MM-DD. */
  readonly date: string;
  readonly resolution: string;
  readonly at: string;
  readonly actor: string;
  /** The adopted snapshot's hash (adoptedHash). */
  readonly hash: string;
  readonly position: number;
}

export type AmendmentState = 'drafted' | 'approved' | 'applied';

export interface AmendmentRecord {
  readonly id: string;
  readonly state: AmendmentState;
  readonly draftedBy?: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly resolution?: string;
  /** The content hash the approval recorded (what may be applied). */
  readonly hash?: string;
  readonly appliedAt?: string;
  /** The Reason as it was applied (the apply entry's comment), to tell which cell changed since. */
  readonly appliedReason?: string;
}

export type BoardState = 'open' | 'adopted' | 'revision';

export interface BoardReplay {
  readonly state: BoardState;
  readonly adoption?: AdoptionRecord;
  /** The board's comment when it did not adopt (state revision). */
  readonly revision?: { readonly comment: string; readonly at: string; readonly position: number };
  readonly amendments: ReadonlyMap<string, AmendmentRecord>;
  /** Steps that were not possible (BL656) and self-approved amendments (BL651), by position. */
  readonly diagnostics: readonly Diagnostic[];
}

const VOTE = /^Board vote (\d{4}-\d{2}-\d{2}), resolution (.*)$/s;
const RESOLUTION = /^Resolution (.*)$/s;

/** The adopt entry's comment. */
export function voteComment(date: string, resolution: string): string {
  return `Board vote ${date}, resolution ${resolution}`;
}

/** The amend-approve entry's comment. */
export function resolutionComment(resolution: string): string {
  return `Resolution ${resolution}`;
}

/** The board's steps and amendments, replayed from the chain (other entries are skipped). */
export function replayBoard(log: readonly AuditEntry[]): BoardReplay {
  let state: BoardState = 'open';
  let adoption: AdoptionRecord | undefined;
  let revision: BoardReplay['revision'];
  const amendments = new Map<string, AmendmentRecord>();
  const diagnostics: Diagnostic[] = [];
  log.forEach((e, i) => {
    const position = i + 1;
    const bad = (what: string, at: string): void => {
      diagnostics.push(diag('BL656', { position, action: e.action, what, state: at }));
    };
    switch (e.action) {
      case 'adopt': {
        const vote = VOTE.exec(e.comment);
        if (state === 'adopted' || !vote)
          return bad('the budget', state === 'adopted' ? 'adopted' : 'without a vote');
        adoption = {
          date: vote[1] as string,
          resolution: vote[2] as string,
          at: e.at,
          actor: normalizeEmail(e.actor),
          hash: e.contentHash,
          position,
        };
        state = 'adopted';
        revision = undefined;
        return;
      }
      case 'not-adopted':
        if (state === 'adopted') return bad('the budget', 'adopted');
        state = 'revision';
        revision = { comment: e.comment, at: e.at, position };
        return;
      case 'amend-draft':
      case 'amend-approve':
      case 'amend-apply': {
        const id = e.site.replace(/^Amendment /, '');
        const what = `amendment ${id}`;
        if (state !== 'adopted') return bad(what, 'not adopted');
        const a = amendments.get(id);
        const actor = normalizeEmail(e.actor);
        if (e.action === 'amend-draft') {
          if (a) return bad(what, a.state);
          amendments.set(id, { id, state: 'drafted', draftedBy: actor });
          return;
        }
        if (e.action === 'amend-approve') {
          if (a && a.state !== 'drafted') return bad(what, a.state);
          if (a?.draftedBy === actor) diagnostics.push(diag('BL651', { id, who: actor }));
          const res = RESOLUTION.exec(e.comment)?.[1] ?? '';
          amendments.set(id, {
            id,
            state: 'approved',
            ...(a?.draftedBy ? { draftedBy: a.draftedBy } : {}),
            approvedBy: actor,
            approvedAt: e.at,
            resolution: res,
            hash: e.contentHash,
          });
          return;
        }
        if (!a || a.state !== 'approved' || a.hash !== e.contentHash)
          return bad(
            what,
            a ? (a.state === 'approved' ? 'approved with other content' : a.state) : 'not approved',
          );
        amendments.set(id, { ...a, state: 'applied', appliedAt: e.at, appliedReason: e.comment });
        return;
      }
      default:
        return;
    }
  });
  return {
    state,
    ...(adoption ? { adoption } : {}),
    ...(revision ? { revision } : {}),
    amendments,
    diagnostics,
  };
}

/**
 * The applied amendments' rows whose content is what was approved (and applied), in chain order of
 * application. A row changed since is not counted and is reported: an approved one with BL653 (on its
 * ID cell); an applied one with BL662 on the cell that changed, when the chain tells which (the
 * Reason is in the apply entry; another site is tried against the hash), else on its Accounts cell
 * with its Amounts cell named too — the chain keeps only their hash.
 */
export function appliedAmendments(
  board: BoardReplay,
  rows: readonly Amendment[],
  sites: readonly string[] = [],
): { applied: Amendment[]; diagnostics: Diagnostic[] } {
  const applied: Amendment[] = [];
  const diagnostics: Diagnostic[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const rec of board.amendments.values()) {
    if (rec.state === 'drafted') continue;
    const row = byId.get(rec.id);
    if (row && amendmentHash(row) === rec.hash) {
      if (rec.state === 'applied') applied.push(row);
      continue;
    }
    if (rec.state === 'applied') {
      diagnostics.push(changedApplied(rec, row, sites));
      continue;
    }
    const where = { sheet: SHEETS.amendments, ...(row?.cells.id ? { cell: row.cells.id } : {}) };
    diagnostics.push(diag('BL653', { id: rec.id }, where));
  }
  return { applied, diagnostics };
}

/** BL662 for an applied amendment whose row is no longer what was applied, on the cell that changed. */
function changedApplied(
  rec: AmendmentRecord,
  row: Amendment | undefined,
  sites: readonly string[],
): Diagnostic {
  const sheet = SHEETS.amendments;
  const id = rec.id;
  const at = rec.appliedAt ?? '';
  if (!row)
    return diag(
      'BL662',
      {
        id,
        at,
        detail: `no row of the ${sheet} table has the ID ${id} any more (its ID cell was changed or its row removed)`,
      },
      { sheet },
    );
  const reason = rec.appliedReason ?? row.reason;
  const same = (x: Partial<Pick<Amendment, 'site' | 'reason'>>): boolean =>
    amendmentHash({ ...row, reason, ...x }) === rec.hash;
  const name = (k: keyof Amendment['cells']): string => row.cells[k] ?? k;
  const where = (k: keyof Amendment['cells']) => ({ sheet, ...(row.cells[k] ? { cell: row.cells[k] } : {}) });
  if (reason !== row.reason && same({}))
    return diag(
      'BL662',
      {
        id,
        at,
        detail: `its Reason (${name('reason')}) reads ${JSON.stringify(row.reason)}; it was applied as ${JSON.stringify(reason)}`,
      },
      where('reason'),
    );
  const site = sites.find((s) => s !== row.site && same({ site: s }));
  if (site !== undefined)
    return diag(
      'BL662',
      { id, at, detail: `its Site (${name('site')}) reads ${row.site}; it was applied to site ${site}` },
      where('site'),
    );
  return diag(
    'BL662',
    {
      id,
      at,
      detail: `its Accounts (${name('accounts')}) or Amounts (${name('amounts')}) are not what was applied${reason !== row.reason ? `, and its Reason (${name('reason')}) reads ${JSON.stringify(row.reason)}, applied as ${JSON.stringify(reason)}` : ''} (the audit log keeps only their hash)`,
    },
    where('accounts'),
  );
}
