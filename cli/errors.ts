/**
 * What the command line reports besides findings: usage errors and unreadable files (exit 2), and
 * internal errors (exit 3).
 */
import { CommanderError } from 'commander';

/**
 * Exit statuses: 0 no fatal finding; 1 fatal findings or the operation refused; 2 usage error or a
 * file that cannot be used; 3 internal error (a bug in Budgetline, not in the input).
 */
export const EXIT = { ok: 0, fatal: 1, usage: 2, internal: 3 } as const;

/** A mistake in how the command was called, or a file that cannot be used: exit 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The message and exit status for anything thrown out of a command. */
export function describeError(e: unknown): { message: string; exit: number } {
  // XlsxFileError (cli/xlsx-port.ts) is known by name, so this module does not load ExcelJS.
  if (e instanceof UsageError || (e instanceof Error && e.name === 'XlsxFileError'))
    return { message: e.message, exit: EXIT.usage };
  if (e instanceof CommanderError) return { message: e.message.replace(/^error: /, ''), exit: EXIT.usage };
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  const path = (err as NodeJS.ErrnoException).path;
  if (code && path) return { message: `cannot use ${path}: ${err.message}`, exit: EXIT.usage };
  return {
    message: `internal error: ${err.message} (set BUDGETLINE_DEBUG=1 to see where it happened, and please report it)`,
    exit: EXIT.internal,
  };
}
