/**
 * The CFO's views, mounted the same way in the Excel pane and the Sheets sidebar: tabs (the ARIA
 * tabs pattern) for the ranked proposals with leadership's decisions, the scenario comparison,
 * budget vs actual vs forecast, and import by site from a picked file. Each host passes a backend
 * that runs the core's operation (the pane through its ExcelPort, the sidebar through
 * google.script.run): one read per view, one read and one write per decision or import. Nothing
 * here decides a rule: the tables come worded from the core, and the core re-checks every request.
 */
import type { Diagnostic } from '../core/diagnostics';
import type { ActualsBoard, ProposalsBoard } from '../core/views/cfo';
import type { ViewTable } from '../core/views/table';
import { el, findingList, showTables } from './figures';
import { ExtractError, readPickedFile, type PickedExtract, type XlsxReader } from './extract';
import { tabList } from './tabs';

export type Decision = 'accept' | 'reject' | 'defer';

interface Reply {
  readonly ok: boolean;
  readonly summary: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ProposalsReply extends Reply {
  readonly board?: ProposalsBoard;
  readonly canDecide: boolean;
  /** Drafts the user may submit. */
  readonly proposable: readonly { readonly id: string; readonly label: string }[];
}

export interface ScenariosReply extends Reply {
  readonly tables?: readonly ViewTable[];
  readonly canAdopt: boolean;
  readonly names: readonly string[];
}

export interface CfoBackend {
  proposals(): Promise<ProposalsReply>;
  /** The decision's result, with the proposals as they stand after it. */
  decide(proposal: string, decision: Decision, reason: string): Promise<Reply & { view: ProposalsReply }>;
  /** A budget owner submits a draft; the proposals as they stand after it. */
  propose(proposal: string): Promise<Reply & { view: ProposalsReply }>;
  scenarios(): Promise<ScenariosReply>;
  /** The CFO adopts a scenario into the budget; the scenarios compared again after it. */
  adopt(scenario: string, reason: string): Promise<Reply & { view: ScenariosReply }>;
  actuals(): Promise<Reply & { board?: ActualsBoard }>;
  importBySite(
    extract: PickedExtract,
    replace: boolean,
  ): Promise<Reply & { report?: ViewTable; sites?: readonly unknown[] }>;
}

export interface CfoOptions {
  /** The host's button classes (its busy state disables them). */
  readonly buttonClass: string;
  /** The host's own table classes, added to bl-figures. */
  readonly tableClass?: string;
  /** Prefix of the element ids (unique in the page). */
  readonly prefix: string;
  /** The most lines one picked file may hold (the sidebar's is lower: see its README section). */
  readonly maxRecords: number;
  /** Reads an .xlsx (the pane); without it only CSV is offered. */
  readonly readXlsx?: XlsxReader;
  /** A sentence under the file picker: what is read, and the host's limits. */
  readonly fileNote: string;
  /** Called with an error the backend threw (the host shows it its way). */
  readonly onError: (e: unknown) => void;
}

const DECISIONS: readonly (readonly [Decision, string])[] = [
  ['accept', 'Accept'],
  ['reject', 'Reject'],
  ['defer', 'Defer'],
];

/** A scrolling region for wide tables: focusable, named, so the keyboard can scroll it. */
function region(id: string, label: string): HTMLDivElement {
  const box = el('div', undefined, 'bl-scroll scroll');
  box.id = id;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', label);
  box.tabIndex = 0;
  box.hidden = true;
  return box;
}

function button(id: string, text: string, className: string): HTMLButtonElement {
  const b = el('button', text, className);
  b.type = 'button';
  b.id = id;
  return b;
}

function labelled<T extends HTMLElement>(id: string, text: string, control: T): [HTMLLabelElement, T] {
  const label = el('label', text);
  label.htmlFor = id;
  control.id = id;
  return [label, control];
}

/** Mounts the views into `root` (empty) and returns it. */
export function mountCfoViews(root: HTMLElement, backend: CfoBackend, o: CfoOptions): HTMLElement {
  const id = (s: string): string => `${o.prefix}-${s}`;
  const buttons: HTMLButtonElement[] = [];
  const btn = (name: string, text: string, primary = false): HTMLButtonElement => {
    const b = button(id(name), text, `${o.buttonClass}${primary ? ' bl-primary primary' : ''}`);
    buttons.push(b);
    return b;
  };
  let busy = false;
  /** One action at a time; its result's summary and findings under its panel. */
  const run = async (
    status: HTMLElement,
    findings: HTMLElement,
    task: () => Promise<Reply | undefined>,
  ): Promise<void> => {
    if (busy) return;
    busy = true;
    for (const b of buttons) b.disabled = true;
    status.textContent = 'Working…';
    status.className = 'bl-status';
    try {
      const r = await task();
      if (r) {
        status.textContent = r.summary;
        status.className = `bl-status ${r.ok ? 'ok' : 'error'}`;
        findingList(findings, r.diagnostics);
      }
    } catch (e) {
      status.textContent =
        e instanceof ExtractError
          ? e.message
          : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`;
      status.className = 'bl-status error';
      findings.replaceChildren();
      if (!(e instanceof ExtractError)) o.onError(e);
    } finally {
      busy = false;
      for (const b of buttons) b.disabled = false;
    }
  };
  const statusLine = (name: string): HTMLParagraphElement => {
    const p = el('p', '', 'bl-status');
    p.id = id(`${name}-status`);
    p.setAttribute('role', 'status');
    return p;
  };
  const findingsOf = (name: string, label: string): HTMLUListElement => {
    const ul = el('ul', undefined, 'bl-findings findings');
    ul.id = id(`${name}-findings`);
    ul.setAttribute('aria-label', label);
    return ul;
  };

  // ---- proposals ----
  const pPanel = el('div', undefined, 'bl-panel');
  const pLoad = btn('proposals-load', 'Show the ranked proposals', true);
  const pFunding = el('p', '', 'bl-funding');
  pFunding.id = id('funding-line');
  const pTable = region(id('proposals-table'), 'Ranked proposals');
  const decision = el('fieldset', undefined, 'bl-decision');
  decision.id = id('decision');
  decision.hidden = true;
  decision.append(el('legend', 'Decide on a proposal'));
  const [pickLabel, pick] = labelled(id('decide-proposal'), 'Proposal', el('select'));
  const [reasonLabel, reason] = labelled(id('decide-reason'), 'Reason (required)', el('textarea'));
  reason.rows = 2;
  reason.setAttribute('aria-required', 'true');
  const decide = el('div', undefined, 'bl-buttons buttons');
  const decisionButtons = DECISIONS.map(([d, text]) => [d, btn(`decide-${d}`, text)] as const);
  for (const [, b] of decisionButtons) decide.append(b);
  decision.append(pickLabel, pick, reasonLabel, reason, decide);
  const readOnly = el(
    'p',
    'Only the CFO accepts, rejects or defers proposals: you see them read-only.',
    'bl-muted muted',
  );
  readOnly.id = id('read-only');
  readOnly.hidden = true;
  const submitForm = el('fieldset', undefined, 'bl-decision');
  submitForm.id = id('propose');
  submitForm.hidden = true;
  submitForm.append(el('legend', 'Submit a draft proposal'));
  const [draftLabel, draft] = labelled(id('propose-proposal'), 'Draft', el('select'));
  const proposeGo = btn('propose-go', 'Submit proposal');
  const proposeRow = el('div', undefined, 'bl-buttons buttons');
  proposeRow.append(proposeGo);
  submitForm.append(draftLabel, draft, proposeRow);
  const pStatus = statusLine('proposals');
  const pFindings = findingsOf('proposals', 'Findings about the proposals');
  pPanel.append(pLoad, pFunding, pTable, decision, readOnly, submitForm, pStatus, pFindings);

  const showProposals = (r: ProposalsReply): void => {
    pFunding.textContent = r.board?.fundingLine ?? '';
    showTables(pTable, r.board ? [r.board.table] : [], o.tableClass);
    const chosen = pick.value;
    pick.replaceChildren(
      ...(r.board?.choices ?? []).map((c) => {
        const opt = el('option', c.label);
        opt.value = c.id;
        return opt;
      }),
    );
    if (chosen && r.board?.choices.some((c) => c.id === chosen)) pick.value = chosen;
    decision.hidden = !r.canDecide || !r.board?.choices.length;
    readOnly.hidden = r.canDecide || !r.board;
    draft.replaceChildren(
      ...r.proposable.map((c) => {
        const opt = el('option', c.label);
        opt.value = c.id;
        return opt;
      }),
    );
    submitForm.hidden = r.proposable.length === 0;
  };
  proposeGo.addEventListener(
    'click',
    () =>
      void run(pStatus, pFindings, async () => {
        const r = await backend.propose(draft.value);
        showProposals(r.view);
        return r;
      }),
  );
  pLoad.addEventListener(
    'click',
    () =>
      void run(pStatus, pFindings, async () => {
        const r = await backend.proposals();
        showProposals(r);
        return r;
      }),
  );
  for (const [d, b] of decisionButtons)
    b.addEventListener(
      'click',
      () =>
        void run(pStatus, pFindings, async () => {
          const r = await backend.decide(pick.value, d, reason.value);
          showProposals(r.view);
          if (r.ok) reason.value = '';
          return r;
        }),
    );

  // ---- scenarios ----
  const sPanel = el('div', undefined, 'bl-panel');
  const sLoad = btn('scenarios-load', 'Compare the scenarios', true);
  const sTables = region(id('scenarios-tables'), 'Scenarios compared');
  const adoptForm = el('fieldset', undefined, 'bl-decision');
  adoptForm.id = id('adopt');
  adoptForm.hidden = true;
  adoptForm.append(el('legend', 'Adopt a scenario into the budget'));
  const [scenarioLabel, scenario] = labelled(id('adopt-scenario'), 'Scenario', el('select'));
  const [adoptReasonLabel, adoptReason] = labelled(id('adopt-reason'), 'Reason (required)', el('textarea'));
  adoptReason.rows = 2;
  adoptReason.setAttribute('aria-required', 'true');
  const adoptGo = btn('adopt-go', 'Adopt scenario');
  const adoptRow = el('div', undefined, 'bl-buttons buttons');
  adoptRow.append(adoptGo);
  adoptForm.append(scenarioLabel, scenario, adoptReasonLabel, adoptReason, adoptRow);
  const sStatus = statusLine('scenarios');
  const sFindings = findingsOf('scenarios', 'Findings about the scenarios');
  sPanel.append(sLoad, sTables, adoptForm, sStatus, sFindings);
  const showScenarios = (r: ScenariosReply): void => {
    showTables(sTables, r.tables ?? [], o.tableClass);
    const chosen = scenario.value;
    scenario.replaceChildren(
      ...r.names.map((n) => {
        const opt = el('option', n);
        opt.value = n;
        return opt;
      }),
    );
    if (r.names.includes(chosen)) scenario.value = chosen;
    adoptForm.hidden = !r.canAdopt || r.names.length === 0;
  };
  sLoad.addEventListener(
    'click',
    () =>
      void run(sStatus, sFindings, async () => {
        const r = await backend.scenarios();
        showScenarios(r);
        return r;
      }),
  );
  adoptGo.addEventListener(
    'click',
    () =>
      void run(sStatus, sFindings, async () => {
        const r = await backend.adopt(scenario.value, adoptReason.value);
        showScenarios(r.view);
        if (r.ok) adoptReason.value = '';
        return r;
      }),
  );

  // ---- budget vs actual vs forecast ----
  const aPanel = el('div', undefined, 'bl-panel');
  const aLoad = btn('actuals-load', 'Show budget vs actual vs forecast', true);
  const aAsOf = el('p', '', 'bl-muted muted');
  aAsOf.id = id('as-of');
  const aFunds = region(id('actuals-funds'), 'Budget vs actual vs forecast by fund');
  const aSites = region(id('actuals-sites'), 'Budget vs actual vs forecast by site');
  const aLines = region(id('actuals-lines'), 'Flagged lines');
  const aBalances = region(id('actuals-balances'), 'Estimated ending fund balances');
  const aStatus = statusLine('actuals');
  const aFindings = findingsOf('actuals', 'Findings about the actuals');
  aPanel.append(aLoad, aAsOf, aFunds, aSites, aLines, aBalances, aStatus, aFindings);
  aLoad.addEventListener(
    'click',
    () =>
      void run(aStatus, aFindings, async () => {
        const r = await backend.actuals();
        const b = r.board;
        aAsOf.textContent = b?.asOf ?? '';
        showTables(aFunds, b ? [b.byFund] : [], o.tableClass);
        showTables(aSites, b ? [b.bySite] : [], o.tableClass);
        showTables(aLines, b ? [b.flagged] : [], o.tableClass);
        showTables(aBalances, b?.balances ? [b.balances] : [], o.tableClass);
        return r;
      }),
  );

  // ---- import by site ----
  const iPanel = el('div', undefined, 'bl-panel');
  const input = el('input');
  input.type = 'file';
  input.accept = o.readXlsx ? '.csv,.txt,.xlsx,text/csv' : '.csv,.txt,text/csv';
  const [fileLabel] = labelled(
    id('import-file'),
    o.readXlsx
      ? 'Extract holding every site’s lines (CSV or .xlsx)'
      : 'Extract holding every site’s lines (CSV)',
    input,
  );
  const note = el('p', o.fileNote, 'bl-muted muted');
  note.id = id('import-note');
  input.setAttribute('aria-describedby', note.id);
  const replaceBox = el('input');
  replaceBox.type = 'checkbox';
  const replaceLabel = el('label');
  replaceBox.id = id('import-replace');
  replaceLabel.htmlFor = replaceBox.id;
  replaceLabel.append(
    replaceBox,
    document.createTextNode(' Replace each site’s lines (default: add after them)'),
  );
  const iGo = btn('import-go', 'Import by site', true);
  const iStatus = statusLine('import');
  const iReport = region(id('import-report'), 'Import report per site');
  const iFindings = findingsOf('import', 'Every problem in the file');
  iPanel.append(fileLabel, input, note, replaceLabel, iGo, iStatus, iReport, iFindings);
  iGo.addEventListener(
    'click',
    () =>
      void run(iStatus, iFindings, async () => {
        const file = input.files?.[0];
        showTables(iReport, [], o.tableClass);
        if (!file) throw new ExtractError('Pick the extract first (a CSV file of every site’s lines).');
        const extract = await readPickedFile(file, {
          maxRecords: o.maxRecords,
          ...(o.readXlsx ? { readXlsx: o.readXlsx } : {}),
        });
        const r = await backend.importBySite(extract, replaceBox.checked);
        showTables(iReport, r.report ? [r.report] : [], o.tableClass);
        return r;
      }),
  );

  const { list } = tabList('Plan and monitor', o.prefix, [
    { id: 'proposals', label: 'Proposals', panel: pPanel },
    { id: 'scenarios', label: 'Scenarios', panel: sPanel },
    { id: 'actuals', label: 'Actuals', panel: aPanel },
    { id: 'import', label: 'Import', panel: iPanel },
  ]);
  root.replaceChildren(list, pPanel, sPanel, aPanel, iPanel);
  return root;
}
