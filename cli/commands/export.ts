/** export --format <id>: the approved sites' lines in an ERP format, written whole or not at all. */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BUILT_IN_FORMATS, operations, runOperation } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { appendReceipts, receiptsPath } from '../receipts';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../files';
import { printResult, type GlobalOptions } from '../output';
import { reconciliationLines } from './consolidate';

export async function exportCommand(
  file: string,
  opts: {
    format: string;
    /** true: every applied amendment; IDs: those (each may hold several, comma-separated). */
    amendments?: true | readonly string[];
    out?: string;
    as?: string;
    force?: boolean;
    receipts?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  if (!BUILT_IN_FORMATS.some((f) => f.id === opts.format))
    throw new UsageError(
      `--format "${opts.format}" is not an export format; choose ${BUILT_IN_FORMATS.map((f) => f.id).join(', ')}`,
    );
  if (opts.out !== undefined) refuseOut(file, opts.out, opts.force);
  const ids =
    opts.amendments === undefined || opts.amendments === true
      ? []
      : opts.amendments
          .flatMap((x) => x.split(','))
          .map((x) => x.trim())
          .filter(Boolean);
  const amendments: 'all' | readonly string[] | undefined =
    opts.amendments === undefined ? undefined : ids.length ? ids : 'all';
  const { options, done } = operationOptions(global, opts.as);
  let written: string | undefined;
  const r = await withLockedWorkbook(
    file,
    async (port) => {
      const x = await runOperation(
        port,
        operations.exportBudget,
        { format: opts.format, ...(amendments ? { amendments } : {}) },
        options,
      );
      if (x.ok && x.content !== undefined) {
        const out = opts.out ?? join(dirname(file), x.fileName ?? `budget-${opts.format}.txt`);
        refuseOut(file, out, opts.force);
        await writeFileAtomic(out, x.content);
        written = out;
      }
      return x;
    },
    { readOnly: true },
  );
  done();
  const receipts = written ? (r.receipts ?? []) : [];
  const where = receiptsPath(file, opts.receipts);
  await appendReceipts(where, receipts);
  return printResult(
    'export',
    {
      ...r,
      summary: written
        ? `${r.summary} Written to ${written}.${receipts.length ? ` Receipt added to ${where}.` : ''}`
        : r.summary,
    },
    global,
    {
      lines: [
        ...(r.budget ? [`Budget: ${r.budget.text}.`] : []),
        ...(r.reconciliation ? reconciliationLines(r.reconciliation) : []),
      ],
      json: {
        file,
        ...(written ? { out: written } : {}),
        ...(r.budget ? { budget: r.budget } : {}),
        ...(r.reconciliation ? { reconciliation: r.reconciliation } : {}),
        ...(r.amendments ? { amendments: r.amendments } : {}),
        ...(receipts.length ? { receipts, receiptsFile: where } : {}),
      },
    },
  );
}

/** Nothing is destroyed by mistake: the output is never the workbook, and an existing one needs --force. */
function refuseOut(file: string, out: string, force: boolean | undefined): void {
  if (
    resolve(out) === resolve(file) ||
    (existsSync(out) && existsSync(file) && realpathSync(out) === realpathSync(file))
  )
    throw new UsageError(`--out ${out} is the workbook itself; name another file (nothing was written)`);
  if (existsSync(out) && !force)
    throw new UsageError(
      `${out} already exists; choose another name or pass --force to replace it (nothing was written)`,
    );
}
