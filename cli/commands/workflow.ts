/** submit, approve, return, reopen: one site, --as the person acting (recorded as self-declared). */
import { operations, runOperation } from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { appendReceipts, receiptsPath } from '../receipts';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

export type Step = 'submit' | 'approve' | 'return' | 'reopen';

export async function workflow(
  step: Step,
  file: string,
  opts: { site: string; as?: string; comment?: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  if (!opts.as) throw new UsageError(`${step} needs --as <email>: who is acting (recorded as self-declared)`);
  if ((step === 'return' || step === 'reopen') && !opts.comment?.trim())
    throw new UsageError(`${step} needs --comment "<why>": the site is told why`);
  const { options, done } = operationOptions(global, opts.as);
  const args = { site: opts.site, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) };
  const r = await withLockedWorkbook(file, (port) =>
    step === 'submit'
      ? runOperation(port, operations.submit, args, options)
      : step === 'approve'
        ? runOperation(port, operations.approve, args, options)
        : step === 'return'
          ? runOperation(
              port,
              operations.returnBudget,
              { site: opts.site, comment: opts.comment ?? '' },
              options,
            )
          : runOperation(port, operations.reopen, { site: opts.site, comment: opts.comment ?? '' }, options),
  );
  done();
  // The receipt goes outside the workbook: the anchor verify --receipts checks the chain against.
  const receipts = r.receipts ?? [];
  const where = receiptsPath(file, opts.receipts);
  await appendReceipts(where, receipts);
  return printResult(
    step,
    { ...r, summary: receipts.length ? `${r.summary} Receipt added to ${where}.` : r.summary },
    global,
    { json: { file, site: opts.site, ...(receipts.length ? { receipts, receiptsFile: where } : {}) } },
  );
}
