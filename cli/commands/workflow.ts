/** submit, approve, return, reopen: one site, --as the person acting (recorded as self-declared). */
import { operations } from '../../core';
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
      ? operations.submit(port, args, options)
      : step === 'approve'
        ? operations.approve(port, args, options)
        : step === 'return'
          ? operations.returnBudget(port, { site: opts.site, comment: opts.comment ?? '' }, options)
          : operations.reopen(port, { site: opts.site, comment: opts.comment ?? '' }, options),
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
