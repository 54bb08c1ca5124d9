/**
 * The shared runtime's entry: ribbon commands are registered at once (Office may invoke one before
 * the pane is shown), then the change handler starts and the pane renders.
 */
import { showError, startPane, startRuntime } from './app';
import { registerCommands } from './commands';

registerCommands();

/** Outside Excel (a browser, another Office app) nothing can run: say where the pane belongs. */
function showOutsideExcel(): void {
  for (const section of document.querySelectorAll<HTMLElement>('body > section')) section.hidden = true;
  const outside = document.getElementById('outside');
  if (outside) outside.hidden = false;
  const user = document.getElementById('user');
  if (user) user.textContent = 'Not running in Excel.';
}

void Office.onReady(async (info) => {
  if (info.host !== Office.HostType.Excel) {
    showOutsideExcel();
    return;
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
    await startPane();
  } catch (e) {
    showError(e);
  }
});
