import type { Diagnostic } from '../diagnostics';
import { findSite, type SiteEntry, type Workbook } from '../workbook/read';

/** A site by code or sheet name, or the BL802 refusal. */
export function findSiteEntry(wb: Workbook, code: string): { site: SiteEntry } | { refused: Diagnostic } {
  const r = findSite(wb, code);
  return 'severity' in r ? { refused: r } : { site: r };
}
