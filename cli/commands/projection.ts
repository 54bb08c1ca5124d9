/**
 * projection <workbook> [--json]: the budget year and the two years after it, per fund, with every
 * change explained by its assumption (the Assumptions table). Read-only: the workbook is not written.
 */
import { formatCents, projection, runOperation, type FundJson } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

const CHOICES = ['exclude', 'include-marked'] as const;

/** "  100 General Fund  revenues $…, expenditures $…, net -$…, ending $… (4.1%)". */
function fundLine(f: FundJson): string {
  return `    ${`${f.fund} ${f.name}`.padEnd(36).slice(0, 36)} revenues ${formatCents(f.revenuesCents + f.otherSourcesCents)}, expenditures ${formatCents(f.expendituresCents + f.otherUsesCents)}, net ${formatCents(f.netChangeCents)}, ending ${formatCents(f.endingBalanceCents)}${f.reservePercent === null ? '' : ` (${f.reservePercent}%)`}`;
}

export async function projectionCommand(
  file: string,
  opts: { unapproved?: string },
  global: GlobalOptions,
): Promise<number> {
  const unapproved = opts.unapproved ?? 'include-marked';
  if (!(CHOICES as readonly string[]).includes(unapproved))
    throw new UsageError(`--unapproved "${unapproved}": choose ${CHOICES.join(' or ')}`);
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(
    file,
    (port) => runOperation(port, projection, { unapproved: unapproved as (typeof CHOICES)[number] }, options),
    { readOnly: true },
  );
  done();
  const lines: string[] = [];
  for (const y of r.years ?? []) {
    lines.push(`FY${y.fiscalYear}:`);
    for (const f of y.funds) lines.push(fundLine(f));
    lines.push(fundLine(y.district));
  }
  if (r.changes?.length) {
    lines.push('What moved each year:');
    for (const c of r.changes)
      lines.push(
        `    FY${c.fiscalYear} fund ${c.fund}: ${c.cents >= 0 ? '+' : ''}${formatCents(c.cents)}  ${c.text}`,
      );
  }
  return printResult('projection', r, global, {
    lines,
    json: { file, ...(r.years ? { years: r.years, changes: r.changes } : {}) },
  });
}
