/**
 * The shared runtime's entry: ribbon commands are registered at once (Office may invoke one before
 * the pane is shown), then the change handler starts and the pane renders.
 */
import { showError, startPane, startRuntime } from './app';
import { registerCommands } from './commands';
import { wireBoardReport } from './report';
import { FEATURES, REQUIRED, meetsRequirements, supports } from './requirements';

registerCommands();

/**
 * Outside Excel (a browser, another Office app), or in an Excel too old for it, nothing can run:
 * the pane says so, and where it belongs, instead of its controls.
 */
function showUnavailable(status: string, heading?: string, text?: string): void {
  for (const section of document.querySelectorAll<HTMLElement>('body > section')) section.hidden = true;
  const outside = document.getElementById('outside');
  if (outside) {
    outside.hidden = false;
    const h = outside.querySelector('h2');
    const p = outside.querySelector('p');
    if (heading && h) h.textContent = heading;
    if (text && p) p.textContent = text;
  }
  const user = document.getElementById('user');
  if (user) user.textContent = status;
}

void Office.onReady(async (info) => {
  if (info.host !== Office.HostType.Excel) {
    showUnavailable('Not running in Excel.');
    return;
  }
  if (!meetsRequirements()) {
    showUnavailable(
      'This Excel is too old for Budgetline.',
      'Update Excel',
      `Budgetline needs ExcelApi ${REQUIRED.ExcelApi} and a shared runtime (SharedRuntime ${REQUIRED.SharedRuntime}): ` +
        'Excel for Microsoft 365, Excel on the web, or Office LTSC 2021 or later.',
    );
    return;
  }
  if (!supports('notes')) {
    const notice = document.getElementById('capability');
    if (notice) {
      notice.textContent = `This Excel has no cell notes (ExcelApi ${FEATURES.notes.version}): ${FEATURES.notes.without}.`;
      notice.hidden = false;
    }
  }
  try {
    const addin = Office.addin as Partial<typeof Office.addin> | undefined;
    if (addin?.setStartupBehavior && Office.context.requirements.isSetSupported('SharedRuntime', '1.1'))
      // Live validation from the moment the workbook opens, even before the pane is.
      await addin.setStartupBehavior(Office.StartupBehavior.load);
  } catch {
    // Not offered on this host: live validation starts with the pane or the first command.
  }
  try {
    await startRuntime();
    wireBoardReport();
    await startPane();
  } catch (e) {
    showError(e);
  }
});
