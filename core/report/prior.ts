/**
 * Prior-year figures for the board report from last year's district workbook: its approved sites'
 * lines by account, through the same approval gate as consolidate (a site counts only when its lines
 * are exactly what was approved). The district workbook itself keeps no prior-year expenditures.
 */
import { diag, type Diagnostic } from '../diagnostics';
import type { Snapshot } from '../port/types';
import { approvalGate } from '../operations/trust';
import { readWorkbook, siteSheetsOf } from '../workbook/read';
import type { PriorYear } from './types';

/** Last year's approved lines by account, or BL951 saying why the workbook cannot give them. */
export function priorYearOf(
  snap: Snapshot,
  source = "last year's workbook",
): {
  prior?: PriorYear;
  diagnostics: Diagnostic[];
} {
  const wb = readWorkbook(snap);
  if (!wb.validator || !wb.setup)
    return {
      diagnostics: [diag('BL951', { problem: 'it has no chart of accounts or Setup that can be read' })],
    };
  const gate = approvalGate(snap, wb);
  if (!gate.ok) {
    const fatal = gate.diagnostics.filter((d) => d.severity === 'fatal');
    return {
      diagnostics: [
        diag('BL951', {
          problem: `its approvals cannot be trusted as they stand (${fatal.length} problem${fatal.length === 1 ? '' : 's'}, first: ${fatal[0]?.message ?? ''})`,
        }),
      ],
    };
  }
  if (gate.approved.length === 0)
    return { diagnostics: [diag('BL951', { problem: 'no site budget in it is approved' })] };
  const byAccount = new Map<string, number>();
  for (const s of siteSheetsOf(wb, snap, gate.approved))
    for (const l of s.ledger) byAccount.set(l.account, (byAccount.get(l.account) ?? 0) + l.cents);
  return {
    prior: {
      fiscalYear: wb.setup.fiscalYear,
      label: `FY${wb.setup.fiscalYear} budget of ${wb.setup.district}, ${gate.approved.length} approved site${gate.approved.length === 1 ? '' : 's'} (${source})`,
      lines: [...byAccount]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([account, cents]) => ({ account, cents })),
    },
    diagnostics: [],
  };
}

/** BL950 when prior-year figures are not for the year before the budget year. */
export function checkPriorYear(prior: PriorYear, fiscalYear: number): Diagnostic | undefined {
  if (prior.fiscalYear === undefined || prior.fiscalYear === fiscalYear - 1) return undefined;
  return diag('BL950', { given: prior.fiscalYear, expected: fiscalYear - 1, budget: fiscalYear });
}
