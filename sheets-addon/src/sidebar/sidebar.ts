/**
 * The sidebar (built into Sidebar.html, script inlined). It shows what the server sends and sends
 * back what the user clicks; it decides nothing — the server re-checks every request.
 * Cell text is only ever set with textContent, never as HTML.
 */
import type { Diagnostic } from '../../../core/diagnostics';
import type { OperationResult, StatusView } from '../../../core/operations/api';
import type { ActionReply, FundsReply, StatusReply } from '../server';
import type { BoardReportReply } from '../report';
import { renderBoard, wireBoard } from './board';
import { showTables, wholeList } from '../../../ui/figures';
import { mountSidebarCfoViews } from './cfo';

type Ok<T> = (value: T) => void;
type Fail = (error: Error) => void;

/** google.script.run, as far as this sidebar uses it. */
interface Runner {
  withSuccessHandler(f: Ok<never>): Runner;
  withFailureHandler(f: Fail): Runner;
  getStatus(site?: string): void;
  validateSite(site: string): void;
  submitSite(site: string, comment: string): void;
  approveSite(site: string, comment: string): void;
  returnSite(site: string, comment: string): void;
  reopenSite(site: string, comment: string): void;
  consolidateDistrict(unapproved: string): void;
  projectDistrict(unapproved: string): void;
  boardReport(unapproved: string, status: string): void;
  getProgress(): void;
  exportBudget(format: string, what: string): void;
  verifyApprovals(): void;
  createDistrictWorkbook(preset: string, fiscalYear: number, district: string, rebuild: boolean): void;
  goToCell(sheet: string, cell: string): void;
}

declare const google: { script: { run: Runner } };

interface ExportReply extends OperationResult {
  content?: string;
  fileName?: string;
  /** The sheet the export was also written to (server.ts exportBudget). */
  sheet?: string;
}
type Progress = { done: number; total: number; label: string } | null;

/** One promise per server call; each call names its server function literally. */
const server = {
  getStatus: (site?: string): Promise<StatusReply> =>
    new Promise((ok: Ok<StatusReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .getStatus(site),
    ),
  validateSite: (site: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .validateSite(site),
    ),
  submitSite: (site: string, comment: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .submitSite(site, comment),
    ),
  approveSite: (site: string, comment: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .approveSite(site, comment),
    ),
  returnSite: (site: string, comment: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .returnSite(site, comment),
    ),
  reopenSite: (site: string, comment: string): Promise<ActionReply> =>
    new Promise((ok: Ok<ActionReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .reopenSite(site, comment),
    ),
  consolidateDistrict: (unapproved: string): Promise<FundsReply> =>
    new Promise((ok: Ok<FundsReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .consolidateDistrict(unapproved),
    ),
  projectDistrict: (unapproved: string): Promise<FundsReply> =>
    new Promise((ok: Ok<FundsReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .projectDistrict(unapproved),
    ),
  boardReport: (unapproved: string, status: string): Promise<BoardReportReply> =>
    new Promise((ok: Ok<BoardReportReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .boardReport(unapproved, status),
    ),
  getProgress: (): Promise<Progress> =>
    new Promise((ok: Ok<Progress>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .getProgress(),
    ),
  exportBudget: (format: string, what: string): Promise<ExportReply> =>
    new Promise((ok: Ok<ExportReply>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .exportBudget(format, what),
    ),
  verifyApprovals: (): Promise<OperationResult> =>
    new Promise((ok: Ok<OperationResult>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .verifyApprovals(),
    ),
  createDistrictWorkbook: (
    preset: string,
    fy: number,
    district: string,
    rebuild: boolean,
  ): Promise<OperationResult> =>
    new Promise((ok: Ok<OperationResult>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .createDistrictWorkbook(preset, fy, district, rebuild),
    ),
  goToCell: (sheet: string, cell: string): Promise<boolean> =>
    new Promise((ok: Ok<boolean>, fail) =>
      google.script.run
        .withSuccessHandler(ok as Ok<never>)
        .withFailureHandler(fail)
        .goToCell(sheet, cell),
    ),
};

// ---- DOM helpers: text only ------------------------------------------------------------------

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`sidebar: #${id} is missing`);
  return el;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

const dollars = (cents: number): string =>
  (cents < 0 ? '−$' : '$') +
  (Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fte = (thousandths: number): string => `${(thousandths / 1000).toFixed(3)} FTE`;

// ---- state ---------------------------------------------------------------------------------

let current: StatusReply | null = null;
let busy = false;

function setBusy(on: boolean): void {
  busy = on;
  document.querySelectorAll<HTMLButtonElement>('button.action').forEach((b) => (b.disabled = on));
}

function message(text: string, ok: boolean): void {
  const m = $('message');
  m.textContent = text;
  m.className = ok ? 'ok' : 'error';
}

/** Severity in words and an icon, not by colour alone (WCAG 1.4.1). */
const SEVERITY: Readonly<Record<Diagnostic['severity'], { icon: string; text: string }>> = {
  fatal: { icon: '\u2716', text: 'Error' },
  warning: { icon: '\u26A0', text: 'Warning' },
};

function renderFindings(list: HTMLElement, findings: readonly Diagnostic[]): void {
  list.replaceChildren();
  for (const d of findings) {
    const li = el('li', undefined, d.severity);
    const head = el('div');
    const sev = el('span', undefined, 'sev');
    const icon = el('span', SEVERITY[d.severity].icon, 'icon');
    icon.setAttribute('aria-hidden', 'true');
    sev.append(icon, document.createTextNode(`${SEVERITY[d.severity].text}:`));
    head.append(sev, el('span', d.code, 'code'), document.createTextNode(' '));
    if (d.sheet && d.cell) {
      const sheet = d.sheet;
      const cell = d.cell;
      const go = el('button', `${sheet}!${cell}`, 'goto');
      go.title = 'Go to cell';
      go.addEventListener('click', () => void server.goToCell(sheet, cell));
      head.append(go, document.createTextNode(' '));
    }
    head.append(el('span', d.message));
    li.append(head);
    if (d.value !== undefined && d.span) {
      const caret = ' '.repeat(d.span.start) + '^'.repeat(Math.max(1, d.span.end - d.span.start));
      li.append(el('div', `${d.value}\n${caret}`, 'excerpt'));
    }
    li.append(el('div', d.remedy, 'remedy'));
    const whole = wholeList(d);
    if (whole) li.append(whole);
    list.append(li);
  }
}

function renderView(reply: StatusReply): void {
  current = reply;
  const view: StatusView = reply.view;
  $('who').textContent = view.user ? `Signed in as ${view.user.email}` : 'Not signed in';
  const notice = $('notice');
  notice.textContent = view.notice ?? '';
  notice.hidden = !view.notice;

  const select = $('site') as HTMLSelectElement;
  const chosen = view.site?.code ?? select.value;
  select.replaceChildren(
    ...view.sites.map((s) => {
      const o = el('option', `${s.name || s.code} (${s.code})`);
      o.value = s.code;
      return o;
    }),
  );
  if (chosen) select.value = chosen;

  const site = view.site;
  const state = $('state');
  state.textContent = site?.state ?? '';
  state.className = `badge ${site?.state ?? ''}`;

  const tbody = ($('allocations') as HTMLTableElement).tBodies[0] as HTMLTableSectionElement;
  tbody.replaceChildren();
  for (const a of site?.allocations ?? []) {
    const tr = el('tr', undefined, a.over ? 'over' : '');
    const withFte = a.allocatedFte !== 0 || a.plannedFte !== 0;
    const cell = (cents: number, thousandths: number | undefined): HTMLTableCellElement => {
      const td = el('td', dollars(cents));
      if (withFte)
        td.append(el('br'), document.createTextNode(thousandths === undefined ? '—' : fte(thousandths)));
      return td;
    };
    // A dollars-only allocation does not limit FTE: show the FTE planned against it, nothing allocated or remaining.
    tr.append(
      el('td', a.label),
      cell(a.allocatedCents, a.fteTracked ? a.allocatedFte : undefined),
      cell(a.plannedCents, a.plannedFte),
      cell(a.remainingCents, a.fteTracked ? a.remainingFte : undefined),
    );
    tbody.append(tr);
  }

  const findings = site?.findings ?? [];
  $('finding-count').textContent = findings.length ? `(${findings.length})` : '';
  renderFindings($('findings'), findings);

  const can = site?.can;
  $('btn-submit').hidden = !can?.submit;
  $('btn-approve').hidden = !can?.approve;
  $('btn-return').hidden = !can?.return;
  $('btn-reopen').hidden = !can?.reopen;

  $('cfo-only').hidden = view.canConsolidate;
  $('district-actions').hidden = !view.canConsolidate;
  renderBoard(view);
  const format = $('format') as HTMLSelectElement;
  if (format.options.length === 0)
    format.replaceChildren(
      ...reply.formats.map((f) => {
        const o = el('option', f.name);
        o.value = f.id;
        return o;
      }),
    );
}

function showResult(r: OperationResult): void {
  message(r.summary, r.ok);
  renderFindings(
    $('result-findings'),
    r.diagnostics.filter((d) => d.severity === 'fatal' || !r.ok),
  );
}

async function run(task: () => Promise<void>): Promise<void> {
  if (busy) return;
  setBusy(true);
  try {
    await task();
  } catch (e) {
    message(e instanceof Error ? e.message : String(e), false);
  } finally {
    setBusy(false);
  }
}

function siteCode(): string {
  return ($('site') as HTMLSelectElement).value;
}

function comment(): string {
  return ($('comment') as HTMLTextAreaElement).value;
}

async function refresh(): Promise<void> {
  let reply = await server.getStatus(siteCode() || undefined);
  // first load: no site chosen yet, so show the first one the district lists
  const first = reply.view.sites[0];
  if (!reply.view.site && first) reply = await server.getStatus(first.code);
  renderView(reply);
}

function workflow(call: (site: string, comment: string) => Promise<ActionReply>): () => void {
  return () =>
    void run(async () => {
      const reply = await call(siteCode(), comment());
      showResult(reply.result);
      renderView(reply.status);
      if (reply.result.ok) ($('comment') as HTMLTextAreaElement).value = '';
    });
}

const PANELS = ['site', 'district', 'plan', 'new'] as const;

/** Shows a panel; its tab is the one in the Tab order (roving tabindex, WAI-ARIA tabs pattern). */
function showPanel(panel: string): void {
  for (const p of PANELS) {
    $(`panel-${p}`).hidden = p !== panel;
    const tab = $(`tab-${p}`);
    tab.setAttribute('aria-selected', String(p === panel));
    tab.tabIndex = p === panel ? 0 : -1;
  }
}

/** Arrow keys, Home and End move between the tabs and show their panel (automatic activation). */
function onTabKey(e: KeyboardEvent): void {
  const at = PANELS.findIndex((p) => $(`tab-${p}`) === e.target);
  if (at < 0) return;
  const to =
    e.key === 'ArrowRight'
      ? (at + 1) % PANELS.length
      : e.key === 'ArrowLeft'
        ? (at + PANELS.length - 1) % PANELS.length
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? PANELS.length - 1
            : -1;
  const panel = PANELS[to];
  if (panel === undefined) return;
  e.preventDefault();
  showPanel(panel);
  $(`tab-${panel}`).focus();
}

async function consolidate(): Promise<void> {
  const bar = $('progress') as HTMLProgressElement;
  const label = $('progress-label');
  bar.hidden = false;
  bar.value = 0;
  label.textContent = 'Consolidating…';
  let polling = true;
  const poll = async (): Promise<void> => {
    while (polling) {
      await new Promise((r) => setTimeout(r, 800));
      if (!polling) break;
      const p = await server.getProgress().catch(() => null);
      if (p && polling) {
        bar.value = p.total ? Math.round((100 * p.done) / p.total) : 0;
        label.textContent = `${p.done} of ${p.total}: ${p.label}`;
      }
    }
  };
  void poll();
  try {
    const r = await server.consolidateDistrict(($('unapproved') as HTMLSelectElement).value);
    showResult(r);
    showFunds(r);
    bar.value = 100;
    label.textContent = r.ok ? 'Done.' : '';
  } finally {
    polling = false;
  }
}

/** The fund summary as the server words it (core/views), drawn by ui/figures. */
function showFunds(r: FundsReply): void {
  showTables($('funds'), r.tables ?? []);
}

async function project(): Promise<void> {
  const r = await server.projectDistrict(($('unapproved') as HTMLSelectElement).value);
  showResult(r);
  showTables($('projection'), r.tables ?? []);
}

/** The board report: the sheets written, then how to print them (Sheets has no print-setup API). */
async function boardReport(): Promise<void> {
  const r = await server.boardReport(
    ($('unapproved') as HTMLSelectElement).value,
    ($('report-status') as HTMLSelectElement).value,
  );
  showResult(r);
  const box = $('report-print');
  box.hidden = !r.printing;
  const [howTo, ...steps] = r.printing ?? [];
  const list = el('ul');
  list.append(...steps.map((s) => el('li', s)));
  box.replaceChildren(el('p', howTo ?? ''), list);
}

/**
 * The export: a download link where this browser can save a file from the sidebar, and always the
 * same file on the Export sheet the server wrote, with how to save it from there.
 */
async function exportFile(): Promise<void> {
  const r = await server.exportBudget(
    ($('format') as HTMLSelectElement).value,
    ($('export-what') as HTMLSelectElement).value,
  );
  showResult(r);
  const link = $('download') as HTMLAnchorElement;
  const note = $('export-sheet-note');
  const canDownload = 'download' in link && typeof URL.createObjectURL === 'function';
  if (r.ok && r.content !== undefined && canDownload) {
    const blob = new Blob([r.content], { type: 'text/plain;charset=utf-8' });
    link.href = URL.createObjectURL(blob);
    link.download = r.fileName ?? 'budget-export.txt';
    link.textContent = `Download ${link.download}`;
    link.hidden = false;
  } else link.hidden = true;
  note.hidden = !(r.ok && r.sheet);
  if (r.ok && r.sheet) {
    const kind = (r.fileName ?? '').endsWith('.csv')
      ? 'Comma-separated values (.csv)'
      : 'Tab-separated values (.tsv)';
    note.textContent =
      `${canDownload ? 'If the download is blocked, the' : 'The'} export is also on the "${r.sheet}" sheet ` +
      `(replaced at each export): open that sheet, then File › Download › ${kind}` +
      `${r.fileName ? `, and name the file ${r.fileName}` : ''}.`;
  }
}

function init(): void {
  document.querySelectorAll<HTMLButtonElement>('nav button').forEach((b) => {
    b.addEventListener('click', () => showPanel(b.dataset['panel'] ?? 'site'));
    b.addEventListener('keydown', onTabKey);
  });
  $('site').addEventListener('change', () => void run(refresh));
  $('btn-validate').addEventListener(
    'click',
    workflow((site) => server.validateSite(site)),
  );
  $('btn-submit').addEventListener('click', workflow(server.submitSite));
  $('btn-approve').addEventListener('click', workflow(server.approveSite));
  $('btn-return').addEventListener('click', workflow(server.returnSite));
  $('btn-reopen').addEventListener('click', workflow(server.reopenSite));
  $('btn-consolidate').addEventListener('click', () => void run(consolidate));
  wireBoard({ run, site: siteCode, show: showResult, render: renderView });
  $('btn-project').addEventListener('click', () => void run(project));
  $('btn-report').addEventListener('click', () => void run(boardReport));
  $('btn-export').addEventListener('click', () => void run(exportFile));
  $('btn-verify').addEventListener(
    'click',
    () => void run(async () => showResult(await server.verifyApprovals())),
  );
  $('btn-create').addEventListener(
    'click',
    () =>
      void run(async () => {
        const r = await server.createDistrictWorkbook(
          ($('preset') as HTMLSelectElement).value,
          Number(($('fy') as HTMLInputElement).value),
          ($('district') as HTMLInputElement).value,
          ($('rebuild') as HTMLInputElement).checked,
        );
        showResult(r);
        if (r.ok) await refresh();
      }),
  );
  window.addEventListener('DOMContentLoaded', () => {
    const panel = (window as unknown as { BUDGETLINE_PANEL?: string }).BUDGETLINE_PANEL;
    if (panel) showPanel(panel);
  });
  mountSidebarCfoViews($('cfo-views'));
  void run(refresh);
}

init();

/** For tests: the last status the sidebar showed. */
(window as unknown as { budgetline?: { current: () => StatusReply | null } }).budgetline = {
  current: () => current,
};
