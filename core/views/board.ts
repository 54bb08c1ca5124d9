/**
 * The Board panel of the Excel pane and the Sheets sidebar, as data: what it says and which of its
 * parts the user may use now. Both hosts draw it with ui/board.ts; the rule and the wording live here,
 * and so does reading the Draft amendment form into `amend --add`'s arguments (draftArgs).
 */
import type { StatusView } from '../operations/api';
import type { AmendArgs } from '../operations/board';

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
  /** Draft an amendment (after adoption): anyone who builds, approves or runs a site's budget. */
  readonly draft: boolean;
  /** The sites the user may draft an amendment for, for the Site picker: code and "Name (code)". */
  readonly draftSites: readonly { readonly code: string; readonly label: string }[];
  /** The next free ID ("A-2" after A-1), offered in the ID field; the user may type another. */
  readonly draftId: string;
}

/** The next free amendment ID: A-n after the highest A-number in use (A-1 when there is none). */
function nextAmendmentId(ids: readonly string[]): string {
  let n = 0;
  for (const id of ids) {
    const m = /^A-(\d+)$/i.exec(id.trim());
    if (m) n = Math.max(n, Number(m[1]));
  }
  return `A-${n + 1}`;
}

/** What the panel's Draft amendment form holds, as typed. */
export interface DraftFields {
  readonly id: string;
  readonly site: string;
  /** One account string and its signed amount a line: "100-1000-610-100-001 -1,500.00". */
  readonly lines: string;
  readonly reason: string;
}

/**
 * The Draft amendment form as the arguments of `amend --add` (core/operations/board.ts), which checks
 * them like a typed row: each non-blank line is an account string and its signed amount, split at the
 * last space or tab (a line without an amount gives an account without one, which amend refuses).
 */
export function draftArgs(f: DraftFields): AmendArgs {
  const accounts: string[] = [];
  const amounts: string[] = [];
  for (const raw of f.lines.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.*\S)\s+(\S+)$/.exec(line);
    accounts.push((m ? m[1] : line) ?? line);
    if (m?.[2] !== undefined) amounts.push(m[2]);
  }
  return { step: 'add', id: f.id.trim(), site: f.site.trim(), accounts, amounts, reason: f.reason.trim() };
}

export function boardPanel(view: StatusView): BoardPanel {
  const board = view.board;
  const cfo = view.canAdopt === true;
  const adopted = board?.state === 'adopted';
  const amendments = board?.amendments ?? [];
  const pending = amendments.filter((a) => a.state !== 'applied');
  const names = new Map(view.sites.map((s) => [s.code, s.name]));
  const draftSites = adopted
    ? (view.amendSites ?? []).map((code) => ({
        code,
        label: names.get(code) ? `${names.get(code) ?? ''} (${code})` : code,
      }))
    : [];
  return {
    visible: cfo || (adopted && (amendments.length > 0 || draftSites.length > 0)),
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
    draft: draftSites.length > 0,
    draftSites,
    draftId: nextAmendmentId(amendments.map((a) => a.id)),
  };
}
