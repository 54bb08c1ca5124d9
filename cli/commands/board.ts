/**
 * The board's vote and amendments on the command line (issue 15):
 *
 *   budgetline adopt <wb> --date 2026-06-18 --resolution 2026-14 --as cfo@…
 *   budgetline adopt <wb> --not-adopted --comment "…" --as cfo@…
 *   budgetline reopen <wb> --all | --sites 101,102 --comment "…" --as cfo@…
 *   budgetline amend <wb> --id A-1 --approve [--resolution R] | --apply | --add --site … --account … --amount … --reason … --as …
 *
 * Each step is one core operation (core/operations/board.ts, reopenSites), with its receipt appended
 * beside the workbook like the other workflow commands.
 */
import { operations, runOperation, type OperationResult, type Receipted } from '../../core';
import { operationOptions } from '../context';
import { UsageError } from '../errors';
import { withLockedWorkbook } from '../lock';
import { printResult, type GlobalOptions } from '../output';
import { appendReceipts, receiptsPath } from '../receipts';

/** Appends the step's receipts and prints its result. */
async function finish(
  command: string,
  file: string,
  r: OperationResult & Receipted,
  global: GlobalOptions,
  receiptsOption: string | undefined,
  json: Record<string, unknown>,
): Promise<number> {
  const receipts = r.receipts ?? [];
  const where = receiptsPath(file, receiptsOption);
  await appendReceipts(where, receipts);
  return printResult(
    command,
    { ...r, summary: receipts.length ? `${r.summary} Receipt added to ${where}.` : r.summary },
    global,
    { json: { file, ...json, ...(receipts.length ? { receipts, receiptsFile: where } : {}) } },
  );
}

export async function adoptCommand(
  file: string,
  opts: {
    date?: string;
    resolution?: string;
    notAdopted?: boolean;
    comment?: string;
    as?: string;
    receipts?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  if (!opts.as) throw new UsageError('adopt needs --as <email>: the CFO, who records the board vote');
  const { options, done } = operationOptions(global, opts.as);
  if (opts.notAdopted) {
    if (opts.date !== undefined || opts.resolution !== undefined)
      throw new UsageError('adopt --not-adopted takes --comment, not --date or --resolution');
    if (!opts.comment?.trim())
      throw new UsageError(
        'adopt --not-adopted needs --comment "<the board\'s reasons>": the sites are told why',
      );
    const r = await withLockedWorkbook(file, (port) =>
      runOperation(port, operations.notAdopted, { comment: opts.comment ?? '' }, options),
    );
    done();
    return finish('adopt', file, r, global, opts.receipts, {
      adopted: false,
      ...(r.board ? { board: r.board } : {}),
    });
  }
  if (!opts.date || !opts.resolution)
    throw new UsageError('adopt needs --date YYYY-MM-DD (the board vote) and --resolution <number>');
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.adopt,
      { date: opts.date ?? '', resolution: opts.resolution ?? '' },
      options,
    ),
  );
  done();
  return finish('adopt', file, r, global, opts.receipts, {
    adopted: r.ok,
    ...(r.board ? { board: r.board } : {}),
  });
}

export async function reopenCommand(
  file: string,
  opts: { site?: string; sites?: string; all?: boolean; as?: string; comment?: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  const chosen = [opts.site !== undefined, opts.sites !== undefined, opts.all === true].filter(
    Boolean,
  ).length;
  if (chosen !== 1)
    throw new UsageError('reopen needs exactly one of --site <code>, --sites <a,b,…> or --all');
  if (!opts.as) throw new UsageError('reopen needs --as <email>: the CFO');
  if (!opts.comment?.trim()) throw new UsageError('reopen needs --comment "<why>": the site is told why');
  const sites: 'all' | string[] = opts.all
    ? 'all'
    : (opts.sites ?? opts.site ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  if (sites !== 'all' && sites.length === 0)
    throw new UsageError('reopen --sites needs site codes, e.g. --sites 101,102');
  const { options, done } = operationOptions(global, opts.as);
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(port, operations.reopenSites, { sites, comment: opts.comment ?? '' }, options),
  );
  done();
  return finish('reopen', file, r, global, opts.receipts, { sites });
}

export async function amendCommand(
  file: string,
  opts: {
    id: string;
    add?: boolean;
    approve?: boolean;
    apply?: boolean;
    site?: string;
    account?: string[];
    amount?: string[];
    reason?: string;
    resolution?: string;
    as?: string;
    receipts?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const chosen = (['add', 'approve', 'apply'] as const).filter((c) => opts[c] === true);
  if (chosen.length !== 1) throw new UsageError('amend needs exactly one of --add, --approve or --apply');
  if (!opts.as) throw new UsageError('amend needs --as <email>: who is acting');
  const step = chosen[0] as 'add' | 'approve' | 'apply';
  const list = (xs: readonly string[] | undefined): string[] =>
    (xs ?? [])
      .flatMap((x) => x.split(';'))
      .map((x) => x.trim())
      .filter(Boolean);
  if (step === 'add') {
    if (!opts.site || !opts.reason?.trim() || list(opts.account).length === 0)
      throw new UsageError(
        'amend --add needs --site <code>, --account <string> and --amount <signed dollars> (repeat both, in the same order) and --reason "<why>"',
      );
  } else if (opts.site || opts.account || opts.amount || opts.reason)
    throw new UsageError(
      `amend --${step} takes the amendment from the Amendments table: give only --id${step === 'approve' ? ' and --resolution' : ''}`,
    );
  const args =
    step === 'add'
      ? {
          step,
          id: opts.id,
          site: opts.site ?? '',
          accounts: list(opts.account),
          amounts: list(opts.amount),
          reason: opts.reason ?? '',
          ...(opts.resolution !== undefined ? { resolution: opts.resolution } : {}),
        }
      : step === 'approve'
        ? { step, id: opts.id, ...(opts.resolution !== undefined ? { resolution: opts.resolution } : {}) }
        : { step, id: opts.id };
  const { options, done } = operationOptions(global, opts.as);
  const r = await withLockedWorkbook(file, (port) => runOperation(port, operations.amend, args, options));
  done();
  return finish('amend', file, r, global, opts.receipts, {
    id: opts.id,
    ...(r.state ? { state: r.state } : {}),
  });
}
