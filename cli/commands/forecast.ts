/**
 * forecast <workbook> [--json]: the current year's forecast per line (actual + encumbered + the
 * estimated remainder, each saying how it was made), and the estimated ending fund balance per fund,
 * which becomes the budget year's beginning balance. Read-only: the workbook is not written.
 */
import { forecast, formatCents, runOperation, type FundJson } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { printResult, type GlobalOptions } from '../output';

function fundLine(f: FundJson): string {
  return `    ${`${f.fund} ${f.name}`.padEnd(36).slice(0, 36)} beginning ${formatCents(f.beginningBalanceCents)}, forecast expenditures ${formatCents(f.expendituresCents + f.otherUsesCents)}, estimated ending ${formatCents(f.endingBalanceCents)}`;
}

export async function forecastCommand(file: string, global: GlobalOptions): Promise<number> {
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) => runOperation(port, forecast, {}, options), {
    readOnly: true,
  });
  done();
  const lines: string[] = [];
  if (r.lines?.length) {
    lines.push(`Forecast per line as of ${r.asOf ?? ''}:`);
    for (const l of r.lines)
      lines.push(
        `    ${l.site} ${l.account}  budget ${formatCents(l.budgetCents)}, forecast ${formatCents(l.forecastCents)} (actual ${formatCents(l.actualCents)} + encumbered ${formatCents(l.encumberedCents)} + ${formatCents(l.remainderCents)})${l.varianceCents < 0 ? ' OVER' : ''}  — ${l.how}`,
      );
  }
  if (r.funds?.length) {
    lines.push("Estimated ending fund balances (next year's beginning balances):");
    for (const f of r.funds) lines.push(fundLine(f));
    if (r.district) lines.push(fundLine(r.district));
  }
  return printResult('forecast', r, global, {
    lines,
    json: {
      file,
      ...(r.asOf !== undefined ? { asOf: r.asOf } : {}),
      ...(r.lines ? { lines: r.lines, methods: r.methods } : {}),
      ...(r.funds
        ? {
            funds: r.funds,
            district: r.district,
            nextYearBeginning: r.funds.map((f) => ({
              fund: f.fund,
              beginningBalanceCents: f.endingBalanceCents,
            })),
          }
        : {}),
    },
  });
}
