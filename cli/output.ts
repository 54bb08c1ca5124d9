/**
 * How results are shown: findings one per line as core's formatDiagnostic writes them
 * (`Lincoln Elementary!C14  BL104 unknown object code "6118" — did you mean 6119 or 6112?`), then the
 * summary; or, with --json, one JSON object on stdout.
 */
import { formatDiagnostic, hasFatal, sortDiagnostics, type Diagnostic, type OperationResult } from '../core';
import { EXIT } from './errors';
import { out } from './io';

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: 'fatal' | 'warning';
  readonly sheet: string | null;
  readonly cell: string | null;
  readonly message: string;
  readonly remedy: string;
  readonly suggestions?: readonly string[];
  /** The whole list a finding names when its message shows only the first few (core's `few`). */
  readonly items?: readonly string[];
}

/** Where a shortened list is whole, after a finding in the human output. */
export const WHOLE_LIST = '--json lists all';

export interface GlobalOptions {
  readonly json?: boolean;
  /** Show each finding with the account string, a caret under the wrong part, and the remedy. */
  readonly explain?: boolean;
}

export function jsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    sheet: d.sheet ?? null,
    cell: d.cell ?? null,
    message: d.message,
    remedy: d.remedy,
    ...(d.suggestions?.length ? { suggestions: d.suggestions } : {}),
    ...(d.items?.length ? { items: d.items } : {}),
  };
}

export function exitStatus(result: Pick<OperationResult, 'ok' | 'diagnostics'>): number {
  return !result.ok || hasFatal(result.diagnostics) ? EXIT.fatal : EXIT.ok;
}

/**
 * Prints an operation's result and returns the exit status. `details` are extra human lines (after
 * the findings, before the summary) and extra JSON fields.
 */
export function printResult(
  command: string,
  result: Pick<OperationResult, 'ok' | 'diagnostics' | 'summary'>,
  options: GlobalOptions,
  details: { lines?: readonly string[]; json?: Record<string, unknown> } = {},
): number {
  const exit = exitStatus(result);
  const sorted = sortDiagnostics(result.diagnostics);
  const fatal = sorted.filter((d) => d.severity === 'fatal').length;
  if (options.json) {
    const object = {
      command,
      ok: exit === EXIT.ok,
      summary: result.summary,
      counts: { fatal, warning: sorted.length - fatal },
      diagnostics: sorted.map(jsonDiagnostic),
      ...details.json,
    };
    out(`${JSON.stringify(object, null, 2)}\n`);
    return exit;
  }
  const lines: string[] = [];
  for (const d of sorted)
    lines.push(formatDiagnostic(d, { excerpt: options.explain === true, whole: WHOLE_LIST }));
  if (sorted.length) lines.push('');
  for (const l of details.lines ?? []) lines.push(l);
  lines.push(result.summary);
  if (sorted.length)
    lines.push(
      `${fatal} fatal finding${fatal === 1 ? '' : 's'}, ${sorted.length - fatal} warning${sorted.length - fatal === 1 ? '' : 's'}.`,
    );
  out(`${lines.join(options.explain ? '\n\n' : '\n').replace(/\n\n\n+/g, '\n\n')}\n`);
  return exit;
}
