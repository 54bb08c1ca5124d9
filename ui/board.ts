/**
 * Draws the Board panel (core/views/board.ts) in the Excel pane and the Sheets sidebar: the same
 * element ids in both, except the Apply button's and the pane's separate Reopen-all button. The Draft
 * amendment form (#board-draft) offers the sites the user may draft for and the next free ID.
 */
import type { StatusView } from '../core/operations/api';
import { boardPanel, type DraftFields } from '../core/views/board';
import { el } from './figures';

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing`);
  return found;
}

/** A picker's options, keeping the one chosen when it is still there. */
function options(select: HTMLSelectElement, items: readonly { value: string; label: string }[]): void {
  const chosen = select.value;
  select.replaceChildren(
    ...items.map((x) => {
      const o = el('option', x.label);
      o.value = x.value;
      o.selected = x.value === chosen;
      return o;
    }),
  );
}

/** The Draft amendment form as typed (core's draftArgs reads it). */
export function draftFields(): DraftFields {
  const v = (id: string): string => (byId(id) as HTMLInputElement | HTMLTextAreaElement).value;
  return { id: v('draft-id'), site: v('draft-site'), lines: v('draft-lines'), reason: v('draft-reason') };
}

export function renderBoardPanel(
  view: StatusView,
  ids: { readonly apply: string; readonly reopenAll?: string },
): void {
  const p = boardPanel(view);
  byId('board').hidden = !p.visible;
  byId('board-status').textContent = p.status;
  byId('board-vote').hidden = !p.vote;
  if (ids.reopenAll) byId(ids.reopenAll).hidden = !p.vote;
  byId('board-amend').hidden = !p.amend;
  byId(ids.apply).hidden = !p.apply;
  options(
    byId('amend-id') as HTMLSelectElement,
    p.pending.map((a) => ({ value: a.id, label: a.label })),
  );
  byId('board-draft').hidden = !p.draft;
  options(
    byId('draft-site') as HTMLSelectElement,
    p.draftSites.map((x) => ({ value: x.code, label: x.label })),
  );
  const id = byId('draft-id') as HTMLInputElement;
  if (!id.value.trim() || id.dataset.offered === id.value) {
    id.value = p.draftId;
    id.dataset.offered = p.draftId;
  }
  const list = byId('amend-list');
  list.replaceChildren(...p.list.map((line) => el('li', line)));
  list.hidden = p.list.length === 0;
}
