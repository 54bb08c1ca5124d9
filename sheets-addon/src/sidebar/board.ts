/**
 * The sidebar's Board part (issue 15), on the District panel: the board's vote (Adopt, Not adopted),
 * Reopen all sites, and approving / applying amendments. It shows what the status view says and sends
 * what the user clicks; the server (src/board.ts) and the core decide. Text only through textContent.
 */
import type { OperationResult, StatusView } from '../../../core/operations/api';
import type { ActionReply } from '../server';
import type { DraftFields } from '../../../core/views/board';
import { draftFields, renderBoardPanel } from '../../../ui/board';

type Ok<T> = (value: T) => void;
type Fail = (error: Error) => void;

/** google.script.run, as far as the Board part uses it. */
interface BoardRunner {
  withSuccessHandler(f: Ok<never>): BoardRunner;
  withFailureHandler(f: Fail): BoardRunner;
  adoptBudget(date: string, resolution: string, site: string): void;
  notAdoptedBudget(comment: string, site: string): void;
  reopenAllSites(comment: string, site: string): void;
  amendBudget(id: string, step: string, resolution: string, site: string): void;
  draftAmendment(id: string, amendSite: string, lines: string, reason: string, site: string): void;
}

declare const google: { script: { run: BoardRunner } };

/** One promise per server call; each call names its server function literally. */
const server = {
  adoptBudget: (date: string, resolution: string, site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .adoptBudget(date, resolution, site),
    ),
  notAdoptedBudget: (comment: string, site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .notAdoptedBudget(comment, site),
    ),
  reopenAllSites: (comment: string, site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .reopenAllSites(comment, site),
    ),
  amendBudget: (id: string, step: string, resolution: string, site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .amendBudget(id, step, resolution, site),
    ),
  draftAmendment: (f: DraftFields, site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .draftAmendment(f.id, f.site, f.lines, f.reason, site),
    ),
};

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`sidebar: #${id} is missing`);
  return el;
}

const value = (id: string): string => ($(id) as HTMLInputElement | HTMLTextAreaElement).value.trim();

export function renderBoard(view: StatusView): void {
  renderBoardPanel(view, { apply: 'btn-amend-apply' });
}

/** Wires the Board buttons: one server call each, then the result and the new status are shown. */
export function wireBoard(deps: {
  readonly run: (task: () => Promise<void>) => Promise<void>;
  readonly site: () => string;
  readonly show: (r: OperationResult) => void;
  readonly render: (reply: ActionReply['status']) => void;
}): void {
  const step = (send: (site: string) => Promise<ActionReply>) => () =>
    void deps.run(async () => {
      const reply = await send(deps.site());
      deps.show(reply.result);
      deps.render(reply.status);
    });
  $('btn-adopt').addEventListener(
    'click',
    step((site) => server.adoptBudget(value('board-date'), value('board-resolution'), site)),
  );
  $('btn-not-adopted').addEventListener(
    'click',
    step((site) => server.notAdoptedBudget(value('board-comment'), site)),
  );
  $('btn-reopen-all').addEventListener(
    'click',
    step((site) => server.reopenAllSites(value('board-comment'), site)),
  );
  const amendment = (): string => ($('amend-id') as HTMLSelectElement).value;
  $('btn-amend-approve').addEventListener(
    'click',
    step((site) => server.amendBudget(amendment(), 'approve', value('amend-resolution'), site)),
  );
  $('btn-amend-apply').addEventListener(
    'click',
    step((site) => server.amendBudget(amendment(), 'apply', '', site)),
  );
  $('btn-draft').addEventListener(
    'click',
    () =>
      void deps.run(async () => {
        const reply = await server.draftAmendment(draftFields(), deps.site());
        deps.show(reply.result);
        deps.render(reply.status);
        if (reply.result.ok)
          for (const id of ['draft-lines', 'draft-reason']) ($(id) as HTMLTextAreaElement).value = '';
      }),
  );
}
