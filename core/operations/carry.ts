/**
 * What roll-forward carries of revenues and fund balances: next year's Fund Balances table holds
 * this year's ending balance of each fund (the forecast's, or the budget's) as its beginning balance, and the Revenues table
 * keeps its rows with this year's estimate as the prior-year figure.
 */
import type { Grid, CellValue } from '../cells';
import { parseA1 } from '../cells';
import type { SheetWrite } from '../port/types';
import type { DistrictFunds } from './funds';
import { tableWrite } from '../workbook/create';
import { FUND_BALANCES_HEADER, REVENUES_FORMATS, SHEETS } from '../workbook/layout';
import { normalizeHeader } from '../tables';

export function carryFunds(
  funds: DistrictFunds,
  revenues: Grid | undefined,
  /** Where the balances come from, for the Notes column ("projected ending balance of FY2027"). */
  basis: string,
): SheetWrite[] {
  const writes: SheetWrite[] = [
    tableWrite(
      SHEETS.fundBalances,
      [
        [...FUND_BALANCES_HEADER],
        ...funds.summary.funds.map((f): CellValue[] => [f.fund, f.name, f.endingBalanceCents / 100, basis]),
      ],
      ['@', '@', '#,##0.00', '@'],
    ),
  ];
  if (revenues) {
    const prior = (revenues[0] ?? []).map(normalizeHeader).indexOf('prioryearactual');
    const byRow = new Map<number, number>();
    for (const r of funds.revenues) {
      const at = r.where?.cell ? parseA1(r.where.cell) : undefined;
      if (at) byRow.set(at.row, r.cents);
    }
    const rows = revenues.map((row, i) => {
      const out = [...row];
      const cents = byRow.get(i);
      if (prior >= 0 && cents !== undefined) out[prior] = cents / 100;
      return out;
    });
    writes.push(tableWrite(SHEETS.revenues, rows, REVENUES_FORMATS));
  }
  return writes;
}
