/**
 * Receipts on the command line: every submit, approve, return, reopen, consolidate and export
 * appends its receipt(s) to `<workbook>.receipts.jsonl` beside the workbook (or the file given with
 * --receipts), one JSON object a line; `verify --receipts FILE` checks the workbook's audit chain
 * against them. Keep the receipts file where the people who edit the workbook cannot rewrite it (a
 * share only the budget office writes to, or mail it to yourself): a receipts file beside the
 * workbook only helps against edits made without it.
 */
import fsp from 'node:fs/promises';
import { parseReceipts, receiptLine, type Receipt } from '../core';
import { UsageError } from './errors';

/** Where a workbook's receipts go: --receipts when given, else `<workbook>.receipts.jsonl`. */
export function receiptsPath(workbook: string, option?: string): string {
  return option ?? `${workbook}.receipts.jsonl`;
}

/** Appends receipts (one line each) to `path`, creating it when missing. */
export async function appendReceipts(path: string, receipts: readonly Receipt[]): Promise<void> {
  if (receipts.length === 0) return;
  try {
    await fsp.appendFile(path, receipts.map((r) => `${receiptLine(r)}\n`).join(''), { flag: 'a' });
  } catch (e) {
    throw new UsageError(
      `the step was recorded in the workbook, but its receipt could not be written to ${path}: ${(e as Error).message}`,
    );
  }
}

/** Reads a receipts file; exit 2 when it is missing or holds lines that are not receipts. */
export async function readReceiptsFile(path: string): Promise<Receipt[]> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the receipts file ${path}: ${(e as Error).message}`);
  }
  const { receipts, problems } = parseReceipts(text);
  if (problems.length)
    throw new UsageError(`${path} is not a receipts file: ${problems.slice(0, 3).join('; ')}`);
  return receipts;
}
