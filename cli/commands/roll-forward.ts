/**
 * roll-forward [--out <next.xlsx>]: next year's workbook from this one, written to a new file (this one
 * is left as it is). Without --out, a dry run: the findings and what would be carried forward.
 */
import { operations, runOperation } from '../../core';
import { newWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

export function parsePercent(text: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new UsageError(`--salary-increase "${text}" is not a percentage (e.g. 2.5 or 2.5%)`);
  return Number(m[1]);
}

export async function rollForwardCommand(
  file: string,
  opts: { out?: string; salaryIncrease?: string; force?: boolean },
  global: GlobalOptions,
): Promise<number> {
  if (opts.out === file) throw new UsageError('--out must name a new file: the current year stays as it is');
  const salaryIncrease = opts.salaryIncrease !== undefined ? parsePercent(opts.salaryIncrease) : undefined;
  const target = opts.out !== undefined ? await newWorkbook(opts.out, opts.force === true) : undefined;
  const { options, done } = operationOptions(global);
  const { next, ...r } = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.rollForward,
      salaryIncrease !== undefined ? { salaryIncrease } : {},
      options,
    ),
  );
  // This year's workbook is only read; next year's is one write to the new file.
  if (target && next) await target.write(next);
  done();
  const saved = !r.ok ? '' : target ? ` Saved as ${opts.out ?? ''}.` : ' (Dry run: nothing written.)';
  return printResult('roll-forward', { ...r, summary: `${r.summary}${saved}` }, global, {
    json: {
      file,
      ...(opts.out ? { out: opts.out } : {}),
      ...(r.fiscalYear !== undefined ? { fiscalYear: r.fiscalYear } : {}),
    },
  });
}
