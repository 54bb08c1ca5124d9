/**
 * The task pane's Board section (issue 15): the CFO records the board's vote (Adopt, with its date
 * and resolution; Not adopted, with the board's comment), reopens every approved site in bulk, and
 * amendments are approved (the site's approver or the CFO) and applied (the CFO). Thin: each button
 * is one core operation (core/operations/board.ts, reopenSites) through `act`; what is shown comes
 * from the status view. Text reaches the page only through textContent.
 */
import {
  operations,
  runOperation,
  type OperationOptions,
  type OperationResult,
  type StatusView,
  type WorkbookPort,
} from '../../core';
import { draftArgs } from '../../core/views/board';
import { draftFields, renderBoardPanel } from '../../ui/board';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`task pane: #${id} is missing`);
  return el;
}

const value = (id: string): string => ($(id) as HTMLInputElement | HTMLTextAreaElement).value.trim();

/** Shows the board's state and the buttons the user may press now. */
export function renderBoard(view: StatusView): void {
  renderBoardPanel(view, { apply: 'amend-apply', reopenAll: 'board-reopen-all' });
}

/** Wires the Board section's buttons: each runs one operation through `act`. */
export function wireBoard(deps: {
  readonly port: () => WorkbookPort;
  readonly options: () => OperationOptions;
  readonly act: (run: () => Promise<OperationResult>) => Promise<OperationResult | undefined>;
}): void {
  const { port, options, act } = deps;
  $('board-adopt').addEventListener(
    'click',
    () =>
      void act(() =>
        runOperation(
          port(),
          operations.adopt,
          { date: value('board-date'), resolution: value('board-resolution') },
          options(),
        ),
      ),
  );
  $('board-not-adopted').addEventListener(
    'click',
    () =>
      void act(() =>
        runOperation(port(), operations.notAdopted, { comment: value('board-comment') }, options()),
      ),
  );
  $('board-reopen-all').addEventListener(
    'click',
    () =>
      void act(() =>
        runOperation(
          port(),
          operations.reopenSites,
          { sites: 'all', comment: value('board-comment') },
          options(),
        ),
      ),
  );
  const amendment = (): string => ($('amend-id') as HTMLSelectElement).value;
  $('amend-approve').addEventListener('click', () => {
    const resolution = value('amend-resolution');
    void act(() =>
      runOperation(
        port(),
        operations.amend,
        { step: 'approve', id: amendment(), ...(resolution ? { resolution } : {}) },
        options(),
      ),
    );
  });
  $('amend-apply').addEventListener(
    'click',
    () =>
      void act(() => runOperation(port(), operations.amend, { step: 'apply', id: amendment() }, options())),
  );
  // Draft amendment: the form as `amend --add` takes it (core's draftArgs), one read and one write.
  $('draft-go').addEventListener('click', () => {
    void act(() => runOperation(port(), operations.amend, draftArgs(draftFields()), options())).then((r) => {
      if (r?.ok) for (const id of ['draft-lines', 'draft-reason']) ($(id) as HTMLTextAreaElement).value = '';
    });
  });
}
