/**
 * The Board panel of the Excel pane and the Sheets sidebar, as data: what it says and which of its
 * parts the user may use now. Both hosts draw it with ui/board.ts; the rule and the wording live here.
 */
import type { StatusView } from '../operations/api';

export interface BoardPanel {
  /** The panel is shown to the CFO, and to others once there are amendments of an adopted budget. */
  readonly visible: boolean;
  readonly status: string;
  /** Record the vote (adopt / not adopted) and reopen every site: the CFO, before adoption. */
  readonly vote: boolean;
  /** Approve or apply a pending amendment: after adoption, while one is pending. */
  readonly amend: boolean;
  /** Apply (the CFO only; a site's approver approves). */
  readonly apply: boolean;
  /** The amendments not yet applied, for the picker: id and its label. */
  readonly pending: readonly { readonly id: string; readonly label: string }[];
  /** Every amendment, one line each. */
  readonly list: readonly string[];
}

export function boardPanel(view: StatusView): BoardPanel {
  const board = view.board;
  const cfo = view.canAdopt === true;
  const adopted = board?.state === 'adopted';
  const amendments = board?.amendments ?? [];
  const pending = amendments.filter((a) => a.state !== 'applied');
  return {
    visible: cfo || (adopted && amendments.length > 0),
    status: board?.adopted
      ? `ADOPTED by the board on ${board.adopted.date}, resolution ${board.adopted.resolution}.`
      : board?.state === 'revision'
        ? `NOT ADOPTED: back to revision. Board's comment: ${board.comment ?? ''}`
        : 'Not adopted yet: when every site is approved, record the board vote here.',
    vote: cfo && !adopted,
    amend: adopted && pending.length > 0,
    apply: cfo,
    pending: pending.map((a) => ({ id: a.id, label: `${a.id} (${a.site}, ${a.state}): ${a.reason}` })),
    list: amendments.map(
      (a) =>
        `${a.id} ${a.site}: ${a.state}${a.resolution ? `, resolution ${a.resolution}` : ''}. ${a.reason}`,
    ),
  };
}
