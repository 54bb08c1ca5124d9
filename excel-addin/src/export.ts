/**
 * Getting a file out of the pane: a download where the pane can save one; where it cannot, the
 * export goes on the "Budgetline Export" sheet (core: exportSheetWrite, replaced at each export),
 * which the user saves as CSV or text; and a copy to the clipboard either way.
 *
 * Whether the pane can download is asked of the page (an anchor's `download`, Blob URLs). One thing
 * the page cannot tell: Excel on the Mac and on the iPad host the pane in a web view that accepts a
 * download and silently drops it, so those two platforms (Office.context.platform) count as unable.
 */
import { EXPORT_SHEET, exportSheetWrite } from '../../core';
import type { ExcelPort } from './port';

export interface ExportFile {
  readonly content: string;
  readonly fileName: string;
  readonly rows: readonly (readonly string[])[];
}

/** Why this pane cannot download a file, or undefined when it can. */
export function downloadBlocker(): string | undefined {
  const a = document.createElement('a');
  if (typeof Blob !== 'function' || typeof URL.createObjectURL !== 'function' || !('download' in a))
    return 'This pane cannot save files';
  const platform = Office.context.platform;
  if (platform === Office.PlatformType.Mac || platform === Office.PlatformType.iOS)
    return 'Excel on the Mac and iPad does not save files from an add-in';
  return undefined;
}

export function download(content: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Writes the export on the Export sheet (one write). */
export async function toSheet(port: ExcelPort, file: ExportFile): Promise<void> {
  await port.write({ sheets: [exportSheetWrite(file.rows)] });
}

/** How to save the Export sheet as the file. */
export function saveSheetHelp(file: ExportFile): string {
  const as = file.fileName.endsWith('.csv') ? 'CSV UTF-8 (Comma delimited)' : 'Text (Tab delimited)';
  return `Open the "${EXPORT_SHEET}" sheet (replaced at each export) and save a copy of it as ${as}, named ${file.fileName}.`;
}

/** Copies text to the clipboard; false where the host does not allow it. */
export async function toClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
