/** submit, approve, return, reopen: one site, --as the person acting (recorded as self-declared). */
import { operations, runOperation } from '../../core';
import { openWorkbook, operationOptions } from '../context';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

export type Step = 'submit' | 'approve' | 'return' | 'reopen';

export async function workflow(
  step: Step,
  file: string,
  opts: { site: string; as?: string; comment?: string },
  global: GlobalOptions,
): Promise<number> {
  if (!opts.as) throw new UsageError(`${step} needs --as <email>: who is acting (recorded as self-declared)`);
  if ((step === 'return' || step === 'reopen') && !opts.comment?.trim())
    throw new UsageError(`${step} needs --comment "<why>": the site is told why`);
  const port = await openWorkbook(file);
  const { options, done } = operationOptions(global, opts.as);
  const args = { site: opts.site, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) };
  const r =
    step === 'submit'
      ? await runOperation(port, operations.submit, args, options)
      : step === 'approve'
        ? await runOperation(port, operations.approve, args, options)
        : step === 'return'
          ? await runOperation(
              port,
              operations.returnBudget,
              { site: opts.site, comment: opts.comment ?? '' },
              options,
            )
          : await runOperation(
              port,
              operations.reopen,
              { site: opts.site, comment: opts.comment ?? '' },
              options,
            );
  done();
  return printResult(step, r, global, { json: { file, site: opts.site } });
}
