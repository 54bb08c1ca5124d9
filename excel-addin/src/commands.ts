/**
 * The ribbon's function commands (manifest FunctionName → Office.actions.associate). They run in the
 * shared runtime, next to the task pane: each calls one operation and shows its result in the pane.
 */
import { operations, runOperation, type OperationResult } from '../../core';
import { act, options, refresh, runtime } from './app';
import { runBoardReport, showBoardReport } from './report';

/** Manifest FunctionName → what it does. The manifest test checks every FunctionName is here. */
export const COMMANDS: Readonly<Record<string, () => Promise<OperationResult>>> = {
  validateWorkbook: () => runOperation(runtime.port, operations.validateSites, {}, options()),
  consolidateDistrict: () =>
    runOperation(runtime.port, operations.consolidate, { unapproved: 'exclude' }, options()),
  submitForApproval: async () => {
    const site = runtime.site ?? (await activeSite());
    return runOperation(runtime.port, operations.submit, { site: site ?? '' }, options());
  },
  boardReport: async () => {
    const r = await runBoardReport();
    showBoardReport(r);
    return r;
  },
};

/** The site whose sheet is active (one round trip), when the pane has not picked one. */
async function activeSite(): Promise<string | undefined> {
  const name = await Excel.run(async (context) => {
    const ws = context.workbook.worksheets.getActiveWorksheet();
    ws.load('name');
    await context.sync();
    return ws.name;
  });
  if (!runtime.view) await refresh();
  return runtime.view?.sites.find((s) => s.sheet === name)?.code;
}

async function show(): Promise<void> {
  try {
    await Office.addin.showAsTaskpane();
  } catch {
    // Older hosts: the result waits in the pane until it is opened.
  }
}

export function registerCommands(): void {
  Office.actions.associate('validateWorkbook', (event: Office.AddinCommands.Event) => {
    void act(COMMANDS['validateWorkbook'] as () => Promise<OperationResult>).finally(() => event.completed());
  });
  Office.actions.associate('consolidateDistrict', (event: Office.AddinCommands.Event) => {
    void act(COMMANDS['consolidateDistrict'] as () => Promise<OperationResult>)
      .then(() => show())
      .finally(() => event.completed());
  });
  Office.actions.associate('boardReport', (event: Office.AddinCommands.Event) => {
    void act(COMMANDS['boardReport'] as () => Promise<OperationResult>)
      .then(() => show())
      .finally(() => event.completed());
  });
  Office.actions.associate('submitForApproval', (event: Office.AddinCommands.Event) => {
    void act(COMMANDS['submitForApproval'] as () => Promise<OperationResult>)
      .then(() => show())
      .finally(() => event.completed());
  });
}
