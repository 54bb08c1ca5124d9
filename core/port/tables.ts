/**
 * What an adapter does with a TableSpec on a sheet that already holds Excel tables, decided once here
 * for every adapter (memory, .xlsx, Excel) and for the finding an operation reports (BL826):
 *
 * - Budgetline's own table (its name, or with a suffix) at the range's first cell: resized to the range;
 * - a user's table that covers exactly the block (the same header row starting at A1, the same
 *   columns): it IS the table — kept under its name, its rows extended when the block grew past it
 *   (never shortened, never renamed, its headers untouched);
 * - no table overlapping the range: a new table (its name made unique by the adapter);
 * - any other overlap (a user's table over part of the block, or in the way of our table's new rows):
 *   nothing is added or changed, and BL826 says so, naming the sheet and the user's table;
 * - merged cells where a table would be made or grown (Excel makes no table over them; an .xlsx
 *   table part over them is "repaired" away by Excel): nothing is added or changed, and BL827 says so.
 */
import { a1, parseA1 } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { firstCell, isOwnTable } from './helpers';
import type { TableSpec } from './types';

/** A rectangle of cells, 0-based and inclusive. */
interface Box {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

export type TablePlan =
  | { readonly kind: 'add' }
  /** Resize the table named `table` (Budgetline's own, or the user's covering one grown) to `range`. */
  | { readonly kind: 'resize'; readonly table: string; readonly range: string; readonly own: boolean }
  /** The table named `table` is already what is wanted: nothing to do. */
  | { readonly kind: 'keep'; readonly table: string }
  /** A user's table is in the way: nothing is written (BL826). */
  | { readonly kind: 'skip'; readonly user: TableSpec; readonly wanted: string }
  /** Merged cells are where the table would be: nothing is written (BL827). */
  | { readonly kind: 'merged'; readonly cells: string; readonly wanted: string };

/** A block of merged cells on a sheet ("A4:B4"). */
export interface MergedArea {
  readonly sheet: string;
  readonly range: string;
}

/** "A1:R20" (any case, with or without $ or a sheet prefix) as a box; undefined when not a range. */
export function boxOf(range: string): Box | undefined {
  const bare = range.replace(/^.*!/, '').replace(/\$/g, '');
  const [a, b] = bare.split(':');
  const p = parseA1(a ?? '');
  const q = parseA1(b ?? a ?? '');
  if (!p || !q) return undefined;
  return {
    top: Math.min(p.row, q.row),
    left: Math.min(p.column, q.column),
    bottom: Math.max(p.row, q.row),
    right: Math.max(p.column, q.column),
  };
}

/** A box as "A1:R20". */
export function rangeOf(b: Box): string {
  return `${a1(b.top, b.left)}:${a1(b.bottom, b.right)}`;
}

const overlaps = (x: Box, y: Box): boolean =>
  x.top <= y.bottom && y.top <= x.bottom && x.left <= y.right && y.left <= x.right;

const sameSheet = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * What to do with `wanted` given the tables the workbook has (`existing`: sheet, name, range). Pure:
 * the adapters call it with the tables they hold, the operations with the snapshot's.
 */
export function planTable(
  wanted: TableSpec,
  existing: readonly TableSpec[],
  merged: readonly MergedArea[] = [],
): TablePlan {
  const plan = planOverTables(wanted, existing);
  const target = plan.kind === 'add' ? wanted.range : plan.kind === 'resize' ? plan.range : undefined;
  const box = target === undefined ? undefined : boxOf(target);
  if (!box) return plan;
  const hit = merged.find((m) => {
    const b = sameSheet(m.sheet, wanted.sheet) ? boxOf(m.range) : undefined;
    return b !== undefined && overlaps(b, box);
  });
  return hit ? { kind: 'merged', cells: bare(hit.range), wanted: bare(wanted.range) } : plan;
}

/** "'Site'!$A$4:$B$4" → "A4:B4". */
const bare = (range: string): string => range.replace(/^.*!/, '').replace(/\$/g, '').toUpperCase();

function planOverTables(wanted: TableSpec, existing: readonly TableSpec[]): TablePlan {
  const box = boxOf(wanted.range);
  const onSheet = existing.filter((t) => sameSheet(t.sheet, wanted.sheet));
  if (!box) return { kind: 'add' };
  const boxes = onSheet.flatMap((t) => {
    const b = boxOf(t.range);
    return b ? [{ t, b }] : [];
  });
  const hit = boxes.filter((x) => overlaps(x.b, box));
  // The table at the block's first cell: Budgetline's own, or a user's over the same header row.
  const first = hit.find((x) => firstCell(x.t.range) === firstCell(wanted.range));
  const inTheWay = (grown: Box, self: TableSpec): TableSpec | undefined =>
    boxes.find((x) => x.t !== self && overlaps(x.b, grown))?.t;
  const skip = (user: TableSpec): TablePlan => ({ kind: 'skip', user, wanted: wanted.range });

  if (first && isOwnTable(first.t.name, wanted.name)) {
    const other = inTheWay(box, first.t);
    if (other) return skip(other);
    return rangeOf(first.b) === rangeOf(box)
      ? { kind: 'keep', table: first.t.name }
      : { kind: 'resize', table: first.t.name, range: rangeOf(box), own: true };
  }
  if (first && first.b.left === box.left && first.b.right === box.right) {
    // A user's table over exactly these columns and this header row: it is the sheet's table.
    if (first.b.bottom >= box.bottom) return { kind: 'keep', table: first.t.name };
    const grown = { ...first.b, bottom: box.bottom };
    const other = inTheWay(grown, first.t);
    if (other) return skip(other);
    return { kind: 'resize', table: first.t.name, range: rangeOf(grown), own: false };
  }
  const other = hit[0];
  return other ? skip(other.t) : { kind: 'add' };
}

/**
 * BL826 for each wanted table a user's table is in the way of, once per sheet and table, and BL827
 * for each one merged cells are in the way of: what the operation reports alongside the write (the
 * adapters skip those tables on their own).
 */
export function tableFindings(
  wanted: readonly TableSpec[],
  existing: readonly TableSpec[] | undefined,
  merged: readonly MergedArea[] = [],
): Diagnostic[] {
  if (!existing?.length && !merged.length) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const w of wanted) {
    const plan = planTable(w, existing ?? [], merged);
    if (plan.kind === 'merged') {
      out.push(diag('BL827', { sheet: w.sheet, cells: plan.cells, wanted: plan.wanted }, { sheet: w.sheet }));
      continue;
    }
    if (plan.kind !== 'skip') continue;
    const key = `${w.sheet.toLowerCase()}\u0000${plan.user.name.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(
      diag(
        'BL826',
        {
          sheet: w.sheet,
          table: plan.user.name,
          range: bare(plan.user.range),
          wanted: bare(plan.wanted),
        },
        { sheet: w.sheet },
      ),
    );
  }
  return out;
}
