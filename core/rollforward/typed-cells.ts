/**
 * Roll-forward keeps every cell a person typed in a carried row. Next year's site sheet is written
 * from the model (accounts moved to next year, salaries raised, one-time lines dropped), and the
 * model does not hold every column: a position's Description, a line's Proposal, the columns a
 * district added to its site sheets ("Priority", "Requested by", …). Here each carried row starts as
 * this year's row, matched column by column by header (synonyms included), and what roll-forward
 * wrote is laid over it; columns the site table does not declare are appended to next year's header
 * in their order. Computed columns (Cost (computed), the summary block) are never carried: the next
 * validation writes them again.
 */
import { cellText, isBlank, type CellValue, type Grid } from '../cells';
import { normalizeHeader } from '../tables';
import { SITE_TABLE, type ColumnDecl } from '../workbook/schema';

/** Each declared site column's names (header and synonyms, normalized) → its header. */
const CANONICAL: ReadonlyMap<string, string> = new Map(
  Object.values<ColumnDecl>(SITE_TABLE.columns).flatMap((c) =>
    [c.header, ...(c.synonyms ?? [])].map((n) => [normalizeHeader(n), c.header] as const),
  ),
);

const COMPUTED: ReadonlySet<string> = new Set(
  Object.values<ColumnDecl>(SITE_TABLE.columns)
    .filter((c) => c.computed)
    .map((c) => normalizeHeader(c.header)),
);

/** A header Budgetline writes and never reads: a declared computed column, or any "… (computed)". */
export function isComputedHeader(h: CellValue): boolean {
  return COMPUTED.has(normalizeHeader(h)) || /\(computed\)\s*$/i.test(cellText(h));
}

/** One row of next year's sheet: its values (header order) and, when carried, its row in this year's grid. */
export interface NextRow {
  readonly values: readonly CellValue[];
  /** 0-based row of this year's site sheet it was carried from (absent: a new row, a change line). */
  readonly from?: number;
}

/**
 * Next year's header and rows with this year's typed cells kept. `source` is this year's site table
 * (siteTableGrid: the summary block cut off); `header` next year's header as roll-forward builds it.
 */
export function keepTypedCells(
  source: Grid,
  header: readonly string[],
  rows: readonly NextRow[],
): { header: string[]; rows: CellValue[][] } {
  const out = [...header];
  const at = new Map(out.map((h, i) => [normalizeHeader(h), i]));
  /** Source column → next year's column. */
  const map: [from: number, to: number][] = [];
  (source[0] ?? []).forEach((h, j) => {
    const name = cellText(h).trim();
    if (name === '' || isComputedHeader(h)) return;
    const key = normalizeHeader(CANONICAL.get(normalizeHeader(name)) ?? name);
    let to = at.get(key);
    if (to === undefined) {
      to = out.length;
      out.push(name);
      at.set(key, to);
    }
    // Two source columns naming one column (a header and its synonym): the first one wins.
    if (!map.some(([, t]) => t === to)) map.push([j, to]);
  });
  const next = rows.map((r) => {
    const values: CellValue[] = out.map((_, i) => r.values[i] ?? null);
    const from = r.from !== undefined ? source[r.from] : undefined;
    if (from)
      for (const [j, to] of map) {
        const typed = from[j];
        if (isBlank(values[to]) && typed !== undefined && !isBlank(typed)) values[to] = typed;
      }
    return values;
  });
  return { header: out, rows: next };
}
