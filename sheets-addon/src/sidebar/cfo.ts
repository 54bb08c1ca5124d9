/**
 * The CFO's views in the sidebar (ui/cfo.ts draws them; the same code as the Excel pane's). Each
 * button makes one google.script.run call to the server (cfo-server.ts), which runs one core
 * operation: one read for a view, one read and one write for a decision or an import. A picked CSV
 * is read and parsed here, in the browser; its rows go to the server in that one call.
 */
import type { OperationResult } from '../../../core/operations/api';
import type {
  ActualsViewResult,
  AdoptViewResult,
  DecideViewResult,
  ProposalsViewResult,
  ProposeViewResult,
  ScenariosViewResult,
} from '../../../core/operations/cfo';
import type { ViewTable } from '../../../core/views/table';
import type { CellValue } from '../../../core/cells';
import { mountCfoViews, type CfoBackend } from '../../../ui/cfo';

type Ok<T> = (value: T) => void;

interface CfoRunner {
  withSuccessHandler(f: Ok<never>): CfoRunner;
  withFailureHandler(f: (e: Error) => void): CfoRunner;
  getProposals(): void;
  decideProposal(proposal: string, decision: string, reason: string): void;
  proposeProposal(proposal: string): void;
  getScenarios(): void;
  adoptScenario(scenario: string, reason: string): void;
  getActuals(): void;
  importBySiteRows(source: string, header: CellValue[], records: CellValue[][], replace: boolean): void;
}

declare const google: { script: { run: CfoRunner } };

/** One promise per server call; each names its server function literally. */
function call<T>(invoke: (r: CfoRunner) => void): Promise<T> {
  return new Promise((ok: Ok<T>, fail) =>
    invoke(google.script.run.withSuccessHandler(ok as Ok<never>).withFailureHandler(fail)),
  );
}

/** The most lines one picked file may hold here (cfo-server.ts says why; the server checks again). */
const SIDEBAR_EXTRACT_LIMIT = 50_000;

const backend: CfoBackend = {
  proposals: () => call<ProposalsViewResult>((r) => r.getProposals()),
  decide: (proposal, decision, reason) =>
    call<DecideViewResult>((r) => r.decideProposal(proposal, decision, reason)),
  propose: (proposal) => call<ProposeViewResult>((r) => r.proposeProposal(proposal)),
  scenarios: () => call<ScenariosViewResult>((r) => r.getScenarios()),
  adopt: (scenario, reason) => call<AdoptViewResult>((r) => r.adoptScenario(scenario, reason)),
  actuals: () => call<ActualsViewResult>((r) => r.getActuals()),
  importBySite: (extract, replace) =>
    call<OperationResult & { report?: ViewTable }>((r) =>
      r.importBySiteRows(extract.source, extract.header, extract.records, replace),
    ),
};

export function mountSidebarCfoViews(root: HTMLElement): void {
  mountCfoViews(root, backend, {
    prefix: 'cfo',
    buttonClass: 'action',
    maxRecords: SIDEBAR_EXTRACT_LIMIT,
    fileNote:
      'CSV only (save an .xlsx extract as CSV). The file is read here and sent to Google in one call, at most 50,000 lines; it is imported all or nothing, every problem listed with its row. Larger files: use the command line.',
    onError: () => undefined,
  });
}
