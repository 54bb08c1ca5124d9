/** What every command shares: opening the workbook, the clock, who acts, and the progress bar. */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { OperationOptions, PortUser } from '../core';
import { UsageError } from './errors';
import { io } from './io';
import type { GlobalOptions } from './output';
import { XlsxPort } from './xlsx-port';

/**
 * Opens an existing workbook; exit 2 with a message naming the file when it cannot be read.
 * `readOnly`: the commands that only read (status, verify, export, validate --check) — the file is
 * never saved, whatever the operation asks to write.
 */
export async function openWorkbook(file: string, opts: { readOnly?: boolean } = {}): Promise<XlsxPort> {
  if (extname(file).toLowerCase() === '.csv')
    throw new UsageError(
      `${file} is a CSV file; Budgetline works on .xlsx workbooks (use "import" to bring CSV lines in)`,
    );
  return XlsxPort.open(file, opts.readOnly ? { readOnly: true } : {});
}

/** A new workbook at `file`; refuses to overwrite an existing file unless `force`. */
export async function newWorkbook(file: string, force = false): Promise<XlsxPort> {
  if (extname(file).toLowerCase() !== '.xlsx')
    throw new UsageError(`${file}: the workbook's name must end in .xlsx`);
  if (existsSync(file) && !force)
    throw new UsageError(`${file} already exists; choose another name or pass --force to replace it`);
  return XlsxPort.create(file);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The self-declared user of --as (recorded as self-declared in the audit log). */
export function actAs(email: string | undefined): PortUser | undefined {
  if (email === undefined) return undefined;
  const e = email.trim();
  if (!EMAIL.test(e))
    throw new UsageError(`--as "${email}" is not an e-mail address (e.g. --as principal@district.k12.us)`);
  return { email: e.toLowerCase(), verified: false };
}

/** A progress bar on stdout while long work runs, only when stdout is a terminal and not --json. */
export function progressBar(options: GlobalOptions): {
  progress?: OperationOptions['progress'];
  stop(): void;
} {
  if (!io().stdout.isTTY || options.json) return { stop: () => undefined };
  const bar = new SingleBar(
    { format: '  {bar} {percentage}% | {value}/{total} {label}', hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    progress: (done, total, label) => {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { label });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** The options every operation takes: the clock, --as, and progress. */
export function operationOptions(
  global: GlobalOptions,
  as?: string,
): { options: OperationOptions; done(): void } {
  const bar = progressBar(global);
  const who = actAs(as);
  return {
    options: {
      now: () => new Date().toISOString(),
      ...(bar.progress ? { progress: bar.progress } : {}),
      ...(who ? { actAs: who } : {}),
    },
    done: () => bar.stop(),
  };
}
