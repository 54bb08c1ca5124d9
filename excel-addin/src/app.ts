/**
 * The shared runtime's state and the task pane. Everything here is thin: read the view through
 * `operations.status`, call one operation per button, render the result. Cell text and messages
 * reach the page only through textContent (never innerHTML).
 */
import {
  BUILT_IN_FORMATS,
  ChainHeadChangedError,
  exportWhat,
  formatCents,
  fundSummaryView,
  fundView,
  receiptLine,
  operations,
  projection,
  projectionView,
  projectionViewTable,
  runOperation,
  placeOf,
  type Diagnostic,
  type OperationOptions,
  type OperationResult,
  type ConsolidateResult,
  type ProjectionResult,
  type PortUser,
  type Receipt,
  type StatusView,
  SIGN_IN_PATHS,
} from '../../core';
import { renderBoard, wireBoard } from './board';
import { showTables, wholeList } from '../../ui/figures';
import { mountPaneCfoViews } from './cfo';
import { LiveValidation } from './live';
import { ExcelPort } from './port';
import type { SignInOutcome } from './signin';
import { download, downloadBlocker, saveSheetHelp, toClipboard, toSheet, type ExportFile } from './export';

type View = StatusView;

/** The runtime's state, shared by the pane, the ribbon commands and the change handler. */
export const runtime = {
  port: new ExcelPort(),
  live: undefined as LiveValidation | undefined,
  /** The verified user (signin.ts: NAA or Office SSO), or null. */
  user: null as PortUser | null,
  /** The last export, for the Export sheet and the clipboard. */
  lastExport: undefined as ExportFile | undefined,
  /** How the user was identified (signin.ts). */
  signIn: undefined as SignInOutcome | undefined,
  /** The name picked from the Roles table when there is no SSO (self-declared). */
  actAs: undefined as string | undefined,
  site: undefined as string | undefined,
  view: undefined as View | undefined,
  busy: false,
};

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`task pane: #${id} is missing`);
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

export function options(): OperationOptions {
  const progress = (done: number, total: number, label: string): void => {
    const bar = $('progress') as HTMLProgressElement;
    bar.hidden = false;
    bar.max = Math.max(total, 1);
    bar.value = done;
    $('progress-label').textContent = total ? `${label} (${done} of ${total})` : label;
  };
  return {
    now: () => new Date().toISOString(),
    progress,
    ...(runtime.actAs && !runtime.user ? { actAs: { email: runtime.actAs, verified: false } } : {}),
  };
}

// ---- start -----------------------------------------------------------------------------------

export async function startRuntime(): Promise<void> {
  runtime.live = new LiveValidation({
    port: runtime.port,
    validateRows: operations.validateRows,
    options,
    onResult: (sheet, from, to, result) => mergeLiveFindings(sheet, from, to, result),
    onError: (e) => showError(e),
  });
  await runtime.live.start();
}

export async function startPane(): Promise<void> {
  wire();
  mountPaneCfoViews($('cfo-views'));
  runtime.signIn = await runtime.port.signIn();
  runtime.user = runtime.signIn.user;
  showSignedIn();
  await refresh();
  if (!runtime.user && runtime.view) showIdentityPicker(runtime.view.people, runtime.signIn.diagnostics);
}

/** Who is signed in, and how (the path signin.ts took), in words. */
function showSignedIn(): void {
  const s = runtime.signIn;
  if (!runtime.user || !s) return;
  $('user').textContent = `Signed in as ${runtime.user.email} (verified by ${SIGN_IN_PATHS[s.path]})`;
}

/** The names of the Roles table to pick from (status gives them), when Office cannot say who you are. */
function showIdentityPicker(emails: readonly string[], why: readonly Diagnostic[]): void {
  $('identity-why').replaceChildren(...why.map((d) => el('li', `${d.code} ${d.message}`)));
  const select = $('act-as') as HTMLSelectElement;
  select.replaceChildren(el('option', 'Pick your name…'));
  (select.firstChild as HTMLOptionElement).value = '';
  for (const e of emails) {
    const o = el('option', e);
    o.value = e;
    select.append(o);
  }
  $('identity').hidden = false;
  $('user').textContent = 'Not signed in: pick your name below (self-declared).';
}

// ---- render ----------------------------------------------------------------------------------

export async function refresh(): Promise<void> {
  const args = runtime.site ? { site: runtime.site } : {};
  const r = await runOperation(runtime.port, operations.status, args, options());
  runtime.view = r.view;
  if (!runtime.site && r.view.site) runtime.site = r.view.site.code;
  if (!runtime.site && r.view.sites[0]) {
    runtime.site = r.view.sites[0].code;
    const again = await runOperation(runtime.port, operations.status, { site: runtime.site }, options());
    runtime.view = again.view;
  }
  render(runtime.view);
}

function money(cents: number): string {
  return formatCents(cents);
}

function fte(thousandths: number): string {
  return `${(thousandths / 1000).toFixed(3)} FTE`;
}

function render(view: View): void {
  if (runtime.user) showSignedIn();
  else if (runtime.actAs) $('user').textContent = `${runtime.actAs} (self-declared)`;

  const notice = $('notice');
  notice.hidden = !view.notice;
  notice.textContent = view.notice ?? '';

  const siteSelect = $('site') as HTMLSelectElement;
  siteSelect.replaceChildren(
    ...view.sites.map((s) => {
      const o = el('option', `${s.name || s.code} (${s.code})`);
      o.value = s.code;
      o.selected = s.code === view.site?.code;
      return o;
    }),
  );

  const site = view.site;
  const state = $('state');
  state.textContent = site?.state ?? '';
  state.className = `bl-badge ${site?.state ?? ''}`;

  const body = ($('allocations') as HTMLTableElement).tBodies[0] as HTMLTableSectionElement;
  body.replaceChildren();
  for (const a of site?.allocations ?? []) {
    const tr = el('tr', undefined, a.over ? 'over' : '');
    tr.append(
      el('td', a.label),
      el('td', money(a.allocatedCents)),
      el('td', money(a.plannedCents)),
      el('td', money(a.remainingCents), a.remainingCents < 0 ? 'remaining bl-over' : 'remaining'),
    );
    body.append(tr);
    if (a.allocatedFte || a.plannedFte) {
      const f = el('tr', undefined, 'bl-fte');
      f.append(
        el('td', ''),
        el('td', a.fteTracked ? fte(a.allocatedFte) : '—'),
        el('td', fte(a.plannedFte)),
        el(
          'td',
          a.fteTracked ? fte(a.remainingFte) : '—',
          a.fteTracked && a.remainingFte < 0 ? 'remaining bl-over' : 'remaining',
        ),
      );
      body.append(f);
    }
  }

  renderFindings(site?.findings ?? []);

  const can = site?.can;
  $('submit').hidden = !can?.submit;
  $('approve').hidden = !can?.approve;
  $('return').hidden = !can?.return;
  $('reopen').hidden = !can?.reopen;
  $('comment-group').hidden = !(can?.return || can?.reopen || can?.submit || can?.approve);
  $('district').hidden = !view.canConsolidate;
  renderBoard(view);

  const format = $('format') as HTMLSelectElement;
  if (!format.options.length)
    for (const f of BUILT_IN_FORMATS) {
      const o = el('option', f.name);
      o.value = f.id;
      format.append(o);
    }
}

function renderFindings(findings: readonly Diagnostic[]): void {
  const list = $('findings');
  list.replaceChildren(...findings.map(findingItem));
  const fatal = findings.filter((d) => d.severity === 'fatal').length;
  $('findings-count').textContent = findings.length
    ? `(${fatal} to fix, ${findings.length - fatal} warnings)`
    : '(none)';
}

/** Severity in words and an icon, not by colour alone (WCAG 1.4.1). */
const SEVERITY: Readonly<Record<Diagnostic['severity'], { icon: string; text: string }>> = {
  fatal: { icon: '\u2716', text: 'Error' },
  warning: { icon: '\u26A0', text: 'Warning' },
};

function severityTag(severity: Diagnostic['severity']): HTMLSpanElement {
  const tag = el('span', undefined, `bl-sev ${severity}`);
  const icon = el('span', SEVERITY[severity].icon, 'bl-icon');
  icon.setAttribute('aria-hidden', 'true');
  tag.append(icon, document.createTextNode(`${SEVERITY[severity].text}: `));
  return tag;
}

function findingItem(d: Diagnostic): HTMLLIElement {
  const li = el('li');
  const b = el('button', undefined, `bl-finding ${d.severity}`);
  b.type = 'button';
  b.append(
    severityTag(d.severity),
    el('span', placeOf(d), 'bl-place'),
    el('span', ` ${d.code} ${d.message}`),
  );
  if (d.remedy) b.append(el('span', d.remedy, 'bl-remedy'));
  if (d.sheet && d.cell) {
    const { sheet, cell } = d;
    b.addEventListener('click', () => void selectCell(sheet, cell));
  } else b.disabled = true;
  li.append(b);
  const whole = wholeList(d);
  if (whole) li.append(whole);
  return li;
}

/** Live validation replaced the findings of some rows: update the list without a round trip. */
function mergeLiveFindings(sheet: string, from: number, to: number, result: OperationResult): void {
  const view = runtime.view;
  if (!view?.site) return;
  const siteSheet = view.sites.find((s) => s.code === view.site?.code)?.sheet;
  if (siteSheet !== sheet) return;
  const row = (d: Diagnostic): number => Number(/\d+$/.exec(d.cell ?? '')?.[0] ?? 0) - 1;
  const kept = view.site.findings.filter((d) => d.sheet !== sheet || row(d) < from || row(d) > to);
  const fresh = result.diagnostics.filter((d) => d.sheet === sheet);
  const findings = [...kept, ...fresh];
  runtime.view = { ...view, site: { ...view.site, findings } };
  renderFindings(findings);
}

export async function selectCell(sheet: string, cell: string): Promise<void> {
  await Excel.run(async (context) => {
    const ws = context.workbook.worksheets.getItem(sheet);
    ws.activate();
    ws.getRange(cell).select();
    await context.sync();
  });
}

// ---- actions ---------------------------------------------------------------------------------

/** The fund summary of a consolidation (its `funds` and `district`), as the core words it (ui/figures). */
export function showFunds(r: ConsolidateResult): void {
  const box = $('funds');
  if (!r.funds) {
    box.hidden = true;
    return;
  }
  showTables(box, [fundSummaryView(fundView(r.funds, r.district, r.reservePolicy))], 'bl-table');
}

/** The three-year projection (the projection operation's years), one table. */
export function showProjection(r: ProjectionResult): void {
  const box = $('projection-view');
  if (!r.years) {
    box.hidden = true;
    return;
  }
  showTables(box, [projectionViewTable(projectionView(r.years, r.reservePolicy))], 'bl-table');
}

export function showResult(r: OperationResult): void {
  const msg = $('message');
  msg.textContent = r.summary;
  msg.className = `ms-font-m ${r.ok ? 'ok' : 'error'}`;
  const site = runtime.view?.site?.code;
  // Findings of the shown site are in the list above; show the others (refusals, other sheets).
  const others = r.diagnostics.filter(
    (d) => !(d.sheet && runtime.view?.sites.some((s) => s.sheet === d.sheet && s.code === site)),
  );
  $('messages').replaceChildren(...others.slice(0, 50).map(findingItem));
  showReceipts((r as { receipts?: readonly Receipt[] }).receipts ?? []);
  ($('progress') as HTMLProgressElement).hidden = true;
  $('progress-label').textContent = '';
}

/** The receipts of the last step (one JSON line each, as the CLI's receipts file), with copy and download. */
function showReceipts(receipts: readonly Receipt[]): void {
  const text = receipts.map(receiptLine).join('\n');
  $('receipt-text').textContent = text;
  $('receipt').hidden = receipts.length === 0;
}

async function copyReceipt(): Promise<void> {
  const pre = $('receipt-text');
  const text = pre.textContent ?? '';
  try {
    await navigator.clipboard.writeText(text);
    $('message').textContent = 'Receipt copied.';
  } catch {
    // No clipboard permission (some Office hosts): select the text for Ctrl+C.
    const selection = window.getSelection();
    const range = document.createRange();
    range.selectNodeContents(pre);
    selection?.removeAllRanges();
    selection?.addRange(range);
    pre.focus();
    $('message').textContent = 'Receipt selected: press Ctrl+C (⌘C) to copy it.';
  }
}

export function showError(e: unknown): void {
  const msg = $('message');
  msg.textContent =
    e instanceof ChainHeadChangedError
      ? e.message
      : `Something went wrong: ${e instanceof Error ? e.message : String(e)}`;
  $('receipt').hidden = true;
  msg.className = 'ms-font-m error';
}

/** Runs one operation from a button or a ribbon command, then shows its result and the new view. */
export async function act(run: () => Promise<OperationResult>): Promise<OperationResult | undefined> {
  if (runtime.busy) return undefined;
  runtime.busy = true;
  for (const b of document.querySelectorAll<HTMLButtonElement>('button.bl-button')) b.disabled = true;
  try {
    const r = await run();
    await refresh();
    showResult(r);
    return r;
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    runtime.busy = false;
    for (const b of document.querySelectorAll<HTMLButtonElement>('button.bl-button')) b.disabled = false;
  }
}

/** The export just made: downloaded where the pane can, else written to the Export sheet. */
async function deliverExport(): Promise<void> {
  const file = runtime.lastExport;
  $('export-out').hidden = !file;
  if (!file) return;
  const blocked = downloadBlocker();
  if (!blocked) {
    download(file.content, file.fileName);
    showExportHow(`Downloaded ${file.fileName}. No file? Put it in a sheet, or copy it.`);
    return;
  }
  await toSheet(runtime.port, file);
  showExportHow(`${blocked}: the export is on a sheet instead. ${saveSheetHelp(file)} Or copy it.`);
}

function showExportHow(text: string): void {
  $('export-how').textContent = text;
  $('export-out').hidden = false;
}

function comment(): string {
  return ($('comment') as HTMLTextAreaElement).value.trim();
}

const port = (): ExcelPort => runtime.port;

function wire(): void {
  $('site').addEventListener('change', (e) => {
    runtime.site = (e.target as HTMLSelectElement).value;
    void refresh().catch(showError);
  });
  $('act-as').addEventListener('change', (e) => {
    const v = (e.target as HTMLSelectElement).value;
    runtime.actAs = v || undefined;
    void refresh().catch(showError);
  });
  const site = (): string => runtime.site ?? '';
  const withComment = <T extends object>(args: T): T & { comment?: string } =>
    comment() ? { ...args, comment: comment() } : args;
  const clearComment = (r: OperationResult | undefined): void => {
    if (r?.ok) ($('comment') as HTMLTextAreaElement).value = '';
  };
  $('submit').addEventListener(
    'click',
    () =>
      void act(() => runOperation(port(), operations.submit, withComment({ site: site() }), options())).then(
        clearComment,
      ),
  );
  $('approve').addEventListener(
    'click',
    () =>
      void act(() => runOperation(port(), operations.approve, withComment({ site: site() }), options())).then(
        clearComment,
      ),
  );
  $('return').addEventListener(
    'click',
    () =>
      void act(() =>
        runOperation(port(), operations.returnBudget, { site: site(), comment: comment() }, options()),
      ).then(clearComment),
  );
  $('reopen').addEventListener(
    'click',
    () =>
      void act(() =>
        runOperation(port(), operations.reopen, { site: site(), comment: comment() }, options()),
      ).then(clearComment),
  );
  $('validate').addEventListener(
    'click',
    () => void act(() => runOperation(port(), operations.validateSites, {}, options())),
  );
  $('refresh').addEventListener('click', () => void refresh().catch(showError));
  wireBoard({ port, options, act });
  $('receipt-copy').addEventListener('click', () => void copyReceipt());
  $('receipt-download').addEventListener('click', () =>
    download(`${$('receipt-text').textContent ?? ''}\n`, 'budgetline.receipts.jsonl'),
  );
  $('consolidate').addEventListener('click', () => {
    const unapproved =
      ($('unapproved') as HTMLSelectElement).value === 'include-marked' ? 'include-marked' : 'exclude';
    void act(async () => {
      const r = await runOperation(port(), operations.consolidate, { unapproved }, options());
      showFunds(r);
      return r;
    });
  });
  $('project').addEventListener('click', () => {
    const unapproved =
      ($('unapproved') as HTMLSelectElement).value === 'include-marked' ? 'include-marked' : 'exclude';
    void act(async () => {
      const r = await runOperation(port(), projection, { unapproved }, options());
      showProjection(r);
      return r;
    });
  });
  $('export').addEventListener('click', () => {
    const format = ($('format') as HTMLSelectElement).value;
    const what = exportWhat(($('export-what') as HTMLSelectElement | null)?.value);
    void act(async () => {
      const r = await runOperation(port(), operations.exportBudget, { format, ...what }, options());
      runtime.lastExport =
        r.ok && r.content !== undefined
          ? { content: r.content, fileName: r.fileName ?? `budget-${format}.txt`, rows: r.rows ?? [] }
          : undefined;
      await deliverExport();
      return r;
    });
  });
  $('export-sheet').addEventListener('click', () => {
    const file = runtime.lastExport;
    if (file) void toSheet(port(), file).then(() => showExportHow(saveSheetHelp(file)), showError);
  });
  $('export-copy').addEventListener('click', () => {
    const file = runtime.lastExport;
    if (file)
      void toClipboard(file.content).then((ok) =>
        showExportHow(
          ok
            ? `Copied ${file.fileName}: paste it into a text editor and save it.`
            : `This Excel does not let the pane copy. ${saveSheetHelp(file)}`,
        ),
      );
  });
}
