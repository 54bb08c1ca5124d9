/**
 * consolidate: the Master Budget.
 *   budgetline consolidate district.xlsx                      writes Master Budget into the workbook
 *   budgetline consolidate district.xlsx --out master.xlsx    the same, saved as a new file
 *   budgetline consolidate sites/*.xlsx --out master.xlsx     many copies of the district workbook
 *     (one per principal), merged by the core's mergeCopies (each site from the file where it is
 *     furthest along, the district's tables from the first file), then consolidated and saved.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import {
  formatCents,
  mergeCopies,
  operations,
  runOperation,
  type ConsolidateResult,
  type FundJson,
  type ReconciliationRow,
  type UnapprovedChoice,
  type WorkbookCopy,
} from '../../core';
import { newWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { appendReceipts, receiptsPath } from '../receipts';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

const CHOICES: readonly UnapprovedChoice[] = ['exclude', 'include-marked'];

/** The control totals: per account class when the chart has classes (never a sum across classes). */
export function controlLine(c: {
  masterCents: number;
  sitesCents: number;
  agree: boolean;
  byClass?: readonly { label: string; masterCents: number; sitesCents: number }[];
}): string {
  if (!c.byClass?.length)
    return `Control totals: Master Budget ${formatCents(c.masterCents)}, sites ${formatCents(c.sitesCents)} (${c.agree ? 'agree' : 'DISAGREE'}).`;
  return `Control totals (${c.agree ? 'agree' : 'DISAGREE'}): ${c.byClass
    .map(
      (x) =>
        `${x.label.toLowerCase()} Master Budget ${formatCents(x.masterCents)}, sites ${formatCents(x.sitesCents)}`,
    )
    .join('; ')}.`;
}

/** One line per fund and the district: revenues, expenditures, ending balance, reserve %. */
export function fundLines(r: { funds?: readonly FundJson[]; district?: FundJson }): string[] {
  if (!r.funds || !r.district) return [];
  const line = (f: FundJson): string =>
    `  ${`${f.fund} ${f.name}`.padEnd(40).slice(0, 40)} revenues ${formatCents(f.revenuesCents + f.otherSourcesCents)}, expenditures ${formatCents(f.expendituresCents + f.otherUsesCents)}, net ${formatCents(f.netChangeCents)}, ending balance ${formatCents(f.endingBalanceCents)}${f.reservePercent === null ? '' : ` (${f.reservePercent}% of expenditures)`}`;
  return [
    'Fund summary (revenues and sources; expenditures and uses):',
    ...r.funds.map(line),
    line(r.district),
  ];
}

/** Original → final, per account class and fund (the "all funds" row of each class last). */
export function reconciliationLines(rows: readonly ReconciliationRow[]): string[] {
  if (!rows.length) return [];
  const agree = rows.every((r) => r.agree);
  return [
    `Original → final (${agree ? 'reconciles' : 'DOES NOT RECONCILE'}): original + amendments = final, per class and fund:`,
    ...rows.map(
      (r) =>
        `  ${`${r.label}, ${r.fund === 'all' ? 'all funds' : `fund ${r.fund}`}`.padEnd(40)} ${formatCents(r.originalCents)} ${r.amendmentsCents < 0 ? '−' : '+'} ${formatCents(Math.abs(r.amendmentsCents))} = ${formatCents(r.finalCents)}${r.agree ? '' : '  DISAGREE'}`,
    ),
  ];
}

export async function consolidateCommand(
  files: readonly string[],
  opts: { out?: string; unapproved?: string; force?: boolean; as?: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  const unapproved = (opts.unapproved ?? 'exclude') as UnapprovedChoice;
  if (!CHOICES.includes(unapproved))
    throw new UsageError(`--unapproved "${opts.unapproved ?? ''}": choose ${CHOICES.join(' or ')}`);
  if (files.length === 0) throw new UsageError('consolidate needs at least one workbook');
  if (files.length > 1 && !opts.out)
    throw new UsageError('consolidating several files needs --out <master.xlsx>');
  if (opts.out && files.includes(opts.out))
    throw new UsageError(`--out ${opts.out} is one of the inputs; name a new file`);
  if (opts.out && existsSync(opts.out) && !opts.force)
    throw new UsageError(`${opts.out} already exists; choose another name or pass --force to replace it`);
  const { options, done } = operationOptions(global, opts.as);
  let r: ConsolidateResult;
  if (files.length === 1) {
    const file = files[0] as string;
    r = await withLockedWorkbook(
      file,
      (port) => runOperation(port, operations.consolidate, { unapproved }, options),
      opts.out ? { saveTo: opts.out } : {},
    );
  } else {
    const copies: WorkbookCopy[] = [];
    for (const [i, file] of files.entries()) {
      options.progress?.(i, files.length, file);
      copies.push({
        name: file,
        snapshot: await withLockedWorkbook(file, (port) => port.read({ sheets: 'all', state: true })),
      });
    }
    // The core merges the copies (each site from the copy furthest along) into one write batch.
    const merged = mergeCopies(copies);
    if (!merged.ok) {
      done();
      return printResult(
        'consolidate',
        {
          ok: false,
          diagnostics: merged.diagnostics,
          summary: 'Nothing was consolidated: the copies do not merge.',
        },
        global,
        { json: { files } },
      );
    }
    const out = opts.out as string;
    const port = await newWorkbook(out, true);
    await port.write(merged.write);
    r = await runOperation(port, operations.consolidate, { unapproved }, options);
    // A refusal writes no Master Budget: leave no half-made master behind.
    if (!r.control) await rm(out, { force: true });
  }
  done();
  const control = r.control ? [controlLine(r.control)] : [];
  const where = opts.out ?? (files[0] as string);
  const receipts = r.control ? (r.receipts ?? []) : [];
  const receiptsFile = receiptsPath(where, opts.receipts);
  await appendReceipts(receiptsFile, receipts);
  return printResult(
    'consolidate',
    {
      ...r,
      summary: `${r.summary}${r.control ? ` Saved in ${where}.` : ''}${receipts.length ? ` Receipt added to ${receiptsFile}.` : ''}`,
    },
    global,
    {
      lines: [
        ...(r.budget ? [`Budget: ${r.budget.text}.`] : []),
        ...control,
        ...(r.reconciliation ? reconciliationLines(r.reconciliation) : []),
        ...fundLines(r),
      ],
      json: {
        files,
        out: where,
        ...(r.budget ? { budget: r.budget } : {}),
        ...(r.reconciliation ? { reconciliation: r.reconciliation } : {}),
        ...(r.control ? { control: r.control } : {}),
        ...(r.funds ? { funds: r.funds, district: r.district } : {}),
        ...(receipts.length ? { receipts, receiptsFile } : {}),
      },
    },
  );
}
