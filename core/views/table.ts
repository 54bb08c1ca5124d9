/**
 * A table of figures as the hosts show it: caption, column heads, rows of cell texts, each already
 * worded by the core (money formatted, flags in words). The pane and the sidebar draw it with the
 * same DOM code (ui/); neither decides what a cell says. Plain data: it crosses google.script.run.
 */

/** A flagged cell: said in words with an icon, never by colour alone (WCAG 1.4.1). */
export type ViewFlag = 'warning' | 'error' | 'ok';

export interface ViewCell {
  readonly text: string;
  readonly flag?: ViewFlag;
}

export interface ViewTable {
  /** Says what the table is; also its accessible name. */
  readonly caption: string;
  readonly columns: readonly string[];
  /** Columns of figures (right-aligned). */
  readonly numeric: readonly number[];
  /** The column whose cells name their rows (th scope=row). */
  readonly rowHeader: number;
  readonly rows: readonly ViewRow[];
}

export interface ViewRow {
  /** What the row is (a proposal ID, a fund code), for the hosts' tests and selection. */
  readonly key: string;
  readonly cells: readonly ViewCell[];
  /** Any cell of the row is flagged (the host may set the row apart, besides the words). */
  readonly flagged: boolean;
}

export type CellInput = string | ViewCell;

/** A row from texts and flagged cells. */
export function viewRow(key: string, cells: readonly CellInput[]): ViewRow {
  const out = cells.map((c): ViewCell => (typeof c === 'string' ? { text: c } : c));
  return { key, cells: out, flagged: out.some((c) => c.flag === 'warning' || c.flag === 'error') };
}

/** The words a flag's icon stands for, said before the cell's text. */
export const FLAG_WORDS: Readonly<Record<ViewFlag, { readonly icon: string; readonly text: string }>> = {
  error: { icon: '\u2716', text: 'Error' },
  warning: { icon: '\u26A0', text: 'Warning' },
  ok: { icon: '\u2714', text: 'OK' },
};
